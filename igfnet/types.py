"""The shapes igfnet works with, named once.

A *state* gives every node a value; a *space* (a subspace, or partial
assignment) fixes some nodes and leaves the others free; an *attractor* is a
terminal strongly connected component of the asynchronous state transition
graph, described by its exact number of states and its pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias, TypeVar, cast, dataclass_transform

if TYPE_CHECKING:
    from typing import Self

    import pandas

State: TypeAlias = dict[str, Literal[0, 1]]
"""A state of the network: every node mapped to 0 or 1."""

Space: TypeAlias = dict[str, Literal[0, 1]]
"""A Boolean subspace, defined by a set of fixed node values; the other nodes are free."""

Value: TypeAlias = Literal["0", "1", "*"]
"""A node's value in an attractor: fixed at 0, fixed at 1, or varying (``*``)."""

FREE: Literal["*"] = "*"
"""The mark of a node that takes both values inside an attractor, in every output."""

EMPTY: Mapping[Any, Any] = MappingProxyType({})
"""An empty read-only mapping: a safe default for a frozen value's mapping field."""


@dataclass_transform(frozen_default=True)
class Frozen:
    """A frozen value, written like a frozen dataclass: annotated fields, then optional defaults.

    Instances take their fields by position or keyword, compare and hash by
    their fields, print as ``Name(field=value, ...)`` and refuse assignment.
    ``dataclass(frozen=True)`` would give the same, but it writes each class's
    methods as source text and compiles them at import: about a millisecond a
    class on CPython 3.11, which for the values every command meets (Rule,
    Perturbation, Attractor, Attractors) was 7% of ``igfnet attractors``' run
    time. Here the methods are written once. Defaults must be immutable (use
    :data:`EMPTY` for a mapping).

    Examples
    --------
    >>> class Point(Frozen):
    ...     x: int
    ...     y: int = 0
    >>> Point(1) == Point(x=1, y=0), Point(1)
    (True, Point(x=1, y=0))
    >>> Point(1).replace(y=2)
    Point(x=1, y=2)
    """

    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, object]] = {}

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        own = [name for name, kind in cls.__dict__.get("__annotations__", {}).items() if "ClassVar" not in str(kind)]
        # As in a dataclass, a subclass's fields follow its parent's; a field redefined keeps its place.
        cls._fields = (*cls._fields, *(name for name in own if name not in cls._fields))
        cls._defaults = {**cls._defaults, **{name: cls.__dict__[name] for name in own if name in cls.__dict__}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        name = type(self).__name__
        if len(args) > len(self._fields):
            raise TypeError(f"{name}() takes {len(self._fields)} arguments, got {len(args)}")
        values = dict(zip(self._fields, args))
        for field, value in kwargs.items():
            if field not in self._fields or field in values:
                problem = "unexpected" if field not in self._fields else "repeated"
                raise TypeError(f"{name}() got an {problem} argument {field!r}")
            values[field] = value
        for field in self._fields:
            if field in values:
                object.__setattr__(self, field, values[field])
            elif field in self._defaults:
                object.__setattr__(self, field, self._defaults[field])
            else:
                raise TypeError(f"{name}() is missing the argument {field!r}")

    def _values(self) -> tuple[object, ...]:
        return tuple(self.__dict__[field] for field in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{field}={value!r}" for field, value in zip(self._fields, self._values()))
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, field: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {field!r}: {type(self).__name__} is frozen")

    def __delattr__(self, field: str) -> None:
        raise AttributeError(f"cannot delete field {field!r}: {type(self).__name__} is frozen")

    def __reduce__(self) -> tuple[Callable[..., Self], tuple[object, ...]]:
        # A mapping proxy (the read-only mapping of every parsed value) does not pickle: it travels
        # as a dict and is wrapped again on arrival, so values a parser made reach worker processes.
        values = self._values()
        proxied = tuple(index for index, value in enumerate(values) if isinstance(value, MappingProxyType))
        if not proxied:
            return type(self), values
        plain = tuple(dict(value) if index in proxied else value for index, value in enumerate(values))  # type: ignore[call-overload]
        return _rebuild, (type(self), plain, proxied)

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, as ``dataclasses.replace``."""
        return type(self)(**{**dict(zip(self._fields, self._values())), **changes})


_F = TypeVar("_F", bound=Frozen)


def _rebuild(kind: type[_F], values: tuple[object, ...], proxied: tuple[int, ...]) -> _F:
    """A pickled :class:`Frozen` value back, its mapping fields read-only again (an empty one is :data:`EMPTY`)."""
    fields = list(values)
    for index in proxied:
        mapping = cast(dict[object, object], fields[index])
        fields[index] = MappingProxyType(mapping) if mapping else EMPTY
    return kind(*fields)


class Attractor(Frozen):
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


class Attractors(Frozen):
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
