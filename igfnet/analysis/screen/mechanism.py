"""Why a combination acts: the readouts it changes and shortest signed paths from a perturbed node.

The mechanism is data (:class:`Mechanism`: each changed readout with its
paths, each path its nodes and edge signs); text is made from it only for
the table and the CSV columns ``changed`` and ``mechanism``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx


# -- mechanism: shortest signed paths ----------------------------------------------------

_ARROWS = {"activation": "->", "inhibition": "-|", "dual": "-?"}
_SIGNS = {"activation": "+", "inhibition": "-", "dual": "±"}


@dataclass(frozen=True, slots=True)
class SignedPath:
    """A path in the signed regulatory graph: its nodes, each edge's sign, and the path's sign."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    sign: str

    @property
    def source(self) -> str:
        return self.nodes[0]

    def text(self) -> str:
        """'MTORC1 -> S6K -| IRS1 (-)'."""
        steps = "".join(f" {_ARROWS[edge]} {node}" for edge, node in zip(self.edges, self.nodes[1:]))
        return f"{self.nodes[0]}{steps} ({_SIGNS[self.sign]})"


@dataclass(frozen=True, slots=True)
class ReadoutChange:
    """A readout whose value differs from the base treatment alone, and how the combination reaches it.

    Attributes
    ----------
    readout, before, after : str
        The readout and its value under the base alone and under base + combination.
    fixed : bool
        The combination fixes the readout itself (no path needed).
    paths : tuple of SignedPath
        A shortest path from each item that reaches the readout, shortest first
        (in a synergy both members act); empty when none does.
    """

    readout: str
    before: str
    after: str
    fixed: bool = False
    paths: tuple[SignedPath, ...] = ()

    def text(self) -> str:
        """'Proliferation 1>0: AKT -| CDKN1B -| Proliferation (+) & ERK -> Proliferation (+)'."""
        if self.fixed:
            how = f"{self.readout} fixed by the combination"
        else:
            how = " & ".join(path.text() for path in self.paths) or "no path from a perturbed node"
        return f"{self.readout} {self.before}>{self.after}: {how}"


@dataclass(frozen=True, slots=True)
class Mechanism:
    """What a combination changed against the base alone, readout by readout (in readout order)."""

    changes: tuple[ReadoutChange, ...] = ()

    def change(self, readout: str) -> ReadoutChange | None:
        """The change of one readout, None if it did not change."""
        return next((change for change in self.changes if change.readout == readout), None)

    def changed_text(self) -> str:
        """'Proliferation:1>0;AKT:1>0' (the CSV column ``changed``)."""
        return ";".join(f"{change.readout}:{change.before}>{change.after}" for change in self.changes)

    def text(self) -> str:
        """Every change with its paths, joined by '; ' (the CSV column ``mechanism``)."""
        return "; ".join(change.text() for change in self.changes)

    def to_json(self) -> str:
        """The mechanism as JSON, for the screen's journal (:meth:`from_json` reads it back)."""
        import json

        return json.dumps(
            [
                [c.readout, c.before, c.after, c.fixed, [[list(p.nodes), list(p.edges), p.sign] for p in c.paths]]
                for c in self.changes
            ],
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Mechanism:
        import json

        return cls(
            tuple(
                ReadoutChange(
                    readout,
                    before,
                    after,
                    bool(fixed),
                    tuple(SignedPath(tuple(nodes), tuple(edges), sign) for nodes, edges, sign in paths),
                )
                for readout, before, after, fixed, paths in json.loads(text)
            )
        )


def signed_path(
    graph: networkx.DiGraph, sources: Sequence[str], target: str, avoid: Iterable[str] = ()
) -> tuple[list[str], str] | None:
    """A shortest path from any of ``sources`` to ``target`` in the signed regulatory graph, and its sign.

    The sign is the product of the edge signs ("activation" +, "inhibition"
    -), "dual" if any edge is dual. Paths do not pass through ``avoid``
    (nodes the treatment holds constant relay nothing). Breadth-first, with
    neighbours in graph order, so the answer is deterministic.

    Examples
    --------
    >>> import networkx
    >>> graph = networkx.DiGraph()
    >>> graph.add_edge("A", "B", sign="inhibition"); graph.add_edge("B", "C", sign="inhibition")
    >>> signed_path(graph, ["A"], "C")
    (['A', 'B', 'C'], 'activation')
    """
    blocked = set(avoid) - set(sources)
    previous: dict[str, str | None] = {}
    frontier = [source for source in sources if source in graph]
    for source in frontier:
        previous.setdefault(source, None)
    while frontier and target not in previous:
        following = []
        for node in frontier:
            for successor in graph.successors(node):
                if successor not in previous and successor not in blocked:
                    previous[successor] = node
                    following.append(successor)
        frontier = following
    if target not in previous:
        return None
    path = [target]
    while previous[path[-1]] is not None:
        path.append(previous[path[-1]])  # type: ignore[arg-type]
    path.reverse()
    sign = "activation"
    for source, successor in zip(path, path[1:]):
        edge = graph.edges[source, successor]["sign"]
        if edge == "dual" or sign == "dual":
            sign = "dual"
        elif edge == "inhibition":
            sign = "inhibition" if sign == "activation" else "activation"
    return path, sign


def path_of(graph: networkx.DiGraph, path: list[str], sign: str) -> SignedPath:
    """A path of :func:`signed_path` with its edges' signs."""
    edges = tuple(graph.edges[source, target]["sign"] for source, target in zip(path, path[1:]))
    return SignedPath(tuple(path), edges, sign)


def describe_path(graph: networkx.DiGraph, path: list[str], sign: str) -> str:
    """'MTORC1 -> S6K -| IRS1 (-)'."""
    return path_of(graph, path, sign).text()


def mechanism(
    graph: networkx.DiGraph,
    sources: Sequence[Sequence[str]],
    base_readouts: dict[str, str],
    readouts: dict[str, str],
    held: Iterable[str] = (),
) -> Mechanism:
    """What changed against the base alone, and through which nodes.

    Parameters
    ----------
    sources : sequence of sequences of str
        Per item of the combination, the nodes it perturbs.
    held : iterable of str
        Nodes the treatment holds constant: paths do not pass through them.

    Returns
    -------
    Mechanism
        Each changed readout, in readout order; for each, a shortest signed
        path from each item that reaches it, shortest first (in a synergy
        both members act). As text: "Proliferation 1>0: AKT -| CDKN1B -|
        Proliferation (+) & ERK -> Proliferation (+); ...".
    """
    changes = []
    for readout, value in readouts.items():
        before = base_readouts[readout]
        if value == before:
            continue
        if any(readout in group for group in sources):
            changes.append(ReadoutChange(readout, before, value, fixed=True))
            continue
        routes = []
        for group in sources:
            found = signed_path(graph, group, readout, avoid=held)
            if found is not None:
                routes.append(path_of(graph, *found))
        shortest = sorted(routes, key=lambda path: len(path.nodes))
        changes.append(ReadoutChange(readout, before, value, paths=_first_of_each(shortest)))
    return Mechanism(tuple(changes))


def _first_of_each(paths: Sequence[SignedPath]) -> tuple[SignedPath, ...]:
    """The paths in order, each text once (two items may reach a readout by the same path)."""
    seen: dict[str, SignedPath] = {}
    for path in paths:
        seen.setdefault(path.text(), path)
    return tuple(seen.values())
