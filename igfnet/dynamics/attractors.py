"""Every attractor of the fully asynchronous dynamics, exactly.

Semantics: in each transition exactly one node whose value differs from its
update function takes that value (fully, or general, asynchronous update).
The attractors are the terminal strongly connected components of the whole
state transition graph: fixed points and complex (cyclic) attractors alike,
each with its exact number of states.

The search never enumerates the state space. Constants (inputs, knockouts)
are percolated and nodes without targets are set aside; a core of a few
nodes is searched explicitly (:mod:`igfnet.dynamics.explicit`); otherwise
free inputs are split into their contexts and the core is searched
symbolically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import TYPE_CHECKING, TypeAlias

from igfnet.dynamics.explicit import EXPLICIT_LIMIT, ExplicitAttractor, explicit_attractors, explicit_search
from igfnet.dynamics.reduction import eliminate_outputs, percolate, source_components
from igfnet.errors import TooLargeError
from igfnet.logic import Expr, substitute, variables
from igfnet.types import Attractor, Attractors, Value

if TYPE_CHECKING:
    from igfnet.dynamics._symbolic import Function
    from igfnet.model import BooleanNetwork
    from igfnet.perturb import Perturbation

    Network: TypeAlias = frozenset[tuple[str, Expr]]  # update functions as a hashable cache key

MAX_ATTRACTORS = 200_000
"""Beyond this many attractors the question is too broad to list (usually: too many free inputs)."""

MAX_CACHED = 100_000
"""Reachability answers kept per solver (a screen asks tens of thousands of related questions)."""

DIAGRAM_NODES = 100
"""Succession diagram nodes past which a part goes to the transition-guided reduction instead. Of the
78 published models whose core keeps more than 16 nodes (inputs fixed at random), the diagram's root
answers 73; bbm192 needs 75 nodes. bbm002 needed over 600 (the reduction answers it in 36 s, and 100
nodes cost about 12 s); since nodes done settle their siblings, 8."""


class _Share:
    """The share of a search done so far, told to a progress callback as it grows."""

    def __init__(self, progress: Callable[[float], None] | None):
        self.progress = progress
        self.done = 0.0

    def add(self, share: float) -> None:
        if self.progress is not None:
            self.done += share
            self.progress(min(self.done, 1.0))


_MISSING = object()
_COMPLETIONS = 4096
"""Outputs' values kept per part, by the values they read (one entry per distinct context below)."""


