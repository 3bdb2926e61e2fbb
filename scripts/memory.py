"""Peak memory, CPU and wall time of igfnet against biodivine-aeon (and biobalm) on the same questions.

Each question is every attractor, with its exact number of states and its
pattern, of a model whose inputs are all free (every context at once): the
questions where a listing runs to tens of thousands of attractors. Each tool
runs in a process of its own, as a user runs it: igfnet as its console
script (``igfnet attractors --free-inputs --format json -O FILE``), aeon and
biobalm as the few lines their users write, reading the same network that
``igfnet export --free-inputs --format bnet`` wrote. Peak RSS is the child's
own (reported by a small launcher process), CPU time user + system. Where two tools answer, their
answers are compared (pattern and state count of every attractor).

Questions: the bundled model (16 inputs free); the bundled model as it was
before Model 2.0 (git 6792f32: 50 nodes, 14 inputs free; only from a git
checkout); bbm071 (castration-resistant prostate cancer, 14 inputs free),
bbm137 (liver cancer, 11) and bbm231 (breast cancer, 7) of shared/models/bbm beside the checkout.

Prints per question and tool the medians over ``--repeat`` runs, and
igfnet's ratio to aeon (peak RSS, CPU). ``--igfnet DIR`` runs igfnet from
another checkout (e.g. the main branch, for a before/after figure).

    python scripts/memory.py [--repeat 3] [--peer-repeat N] [--timeout 900] [--biobalm-timeout 120]
        [--tools igfnet aeon biobalm] [--only bundled bbm071] [--igfnet DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from processes import CONSOLE_SCRIPT, byte_compile_igfnet

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((folder / "shared" for folder in ROOT.parents if (folder / "shared").is_dir()), ROOT / "shared")
BBM = SHARED / "models" / "bbm"
BEFORE_MODEL_2 = "6792f32"
"""The last commit of the bundled model before Model 2.0 (50 nodes, 14 inputs)."""

AEON_WORKER = r"""
import json, sys
import biodivine_aeon as ba
network = ba.BooleanNetwork.from_file(sys.argv[1])
names = network.variable_names()
result = []
for attractor in ba.Attractors.attractors(ba.AsynchronousGraph(network)):
    vertices = attractor.vertices()
    fixed = vertices.enclosing_named_subspace()
    result.append(["".join(str(int(fixed[n])) if n in fixed else "*" for n in names), vertices.cardinality()])
json.dump({"names": names, "attractors": result}, open(sys.argv[2], "w"))
"""

BIOBALM_WORKER = r"""
import json, sys
from biobalm import SuccessionDiagram
sd = SuccessionDiagram.from_rules(open(sys.argv[1]).read())
sd.build()
names = sd.network.variable_names()
result = []
for sets in sd.expanded_attractor_sets().values():
    for vertices in sets:
        fixed = vertices.enclosing_named_subspace()
        result.append(["".join(str(int(fixed[n])) if n in fixed else "*" for n in names), vertices.cardinality()])
