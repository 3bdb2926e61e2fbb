"""Sets of states as binary decision diagrams, and the asynchronous transitions on them.

One BDD variable per node, in model order. A set of states is a BDD over
those variables; CUDD (through the ``dd`` package) keeps them shared and
small, so an attractor of 10^20 states costs what its structure costs, not
what its size does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, cast

# dd loads networkx (about 85 ms) to draw BDDs, which igfnet never asks of it. Only questions whose core
# is too large for the explicit search load dd at all; the main job (igfnet attractors --knockout IGF1R)
# does not, so the cost is left as it is rather than hidden behind a sys.modules trick.
from dd import cudd

from igfnet.logic import Expr
from igfnet.types import Value

if TYPE_CHECKING:

    class Function(Protocol):
        """What igfnet uses of ``dd.cudd.Function`` (a compiled class that ships no type stubs)."""

        @property
        def level(self) -> int: ...
        @property
        def low(self) -> Function: ...
        @property
        def high(self) -> Function: ...
        @property
        def negated(self) -> bool: ...
        @property
        def var(self) -> str: ...
        @property
        def support(self) -> set[str]: ...
        @property
        def dag_size(self) -> int: ...
        def __invert__(self) -> Function: ...
        def __and__(self, other: Function) -> Function: ...
        def __or__(self, other: Function) -> Function: ...
        def __int__(self) -> int: ...

    class BDD(Protocol):
        """What igfnet uses of ``dd.cudd.BDD``."""

        @property
        def true(self) -> Function: ...
        @property
        def false(self) -> Function: ...
        def declare(self, *names: str) -> None: ...
        def var(self, name: str) -> Function: ...
        def level_of_var(self, name: str) -> int: ...
        @property
        def var_levels(self) -> dict[str, int]: ...
        def cube(self, assignment: Mapping[str, bool]) -> Function: ...
        def exist(self, names: Iterable[str], u: Function) -> Function: ...
        def pick(self, u: Function, care_vars: set[str] | None = None) -> dict[str, bool] | None: ...
        def let(self, definitions: Mapping[str, Function | bool], u: Function) -> Function: ...
        def apply(self, op: str, u: Function, v: Function | None = None) -> Function: ...
        def count(self, u: Function, nvars: int | None = None) -> float: ...
        def reorder(self, var_order: Mapping[str, int] | None = None) -> None: ...

else:
    Function = cudd.Function


CUDD_MEMORY = 2**28
"""CUDD's memory target (256 MB; dd's default is 1 GB). Below ``target / 160`` nodes (1.7 million)
CUDD grows its node table rather than collect dead nodes; with dd's default (6.7 million) a search
that makes and drops many BDDs (a listing of 2^16 contexts) peaked at 560 MB of mostly dead nodes.
Past the target CUDD collects before it grows: a hard model still gets every node it needs."""

CUDD_CACHE = 2**12
"""Initial slots of CUDD's operation cache (dd's default, 2^18, allocates 8 MB at once). CUDD
enlarges the cache as its hit rate warrants; on the bundled model with free inputs, bbm231 (7 free)
and bbm234 (inputs fixed) the search took the same time either way, within the machine's noise."""


def copy_into(states: Function, space: SymbolicSpace) -> Function:
    """The same set in another space over the same nodes (its variables have the same names)."""
    return cast("Function", cudd.copy_bdd(states, space.bdd))


def cofactors(node: Function) -> tuple[Function, Function]:
    """The node's else- and then-branches, read through a complemented edge (CUDD stores negation on edges)."""
    if node.negated:
        return ~(~node).low, ~(~node).high
    return node.low, node.high