class _Plan:
    """One part of the decomposition as the search left it: enough to list its attractors, again and again.

    A leaf holds the attractor of the last part solved (``universe``; ``cube``
    when that is a subspace); an inner part holds one child per attractor of
    the part solved there. Both hold the values percolation fixed there and
    the outputs set aside, to be added to every attractor listed through them.
    Listing walks the tree: a part shared by many contexts is searched once,
    and its attractors exist only while they are being read.
    """

    __slots__ = (
        "universe",
        "values",
        "prefix",
        "residual",
        "outputs",
        "output_functions",
        "cube",
        "children",
        "count",
        "searched_in",
        "reads",
        "completions",
    )

    def __init__(
        self,
        solver: AttractorSolver,
        universe: Function,
        values: Mapping[str, bool],
        residual: dict[str, Expr],
        outputs: list[str],
    ):
        # No reference back to the solver: a cycle would leave BDDs to the garbage collector's order.
        self.universe = universe
        self.values = {node: int(value) for node, value in values.items()}
        self.prefix: Function | None = None  # built only if an attractor listed here is not a subspace
        self.residual = residual
        self.outputs = outputs
        space = solver.space
        # Read back last removed first: an output removed later regulates only the ones removed before it.
        self.output_functions = []
        for node in reversed(outputs):
            function = solver.expression(residual[node])
            self.output_functions.append((node, function, space.support(function)))
        # What the outputs' values depend on: the values of the nodes below that they read.
        read = {name for _, _, support in self.output_functions for name in support} - set(outputs)
        self.reads = tuple(sorted(read))
        self.completions: dict[tuple[int | None, ...], list[tuple[str, int]]] = {}
        self.cube: dict[str, int] | None = None
        self.children: list[_Plan] | None = None
        self.count = 0
        self.searched_in: Function | None = None  # the universe the cache key names, kept alive (see _solve)

    def leaf(self, cube: dict[str, int] | None) -> None:
        """Make this part the last: its universe is its one attractor (``cube`` if it is a subspace)."""
        self.cube = cube
        self.count = 1

    def walk(self, solver: AttractorSolver, fixed: dict[str, int]) -> Iterator[Function | None]:
        """The attractors of this part (see :meth:`AttractorSolver.listed`); ``fixed`` filled in place."""
        for states in self._below(solver, fixed):
            if states is None:
                added = self._complete(solver, fixed)
                yield None
                for node in added:
                    del fixed[node]
            else:
                if self.prefix is None:
                    self.prefix = solver.space.cube(self.values)
                yield self.prefix & solver.add_outputs(states, self.residual, self.outputs)

    def _below(self, solver: AttractorSolver, fixed: dict[str, int]) -> Iterator[Function | None]:
        if self.children is not None:
            for child in self.children:
                yield from child.walk(solver, fixed)
        elif self.cube is None:
            yield self.universe
        else:
            fixed.update(self.cube)
            yield None
            for node in self.cube:
                del fixed[node]

    def _complete(self, solver: AttractorSolver, fixed: dict[str, int]) -> list[str]:
        """Add this part's values and its outputs' values on the subspace ``fixed``; the nodes added.

        On a subspace an output keeps one value exactly when its function is
        constant there (restricted to the fixed values); otherwise it takes
        both values, in every combination, and stays out of ``fixed``, as
        :meth:`AttractorSolver.add_outputs` decides on a BDD.
        """
        fixed.update(self.values)
        added = list(self.values)
        if not self.output_functions:
            return added
        # Many contexts meet this part with the same values below it: their outputs are read once.
        below = tuple([fixed.get(name) for name in self.reads])
        outputs = self.completions.get(below)
        if outputs is None:
            if len(self.completions) > _COMPLETIONS:
                self.completions.clear()
            outputs = self.completions[below] = self._outputs_on(solver, fixed)
        for node, value in outputs:
            fixed[node] = value
            added.append(node)
        return added

    def _outputs_on(self, solver: AttractorSolver, fixed: dict[str, int]) -> list[tuple[str, int]]:
        """The outputs that keep one value on the subspace ``fixed`` (their own values added to it on the way)."""
        known = solver.output_values
        space = solver.space
        outputs = []
        for node, function, support in self.output_functions:
            key = (int(function), tuple(fixed.get(name) for name in support))
            value = known.get(key, _MISSING)
            if value is _MISSING:
                if len(known) > MAX_CACHED:
                    known.clear()
                given = {name: value for name, value in zip(support, key[1]) if value is not None}
                value = known[key] = space.constant_on(function, given)
            if value is not None:
                fixed[node] = value  # type: ignore[assignment]
                outputs.append((node, value))
        for node, _ in outputs:
            del fixed[node]  # the caller adds them back, as it does when they are known already
        return outputs  # type: ignore[return-value]


