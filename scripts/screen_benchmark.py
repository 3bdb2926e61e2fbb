"""Benchmark: a pairwise knockout screen of the bundled model, igfnet against a loop of biodivine-aeon queries.

The screen: every single and pairwise knockout of the non-input nodes
(besides IGF1R itself) added to IGF-1R blockade (IGF1R=0), in every context
(the default one and each of rules/contexts.txt). Each query asks which
attractors a cell sitting in its context's untreated attractors reaches under
the treatment (the semantics of ``igfnet compare`` and ``igfnet screen``).

- igfnet: ``run_screen`` (the library behind ``igfnet screen``), with
  ``--jobs 1`` and with every core, timed separately (process start-up of the
  pool included).
- aeon: one Python process, the same networks as ``.bnet`` text (what
  ``igfnet export`` writes: ``apply_perturbation(model, p).to_bnet()``,
  prepared before the clock starts). Per context, the untreated attractors of
  the context network are computed once; per query, the treated network is
  read, the untreated states are transferred to it with the treatment's
  values written over them, ``Reachability.reach_fwd`` gives everything
  reachable, and ``Attractors.attractors`` the attractors inside it.

Answers are compared query by query (the set of reached attractor patterns);
the script prints both times, their ratio and the number of disagreements
(which must be 0). With ``--sample N`` aeon answers N random queries only and
its time for the whole screen is extrapolated from its mean time per query
(said so in the output).

    python scripts/screen_benchmark.py [--sample N] [--jobs N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def aeon_pattern(vertices, nodes: list[str]) -> str:
    fixed = vertices.enclosing_named_subspace()
    return "".join(str(int(fixed[node])) if node in fixed else "*" for node in nodes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, help="aeon answers only N random queries (its total is extrapolated)")
    parser.add_argument("--jobs", type=int, help="the parallel igfnet run's workers (default: every core)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the --sample draw")
    arguments = parser.parse_args()

    import biodivine_aeon as ba

    import igfnet
    from igfnet.analysis.screen import Question, ScreenSolver, default_jobs, plan_screen, run_screen
    from igfnet.perturb import apply_perturbation

    model = igfnet.load_model()
    nodes = model.nodes
    targets = [node for node in nodes if not model.rules[node].is_input and node != "IGF1R"]
    plan = plan_screen(model, base="IGF1R=0", candidates=[f"{node}=0" for node in targets], size=2)
    singles = sum(c.size == 1 for c in plan.combinations)
    print(
        f"bundled model: {len(nodes)} nodes, {len(model.inputs)} inputs; {len(plan.combinations)} knockout "
        f"combinations ({singles} single, {len(plan.combinations) - singles} pairwise) on top of IGF1R=0 x "
        f"{len(plan.contexts)} contexts = {plan.size} queries"
    )
    jobs = arguments.jobs or default_jobs()

    # -- igfnet ---------------------------------------------------------------------------------
    times = {}
    results = {}
    for run_jobs in dict.fromkeys([1, jobs]):
        start = time.perf_counter()
        results[run_jobs] = run_screen(model, plan, jobs=run_jobs)
        times[run_jobs] = time.perf_counter() - start
        print(f"igfnet --jobs {run_jobs}: {times[run_jobs]:.1f} s ({times[run_jobs] / plan.size * 1000:.2f} ms/query)")
    if len(results) > 1 and results[1].rows != results[jobs].rows:
        print("igfnet: rows differ between --jobs 1 and --jobs", jobs)
        return 1
    result = results[1]
    hits = result.hits()
    print(
        f"screen: {len(result.rows)} rows, {len(hits)} hits by {len(result.ranked())} combinations, "
        f"{sum(1 for row in result.rows if row.synergy)} synergistic; the base alone responds in "
        f"{len({row.context for row in result.rows if row.base_verdict == 'responds'})} of {len(plan.contexts)} contexts"
    )

    # -- the aeon loop ---------------------------------------------------------------------------
    queries = [(context, combination) for context in plan.contexts for combination in plan.combinations]
    if arguments.sample and arguments.sample < len(queries):
        queries = sorted(random.Random(arguments.seed).sample(queries, arguments.sample), key=queries.index)
    exports = {}
    for context, combination in queries:
        perturbation = model.perturbation(context=context, knockout=["IGF1R", *combination.fixed])
        exports[context, combination.name] = (
            apply_perturbation(model, perturbation, free_inputs=False).to_bnet(),
            dict(perturbation.treatment),
        )
    untreated_exports = {
        context: apply_perturbation(model, model.perturbation(context=context), free_inputs=False).to_bnet()
        for context in plan.contexts
    }

    answers = {}
    start = time.perf_counter()
    untreated = {}
    for context in dict.fromkeys(context for context, _ in queries):
        graph = ba.AsynchronousGraph(ba.BooleanNetwork.from_bnet(untreated_exports[context]))
        states = graph.mk_empty_colored_vertices()
        for attractor in ba.Attractors.attractors(graph):
            states = states.union(attractor)
        untreated[context] = (graph, states)
    untreated_time = time.perf_counter() - start
    for context, combination in queries:
        text, treatment = exports[context, combination.name]
        graph = ba.AsynchronousGraph(ba.BooleanNetwork.from_bnet(text))
        symbolic = graph.symbolic_context()
        context_graph, states = untreated[context]
        moved = graph.transfer_from(states, context_graph).to_bdd()
        moved = moved.r_exists([symbolic.find_network_bdd_variable(node) for node in treatment])
        initial = ba.ColoredVertexSet(symbolic, moved).intersect(graph.mk_subspace(treatment))
        reach = ba.Reachability.reach_fwd(graph, initial)
        found = ba.Attractors.attractors(graph, reach)
        answers[context, combination.name] = sorted(aeon_pattern(a.vertices(), nodes) for a in found)
    aeon_time = time.perf_counter() - start
    per_query = (aeon_time - untreated_time) / len(queries)
    if len(queries) < plan.size:
        aeon_total = untreated_time * len(plan.contexts) / len(untreated) + per_query * plan.size
        print(
            f"aeon loop: {len(queries)} sampled queries in {aeon_time:.1f} s ({per_query * 1000:.2f} ms/query); "
            f"EXTRAPOLATED to the whole screen: {aeon_total:.1f} s"
        )
    else:
        aeon_total = aeon_time
        print(
            f"aeon loop: {aeon_total:.1f} s ({per_query * 1000:.2f} ms/query; untreated states {untreated_time:.2f} s)"
        )

    # -- answers -----------------------------------------------------------------------------------
    solver = ScreenSolver(model, Question(plan.base, plan.readouts, plan.response))
    rows = {row.key: row for row in result.rows}
    disagreements = []
    for context, combination in queries:
        ours = sorted(str(attractor) for attractor in solver.response(context, combination).reached)
        if ours != answers[context, combination.name] or rows[context, combination.name].reached != len(ours):
            disagreements.append((context, combination.name))
    print(f"disagreements: {len(disagreements)} of {len(queries)} queries compared {disagreements[:5]}")
    for run_jobs, elapsed in times.items():
        print(f"ratio aeon / igfnet --jobs {run_jobs}: {aeon_total / elapsed:.1f}x (target: at least 5x)")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
