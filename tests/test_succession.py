"""The succession-diagram engine (igfnet.dynamics.succession) against the brute-force reference.

Every path of the engine is forced in turn: candidates tested symbolically
(no random walks), a node searched whole (too many candidates), the diagram
abandoned for the decomposition engine (too many nodes). Networks with
motif-avoidant attractors (outside every minimal trap space) are found by
brute force, so the candidate search outside a node's children is exercised,
not only the minimal trap spaces.
"""

from __future__ import annotations

import random

import networkx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import brute_force_attractors
from strategies import networks

from igfnet.dynamics import succession
from igfnet.dynamics.attractors import attractors_of_functions
from igfnet.dynamics.reduction import regulators_of
from igfnet.dynamics.trapspaces import minimal_trap_spaces
from igfnet.logic import Expr, evaluate
from igfnet.rules import parse_expression


def summary(found) -> list[tuple[str, int]]:
    return sorted((str(attractor), attractor.states) for attractor in found)


def functions_of(text: str) -> dict[str, Expr]:
    result: dict[str, Expr] = {}
    for line in text.strip().splitlines():
        target, expression = line.split("=")
        result[target.strip()] = parse_expression(expression)
    return result


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FORCED = pytest.mark.parametrize(
    "forced",
    [
        {},
        {"SHORTCUT": False},
        {"SHORTCUT_CANDIDATES": 0},
        {"SHORTCUT": False, "WALK_STEPS": 0},
        {"MAX_CANDIDATES": 0},
        {"MAX_TESTS": 0},
        {"MAX_NODES": 1},
        {"SHORTCUT_TRAPS": 10**6, "WALK_STEPS": 0},
        {"SHORTCUT_TRAPS": 10**6, "WALK_STEPS": 0, "SHORTCUT_IMAGES": 1},
        {"NODE_TRAPS": -1, "WALK_STEPS": 0},
        {"NODE_TRAPS": -1, "WALK_STEPS": 0, "NODE_IMAGES": 1},
        {"SETTLE_IMAGES": 1},
        {"COVER_CHECK": 1},
        {"_exploration_order": lambda children: sorted(children, key=lambda child: -len(child.network))},
    ],
    ids=[
        "default",
        "whole-diagram",
        "shortcut-without-candidates",
        "no-walks",
        "no-candidates",
        "no-candidate-tests",
        "no-diagram",
        "symbolic-shortcut",
        "symbolic-shortcut-gives-up",
        "symbolic-test-at-every-node",
        "symbolic-test-gives-up-below-the-root",
        "settled-after-one-image",
        "settled-as-far-as-a-check-needs",
        "largest-child-first",
    ],
)


@FORCED
@SETTINGS
@given(functions=networks(min_nodes=2, max_nodes=10, max_regulators=4))
def test_random_networks_equal_brute_force(forced, functions):
    with pytest.MonkeyPatch.context() as patch:
        for name, value in forced.items():
            patch.setattr(succession, name, value)
        found = attractors_of_functions(functions, engine="succession")
    assert summary(found) == brute_force_attractors(functions)


def with_motif_avoidant_attractors(count: int, nodes: int, seed: int) -> list[dict[str, Expr]]:
    """Random networks with an attractor outside every minimal trap space (checked by brute force).

    Such attractors are rare in random networks (none in 2,000 of five nodes): each network grows
    around the textbook cycle (A and B switch each other while C is 0; at A = B = 1 C turns on and
    stays), whose C may also read a random node, among random nodes that read anything.
    """
    generator = random.Random(seed)
    names = [f"v{index}" for index in range(nodes)]
    found: list[dict[str, Expr]] = []
    while len(found) < count:
        a, b, c = generator.sample(names, 3)
        functions = _random_functions(names, generator)
        functions[a] = ("or", ("and", ("not", a), ("not", b)), c)
        functions[b] = ("or", ("and", ("not", a), ("not", b)), c)
        functions[c] = ("and", a, b)
        if generator.random() < 0.5:
            other = generator.choice([name for name in names if name not in (a, b, c)])
            functions[c] = (generator.choice(["and", "or"]), functions[c], _random_expression([other], generator, 0))
        traps = minimal_trap_spaces(functions)
        attractors = brute_force_attractors(functions)
        outside = [
            pattern
            for pattern, _ in attractors
            if not any(all(pattern[names.index(node)] == str(value) for node, value in trap.items()) for trap in traps)
        ]
        if outside:
            found.append(functions)
    return found


