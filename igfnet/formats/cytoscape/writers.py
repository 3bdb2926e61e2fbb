"""The annotated graph as SIF, GraphML, Cytoscape.js JSON (cyjs) and CX2 text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from igfnet.formats.cytoscape.styles import _cx2_style

if TYPE_CHECKING:
    import networkx


# -- SIF and GraphML ------------------------------------------------------------------


def write_sif(graph: networkx.DiGraph) -> str:
    """Simple Interaction Format: ``SOURCE sign TARGET`` per edge, then nodes without edges alone on a line."""
    lines = [f"{head} {data['sign']} {tail}" for head, tail, data in graph.edges(data=True)]
    lines += [node for node in graph if graph.degree(node) == 0]
    return "\n".join(lines) + "\n"


def write_graphml(graph: networkx.DiGraph) -> str:
    """GraphML (networkx's writer): every attribute a string key, graph attributes included."""
    import networkx

    return "\n".join(networkx.generate_graphml(graph)) + "\n"


# -- Cytoscape.js JSON ----------------------------------------------------------------


def write_cyjs(graph: networkx.DiGraph, positions: Mapping[str, tuple[float, float]] | None = None) -> str:
    """Cytoscape.js JSON as Cytoscape desktop writes it (File -> Export -> Network to File -> .cyjs).

    Nodes carry their attributes in ``data`` (``id`` is the node's name)
    and a ``position``; edges carry ``source``, ``target`` and their
    attributes.
    """
    positions = positions or _layout(graph)
    nodes = [
        {"data": {"id": node, "shared_name": node, **data}, "position": _xy(positions[node]), "selected": False}
        for node, data in graph.nodes(data=True)
    ]
    edges = []
    for index, (head, tail, data) in enumerate(graph.edges(data=True)):
        name = f"{head} ({data['sign']}) {tail}"
        edges.append(
            {
                "data": {
                    "id": f"e{index}",
                    "source": head,
                    "target": tail,
                    "name": name,
                    "shared_name": name,
                    "shared_interaction": data["interaction"],
                    **data,
                },
                "selected": False,
            }
        )
    from igfnet import __version__

    document = {
        "format_version": "1.0",
        "generated_by": f"igfnet-{__version__}",
        "target_cytoscapejs_version": "~2.1",
        "data": {"name": graph.graph.get("name", ""), "shared_name": graph.graph.get("name", ""), **_text(graph.graph)},
        "elements": {"nodes": nodes, "edges": edges},
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


# -- CX2 (Cytoscape Web, NDEx) -----------------------------------------------------------


def write_cx2(graph: networkx.DiGraph, positions: Mapping[str, tuple[float, float]] | None = None) -> str:
    """CX2, the exchange format of NDEx and Cytoscape Web, with a visual style.

    Aspects: ``CXVersion``, ``metaData``, ``attributeDeclarations`` (every
    attribute a string; ``name`` and ``interaction`` under CX2's aliases
    ``n``/``i`` as usual), ``networkAttributes``, ``nodes`` (with ``x``,
    ``y``), ``edges``, ``visualProperties`` (defaults plus discrete mappings:
    arrows by sign, fill by state or kind, border by perturbation, dashed cut
    edges), ``visualEditorProperties`` and ``status``.
    """
    positions = positions or _layout(graph)
    ids = {node: index for index, node in enumerate(graph)}
    node_keys = list(dict.fromkeys(key for _, data in graph.nodes(data=True) for key in data))
    edge_keys = list(dict.fromkeys(key for *_, data in graph.edges(data=True) for key in data))
    network = {"name": graph.graph.get("name", ""), **_text(graph.graph)}
    declarations = {
        "networkAttributes": {key: {"d": "string"} for key in network},
        "nodes": {key: {"d": "string", **({"a": "n"} if key == "name" else {})} for key in node_keys},
        "edges": {key: {"d": "string", **({"a": "i"} if key == "interaction" else {})} for key in edge_keys},
    }
    nodes = []
    for node, data in graph.nodes(data=True):
        values = {("n" if key == "name" else key): value for key, value in data.items()}
        x, y = positions[node]
        nodes.append({"id": ids[node], "x": x, "y": y, "v": values})
    edges = []
    for index, (head, tail, data) in enumerate(graph.edges(data=True)):
        values = {("i" if key == "interaction" else key): value for key, value in data.items()}
        edges.append({"id": index, "s": ids[head], "t": ids[tail], "v": values})
    style = _cx2_style(graph)
    editor = {"properties": {"nodeSizeLocked": False, "arrowColorMatchesEdge": True}}
    aspects = {
        "attributeDeclarations": [declarations],
        "networkAttributes": [network],
        "nodes": nodes,
        "edges": edges,
        "visualProperties": [style],
        "visualEditorProperties": [editor],
    }
    document: list[Mapping[str, object]] = [
        {"CXVersion": "2.0", "hasFragments": False},
        {"metaData": [{"name": name, "elementCount": len(elements)} for name, elements in aspects.items()]},
        *({name: elements} for name, elements in aspects.items()),
        {"status": [{"error": "", "success": True}]},
    ]
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


# -- one entry point -----------------------------------------------------------------------


def _layout(graph: networkx.DiGraph) -> dict[str, tuple[float, float]]:
    from igfnet.layout import layered_layout

    return layered_layout(graph)


def _xy(position: tuple[float, float]) -> dict[str, float]:
    return {"x": position[0], "y": position[1]}


def _text(attributes: Mapping[str, object]) -> dict[str, str]:
    return {key: str(value) for key, value in attributes.items() if key != "name"}
