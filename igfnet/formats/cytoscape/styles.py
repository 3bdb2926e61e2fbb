"""How the graph looks: colour-blind-safe colours per sign, state and kind, as CX2 and Cytoscape desktop (vizmap) styles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

if TYPE_CHECKING:
    import networkx


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
