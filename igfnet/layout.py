"""A readable, deterministic layout of the regulatory graph, shared by the Cytoscape exports and ``igfnet draw``.

Signal flows from top to bottom: nodes are grouped by a node attribute (the
rules' ``module``: ligands, receptors, ... phenotypes), the groups are
stacked in layers along the direction of regulation, and inside a group the
nodes sit in rows along the same direction. Feedback (a cycle) is broken
where it costs the fewest edges, with the Eades-Lin-Smyth ordering; the same
graph always gives the same positions.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import networkx

Position = tuple[float, float]
_Item = TypeVar("_Item", bound=Hashable)


def layered_layout(
    graph: networkx.DiGraph,
    group: str = "module",
    spacing: tuple[float, float] = (110.0, 80.0),
    band_width: int = 12,
) -> dict[str, Position]:
    """Node positions, in Cytoscape's screen coordinates (x to the right, y downwards).

    The layout reads like text: blocks (modules) follow each other along the
    direction of regulation from left to right, then down, and so do the
    nodes inside each block (left to right in a row, rows from top to
    bottom).

    Parameters
    ----------
    graph : networkx.DiGraph
        The regulatory graph (``BooleanNetwork.graph``).
    group : str
        The node attribute that groups nodes into blocks (nodes without it
        form one block).
    spacing : (float, float)
        Horizontal and vertical distance between neighbouring nodes.
    band_width : int
        How many node columns fit side by side before the next blocks start
        a new band below.

    Returns
    -------
    dict
        Node -> (x, y), in the graph's node order.

    Examples
    --------
    >>> import networkx
    >>> cycle = networkx.DiGraph([("A", "B"), ("B", "C"), ("C", "A")])
    >>> layered_layout(cycle)
    {'A': (-110.0, 0.0), 'B': (0.0, 0.0), 'C': (110.0, 0.0)}
    """
    dx, dy = spacing
    nodes = list(graph.nodes)
    block_of = {node: str(graph.nodes[node].get(group) or "") for node in nodes}
    blocks = list(dict.fromkeys(block_of[node] for node in nodes))
    weights: dict[tuple[str, str], int] = {}
    for source, target in graph.edges:
        key = (block_of[source], block_of[target])
        if key[0] != key[1]:
            weights[key] = weights.get(key, 0) + 1
    block_rank = _longest_path_layers(blocks, weights)

    # Inside a block: its layers (along the direction of regulation) packed into rows of a near-square block.
    rows_of: dict[str, list[list[list[str]]]] = {}  # block -> rows -> segments (one per layer) -> nodes
    for block in blocks:
        members = [node for node in nodes if block_of[node] == block]
        inner = {(s, t): 1 for s, t in graph.subgraph(members).edges if s != t}
        layer = _longest_path_layers(members, inner)
        width = max(2, math.ceil(math.sqrt(1.6 * len(members))))
        rows: list[list[list[str]]] = [[]]
        for depth in range(max(layer.values()) + 1):
            segment = [node for node in members if layer[node] == depth]
            while segment:
                room = width - sum(len(part) for part in rows[-1])
                if room == 0 or (room < len(segment) and len(segment) <= width):
                    rows.append([])
                    room = width
                rows[-1].append(segment[:room])
                segment = segment[room:]
        rows_of[block] = rows

    positions: dict[str, Position] = {}
    remaining = sorted(blocks, key=lambda block: block_rank[block])
    y = 0.0
    while remaining:
        # The next band: the blocks of the lowest rank first, each under the blocks that feed it.
        remaining.sort(key=lambda block: (block_rank[block], _barycentre(graph, _members(rows_of[block]), positions)))
        band: list[str] = []
        used = 0.0
        for block in list(remaining):
            width = max(sum(len(part) for part in row) for row in rows_of[block])
            if band and used + 0.6 + width > band_width:
                break
            band.append(block)
            remaining.remove(block)
            used += width + (0.6 if len(band) > 1 else 0)
        left = -(used - 1) / 2 * dx
        height = 0
        for block in band:
            width = max(sum(len(part) for part in row) for row in rows_of[block])
            centre = left + (width - 1) / 2 * dx
            for index, row in enumerate(rows_of[block]):
                for segment in row:
                    segment.sort(key=lambda node: _barycentre(graph, [node], positions))
                ordered = [node for segment in row for node in segment]
                for column, node in enumerate(ordered):
                    positions[node] = (round(centre + (column - (len(ordered) - 1) / 2) * dx, 1), y + index * dy)
            left += (width + 0.6) * dx
            height = max(height, len(rows_of[block]))
        y += (height + 0.7) * dy
    return {node: positions[node] for node in nodes}


def _members(rows: list[list[list[str]]]) -> list[str]:
    return [node for row in rows for segment in row for node in segment]


def _barycentre(graph: networkx.DiGraph, members: list[str], placed: Mapping[str, Position]) -> float:
    """The mean x of the placed regulators of ``members`` (those placed so far); 0 when none is placed."""
    xs = [placed[source][0] for node in members for source in graph.predecessors(node) if source in placed]
    return sum(xs) / len(xs) if xs else 0.0


def _longest_path_layers(items: list[_Item], weights: Mapping[tuple[_Item, _Item], int]) -> dict[_Item, int]:
    """A layer per item: 0 for the first, one below its lowest forward regulator otherwise.

    Edges that point backwards in the Eades-Lin-Smyth order are feedback and
    do not push their target down.
    """
    order = _linear_order(items, weights)
    index = {item: position for position, item in enumerate(order)}
    regulators: dict[_Item, list[_Item]] = {item: [] for item in order}
    for source, target in weights:
        if source != target:
            regulators[target].append(source)
    layer: dict[_Item, int] = {}
    for item in order:
        layer[item] = max((layer[s] + 1 for s in regulators[item] if index[s] < index[item]), default=0)
    return layer


def _linear_order(items: Iterable[_Item], weights: Mapping[tuple[_Item, _Item], int]) -> list[_Item]:
    """Eades-Lin-Smyth: an order of the items with few (weighted) edges pointing backwards.

    Sources go first, sinks last; when neither is left, the item whose
    outgoing weight exceeds its incoming weight the most comes next. Ties go
    to the earlier item, so the order is deterministic.
    """
    remaining = dict.fromkeys(items)
    targets: dict[_Item, dict[_Item, int]] = {item: {} for item in remaining}
    sources: dict[_Item, dict[_Item, int]] = {item: {} for item in remaining}
    for (source, target), weight in weights.items():
        if source != target:
            targets[source][target] = weight
            sources[target][source] = weight
    incoming = {item: sum(sources[item].values()) for item in remaining}
    outgoing = {item: sum(targets[item].values()) for item in remaining}

    def remove(item: _Item) -> None:
        del remaining[item]
        for target, weight in targets[item].items():
            incoming[target] -= weight
        for source, weight in sources[item].items():
            outgoing[source] -= weight

    left: list[_Item] = []
    right: list[_Item] = []
    while remaining:
        while True:
            first = [item for item in remaining if incoming[item] == 0]
            for item in first:
                left.append(item)
                remove(item)
            last = [item for item in remaining if outgoing[item] == 0]
            for item in reversed(last):
                right.insert(0, item)
                remove(item)
            if not first and not last:
                break
        if remaining:
            best = max(remaining, key=lambda item: outgoing[item] - incoming[item])
            left.append(best)
            remove(best)
    return left + right
