"""Every attractor through the succession diagram of trap spaces (after biobalm).

The succession diagram's nodes are trap spaces: the subspace percolation
leaves, then, below each node, the percolated maximal trap spaces of the
network restricted to it (its children). A node without children is a
minimal trap space. Every attractor lies in exactly one node and in none of
that node's children: the smallest trap space holding it is a node (a trap
space strictly inside a node lies inside one of its maximal trap spaces).
So the attractors are, node by node, those of the node that avoid its
children ("motif-avoidant" when the node is not minimal). Two refinements
keep the diagram small: a node whose autonomous source component has trap
spaces of its own expands only those (biobalm's block expansion; an
attractor avoiding them projects onto an attractor of the component that
avoids them, searched above that projection), and a node where no candidate
(below) lies outside its minimal trap spaces, or every such candidate walks
into one, goes straight to its minimal trap spaces. An attractor met twice
(overlapping nodes) is kept once: attractors are disjoint or equal.

Inside a node the attractors are found from candidate states, not by
searching the node's whole space (Trinh, Benhamou, Paulevé, Pastva et al.;
biobalm's "retained set"). For a negative feedback vertex set U of the
node's network (every negative cycle of its signed regulatory graph meets U)
and any value r_u per u in U, let u change only towards r_u: the graph left
is a subgraph of the asynchronous state graph, and (Richard's theorem: a
network without negative cycles has no cyclic attractor) each of its
attractors is a single state. An attractor A of the node is closed in the
subgraph too, so it holds one of the subgraph's fixed points: a state where
every node outside U is stable and no u in U can move to r_u. Those states
outside the children (answers of a logic program, solved with clingo) are
the candidates; every attractor of the node avoiding its children holds
one. The values r_u are chosen greedily to leave few candidates.

A candidate is tested by its forward set, built one saturation step at a
time and abandoned as soon as it meets the children or another candidate
not yet tested: candidates are tested in turn, and each is removed from the
others' stop set before its own test. A candidate whose forward set
completes without meeting the stop set lies in an attractor, that forward
set, which joins the stop set (no other candidate reaches it and stops
short of it). A candidate that meets the stop set is in no new attractor of
the node: if it meets a child, its attractor (if any) would lie in the child;
if another untested candidate, the same candidate's attractor, if any, is
found when the last of its candidates is tested. Short random walks that
enter a child rule candidates out first, cheaply; a walk only ever shows a
path that exists.

The diagram can be large (one node per combination of independent
switches), and a node can have more candidates than is worth testing one
by one: past :data:`MAX_NODES` nodes the caller's other engine takes over,
and past :data:`MAX_CANDIDATES` candidates the node is searched with the
transition-guided reduction (:mod:`igfnet.dynamics._engine`) inside the
node's space minus its children. Both are exact.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from typing import TYPE_CHECKING

from igfnet.dynamics.reduction import (
    eliminate_outputs,
    percolate,
    source_components,
    strongly_connected_components,
)
from igfnet.dynamics.trapspaces import maximal_trap_spaces, minimal_trap_spaces
from igfnet.logic import Expr, evaluate, variables

if TYPE_CHECKING:
    from igfnet.dynamics._symbolic import AsyncDynamics, Function, SymbolicSpace
    from igfnet.dynamics.attractors import AttractorSolver

_log = logging.getLogger(__name__)

MAX_NODES = 10_000
"""Succession diagram nodes beyond which the diagram is abandoned (:class:`DiagramTooLarge`)."""

MAX_CANDIDATES = 1_000
"""Candidate states in one node beyond which that node is searched without candidates."""

SHORTCUT = True
"""Whether a node whose candidates outside its minimal trap spaces are none skips to those (tests turn it off)."""

SHORTCUT_CANDIDATES = 50
"""Candidates outside a node's minimal trap spaces up to which random walks try to rule them all out."""

WALK_STEPS = 100
"""Random-walk steps per free node of a node's network, per candidate, before the symbolic test."""

Subspace = dict[str, bool]
"""Nodes fixed in a subspace, with their values (the others are free)."""


class DiagramTooLarge(Exception):
    """The succession diagram has more than MAX_NODES nodes; another engine should answer."""