class SymbolicSpace:
    """A BDD manager with a variable per node, and conversions to and from it."""

    def __init__(self, nodes: Sequence[str]):
        self.nodes = list(nodes)
        self.bdd: BDD = cudd.BDD(memory_estimate=CUDD_MEMORY, initial_cache_size=CUDD_CACHE)
        # Variable names are placeholders: node names such as "1_5_phosphate" are not valid dd identifiers.
        self._names = {node: f"x{index}" for index, node in enumerate(self.nodes)}
        self.bdd.declare(*self._names.values())
        self._node_of = {name: node for node, name in self._names.items()}
        self.var: dict[str, Function] = {node: self.bdd.var(name) for node, name in self._names.items()}
        self.true: Function = self.bdd.true
        self.false: Function = self.bdd.false

    def name(self, node: str) -> str:
        return self._names[node]

    def expression(self, expression: Expr) -> Function:
        """The BDD of a Boolean expression."""
        if isinstance(expression, bool):
            return self.true if expression else self.false
        if isinstance(expression, str):
            return self.var[expression]
        operator = expression[0]
        if operator == "not":
            return ~self.expression(expression[1])
        arguments = [self.expression(argument) for argument in expression[1:]]
        result = arguments[0]
        if operator == "and":
            for argument in arguments[1:]:
                result &= argument
        elif operator == "xor":  # linear in the arguments, as a BDD
            for argument in arguments[1:]:
                result = self.bdd.apply("xor", result, argument)
        else:
            for argument in arguments[1:]:
                result |= argument
        return result

    def cube(self, values: Mapping[str, int]) -> Function:
        """The subspace where the given nodes have the given values."""
        return self.bdd.cube({self._names[node]: bool(value) for node, value in values.items()})

    def overwrite(self, states: Function, values: Mapping[str, int]) -> Function:
        """The states with the given nodes set to the given values (a treatment acting at once)."""
        return self.exist(values, states) & self.cube(values)

    def exist(self, nodes: Iterable[str], states: Function) -> Function:
        names = [self._names[node] for node in nodes]
        return self.bdd.exist(names, states) if names else states

    def cubes(self, states: Function) -> list[dict[str, int]]:
        """Disjoint cubes (partial assignments) whose union is the set: one per path of its BDD to true.

        A node a cube leaves out takes both values; the cube holds 2^(nodes - len(cube)) states.
        """
        node_of = {name: node for node, name in self._names.items()}
        found: list[dict[str, int]] = []

        def walk(node: Function, cube: dict[str, int]) -> None:
            if node == self.false:
                return
            if node == self.true:
                found.append(dict(cube))
                return
            low, high = cofactors(node)
            name = node_of[node.var]
            for value, child in ((0, low), (1, high)):
                cube[name] = value
                walk(child, cube)
            del cube[name]

        walk(states, {})
        return found

    def pick_state(self, states: Function, nodes: Iterable[str]) -> Function:
        """The states of a non-empty set that agree with one of them on ``nodes``.

        The other variables keep every value the set allows with that choice:
        a pivot over the nodes that move, whatever an upstream attractor
        (which does not move here) holds.
        """
        names = {self._names[node] for node in nodes}
        others = states.support - names
        projected = self.bdd.exist(others, states) if others else states
        assignment = self.bdd.pick(projected, care_vars=names)
        assert assignment is not None  # the set is not empty
        return self.bdd.cube(assignment) & states

    def value(self, states: Function, node: str) -> Value:
        """'0', '1' or '*': the node's value across a non-empty set of states."""
        variable = self.var[node]
        if (states & variable) == self.false:
            return "0"
        if (states & ~variable) == self.false:
            return "1"
        return "*"

    def summary(self, states: Function) -> tuple[dict[str, Value], int]:
        """The pattern ('0', '1' or '*' per node) and the exact number of a non-empty set of states.

        One walk over the BDD's nodes gives both: a node is fixed when every
        path to a satisfying assignment takes the same branch at its level,
        and free (``*``) when some path takes both branches or skips the
        level. The count is a Python integer: CUDD's own is a float, exact
        only up to 2^53 states, and attractors of published models are
        larger than that.
        """
        cube = self._cube_pattern(states)
        if cube is not None:
            return cube
        # Per level, bit 1: a satisfying path takes the 0 branch; 2: the 1 branch; 4: it skips the level.
        seen = [0] * len(self.nodes)
        top = self._level(states)
        for skipped in range(top):
            seen[skipped] |= 4
        count = self._satisfying(states, seen, {}) << top
        name_level = self.bdd.var_levels  # levels move when CUDD reorders its variables
        pattern: dict[str, Value] = {}
        for node in self.nodes:
            mark = seen[name_level[self._names[node]]]
            pattern[node] = "*" if mark & 4 or mark & 3 == 3 else "1" if mark & 2 else "0"
        return pattern, count

    def _cube_pattern(self, states: Function) -> tuple[dict[str, Value], int] | None:
        """The pattern and count of a set that is a subspace (fixed points, most attractors), else None."""
        fixed = self.subspace(states)
        if fixed is None:
            return None
        pattern: dict[str, Value] = {node: "*" for node in self.nodes}
        for node, value in fixed.items():
            pattern[node] = "1" if value else "0"
        return pattern, 1 << (len(self.nodes) - len(fixed))

    def subspace(self, states: Function) -> dict[str, int] | None:
        """The fixed values of a set that is a subspace (a cube: every other node free), else None.

        A subspace's BDD is one path: at each node one branch is false. Walking it costs one step
        per fixed node, where the general count visits every BDD node.
        """
        fixed: dict[str, int] = {}
        node = states
        node_of = self._node_of
        false = self.false
        while node != self.true:
            if node == false:
                return None
            low, high = cofactors(node)
            if low == false:
                fixed[node_of[node.var]], node = 1, high
            elif high == false:
                fixed[node_of[node.var]], node = 0, low
            else:
                return None
        return fixed

    def support(self, function: Function) -> tuple[str, ...]:
        """The nodes a function depends on, in model order."""
        names = function.support
        return tuple(node for node in self.nodes if self._names[node] in names)

    def constant_on(self, function: Function, values: Mapping[str, int]) -> int | None:
        """The function's value (0 or 1) where the nodes have these values, or None if it still varies."""
        # dd's let() logs a warning when given nothing to substitute (an output whose support is all free).
        restricted = (
            self.bdd.let({self._names[node]: bool(value) for node, value in values.items()}, function)
            if values
            else function
        )
        if restricted == self.true:
            return 1
        if restricted == self.false:
            return 0
        return None

    def _level(self, node: Function) -> int:
        return len(self.nodes) if node == self.true or node == self.false else node.level

    def _satisfying(self, node: Function, seen: list[int], memo: dict[int, int]) -> int:
        # Assignments of the variables at levels >= level(node) that satisfy node; marks ``seen`` on the way.
        if node == self.true:
            return 1
        key = int(node)
        if key not in memo:
            low, high = cofactors(node)
            at, total = node.level, 0
            for branch, child in ((1, low), (2, high)):
                if child == self.false:
                    continue
                seen[at] |= branch
                below = self._level(child)
                for skipped in range(at + 1, below):
                    seen[skipped] |= 4
                total += self._satisfying(child, seen, memo) << (below - at - 1)
            memo[key] = total
        return memo[key]