def _random_functions(names: list[str], generator: random.Random) -> dict[str, Expr]:
    functions: dict[str, Expr] = {}
    for name in names:
        regulators = generator.sample(names, generator.randint(1, 3))
        functions[name] = _random_expression(regulators, generator, 2)
    return functions


def _random_expression(names: list[str], generator: random.Random, depth: int) -> Expr:
    if depth == 0 or generator.random() < 0.3:
        name = generator.choice(names)
        return ("not", name) if generator.random() < 0.5 else name
    operator = generator.choice(["and", "or"])
    return (
        operator,
        _random_expression(names, generator, depth - 1),
        _random_expression(names, generator, depth - 1),
    )


MOTIF_AVOIDANT = with_motif_avoidant_attractors(12, 7, seed=15) + with_motif_avoidant_attractors(6, 9, seed=16)


@FORCED
@pytest.mark.parametrize("functions", MOTIF_AVOIDANT, ids=lambda functions: f"{len(functions)}-nodes")
def test_motif_avoidant_attractors_are_found(forced, functions, monkeypatch):
    for name, value in forced.items():
        monkeypatch.setattr(succession, name, value)
    found = attractors_of_functions(functions, engine="succession")
    assert summary(found) == brute_force_attractors(functions)


def test_the_textbook_motif_avoidant_cycle_is_found():
    # While C is 0, A and B switch each other off and on; only at A = B = 1 can C turn on, and then 111
    # holds. The cycle over 000, 100, 010 lies in no trap space but the whole one.
    network = functions_of("A = not A and not B or C\nB = not A and not B or C\nC = A and B")
    assert minimal_trap_spaces(network) == [{"A": 1, "B": 1, "C": 1}]
    assert summary(attractors_of_functions(network, engine="succession")) == [("**0", 3), ("111", 1)]


def test_independent_switches_keep_the_diagram_small(monkeypatch):
    # Eight toggle switches: 3^8 trap spaces, 2^8 attractors. No negative cycle, so no candidate outside
    # the minimal trap spaces: the root goes straight to them. Without that, the diagram fixes one switch
    # per level.
    network = functions_of("\n".join(f"A{i} = not B{i}\nB{i} = not A{i}" for i in range(8)))
    diagram = succession.SuccessionDiagram(_space(network), network)
    assert len(diagram.attractors()) == 2**8
    assert diagram.nodes == 1
    monkeypatch.setattr(succession, "SHORTCUT", False)
    diagram = succession.SuccessionDiagram(_space(network), network)
    assert len(diagram.attractors()) == 2**8
    assert diagram.nodes == 2**9 - 1


def test_a_sibling_whose_states_all_reach_a_node_done_is_settled(monkeypatch):
    # A can only turn off, and C too. The root's children are A = 0 (it percolates to the fixed point
    # 000) and C = 0 (A and B left free). Smallest first: 000 is done, and every state with C = 0
    # reaches it (100 -> 110 -> 010 -> 000), so C = 0 is settled and never explored (nor is its own
    # child A = 0, which percolates to 000 again). Every other state reaches 000 as well.
    network = functions_of("A = A & !B\nB = A | C\nC = A & C")
    monkeypatch.setattr(succession, "SHORTCUT", False)
    diagram = succession.SuccessionDiagram(_space(network), network)
    assert [diagram.space.cubes(states) for states in diagram.attractors()] == [[{"A": 0, "B": 0, "C": 0}]]
    assert diagram.nodes == 2
    monkeypatch.setattr(succession.SuccessionDiagram, "_all_settled", lambda *_: False)
    diagram = succession.SuccessionDiagram(_space(network), network)
    assert len(diagram.attractors()) == 1
    assert diagram.nodes == 3


