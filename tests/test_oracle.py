"""igfnet against biodivine-aeon (a test-only oracle) on random networks too large for brute force."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import expressions

from igfnet.dynamics.attractors import attractors_of_functions
from igfnet.logic import to_text

ba = pytest.importorskip("biodivine_aeon")


@st.composite
def sparse_networks(draw, min_nodes=20, max_nodes=40):
    count = draw(st.integers(min_nodes, max_nodes))
    nodes = [f"v{index}" for index in range(count)]
    functions = {}
    for node in nodes:
        # Inputs stay few: each one doubles the number of attractors. (Shrinking goes to 0: a rule.)
        if draw(st.integers(0, 9)) == 9 and sum(f == n for n, f in functions.items()) < 4:
            functions[node] = node
            continue
        regulators = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
        functions[node] = draw(expressions(regulators, depth=2))
    return functions


def aeon_attractors(functions: dict) -> list[tuple[str, int]]:
    lines = ["targets, factors"]
    for node, function in functions.items():
        text = to_text(function, "bnet")
        lines.append(f"{node}, {'true' if text == '1' else 'false' if text == '0' else text}")
    network = ba.BooleanNetwork.from_bnet("\n".join(lines), repair_graph=True)
    graph = ba.AsynchronousGraph(network)
    names = network.variable_names()
    result = []
    for attractor in ba.Attractors.attractors(graph):
        vertices = attractor.vertices()
        fixed = vertices.enclosing_named_subspace()
        pattern = {name: str(int(fixed[name])) if name in fixed else "*" for name in names}
        result.append(("".join(pattern[node] for node in functions), vertices.cardinality()))
    return sorted(result)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sparse_networks())
def test_attractors_equal_aeon_on_random_networks(functions):
    ours = sorted((str(attractor), attractor.states) for attractor in attractors_of_functions(functions))
    assert ours == aeon_attractors(functions)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sparse_networks())
def test_trap_space_guided_search_equals_aeon_on_random_networks(functions):
    found = attractors_of_functions(functions, engine="trapspaces")
    assert sorted((str(attractor), attractor.states) for attractor in found) == aeon_attractors(functions)


def test_oracle_sees_a_complex_attractor():
    # Guard against a vacuous oracle: a negative loop must come back as one 4-state attractor.
    assert aeon_attractors({"A": ("not", "B"), "B": "A"}) == [("**", 4)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sparse_networks())
def test_succession_diagram_search_equals_aeon_on_random_networks(functions):
    found = attractors_of_functions(functions, engine="succession")
    assert sorted((str(attractor), attractor.states) for attractor in found) == aeon_attractors(functions)