class Flip:
    """The transitions of one node: where it can change, and the substitution that changes it."""

    __slots__ = ("node", "name", "can_change", "landing", "negation")

    def __init__(self, space: SymbolicSpace, node: str, can_change: Function):
        self.node = node
        self.name = space.name(node)
        self.negation = {self.name: ~space.var[node]}
        self.can_change = can_change
        # The states a change of the node leads to: where it can change, with the node negated.
        self.landing = space.bdd.let(self.negation, can_change)


class AsyncDynamics:
    """The fully asynchronous transitions of a network over a SymbolicSpace.

    Parameters
    ----------
    space : SymbolicSpace
        The shared BDD manager.
    functions : Mapping[str, Expr]
        Update functions of the nodes that take part; every other node of the
        space is constant and never changes.
    driven_by : (Function, collection of str), optional
        An attractor of the nodes that drive these ones (their functions read none of these), and
        the drivers that move in it. The drivers are then left out of the states: a node can change
        where it can change for some state of the attractor. See :meth:`AttractorSolver._solve`
        for why that is exact.
    """

    def __init__(
        self,
        space: SymbolicSpace,
        functions: Mapping[str, Expr],
        driven_by: tuple[Function, Collection[str]] | None = None,
    ):
        self.space = space
        self.nodes = list(functions)
        self.flips: list[Flip] = []
        for node, expression in functions.items():
            variable = space.var[node]
            # The node can change exactly where its value differs from its function.
            can_change = space.bdd.apply("xor", variable, space.expression(expression))
            if driven_by is not None:
                attractor, drivers = driven_by
                can_change = space.exist(drivers, attractor & can_change)
            if can_change == space.false:
                continue  # the node never changes (an input)
            self.flips.append(Flip(space, node, can_change))
        self._calls = 0
        self._by_depth = self.flips

    def successors(self, states: Function, flip: Flip) -> Function:
        """The states one change of the flip's node leads to from ``states``."""
        # A transition negates the node where it can change: one composition, no quantification.
        return self.space.bdd.let(flip.negation, states & flip.can_change)

    def predecessors(self, states: Function, flip: Flip) -> Function:
        """The states from which one change of the flip's node leads into ``states``."""
        return flip.can_change & self.space.bdd.let(flip.negation, states)

    def flips_by_depth(self) -> list[Flip]:
        """The flips from the deepest BDD level up.

        CUDD reorders variables when its tables grow; the order is refreshed
        every few dozen calls (a stale order only costs time, never exactness).
        """
        self._calls += 1
        if self._calls % 32 == 1:
            level = self.space.bdd.level_of_var
            self._by_depth = sorted(self.flips, key=lambda flip: -level(flip.name))
        return self._by_depth

    def forward(self, states: Function, within: Function | None = None) -> Function:
        """Every state reachable from ``states`` (staying inside ``within``, if given)."""
        from igfnet.dynamics._engine import Closure

        return Closure(self, states, True, within).run()

    def backward(self, states: Function, within: Function | None = None) -> Function:
        """Every state that can reach ``states`` (staying inside ``within``, if given)."""
        from igfnet.dynamics._engine import Closure

        return Closure(self, states, False, within).run()

    def bottom_components(self, universe: Function) -> list[Function]:
        """The terminal strongly connected components (attractors) inside ``universe``.

        See :mod:`igfnet.dynamics._engine`: transition-guided reduction, then
        pivots taken in what is left.
        """
        from igfnet.dynamics._engine import bottom_components

        return bottom_components(self, universe)