class AttractorSolver:
    """Finds attractors of networks over one fixed set of nodes, sharing one BDD space.

    Solving many perturbations of one model with one solver reuses the BDD
    manager and the solutions of reduced networks that recur (the same core
    left after percolation).

    Parameters
    ----------
    nodes : sequence of str
        Every node, in the order that becomes the BDD variable order.
    limit : int, optional
        The most attractors a search may list; past it, TooLargeError (default: MAX_ATTRACTORS).
    diagram : bool
        Whether a large autonomous part of the decomposition is searched through its succession
        diagram (:mod:`igfnet.dynamics.succession`) before the transition-guided reduction.
    """

    def __init__(self, nodes: Sequence[str], limit: int | None = None, diagram: bool = True):
        from igfnet.dynamics._symbolic import SymbolicSpace

        self.limit = MAX_ATTRACTORS if limit is None else limit
        self.diagram = diagram
        self.space = SymbolicSpace(nodes)
        self._core_cache: dict[tuple[Network, int, frozenset[str]], _Plan] = {}
        self._reach_cache: dict[tuple[Network, int], tuple[Function, list[Function]]] = {}
        self._solved_cores: dict[tuple[Network, int], tuple[Function, list[Function]]] = {}
        self._reduced: dict[Network, tuple[dict[str, Expr], list[str], list[str], Network]] = {}
        # Outputs' functions recur in every attractor of every context: built as BDDs once.
        self._expressions: dict[Expr, Function] = {}
        self._essentials: dict[Expr, Expr] = {}
        # An output's value on a subspace, by its function and the values of its support there.
        self.output_values: dict[tuple[int, tuple[int | None, ...]], int | None] = {}

    # -- all attractors -------------------------------------------------------

    def attractors(
        self,
        functions: Mapping[str, Expr],
        progress: Callable[[float], None] | None = None,
        percolated: tuple[dict[str, bool], dict[str, Expr]] | None = None,
    ) -> list[Function]:
        """Every attractor of the network, as BDDs over all nodes.

        ``progress(fraction)`` is told the share of the search done, as parts
        of the decomposition finish: with free inputs, each context is an
        equal share.

        Raises TooLargeError before any search when the free inputs alone
        make more than ``self.limit`` attractors (each input value is an
        attractor set of its own), and as soon as a part of the
        decomposition lists more. ``percolated`` may give ``percolate(functions)``
        computed already.
        """
        plan = self.search(functions, progress, percolated)
        space = self.space
        return [space.cube(fixed) if states is None else states for states, fixed in self.listed(plan)]

    def search(
        self,
        functions: Mapping[str, Expr],
        progress: Callable[[float], None] | None = None,
        percolated: tuple[dict[str, bool], dict[str, Expr]] | None = None,
    ) -> _Plan:
        """The decomposition of the network, searched: :meth:`listed` reads its attractors off it.

        Arguments and errors as :meth:`attractors`. The plan holds one entry per
        distinct part of the decomposition (with free inputs: per reduced network
        of the contexts), not one per attractor: a part that recurs across
        contexts is searched once and listed again for each.
        """
        values, residual = percolated if percolated is not None else percolate(functions)
        free_inputs = [node for node, function in residual.items() if function == node]
        if 2 ** len(free_inputs) > self.limit:
            raise TooLargeError(
                f"{len(free_inputs)} free inputs make at least 2^{len(free_inputs)} attractors, more than "
                f"{self.limit} to list; fix some inputs (--set NODE=0|1) or raise --limit"
            )
        # Percolated already: the search percolates this again, but finds nothing left to substitute.
        reduced = {node: values[node] if node in values else residual[node] for node in functions}
        return self._solve(reduced, self.space.true, frozenset(), _Share(progress), 1.0)

    def _solve(
        self, functions: dict[str, Expr], universe: Function, solved: frozenset[str], done: _Share, share: float
    ) -> _Plan:
        """The plan of the attractors inside ``universe``, an attractor of the (autonomous) ``solved`` nodes times everything else.

        The regulatory graph is peeled from its sources: the attractors of a
        source component are found inside the current universe, and each one
        becomes the universe of the nodes downstream. Every attractor of the
        whole network projects onto exactly one attractor of each upstream
        part, so the decomposition is exact.

        A component that moving (oscillating) solved nodes regulate is searched without them. Their
        attractor U is strongly connected and they read nothing downstream, so from a state (u, d)
        the solved nodes alone can take the network to (u', d) for every u' in U, and back. The
        states that share d are therefore mutually reachable: every attractor is U times a set D of
        the component's states, and those sets are the attractors of the component where a node can
        change wherever it can for some state of U (:class:`AsyncDynamics` ``driven_by``). The
        component's search never sees the oscillation upstream (bbm079 seed 3, inputs fixed at
        random: 28 nodes below an attractor of 120 that is 2^134 states).
        """
        from igfnet.dynamics._symbolic import AsyncDynamics

        space = self.space
        key = (frozenset(functions.items()), int(universe), solved)
        cached = self._core_cache.get(key)
        if cached is not None:
            done.add(share)
            return cached
        searched_in = universe
        # Nodes that the universe holds at one value are constants for everything downstream.
        held = {node: space.value(universe, node) for node in solved if node in functions}
        constants = {node: value == "1" for node, value in held.items() if value != "*"}
        values, residual = self._percolate({**functions, **constants})
        core, outputs = eliminate_outputs(residual)
        moving = solved & set(core)
        universe = space.exist([node for node in solved if node not in moving], universe)
        unsolved = set(core) - moving
        plan = _Plan(self, universe, values, residual, outputs)
        if not unsolved:
            plan.leaf(space.subspace(universe))
            done.add(share)
        else:
            nodes, driven = self._next_part(core, unsolved, moving)
            part = {node: core[node] for node in nodes}
            if driven and len(part) == 1:
                [(follower, function)] = part.items()
                components = self._follower_attractors(follower, function, universe)
            elif driven:
                dynamics = AsyncDynamics(space, part, driven_by=(universe, moving))
                components = [universe & states for states in dynamics.bottom_components(space.true)]
            else:
                components = self._part_attractors(part, universe)
            plan.children = []
            for index, states in enumerate(components):
                child = self._solve(core, states, moving | set(part), done, share / len(components))
                plan.children.append(child)
                plan.count += child.count
                # Every component still to come holds at least one attractor: independent parts multiply,
                # so the count is checked across them here, not only within each.
                self._check_count(plan.count + len(components) - index - 1)
        if len(self._core_cache) > MAX_CACHED:
            self._core_cache.clear()  # plans keep what they need; the cache only spares searches
        # The key names the universe by its id: kept alive by the plan, the id cannot pass to another BDD.
        plan.searched_in = searched_in
        self._core_cache[key] = plan
        return plan

    def _part_attractors(self, part: dict[str, Expr], universe: Function) -> list[Function]:
        """The attractors of one part of the decomposition inside ``universe``.

        A large part that nothing upstream moves (the universe is every state) goes through its
        succession diagram first: on the published models with inputs fixed at random that answers
        bbm192, 210, 211, 277 and 280, which the reduction alone does not within a minute. Past
        DIAGRAM_NODES diagram nodes the reduction takes over.
        """
        from igfnet.dynamics._symbolic import AsyncDynamics, SymbolicSpace, copy_into

        space = self.space
        if self.diagram and len(part) > EXPLICIT_LIMIT and universe == space.true:
            from igfnet.dynamics.succession import DiagramTooLarge, SuccessionDiagram

            # A BDD manager of its own: CUDD reorders variables as the diagram works, and an abandoned
            # diagram left bbm002's reduction an order that took it from 36 s to 60 s.
            own = SymbolicSpace(space.nodes)
            try:
                return [copy_into(states, space) for states in SuccessionDiagram(own, part, DIAGRAM_NODES).attractors()]
            except DiagramTooLarge:
                pass
        return AsyncDynamics(space, part).bottom_components(universe)

    def listed(self, plan: _Plan) -> Iterator[tuple[Function | None, dict[str, int]]]:
        """The attractors of a searched plan, one at a time, in the order of the search.

        Each comes as ``(None, fixed)`` when it is a subspace (a fixed point, or
        a cube: every node not in ``fixed`` takes both values, in every
        combination), else as ``(states, {})``, its BDD over all nodes.
        ``fixed`` is one dictionary filled and emptied in place as the search
        tree is walked: read it before asking for the next attractor. Subspaces,
        most attractors of a many-context question, never become BDDs: their
        outputs are read off the values (`_Plan.complete`).
        """
        fixed: dict[str, int] = {}
        for states in plan.walk(self, fixed):
            yield states, fixed

    def _check_count(self, at_least: int) -> None:
        if at_least > self.limit:
            raise TooLargeError(
                f"more than {self.limit} attractors to list; fix some inputs (--set NODE=0|1) or raise --limit"
            )

    @staticmethod
    def _next_part(core: dict[str, Expr], unsolved: set[str], moving: AbstractSet[str]) -> tuple[list[str], bool]:
        """The nodes to solve next, a source component of the unsolved nodes, and whether moving nodes regulate it.

        One that no moving (oscillating) solved node regulates comes first: it is autonomous, and its
        attractors, times the upstream attractor, are the attractors of both together (independent
        asynchronous systems combine by product). Otherwise the smallest, searched without the moving
        nodes (see :meth:`_solve`).
        """
        components = source_components(core, unsolved)
        for component in components:
            if not any(variables(core[node]) & moving for node in component):
                return component, False
        return components[0], True

    def _follower_attractors(self, node: str, function: Expr, universe: Function) -> list[Function]:
        """The attractors of a node that only solved nodes and itself regulate, above their attractor ``universe``.

        The one-node case of the search without the moving nodes (:meth:`_solve`), read off directly.

        The attractor is strongly connected and the node does not act back on it: from any of its
        states the rest can move to wherever the node's function calls it up (or down), and the node
        can wait. So the node takes both values, in every combination with the attractor, if its
        function both rises and falls somewhere in it; only 1 (or 0) if it only rises (falls); and
        either value, two attractors, if it does neither.
        """
        space = self.space
        rule = self.expression(function)
        name = space.name(node)
        rises = (universe & space.bdd.let({name: False}, rule)) != space.false
        falls = (universe & ~space.bdd.let({name: True}, rule)) != space.false
        variable = space.var[node]
        if rises and falls:
            return [universe]
        if rises:
            return [universe & variable]
        if falls:
            return [universe & ~variable]
        return [universe & ~variable, universe & variable]

    def _percolate(self, functions: Mapping[str, Expr]) -> tuple[dict[str, bool], dict[str, Expr]]:
        """:func:`percolate`, repeated while functions lose names they do not depend on.

        A name a function does not depend on is a false edge of the regulatory graph, and rules
        written as truth tables keep many once constants are substituted (bbm079's rules are sums of
        minterms). Such edges join components that are not joined: with inputs fixed at random,
        bbm079 seed 3's core is one component of 151 nodes by its rules' names, and two, of 120 and 28
        nodes, by what they depend on. bbm248's core percolates away entirely.
        """
        values, residual = percolate(functions)
        while True:
            essential = {node: self._without_fictitious(function) for node, function in residual.items()}
            if essential == residual:
                return values, residual
            more, residual = percolate(essential)
            values.update(more)

    def _without_fictitious(self, expression: Expr) -> Expr:
        """The function with every name it does not depend on (by its BDD) replaced by a constant."""
        if isinstance(expression, (bool, str)):
            return expression
        essential = self._essentials.get(expression)
        if essential is None:
            support = self.expression(expression).support
            fictitious = {name: False for name in variables(expression) if self.space.name(name) not in support}
            essential = self._essentials[expression] = substitute(expression, fictitious) if fictitious else expression
        return essential

    def expression(self, expression: Expr) -> Function:
        """The BDD of an expression, built once (outputs' functions recur in every context)."""
        function = self._expressions.get(expression)
        if function is None:
            function = self._expressions[expression] = self.space.expression(expression)
        return function

    def add_outputs(self, states: Function, functions: Mapping[str, Expr], outputs: list[str]) -> Function:
        """The states with the outputs' values added (``outputs`` as :func:`eliminate_outputs` returns them)."""
        # An output either keeps one value over the whole attractor, or its function
        # takes both values there and the output itself takes both, in every combination.
        for node in reversed(outputs):
            function = self.expression(functions[node])
            variable = self.space.var[node]
            if (states & function) == self.space.false:
                states &= ~variable
            elif (states & ~function) == self.space.false:
                states &= variable
        return states

    # -- attractors reachable from initial states -------------------------------

    def reachable_attractors(self, functions: Mapping[str, Expr], initial: Function) -> list[Function]:
        """The attractors reachable from a non-empty set of initial states (BDD over all nodes)."""
        if initial == self.space.false:
            return []
        values, residual = percolate(functions, accept=self.holds_everywhere(initial))
        return self.reachable_after_percolation(values, residual, initial)

    def holds_everywhere(self, initial: Function) -> Callable[[str, bool], bool]:
        """``accept(node, value)`` for percolation from ``initial``: does every initial state already hold it?"""
        space = self.space

        def already_there(node: str, value: bool) -> bool:
            literal = space.var[node] if value else ~space.var[node]
            return (initial & ~literal) == space.false

        return already_there

    def reachable_after_percolation(
        self, values: dict[str, bool], residual: dict[str, Expr], initial: Function
    ) -> list[Function]:
        """:meth:`reachable_attractors` once ``percolate(functions, accept=holds_everywhere(initial))`` is known.

        Callers that answer many related questions (a screen) percolate
        incrementally and enter here. The attractors of a reduced core reached
        from the same start are solved once.
        """
        space = self.space
        already_there = self.holds_everywhere(initial)
        values, residual = dict(values), dict(residual)
        # Inputs (and nodes percolation could not fix) that hold one value in every initial state never move.
        held = {}
        for node, function in list(residual.items()):
            if function == node:
                value = space.value(initial, node)
                if value != "*":
                    held[node] = value == "1"
                    del residual[node]
        if held:
            # The residual no longer mentions the values percolated already: only the held ones can spread.
            more_values, residual = percolate({**residual, **held}, accept=already_there)
            values.update(more_values)
        # Related questions (a screen) leave the same reduced network again and again: reduce it once,
        # and solve its core once per start.
        network = frozenset(residual.items())
        reduced = self._reduced.get(network)
        if reduced is None:
            core, outputs = eliminate_outputs(residual)
            others = [node for node in space.nodes if node not in core]
            reduced = self._reduced[network] = (core, outputs, others, frozenset(core.items()))
        core, outputs, others, core_key = reduced
        start = space.exist(others, initial)
        cached = self._reach_cache.get((network, int(start)))
        if cached is None:
            solved = self._solved_cores.get((core_key, int(start)))
            if solved is None:
                from igfnet.dynamics._symbolic import AsyncDynamics

                dynamics = AsyncDynamics(space, core)
                reach = dynamics.forward(start)
                solved = (start, dynamics.bottom_components(reach) if core else [space.true])
                self._solved_cores[core_key, int(start)] = solved
            cached = (start, [self.add_outputs(states, residual, outputs) for states in solved[1]])
            if len(self._reach_cache) > MAX_CACHED:
                for cache in (
                    self._reach_cache,
                    self._solved_cores,
                    self._reduced,
                    self._expressions,
                    self._essentials,
                    self.output_values,
                ):
                    cache.clear()
            self._reach_cache[network, int(start)] = cached  # each entry keeps its start alive: its id stays its own
        constants = space.cube(values)
        return [constants & states for states in cached[1]]

    # -- reading attractors -------------------------------------------------------

    def describe(self, states: Function) -> Attractor:
        pattern, count = self.space.summary(states)
        return Attractor(pattern, count)