def test_only_states_that_reach_a_node_done_are_settled(monkeypatch):
    # C switches itself; with C = 1, A and then B turn off (001); with C = 0, A and B hold each other
    # (000 and 110). Settling any state of a parent that cannot reach its done child, say all of the
    # root outside the node checked, loses a fixed point the random networks rarely expose.
    network = functions_of("A = !C & (B | A)\nB = A\nC = C | (C & !B)")
    monkeypatch.setattr(succession, "SHORTCUT", False)
    found = attractors_of_functions(network, engine="succession")
    assert summary(found) == brute_force_attractors(network)
    assert len(found) == 3


def test_a_backward_set_found_in_one_node_is_used_only_in_its_own_space(monkeypatch):
    # S is a switch. With S = 1, A, B and C are off and D and E oscillate: one minimal trap space, which
    # every state of that node is in. With S = 0, D and E are off and A, B and C are the textbook
    # motif-avoidant cycle. The node S = 1 (fewer free nodes) is tested first, symbolically: its states
    # join those known to reach a minimal trap space. Read without S = 1, they would cover the cycle's
    # candidates in S = 0 too, and the cycle would be lost.
    network = functions_of(
        "S = S\nA = !S & (!A & !B | C)\nB = !S & (!A & !B | C)\nC = !S & A & B\nD = S & !E\nE = S & D"
    )
    monkeypatch.setattr(succession, "SHORTCUT_CANDIDATES", -1)  # no walks: every node tests symbolically
    monkeypatch.setattr(succession, "NODE_TRAPS", -1)
    found = attractors_of_functions(network, engine="succession")
    assert summary(found) == brute_force_attractors(network)
    assert ("0**000", 3) in summary(found)


@settings(max_examples=100, deadline=None)
@given(functions=networks(min_nodes=2, max_nodes=8, max_regulators=3))
def test_the_minimal_trap_spaces_of_a_node_are_those_of_its_network(functions):
    # The diagram filters the whole network's minimal trap spaces instead of solving each node's network.
    from igfnet.dynamics.reduction import percolate
    from igfnet.dynamics.trapspaces import maximal_trap_spaces

    values, core = percolate(functions)
    if not core:
        return
    diagram = succession.SuccessionDiagram(_space(core), core)
    for trap in maximal_trap_spaces(core):
        fixed, network = percolate({**core, **{node: bool(value) for node, value in trap.items()}})
        expected = sorted(sorted(space.items()) for space in minimal_trap_spaces(network)) if network else [[]]
        found = sorted(
            sorted((node, int(value)) for node, value in space.items()) for space in diagram._minimal_in(fixed)
        )
        assert found == expected


@settings(max_examples=150, deadline=None)
@given(
    functions=networks(min_nodes=2, max_nodes=8, max_regulators=3),
    seed=st.integers(0, 1000),
    sweeps=st.sampled_from([0, 1, 3, 10]),
    few_walks=st.sampled_from([0, 3, 100]),
)
def test_the_walks_keep_a_state_of_every_attractor_they_could_not_rule_out(functions, seed, sweeps, few_walks):
    # Walks rule a start out only on a path into a subspace or to a later walk's start. So every
    # attractor (brute force) that holds a start and meets no subspace holds a survivor, and every
    # survivor is reached from a start. Any subspaces will do: a walk says yes only where it has seen a
    # state inside one. Short walks and repeated starts make the kept states matter; the walks go
    # together (numpy), alone (Python ints), or together until few are left.
    from reference import state_graph

    nodes = list(functions)
    generator = random.Random(seed)
    graph = state_graph(functions)
    # Half the starts in attractors: several in one cyclic attractor may each reach another's start.
    in_attractors = sorted(state for component in networkx.attracting_components(graph) for state in component)
    starts = [
        dict(zip(nodes, map(bool, generator.choice(in_attractors))))
        if generator.random() < 0.5
        else random_state(nodes, generator)
        for _ in range(generator.randint(1, 6))
    ]
    starts += generator.sample(starts, generator.randint(0, len(starts)))
    subspaces = [
        {node: generator.random() < 0.5 for node in generator.sample(nodes, generator.randint(1, len(nodes)))}
        for _ in range(generator.randint(0, 3))
    ]
    few = succession.FEW_WALKS
    succession.FEW_WALKS = few_walks
    try:
        survivors = succession._Walker(functions).survivors({}, starts, subspaces, sweeps)
    finally:
        succession.FEW_WALKS = few

    def as_tuple(state):
        return tuple(int(state[node]) for node in nodes)

    def meets(component, subspace):
        return any(all(state[nodes.index(node)] == value for node, value in subspace.items()) for state in component)

    kept = {as_tuple(state) for state in survivors}
    reached = set().union(*(networkx.descendants(graph, as_tuple(start)) | {as_tuple(start)} for start in starts))
    assert kept <= reached
    for component in networkx.attracting_components(graph):
        if component & {as_tuple(start) for start in starts} and not any(meets(component, s) for s in subspaces):
            assert component & kept


