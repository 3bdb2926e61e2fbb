"""Why a combination acts: the readouts it changes and shortest signed paths from a perturbed node."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx


# -- mechanism: shortest signed paths ----------------------------------------------------

_ARROWS = {"activation": "->", "inhibition": "-|", "dual": "-?"}


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


def describe_path(graph: networkx.DiGraph, path: list[str], sign: str) -> str:
    """'MTORC1 -> S6K -| IRS1 (-)'."""
    text = path[0]
    for source, target in zip(path, path[1:]):
        text += f" {_ARROWS[graph.edges[source, target]['sign']]} {target}"
    return f"{text} ({ {'activation': '+', 'inhibition': '-', 'dual': '±'}[sign] })"


def mechanism(
    graph: networkx.DiGraph,
    sources: Sequence[Sequence[str]],
    base_readouts: dict[str, str],
    readouts: dict[str, str],
    held: Iterable[str] = (),
) -> tuple[str, str]:
    """What changed against the base alone, and through which nodes.

    Parameters
    ----------
    sources : sequence of sequences of str
        Per item of the combination, the nodes it perturbs.
    held : iterable of str
        Nodes the treatment holds constant: paths do not pass through them.

    Returns
    -------
    changed : str
        "Proliferation:1>0;AKT:1>0".
    mechanism : str
        For each changed readout, a shortest signed path from each item that
        reaches it, shortest first and joined by '&' (in a synergy both
        members act): "Proliferation 1>0: AKT -| CDKN1B -| Proliferation (+)
        & ERK -> Proliferation (+); ...".
    """
    changed, paths = [], []
    for readout, value in readouts.items():
        before = base_readouts[readout]
        if value == before:
            continue
        changed.append(f"{readout}:{before}>{value}")
        if any(readout in group for group in sources):
            paths.append(f"{readout} {before}>{value}: {readout} fixed by the combination")
            continue
        routes = []
        for group in sources:
            found = signed_path(graph, group, readout, avoid=held)
            if found is not None:
                routes.append((len(found[0]), describe_path(graph, *found)))
        text = " & ".join(dict.fromkeys(route for _, route in sorted(routes, key=lambda r: r[0])))
        paths.append(f"{readout} {before}>{value}: {text or 'no path from a perturbed node'}")
    return ";".join(changed), "; ".join(paths)
