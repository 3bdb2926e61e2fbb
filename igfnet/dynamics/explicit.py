"""Attractors of small networks, by explicit search of their asynchronous state graph.

Once constants are percolated, most questions asked of a signalling model
with its inputs fixed leave few nodes free, often none (every rule of the
bundled model then has a value). Setting aside the outputs (nodes that
regulate no other free node) leaves a core of k nodes; searching its 2^k
states one by one answers at once and spares the command line the loading
of the BDD library, most of its start-up time. Larger cores go to the
symbolic engine (:mod:`igfnet.dynamics.attractors`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import product

from igfnet.dynamics.reduction import eliminate_outputs, percolate
from igfnet.logic import Expr, variables
from igfnet.types import Attractor, Value

EXPLICIT_LIMIT = 16
"""Nodes left in the core (after percolation and output elimination) up to which the state graph is
searched explicitly, as bitsets of 2^16 states: a few milliseconds, where loading the BDD library alone
takes tens."""

Cube = Mapping[str, int]
"""A set of states as a partial assignment: the nodes it leaves out take every value."""


class SmallNetwork:
    """The asynchronous state graph of a network given over its own k nodes, as bitsets.

    A state is an int (bit i: node i). A set of states is an int of 2^k bits
    (bit s: state s), so the successors or predecessors of a whole set under
    every transition take a few big-integer operations per node, and a
    reachability search touches no state one at a time.
    """

    def __init__(self, functions: Mapping[str, Expr]):
        self.nodes = list(functions)
        self.everything = (1 << (1 << len(self.nodes))) - 1
        self.ones = {node: self._ones(index) for index, node in enumerate(self.nodes)}
        """Per node, the states where it is 1."""
        # Per node, the states where its function differs from its value: where it can change.
        self._movable = [
            truth_table(function, self.ones, self.everything) ^ self.ones[node] for node, function in functions.items()
        ]

    def _ones(self, index: int) -> int:
        # Bit s is bit ``index`` of s: blocks of 2^index zeros then 2^index ones, repeated.
        period = 1 << (index + 1)
        repeat = self.everything // ((1 << period) - 1)
        return repeat * (((1 << (1 << index)) - 1) << (1 << index))

    def successors(self, states: int) -> int:
        following = 0
        for index, (ones, movable) in enumerate(zip(self.ones.values(), self._movable)):
            moving, step = states & movable, 1 << index
            following |= ((moving & ~ones) << step) | ((moving & ones) >> step)
        return following

    def predecessors(self, states: int) -> int:
        preceding = 0
        for index, (ones, movable) in enumerate(zip(self.ones.values(), self._movable)):
            step = 1 << index
            preceding |= (((states & ones) >> step) | ((states & ~ones) << step)) & movable
        return preceding

    def forward(self, states: int) -> int:
        """Every state reachable from the set (the set included)."""
        reached = frontier = states
        while frontier:
            frontier = self.successors(frontier) & ~reached
            reached |= frontier
        return reached

    def backward(self, states: int, within: int) -> int:
        """Every state of ``within`` that reaches the set through ``within`` (the set included)."""
        reached = frontier = states & within
        while frontier:
            frontier = self.predecessors(frontier) & within & ~reached
            reached |= frontier
        return reached

    def states_of(self, cubes: Iterable[Cube]) -> int:
        """Every state over this network's nodes that agrees with one of the cubes."""
        states = 0
        for cube in cubes:
            agreeing = self.everything
            for node, ones in self.ones.items():
                if node in cube:
                    agreeing &= ones if cube[node] else ~ones
            states |= agreeing
        return states

    def terminal_components(self, starts: int | None = None) -> Iterator[int]:
        """The terminal strongly connected components reachable from ``starts`` (default: every state).

        Fixed points first, all at once (no node can change there), and every
        state that reaches one dropped. Then Xie and Beerel's pivots: the
        states that reach a pivot are either its own terminal component, if
        all it reaches reaches it back, or in no attractor; they are dropped,
        and the next pivot is taken where the last one led, where an
        attractor must lie. Yielded as found: a fixed point's set is an int of
        up to 2^k bits (8 kB at k = 16), and a listing may hold 2^k of them.
        """
        candidates = self.everything if starts is None else self.forward(starts)
        stuck = candidates
        for movable in self._movable:
            stuck &= ~movable
        candidates &= ~self.backward(stuck, candidates)
        for state in members(stuck):
            yield 1 << state
        pivot = candidates & -candidates
        while candidates:
            reached = self.forward(pivot)
            reaching = self.backward(pivot, candidates)
            if not reached & ~reaching:
                yield reached
            candidates &= ~reaching
            ahead = reached & candidates
            pivot = (ahead & -ahead) or (candidates & -candidates)


def truth_table(expression: Expr, ones: Mapping[str, int], everything: int) -> int:
    """The states where an expression holds, given the states where each node is 1 (bit-parallel evaluation)."""
    if isinstance(expression, bool):
        return everything if expression else 0
    if isinstance(expression, str):
        return ones[expression]
    operator, *arguments = expression
    values = [truth_table(argument, ones, everything) for argument in arguments]
    if operator == "not":
        return everything & ~values[0]
    result = values[0]
    for value in values[1:]:
        if operator == "xor":
            result ^= value
        else:
            result = result & value if operator == "and" else result | value
    return result


def members(states: int) -> list[int]:
    """The states in a set, in increasing order."""
    return [state for state, bit in enumerate(reversed(bin(states)[2:])) if bit == "1"]