def sort_attractors(attractors: Iterable[Attractor]) -> tuple[Attractor, ...]:
    """In a stable order: by pattern, 0 before 1 before *, node by node."""
    order = {"0": "0", "1": "1", "*": "2"}
    return tuple(sorted(attractors, key=lambda attractor: "".join(order[v] for v in attractor.pattern.values())))


def attractors_of_functions(
    functions: Mapping[str, Expr],
    initial: Mapping[str, int] | None = None,
    solver: AttractorSolver | None = None,
    engine: str = "auto",
) -> tuple[Attractor, ...]:
    """Attractors of a network given as update functions (inputs: ``f(X) = X``).

    With ``initial`` (a complete state, or a partial one: its free nodes take
    every value), only the attractors reachable from it. ``engine`` is
    "auto" (explicit search when few nodes stay free after percolation,
    else the decomposition, its large parts through their succession
    diagrams), "explicit", "symbolic" (the decomposition with BDDs only),
    "trapspaces" (symbolic, searching
    the minimal trap spaces first; see :mod:`igfnet.dynamics.guided`) or
    "succession" (the succession diagram of trap spaces; see
    :mod:`igfnet.dynamics.succession`); all give the same answer.
    """
    nodes = list(functions)
    percolated = percolate(functions) if initial is None else None
    if engine in ("auto", "explicit") and solver is None:
        limit = len(nodes) if engine == "explicit" else EXPLICIT_LIMIT
        found = explicit_attractors(functions, None if initial is None else [initial], limit, percolated)
        if found is not None:
            return sort_attractors(attractor.describe(nodes) for attractor in found)
    solver = solver or AttractorSolver(nodes, diagram=engine != "symbolic")
    guided = _guided_attractors(engine, solver, functions, percolated) if initial is None else None
    if guided is not None:
        symbolic = guided
    elif initial is None:
        symbolic = solver.attractors(functions, percolated=percolated)
    else:
        symbolic = solver.reachable_attractors(functions, solver.space.cube(initial))
    return sort_attractors(solver.describe(states) for states in symbolic)


