"""The attractor engine against hand-checked models, a brute-force reference and biodivine-aeon."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import brute_force_attractors
from strategies import expressions, networks, partial_states

from igfnet.dynamics.attractors import AttractorSolver, attractors_of_functions
from igfnet.dynamics.reduction import eliminate_outputs, percolate
from igfnet.dynamics.trapspaces import minimal_trap_spaces
from igfnet.rules import parse_expression


def summary(attractors):
    return sorted((str(attractor), attractor.states) for attractor in attractors)


def functions_of(text: str) -> dict:
    result = {}
    for line in text.strip().splitlines():
        target, expression = line.split("=")
        result[target.strip()] = parse_expression(expression)
    return result


# -- models a person can check on paper -------------------------------------------


def test_toggle_switch_has_two_fixed_points():
    toggle = functions_of("A = not B\nB = not A")
    assert summary(attractors_of_functions(toggle)) == [("01", 1), ("10", 1)]


def test_negative_loop_is_one_cyclic_attractor_over_all_four_states():
    loop = functions_of("A = not B\nB = A")
    assert summary(attractors_of_functions(loop)) == [("**", 4)]


def test_igf1r_irs1_s6k_feedback_oscillates_when_the_receptor_is_on():
    # IGF1R activates IRS1, IRS1 drives S6K, S6K inhibits IRS1: a negative loop.
    feedback = functions_of("IGF1R = IGF1R\nIRS1 = IGF1R and not S6K\nS6K = IRS1")
    assert summary(attractors_of_functions(feedback)) == [("000", 1), ("1**", 4)]


def test_output_nodes_take_both_values_only_where_their_function_does():
    # C reads the oscillating A: it varies, doubling the attractor; D reads a constant.
    network = functions_of("A = not B\nB = A\nC = A\nD = E\nE = 1")
    assert summary(attractors_of_functions(network)) == [("***11", 8)]


def test_reachability_keeps_transients_that_percolation_would_hide():
    # X is switched off for good, but while it is still on it can latch Y on.
    network = functions_of("X = 0\nY = X or Y")
    assert summary(attractors_of_functions(network, initial={"X": 1, "Y": 0})) == [("00", 1), ("01", 1)]
    assert summary(attractors_of_functions(network, initial={"X": 0, "Y": 0})) == [("00", 1)]


def test_exact_count_beyond_float_precision():
    # 70 independent oscillators of two nodes: one attractor of 4^70 states.
    text = "\n".join(f"A{i} = not B{i}\nB{i} = A{i}" for i in range(70))
    (attractor,) = attractors_of_functions(functions_of(text))
    assert attractor.states == 4**70


def test_percolation_and_output_elimination_on_a_small_case():
    values, residual = percolate({"A": True, "B": ("and", "A", "C"), "C": "B", "D": ("not", "A")})
    assert values == {"A": True, "D": False}
    assert residual == {"B": "C", "C": "B"}
    core, removed = eliminate_outputs({"A": ("not", "B"), "B": "A", "C": "A", "D": "C"})
    assert core == {"A": ("not", "B"), "B": "A"} and removed == ["D", "C"]


# -- the brute-force reference over random networks ---------------------------


# Both engines, each forced: the explicit search of small residues and the symbolic one.
ENGINES = pytest.mark.parametrize("engine", ["explicit", "symbolic"])
# Searching every attractor may also start from the minimal trap spaces (igfnet.dynamics.guided).
ALL_ENGINES = pytest.mark.parametrize("engine", ["explicit", "symbolic", "trapspaces", "succession"])


@ALL_ENGINES
@settings(max_examples=200, deadline=None)
@given(functions=networks(max_nodes=9))
def test_attractors_equal_brute_force(engine, functions):
    assert summary(attractors_of_functions(functions, engine=engine)) == brute_force_attractors(functions)


@ENGINES
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_reachable_attractors_equal_brute_force(engine, data):
    functions = data.draw(networks(max_nodes=8))
    initial = data.draw(partial_states(list(functions)))
    found = attractors_of_functions(functions, initial=initial, engine=engine)
    assert summary(found) == brute_force_attractors(functions, initial)


@ALL_ENGINES
@settings(max_examples=60, deadline=None)
@given(functions=networks(min_nodes=6, max_nodes=12, max_regulators=4))
def test_larger_random_networks_equal_brute_force(engine, functions):
    assert summary(attractors_of_functions(functions, engine=engine)) == brute_force_attractors(functions)


def test_auto_engine_searches_small_cores_explicitly_and_large_parts_through_the_diagram(monkeypatch):
    from igfnet.dynamics import succession
    from igfnet.dynamics.explicit import EXPLICIT_LIMIT

    pairs = EXPLICIT_LIMIT // 2 + 1  # one pair of nodes more than the explicit engine takes
    # One strongly connected part: a ring of pairs, each reading the pair before it.
    ring = "\n".join(f"A{i} = not B{i} or A{(i + 1) % pairs}\nB{i} = A{i}" for i in range(pairs))
    network = functions_of(ring)
    explored = []
    original = succession.SuccessionDiagram.attractors
    monkeypatch.setattr(
        succession.SuccessionDiagram, "attractors", lambda self: explored.append(self) or original(self)
    )
    attractors_of_functions({"A0": ("not", "B0"), "B0": "A0"})
    assert explored == []
    found = summary(attractors_of_functions(network))
    assert [len(diagram.core) for diagram in explored] == [2 * pairs]
    assert found == summary(attractors_of_functions(network, engine="symbolic"))
    assert len(explored) == 1  # "symbolic" is the reduction alone
    # Independent small parts (here toggles next to the ring) are solved part by part, never as one diagram.
    toggles = functions_of("\n".join(f"T{i} = not U{i}\nU{i} = not T{i}" for i in range(9)))
    attractors_of_functions({**network, **toggles})
    assert explored[1:] and all(diagram.core.keys() == network.keys() for diagram in explored[1:])


def test_a_large_diagram_hands_its_part_over_to_the_reduction(monkeypatch):
    from igfnet.dynamics import attractors, succession

    # Nine switches that a flip-flop reads and resets: one strongly connected part of 20 nodes; without
    # the shortcut the diagram has a node per combination of settled switches, far past a budget of 3.
    lines = [f"A{i} = not B{i} and not C\nB{i} = not A{i} or C" for i in range(9)]
    any_on = " or ".join(f"A{i}" for i in range(9))
    network = functions_of("\n".join(lines) + f"\nC = ({any_on}) and not D\nD = C")
    expected = summary(attractors_of_functions(network, engine="symbolic"))
    monkeypatch.setattr(succession, "SHORTCUT", False)
    monkeypatch.setattr(attractors, "DIAGRAM_NODES", 3)
    explored = []
    original = succession.SuccessionDiagram.attractors
    monkeypatch.setattr(
        succession.SuccessionDiagram, "attractors", lambda self: explored.append(self) or original(self)
    )
    assert summary(attractors_of_functions(network)) == expected
    assert explored and explored[0].nodes == 4  # abandoned at the fourth node


def test_an_attractor_outside_every_minimal_trap_space_is_found_by_the_trap_space_search():
    # A and B flip each other off and on while C is 0; only at A = B = 1 can C turn on, and from
    # there the network settles at 111. The cycle over 000, 100, 010 lies in no trap space but the
    # whole one, so it is "motif-avoidant": the search must prove it is missing, and find it.
    network = functions_of("A = not A and not B or C\nB = not A and not B or C\nC = A and B")
    assert minimal_trap_spaces(network) == [{"A": 1, "B": 1, "C": 1}]
    expected = brute_force_attractors(network)
    assert sorted(expected) == [("**0", 3), ("111", 1)]
    assert summary(attractors_of_functions(network, engine="trapspaces")) == expected


def test_nodes_below_an_oscillation_are_read_off_their_functions(monkeypatch):
    # X, Y, Z: a negative three-cycle; its attractor is every state but 010 and 101 (neither has a
    # predecessor). Below it, each node reads the cycle and itself:
    #   L rises at X = Y = 1 and never falls: 1.  F falls at X = 1, Y = 0 and never rises: 0.
    #   B rises at 100 and falls at 011: both values, with every state of the cycle.
    #   N could rise only at 101, outside the attractor, and never falls: 0 and 1 are two attractors.
    network = functions_of(
        "X = not Z\nY = X\nZ = Y\nL = L or (X and Y)\nF = F and not (X and not Y)\n"
        "B = (X and not Y) or (B and not (Y and not X))\nN = N or (X and not Y and Z)"
    )
    expected = [("***10*0", 12), ("***10*1", 12)]
    assert brute_force_attractors(network) == expected
    read = []
    original = AttractorSolver._follower_attractors
    monkeypatch.setattr(
        AttractorSolver,
        "_follower_attractors",
        lambda self, node, *rest: read.append(node) or original(self, node, *rest),
    )
    assert summary(attractors_of_functions(network, engine="symbolic")) == expected
    assert set(read) == {"B", "F", "L", "N"}


def test_names_a_function_does_not_depend_on_are_dropped_before_the_decomposition():
    # A is true whatever B is; C reads B only in two terms that together say C. As written, B and C
    # regulate each other; by what the functions depend on, C is an input and B a node below it.
    network = functions_of("A = B or not B\nB = C\nC = (B and C) or (not B and C)")
    values, residual = AttractorSolver(list(network))._percolate(network)
    assert values == {"A": True}
    assert residual == {"B": "C", "C": "C"}


def test_a_switch_below_an_oscillation_is_searched_within_its_attractor():
    # The negative three-cycle X, Y, Z again, never at 101 in its attractor. Below it a switch: M and
    # N copy each other, and M also rises at 101. Within the attractor nothing flips the switch, so
    # it holds either value; a search that forgot the attractor would let M rise, leaving one.
    network = functions_of("X = not Z\nY = X\nZ = Y\nM = N or (X and not Y and Z)\nN = M")
    expected = [("***00", 6), ("***11", 6)]
    assert brute_force_attractors(network) == expected
    assert summary(attractors_of_functions(network, engine="symbolic")) == expected


@st.composite
def below_an_oscillation(draw):
    """A negative cycle of two to four nodes, and up to five nodes below it, each reading the cycle,
    the nodes before it and itself (the case of the decomposition's nodes read off their functions)."""
    cycle = [f"c{index}" for index in range(draw(st.integers(2, 4)))]
    functions = {node: cycle[index - 1] for index, node in enumerate(cycle)}
    functions[cycle[0]] = ("not", cycle[-1])
    below: list[str] = []
    for index in range(draw(st.integers(1, 5))):
        node = f"d{index}"
        readable = [*cycle, *below, node]
        regulators = draw(st.lists(st.sampled_from(readable), min_size=1, max_size=3, unique=True))
        functions[node] = draw(expressions(regulators, depth=2))
        below.append(node)
    return functions


@settings(max_examples=150, deadline=None)
@given(functions=below_an_oscillation())
def test_nodes_below_an_oscillation_equal_brute_force(functions):
    assert summary(attractors_of_functions(functions, engine="symbolic")) == brute_force_attractors(functions)


@st.composite
def components_below_an_oscillation(draw):
    """Two to four nodes reading only each other (often an oscillation, not always a subspace), and
    two to six nodes below them, each reading any node: components of several nodes, searched
    without the nodes above."""
    above = [f"u{index}" for index in range(draw(st.integers(2, 4)))]
    below = [f"d{index}" for index in range(draw(st.integers(2, 6)))]
    functions: dict[str, object] = {}
    for nodes, readable in ((above, above), (below, [*above, *below])):
        for node in nodes:
            regulators = draw(st.lists(st.sampled_from(readable), min_size=1, max_size=3, unique=True))
            functions[node] = draw(expressions(regulators, depth=2))
    return functions


@settings(max_examples=200, deadline=None)
@given(functions=components_below_an_oscillation())
def test_components_below_an_oscillation_equal_brute_force(functions):
    assert summary(attractors_of_functions(functions, engine="symbolic")) == brute_force_attractors(functions)


def test_solver_reuse_gives_the_same_answers():
    network = functions_of("A = not B\nB = A\nC = C\nD = C and A")
    solver = AttractorSolver(list(network))
    first = summary(attractors_of_functions(network, solver=solver))
    again = summary(attractors_of_functions(network, solver=solver))
    assert first == again == brute_force_attractors(network)


def test_progress_of_a_symbolic_search_grows_to_its_end():
    from igfnet.dynamics.attractors import attractors_of_model
    from igfnet.model import BooleanNetwork
    from igfnet.rules import parse_rules

    # Three free inputs: eight contexts, each an equal share of the search.
    text = "A = input\nB = input\nC = input\nX = (A and not Y) or (B and C)\nY = X or Y\n"
    model = BooleanNetwork(parse_rules(text), name="inputs")
    heard = []
    found = attractors_of_model(
        model, model.perturbation(), free_inputs=True, engine="symbolic", progress=lambda *p: heard.append(p)
    )
    assert len(found) >= 8
    assert {total for _, total in heard} == {1000}
    done = [count for count, _ in heard]
    assert done == sorted(done) and done[-1] == 1000
    assert {62, 125, 250, 500} <= set(done)  # a context (1/8 of the search) at a time, then the reading


@settings(max_examples=150, deadline=None)
@given(networks(max_nodes=8))
def test_explicit_attractors_cover_exactly_their_states(functions):
    # The cubes an explicit attractor gives (the start states of a treated cell) are its states,
    # with its outputs' values: those the brute-force state graph puts in that attractor.
    import itertools

    import networkx
    from reference import state_graph

    from igfnet.dynamics.explicit import explicit_attractors

    nodes = list(functions)
    expected = {frozenset(component) for component in networkx.attracting_components(state_graph(functions))}
    found = set()
    for attractor in explicit_attractors(functions, limit=len(nodes)):
        covered = set()
        for cube in attractor.cubes():
            free = [node for node in nodes if node not in cube]
            for bits in itertools.product((0, 1), repeat=len(free)):
                state = cube | dict(zip(free, bits))
                covered.add(tuple(state[node] for node in nodes))
        found.add(frozenset(covered))
    assert found == expected


def test_outputs_do_not_count_against_the_explicit_limit():
    from igfnet.dynamics.explicit import explicit_attractors

    # A two-node oscillator read by a chain of six outputs: eight free nodes, a core of two.
    chain = "A = not B\nB = A\nC1 = A\n" + "".join(f"C{i} = C{i - 1} and not A\n" for i in range(2, 7))
    functions = functions_of(chain)
    (attractor,) = explicit_attractors(functions, limit=2)
    assert summary([attractor.describe(list(functions))]) == brute_force_attractors(functions)
    assert explicit_attractors(functions, limit=1) is None