def attractors_by_succession(solver: AttractorSolver, functions: Mapping[str, Expr]) -> list[Function]:
    """Every attractor of the network, as BDDs over all nodes (exact, like :meth:`AttractorSolver.attractors`).

    Raises DiagramTooLarge when the succession diagram grows past MAX_NODES
    nodes, before any attractor is returned.
    """
    space = solver.space
    values, residual = percolate(functions)
    core, outputs = eliminate_outputs(residual)
    found = SuccessionDiagram(space, core).attractors() if core else [space.true]
    prefix = space.cube(values)
    return [prefix & solver.add_outputs(states, residual, outputs) for states in found]


class SuccessionDiagram:
    """The succession diagram of a network (percolated, no constants), explored node by node.

    Parameters
    ----------
    space : SymbolicSpace
        BDD space holding every node of ``core``.
    core : Mapping[str, Expr]
        Update functions with no constant left (``percolate`` done).
    """

    def __init__(self, space: SymbolicSpace, core: Mapping[str, Expr]):
        self.space = space
        self.core = dict(core)
        self.nodes = 0
        self._leaves: set[frozenset[tuple[str, bool]]] = set()
        self._functions: dict[Expr, Function] = {}

    def attractors(self) -> list[Function]:
        """Every attractor, node by node of the diagram (an attractor met twice is kept once)."""
        found: dict[int, Function] = {}
        seen: set[frozenset[tuple[str, bool]]] = {frozenset()}
        pending: list[Subspace] = [{}]
        while pending:
            fixed = pending.pop()
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise DiagramTooLarge(f"more than {MAX_NODES} succession diagram nodes")
            network = self._restricted(fixed)
            if not network:
                found.setdefault(int(state := self.space.cube(fixed)), state)
                continue
            if SHORTCUT and self._only_minimal(network):
                for trap in minimal_trap_spaces(network):
                    leaf = {**fixed, **{node: bool(value) for node, value in trap.items()}}
                    if (key := frozenset(leaf.items())) not in self._leaves:
                        self._leaves.add(key)
                        for states in self._in_minimal(leaf):
                            found.setdefault(int(states), states)
                continue
            block, motifs = _expansion(network)
            for motif in motifs:
                child = {**fixed, **percolate({**network, **motif})[0]}
                key = frozenset(child.items())
                if key not in seen:
                    seen.add(key)
                    pending.append(child)
            for states in self._attractors_in_node(fixed, network, block, motifs):
                found.setdefault(int(states), states)
        _log.debug("succession diagram: %d nodes, %d attractors", self.nodes, len(found))
        return list(found.values())

    def _only_minimal(self, network: dict[str, Expr]) -> bool:
        """Whether every attractor of the node lies in one of its minimal trap spaces.

        True when every candidate outside them (a few at most) has a random walk into one: each
        attractor of the node outside its minimal trap spaces would hold a candidate reaching none.
        """
        minimal = [{node: bool(value) for node, value in trap.items()} for trap in minimal_trap_spaces(network)]
        candidates = self._candidates(network, minimal, SHORTCUT_CANDIDATES + 1)
        if len(candidates) > SHORTCUT_CANDIDATES:
            return False
        return all(_walk_reaches(network, state, minimal, WALK_STEPS) for state in candidates)

    def _in_minimal(self, fixed: Subspace) -> list[Function]:
        """The attractors of a minimal trap space."""
        network = self._restricted(fixed)
        node_space = self.space.cube(fixed)
        return self._avoiding(node_space, network, []) if network else [node_space]

    def _restricted(self, fixed: Subspace) -> dict[str, Expr]:
        """The network inside a node: its fixed nodes substituted (percolation changes nothing more)."""
        values, residual = percolate({**self.core, **fixed})
        assert values.keys() == fixed.keys(), "a diagram node is a percolated trap space"
        return residual

    def _function(self, expression: Expr) -> Function:
        function = self._functions.get(expression)
        if function is None:
            function = self._functions[expression] = self.space.expression(expression)
        return function

    # -- inside one node ----------------------------------------------------------

    def _attractors_in_node(
        self, fixed: Subspace, network: dict[str, Expr], block: list[str], motifs: list[Subspace]
    ) -> list[Function]:
        """The attractors inside the node that lie in none of the motifs.

        ``block`` is an autonomous part of the node's network (its motifs fix nodes of the block only),
        or all of it. An attractor avoiding the motifs projects onto an attractor of the block avoiding
        them; the attractors of the whole network above each such projection are searched in it.
        """
        from igfnet.dynamics._engine import bottom_components
        from igfnet.dynamics._symbolic import AsyncDynamics

        node_space = self.space.cube(fixed)
        part = {node: network[node] for node in block}
        found = self._avoiding(node_space, part, motifs)
        if len(part) == len(network):
            return found
        dynamics = AsyncDynamics(self.space, network)
        return [states for projection in found for states in bottom_components(dynamics, projection)]

    def _avoiding(self, node_space: Function, network: dict[str, Expr], motifs: list[Subspace]) -> list[Function]:
        """The attractors of an autonomous network inside the node's space that lie in none of the motifs."""
        from igfnet.dynamics._symbolic import AsyncDynamics

        space = self.space
        in_motifs = space.false
        for motif in motifs:
            in_motifs |= space.cube(motif)
        dynamics = AsyncDynamics(space, network)
        states = self._candidates(network, motifs, MAX_CANDIDATES + 1)
        if len(states) > MAX_CANDIDATES:
            from igfnet.dynamics._engine import bottom_components

            _log.debug("%d nodes: over %d candidates, searched whole", len(network), MAX_CANDIDATES)
            return bottom_components(dynamics, node_space & ~in_motifs)
        if not motifs and len(states) == 1:
            # A minimal trap space holds an attractor, and each of its attractors holds a candidate.
            return [dynamics.forward(node_space & space.cube(states[0]))]
        if motifs:
            states = [state for state in states if not _walk_reaches(network, state, motifs, WALK_STEPS)]
        _log.debug("%d nodes, %d motifs: %d candidates to test", len(network), len(motifs), len(states))
        return _test_candidates(dynamics, [node_space & space.cube(state) for state in states], in_motifs)

    def _candidates(self, network: dict[str, Expr], motifs: list[Subspace], limit: int) -> list[Subspace]:
        """Up to ``limit`` fixed points of the network, its NFVS nodes moving only towards retained values,
        outside the motifs (states over the network's nodes).

        The values are chosen greedily: each NFVS node's value is flipped when that leaves fewer candidates.
        """
        retained = _retained_values(self._signed_graph(network), network, motifs)
        program = _CandidateProgram(network, motifs)
        candidates = program.solve(retained, limit)
        enough = 0 if motifs else 1  # a minimal trap space's single candidate needs no test
        for _ in range(3):  # passes over the NFVS; the count only decreases
            improved = False
            for node in sorted(retained):
                if len(candidates) <= enough:
                    return candidates
                flipped = {**retained, node: not retained[node]}
                trial = program.solve(flipped, len(candidates))
                if not program.stopped:  # strictly fewer
                    retained, candidates, improved = flipped, trial, True
            if not improved:
                break
        return candidates

    def _signed_graph(self, network: dict[str, Expr]) -> dict[str, dict[str, set[bool]]]:
        """Per node, its regulators within the network and the signs (True: activation) of each."""
        space = self.space
        graph: dict[str, dict[str, set[bool]]] = {}
        for node, expression in network.items():
            function = self._function(expression)
            edges: dict[str, set[bool]] = {}
            for regulator in variables(expression):
                name = space.name(regulator)
                low = space.bdd.let({name: space.false}, function)
                high = space.bdd.let({name: space.true}, function)
                signs = set()
                if (low & ~high) != space.false:
                    signs.add(False)
                if (high & ~low) != space.false:
                    signs.add(True)
                if signs:
                    edges[regulator] = signs
            graph[node] = edges
        return graph