def attractors_of_model(
    model: BooleanNetwork,
    perturbation: Perturbation,
    *,
    free_inputs: bool = False,
    initial: Mapping[str, int] | str | None = None,
    solver: AttractorSolver | None = None,
    engine: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
) -> Attractors:
    """Attractors of a model under a perturbation; see :meth:`BooleanNetwork.attractors`.

    ``engine`` as in :func:`attractors_of_functions`; a given ``solver`` means symbolic.
    ``limit``: the most attractors to list (TooLargeError past it; default MAX_ATTRACTORS; a given
    solver keeps its own).
    ``progress(done, total)`` hears how a symbolic search of all attractors goes, in
    thousandths: the search is the first 500, reading the attractors off it the rest.
    :func:`attractor_listing` answers the same question without holding every attractor as an object.
    """
    listing = attractor_listing(
        model,
        perturbation,
        free_inputs=free_inputs,
        initial=initial,
        solver=solver,
        engine=engine,
        progress=progress,
        limit=limit,
    )
    return replace(listing.header, items=tuple(listing))


def attractor_listing(
    model: BooleanNetwork,
    perturbation: Perturbation,
    *,
    free_inputs: bool = False,
    initial: Mapping[str, int] | str | None = None,
    solver: AttractorSolver | None = None,
    engine: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
) -> AttractorListing:
    """The attractors of :func:`attractors_of_model`, in its order, each built only when it is read.

    For writing long listings (every context of a model with free inputs):
    each attractor is kept as its pattern in one short string until it is
    read, and the search's BDDs of the attractors are never all alive at once.
    """
    description: dict[str, object] = {
        "model": model.name,
        "perturbations": list(perturbation.labels),
        "inputs": "free" if free_inputs else "default context",
    }
    if initial is not None:
        description["initial"] = "untreated attractors" if isinstance(initial, str) else dict(initial)
    header = Attractors((), tuple(model.nodes), description)
    items = None
    percolated = None
    if initial is None:
        # Percolated once, for the explicit search and, when its core is too large, the symbolic one.
        from igfnet.perturb import apply_perturbation

        percolated = percolate(apply_perturbation(model, perturbation, free_inputs=free_inputs).functions)
    if engine in ("auto", "explicit") and solver is None:
        core_limit = len(model.nodes) if engine == "explicit" else EXPLICIT_LIMIT
        items = _explicit_attractors_of_model(model, perturbation, free_inputs, initial, core_limit, percolated)
    if items is None:
        solver = solver or AttractorSolver(model.nodes, limit, diagram=engine != "symbolic")
        return _symbolic_attractors_of_model(
            model, perturbation, free_inputs, initial, solver, progress, percolated, engine, header
        )
    keys = []
    for found in items:
        # One at a time, as the search finds them: 16,384 fixed points of a 16-node core, held together
        # as the search's bitsets and then as Attractor patterns, took 36 MB and 40 MB more.
        attractor = found.describe(model.nodes)
        keys.append((_key(attractor.pattern.values()), attractor.states))
    if len(keys) > (most := MAX_ATTRACTORS if limit is None else limit):
        raise TooLargeError(f"{len(keys)} attractors, more than {most} to list; raise --limit to list them")
    return AttractorListing(header, keys)


