"""The shapes igfnet works with, named once.

A *state* gives every node a value; a *space* (a subspace, or partial
assignment) fixes some nodes and leaves the others free; an *attractor* is a
terminal strongly connected component of the asynchronous state transition
graph, described by its exact number of states and its pattern.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    import pandas

State: TypeAlias = dict[str, Literal[0, 1]]
"""A state of the network: every node mapped to 0 or 1."""

Space: TypeAlias = dict[str, Literal[0, 1]]
"""A Boolean subspace, defined by a set of fixed node values; the other nodes are free."""

Value: TypeAlias = Literal["0", "1", "*"]
"""A node's value in an attractor: fixed at 0, fixed at 1, or varying (``*``)."""


@dataclass(frozen=True)
class Attractor:
    """A terminal strongly connected component of the asynchronous state graph.

    Attributes
    ----------
    pattern : Mapping[str, str]
        Every node of the model mapped to ``"0"``, ``"1"`` or ``"*"`` (the
        node takes both values inside the attractor).
    states : int
        The exact number of states in the attractor (1 for a fixed point).
    """

    pattern: Mapping[str, Value]
    states: int

    @property
    def is_fixed_point(self) -> bool:
        return self.states == 1

    def __getitem__(self, node: str) -> Value:
        return self.pattern[node]

    def fixed(self) -> Space:
        """The nodes that keep one value throughout the attractor."""
        return {node: int(value) for node, value in self.pattern.items() if value != "*"}  # type: ignore[misc]

    def __str__(self) -> str:
        return "".join(self.pattern.values())


@dataclass(frozen=True)
class Attractors:
    """The attractors of a model under one perturbation, in a stable order.

    Behaves as a sequence of :class:`Attractor`; :meth:`to_frame` gives a
    pandas view with one row per attractor and the nodes as columns.
    """

    items: tuple[Attractor, ...]
    nodes: tuple[str, ...]
    description: Mapping[str, object] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Attractor]:
        return iter(self.items)

    def __getitem__(self, index: int) -> Attractor:
        return self.items[index]

    def to_frame(self) -> pandas.DataFrame:
        """One row per attractor, a column per node (values "0", "1", "*") and ``states``."""
        import pandas

        rows = [dict(attractor.pattern, states=attractor.states) for attractor in self.items]
        return pandas.DataFrame(rows, columns=[*self.nodes, "states"])

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description: what was analysed and every attractor's states and pattern."""
        return {
            **self.description,
            "semantics": "fully asynchronous",
            "nodes": list(self.nodes),
            "attractors": [{"states": a.states, "pattern": dict(a.pattern)} for a in self.items],
        }

    def values(self, node: str) -> set[Value]:
        """The values a node takes across the attractors."""
        return {attractor.pattern[node] for attractor in self.items}