json.dump({"names": names, "attractors": result}, open(sys.argv[2], "w"))
"""


@dataclass(frozen=True)
class Run:
    status: str  # "ok", "timeout", or what went wrong
    peak_mb: float
    cpu: float
    wall: float


# Started by the benchmark, this small process starts the tool and reports the tool's own rusage. A
# child forked straight from the benchmark would count the benchmark's pages (the answers it has read)
# in its peak RSS until it execs.
LAUNCHER = r"""
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
error = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
report = {"code": done.returncode, "peak_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime, "error": error}
open(sys.argv[1], "w").write(json.dumps(report))
"""


def measured(command: list[str], timeout: float, env: dict[str, str] | None, report: Path) -> Run:
    """One process: its own peak RSS, CPU time (user + system) and wall time, or a timeout."""
    report.unlink(missing_ok=True)
    start = time.perf_counter()
    # Run from the report's directory: ``python -c`` puts the working directory first on sys.path, and
    # from a checkout that would import its igfnet whatever PYTHONPATH says.
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(report), *command], env=env, cwd=report.parent, start_new_session=True
    )
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the launcher and the tool: their own session
        process.wait()
        return Run("timeout", float("nan"), float("nan"), timeout)
    wall = time.perf_counter() - start
    data = json.loads(report.read_text())
    status = "ok" if data["code"] == 0 else f"exit {data['code']}: {data['error']}"
    return Run(status, data["peak_kb"] / 1024, data["cpu"], wall)


def questions(workdir: Path, only: list[str] | None) -> dict[str, Path | None]:
    """Name -> model path for igfnet (None: the bundled model)."""
    found: dict[str, Path | None] = {"bundled": None}
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE_MODEL_2, "rules"], capture_output=True)
    if archive.returncode == 0:
        tarfile.open(fileobj=BytesIO(archive.stdout)).extractall(workdir / "before")
        found["bundled-6792f32"] = workdir / "before" / "rules"
    for key in ("bbm071", "bbm137", "bbm231"):
        paths = sorted(BBM.glob(f"{key}-*.bnet"))
        if paths:
            found[key] = paths[0]
    return {name: path for name, path in found.items() if not only or any(name.startswith(o) for o in only)}


def exported(model: Path | None, workdir: Path, name: str) -> Path:
    """The model with every input free, as .bnet: what aeon and biobalm read."""
    path = workdir / f"{name}.bnet"
    arguments = ["export", "--free-inputs", "--format", "bnet", "--output", str(path)]
    if model is not None:
        arguments += ["--model", str(model)]
    subprocess.run([sys.executable, "-c", CONSOLE_SCRIPT, *arguments], check=True, cwd=ROOT)
    return path


def answer_of(path: Path) -> set[tuple[str, int]] | None:
    """(pattern in sorted node order, states) of every attractor in igfnet's JSON or a peer's."""
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    if "nodes" in data:  # igfnet's listing
        names, rows = data["nodes"], [(list(a["pattern"].values()), a["states"]) for a in data["attractors"]]
    else:
        names, rows = data["names"], [(list(pattern), count) for pattern, count in data["attractors"]]
    order = sorted(range(len(names)), key=names.__getitem__)
    return {("".join(pattern[i] for i in order), int(count)) for pattern, count in rows}


def median_run(runs: list[Run]) -> Run:
    done = [run for run in runs if run.status == "ok"]
    if not done:
        return runs[0]
    return Run(
        "ok",
        statistics.median(run.peak_mb for run in done),
        statistics.median(run.cpu for run in done),
        statistics.median(run.wall for run in done),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per question and tool (medians kept)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per run")
    parser.add_argument("--peer-repeat", type=int, help="runs per question of aeon and biobalm (default: --repeat)")
    parser.add_argument("--biobalm-timeout", type=float, default=120, help="seconds per biobalm run")
    parser.add_argument("--tools", nargs="+", default=["igfnet", "aeon", "biobalm"])
    parser.add_argument("--only", nargs="+", help="questions whose name starts with these")
    parser.add_argument("--igfnet", type=Path, default=ROOT, help="the igfnet checkout to measure")
    arguments = parser.parse_args()

    byte_compile_igfnet()
    workdir = Path(tempfile.mkdtemp(prefix="igfnet-memory-"))
    env = {**os.environ, "PYTHONPATH": str(arguments.igfnet.resolve())}
    print(f"igfnet from {arguments.igfnet}; {arguments.repeat} runs each, {arguments.timeout:g} s cap", flush=True)
    print(f"{'question':<18} {'tool':<8} {'peak MB':>8} {'CPU s':>8} {'wall s':>8} {'attr':>7}  status", flush=True)
    for name, model in questions(workdir, arguments.only).items():
        bnet = exported(model, workdir, name)
        commands = {
            "igfnet": [sys.executable, "-c", CONSOLE_SCRIPT, "attractors", "--free-inputs", "--format", "json"],
            "aeon": [sys.executable, "-c", AEON_WORKER, str(bnet)],
            "biobalm": [sys.executable, "-c", BIOBALM_WORKER, str(bnet)],
        }
        if model is not None:
            commands["igfnet"] += ["--model", str(model)]
        medians: dict[str, Run] = {}
        answers: dict[str, set[tuple[str, int]] | None] = {}
        for tool in arguments.tools:
            output = workdir / f"{name}.{tool}.json"
            runs = []
            repeat = arguments.repeat if tool == "igfnet" else arguments.peer_repeat or arguments.repeat
            timeout = arguments.biobalm_timeout if tool == "biobalm" else arguments.timeout
            for _ in range(repeat):
                output.unlink(missing_ok=True)
                command = [*commands[tool], "--output" if tool == "igfnet" else "", str(output)]
                runs.append(measured([part for part in command if part], timeout, env, workdir / "rusage.json"))
                if runs[-1].status != "ok":
                    break  # a timeout or a crash repeats: no need to wait for it again
            medians[tool] = median_run(runs)
            answers[tool] = answer_of(output) if medians[tool].status == "ok" else None
            run = medians[tool]
            count = len(answers[tool] or ()) if answers[tool] is not None else "-"
            print(
                f"{name:<18} {tool:<8} {run.peak_mb:>8.0f} {run.cpu:>8.1f} {run.wall:>8.1f} {count!s:>7}  "
                f"{run.status} ({len(runs)} runs)",
                flush=True,
            )
        ours, theirs = medians.get("igfnet"), medians.get("aeon")
        if ours and theirs and ours.status == theirs.status == "ok":
            print(
                f"{'':<18} igfnet/aeon: peak RSS {ours.peak_mb / theirs.peak_mb:.2f}x, CPU {ours.cpu / theirs.cpu:.2f}x",
                flush=True,
            )
        answered = {tool: answer for tool, answer in answers.items() if answer is not None}
        if len(answered) > 1:
            agree = len({frozenset(answer) for answer in answered.values()}) == 1
            print(f"{'':<18} answers of {', '.join(answered)}: {'agree' if agree else 'DIFFER'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
