"""Check igfnet's attractors against biodivine-aeon on the published models of ../shared/models/bbm.

For every model, the inputs (``x, x``) are fixed at random (seeded by the
model's name), and both tools compute every attractor in a process of their
own, with a time limit. Reports, per model, the number of attractors, each
tool's time per process (start-up included) and whether the two agree on
every attractor's pattern and exact number of states; then the count solved,
the disagreements and the median time ratio.

    python scripts/bbm_vs_aeon.py [--models DIR] [--timeout 60] [--output results.csv] [--only bbm002]
        [--engines auto succession]

With several ``--engines``, igfnet runs once per engine (``igfnet attractors
--engine``) and each answer is compared with aeon's, and with the other
engines' where aeon gives none.

biodivine-aeon is a test-only dependency: pip install '.[test]'.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from processes import byte_compile_igfnet, igfnet_command

AEON_WORKER = r"""
import json, sys
import biodivine_aeon as ba
path, settings = sys.argv[1], json.loads(sys.argv[2])
bn = ba.BooleanNetwork.from_bnet(open(path).read())
for name, value in settings.items():
    bn.set_update_function(name, "true" if value else "false")
bn = bn.infer_valid_graph()
graph = ba.AsynchronousGraph(bn)
result = []
for attractor in ba.Attractors.attractors(graph):
    vertices = attractor.vertices()
    fixed = vertices.enclosing_named_subspace()
    pattern = "".join(str(int(fixed[name])) if name in fixed else "*" for name in bn.variable_names())
    result.append([pattern, vertices.cardinality()])