@settings(max_examples=100, deadline=None)
@given(functions=networks(min_nodes=1, max_nodes=7, max_regulators=3), seed=st.integers(0, 1000))
def test_the_candidates_are_the_fixed_points_of_the_retained_dynamics(functions, seed):
    # One grounded program answers every choice of retained values (external atoms): each answer set,
    # and the count clasp reports, against the definition checked state by state.
    nodes = list(functions)
    generator = random.Random(seed)
    motifs = [
        {node: generator.random() < 0.5 for node in generator.sample(nodes, 1)} for _ in range(generator.randint(0, 2))
    ]
    program = succession._CandidateProgram(functions, motifs)
    for _ in range(3):
        retained = {node: generator.random() < 0.5 for node in nodes if generator.random() < 0.4}
        expected = [
            state
            for state in all_states(nodes)
            if is_candidate(functions, retained, state)
            and not any(all(state[node] == value for node, value in motif.items()) for motif in motifs)
        ]
        key = lambda state: [state[node] for node in nodes]  # noqa: E731
        assert sorted(program.solve(retained, 1 << len(nodes)), key=key) == sorted(expected, key=key)
        assert program.count(retained, 1 << len(nodes)) == len(expected)
        if expected:
            assert program.count(retained, len(expected)) == len(expected) and program.stopped
            assert program.count(retained, len(expected) + 1) == len(expected) and not program.stopped


@settings(max_examples=100, deadline=None)
@given(functions=networks(min_nodes=1, max_nodes=8, max_regulators=3), seed=st.integers(0, 1000))
def test_the_growing_saturation_reaches_what_brute_force_reaches(functions, seed):
    from reference import reachable_states

    from igfnet.dynamics._symbolic import AsyncDynamics

    start = random_state(list(functions), random.Random(seed))
    space = _space(functions)
    reached = succession._forward(AsyncDynamics(space, functions), space.cube(start))
    expected = space.false
    for state in reachable_states(functions, start):
        expected |= space.cube({node: bool(value) for node, value in state.items()})
    assert reached == expected


@settings(max_examples=100, deadline=None)
@given(functions=networks(min_nodes=1, max_nodes=7, max_regulators=3), seed=st.integers(0, 1000))
def test_the_backward_saturation_holds_every_state_that_reaches_the_start(functions, seed):
    from reference import reachable_states

    from igfnet.dynamics._symbolic import AsyncDynamics

    nodes = list(functions)
    target = random_state(nodes, random.Random(seed))
    space = _space(functions)
    dynamics = AsyncDynamics(space, functions)
    start = space.cube(target)
    grown = list(succession._saturation(dynamics, start, dynamics.predecessors))
    reached = grown[-1] if grown else start
    expected = space.false
    for state in all_states(nodes):
        if target in reachable_states(functions, state):
            expected |= space.cube(state)
    assert reached == expected