class _CandidateProgram:
    """The candidate states of a network as answers of a logic program (clingo, as biobalm's trappist core).

    ``x(i)``: node i is 1. Each update function and its negation are written as disjunctions of
    cubes (the paths of their BDDs); a node outside the NFVS must equal its function, a retained
    node must not be away from its retained value while its function calls it back, and no answer
    may lie in a motif.
    """

    def __init__(self, network: Mapping[str, Expr], motifs: list[Subspace]):
        from igfnet.dynamics._symbolic import SymbolicSpace
        from igfnet.dynamics.trapspaces import _cubes

        self.nodes = list(network)
        space = SymbolicSpace(self.nodes)  # its own variables: the cubes are read off by level
        index = {space.name(node): position for position, node in enumerate(self.nodes)}
        position_of = {node: position for position, node in enumerate(self.nodes)}
        # Per node: the rule bodies where its function is 1, and where it is 0.
        self.bodies: list[tuple[list[str], list[str]]] = []
        for node in self.nodes:
            function = space.expression(network[node])
            self.bodies.append(
                (
                    [_body(cube) for cube in _cubes(space, function, index)],
                    [_body(cube) for cube in _cubes(space, ~function, index)],
                )
            )
        self.base = [f"node(0..{len(self.nodes) - 1}).", "{x(I)} :- node(I).", "#show x/1."]
        for motif in motifs:
            literals = [f"{'' if value else 'not '}x({position_of[node]})" for node, value in motif.items()]
            self.base.append(f":- {', '.join(literals)}.")
        self.stopped = False

    def solve(self, retained: Mapping[str, bool], limit: int) -> list[Subspace]:
        """Up to ``limit`` answers (``self.stopped``: the limit cut the enumeration short)."""
        import clingo

        lines = list(self.base)
        for position, node in enumerate(self.nodes):
            ones, zeros = self.bodies[position]
            # 1 where the function is 0 and 0 where it is 1 are both forbidden, unless retained:
            # then only being away from the retained value while the function says the retained value.
            if node not in retained or retained[node]:
                lines += [f":- {body}not x({position})." for body in ones]
            if node not in retained or not retained[node]:
                lines += [f":- {body}x({position})." for body in zeros]
        self.stopped = False
        if limit <= 0:
            self.stopped = True
            return []
        control = clingo.Control([f"--models={limit}"])
        control.add("base", [], "\n".join(lines))
        control.ground([("base", [])])
        found: list[Subspace] = []
        with control.solve(yield_=True) as handle:
            for model in handle:
                on = {symbol.arguments[0].number for symbol in model.symbols(shown=True)}
                found.append({node: position in on for position, node in enumerate(self.nodes)})
        self.stopped = len(found) >= limit
        return found


