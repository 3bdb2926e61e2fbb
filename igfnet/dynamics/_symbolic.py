"""Sets of states as binary decision diagrams, and the asynchronous transitions on them.

One BDD variable per node, in model order. A set of states is a BDD over
those variables; CUDD (through the ``dd`` package) keeps them shared and
small, so an attractor of 10^20 states costs what its structure costs, not
what its size does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from dd import cudd

from igfnet.logic import Expr

Function = cudd.Function


class SymbolicSpace:
    """A BDD manager with a variable per node, and conversions to and from it."""

    def __init__(self, nodes: Sequence[str]):
        self.nodes = list(nodes)
        self.bdd = cudd.BDD()
        # Variable names are placeholders: node names such as "1_5_phosphate" are not valid dd identifiers.
        self._names = {node: f"x{index}" for index, node in enumerate(self.nodes)}
        self.bdd.declare(*self._names.values())
        self.var = {node: self.bdd.var(name) for node, name in self._names.items()}
        self.true = self.bdd.true
        self.false = self.bdd.false

    def name(self, node: str) -> str:
        return self._names[node]

    def expression(self, expression: Expr, memo: dict | None = None) -> Function:
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
        else:
            for argument in arguments[1:]:
                result |= argument
        return result

    def cube(self, values: Mapping[str, int]) -> Function:
        """The subspace where the given nodes have the given values."""
        return self.bdd.cube({self._names[node]: bool(value) for node, value in values.items()})

    def exist(self, nodes: Iterable[str], states: Function) -> Function:
        names = [self._names[node] for node in nodes]
        return self.bdd.exist(names, states) if names else states

    def pick_state(self, states: Function, nodes: Iterable[str]) -> Function:
        """One state of a non-empty set, as a single-state BDD over ``nodes``."""
        names = {self._names[node] for node in nodes}
        assignment = self.bdd.pick(states, care_vars=names)
        return self.bdd.cube(assignment) & states

    def value(self, states: Function, node: str) -> str:
        """'0', '1' or '*': the node's value across a non-empty set of states."""
        variable = self.var[node]
        if (states & variable) == self.false:
            return "0"
        if (states & ~variable) == self.false:
            return "1"
        return "*"

    def count(self, states: Function) -> int:
        """The exact number of states (over every node), as a Python integer.

        CUDD's own count is a float, exact only up to 2^53 states; attractors
        of published models are larger than that.
        """
        total_levels = len(self.nodes)
        memo: dict[int, int] = {}

        def level(node: Function) -> int:
            return total_levels if node == self.true or node == self.false else node.level

        def satisfying(node: Function) -> int:
            # Assignments of the variables at levels >= level(node) that satisfy node.
            if node == self.true:
                return 1
            if node == self.false:
                return 0
            if node.negated:
                return 2 ** (total_levels - node.level) - satisfying(~node)
            key = int(node)
            if key not in memo:
                low, high = node.low, node.high
                memo[key] = satisfying(low) * 2 ** (level(low) - node.level - 1) + satisfying(high) * 2 ** (
                    level(high) - node.level - 1
                )
            return memo[key]

        return satisfying(states) * 2 ** level(states)


class AsyncDynamics:
    """The fully asynchronous transitions of a network over a SymbolicSpace.

    Parameters
    ----------
    space : SymbolicSpace
        The shared BDD manager.
    functions : Mapping[str, Expr]
        Update functions of the nodes that take part; every other node of the
        space is constant and never changes.
    """

    def __init__(self, space: SymbolicSpace, functions: Mapping[str, Expr]):
        self.space = space
        self.nodes = list(functions)
        self.flips: list[tuple[str, Function, Function, Function]] = []
        for node, expression in functions.items():
            variable = space.var[node]
            function = space.expression(expression)
            can_rise = ~variable & function
            can_fall = variable & ~function
            if can_rise == space.false and can_fall == space.false:
                continue  # the node never changes (an input)
            self.flips.append((space.name(node), variable, can_rise, can_fall))

    def successors(self, states: Function, flip: tuple) -> Function:
        name, variable, can_rise, can_fall = flip
        risen = cudd.and_exists(states, can_rise, {name}) & variable
        fallen = cudd.and_exists(states, can_fall, {name}) & ~variable
        return risen | fallen

    def predecessors(self, states: Function, flip: tuple) -> Function:
        name, variable, can_rise, can_fall = flip
        from_below = can_rise & cudd.and_exists(states, variable, {name})
        from_above = can_fall & cudd.and_exists(states, ~variable, {name})
        return from_below | from_above

    def _closure(self, states: Function, step, within: Function | None) -> Function:
        # Saturation-like order: after any growth, start again from the last
        # variable, so cheap local moves are exhausted before global ones.
        reached = states
        false = self.space.false
        flips = self.flips[::-1]
        while True:
            for flip in flips:
                new = step(reached, flip) & ~reached
                if within is not None:
                    new &= within
                if new != false:
                    reached |= new
                    break
            else:
                return reached

    def forward(self, states: Function, within: Function | None = None) -> Function:
        """Every state reachable from ``states`` (staying inside ``within``, if given)."""
        return self._closure(states, self.successors, within)

    def backward(self, states: Function, within: Function | None = None) -> Function:
        """Every state that can reach ``states`` (staying inside ``within``, if given)."""
        return self._closure(states, self.predecessors, within)

    def bottom_components(self, universe: Function) -> list[Function]:
        """The terminal strongly connected components inside a forward-closed set.

        A pivot state is followed forward; while its forward set holds states
        that cannot return to it, a new pivot is taken among those, so the
        search only descends. A forward set that all returns to its pivot is
        terminal. Its basin is then removed, so no attractor is found twice.
        """
        false = self.space.false
        found: list[Function] = []
        remaining = universe
        while remaining != false:
            pivot = self.space.pick_state(remaining, self.nodes)
            reach = self.forward(pivot)
            while True:
                returning = self.backward(pivot, within=reach)
                escaping = reach & ~returning
                if escaping == false:
                    break
                remaining &= ~returning  # states that reach a non-terminal component are transient
                pivot = self.space.pick_state(escaping, self.nodes)
                reach = self.forward(pivot, within=escaping)
            found.append(reach)
            remaining &= ~self.backward(reach, within=universe)
        return found