class ExplicitAttractor:
    """An attractor found explicitly: constant nodes, the states of the core, and the outputs' values.

    An output (a node that regulates no core node, directly or through other
    outputs) either holds one value over the attractor or, where its function
    takes both values, takes both in every combination with the core's states:
    the core moves freely while an output waits to update.
    """

    def __init__(
        self,
        constants: Mapping[str, bool],
        network: SmallNetwork,
        states: int,
        outputs: Mapping[str, Value],
    ):
        self.constants = constants
        self.network = network
        self.states = states
        self.outputs = outputs

    def core_pattern(self) -> dict[str, Value]:
        pattern: dict[str, Value] = {}
        for node, ones in self.network.ones.items():
            has_one, has_zero = bool(self.states & ones), bool(self.states & ~ones)
            pattern[node] = "*" if has_one and has_zero else "1" if has_one else "0"
        return pattern

    def cubes(self) -> list[dict[str, int]]:
        """The attractor as cubes (its free outputs left out: they take both values).

        One cube when the core's states fill a subspace, else one per state.
        """
        fixed = {node: int(value) for node, value in self.constants.items()}
        fixed |= {node: int(value) for node, value in self.outputs.items() if value != "*"}
        core = self.core_pattern()
        if self.states.bit_count() == 1 << sum(value == "*" for value in core.values()):
            return [fixed | {node: int(value) for node, value in core.items() if value != "*"}]
        nodes = self.network.nodes
        return [
            fixed | {node: (state >> index) & 1 for index, node in enumerate(nodes)} for state in members(self.states)
        ]

    def describe(self, order: Sequence[str]) -> Attractor:
        core = self.core_pattern()
        pattern: dict[str, Value] = {}
        for node in order:
            if node in self.constants:
                pattern[node] = "1" if self.constants[node] else "0"
            elif node in self.outputs:
                pattern[node] = self.outputs[node]
            else:
                pattern[node] = core[node]
        free_outputs = sum(value == "*" for value in self.outputs.values())
        return Attractor(pattern, self.states.bit_count() << free_outputs)


def explicit_attractors(
    functions: Mapping[str, Expr],
    initial: Sequence[Cube] | None = None,
    limit: int = EXPLICIT_LIMIT,
    percolated: tuple[dict[str, bool], dict[str, Expr]] | None = None,
) -> list[ExplicitAttractor] | None:
    """Every attractor (reachable from the ``initial`` cubes, if given); None if the core has more than ``limit`` nodes.

    With initial states, a node is only fixed by percolation if it already
    holds its constant value in every initial state: one that still has to
    change can trigger other transitions on its way. Without initial states,
    ``percolated`` may give ``percolate(functions)`` computed already (the
    symbolic search that follows when the core is too large reuses it).

    Examples
    --------
    >>> found = explicit_attractors({"A": ("not", "B"), "B": ("not", "A"), "C": True})
    >>> sorted(str(attractor.describe("ABC")) for attractor in found)
    ['011', '101']
    """
    found = explicit_search(functions, initial, limit, percolated)
    return None if found is None else list(found)


def explicit_search(
    functions: Mapping[str, Expr],
    initial: Sequence[Cube] | None = None,
    limit: int = EXPLICIT_LIMIT,
    percolated: tuple[dict[str, bool], dict[str, Expr]] | None = None,
) -> Iterator[ExplicitAttractor] | None:
    """:func:`explicit_attractors` one at a time, as they are found (None at once if the core is too large).

    A listing described as it is read holds one attractor's states at a time, not all of them.
    """
    if initial is None:
        values, residual = percolated if percolated is not None else percolate(functions)
    else:
        if not initial:
            return iter(())

        def already_there(node: str, value: bool) -> bool:
            return all(node in cube and cube[node] == value for cube in initial)

        values, residual = percolate(functions, accept=already_there)
        # Inputs that hold one value in every initial state never move.
        held = {
            node: bool(initial[0][node])
            for node, function in residual.items()
            if function == node and already_there(node, bool(initial[0].get(node, 0)))
        }
        if held:
            more, residual = percolate({**residual, **held}, accept=already_there)
            values.update(more)
    # Outputs regulate no core node: the core's attractors decide theirs (see ExplicitAttractor).
    core, outputs = eliminate_outputs(residual)
    if len(core) > limit:
        return None
    network = SmallNetwork(core)
    starts = None if initial is None else network.states_of(initial)
    return (
        ExplicitAttractor(values, network, states, output_values(residual, outputs, network, states))
        for states in network.terminal_components(starts)
    )


def output_values(
    functions: Mapping[str, Expr], outputs: Sequence[str], network: SmallNetwork, states: int
) -> dict[str, Value]:
    """Each output's value over an attractor of the core: '0', '1', or '*' where its function takes both.

    ``outputs`` in the order :func:`~igfnet.dynamics.reduction.eliminate_outputs` removed them
    (downstream first); each is read over the core's states and every value of the free outputs
    upstream of it.
    """
    ones = dict(network.ones)
    values: dict[str, Value] = {}
    for node in reversed(outputs):
        function = functions[node]
        free = [name for name in variables(function) if values.get(name) == "*"]
        seen: set[bool] = set()
        for bits in product((0, 1), repeat=len(free)):
            holds = truth_table(
                function, ones | {name: network.everything * bit for name, bit in zip(free, bits)}, network.everything
            )
            if states & holds:
                seen.add(True)
            if states & ~holds:
                seen.add(False)
        values[node] = "*" if len(seen) == 2 else "1" if True in seen else "0"
        if values[node] != "*":
            ones[node] = network.everything if values[node] == "1" else 0
    return values
