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
(below) lies outside its minimal trap spaces, or random walks rule every
such candidate out (at the root, or the backward set of the minimal trap spaces holds
them all), goes straight to its minimal trap spaces. An attractor met twice
(overlapping nodes) is kept once: attractors are disjoint or equal.

Overlapping nodes are not searched twice. The diagram is walked depth
first, the child with the fewest free nodes first; a node is done when
every attractor in it is found (its children done and its own searched).
An attractor with a state that can reach a node done lies in that node (a
trap space), so it is found: the backward set of the node within its
parent joins the settled states, and a node whose candidates (of the
root's network) are all settled is done without being explored. The
backward sets grow only as far as those checks need. Below the
root, a node that still holds many minimal trap spaces not yet searched
tries the symbolic test of the root (every candidate in the backward set
of its minimal trap spaces), within a smaller budget; each test starts from
the states earlier ones found reaching a minimal trap space.

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
found when the last of its candidates is tested. Random walks rule
candidates out first, cheaply, by the same argument (biobalm's simulation):
a walk from a candidate that enters a child, or a state kept for another
candidate, drops it, and a candidate it cannot drop is replaced by where
its walk ended. Rounds of twice as long walks follow while they drop
candidates; a walk only ever shows a path that exists.

The diagram can be large (one node per combination of independent
switches), and a node can have more candidates than is worth testing one
by one: past :data:`MAX_NODES` nodes the caller's other engine takes over,
and past :data:`MAX_CANDIDATES` candidates (or :data:`MAX_TESTS` left after
the walks) the node is searched with the transition-guided reduction
(:mod:`igfnet.dynamics._engine`) inside the node's space minus its
children. Both are exact.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from igfnet.dynamics.reduction import (
    eliminate_outputs,
    percolate,
    source_components,
    strongly_connected_components,
)
from igfnet.dynamics.trapspaces import maximal_trap_spaces, minimal_trap_spaces
from igfnet.logic import Expr, compile_words, variables

if TYPE_CHECKING:
    from igfnet.dynamics._symbolic import AsyncDynamics, Flip, Function, SymbolicSpace
    from igfnet.dynamics.attractors import AttractorSolver

_log = logging.getLogger(__name__)

MAX_NODES = 10_000
"""Succession diagram nodes beyond which the diagram is abandoned (:class:`DiagramTooLarge`)."""

MAX_CANDIDATES = 10_000
"""Candidate states in one node beyond which that node is searched without candidates."""

MAX_TESTS = 1_000
"""Candidates left after the random walks beyond which the node is searched without candidates (each
left is tested by a forward set)."""

SHORTCUT = True
"""Whether a node whose candidates outside its minimal trap spaces are none skips to those (tests turn it off)."""

SHORTCUT_CANDIDATES = 10_000
"""Candidates outside a node's minimal trap spaces up to which random walks try to rule them all out."""

SHORTCUT_IMAGES = 4_000
"""Backward images within which the symbolic test of the shortcut must show every candidate reaching a minimal trap space."""

COVER_CHECK = 16
"""Backward images between two checks whether the backward set holds every candidate."""

SHORTCUT_TRAPS = 8
"""Minimal trap spaces up to which the root tries the symbolic test (beyond, the diagram is the better bet).

Measured on the published models with inputs fixed at random: the test answers bbm079 (4 and 1 minimal
trap spaces of 80 to 137 free nodes), where the diagram's nodes each take seconds, but costs bbm192
(65 fixed points) 9 s in vain, and bbm002 (16) took 85-98 s with it against 50-58 s without (the
diagram then hands over to the reduction).
"""

NODE_TRAPS = 8
"""Minimal trap spaces not yet searched beyond which a node below the root tries the symbolic test.

On bbm079 seed 1 (inputs fixed at random) a node with 74 free nodes holds 576 minimal trap spaces:
the test passes there in 0.4 s, where its part of the diagram has thousands of nodes. Its siblings
hold the same minimal trap spaces, searched by then.
"""

NODE_IMAGES = 500
"""Backward images within which the symbolic test must pass below the root (a failure costs seconds)."""

SETTLE_IMAGES = 500
"""Backward images a done node's backward set may take; there it stops, and the diagram settles no more."""


def _exploration_order(children: list[_Node]) -> list[_Node]:
    """The order children are explored in: fewest free nodes first (done soonest, its backward set may
    settle its siblings). Any order is exact; tests reverse it."""
    return sorted(children, key=lambda child: len(child.network))


WALK_STEPS = 100
"""Random-walk sweeps (a step per free node, in random order) per candidate in the first round of walks."""

WALK_BUDGET = 1_000
"""Sweeps per free node of the network that a round of walks which rules nothing out may take (biobalm's
``minimum_simulation_budget``): the walks are twice as long each round while a round rules out candidates
or stays within that budget, and at most WALK_ROUNDS rounds."""

WALK_ROUNDS = 6

Subspace = dict[str, bool]
"""Nodes fixed in a subspace, with their values (the others are free)."""


class DiagramTooLarge(Exception):
    """The succession diagram has more than MAX_NODES nodes; another engine should answer."""


def attractors_by_succession(
    solver: AttractorSolver, functions: Mapping[str, Expr], max_nodes: int | None = None
) -> list[Function]:
    """Every attractor of the network, as BDDs over all nodes (exact, like :meth:`AttractorSolver.attractors`).

    Raises DiagramTooLarge when the succession diagram grows past ``max_nodes``
    nodes (default MAX_NODES), before any attractor is returned.
    """
    space = solver.space
    values, residual = percolate(functions)
    core, outputs = eliminate_outputs(residual)
    found = SuccessionDiagram(space, core, max_nodes).attractors() if core else [space.true]
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
    max_nodes : int, optional
        Nodes past which :class:`DiagramTooLarge` is raised (default MAX_NODES, read when exploring).
    """

    def __init__(self, space: SymbolicSpace, core: Mapping[str, Expr], max_nodes: int | None = None):
        self.space = space
        self.max_nodes = max_nodes
        self.core = dict(core)
        self.nodes = 0
        self._leaves: set[frozenset[tuple[str, bool]]] = set()
        self._functions: dict[Expr, Function] = {}
        self._regulations: dict[Expr, dict[str, set[bool]]] = {}
        self._majority: dict[Expr, bool] = {}
        self._walker = _Walker(self.core)
        self._minimal: list[Subspace] | None = None
        self._settled = space.false
        self._settling = True
        self._growing: list[tuple[_Node, _Growing]] = []  # backward sets of nodes done, each in its parent
        self._root_candidates: Function | None = None
        self._reaching_minimal = space.false  # states known to reach a minimal trap space (symbolic tests)
        self._in_leaf: dict[frozenset[tuple[str, Expr]], list[Function]] = {}

    def attractors(self) -> list[Function]:
        """Every attractor, node by node of the diagram (an attractor met twice is kept once).

        Depth first, the child with the fewest free nodes first. A node is done when every attractor
        in it is found; so is then every state of its parent that can reach it, and those states join
        the settled ones (:meth:`_settle`). A node whose candidates are all settled is done unsearched.
        """
        found: dict[int, Function] = {}
        root = _Node({}, self.core)
        known: dict[frozenset[tuple[str, bool]], _Node] = {frozenset(): root}
        pending = [root]
        while pending:
            node = pending.pop()
            fixed, network = node.fixed, node.network
            if self._all_settled(fixed):
                self._done(node)
                continue
            self.nodes += 1
            most = MAX_NODES if self.max_nodes is None else self.max_nodes
            if self.nodes > most:
                raise DiagramTooLarge(f"more than {most} succession diagram nodes")
            if not network:
                found.setdefault(int(state := self.space.cube(fixed)), state)
                self._done(node)
                continue
            if SHORTCUT and (minimal := self._only_minimal(fixed, network)) is not None:
                for trap in minimal:
                    leaf = {**fixed, **trap}
                    if (key := frozenset(leaf.items())) not in self._leaves:
                        self._leaves.add(key)
                        for states in self._in_minimal(leaf, network, trap):
                            found.setdefault(int(states), states)
                self._done(node)
                continue
            block, motifs = _expansion(network)
            children: list[_Node] = []
            for motif in motifs:
                values, residual = percolate({**network, **motif})
                child_fixed = {**fixed, **values}
                key = frozenset(child_fixed.items())
                child = known.get(key)
                if child is None:
                    child = known[key] = _Node(child_fixed, residual)
                    children.append(child)
                if not child.done:  # met before, not done yet: this node waits for it too
                    child.parents.append(node)
                    node.waiting += 1
            pending.extend(reversed(_exploration_order(children)))
            for states in self._attractors_in_node(fixed, network, block, motifs):
                found.setdefault(int(states), states)
            if not node.waiting:
                self._done(node)
        _log.debug("succession diagram: %d nodes, %d attractors", self.nodes, len(found))
        return list(found.values())

    def _done(self, node: _Node) -> None:
        """Mark a node done (every attractor in it found), and with it each parent left waiting for nothing."""
        node.done = True
        finished = [node]
        while finished:
            child = finished.pop()
            for parent in child.parents:
                parent.waiting -= 1
                if parent.waiting and self._settling:  # once the parent is done, its own backward set holds these
                    self._settle(parent, child)
                if not parent.waiting:
                    parent.done = True
                    parent.dynamics = None
                    # Its backward sets lie in its own space, settled with it by its parents'.
                    self._growing = [(within, growing) for within, growing in self._growing if within is not parent]
                    finished.append(parent)
            child.parents = []
            child.network = {}  # kept only while the node is explored: a diagram may have thousands

    def _settle(self, parent: _Node, child: _Node) -> None:
        """Settle ``child``, a node done, and start the backward set of it within ``parent``.

        An attractor with a state that can reach the child lies in the child (a trap space), so it is
        found already: every attractor with a settled state is found. The backward set grows only as
        far as a later node's check needs it (:meth:`_all_settled`); each state it holds on the way is
        settled too.
        """
        from igfnet.dynamics._symbolic import AsyncDynamics

        inside = self.space.cube(child.fixed)
        self._settled |= inside
        if parent.dynamics is None:
            parent.dynamics = AsyncDynamics(self.space, parent.network)
        self._growing.append((parent, _Growing(parent.dynamics, inside)))

    def _all_settled(self, fixed: Subspace) -> bool:
        """Whether every candidate of the diagram's root inside the node is settled (then so is every
        attractor in it: each holds a candidate of the root, whose network it is an attractor of).

        The backward sets of nodes done grow, the latest first, until they hold every such candidate
        or none can grow more. One that takes SETTLE_IMAGES images stops there, and so does settling:
        on bbm192 (65 fixed points) none closed, and together they took 40 s of a search that otherwise
        takes 3. CUDD's order is put back after.
        """
        space = self.space
        false = space.false
        if self._settled == false:
            return False
        if self._root_candidates is None:
            from igfnet.dynamics._symbolic import AsyncDynamics

            core = self.core
            retained = self._retained(core, self._minimal_in({}))
            self._root_candidates = _candidate_set(AsyncDynamics(space, core), retained)
        left = self._root_candidates & space.cube(fixed) & ~self._settled
        for parent, growing in reversed(self._growing):
            if left == false:
                break
            if any(fixed.get(node, value) != value for node, value in parent.fixed.items()):
                continue  # the parent's space and the node's are disjoint
            with _order_kept(space):
                reach = growing.grow_until(left, SETTLE_IMAGES)
            self._settled |= reach
            left &= ~reach
            if growing.images >= SETTLE_IMAGES:
                self._settling = False
                self._growing = []
                break
        self._growing = [(parent, growing) for parent, growing in self._growing if not growing.complete]
        return left == false

    def _minimal_in(self, fixed: Subspace) -> list[Subspace]:
        """The minimal trap spaces inside a node, over its free nodes.

        They are the network's minimal trap spaces that lie in the node (the node is a trap space:
        a trap space of its restricted network is one of the whole network), computed once.
        """
        if self._minimal is None:
            self._minimal = [
                {node: bool(value) for node, value in trap.items()} for trap in minimal_trap_spaces(self.core)
            ]
        return [
            {node: value for node, value in trap.items() if node not in fixed}
            for trap in self._minimal
            if all(trap.get(node) == value for node, value in fixed.items())
        ]

    def _only_minimal(self, fixed: Subspace, network: dict[str, Expr]) -> list[Subspace] | None:
        """The node's minimal trap spaces, if every attractor of the node lies in one of them (else None).

        Each attractor of the node outside its minimal trap spaces would hold a candidate reaching none.
        Shown when random walks rule every candidate outside them out (:meth:`_walk_out`), or else
        symbolically: at the root of a diagram with at most SHORTCUT_TRAPS minimal trap spaces, and
        below it at a node with more than NODE_TRAPS not yet searched.
        """
        minimal = self._minimal_in(fixed)
        candidates = self._candidates(network, minimal, SHORTCUT_CANDIDATES)
        if candidates is not None:
            if not self._walk_out(fixed, candidates, minimal):
                return minimal
        if not fixed:
            if len(minimal) > SHORTCUT_TRAPS:
                return None
            return minimal if self._candidates_reach(fixed, network, minimal, SHORTCUT_IMAGES) else None
        unsearched = sum(frozenset({**fixed, **trap}.items()) not in self._leaves for trap in minimal)
        if unsearched <= NODE_TRAPS:
            return None
        return minimal if self._candidates_reach(fixed, network, minimal, NODE_IMAGES) else None

    def _candidates_reach(self, fixed: Subspace, network: dict[str, Expr], minimal: list[Subspace], most: int) -> bool:
        """Whether every candidate of the node outside its minimal trap spaces can reach one (False: not shown).

        The candidates, however many, as one BDD; the backward set of the minimal trap spaces grows
        by saturation until it holds them all, or ``most`` images have not sufficed. On bbm079
        (inputs fixed at random, seeds 2 and 3) the root's candidates are covered after 560 and 640
        images.

        Each test starts from the states earlier tests found reaching a minimal trap space, those
        in the node's space: the node is a trap space, so their paths stay in it and end in one of
        its minimal trap spaces. On bbm002 (seed 2) nodes of 94 to 104 free nodes below each other
        had failed the test one after another, 500 images and 4-8 s each, where one backward set
        needs about 1,500: 62-66 s in all, now 32-34 s.

        CUDD reorders the variables as the backward set grows; the space's order is put back after, for
        that order had made the forward sets of bbm079's minimal trap spaces ten times slower. The
        candidates are built before, and the known states joined after (bbm002 seed 2: 33 s against
        41-49 s with both inside).
        """
        from igfnet.dynamics._symbolic import AsyncDynamics

        space = self.space
        false = space.false
        node_space = space.cube(fixed)
        start = space.exist(fixed, self._reaching_minimal & node_space)
        for trap in minimal:
            start |= space.cube(trap)
        dynamics = AsyncDynamics(space, network)
        candidates = _candidate_set(dynamics, self._retained(network, minimal)) & ~start
        growing = _Growing(dynamics, start)
        if candidates != false:
            with _order_kept(space):
                growing.grow_until(candidates, most)
        reach = growing.reach
        self._reaching_minimal |= reach & node_space
        covered = candidates & ~reach == false
        _log.debug(
            "symbolic test, %d nodes: %s after %d images",
            len(network),
            "passed" if covered else "failed",
            growing.images,
        )
        return covered

    def _in_minimal(self, fixed: Subspace, parent: dict[str, Expr], trap: Subspace) -> list[Function]:
        """The attractors of a minimal trap space (``fixed``; ``trap`` fixes what ``parent``, its node's network, leaves free).

        Searched in a BDD manager of its own, the attractors copied back: the order CUDD had chosen for
        the diagram's work made the forward sets of bbm079's minimal trap spaces four times slower.
        Minimal trap spaces that leave the same network differ only in their fixed values: the
        network is searched once (bbm079 seed 1: 26 networks for 578 minimal trap spaces).
        """
        from igfnet.dynamics._symbolic import SymbolicSpace, copy_into

        values, network = percolate({**parent, **trap})
        assert values.keys() == trap.keys(), "a minimal trap space is percolated"
        if not network:
            return [self.space.cube(fixed)]
        key = frozenset(network.items())
        searched = self._in_leaf.get(key)
        if searched is None:
            own = SymbolicSpace(self.space.nodes)
            leaf = SuccessionDiagram(own, network)
            found = leaf._avoiding(fixed, own.cube(fixed), network, [])
            searched = self._in_leaf[key] = [copy_into(states, self.space) for states in found]
            return searched
        return [self.space.overwrite(states, fixed) for states in searched]

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
        found = self._avoiding(fixed, node_space, part, motifs)
        if len(part) == len(network):
            return found
        dynamics = AsyncDynamics(self.space, network)
        return [states for projection in found for states in bottom_components(dynamics, projection)]

    def _avoiding(
        self, fixed: Subspace, node_space: Function, network: dict[str, Expr], motifs: list[Subspace]
    ) -> list[Function]:
        """The attractors of an autonomous network inside the node's space that lie in none of the motifs."""
        from igfnet.dynamics._symbolic import AsyncDynamics

        space = self.space
        in_motifs = space.false
        for motif in motifs:
            in_motifs |= space.cube(motif)
        dynamics = AsyncDynamics(space, network)
        states = self._candidates(network, motifs, MAX_CANDIDATES)
        if states is not None and len(states) > 1:
            states = self._walk_out(fixed, states, motifs)
        if states is None or len(states) > MAX_TESTS:
            from igfnet.dynamics._engine import bottom_components

            _log.debug("%d nodes: too many candidates to test, searched whole", len(network))
            return bottom_components(dynamics, node_space & ~in_motifs)
        if not motifs and len(states) == 1:
            # A minimal trap space holds an attractor, and each of its attractors holds a candidate.
            return [_forward(dynamics, node_space & space.cube(states[0]))]
        _log.debug("%d nodes, %d motifs: %d candidates to test", len(network), len(motifs), len(states))
        return _test_candidates(dynamics, [node_space & space.cube(state) for state in states], in_motifs)

    def _walk_out(self, fixed: Subspace, states: list[Subspace], traps: list[Subspace]) -> list[Subspace]:
        """The states random walks do not rule out (:meth:`_Walker.survivors`), in rounds of longer walks.

        Every attractor outside the trap spaces that holds one of ``states`` holds a survivor. With no
        trap spaces (a minimal trap space's candidates) one survivor is as few as there can be.
        """
        fewest = 0 if traps else 1
        per_node = WALK_STEPS
        for _ in range(WALK_ROUNDS):
            if len(states) <= fewest:
                break
            survivors = self._walker.survivors(fixed, states, traps, per_node)
            _log.debug(
                "walks of %d sweeps: %d of %d states left (%d traps)", per_node, len(survivors), len(states), len(traps)
            )
            if len(survivors) == len(states) and per_node * len(states) > WALK_BUDGET * len(states[0]):
                return survivors
            states, per_node = survivors, 2 * per_node
        return states

    def _candidates(self, network: dict[str, Expr], motifs: list[Subspace], most: int) -> list[Subspace] | None:
        """The fixed points of the network, its NFVS nodes moving only towards retained values, outside
        the motifs (states over the network's nodes); None when there are more than ``most``.

        The values are chosen greedily: each NFVS node's value is flipped when that leaves fewer candidates.
        When the values of :meth:`_retained` leave too many, they are chosen again node by node
        (:func:`_retained_node_by_node`).
        """
        retained = self._retained(network, motifs)
        program = _CandidateProgram(network, motifs)
        limit = most + 1
        count = program.count(retained, limit)
        if program.stopped:
            chosen = _retained_node_by_node(program, retained, limit)
            if chosen is None:
                return None
            retained, count = chosen
        enough = 0 if motifs else 1  # a minimal trap space's single candidate needs no test
        for _ in range(3):  # passes over the NFVS; the count only decreases
            improved = False
            for node in sorted(retained):
                if count <= enough:
                    break
                flipped = {**retained, node: not retained[node]}
                trial = program.count(flipped, count)
                if not program.stopped:  # strictly fewer
                    retained, count, improved = flipped, trial, True
            if not improved or count <= enough:
                break
        _log.debug("candidates: %d (limit %d)", count, limit)
        return None if count > most else program.solve(retained, limit)

    def _retained(self, network: dict[str, Expr], motifs: list[Subspace]) -> dict[str, bool]:
        """The NFVS nodes of the network, each with the value it may only move towards."""
        return _retained_values(self._signed_graph(network), network, motifs, self._mostly_true)

    def _mostly_true(self, expression: Expr) -> bool:
        """Whether the function is true in more than half of the states (counted on its BDD, kept per rule).

        CUDD counts in floating point: near a tie the answer may go either way, and any value is sound.
        """
        majority = self._majority.get(expression)
        if majority is None:
            every = len(self.space.nodes)
            majority = self._majority[expression] = (
                2 * self.space.bdd.count(self._function(expression), every) > 2**every
            )
        return majority

    def _signed_graph(self, network: dict[str, Expr]) -> dict[str, dict[str, set[bool]]]:
        """Per node, its regulators within the network and the signs (True: activation) of each."""
        return {node: self._signs(expression) for node, expression in network.items()}

    def _signs(self, expression: Expr) -> dict[str, set[bool]]:
        """The regulators an update function depends on, each with its signs (kept: nodes share rules)."""
        signs = self._regulations.get(expression)
        if signs is not None:
            return signs
        space = self.space
        function = self._function(expression)
        signs = {}
        for regulator in variables(expression):
            name = space.name(regulator)
            low = space.bdd.let({name: space.false}, function)
            high = space.bdd.let({name: space.true}, function)
            both = set()
            if (low & ~high) != space.false:
                both.add(False)
            if (high & ~low) != space.false:
                both.add(True)
            if both:
                signs[regulator] = both
        self._regulations[expression] = signs
        return signs


class _CandidateProgram:
    """The candidate states of a network as answers of a logic program (clingo, as biobalm's trappist core).

    ``x(i)``: node i is 1. Each update function and its negation are written as disjunctions of
    cubes (the paths of their BDDs); a node outside the NFVS must equal its function, a retained
    node must not be away from its retained value while its function calls it back, and no answer
    may lie in a motif. The retained values are external atoms (``keep1(i)``, ``keep0(i)``), so the
    program is grounded once and the greedy choice of values only re-solves it.
    """

    def __init__(self, network: Mapping[str, Expr], motifs: list[Subspace]):
        import clingo

        from igfnet.dynamics._symbolic import SymbolicSpace
        from igfnet.dynamics.trapspaces import _cubes

        self.nodes = list(network)
        space = SymbolicSpace(self.nodes)  # its own variables: the cubes are read off by level
        index = {space.name(node): position for position, node in enumerate(self.nodes)}
        position_of = {node: position for position, node in enumerate(self.nodes)}
        last = len(self.nodes) - 1
        lines = [
            f"node(0..{last}).",
            "{x(I)} :- node(I).",
            "#external keep1(I) : node(I).",
            "#external keep0(I) : node(I).",
        ]
        for position, node in enumerate(self.nodes):
            function = space.expression(network[node])
            # 1 where the function is 0, or 0 where it is 1, is forbidden unless the node is retained
            # at the value it is away from (it may then only move back to that value).
            lines += [
                f":- {_body(cube)}not x({position}), not keep0({position})." for cube in _cubes(space, function, index)
            ]
            lines += [
                f":- {_body(cube)}x({position}), not keep1({position})." for cube in _cubes(space, ~function, index)
            ]
        for motif in motifs:
            literals = [f"{'' if value else 'not '}x({position_of[node]})" for node, value in motif.items()]
            lines.append(f":- {', '.join(literals)}.")
        lines.append("#show x/1.")
        self._control = clingo.Control(["--models=0"])
        self._control.add("base", [], "\n".join(lines))
        self._control.ground([("base", [])])
        self._keep = [
            (clingo.Function("keep1", [clingo.Number(i)]), clingo.Function("keep0", [clingo.Number(i)]))
            for i in range(len(self.nodes))
        ]
        self._assigned: list[bool | None] = [None] * len(self.nodes)  # externals start false: nothing retained
        self.stopped = False

    def count(self, retained: Mapping[str, bool], limit: int) -> int:
        """How many answers, up to ``limit`` (``self.stopped``: the limit cut the count short)."""
        if not self._prepare(retained, limit):
            return 0
        if limit <= 256:  # a few answers are counted faster one by one than by reading clasp's statistics
            with self._control.solve(yield_=True) as handle:
                counted = sum(1 for _ in handle)
        else:
            self._control.solve()
            counted = int(self._control.statistics["summary"]["models"]["enumerated"])
        self.stopped = counted >= limit
        return counted

    def solve(self, retained: Mapping[str, bool], limit: int) -> list[Subspace]:
        """Up to ``limit`` answers (``self.stopped``: the limit cut the enumeration short)."""
        if not self._prepare(retained, limit):
            return []
        found: list[Subspace] = []
        with self._control.solve(yield_=True) as handle:
            for model in handle:
                # The model's text lists its shown atoms, x(i) for each node at 1: one call, not one per node.
                on = {int(position) for position in re.findall(r"\d+", str(model))}
                found.append({node: position in on for position, node in enumerate(self.nodes)})
        self.stopped = len(found) >= limit
        return found

    def _prepare(self, retained: Mapping[str, bool], limit: int) -> bool:
        """Set the retained values and the limit; False when the limit allows no answer."""
        self.stopped = limit <= 0
        if self.stopped:
            return False
        control = self._control
        for position, node in enumerate(self.nodes):
            value = retained.get(node)
            if self._assigned[position] is not value:
                keep_one, keep_zero = self._keep[position]
                control.assign_external(keep_one, value is True)
                control.assign_external(keep_zero, value is False)
                self._assigned[position] = value
        control.configuration.solve.models = str(limit)  # type: ignore[union-attr]
        return True


def _retained_node_by_node(
    program: _CandidateProgram, preferred: Mapping[str, bool], limit: int
) -> tuple[dict[str, bool], int] | None:
    """Retained values for the NFVS nodes of ``preferred`` chosen one node at a time (biobalm's
    regeneration of the retained set), with the count they leave; None when that exceeds ``limit``.

    A node not yet chosen must be stable, as one outside the NFVS: with none chosen the candidates
    are the fixed points. Each node in turn is retained at the value that leaves fewer candidates
    (its preferred one on a tie). Only the complete choice is sound; partial ones only guide it.
    """
    retained: dict[str, bool] = {}
    for node in sorted(preferred):
        value = preferred[node]
        count = program.count({**retained, node: value}, limit)
        other = program.count({**retained, node: not value}, count)
        if not program.stopped:  # strictly fewer
            value, count = not value, other
        if count >= limit:
            return None
        retained[node] = value
    return retained, count


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
    mostly_true: Callable[[Expr], bool],
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
        retained[node] = mostly_true(network[node])
    return retained


class _Node:
    """A node of the diagram while it is explored: the parents waiting for it, and how many children it waits for."""

    def __init__(self, fixed: Subspace, network: dict[str, Expr]):
        self.fixed = fixed
        self.network = network
        self.parents: list[_Node] = []
        self.waiting = 0
        self.done = False
        self.dynamics: AsyncDynamics | None = None  # the network's, while children settle into it


class _Growing:
    """A backward set grown as far as asked: of a node done within one of its parents, or of a node's
    minimal trap spaces (the symbolic test)."""

    def __init__(self, dynamics: AsyncDynamics, start: Function):
        self._saturation = _saturation(dynamics, start, dynamics.predecessors)
        self._false = dynamics.space.false
        self.reach = start
        self.images = 0
        self.complete = False

    def grow_until(self, wanted: Function, most: int) -> Function:
        """The set grown until it holds ``wanted`` (checked every COVER_CHECK images), is complete,
        or has taken ``most`` images in all."""
        for reach in self._saturation:
            self.reach = reach
            self.images += 1
            if self.images >= most:
                return self.reach
            if self.images % COVER_CHECK == 0 and wanted & ~self.reach == self._false:
                return self.reach
        self.complete = True
        return self.reach


class _Walker:
    """Random asynchronous walks in a network, many at once (numpy), its rules compiled on first use.

    A state is a column of 64-bit words: bit i mod 64 of word i // 64 is the node at index i.
    """

    def __init__(self, network: Mapping[str, Expr]):
        self.network = network
        self.index = {node: position for position, node in enumerate(network)}
        self.words = (len(self.index) + 63) // 64
        self._updates: dict[str, Callable[[Any], Any]] = {}

    def survivors(
        self, fixed: Subspace, starts: list[Subspace], traps: list[Subspace], per_node: int
    ) -> list[Subspace]:
        """The starts the walks do not rule out, each moved to where its walk ended.

        ``starts`` are states of the free nodes, ``fixed`` gives every other node their rules read.
        A walk from each start, all taken together a sweep at a time (a random order of the free
        nodes, the same for every walk), for ``per_node`` sweeps. A walk that enters a trap space,
        or the start of a walk later in the list, rules its own start out: an attractor holding the
        start holds that state too (biobalm's simulation minification). Following the starts so
        reached leads, always to later walks, to one that entered a trap space or survived, its end
        in that attractor. So every attractor outside the trap spaces that holds a start holds a
        survivor. A walk only ever shows a path that exists.
        """
        import numpy

        if not starts:
            return []
        index = self.index
        free = list(starts[0])
        # Fixed nodes outside the walker's network (a leaf's own diagram) are read by none of its rules.
        base = sum(1 << index[node] for node, value in fixed.items() if value and node in index)
        integers = list(
            dict.fromkeys(base | sum(1 << index[node] for node, value in start.items() if value) for start in starts)
        )
        state = self._as_words(integers)
        walk_from = {key: number for number, key in enumerate(self._keys(state))}
        walks = numpy.arange(len(integers))
        # A trap space as a mask of its nodes and their values: a walk is inside it when state & mask == values.
        trap_integers = [(self._integer(trap), self._integer(node for node in trap if trap[node])) for trap in traps]
        masks = [(self._words(mask), self._words(values)) for mask, values in trap_integers]
        inside = [(self._as_words([mask]), self._as_words([values])) for mask, values in trap_integers]
        steps = []
        for node in free:
            word, bit = divmod(index[node], 64)
            steps.append((word, bit, ~(1 << bit) & WORD, self._update(node)))
        wide_steps = [(word, numpy.uint64(bit), numpy.uint64(clear), update) for word, bit, clear, update in steps]
        generator = random.Random(len(free))
        ends: list[list[int]] = []
        for sweep in range(per_node + 1):
            kept = numpy.ones(len(walks), dtype=bool)
            for mask, values in inside:
                kept &= ((state & mask) != values).any(axis=0)
            for column, key in enumerate(self._keys(state)):
                if walk_from.get(key, -1) > walks[column]:
                    kept[column] = False
            state, walks = state[:, kept], walks[kept]
            if sweep == per_node or not len(walks):
                ends = state.T.tolist()
                break
            if len(walks) <= FEW_WALKS:  # numpy's cost per call would outweigh the work: one at a time
                for words, walk in zip(state.T.tolist(), walks.tolist()):
                    end = _walk_alone(words, walk, per_node - sweep, steps, masks, walk_from, generator)
                    if end is not None:
                        ends.append(end)
                break
            for word, shift, others, update in generator.choices(wide_steps, k=len(wide_steps)):
                state[word] = (state[word] & others) | (numpy.uint64(update(state)) << shift)
        return [{node: bool(words[index[node] // 64] >> index[node] % 64 & 1) for node in free} for words in ends]

    def _integer(self, ones: Iterable[str]) -> int:
        return sum(1 << self.index[node] for node in ones)

    def _words(self, integer: int) -> list[int]:
        return [integer >> 64 * word & WORD for word in range(self.words)]

    def _as_words(self, integers: list[int]) -> Any:
        """States as the columns of an array of words."""
        import numpy

        return (
            numpy.array([self._words(integer) for integer in integers], dtype=numpy.uint64)
            .reshape(len(integers), self.words)
            .T
        )

    @staticmethod
    def _keys(state: Any) -> list[tuple[int, ...]]:
        """Each state (a column) as a tuple of its words, to look up."""
        return [tuple(column) for column in state.T.tolist()]

    def _update(self, node: str) -> Callable[[Any], Any]:
        update = self._updates.get(node)
        if update is None:
            update = self._updates[node] = compile_words(self.network[node], self.index)
        return update


WORD = (1 << 64) - 1

FEW_WALKS = 16
"""Walks left below which each goes on alone, on Python ints."""


def _walk_alone(
    words: list[int],
    walk: int,
    sweeps: int,
    steps: list[tuple[int, int, int, Callable[[Any], Any]]],
    masks: list[tuple[list[int], list[int]]],
    walk_from: Mapping[tuple[int, ...], int],
    generator: random.Random,
) -> list[int] | None:
    """One walk of :meth:`_Walker.survivors` for ``sweeps`` more sweeps: where it ends, or None when it
    enters a trap space or the start of a later walk."""
    state = list(words)
    positions = range(len(state))
    for _ in range(sweeps):
        for word, bit, clear, update in generator.choices(steps, k=len(steps)):
            state[word] = state[word] & clear | update(state) << bit
        if walk_from.get(tuple(state), -1) > walk:
            return None
        if any(all(state[w] & mask[w] == values[w] for w in positions) for mask, values in masks):
            return None
    return state


@contextmanager
def _order_kept(space: SymbolicSpace) -> Iterator[None]:
    """CUDD's variable order as it was before the block (a backward set reorders it as it grows)."""
    order = space.bdd.var_levels
    try:
        yield
    finally:
        space.bdd.reorder(order)


def _candidate_set(dynamics: AsyncDynamics, retained: Mapping[str, bool]) -> Function:
    """The fixed points of the dynamics, its ``retained`` nodes moving only towards their values, as one BDD.

    The nodes' constraints are conjoined deepest first (by the highest BDD level each reads), so the set
    is built from the bottom of the order up. On bbm079 seed 2 (inputs fixed at random) the root's
    350,000 candidates took 25 s in the network's order and take 2 s so.
    """
    space = dynamics.space
    level = space.bdd.level_of_var
    constraints = []
    for flip in dynamics.flips:  # a node without a flip never changes
        # Stable, or (a retained node) at its retained value: it cannot move towards that value.
        stays = ~flip.can_change
        node = flip.node
        if node in retained:
            stays |= space.var[node] if retained[node] else ~space.var[node]
        constraints.append(stays)
    candidates = space.true
    for stays in sorted(constraints, key=lambda stays: min(map(level, stays.support), default=0), reverse=True):
        candidates &= stays
    return candidates


def _test_candidates(dynamics: AsyncDynamics, candidates: list[Function], in_motifs: Function) -> list[Function]:
    """The attractors that hold candidates and meet no motif (see the module's docstring)."""
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
        reach = candidate
        for reach in _saturation(dynamics, candidate, dynamics.successors):
            if (reach & stop) != false:
                break
        else:
            found.append(reach)
            stop |= reach
    return found


def _forward(dynamics: AsyncDynamics, start: Function) -> Function:
    """Every state reachable from ``start``."""
    from collections import deque

    last = deque(_saturation(dynamics, start, dynamics.successors), maxlen=1)
    return last[0] if last else start


def _saturation(
    dynamics: AsyncDynamics, start: Function, image: Callable[[Function, Flip], Function]
) -> Iterator[Function]:
    """The forward or backward set of ``start`` (``image``: the dynamics' successors or predecessors)
    as it grows, one image at a time; the last set is the whole of it.

    Saturation over a growing set of nodes (biobalm's): the nodes taken so far are applied, deepest
    BDD level first, until none adds a state; only then is one more node taken, the first in the
    network's order that adds any. Sets over few moving nodes stay small BDDs. On the minimal trap
    spaces of bbm204 and bbm210 this took 9.7 s and 2.4 s, where one pass over every node from the
    deepest level up (:class:`igfnet.dynamics._engine.Closure`) took 45 s and 10 s.

    A node is applied only to the states added since it was last applied (its image of the others
    is in the set already). Measured back to back with inputs fixed at random (seed 1): bbm204
    40 s to 22 s and bbm079 63 s to 54 s, but bbm210 4 s to 6 s (there the added states are a
    larger BDD than the whole set); the same states are added either way.
    """
    false = dynamics.space.false
    level = dynamics.space.bdd.level_of_var
    reach = start
    taken: list[Flip] = []
    waiting = list(dynamics.flips)
    # The set each node was last applied to: its image of those states is in reach ever since, so only
    # the states added after are applied (the same states are added, from smaller images).
    applied: dict[str, Function] = {}
    # Nodes last applied to the same set share the difference, computed once per set reached.
    differences_of = reach
    fresh_since: dict[int, Function] = {}

    def added(flip: Flip) -> Function:
        nonlocal differences_of
        if differences_of != reach:
            differences_of = reach
            fresh_since.clear()
        before = applied.get(flip.name)
        if before is None:
            fresh = reach
        else:
            if int(before) not in fresh_since:
                fresh_since[int(before)] = reach & ~before
            fresh = fresh_since[int(before)]
        applied[flip.name] = reach
        return false if fresh == false else image(fresh, flip) & ~reach

    while True:
        grown = True
        while grown:
            grown = False
            for flip in taken:
                new = added(flip)
                if new != false:
                    reach |= new
                    grown = True
                    yield reach
                    break
        for index, flip in enumerate(waiting):
            new = added(flip)
            if new != false:
                reach |= new
                taken.append(waiting.pop(index))
                taken.sort(key=lambda taken_flip: -level(taken_flip.name))
                yield reach
                break
        else:
            return