@pytest.mark.parametrize("every", [1, 16])
@settings(max_examples=150, deadline=None)
@given(functions=networks(min_nodes=2, max_nodes=7, max_regulators=3), seed=st.integers(0, 1000))
def test_the_symbolic_shortcut_holds_when_every_candidate_reaches_a_minimal_trap_space(every, functions, seed):
    # The test's answer against its definition: the candidates outside the minimal trap spaces each
    # reach one, by brute force. Any retained values make candidates that every attractor meets; random
    # ones, on any nodes, leave many more candidates than the engine's choice does.
    from igfnet.dynamics.reduction import percolate

    _, core = percolate(functions)
    if not core:
        return
    generator = random.Random(seed)
    retained = {node: generator.random() < 0.5 for node in core if generator.random() < 0.5}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(succession, "_retained_values", lambda *_: retained)
        patch.setattr(succession, "COVER_CHECK", every)
        assert_candidates_reach_as_brute_force_says(core)


@pytest.mark.parametrize("seed", [None, 1, 2])
@pytest.mark.parametrize("functions", MOTIF_AVOIDANT, ids=lambda functions: f"{len(functions)}-nodes")
def test_the_symbolic_shortcut_fails_where_an_attractor_avoids_the_minimal_trap_spaces(functions, seed, monkeypatch):
    # Whatever the retained nodes (an NFVS, and random others that leave more candidates, some of them
    # reaching a minimal trap space) and values, a candidate lies in the attractor that reaches none.
    from igfnet.dynamics.reduction import percolate

    monkeypatch.setattr(succession, "COVER_CHECK", 1)
    _, core = percolate(functions)
    if seed is not None:
        generator = random.Random(seed)
        nfvs = succession.negative_feedback_vertex_set(signed_graph(core))
        chosen = nfvs | {node for node in core if generator.random() < 0.5}
        retained = {node: generator.random() < 0.5 for node in sorted(chosen)}
        monkeypatch.setattr(succession, "_retained_values", lambda *_: retained)
    assert assert_candidates_reach_as_brute_force_says(core) is False


def assert_candidates_reach_as_brute_force_says(core: dict[str, Expr]) -> bool:
    from reference import reachable_states

    from igfnet.dynamics._symbolic import AsyncDynamics

    diagram = succession.SuccessionDiagram(_space(core), core)
    minimal = diagram._minimal_in({})
    retained = diagram._retained(core, minimal)

    def inside(state: dict[str, bool]) -> bool:
        return any(all(state[node] == value for node, value in trap.items()) for trap in minimal)

    every_candidate_reaches = True
    space = diagram.space
    candidates = space.false
    for state in all_states(list(core)):
        if not is_candidate(core, retained, state):
            continue
        candidates |= space.cube(state)
        if not inside(state) and not any(inside(reached) for reached in reachable_states(core, state)):
            every_candidate_reaches = False
    assert succession._candidate_set(AsyncDynamics(space, core), retained) == candidates
    assert diagram._candidates_reach({}, core, minimal, succession.SHORTCUT_IMAGES) == every_candidate_reaches
    return every_candidate_reaches


def is_candidate(functions: dict[str, Expr], retained: dict[str, bool], state: dict[str, bool]) -> bool:
    """Whether the state is fixed when only moves towards a retained value are kept (by evaluation)."""
    moves = [node for node in functions if evaluate(functions[node], state) != state[node]]
    return all(node in retained and state[node] == retained[node] for node in moves)


def all_states(nodes: list[str]) -> list[dict[str, bool]]:
    return [{node: bool(index >> bit & 1) for bit, node in enumerate(nodes)} for index in range(1 << len(nodes))]


def random_state(nodes: list[str], generator: random.Random) -> dict[str, bool]:
    return {node: generator.random() < 0.5 for node in nodes}


def _space(network: dict[str, Expr]):
    from igfnet.dynamics._symbolic import SymbolicSpace

    return SymbolicSpace(list(network))


# -- the negative feedback vertex set ----------------------------------------------


