"""The public reachability API against a brute-force state graph (tests/reference.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import brute_force_attractors, brute_force_treated
from strategies import networks, partial_states

from igfnet.dynamics.reachability import Reachability


def described(attractors) -> list[tuple[str, int]]:
    return sorted((str(attractor), attractor.states) for attractor in attractors)


def treated(functions: dict, settings: dict) -> dict:
    return {**functions, **{node: bool(value) for node, value in settings.items()}}


@settings(max_examples=60, deadline=None)
@given(functions=networks(max_nodes=7), data=st.data())
def test_untreated_and_reached_attractors_are_the_brute_force_ones(functions, data):
    reach = Reachability(list(functions))
    treatment = data.draw(partial_states(list(functions)))
    untreated = reach.untreated(functions)
    assert described(untreated.attractors) == brute_force_attractors(functions)
    found = reach.reached(treated(functions, treatment), untreated.states, treatment)
    assert described(found) == brute_force_treated(functions, treated(functions, treatment), treatment)
    assert list(found) == sorted(found, key=lambda a: [{"0": 0, "1": 1, "*": 2}[v] for v in a.pattern.values()])


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_incremental_percolation_reaches_what_a_fresh_question_reaches(data):
    functions = data.draw(networks(max_nodes=7))
    nodes = list(functions)
    base = data.draw(partial_states(nodes))
    added = data.draw(partial_states(nodes))
    reach = Reachability(nodes)
    start = reach.untreated(functions).states
    percolation = reach.percolate(functions, start, base)
    settings_ = {**base, **added}
    expected = brute_force_treated(functions, treated(functions, settings_), settings_)
    assert described(reach.attractors_reached(reach.percolate(functions, start, settings_))) == expected
    if percolation.admits(added):
        assert described(reach.attractors_reached(reach.further(percolation, added))) == expected
    else:
        with pytest.raises(ValueError, match="percolate afresh"):
            reach.further(percolation, added)


def test_states_of_another_reachability_are_refused():
    toggle = {"A": ("not", "B"), "B": ("not", "A")}
    mine, theirs = Reachability(list(toggle)), Reachability(list(toggle))
    with pytest.raises(ValueError, match="another Reachability"):
        mine.reached(toggle, theirs.untreated(toggle).states, {})


def test_probability_starts_uniformly_over_the_untreated_states():
    # The toggle's untreated cells sit at 10 or 01; releasing B (B=1 written over both) leaves 11 and 01:
    # from 11 either node falls first (1/2 each), from 01 the cell stays. P(A=0 at the end) = 1/2 * 1/2 + 1/2.
    toggle = {"A": ("not", "B"), "B": ("not", "A")}
    reach = Reachability(list(toggle))
    start = reach.untreated(toggle).states
    result = reach.probability(
        toggle, start, {"B": 1}, lambda a: a.pattern["A"] == "0", max_states=100, samples=10, seed=0
    )
    assert result.value == pytest.approx(0.75)


def test_no_analysis_module_imports_the_symbolic_engine():
    # The analyses ask the dynamics for attractors; BDDs stay behind igfnet.dynamics.
    for path in Path("igfnet/analysis").rglob("*.py"):
        tree = ast.parse(path.read_text())
        imported = [
            node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module is not None
        ]
        imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        assert not [name for name in imported if "_symbolic" in name or "_engine" in name], path
        assert "AttractorSolver" not in path.read_text(), path
