"""Check igfnet's attractors against biodivine-aeon on the published models of ../shared/models/bbm.

For every model, the inputs (``x, x``) are fixed at random (seeded by the
model's name), and both tools compute every attractor in a process of their
own, with a time limit. Reports, per model, the number of attractors, each
tool's time per process (start-up included) and whether the two agree on
every attractor's pattern and exact number of states; then the count solved,
the disagreements and the median time ratio.

    python scripts/bbm_vs_aeon.py [--models DIR] [--timeout 60] [--output results.csv] [--only bbm002]

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


def igfnet_attractors(path: Path, settings: dict[str, int], timeout: float):
    command = igfnet_command("attractors", "--model", str(path), "--format", "json")
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parent.parent
    parser.add_argument("--models", type=Path, default=here.parent / "shared" / "models" / "bbm")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per tool and model")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, help="CSV of per-model results")
    parser.add_argument("--only", help="regular expression on file names")
    arguments = parser.parse_args()

    byte_compile_igfnet()
    files = sorted(arguments.models.glob("*.bnet"))
    if arguments.only:
        files = [f for f in files if re.search(arguments.only, f.name)]
    if not files:
        parser.error(
            f"no .bnet models in {arguments.models}" + (f" matching {arguments.only!r}" if arguments.only else "")
        )
    rows = []
    print(f"{'model':<44} {'nodes':>5} {'attr':>5} {'igfnet s':>9} {'aeon s':>8}  verdict", flush=True)
    for path in files:
        rng = random.Random(f"{arguments.seed}:{path.name}")
        settings = {name: rng.randint(0, 1) for name in inputs_of(path)}
        nodes_count = sum(1 for line in path.read_text().splitlines() if "," in line and not line.startswith("#")) - 1
        aeon_time, aeon, aeon_status = aeon_attractors(path, settings, arguments.timeout)
        ours_time, ours, ours_status = igfnet_attractors(path, settings, arguments.timeout)
        if aeon is None or ours is None:
            verdict = f"aeon {aeon_status}, igfnet {ours_status}"
            count = ""
        else:
            order, ours_list = ours
            count = len(ours_list)
            dropped = [name for name in order if name not in aeon[0]]
            if dropped:
                # aeon's .bnet reader takes a node named "Targets" for the header line and drops it.
                verdict = f"not comparable: aeon dropped node(s) {', '.join(dropped)}"
            else:
                theirs = reorder(aeon[0], aeon[1], order)
                verdict = "agree" if theirs == [tuple(a) for a in ours_list] else "DISAGREE"
        rows.append(
            {
                "model": path.stem,
                "nodes": nodes_count,
                "attractors": count,
                "igfnet_s": round(ours_time, 3),
                "aeon_s": round(aeon_time, 3),
                "igfnet": ours_status,
                "aeon": aeon_status,
                "verdict": verdict,
            }
        )
        print(
            f"{path.stem[:44]:<44} {nodes_count:>5} {count!s:>5} {ours_time:>9.2f} {aeon_time:>8.2f}  {verdict}",
            flush=True,
        )

    if arguments.output:
        with arguments.output.open("w", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    solved_by_aeon = [r for r in rows if r["aeon"] == "ok"]
    both = [r for r in rows if r["verdict"] in ("agree", "DISAGREE")]
    disagreements = [r["model"] for r in rows if r["verdict"] == "DISAGREE"]
    print()
    print(
        f"models: {len(rows)}; aeon solved {len(solved_by_aeon)} within {arguments.timeout:g} s; "
        f"igfnet solved {sum(r['igfnet'] == 'ok' for r in rows)}; both: {len(both)}"
    )
    missed = [r["model"] for r in solved_by_aeon if r["igfnet"] != "ok"]
    print(f"solved by aeon but not by igfnet within the limit: {len(missed)} {missed}")
    print(f"disagreements: {len(disagreements)} {disagreements}")
    if both:
        ratios = [r["igfnet_s"] / r["aeon_s"] for r in both if r["aeon_s"] > 0]
        print(
            f"time per process, igfnet / aeon: median {statistics.median(ratios):.2f}, "
            f"quartiles {statistics.quantiles(ratios, n=4)[0]:.2f}-{statistics.quantiles(ratios, n=4)[2]:.2f}; "
            f"medians {statistics.median(r['igfnet_s'] for r in both):.2f} s vs {statistics.median(r['aeon_s'] for r in both):.2f} s"
        )
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
