"""The probability of response: chains worked out on paper, a brute-force linear solve, and simulation."""

from __future__ import annotations

import random
from fractions import Fraction

import networkx
import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import state_graph
from strategies import networks, partial_states, random_models

from igfnet.analysis.response import ResponseSolver
from igfnet.dynamics.attractors import AttractorSolver
from igfnet.dynamics.markov import absorption, response_probability, wilson
from igfnet.errors import UnknownNodeError
from igfnet.formats import load_model
from igfnet.logic import evaluate
from igfnet.rules import parse_expression


def functions_of(text: str) -> dict:
    result = {}
    for line in text.strip().splitlines():
        target, expression = line.split("=")
        result[target.strip()] = parse_expression(expression)
    return result


def by_pattern(result) -> dict[str, Fraction]:
    assert result.exact is not None
    return {str(attractor): probability for attractor, probability in zip(result.attractors, result.exact)}


# -- chains worked out on paper ---------------------------------------------------------


def test_toggle_switch_from_11_falls_either_way_with_probability_one_half():
    toggle = functions_of("A = not B\nB = not A")
    assert by_pattern(absorption(toggle, [({"A": 1, "B": 1}, 1)])) == {"01": Fraction(1, 2), "10": Fraction(1, 2)}


def test_toggle_switch_from_a_fixed_point_stays_there():
    toggle = functions_of("A = not B\nB = not A")
    assert by_pattern(absorption(toggle, [({"A": 0, "B": 1}, 1)])) == {"01": Fraction(1)}


# A negative loop A -> B -| A cycles 10 -> 11 -> 01 -> 00 -> 10. Two latches race to stop it:
# X is set in 11, Y in 00, and each, once set, shuts the other out. From 10 (X = Y = 0):
#   h(11) = 1/2 + 1/2 h(01)   (A or X can change: X latches)
#   h(01) = h(00)              (only B can change)
#   h(00) = 1/2 h(10)          (A or Y can change: Y latches, X is lost)
#   h(10) = h(11)              (only B can change)
# so h = 1/2 + 1/4 h: X wins with probability 2/3. The cycle is a transient component of four states.
RACE = """
A = not B
B = A
X = (A and B or X) and not Y
Y = (not A and not B or Y) and not X
P = X
"""


def test_race_out_of_a_transient_cycle_is_won_by_the_first_latch_with_probability_two_thirds():
    result = absorption(functions_of(RACE), [({"A": 1, "B": 0, "X": 0, "Y": 0, "P": 0}, 1)])
    assert by_pattern(result) == {"**101": Fraction(2, 3), "**010": Fraction(1, 3)}
    # P is an output (set aside while enumerating): 4 cycle states x 3 latch states (00, 10, 01) at most.
    assert result.states <= 12
    assert [attractor.states for attractor in result.attractors] == [4, 4]


def test_race_started_from_00_favours_the_second_latch():
    # By symmetry with the derivation above: from 00 Y latches first with probability 2/3.
    result = absorption(functions_of(RACE), [({"A": 0, "B": 0, "X": 0, "Y": 0, "P": 0}, 1)])
    assert by_pattern(result) == {"**101": Fraction(1, 3), "**010": Fraction(2, 3)}


def test_initial_weights_mix_the_starting_states():
    # Weight 1 on 10 (X wins 2/3) and weight 3 on 00 (X wins 1/3): 1/4 * 2/3 + 3/4 * 1/3 = 5/12.
    start = {"X": 0, "Y": 0, "P": 0}
    result = absorption(functions_of(RACE), [(start | {"A": 1, "B": 0}, 1), (start | {"A": 0, "B": 0}, 3)])
    assert by_pattern(result)["**101"] == Fraction(5, 12)


def test_a_cube_spreads_its_weight_over_its_states():
    # The cube leaves A and B free: the four cycle states, each 1/4. X wins with 2/3 from 10 and 11
    # (see RACE) and 1/3 from 00 and 01 (1/2 h(10) = 1/3): on average 1/2.
    result = absorption(functions_of(RACE), [({"X": 0, "Y": 0, "P": 0}, 1)])
    assert by_pattern(result) == {"**101": Fraction(1, 2), "**010": Fraction(1, 2)}


def test_response_probability_sums_the_responding_attractors():
    result = response_probability(
        functions_of(RACE), [({"A": 1, "B": 0, "X": 0, "Y": 0, "P": 0}, 1)], lambda a: a["P"] == "1"
    )
    assert (result.exact, result.method, result.low, result.high) == (Fraction(2, 3), "exact", 2 / 3, 2 / 3)
    assert result.samples == 0 and result.value == pytest.approx(2 / 3)