_CODE = {"0": "0", "1": "1", "*": "2", 0: "0", 1: "1", None: "2"}
"""A pattern's value (or a subspace's: 0, 1, None for free) as its character in the sort key."""
_VALUE: dict[str, Value] = {"0": "0", "1": "1", "2": "*"}


def _key(values: Iterable[Value | int | None]) -> str:
    """The listing's sort key of a pattern: node by node, 0 before 1 before * (see :func:`sort_attractors`)."""
    return "".join(_CODE[value] for value in values)


class AttractorListing:
    """Attractors in the listing's order, each an :class:`Attractor` only while it is read.

    Per attractor only its sort key (its pattern, one character per node) and
    its number of states are kept: for 67,456 attractors of 55 nodes some 13
    MB, where as ``Attractor`` objects they take ten times that.

    Parameters
    ----------
    header : Attractors
        The question (nodes, description), without items.
    keys : list of (str, int)
        Per attractor, its sort key and its number of states, in any order: sorted here, stably.
    """

    def __init__(self, header: Attractors, keys: list[tuple[str, int]]):
        keys.sort(key=_first)
        self.header = header
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[Attractor]:
        nodes = self.header.nodes
        for key, states in self._keys:
            yield Attractor(dict(zip(nodes, [_VALUE[character] for character in key])), states)


