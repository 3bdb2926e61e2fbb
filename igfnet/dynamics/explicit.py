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

from collections.abc import Iterable, Mapping, Sequence
from itertools import product
from typing import cast

from igfnet.dynamics.reduction import eliminate_outputs, percolate, strongly_connected_components
from igfnet.logic import Expr, evaluate, variables
from igfnet.types import Attractor, Value

EXPLICIT_LIMIT = 10
"""Nodes left in the core (after percolation and output elimination) up to which the state graph is
searched explicitly (2^10 states)."""

Cube = Mapping[str, int]
"""A set of states as a partial assignment: the nodes it leaves out take every value."""


class SmallNetwork:
    """The asynchronous state graph of a network given over its own nodes; a state is an int, bit i = node i.

    Each update function is tabulated over its regulators once, so a
    successor costs a few bit operations.
    """

    def __init__(self, functions: Mapping[str, Expr]):
        self.nodes = list(functions)
        position = {node: index for index, node in enumerate(self.nodes)}
        self._tables: list[tuple[list[int], list[bool]]] = []
        for function in functions.values():
            regulators = sorted(variables(function), key=position.__getitem__)
            table = [
                evaluate(function, dict(zip(regulators, reversed(bits))))
                for bits in product((0, 1), repeat=len(regulators))
            ]
            # product() counts with the first regulator as the high bit; reversed() makes bit j regulator j.
            self._tables.append(([position[regulator] for regulator in regulators], table))

    def successors(self, state: int) -> list[int]:
        following = []
        for index, (positions, table) in enumerate(self._tables):
            row = 0
            for bit, position in enumerate(positions):
                row |= ((state >> position) & 1) << bit
            if table[row] != bool((state >> index) & 1):
                following.append(state ^ (1 << index))
        return following

    def states_of(self, cubes: Iterable[Cube]) -> set[int]:
        """Every state over this network's nodes that agrees with one of the cubes."""
        states: set[int] = set()
        for cube in cubes:
            base, free = 0, []
            for index, node in enumerate(self.nodes):
                if node in cube:
                    base |= int(cube[node]) << index
                else:
                    free.append(index)
            for bits in product((0, 1), repeat=len(free)):
                states.add(base | sum(bit << index for bit, index in zip(bits, free)))
        return states

    def terminal_components(self, starts: Iterable[int] | None = None) -> list[frozenset[int]]:
        """The terminal strongly connected components reachable from ``starts`` (default: every state)."""
        if starts is None:
            starts = range(2 ** len(self.nodes))
        reached = set(starts)
        frontier = list(reached)
        edges: dict[int, list[int]] = {}
        while frontier:
            state = frontier.pop()
            edges[state] = self.successors(state)
            for following in edges[state]:
                if following not in reached:
                    reached.add(following)
                    frontier.append(following)
        return [
            component
            for component in map(frozenset, strongly_connected_components(edges))
            if all(following in component for state in component for following in edges[state])
        ]


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
        states: frozenset[int],
        outputs: Mapping[str, Value],
    ):
        self.constants = constants
        self.network = network
        self.states = states
        self.outputs = outputs

    def cubes(self) -> list[dict[str, int]]:
        """The attractor as cubes: one per state of the core, its free outputs left out (they take both values)."""
        fixed = {node: int(value) for node, value in self.constants.items()}
        fixed |= {node: int(value) for node, value in self.outputs.items() if value != "*"}
        nodes = self.network.nodes
        return [fixed | {node: (state >> index) & 1 for index, node in enumerate(nodes)} for state in self.states]

    def describe(self, order: Sequence[str]) -> Attractor:
        seen: dict[str, set[int]] = {node: set() for node in self.network.nodes}
        for state in self.states:
            for index, node in enumerate(self.network.nodes):
                seen[node].add((state >> index) & 1)
        pattern: dict[str, Value] = {}
        for node in order:
            if node in self.constants:
                pattern[node] = "1" if self.constants[node] else "0"
            elif node in self.outputs:
                pattern[node] = self.outputs[node]
            else:
                values = seen[node]
                pattern[node] = "*" if len(values) == 2 else cast(Value, str(values.pop()))
        free_outputs = sum(value == "*" for value in self.outputs.values())
        return Attractor(pattern, len(self.states) << free_outputs)


def explicit_attractors(
    functions: Mapping[str, Expr], initial: Sequence[Cube] | None = None, limit: int = EXPLICIT_LIMIT
) -> list[ExplicitAttractor] | None:
    """Every attractor (reachable from the ``initial`` cubes, if given); None if the core has more than ``limit`` nodes.

    With initial states, a node is only fixed by percolation if it already
    holds its constant value in every initial state: one that still has to
    change can trigger other transitions on its way.

    Examples
    --------
    >>> found = explicit_attractors({"A": ("not", "B"), "B": ("not", "A"), "C": True})
    >>> sorted(str(attractor.describe("ABC")) for attractor in found)
    ['011', '101']
    """
    if initial is None:
        values, residual = percolate(functions)
    else:
        if not initial:
            return []

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
    return [
        ExplicitAttractor(values, network, states, output_values(residual, outputs, network, states))
        for states in network.terminal_components(starts)
    ]


def output_values(
    functions: Mapping[str, Expr], outputs: Sequence[str], network: SmallNetwork, states: Iterable[int]
) -> dict[str, Value]:
    """Each output's value over an attractor of the core: '0', '1', or '*' where its function takes both.

    ``outputs`` in the order :func:`~igfnet.dynamics.reduction.eliminate_outputs` removed them
    (downstream first); each is read over the core's states and the values of the outputs upstream of it.
    """
    position = {node: index for index, node in enumerate(network.nodes)}
    states = list(states)
    values: dict[str, Value] = {}
    for node in reversed(outputs):
        function = functions[node]
        regulators = variables(function)
        fixed = {name: int(values[name]) for name in regulators if values.get(name, "*") != "*"}
        free = [name for name in regulators if values.get(name) == "*"]
        read = [(name, position[name]) for name in regulators if name in position]
        seen: set[bool] = set()
        for state in states:
            assignment = fixed | {name: (state >> index) & 1 for name, index in read}
            for bits in product((0, 1), repeat=len(free)):
                seen.add(evaluate(function, assignment | dict(zip(free, bits))))
            if len(seen) == 2:
                break
        values[node] = "*" if len(seen) == 2 else "1" if True in seen else "0"
    return values