print(json.dumps({"names": bn.variable_names(), "attractors": result}))
"""


def inputs_of(path: Path) -> list[str]:
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "," in line:
            target, body = (part.strip() for part in line.split(",", 1))
            if target == body and target.lower() != "targets":
                names.append(target)
    return names


def run(command: list[str], timeout: float) -> tuple[float, str | None, str]:
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, None, "timeout"
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return elapsed, None, f"error: {last[:120]}"
    return elapsed, done.stdout, "ok"


def igfnet_attractors(path: Path, settings: dict[str, int], timeout: float, engine: str = "auto"):
    command = igfnet_command("attractors", "--model", str(path), "--format", "json", "--engine", engine)
    if settings:
        command += ["--set", ",".join(f"{name}={value}" for name, value in settings.items())]
    elapsed, out, status = run(command, timeout)
    if out is None:
        return elapsed, None, status
    data = json.loads(out)
    nodes = data["nodes"]
    return (
        elapsed,
        (nodes, sorted(("".join(a["pattern"][n] for n in nodes), a["states"]) for a in data["attractors"])),
        status,
    )


def aeon_attractors(path: Path, settings: dict[str, int], timeout: float):
    elapsed, out, status = run([sys.executable, "-c", AEON_WORKER, str(path), json.dumps(settings)], timeout)
    if out is None:
        return elapsed, None, status
    data = json.loads(out)
    return elapsed, (data["names"], data["attractors"]), status


def reorder(names: list[str], attractors: list, order: list[str]) -> list[tuple[str, int]]:
    index = [names.index(name) for name in order]
    return sorted(("".join(pattern[i] for i in index), int(states)) for pattern, states in attractors)


def compare(ours, aeon) -> str:
    """'agree', 'DISAGREE' or why the two answers cannot be compared."""
    order, ours_list = ours
    dropped = [name for name in order if name not in aeon[0]]
    if dropped:
        # aeon's .bnet reader takes a node named "Targets" for the header line and drops it.
        return f"not comparable: aeon dropped node(s) {', '.join(dropped)}"
    theirs = reorder(aeon[0], aeon[1], order)
    return "agree" if theirs == [tuple(a) for a in ours_list] else "DISAGREE"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parent.parent
    parser.add_argument("--models", type=Path, default=here.parent / "shared" / "models" / "bbm")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per tool and model")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, help="CSV of per-model results")
    parser.add_argument("--only", help="regular expression on file names")
    parser.add_argument(
        "--engines",
        nargs="+",
        default=["auto"],
        choices=["auto", "symbolic", "trapspaces", "succession"],
        help="igfnet engines to run, each in its own process",
    )
    arguments = parser.parse_args()
    engines = arguments.engines

    byte_compile_igfnet()
    files = sorted(arguments.models.glob("*.bnet"))
    if arguments.only:
        files = [f for f in files if re.search(arguments.only, f.name)]
    if not files:
        parser.error(
            f"no .bnet models in {arguments.models}" + (f" matching {arguments.only!r}" if arguments.only else "")
        )
    rows = []
    times = " ".join(f"{engine[:9] + ' s':>11}" for engine in engines)
    print(f"{'model':<44} {'nodes':>5} {'attr':>5} {times} {'aeon s':>8}  verdict", flush=True)
    for path in files:
        rng = random.Random(f"{arguments.seed}:{path.name}")
        settings = {name: rng.randint(0, 1) for name in inputs_of(path)}
        nodes_count = sum(1 for line in path.read_text().splitlines() if "," in line and not line.startswith("#")) - 1
        aeon_time, aeon, aeon_status = aeon_attractors(path, settings, arguments.timeout)
        row: dict[str, object] = {"model": path.stem, "nodes": nodes_count, "attractors": ""}
        verdicts, answers = [], []
        for engine in engines:
            ours_time, ours, ours_status = igfnet_attractors(path, settings, arguments.timeout, engine)
            row[f"{engine}_s"] = round(ours_time, 3)
            row[engine] = ours_status
            if ours is not None:
                row["attractors"] = len(ours[1])
                answers.append(ours)
            if aeon is None or ours is None:
                verdict = f"aeon {aeon_status}, {engine} {ours_status}"
            else:
                verdict = compare(ours, aeon)
            row[f"{engine}_verdict"] = verdict
            verdicts.append(verdict if len(engines) == 1 else f"{engine}: {verdict}")
        if aeon is None and len(answers) > 1:
            same = all(answer[1] == answers[0][1] for answer in answers)
            verdicts.append("engines agree" if same else "engines DISAGREE")
            row["engines_verdict"] = "agree" if same else "DISAGREE"
        row["aeon_s"] = round(aeon_time, 3)
        row["aeon"] = aeon_status
        rows.append(row)
        cells = " ".join(f"{row[f'{engine}_s']:>11.2f}" for engine in engines)
        print(
            f"{path.stem[:44]:<44} {nodes_count:>5} {row['attractors']!s:>5} {cells} {aeon_time:>8.2f}  "
            + "; ".join(verdicts),
            flush=True,
        )

    if arguments.output:
        with arguments.output.open("w", newline="") as stream:
            columns = list(dict.fromkeys(key for row in rows for key in row))  # rows without aeon's answer lack some
            writer = csv.DictWriter(stream, fieldnames=columns, restval="")
            writer.writeheader()
            writer.writerows(rows)
    solved_by_aeon = [r for r in rows if r["aeon"] == "ok"]
    disagreements = [
        f"{r['model']} ({engine})" for r in rows for engine in engines if r[f"{engine}_verdict"] == "DISAGREE"
    ] + [f"{r['model']} (engines)" for r in rows if r.get("engines_verdict") == "DISAGREE"]
    print()
    print(f"models: {len(rows)}; aeon solved {len(solved_by_aeon)} within {arguments.timeout:g} s")
    for engine in engines:
        both = [r for r in rows if r[f"{engine}_verdict"] in ("agree", "DISAGREE")]
        solved = [r for r in rows if r[engine] == "ok"]
        missed = [r["model"] for r in solved_by_aeon if r[engine] != "ok"]
        print(
            f"{engine}: solved {len(solved)}; both {len(both)}; "
            f"solved by aeon but not by igfnet within the limit: {len(missed)} {missed}"
        )
        if len(both) > 1:
            ratios = [r[f"{engine}_s"] / r["aeon_s"] for r in both if r["aeon_s"] > 0]
            print(
                f"  time per process, igfnet / aeon: median {statistics.median(ratios):.2f}, "
                f"quartiles {statistics.quantiles(ratios, n=4)[0]:.2f}-{statistics.quantiles(ratios, n=4)[2]:.2f}; "
                f"medians {statistics.median(r[f'{engine}_s'] for r in both):.2f} s "
                f"vs {statistics.median(r['aeon_s'] for r in both):.2f} s; "
                f"slowest {max(r[f'{engine}_s'] for r in solved):.1f} s"
            )
    if len(engines) > 1:
        first = engines[0]
        for engine in engines[1:]:
            paired = [r for r in rows if r[first] == "ok" and r[engine] == "ok"]
            if paired:
                ratios = [r[f"{engine}_s"] / r[f"{first}_s"] for r in paired]
                print(
                    f"{engine} / {first} per model ({len(paired)} both answered): median {statistics.median(ratios):.2f}, "
                    f"range {min(ratios):.2f}-{max(ratios):.2f}"
                )
    print(f"disagreements: {len(disagreements)} {disagreements}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
