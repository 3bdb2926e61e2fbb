"""The symbolic engine's stages, each against the explicit state graph of small random networks.

The end-to-end tests (tests/test_dynamics.py) check the attractors of whole
networks; these check the invariants each stage promises on its own, on sets
that the end-to-end path rarely builds (not forward-closed, arbitrary).
"""

from __future__ import annotations

import itertools
import random

import networkx
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import state_graph
from strategies import expressions, networks

from igfnet.dynamics._engine import bottom_components, transition_guided_reduction, xie_beerel
from igfnet.dynamics._symbolic import AsyncDynamics, SymbolicSpace


def explicit(functions):
    """The state graph, its attractors (as frozensets of tuples) and a symbolic space over the same nodes."""
    nodes = list(functions)
    graph = state_graph(functions)
    attractors = [frozenset(component) for component in networkx.attracting_components(graph)]
    space = SymbolicSpace(nodes)
    return nodes, graph, attractors, space, AsyncDynamics(space, functions)


def to_bdd(space, nodes, states):
    result = space.false
    for state in states:
        result |= space.cube(dict(zip(nodes, state)))
    return result


def to_states(space, nodes, bdd):
    return frozenset(
        state
        for state in itertools.product((0, 1), repeat=len(nodes))
        if (space.cube(dict(zip(nodes, state))) & bdd) != space.false
    )


@st.composite
def network_and_subset(draw, max_nodes=7):
    functions = draw(networks(max_nodes=max_nodes, max_regulators=3))
    size = 2 ** len(functions)
    chosen = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    subset = [state for state, keep in zip(itertools.product((0, 1), repeat=len(functions)), chosen) if keep]
    return functions, subset


@settings(max_examples=300, deadline=None)
@given(network_and_subset())
def test_reduction_keeps_every_attractor_inside_any_set(case):
    functions, subset = case
    nodes, _, attractors, space, dynamics = explicit(functions)
    universe = to_bdd(space, nodes, subset)
    reduced = to_states(space, nodes, transition_guided_reduction(dynamics, universe))
    assert reduced <= set(subset)
    for attractor in attractors:
        if attractor <= set(subset):
            assert attractor <= reduced


@settings(max_examples=300, deadline=None)
@given(network_and_subset())
def test_pivots_find_exactly_the_attractors_inside_any_candidate_set(case):
    functions, subset = case
    nodes, _, attractors, space, dynamics = explicit(functions)
    found = [to_states(space, nodes, states) for states in xie_beerel(dynamics, to_bdd(space, nodes, subset))]
    assert sorted(map(sorted, found)) == sorted(sorted(a) for a in attractors if a <= set(subset))


@settings(max_examples=300, deadline=None)
@given(network_and_subset())
def test_bottom_components_of_a_forward_closed_set(case):
    functions, subset = case
    nodes, graph, attractors, space, dynamics = explicit(functions)
    closed = set(subset)
    for state in subset:
        closed |= networkx.descendants(graph, state)
    found = [to_states(space, nodes, states) for states in bottom_components(dynamics, to_bdd(space, nodes, closed))]
    assert sorted(map(sorted, found)) == sorted(sorted(a) for a in attractors if a <= closed)
    # The closures agree with the explicit graph too.
    if subset:
        start = subset[0]
        reach = to_states(space, nodes, dynamics.forward(to_bdd(space, nodes, [start])))
        assert reach == networkx.descendants(graph, start) | {start}
        back = to_states(
            space, nodes, dynamics.backward(to_bdd(space, nodes, [start]), within=to_bdd(space, nodes, closed))
        )
        assert back == {s for s in closed if s == start or start in networkx.descendants(graph.subgraph(closed), s)}


def test_component_independent_of_an_oscillating_upstream_is_solved_on_its_own():
    # Two independent oscillators, a toggle switch, and a node driven by the first oscillator and the switch:
    # the switch is solved apart from the oscillator, and its attractors must not split by the oscillator's states.
    from reference import brute_force_attractors
    from test_dynamics import functions_of, summary

    from igfnet.dynamics.attractors import attractors_of_functions

    network = functions_of(
        "A = not B\nB = A\nC = not D\nD = C\nS = not T\nT = not S\nE = (A and S) or (E and F)\nF = E"
    )
    assert summary(attractors_of_functions(network)) == brute_force_attractors(network)


@settings(max_examples=150, deadline=None)
@given(
    expression=st.integers(1, 7).flatmap(lambda count: expressions([f"n{i}" for i in range(count)], depth=3)),
    order_seed=st.integers(0, 10**6),
)
def test_summary_reads_pattern_and_count_off_any_bdd(expression, order_seed):
    # Any set of states, under any variable order (CUDD reorders as it goes): the pattern and
    # count read off the BDD in one walk equal those of its satisfying states, one by one.
    from dd import cudd

    from igfnet.logic import evaluate

    nodes = [f"n{i}" for i in range(7)]
    space = SymbolicSpace(nodes)
    states = space.expression(expression)
    levels = list(range(len(nodes)))
    random.Random(order_seed).shuffle(levels)
    cudd.reorder(space.bdd, {space.name(node): level for node, level in zip(nodes, levels)})
    satisfying = [
        dict(zip(nodes, values))
        for values in itertools.product((0, 1), repeat=7)
        if evaluate(expression, dict(zip(nodes, values)))
    ]
    if not satisfying:
        return
    pattern, count = space.summary(states)
    assert count == len(satisfying)
    for node in nodes:
        values = {state[node] for state in satisfying}
        assert pattern[node] == ("*" if len(values) == 2 else str(values.pop()))