def signed_graph(functions: dict[str, Expr]) -> dict[str, dict[str, set[bool]]]:
    """Regulations and their signs by truth table (independent of the engine's BDDs)."""
    nodes = list(functions)
    graph: dict[str, dict[str, set[bool]]] = {node: {} for node in nodes}
    for target, regulators in regulators_of(functions).items():
        for regulator in regulators:
            signs = set()
            for index in range(1 << len(nodes)):
                state = {node: (index >> bit) & 1 for bit, node in enumerate(nodes)}
                if state[regulator]:
                    continue
                low = evaluate(functions[target], state)
                high = evaluate(functions[target], {**state, regulator: 1})
                if low != high:
                    signs.add(bool(high))
            if signs:
                graph[target][regulator] = signs
    return graph


@settings(max_examples=150, deadline=None)
@given(functions=networks(min_nodes=2, max_nodes=8, max_regulators=3))
def test_the_negative_feedback_vertex_set_meets_every_negative_cycle(functions):
    graph = signed_graph(functions)
    chosen = succession.negative_feedback_vertex_set(graph)
    directed = networkx.DiGraph([(regulator, target) for target in graph for regulator in graph[target]])
    for cycle in networkx.simple_cycles(directed):
        edges = list(zip(cycle, cycle[1:] + cycle[:1]))
        # A cycle through a regulation of both signs is negative one way round; count it.
        can_be_negative = _parities(graph, edges) != {True}
        if can_be_negative:
            assert chosen & set(cycle), f"negative cycle {cycle} misses {chosen}"


def _parities(graph: dict[str, dict[str, set[bool]]], edges: list[tuple[str, str]]) -> set[bool]:
    parities = {True}
    for regulator, target in edges:
        parities = {parity == sign for parity in parities for sign in graph[target][regulator]}
    return parities


def test_the_cli_engines_list_the_same_attractors(tmp_path, monkeypatch):
    """`igfnet attractors --engine` reaches every engine, and each lists the same attractors, byte for byte."""
    from click.testing import CliRunner

    from igfnet.cli import main

    walked = []
    walk = succession.attractors_by_succession
    monkeypatch.setattr(succession, "attractors_by_succession", lambda *a, **k: walked.append(1) or walk(*a, **k))

    textbook = tmp_path / "textbook.bnet"
    textbook.write_text("targets, factors\nA, !A & !B | C\nB, !A & !B | C\nC, A & B\nD, D\n")
    outputs = {}
    for engine in ("auto", "symbolic", "trapspaces", "succession"):
        result = CliRunner().invoke(main, ["attractors", "-m", str(textbook), "--engine", engine, "--format", "csv"])
        assert result.exit_code == 0, result.output
        outputs[engine] = result.output
    assert len(set(outputs.values())) == 1 and len(walked) == 1  # the succession engine ran once, on request
    # The motif-avoidant cycle (three states, C=0) and the fixed point, each with D's two values.
    assert outputs["succession"].count("\n") == 1 + 4
    refused = CliRunner().invoke(main, ["attractors", "--engine", "sucession"])
    assert refused.exit_code == 2 and "'sucession' is not one of" in refused.output


@settings(max_examples=100, deadline=None)
@given(functions=networks(min_nodes=1, max_nodes=8, max_regulators=3), seed=st.integers(0, 1000))
def test_rules_compiled_to_words_read_nodes_in_any_word(functions, seed):
    # The walks' compiled rules (igfnet.logic.compile_words) against evaluate, with the nodes spread
    # over four 64-bit words, on Python ints and on numpy columns of states alike.
    import numpy

    from igfnet.logic import compile_words

    nodes = list(functions)
    generator = random.Random(seed)
    index = dict(zip(nodes, generator.sample(range(256), len(nodes))))
    states = [random_state(nodes, generator) for _ in range(5)]
    words = [
        [sum(1 << index[n] % 64 for n in nodes if state[n] and index[n] // 64 == w) for w in range(4)]
        for state in states
    ]
    columns = numpy.array(words, dtype=numpy.uint64).T
    for expression in functions.values():
        update = compile_words(expression, index)
        expected = [int(evaluate(expression, state)) for state in states]
        assert [update(state_words) for state_words in words] == expected
        assert numpy.broadcast_to(update(columns), (len(states),)).tolist() == expected