def _body(cube: Mapping[int, bool]) -> str:
    """A rule body's literals for a cube, each followed by ', ' (empty for the empty cube)."""
    return "".join(f"{'' if bit else 'not '}x({regulator}), " for regulator, bit in sorted(cube.items()))


def _expansion(network: Mapping[str, Expr]) -> tuple[list[str], list[Subspace]]:
    """The nodes whose motifs a diagram node expands, and those motifs (maximal trap spaces).

    The first source component of the regulatory graph (autonomous: it reads only itself) that has
    trap spaces of its own; the children then fix it one way or another before what lies downstream
    (biobalm's block expansion keeps the diagram small the same way). When none has, all of the
    network and its maximal trap spaces.
    """
    for block in source_components(dict(network), set(network)):
        if len(block) == len(network):
            break
        motifs = maximal_trap_spaces({node: network[node] for node in block})
        if motifs:
            return block, [{node: bool(value) for node, value in motif.items()} for motif in motifs]
    return list(network), [
        {node: bool(value) for node, value in motif.items()} for motif in maximal_trap_spaces(network)
    ]


def negative_feedback_vertex_set(graph: Mapping[str, Mapping[str, set[bool]]]) -> set[str]:
    """Nodes that meet every negative cycle of a signed graph (not necessarily the fewest).

    ``graph`` maps each node to its regulators and their signs (both signs:
    a non-monotone regulation, on a positive and a negative cycle alike).
    A strongly connected graph has no negative cycle exactly when its nodes
    can be given signs that every edge respects (Harary); nodes are removed
    greedily from unbalanced components, then put back where they are not
    needed.
    """
    removed: list[str] = []
    while unbalanced := _unbalanced_components(graph, set(removed)):
        component = set(unbalanced[0])
        degree = {
            node: sum(1 for regulator in graph[node] if regulator in component)
            * sum(1 for target in component if node in graph[target])
            for node in component
        }
        removed.append(max(sorted(component), key=degree.__getitem__))
    kept = set(removed)
    for node in reversed(removed):
        if not _unbalanced_components(graph, kept - {node}):
            kept.discard(node)
    return kept