def test_wilson_interval_matches_the_textbook_formula():
    # 8 of 10: Wilson (1927) 95% interval [0.4902, 0.9433] (Newcombe 1998, Table I).
    low, high = wilson(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert wilson(0, 20)[0] == 0.0 and wilson(20, 20)[1] == 1.0


# -- through the ResponseSolver, on hand-made models ---------------------------------------


def write_model(tmp_path, rules: str, drugs: str = ""):
    (tmp_path / "m.rules").write_text(rules)
    if drugs:
        (tmp_path / "drugs.txt").write_text(drugs)
    return load_model(tmp_path)


def test_probability_of_the_race_under_blockade_is_one_half(tmp_path):
    # From the untreated fixed point (R on, X = Y = 0) the blocker frees X and Y at once: a fair race.
    model = write_model(
        tmp_path,
        "R = input 1\nX = not R and (not Y or X)\nY = not R and (not X or Y)\nG = R or X\n",
        "drug blocker\n    inhibits: R\n",
    )
    result = ResponseSolver(model).probability("default", "blocker", response={"G": 0})
    assert (result.exact, result.method) == (Fraction(1, 2), "exact")


def test_untreated_states_are_weighted_uniformly_before_the_treatment_is_written_over_them(tmp_path):
    # Untreated: Z free; Z=0 gives the 4-state cycle of A, B; Z=1 the fixed point 100. Writing A=1 over
    # them gives 010, 011 (two states each) and 110 (one): Z=0 carries 4/5 of the mass, not 2/3.
    model = write_model(tmp_path, "Z = input\nA = not B and not Z\nB = A and not Z\n")
    result = ResponseSolver(model).probability("default", "A=1", response={"Z": 0})
    assert result.exact == Fraction(4, 5)


def test_default_response_is_proliferation_off_and_unknown_nodes_are_named(tmp_path):
    model = write_model(tmp_path, "R = input 1\nProliferation = R\n", "drug blocker\n    inhibits: R\n")
    solver = ResponseSolver(model)
    assert solver.probability("default", "blocker").exact == 1
    assert solver.probability("default", "none").exact == 0
    with pytest.raises(UnknownNodeError, match="unknown response node 'Prolif'"):
        solver.probability("default", "blocker", response={"Prolif": 0})


# -- against a brute-force solve and against simulation, on random networks -------------------


def brute_force_absorption(functions: dict, start: dict) -> dict[str, float]:
    """Absorption probabilities by a dense linear solve over the whole state graph (no reduction)."""
    nodes = list(functions)
    graph = state_graph(functions)
    states = list(graph)
    index = {state: i for i, state in enumerate(states)}
    size = len(states)
    transition = numpy.zeros((size, size))
    for state in states:
        following = list(graph.successors(state))
        for target in following:
            transition[index[state], index[target]] = 1 / len(following)
    initial = numpy.zeros(size)
    starts = [s for s in states if all(s[nodes.index(n)] == v for n, v in start.items())]
    for state in starts:
        initial[index[state]] = 1 / len(starts)
    result = {}
    components = [sorted(c) for c in networkx.attracting_components(graph)]
    absorbing = {state for component in components for state in component}
    transient = [index[s] for s in states if s not in absorbing]
    # Visits to transient states: v = a (I - Q)^-1; then the mass entering each attractor.
    q = transition[numpy.ix_(transient, transient)]
    visits = numpy.linalg.solve((numpy.eye(len(transient)) - q).T, initial[transient]) if transient else []
    for component in components:
        members = [index[s] for s in component]
        mass = initial[members].sum()
        if transient:
            mass += visits @ transition[numpy.ix_(transient, members)].sum(axis=1)
        if mass > 1e-12:
            pattern = "".join(
                "*" if len({s[i] for s in component}) == 2 else str(component[0][i]) for i in range(len(nodes))
            )
            result[pattern] = result.get(pattern, 0.0) + mass
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_exact_probabilities_match_a_brute_force_linear_solve(data):
    functions = data.draw(networks(max_nodes=7))
    start = data.draw(partial_states(list(functions)))
    result = absorption(functions, [(start, 1)])
    expected = brute_force_absorption(functions, start)
    assert by_pattern(result).keys() == expected.keys()
    for pattern, probability in by_pattern(result).items():
        assert float(probability) == pytest.approx(expected[pattern], abs=1e-9)
    assert sum(result.exact or ()) == 1


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_attractors_reached_are_those_the_symbolic_engine_finds(data):
    functions = data.draw(networks(max_nodes=8))
    start = data.draw(partial_states(list(functions)))
    solver = AttractorSolver(list(functions))
    symbolic = solver.reachable_attractors(functions, solver.space.cube(start))
    expected = sorted((str(a), a.states) for a in map(solver.describe, symbolic))
    result = absorption(functions, [(start, 1)])
    assert sorted((str(a), a.states) for a in result.attractors) == expected


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_rational_and_float_solutions_agree(data):
    functions = data.draw(networks(min_nodes=3, max_nodes=8))
    start = data.draw(partial_states(list(functions)))
    rational = absorption(functions, [(start, 1)])
    real = absorption(functions, [(start, 1)], exact_limit=0)
    assert real.exact is None and rational.exact is not None
    assert [str(a) for a in real.attractors] == [str(a) for a in rational.attractors]
    assert real.probabilities == pytest.approx([float(p) for p in rational.exact], abs=1e-9)
    assert real.error < 1e-9


def test_iterative_solution_of_large_components_agrees_with_the_rational_one(monkeypatch):
    # Force GMRES (used beyond LU_LIMIT states per component) on the race's four-state transient cycle,
    # and on a network whose reachable states form larger components.
    from igfnet.dynamics import markov

    monkeypatch.setattr(markov, "LU_LIMIT", 1)
    race = absorption(functions_of(RACE), [({"A": 1, "B": 0, "X": 0, "Y": 0, "P": 0}, 1)], exact_limit=0)
    assert race.probabilities == pytest.approx(
        [1 / 3, 2 / 3], abs=1e-12
    )  # **010 (Y) sorts first and race.error < 1e-12
    ring = {f"a{i}": ("not", "a5") if i == 0 else f"a{i - 1}" for i in range(6)}
    ring |= {"X": ("and", ("or", ("and", "a0", "a1"), "X"), ("not", "Y"))}
    ring |= {"Y": ("and", ("or", ("and", ("not", "a0"), ("not", "a1")), "Y"), ("not", "X"))}
    start = [({node: 0 for node in ring}, 1)]
    rational, real = absorption(ring, start), absorption(ring, start, exact_limit=0)
    assert rational.exact is not None and real.states == rational.states == 36  # a 12-state cycle x 3 latch states
    assert real.probabilities == pytest.approx([float(p) for p in rational.exact], abs=1e-10)
    assert real.error < 1e-10


def simulate(functions: dict, start: dict, samples: int, rng: random.Random) -> dict[str, int]:
    """A naive simulation over every node (outputs and constants included) to a terminal component."""
    nodes = list(functions)
    graph = state_graph(functions)
    home = {}
    for component in networkx.attracting_components(graph):
        pattern = "".join(
            "*" if len({s[i] for s in component}) == 2 else str(next(iter(component))[i]) for i in range(len(nodes))
        )
        home |= dict.fromkeys(component, pattern)
    counts: dict[str, int] = {}
    for _ in range(samples):
        state = tuple(start[n] if n in start else rng.getrandbits(1) for n in nodes)
        while state not in home:
            values = dict(zip(nodes, state))
            movable = [i for i, n in enumerate(nodes) if int(evaluate(functions[n], values)) != state[i]]
            i = rng.choice(movable)
            state = state[:i] + (1 - state[i],) + state[i + 1 :]
        counts[home[state]] = counts.get(home[state], 0) + 1
    return counts


# z = 4.42: a two-sided 1e-5 level, so the many comparisons below fail by chance about once in 10^3 runs;
# a wrong engine (a probability off by 0.1) fails with certainty at 3000 samples.
Z = 4.42


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_exact_value_lies_in_the_interval_of_a_long_simulation(data):
    functions = data.draw(networks(min_nodes=2, max_nodes=6))
    start = data.draw(partial_states(list(functions)))
    samples = 3000
    counts = simulate(functions, start, samples, random.Random(1))
    for pattern, probability in by_pattern(absorption(functions, [(start, 1)])).items():
        low, high = wilson(counts.get(pattern, 0), samples, z=Z)
        assert low <= probability <= high, (pattern, probability, counts)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_monte_carlo_forced_by_a_tiny_state_limit_agrees_with_the_exact_value(data):
    functions = data.draw(networks(min_nodes=2, max_nodes=6))
    start = data.draw(partial_states(list(functions)))
    node = data.draw(st.sampled_from(list(functions)))

    def responds(attractor):
        return attractor[node] == "0"

    exact = response_probability(functions, [(start, 1)], responds)
    estimate = response_probability(functions, [(start, 1)], responds, max_states=0, samples=2000, seed=7)
    assert (estimate.method, estimate.samples, estimate.states) == ("monte-carlo", 2000, 0)
    assert exact.method == "exact"
    # The reported interval is 95%; at the 1e-5 level the estimate must hold the exact value.
    hits = round(estimate.value * estimate.samples)
    low, high = wilson(hits, estimate.samples, z=Z)
    assert low <= exact.value <= high
    assert estimate.low <= estimate.value <= estimate.high
    assert sorted(map(str, (a for a, _ in estimate.absorption))) == sorted(map(str, (a for a, _ in exact.absorption)))


def test_monte_carlo_is_reproducible_with_its_seed():
    functions = functions_of(RACE)
    start = [({"A": 1, "B": 0, "X": 0, "Y": 0, "P": 0}, 1)]
    first = absorption(functions, start, max_states=0, samples=500, seed=3)
    again = absorption(functions, start, max_states=0, samples=500, seed=3)
    other = absorption(functions, start, max_states=0, samples=500, seed=4)
    assert first == again and first.probabilities != other.probabilities


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=random_models(max_nodes=6), data=st.data())
def test_probability_is_exactly_the_share_when_all_or_none_of_the_reached_attractors_respond(model, data):
    node = data.draw(st.sampled_from(model.nodes))
    value = data.draw(st.integers(0, 1))
    treated = data.draw(st.sampled_from(model.nodes))
    treatment = data.draw(st.sampled_from(["none", f"{treated}=0", f"{treated}=1"]))
    solver = ResponseSolver(model)
    reached = solver.response("default", treatment).reached
    responding = sum(attractor.pattern[node] == str(value) for attractor in reached)
    result = solver.probability("default", treatment, response={node: value})
    assert sorted(map(str, reached)) == sorted(str(a) for a, _ in result.absorption)
    if responding in (0, len(reached)):
        assert result.exact == Fraction(responding, len(reached))
    else:
        assert 0 < result.exact < 1
    assert sum(p for _, p in result.absorption) == pytest.approx(1.0)


