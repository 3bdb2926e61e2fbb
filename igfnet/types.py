"""The shapes igfnet works with, named once.

A *state* gives every node a value; a *space* (a subspace, or partial
assignment) fixes some nodes and leaves the others free; an *attractor* is a
terminal strongly connected component of the asynchronous state transition
graph, described by its exact number of states and its pattern.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

if TYPE_CHECKING:
    import pandas

State: TypeAlias = dict[str, Literal[0, 1]]
"""A state of the network: every node mapped to 0 or 1."""

Space: TypeAlias = dict[str, Literal[0, 1]]
"""A Boolean subspace, defined by a set of fixed node values; the other nodes are free."""

Value: TypeAlias = Literal["0", "1", "*"]
"""A node's value in an attractor: fixed at 0, fixed at 1, or varying (``*``)."""

FREE: Literal["*"] = "*"
"""The mark of a node that takes both values inside an attractor, in every output."""

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class FrozenMap(Mapping[_Key, _Value]):
    """A read-only mapping that pickles, copies and hashes: the mapping fields of frozen values.

    ``types.MappingProxyType`` is read-only too, but ``pickle`` refuses it, so a
    value holding one could not reach a worker process.

    Examples
    --------
    >>> import pickle
    >>> fixed = FrozenMap({"IGF1R": 0})
    >>> fixed["IGF1R"], fixed == {"IGF1R": 0}, pickle.loads(pickle.dumps(fixed)) == fixed
    (0, True, True)
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[_Key, _Value] | Iterable[tuple[_Key, _Value]] = ()) -> None:
        self._items: dict[_Key, _Value] = dict(items)

    def __getitem__(self, key: _Key) -> _Value:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[_Key]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._items == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)

    def __reduce__(self) -> tuple[type[FrozenMap[_Key, _Value]], tuple[dict[_Key, _Value]]]:
        return type(self), (self._items,)


EMPTY: Mapping[Any, Any] = FrozenMap()
"""An empty read-only mapping: the default of a frozen value's mapping field."""


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True, repr=False)
class Attractors:
    """The attractors of a model under one perturbation, in a stable order.

    Behaves as a sequence of :class:`Attractor`; :meth:`to_frame` gives a
    pandas view with one row per attractor and the nodes as columns.
    """

    items: tuple[Attractor, ...]
    nodes: tuple[str, ...]
    description: Mapping[str, object] = EMPTY

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Attractor]:
        return iter(self.items)

    def __getitem__(self, index: int) -> Attractor:
        return self.items[index]

    def to_frame(self) -> pandas.DataFrame:
        """One row per attractor, numbered from 1 as in every output (A1, A2, ...), a column per node and ``states``.

        A node that keeps one value holds the integer 0 or 1; one that takes
        both values inside the attractor holds ``"*"`` (:data:`FREE`).
        """
        import pandas

        rows = [
            {node: FREE if value == FREE else int(value) for node, value in attractor.pattern.items()}
            | {"states": attractor.states}
            for attractor in self.items
        ]
        index = pandas.RangeIndex(1, len(self.items) + 1, name="attractor")
        return pandas.DataFrame(rows, columns=[*self.nodes, "states"], index=index)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description: what was analysed and every attractor's number, states and pattern."""
        return {
            **self.description,
            "semantics": "fully asynchronous",
            "nodes": list(self.nodes),
            "attractors": [
                {"attractor": number, "states": a.states, "pattern": dict(a.pattern)}
                for number, a in enumerate(self.items, start=1)
            ],
        }

    def __repr__(self) -> str:
        fixed = sum(attractor.is_fixed_point for attractor in self.items)
        labels = self.description.get("perturbations")
        applied = ", ".join(map(str, labels)) if isinstance(labels, (list, tuple)) and labels else "none"
        return (
            f"<Attractors: {len(self.items)} ({fixed} fixed points, {len(self.items) - fixed} complex) "
            f"over {len(self.nodes)} nodes; perturbations: {applied}>"
        )

    def _repr_html_(self) -> str:
        """A notebook's table: nodes as rows, attractors A1, A2, ... as columns, states last (as on the terminal)."""
        from html import escape

        head = "".join(f"<th>A{number}</th>" for number in range(1, len(self.items) + 1))
        rows = [
            f"<tr><th>{escape(node)}</th>" + "".join(f"<td>{a.pattern[node]}</td>" for a in self.items) + "</tr>"
            for node in self.nodes
        ]
        rows.append("<tr><th>states</th>" + "".join(f"<td>{a.states}</td>" for a in self.items) + "</tr>")
        caption = escape(repr(self)[1:-1])
        return f"<table><caption>{caption}</caption><tr><th></th>{head}</tr>{''.join(rows)}</table>"

    def values(self, node: str) -> set[Value]:
        """The values a node takes across the attractors."""
        return {attractor.pattern[node] for attractor in self.items}
