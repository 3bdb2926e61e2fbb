"""Fuzz every model format igfnet reads: each mutant is answered, or refused in one line with exit status 2.

Seeds are igfnet's own exports (``.rules``, ``.bnet``, SBML-qual, BooleanNet) of the
bundled model and of a few published models (``../shared/models/bbm``). Each mutant is
one of: bit flips, a byte replaced by a character that means something to some format,
truncation, a line duplicated, deleted or swapped, a chunk of another seed spliced in,
deep nesting (``!``, ``(``, ``not``, ``<apply><not/>``) or a very long token inserted,
and XML's own hazards (an ``xor`` for an and/or, DTD entities, a huge comment).
Each is written under the seed's extension (sometimes ``.txt``, read by content) and
run through ``igfnet list nodes``, ``igfnet export --format bnet`` and, but for the
largest seed, ``igfnet attractors``.

A run fails on a traceback, a message of more than one line, an exit status other than 0
or 2, a signal (a crash) or a run past ``--bound`` seconds. Mutants run in worker processes, so a crash is caught and
reported with the mutant that caused it.

    python scripts/fuzz_formats.py [--mutants 5000] [--seed 1] [--bound 20] [--jobs 2] [--keep DIR]

The test suite runs :func:`fuzz` in-process on a small budget (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT.parent.parent / "shared" / "models" / "bbm"
PUBLISHED_SEEDS = {
    # name: whether mutants are also solved (bbm002, 130 nodes and the deepest rules of the
    # corpus, has attractors of 1e23 states: 10-30 s each, too slow to solve a thousand mutants)
    "bbm002-signal-transduction-in-fibroblasts.bnet": False,
    "bbm008-death-receptor-signaling.bnet": True,
    "bbm029-toll-pathway-of-drosophila.bnet": True,
    "bbm063-lac-operon.bnet": True,
}
MEANINGFUL = b"<>&;()!~|=,*:#\"'\n\t \0\xff\xc3-01"


@dataclass(frozen=True)
class Seed:
    """A model file's text and the extension it is written under."""

    name: str
    text: bytes
    suffix: str
    solve: bool = True


def seeds(published: Path = PUBLISHED) -> list[Seed]:
    """igfnet's exports of the bundled model and of the published models found, in every format it reads.

    A published model's free inputs get a value (seeded by its name), as ``igfnet export``
    writes them: its attractors then take milliseconds, so a mutant that runs long is news.
    """
    from igfnet.cli.export import _model_text
    from igfnet.formats import load_model

    models = [("bundled", load_model(), True)]
    for name, solve in PUBLISHED_SEEDS.items():
        if (published / name).exists():
            model = load_model(published / name)
            rng = random.Random(name)
            fixed = []
            for rule in model.rules.values():
                if rule.is_input and rule.default is None:
                    value = rng.randint(0, 1)
                    rule = dataclasses.replace(rule, default=value, text=f"input {value}")
                fixed.append(rule)
            models.append((name.split("-")[0], model.with_rules(fixed), solve))
    found = []
    for label, model, solve in models:
        for suffix, output_format in (
            (".rules", "rules"),
            (".bnet", "bnet"),
            (".sbml", "sbml"),
            (".booleannet", "booleannet"),
        ):
            text = _model_text(model, model.perturbation(), output_format, False)
            found.append(Seed(f"{label}{suffix}", text.encode("utf-8"), suffix, solve))
    return found


# -- mutations -------------------------------------------------------------------


def _flip_bits(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    mutant = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(mutant))
        mutant[position] ^= 1 << rng.randrange(8)
    return bytes(mutant)