def test_every_state_of_a_cube_is_a_start():
    # With nothing given, the start is every state: the toggle ends either way with 1/2 (00 and 11 split,
    # 01 and 10 stay).
    toggle = functions_of("A = not B\nB = not A")
    assert by_pattern(absorption(toggle, [({}, 1)])) == {"01": Fraction(1, 2), "10": Fraction(1, 2)}


def test_response_solver_falls_back_to_monte_carlo_beyond_max_states(tmp_path):
    model = write_model(
        tmp_path,
        "R = input 1\nX = not R and (not Y or X)\nY = not R and (not X or Y)\nG = R or X\n",
        "drug blocker\n    inhibits: R\n",
    )
    result = ResponseSolver(model).probability("default", "blocker", response={"G": 0}, max_states=0, samples=2000)
    assert (result.method, result.samples, result.states, result.exact) == ("monte-carlo", 2000, 0, None)
    assert result.low < 0.5 < result.high and result.high - result.low < 0.05
    reached = ResponseSolver(model).response("default", "blocker").reached
    assert sorted(str(a) for a, _ in result.absorption) == sorted(map(str, reached))


def test_bundled_model_probability_agrees_with_the_reached_attractors():
    # Relations only (the bundled model is being rewritten): the chain ends in exactly the attractors
    # the symbolic engine reaches, and all-or-none responding is probability 1 or 0.
    from igfnet.analysis.compare import default_contexts, default_treatments

    model = load_model()
    solver = ResponseSolver(model)
    for context in default_contexts(model)[:4]:
        for treatment in ["none", *default_treatments(model)[:6]]:
            reached = solver.response(context, treatment).reached
            result = solver.probability(context, treatment)
            assert sorted(map(str, reached)) == sorted(str(a) for a, _ in result.absorption)
            responding = sum(a.pattern["Proliferation"] == "0" for a in reached)
            if responding in (0, len(reached)):
                assert result.exact == responding // len(reached)
            assert sum(p for _, p in result.absorption) == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(functions=networks(max_nodes=7))
def test_bdd_cubes_are_disjoint_and_cover_the_set(functions):
    # SymbolicSpace.cubes weighs the untreated states: the cubes must partition the set exactly.
    solver = AttractorSolver(list(functions))
    space = solver.space
    states = space.false
    for attractor in solver.attractors(functions):
        states |= attractor
    cubes = space.cubes(states)
    union = space.false
    for cube in cubes:
        assert (union & space.cube(cube)) == space.false
        union |= space.cube(cube)
    assert union == states
    assert sum(1 << (len(functions) - len(cube)) for cube in cubes) == space.summary(states)[1]