def _unbalanced_components(graph: Mapping[str, Mapping[str, set[bool]]], removed: set[str]) -> list[list[str]]:
    """Strongly connected components (without ``removed``) that hold a negative cycle."""
    edges = {
        node: [regulator for regulator in regulators if regulator not in removed]
        for node, regulators in graph.items()
        if node not in removed
    }
    unbalanced = []
    for component in strongly_connected_components(edges):
        members = set(component)
        if len(component) == 1 and component[0] not in edges[component[0]]:
            continue
        if not _balanced(graph, members):
            unbalanced.append(component)
    return unbalanced


def _balanced(graph: Mapping[str, Mapping[str, set[bool]]], members: set[str]) -> bool:
    """Whether the nodes can be signed so that every edge among them joins equal signs iff it activates."""
    neighbours: dict[str, list[tuple[str, set[bool]]]] = {node: [] for node in members}
    for target in members:
        for regulator, signs in graph[target].items():
            if regulator in members:
                neighbours[target].append((regulator, signs))
                neighbours[regulator].append((target, signs))
    sign: dict[str, bool] = {}
    for start in sorted(members):
        if start in sign:
            continue
        sign[start] = True
        pending = [start]
        while pending:
            node = pending.pop()
            for other, signs in neighbours[node]:
                if len(signs) == 2:
                    return False
                expected = sign[node] == (True in signs)
                if other not in sign:
                    sign[other] = expected
                    pending.append(other)
                elif sign[other] != expected:
                    return False
    return True


def _retained_values(
    graph: Mapping[str, Mapping[str, set[bool]]],
    network: Mapping[str, Expr],
    motifs: list[Subspace],
) -> dict[str, bool]:
    """An NFVS with a value per node: the motif sharing the fewest NFVS nodes gives its values, then majority.

    Any values are sound; these (biobalm's heuristic) tend to push candidates into a motif, where they
    are not candidates.
    """
    nfvs = negative_feedback_vertex_set(graph)
    retained: dict[str, bool] = {}
    if motifs:
        motif = min(motifs, key=lambda motif: len(nfvs & motif.keys()))
        retained = {node: value for node, value in motif.items() if node in nfvs}
    for node in sorted(nfvs - retained.keys()):
        retained[node] = _mostly_true(network[node])
    return retained


def _mostly_true(expression: Expr) -> bool:
    """Whether the function is true in at least half of the states of its variables (by truth table, up to 16)."""
    names = sorted(variables(expression))
    if len(names) > 16:
        return True  # any value is sound: only the number of candidates depends on it
    ones = 0
    for index in range(1 << len(names)):
        ones += evaluate(expression, {name: (index >> bit) & 1 for bit, name in enumerate(names)})
    return 2 * ones > (1 << len(names))


def _walk_reaches(network: Mapping[str, Expr], start: Subspace, motifs: list[Subspace], per_node: int) -> bool:
    """Whether a random asynchronous walk from ``start`` enters one of the motifs (False: not seen, not disproved)."""
    nodes = sorted(network)
    state = {node: int(value) for node, value in start.items()}
    containing: dict[str, list[int]] = {node: [] for node in nodes}
    missing = []
    for index, motif in enumerate(motifs):
        missing.append(sum(state[node] != value for node, value in motif.items()))
        for node in motif:
            containing[node].append(index)
    if 0 in missing:
        return True
    generator = random.Random(len(nodes))
    for _ in range(per_node * len(nodes)):
        node = generator.choice(nodes)
        value = int(evaluate(network[node], state))
        if value == state[node]:
            continue
        state[node] = value
        for index in containing[node]:
            missing[index] += -1 if motifs[index][node] == bool(value) else 1
            if missing[index] == 0:
                return True
    return False


def _test_candidates(dynamics: AsyncDynamics, candidates: list[Function], in_motifs: Function) -> list[Function]:
    """The attractors that hold candidates and meet no motif (see the module's docstring)."""
    from igfnet.dynamics._engine import Closure

    space = dynamics.space
    false = space.false
    untested = false
    for candidate in candidates:
        untested |= candidate
    stop = in_motifs | untested
    found: list[Function] = []
    for candidate in candidates:
        stop &= ~candidate
        if (candidate & stop) != false:
            continue  # inside an attractor found already
        reach = Closure(dynamics, candidate, forward=True)
        while True:
            new = reach.step(None)
            if new == false:
                found.append(reach.states)
                stop |= reach.states
                break
            if (new & stop) != false:
                break
            reach.states |= new
    return found
