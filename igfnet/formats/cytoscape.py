"""The regulatory graph for Cytoscape and other graph tools: SIF, GraphML, Cytoscape.js JSON (cyjs), CX2, vizmap styles.

Every format carries the same tables, built once by :func:`annotated_graph`:

- per node: ``name`` (the node's identifier, Cytoscape's key column),
  ``full_name``, ``kind``, ``module``, ``rule``, ``evidence``, ``is_input``,
  ``default`` and any other annotation of the rule;
- per edge: ``interaction`` and ``sign`` (activation, inhibition or dual, from
  the rule's logic) and ``evidence`` (the target rule's evidence: the bundled
  rules cite evidence per rule, not per regulator);
- given attractors: per node ``attractor_1`` ... ``attractor_k`` (``0``,
  ``1``, ``*``) and ``state`` (``0``/``1``/``*`` when the same in every
  attractor, ``mixed`` otherwise), ``perturbed`` (``knockout``,
  ``overexpress``, ``context`` or empty) and ``perturbed_by``; per edge
  ``cut``; on the network the perturbation and each attractor's size.

Every value is a string, so the columns have the same type in every
format. The graph is the model's own (a cut interaction is kept and marked
``cut``, a knocked-out node keeps its rule), so networks exported under
different perturbations share one layout and line up in Cytoscape.

Examples
--------
>>> from igfnet.model import load_model
>>> model = load_model()
>>> graph = annotated_graph(model, model.attractors(knockout=["IGF1R"]), model.perturbation(knockout=["IGF1R"]))
>>> graph.nodes["IGF1R"]["perturbed"], graph.nodes["AKT"]["state"], graph.edges["PDK1", "AKT"]["sign"]
('knockout', '0', 'activation')
>>> "PTEN inhibition PIP3" in write_sif(graph).splitlines()
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

if TYPE_CHECKING:
    import networkx

    from igfnet.model import BooleanNetwork
    from igfnet.perturb import Perturbation
    from igfnet.types import Attractors

GRAPH_FORMATS = ("sif", "graphml", "cyjs", "cx2")
"""The graph formats of ``igfnet export``."""

MAX_ATTRACTOR_COLUMNS = 64
"""Above this many attractors (e.g. with --free-inputs), only the summary ``state`` column is written."""

# Okabe-Ito colours, told apart with every common colour-vision deficiency (no red/green pair).
SIGN_COLOURS = {"activation": "#0072B2", "inhibition": "#D55E00", "dual": "#CC79A7"}
STATE_COLOURS = {"0": "#E0E0E0", "1": "#F6C141", "*": "#7FC7E8", "mixed": "#C9A2D8"}
PERTURBED_COLOURS = {"knockout": "#D55E00", "overexpress": "#0072B2", "context": "#555555"}
_KIND_COLOURS = {
    "ligand": "#A6CEE3",
    "hormone": "#A6CEE3",
    "binding protein": "#CAB2D6",
    "receptor": "#1F78B4",
    "adaptor": "#B2DF8A",
    "kinase": "#009E73",  # Okabe-Ito bluish green and vermillion: apart for red-green colour blindness too
    "phosphatase": "#FB9A99",
    "GTPase": "#FDBF6F",
    "GEF": "#FDBF6F",
    "GAP": "#FDBF6F",
    "lipid": "#FFFF99",
    "complex": "#8DD3C7",
    "transcription factor": "#BC80BD",
    "mutation": "#D55E00",
    "expression": "#D9D9D9",
    "phenotype": "#E69F00",
}
_MORE_COLOURS = ["#8DD3C7", "#BEBADA", "#80B1D3", "#FDB462", "#FCCDE5", "#CCEBC5", "#FFED6F", "#56B4E9", "#F0E442"]


def kind_colours(kinds: Iterable[str]) -> dict[str, str]:
    """A fill colour per node kind: fixed ones for the kinds of the rule language, then a palette."""
    kinds = sorted(set(kinds))
    fixed = set(_KIND_COLOURS.values())
    spare = [colour for colour in _MORE_COLOURS if colour not in fixed]
    unknown = [kind for kind in kinds if kind not in _KIND_COLOURS]
    extra = {kind: spare[index % len(spare)] for index, kind in enumerate(unknown)}
    return {kind: _KIND_COLOURS.get(kind) or extra[kind] for kind in kinds}


def annotated_graph(
    model: BooleanNetwork,
    attractors: Attractors | None = None,
    perturbation: Perturbation | None = None,
    *,
    max_attractor_columns: int = MAX_ATTRACTOR_COLUMNS,
) -> networkx.DiGraph:
    """The model's regulatory graph with string attributes for export, and the attractor states if given.

    Parameters
    ----------
    model : BooleanNetwork
    attractors : Attractors, optional
        The attractors to write per node (``attractor_1`` ... and ``state``).
    perturbation : Perturbation, optional
        What was applied: perturbed nodes and cut edges are marked.
    max_attractor_columns : int
        With more attractors than this, only ``state`` is written per node.

    Returns
    -------
    networkx.DiGraph
        A new graph; ``graph.graph`` holds the network attributes.
    """
    import networkx

    source = model.graph
    graph = networkx.DiGraph()
    from igfnet import __version__

    graph.graph.update(name=model.name, generated_by=f"igfnet {__version__}", semantics="fully asynchronous")
    for node, data in source.nodes(data=True):
        rule = model.rules[node]
        attributes = {
            "name": node,
            "full_name": rule.annotation("name"),
            "kind": rule.annotation("kind"),
            "module": rule.annotation("module"),
            "rule": rule.text,
            "evidence": data.get("evidence", ""),
            "is_input": "true" if rule.is_input else "false",
            "default": "" if not rule.is_input else "free" if rule.default is None else str(rule.default),
        }
        for key, value in data.items():
            if key not in attributes and key not in ("is_input", "default") and key != "name":
                attributes[key] = str(value)
        graph.add_node(node, **attributes)
    for head, tail, data in source.edges(data=True):
        graph.add_edge(head, tail, interaction=data["sign"], sign=data["sign"], evidence=graph.nodes[tail]["evidence"])
    if perturbation is not None:
        _mark_perturbation(model, graph, perturbation)
    if attractors is not None:
        _add_states(graph, attractors, max_attractor_columns)
    return graph


def graph_with_states(
    model: BooleanNetwork,
    perturbation: Perturbation | None = None,
    *,
    free_inputs: bool = False,
    initial: Mapping[str, int] | str | None = None,
    states: bool = True,
) -> networkx.DiGraph:
    """:func:`annotated_graph` with the attractors of the model under a perturbation (what ``igfnet export`` writes).

    Parameters
    ----------
    perturbation : Perturbation, optional
        Default: none (the model in its default context).
    free_inputs, initial
        As in :meth:`BooleanNetwork.attractors`.
    states : bool
        False: no attractors are computed, no state columns written.
    """
    from igfnet.dynamics.attractors import attractors_of_model

    perturbation = perturbation if perturbation is not None else model.perturbation()
    attractors = None
    if states:
        attractors = attractors_of_model(model, perturbation, free_inputs=free_inputs, initial=initial)
    graph = annotated_graph(model, attractors, perturbation)
    if initial is not None and states:
        graph.graph["initial"] = (
            initial if isinstance(initial, str) else ",".join(f"{k}={v}" for k, v in initial.items())
        )
    if free_inputs:
        graph.graph["inputs"] = "free"
    return graph


def _mark_perturbation(model: BooleanNetwork, graph: networkx.DiGraph, perturbation: Perturbation) -> None:
    graph.graph["perturbation"] = ", ".join(perturbation.labels) or "none"
    by: dict[str, list[str]] = {node: [] for node in graph}
    for label in perturbation.labels:
        what, _, name = label.partition(" ")
        if what == "drug":
            fixed = model.drugs[name].fixed
        elif what == "context":
            fixed = model.contexts[name].fixed
        elif what in ("knockout", "overexpress", "set"):
            fixed = {name.partition("=")[0]: 0}
        else:
            continue
        for node in fixed:
            by[node].append(label)
    for node, data in graph.nodes(data=True):
        if node in perturbation.treatment:
            data["perturbed"] = "knockout" if perturbation.treatment[node] == 0 else "overexpress"
        elif node in perturbation.context:
            data["perturbed"] = "context"
        else:
            data["perturbed"] = ""
        data["perturbed_by"] = ", ".join(by[node])
    for head, tail, data in graph.edges(data=True):
        data["cut"] = "true" if (head, tail) in perturbation.cuts else "false"


def _add_states(graph: networkx.DiGraph, attractors: Attractors, max_columns: int) -> None:
    count = len(attractors)
    graph.graph["attractors"] = str(count)
    columns = count <= max_columns
    if not columns:
        graph.graph["attractor_columns"] = f"omitted: {count} attractors, more than {max_columns}"
    for index, attractor in enumerate(attractors, 1):
        if columns:
            graph.graph[f"attractor_{index}_states"] = str(attractor.states)
    for node, data in graph.nodes(data=True):
        values = [attractor.pattern[node] for attractor in attractors]
        if columns:
            for index, value in enumerate(values, 1):
                data[f"attractor_{index}"] = value
        data["state"] = values[0] if len(set(values)) == 1 else "mixed"


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


def _discrete(attribute: str, mapping: Mapping[str, object]) -> dict[str, object]:
    return {
        "type": "DISCRETE",
        "definition": {
            "attribute": attribute,
            "type": "string",
            "map": [{"v": value, "vp": visual} for value, visual in mapping.items()],
        },
    }


def _cx2_style(graph: networkx.DiGraph) -> dict[str, object]:
    has_states = any("state" in data for _, data in graph.nodes(data=True))
    kinds = kind_colours(data.get("kind", "") for _, data in graph.nodes(data=True))
    node_mapping = {
        "NODE_LABEL": {"type": "PASSTHROUGH", "definition": {"attribute": "name", "type": "string"}},
        "NODE_BACKGROUND_COLOR": _discrete("state", STATE_COLOURS) if has_states else _discrete("kind", kinds),
        "NODE_SHAPE": _discrete("kind", {"phenotype": "hexagon", "ligand": "ellipse", "hormone": "ellipse"}),
    }
    if any(data.get("perturbed") for _, data in graph.nodes(data=True)):
        node_mapping["NODE_BORDER_COLOR"] = _discrete("perturbed", PERTURBED_COLOURS)
        node_mapping["NODE_BORDER_WIDTH"] = _discrete("perturbed", {key: 5.0 for key in PERTURBED_COLOURS})
    edge_mapping = {
        "EDGE_TARGET_ARROW_SHAPE": _discrete(
            "sign", {"activation": "triangle", "inhibition": "tee", "dual": "diamond"}
        ),
        "EDGE_LINE_COLOR": _discrete("sign", SIGN_COLOURS),
        "EDGE_TARGET_ARROW_COLOR": _discrete("sign", SIGN_COLOURS),
    }
    if any(data.get("cut") == "true" for *_, data in graph.edges(data=True)):
        edge_mapping["EDGE_LINE_STYLE"] = _discrete("cut", {"true": "dashed"})
    return {
        "default": {
            "network": {"NETWORK_BACKGROUND_COLOR": "#FFFFFF"},
            "node": {
                "NODE_SHAPE": "round-rectangle",
                "NODE_WIDTH": 84.0,
                "NODE_HEIGHT": 30.0,
                "NODE_BACKGROUND_COLOR": "#FFFFFF",
                "NODE_BORDER_COLOR": "#404040",
                "NODE_BORDER_WIDTH": 1.0,
                "NODE_LABEL_COLOR": "#000000",
                "NODE_LABEL_FONT_SIZE": 11,
                "NODE_LABEL_MAX_WIDTH": 84.0,
            },
            "edge": {
                "EDGE_WIDTH": 2.0,
                "EDGE_LINE_COLOR": "#808080",
                "EDGE_LINE_STYLE": "solid",
                "EDGE_TARGET_ARROW_SHAPE": "triangle",
                "EDGE_TARGET_ARROW_COLOR": "#808080",
                "EDGE_SOURCE_ARROW_SHAPE": "none",
            },
        },
        "nodeMapping": node_mapping,
        "edgeMapping": edge_mapping,
    }


# -- Cytoscape desktop style (vizmap XML) -----------------------------------------------


def write_styles_xml(graph: networkx.DiGraph, name: str = "igfnet") -> str:
    """A Cytoscape desktop style (vizmap XML, for Styles -> Import Styles from File) matching the CX2 style."""
    has_states = any("state" in data for _, data in graph.nodes(data=True))
    kinds = kind_colours(data.get("kind", "") for _, data in graph.nodes(data=True))

    def discrete(prop: str, default: str, attribute: str, mapping: Mapping[str, object]) -> list[str]:
        lines = [f"      <visualProperty name={quoteattr(prop)} default={quoteattr(default)}>"]
        lines.append(f'        <discreteMapping attributeName={quoteattr(attribute)} attributeType="string">')
        for value, visual in mapping.items():
            lines.append(
                f"          <discreteMappingEntry attributeValue={quoteattr(value)} value={quoteattr(str(visual))}/>"
            )
        lines += ["        </discreteMapping>", "      </visualProperty>"]
        return lines

    def plain(prop: str, default: str) -> str:
        return f"      <visualProperty name={quoteattr(prop)} default={quoteattr(default)}/>"

    fill = ("state", STATE_COLOURS) if has_states else ("kind", kinds)
    arrows = {"activation": "DELTA", "inhibition": "T", "dual": "DIAMOND"}
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<vizmap documentVersion="3.1" id="igfnet">',
        f"  <visualStyle name={quoteattr(name)}>",
        "    <network>",
        plain("NETWORK_BACKGROUND_PAINT", "#FFFFFF"),
        "    </network>",
        "    <node>",
        '      <dependency name="nodeSizeLocked" value="false"/>',
        '      <dependency name="nodeCustomGraphicsSizeSync" value="true"/>',
        plain("NODE_WIDTH", "84.0"),
        plain("NODE_HEIGHT", "30.0"),
        plain("NODE_LABEL_FONT_SIZE", "11"),
        plain("NODE_LABEL_COLOR", "#000000"),
        '      <visualProperty name="NODE_LABEL" default="">',
        '        <passthroughMapping attributeName="name" attributeType="string"/>',
        "      </visualProperty>",
        *discrete("NODE_FILL_COLOR", "#FFFFFF", *fill),
        *discrete(
            "NODE_SHAPE", "ROUND_RECTANGLE", "kind", {"phenotype": "HEXAGON", "ligand": "ELLIPSE", "hormone": "ELLIPSE"}
        ),
        *discrete("NODE_BORDER_PAINT", "#404040", "perturbed", PERTURBED_COLOURS),
        *discrete("NODE_BORDER_WIDTH", "1.0", "perturbed", {key: "5.0" for key in PERTURBED_COLOURS}),
        "    </node>",
        "    <edge>",
        '      <dependency name="arrowColorMatchesEdge" value="true"/>',
        plain("EDGE_WIDTH", "2.0"),
        *discrete("EDGE_TARGET_ARROW_SHAPE", "DELTA", "sign", arrows),
        *discrete("EDGE_STROKE_UNSELECTED_PAINT", "#808080", "sign", SIGN_COLOURS),
        *discrete("EDGE_UNSELECTED_PAINT", "#808080", "sign", SIGN_COLOURS),
        *discrete("EDGE_TARGET_ARROW_UNSELECTED_PAINT", "#808080", "sign", SIGN_COLOURS),
        *discrete("EDGE_LINE_TYPE", "SOLID", "cut", {"true": "EQUAL_DASH"}),
        "    </edge>",
        "  </visualStyle>",
        "</vizmap>",
    ]
    return "\n".join(lines) + "\n"


# -- one entry point -----------------------------------------------------------------------


def write_graph(graph: networkx.DiGraph, output_format: str) -> str:
    """The graph in one of :data:`GRAPH_FORMATS`."""
    writers = {"sif": write_sif, "graphml": write_graphml, "cyjs": write_cyjs, "cx2": write_cx2}
    return writers[output_format](graph)


def _layout(graph: networkx.DiGraph) -> dict[str, tuple[float, float]]:
    from igfnet.layout import layered_layout

    return layered_layout(graph)


def _xy(position: tuple[float, float]) -> dict[str, float]:
    return {"x": position[0], "y": position[1]}


def _text(attributes: Mapping[str, object]) -> dict[str, str]:
    return {key: str(value) for key, value in attributes.items() if key != "name"}
