"""Trap spaces against brute-force enumeration of every subspace, and against biodivine-aeon on larger networks."""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import networks
from test_oracle import sparse_networks

from igfnet.dynamics.trapspaces import is_trap_space, maximal_trap_spaces, minimal_trap_spaces
from igfnet.logic import evaluate, to_text, variables
from igfnet.rules import parse_rules


def functions_of(text: str) -> dict:
    return {rule.target: rule.expression for rule in parse_rules(text)}


def brute_force_trap_spaces(functions: dict) -> list[dict[str, int]]:
    """Every trap space, as fixed values: each subspace is checked state by state."""
    nodes = list(functions)
    found = []
    for values in product((0, 1, None), repeat=len(nodes)):
        space = {node: value for node, value in zip(nodes, values) if value is not None}
        free = [node for node in nodes if node not in space]
        states = (space | dict(zip(free, bits)) for bits in product((0, 1), repeat=len(free)))
        if all(int(evaluate(functions[node], state)) == space[node] for state in states for node in space):
            found.append(space)
    return found


def inside(small: dict, large: dict) -> bool:
    """Whether subspace ``small`` lies in subspace ``large`` (it fixes at least what ``large`` fixes, alike)."""
    return all(small.get(node) == value for node, value in large.items())


def brute_force_minimal(functions: dict) -> list[dict[str, int]]:
    spaces = brute_force_trap_spaces(functions)
    minimal = [s for s in spaces if not any(t != s and inside(t, s) for t in spaces)]
    return sorted(minimal, key=lambda space: sorted(space.items()))


def brute_force_maximal(functions: dict) -> list[dict[str, int]]:
    spaces = [space for space in brute_force_trap_spaces(functions) if space]  # the whole space is not counted
    maximal = [s for s in spaces if not any(t != s and inside(s, t) for t in spaces)]
    return sorted(maximal, key=lambda space: sorted(space.items()))


def test_toggle_switch_has_two_minimal_trap_spaces_and_a_negative_loop_none_but_the_whole_space():
    toggle = functions_of("A = not B\nB = not A")
    assert minimal_trap_spaces(toggle) == [{"A": 0, "B": 1}, {"A": 1, "B": 0}]
    assert maximal_trap_spaces(toggle) == [{"A": 0, "B": 1}, {"A": 1, "B": 0}]
    loop = functions_of("A = not B\nB = A")
    assert minimal_trap_spaces(loop) == [{}]  # the whole space, where the cyclic attractor lives
    assert maximal_trap_spaces(loop) == []


def test_a_node_that_percolation_fixes_is_fixed_in_every_minimal_trap_space():
    network = functions_of("A = 1\nB = A and C\nC = B\nD = not D")
    assert minimal_trap_spaces(network) == [{"A": 1, "B": 0, "C": 0}, {"A": 1, "B": 1, "C": 1}]
    assert maximal_trap_spaces(network) == [{"A": 1}, {"B": 0, "C": 0}]  # B = C = 0 holds whatever A


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_nodes=6))
def test_minimal_and_maximal_trap_spaces_match_brute_force(functions):
    assert minimal_trap_spaces(functions) == brute_force_minimal(functions)
    assert maximal_trap_spaces(functions) == brute_force_maximal(functions)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_nodes=6))
def test_the_independent_bdd_check_agrees_with_brute_force_on_every_subspace(functions):
    # is_trap_space is the cross-check the scripts use: it must itself be right.
    every = brute_force_trap_spaces(functions)
    nodes = list(functions)
    for values in product((0, 1, None), repeat=min(len(nodes), 4)):
        space = {node: value for node, value in zip(nodes, values) if value is not None}
        assert is_trap_space(functions, space) == (space in every)


def bnet_lines(functions: dict) -> list[str]:
    return [f"{node}, {to_text(function, 'bnet')}" for node, function in functions.items()]


def aeon_minimal_trap_spaces(functions: dict) -> list[dict[str, int]]:
    ba = pytest.importorskip("biodivine_aeon")
    text = "\n".join(["targets, factors", *bnet_lines(functions)]).replace(", 1\n", ", true\n")
    text = "\n".join(line.replace(", 1", ", true") if line.endswith(", 1") else line for line in text.splitlines())
    text = "\n".join(line.replace(", 0", ", false") if line.endswith(", 0") else line for line in text.splitlines())
    network = ba.BooleanNetwork.from_bnet(text, repair_graph=True)
    context = ba.SymbolicSpaceContext(network)
    found = ba.TrapSpaces.minimal_symbolic(context, ba.AsynchronousGraph(network, context))
    spaces = [
        {name: int(value) for name, value in space.to_named_dict().items() if value is not None}
        for space in found.spaces()
    ]
    return sorted(spaces, key=lambda space: sorted(space.items()))


def prime_dnf(function) -> str:
    """The disjunction of all prime implicants, found by brute force over the regulators.

    mpbn reads a function's clauses as written: a clause such as ``!a & a`` counts as satisfiable in any
    subspace where ``a`` is free. Its prime implicants are what it is meant to be given.
    """
    regulators = sorted(variables(function))
    cubes = [
        {node: value for node, value in zip(regulators, values) if value is not None}
        for values in product((0, 1, None), repeat=len(regulators))
    ]

    def implies(cube: dict) -> bool:
        free = [node for node in regulators if node not in cube]
        return all(evaluate(function, cube | dict(zip(free, bits))) for bits in product((0, 1), repeat=len(free)))

    implicants = [cube for cube in cubes if implies(cube)]
    primes = [c for c in implicants if not any(d != c and inside(c, d) for d in implicants)]
    if not primes:
        return "0"
    if primes == [{}]:
        return "1"
    return " | ".join(" & ".join(("" if value else "!") + node for node, value in cube.items()) for cube in primes)


def mpbn_trap_spaces(functions: dict, maximal: bool) -> list[dict[str, int]]:
    mpbn = pytest.importorskip("mpbn")
    network = mpbn.MPBooleanNetwork({node: prime_dnf(function) for node, function in functions.items()})
    found = network.maximal_trapspaces() if maximal else network.attractors()
    spaces = [{node: int(value) for node, value in space.items() if value != "*"} for space in found]
    return sorted(spaces, key=lambda space: sorted(space.items()))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sparse_networks(min_nodes=15, max_nodes=30))
def test_minimal_and_maximal_trap_spaces_match_aeon_and_mpbn(functions):
    minimal = minimal_trap_spaces(functions)
    assert minimal == aeon_minimal_trap_spaces(functions)
    assert minimal == mpbn_trap_spaces(functions, maximal=False)
    assert maximal_trap_spaces(functions) == mpbn_trap_spaces(functions, maximal=True)