def _first(pair: tuple[str, int]) -> str:
    return pair[0]


def _explicit_attractors_of_model(
    model: BooleanNetwork,
    perturbation: Perturbation,
    free_inputs: bool,
    initial: Mapping[str, int] | str | None,
    limit: int,
    percolated: tuple[dict[str, bool], dict[str, Expr]] | None = None,
) -> Iterable[ExplicitAttractor] | None:
    from igfnet.perturb import apply_perturbation

    treated = apply_perturbation(model, perturbation, free_inputs=free_inputs).functions
    if initial is None:
        return explicit_search(treated, limit=limit, percolated=percolated)
    overrides = _overrides(perturbation, initial)
    if set(overrides) >= set(model.nodes):  # one state given in full: no untreated attractor to look up
        start = [overrides]
    else:
        untreated_perturbation = untreated_of(model, perturbation, initial, free_inputs=free_inputs)
        untreated = apply_perturbation(model, untreated_perturbation, free_inputs=free_inputs).functions
        sitting = explicit_attractors(untreated, limit=limit)
        if sitting is None:
            return None
        start = [state | overrides for attractor in sitting for state in attractor.cubes()]
    return explicit_search(treated, start, limit=limit)


def _symbolic_attractors_of_model(
    model: BooleanNetwork,
    perturbation: Perturbation,
    free_inputs: bool,
    initial: Mapping[str, int] | str | None,
    solver: AttractorSolver,
    progress: Callable[[int, int], None] | None,
    percolated: tuple[dict[str, bool], dict[str, Expr]] | None,
    engine: str,
    header: Attractors,
) -> AttractorListing:
    from igfnet.perturb import apply_perturbation

    treated = apply_perturbation(model, perturbation, free_inputs=free_inputs).functions
    if initial is None:
        guided = _guided_attractors(engine, solver, treated, percolated)
        if guided is None:
            searched = None if progress is None else (lambda fraction: progress(int(500 * fraction), 1000))
            plan = solver.search(treated, searched, percolated)
            return AttractorListing(header, list(_described(solver, plan, progress)))
        found = guided
    else:
        start = initial_states(model, perturbation, initial, free_inputs=free_inputs, solver=solver)
        found = solver.reachable_attractors(treated, start)
    keys = []
    for index, states in enumerate(found, start=1):
        pattern, count = solver.space.summary(states)
        keys.append((_key(pattern.values()), count))
        if progress is not None:
            progress(500 + 500 * index // len(found), 1000)
    return AttractorListing(header, keys)


def _described(
    solver: AttractorSolver, plan: _Plan, progress: Callable[[int, int], None] | None
) -> Iterator[tuple[str, int]]:
    """Each attractor of a searched plan as its sort key and number of states, as the plan lists them.

    A subspace is read off its fixed values; only the others (complex attractors that
    fill no subspace) become BDDs, one at a time.
    """
    space = solver.space
    nodes = space.nodes
    every = len(nodes)
    for index, (states, fixed) in enumerate(solver.listed(plan), start=1):
        if states is None:
            yield _key([fixed.get(node) for node in nodes]), 1 << (every - len(fixed))
        else:
            pattern, count = space.summary(states)
            yield _key(pattern.values()), count
        if progress is not None and (index % 256 == 0 or index == plan.count):
            progress(500 + 500 * index // plan.count, 1000)


def _guided_attractors(
    engine: str,
    solver: AttractorSolver,
    functions: Mapping[str, Expr],
    percolated: tuple[dict[str, bool], dict[str, Expr]] | None,
) -> list[Function] | None:
    """Every attractor by trap spaces, or None where the decomposition engine answers (``solver.attractors``).

    "trapspaces" (:mod:`igfnet.dynamics.guided`) only on request: on the hardest published models it was
    not faster than the transition-guided reduction. "succession" (:mod:`igfnet.dynamics.succession`)
    takes the whole network through the diagram, and hands over to the decomposition when the diagram
    grows too large; "auto" uses the diagram inside the decomposition, for its large parts.
    """
    if percolated is None:
        return None
    if engine == "trapspaces":
        from igfnet.dynamics.guided import attractors_by_trap_spaces

        return attractors_by_trap_spaces(solver, functions)
    if engine == "succession":
        from igfnet.dynamics.succession import DiagramTooLarge, attractors_by_succession

        try:
            return attractors_by_succession(solver, functions)
        except DiagramTooLarge:
            return None
    return None


def initial_states(
    model: BooleanNetwork,
    perturbation: Perturbation,
    initial: Mapping[str, int] | str,
    *,
    free_inputs: bool = False,
    solver: AttractorSolver,
) -> Function:
    """The states a treatment meets: the untreated attractors, overwritten by ``initial`` and the treatment.

    The untreated cell sits in the attractors of the model under the context
    part of the perturbation alone. Values given in ``initial`` replace those
    nodes' values; then every node the treatment fixes takes its fixed value.
    """
    from igfnet.perturb import apply_perturbation

    space = solver.space
    overrides = _overrides(perturbation, initial)
    if set(overrides) >= set(model.nodes):  # one state given in full: no untreated attractor to look up
        return space.cube(overrides)
    untreated_perturbation = untreated_of(model, perturbation, initial, free_inputs=free_inputs)
    untreated = apply_perturbation(model, untreated_perturbation, free_inputs=free_inputs).functions
    start = space.false
    for states in solver.attractors(untreated):
        start |= states
    return space.overwrite(start, overrides)


def _overrides(perturbation: Perturbation, initial: Mapping[str, int] | str) -> dict[str, int]:
    """The values written over the untreated states: ``initial``'s, then the treatment's."""
    overrides = {} if isinstance(initial, str) else dict(initial)
    overrides.update(perturbation.treatment)
    return overrides


def untreated_of(
    model: BooleanNetwork,
    perturbation: Perturbation,
    initial: Mapping[str, int] | str,
    *,
    free_inputs: bool = False,
) -> Perturbation:
    """The untreated cell's perturbation: the context, and the free inputs that ``initial`` sets.

    An input keeps its value along every trajectory, so a free input that the
    initial state sets is the cell's environment before the treatment too:
    the untreated cell is looked for in that context only, not in all 2^N
    contexts of its free inputs (which a model with many free inputs could
    not even list). Inputs with a default context keep theirs: an initial
    value given for them is written over the untreated states (a stimulus).
    """
    untreated = perturbation.untreated
    if isinstance(initial, str):
        return untreated
    defaults = {} if free_inputs else model.default_context
    held = {
        node: value
        for node, value in initial.items()
        if node in model.rules and model.rules[node].is_input and node not in untreated.context and node not in defaults
    }
    if not held:
        return untreated
    from igfnet.types import FrozenMap

    return replace(untreated, context=FrozenMap({**untreated.context, **held}))