def _meaningful_byte(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    mutant = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        mutant[rng.randrange(len(mutant))] = rng.choice(MEANINGFUL)
    return bytes(mutant)


def _truncate(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    return data[: rng.randrange(len(data))]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [data]


def _duplicate_line(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    lines = _lines(data)
    index = rng.randrange(len(lines))
    count = rng.choice([1, 1, 2, 50])
    return b"".join(lines[: index + 1] + lines[index : index + count] + lines[index + 1 :])


def _delete_line(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def _swap_lines(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    lines = _lines(data)
    first, second = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[first], lines[second] = lines[second], lines[first]
    return b"".join(lines)


def _splice(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    other = rng.choice(others).text
    start = rng.randrange(len(other))
    chunk = other[start : start + rng.randint(1, 400)]
    position = rng.randrange(len(data) + 1)
    return data[:position] + chunk + data[position:]


def _deep_nesting(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    levels = rng.choice([50, 99, 100, 101, 300, 1000, 5000])
    opening, closing = rng.choice(
        [
            (b"!", b""),
            (b"(", b")"),
            (b"not ", b""),
            (b"not (", b")"),
            (b"<apply><not/>", b"</apply>"),
            (b"<a>", b"</a>"),
        ]
    )
    lines = _lines(data)
    index = rng.randrange(len(lines))
    line = lines[index]
    # After the separator of a rule if there is one, so the nesting lands in an expression.
    match = re.search(rb"(\*?=|,|<math[^>]*>)\s*", line)
    position = match.end() if match else rng.randrange(len(line) + 1)
    end = len(line.rstrip(b"\r\n"))
    end = max(end, position)
    lines[index] = line[:position] + opening * levels + line[position:end] + closing * levels + line[end:]
    return b"".join(lines)


def _long_token(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    position = rng.randrange(len(data) + 1)
    token = rng.choice([b"A", b"A & ", b"(", b"x1_"]) * rng.choice([1000, 100_000])
    return data[:position] + token + data[position:]


def _xml_trouble(data: bytes, rng: random.Random, others: list[Seed]) -> bytes:
    """SBML's own hazards: an xor of what was an and/or, entity declarations ("billion laughs"), a huge comment."""
    choice = rng.randrange(3)
    if choice == 0 and (b"<and/>" in data or b"<or/>" in data):
        return data.replace(rng.choice([b"<and/>", b"<or/>"]), b"<xor/>")
    if choice == 1:
        entities = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
            b'<!ENTITY %c "%s">' % (98 + level, b"&%c;" % (97 + level) * 10) for level in range(rng.randint(0, 8))
        )
        declaration = data.find(b"?>") + 2
        return (
            data[:declaration]
            + b"\n<!DOCTYPE sbml ["
            + entities
            + b"]>"
            + data[declaration:].replace(b"<model ", b'<model name="&a;" ', 1)
        )
    position = data.find(b">", data.find(b"<sbml")) + 1 if b"<sbml" in data else 0
    return data[:position] + b"<!--" + b"x" * rng.choice([1000, 1_000_000]) + b"-->" + data[position:]


MUTATIONS: dict[str, Callable[[bytes, random.Random, list[Seed]], bytes]] = {
    "flip": _flip_bits,
    "byte": _meaningful_byte,
    "truncate": _truncate,
    "duplicate": _duplicate_line,
    "delete": _delete_line,
    "swap": _swap_lines,
    "splice": _splice,
    "nesting": _deep_nesting,
    "long": _long_token,
    "xml": _xml_trouble,
}


@dataclass(frozen=True)
class Mutant:
    number: int
    seed: Seed
    mutation: str
    text: bytes
    suffix: str


def mutants(all_seeds: list[Seed], count: int, seed: int, start: int = 0) -> Iterator[Mutant]:
    """``count`` mutants, the same for the same ``seed`` (mutant ``n`` depends on ``seed`` and ``n`` only)."""
    for number in range(start, start + count):
        rng = random.Random(f"{seed}:{number}")
        parent = rng.choice(all_seeds)
        mutation = rng.choice(sorted(MUTATIONS))
        text = MUTATIONS[mutation](parent.text, rng, all_seeds)
        suffix = ".txt" if rng.random() < 0.15 else parent.suffix
        yield Mutant(number, parent, mutation, text, suffix)


# -- running one mutant ----------------------------------------------------------


class _Hang(Exception):
    pass


def check(mutant: Mutant, directory: Path, bound: float) -> tuple[str, str]:
    """Run a mutant through the commands; ``(outcome, detail)``, outcome ``answered``, ``refused`` or a failure."""
    import signal

    from click.testing import CliRunner

    from igfnet.cli import main

    path = directory / f"mutant{mutant.suffix}"
    path.write_bytes(mutant.text)
    model = str(path)
    commands = [
        ["list", "nodes", "--model", model],
        ["export", "--format", "bnet", "--output", "-", "--model", model],
    ]
    if mutant.seed.solve:
        commands.append(["attractors", "--format", "json", "--model", model])

    def hang(*_: object) -> None:
        raise _Hang

    previous = signal.signal(signal.SIGALRM, hang)
    outcomes = []
    outputs = []
    try:
        for arguments in commands:
            signal.setitimer(signal.ITIMER_REAL, bound)
            try:
                result = CliRunner().invoke(main, arguments, catch_exceptions=True)
            except _Hang:
                return "hang", f"{arguments[0]} ran past {bound} s"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if isinstance(result.exception, _Hang):
                return "hang", f"{arguments[0]} ran past {bound} s"
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                return "traceback", f"{arguments[0]}: {type(result.exception).__name__}: {result.exception}"[:300]
            if result.exit_code not in (0, 2):
                return "status", f"{arguments[0]} exited {result.exit_code}"
            if result.exit_code == 2:
                lines = result.output.strip().splitlines()
                if len(lines) != 1 or not lines[0].startswith("Error: "):
                    return "message", f"{arguments[0]}: {len(lines)} lines: {result.output[:300]!r}"
            outcomes.append(result.exit_code)
            outputs.append(result.output)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return ("answered" if outcomes[0] == 0 else "refused"), ""


FAILURES = ("traceback", "status", "message", "hang", "signal")


def fuzz(count: int, seed: int = 1, bound: float = 20.0, start: int = 0) -> Counter[str]:
    """Run ``count`` mutants in this process; count the outcomes (raises nothing on failure: check the counts)."""
    all_seeds = seeds()
    outcomes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="igfnet-fuzz-") as scratch:
        for mutant in mutants(all_seeds, count, seed, start):
            outcome, _ = check(mutant, Path(scratch), bound)
            outcomes[outcome] += 1
    return outcomes


# -- the large run: worker processes, so a crash is caught -------------------------


def _worker(start: int, count: int, seed: int, bound: float) -> None:
    """Print one JSON line per mutant; ``started`` before each, so a crash names its mutant."""
    all_seeds = seeds()
    with tempfile.TemporaryDirectory(prefix="igfnet-fuzz-") as scratch:
        for mutant in mutants(all_seeds, count, seed, start):
            print(json.dumps({"started": mutant.number}), flush=True)
            began = time.monotonic()
            outcome, detail = check(mutant, Path(scratch), bound)
            hung = outcome == "hang"
            print(
                json.dumps(
                    {
                        "number": mutant.number,
                        "seed": mutant.seed.name,
                        "mutation": mutant.mutation,
                        "outcome": outcome,
                        "detail": detail,
                        "seconds": round(time.monotonic() - began, 3),
                    }
                ),
                flush=True,
            )
            if hung:  # a command was interrupted mid-way: start afresh in a new process
                sys.exit(3)


def _run_range(start: int, stop: int, arguments: argparse.Namespace, results: list[dict[str, object]]) -> None:
    while start < stop:
        command = [sys.executable, __file__, "--worker", str(start), str(stop - start), str(arguments.seed)]
        command += ["--bound", str(arguments.bound)]
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        worker = subprocess.run(command, capture_output=True, text=True, env=environment)
        last_started = start
        for line in worker.stdout.splitlines():
            record = json.loads(line)
            if "started" in record:
                last_started = record["started"]
            else:
                results.append(record)
                start = record["number"] + 1  # type: ignore[operator]
        if worker.returncode == 3:  # stopped after a hang, already recorded
            continue
        if worker.returncode != 0:  # a crash (signal) or an error outside check(): record it, go on after it
            results.append(
                {
                    "number": last_started,
                    "seed": "?",
                    "mutation": "?",
                    "outcome": "signal" if worker.returncode < 0 else "status",
                    "detail": f"worker exited {worker.returncode}: {worker.stderr[-300:]}",
                    "seconds": 0,
                }
            )
            start = last_started + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bound", type=float, default=20.0, help="seconds a command may take")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write each failing mutant here")
    parser.add_argument("--worker", nargs=3, type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        _worker(*arguments.worker[:2], arguments.worker[2], arguments.bound)
        return
    import threading

    began = time.monotonic()
    results: list[dict[str, object]] = []
    share = -(-arguments.mutants // arguments.jobs)
    threads = [
        threading.Thread(target=_run_range, args=(start, min(start + share, arguments.mutants), arguments, results))
        for start in range(0, arguments.mutants, share)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = Counter(str(record["outcome"]) for record in results)
    by_mutation = Counter((str(record["mutation"]), str(record["outcome"])) for record in results)
    slowest = max((float(record["seconds"]) for record in results), default=0.0)  # type: ignore[arg-type]
    print(
        f"{len(results)} mutants in {time.monotonic() - began:.0f} s (seed {arguments.seed}); slowest {slowest:.1f} s"
    )
    for outcome, count in sorted(outcomes.items()):
        print(f"  {outcome:<10} {count}")
    for (mutation, outcome), count in sorted(by_mutation.items()):
        print(f"    {mutation:<10} {outcome:<10} {count}")
    failures = [record for record in results if record["outcome"] in FAILURES]
    all_seeds = {seed.name: seed for seed in seeds()}
    for record in failures[:20]:
        print(
            f"FAIL #{record['number']} {record['seed']} {record['mutation']}: {record['outcome']}: {record['detail']}"
        )
    if arguments.keep and failures:
        arguments.keep.mkdir(parents=True, exist_ok=True)
        for mutant in mutants(list(all_seeds.values()), arguments.mutants, arguments.seed):
            if any(record["number"] == mutant.number for record in failures):
                (arguments.keep / f"mutant{mutant.number}{mutant.suffix}").write_bytes(mutant.text)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
