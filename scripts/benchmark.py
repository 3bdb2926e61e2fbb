"""Benchmark: the bundled IGF-1R model, igfnet against biodivine-aeon on the same work.

1. Per process: every single knockout of the bundled model (default context),
   one process per query, start-up included: `igfnet attractors --knockout X`
   (run as its console script runs it) against a Python process that loads
   the same network, exported by `igfnet export --knockout X --format bnet`,
   into biodivine-aeon. Both do the same work: every attractor with its
   exact number of states and its pattern, printed as CSV; the two outputs
   are compared attractor by attractor. The main job must stay under 1.5x
   a bare biodivine-aeon process (issue 13).
2. Per query, in one process: the same knockouts as library calls (igfnet
   as `model.attractors` does it, and with one symbolic solver reused across
   queries; aeon with one network per query).
3. All inputs free (every context at once), igfnet, in one process.

Prints medians and the ratio igfnet / aeon (below 1: igfnet is faster).
igfnet's modules are byte-compiled first, as `pip install` does: run from a
checkout with PYTHONDONTWRITEBYTECODE set, every process would otherwise
compile them again.
These machines are noisy: compare ratios and medians, not single times.

    python scripts/benchmark.py [--repeat 3] [--limit N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from processes import byte_compile_igfnet, igfnet_command

# What an aeon user writes for the main job: every attractor, its states and its pattern.
AEON_PROCESS = r"""
import sys
import biodivine_aeon as ba
network = ba.BooleanNetwork.from_file(sys.argv[1])
names = network.variable_names()
print(",".join(["attractor", *names, "states"]))
for index, attractor in enumerate(ba.Attractors.attractors(ba.AsynchronousGraph(network))):
    vertices = attractor.vertices()
    fixed = vertices.enclosing_named_subspace()
    pattern = [str(int(fixed[name])) if name in fixed else "*" for name in names]
    print(",".join([str(index), *pattern, str(vertices.cardinality())]))
"""


def attractor_set(csv_text: str) -> set[tuple[tuple[tuple[str, str], ...], str]]:
    """The attractors in a CSV (attractor, nodes..., states), as comparable (pattern, states) pairs."""
    header, *rows = (line.split(",") for line in csv_text.strip().splitlines())
    return {(tuple(sorted(zip(header[1:-1], row[1:-1]))), row[-1]) for row in rows}


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system) and output of one process.

    CPU time is the steadier figure on a shared machine: waiting for a core
    inflates wall time, not CPU time.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per query and tool (the median is kept)")
    parser.add_argument("--limit", type=int, help="only the first N knockouts")
    arguments = parser.parse_args()

    import biodivine_aeon as ba

    import igfnet
    from igfnet.dynamics.attractors import AttractorSolver, attractors_of_model

    byte_compile_igfnet()
    model = igfnet.load_model()
    targets = [node for node in model.nodes if not model.rules[node].is_input][: arguments.limit]
    print(f"bundled model: {len(model.nodes)} nodes, {len(model.inputs)} inputs; {len(targets)} single knockouts")

    workdir = Path(tempfile.mkdtemp(prefix="igfnet-bench-"))
    exports = {}
    for node in targets:
        path = workdir / f"ko_{node}.bnet"
        subprocess.run(
            [sys.executable, "-m", "igfnet", "export", "--knockout", node, "--output", str(path)], check=True
        )
        exports[node] = path

    # 1. per process
    tools = ("igfnet", "aeon")
    medians: dict[tuple[str, str], list[float]] = {(tool, clock): [] for tool in tools for clock in ("wall", "CPU")}
    mismatches = []
    for node in targets:
        attractors_command = igfnet_command("attractors", "--knockout", node, "--format", "csv")
        commands = {
            "igfnet": (attractors_command, None),
            "aeon": ([sys.executable, "-c", AEON_PROCESS, str(exports[node])], None),
        }
        runs: dict[str, list[tuple[float, float]]] = {tool: [] for tool in tools}
        outputs = {}
        for _ in range(arguments.repeat):  # interleaved, so a slow spell of the machine hits every tool
            for tool, (command, env) in commands.items():
                wall, cpu, outputs[tool] = timed(command, env)
                runs[tool].append((wall, cpu))
        if attractor_set(outputs["igfnet"]) != attractor_set(outputs["aeon"]):
            mismatches.append(node)
        for tool in tools:
            medians[tool, "wall"].append(statistics.median(wall for wall, _ in runs[tool]))
            medians[tool, "CPU"].append(statistics.median(cpu for _, cpu in runs[tool]))
    print("\n1. per process (start-up included), median over knockouts:")
    for clock in ("wall", "CPU"):
        theirs = medians["aeon", clock]
        print(f"   {clock:4}: aeon {statistics.median(theirs) * 1000:.0f} ms")
        for tool in tools[:1]:
            ours = medians[tool, clock]
            ratios = [a / b for a, b in zip(ours, theirs)]
            print(
                f"         {tool:16} {statistics.median(ours) * 1000:.0f} ms; ratio igfnet/aeon median "
                f"{statistics.median(ratios):.2f} (max {max(ratios):.2f})"
            )
    print(f"   attractors (patterns and state counts) differ for {len(mismatches)} knockouts {mismatches}")

    # 2. per query, one process
    start = time.perf_counter()
    for node in targets:
        attractors_of_model(model, model.perturbation(knockout=[node]))
    our_total = time.perf_counter() - start
    solver = AttractorSolver(model.nodes)
    start = time.perf_counter()
    for node in targets:
        attractors_of_model(model, model.perturbation(knockout=[node]), solver=solver)
    symbolic_total = time.perf_counter() - start
    start = time.perf_counter()
    for node in targets:
        network = ba.BooleanNetwork.from_file(str(exports[node]))
        ba.Attractors.attractors(ba.AsynchronousGraph(network))
    their_total = time.perf_counter() - start
    print("\n2. per query, in one process:")
    print(
        f"   igfnet {our_total / len(targets) * 1000:.1f} ms/query, aeon {their_total / len(targets) * 1000:.1f} ms/query; "
        f"ratio {our_total / their_total:.2f}"
    )
    print(
        f"   igfnet forced symbolic, one solver: {symbolic_total / len(targets) * 1000:.1f} ms/query; "
        f"ratio {symbolic_total / their_total:.2f}"
    )

    # 3. all inputs free
    start = time.perf_counter()
    free = model.attractors(free_inputs=True)
    elapsed = time.perf_counter() - start
    print(f"\n3. all {len(model.inputs)} inputs free: {len(free)} attractors in {elapsed:.1f} s (target: under 60 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
