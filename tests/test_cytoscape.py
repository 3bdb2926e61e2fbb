"""The graph exports, read back by the software that consumes them, and ``igfnet draw``'s figures.

GraphML is read by networkx, CX2 by ndex2 (NDEx's own client), .cyjs by
Cytoscape.js in headless Chromium. Where a consumer is missing the test is
skipped locally and fails in CI (the environment variable CI is set).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import networkx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from reference import brute_force_attractors
from strategies import networks

from igfnet.cli import main
from igfnet.dynamics.attractors import attractors_of_model as model_attractors
from igfnet.formats import load_model
from igfnet.formats.cytoscape import (
    STATE_COLOURS,
    annotated_graph,
    write_cx2,
    write_cyjs,
    write_graphml,
    write_sif,
)
from igfnet.layout import layered_layout
from igfnet.model import BooleanNetwork
from igfnet.rules import Rule, parse_rules

JS = Path(__file__).parent / "js"

# A toggle switch (two fixed points), a negative loop (one cyclic attractor) and a read-out.
SMALL = """\
A = not B
    kind: kinase
    module: switch
    evidence: ref 1
B = not A
    kind: phosphatase
    module: switch
    evidence: ref 2; "quoted"
    evidence: modelling assumption: second line
X = not Y
    module: loop
Y = X
    module: loop
R = A and not X
    kind: phenotype
    module: read-out
"""


def graph_with_states(model, perturbation=None, *, states=True):
    """What igfnet export does: the caller computes the attractors, the formats layer only annotates."""
    perturbation = perturbation if perturbation is not None else model.perturbation()
    return annotated_graph(model, model_attractors(model, perturbation) if states else None, perturbation)


def run(*arguments):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def consumer_missing(what: str) -> None:
    """Skip, or fail in CI, where the tests must run every consumer."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing, and CI must read every export back (see .ci/run)")
    pytest.skip(f"{what} is missing (.ci/run installs it)")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "small.rules"
    path.write_text(SMALL)
    return path


@pytest.fixture(scope="module")
def model():
    return load_model()


# -- what every format carries ---------------------------------------------------------------


def test_small_model_states_are_those_a_person_finds_on_paper(small):
    graph = graph_with_states(load_model(small))
    # Two attractors (A=1,B=0 and A=0,B=1), X and Y cycle in both, R = A and not X varies with X.
    assert graph.graph["attractors"] == "2"
    states = {node: graph.nodes[node]["state"] for node in graph}
    assert states == {"A": "mixed", "B": "mixed", "X": "*", "Y": "*", "R": "mixed"}
    columns = {(graph.nodes["A"][f"attractor_{i}"], graph.nodes["R"][f"attractor_{i}"]) for i in (1, 2)}
    assert columns == {("1", "*"), ("0", "0")}
    assert graph.edges["B", "A"]["sign"] == "inhibition" and graph.edges["A", "R"]["sign"] == "activation"
    assert graph.edges["A", "B"]["evidence"] == 'ref 2; "quoted"; modelling assumption: second line'


def test_state_columns_equal_the_brute_force_attractors(small):
    model = load_model(small)
    graph = graph_with_states(model, model.perturbation(knockout=["Y"]))
    expected = brute_force_attractors({**model.functions, "Y": False})
    patterns = sorted("".join(graph.nodes[node][f"attractor_{i}"] for node in model.nodes) for i in range(1, 3))
    assert patterns == sorted(pattern for pattern, _ in expected)
    assert graph.nodes["Y"]["perturbed"] == "knockout" and graph.nodes["Y"]["perturbed_by"] == "knockout Y"
    assert graph.nodes["X"]["state"] == "1"  # X = not Y, with Y knocked out


def test_drug_context_and_cut_are_marked(model):
    perturbation = model.perturbation(drugs=["figitumumab"], context="ewing_sarcoma", cut=["MTORC2:AKT_S473"])
    graph = annotated_graph(model, None, perturbation)
    assert graph.nodes["IGF1R"]["perturbed"] == "knockout"
    assert graph.nodes["IGF1R"]["perturbed_by"] == "drug figitumumab"
    assert graph.nodes["EWS_FLI1"]["perturbed"] == "context"
    assert graph.nodes["AKT_S473"]["perturbed"] == ""
    assert graph.edges["MTORC2", "AKT_S473"]["cut"] == "true" and graph.edges["PDK1", "AKT"]["cut"] == "false"
    assert graph.graph["perturbation"] == ", ".join(perturbation.labels)
    assert "state" not in graph.nodes["AKT"]  # no attractors given


def test_too_many_attractors_keep_only_the_summary(small):
    model = load_model(small)
    graph = annotated_graph(model, model.attractors(), max_attractor_columns=1)
    assert "attractor_1" not in graph.nodes["A"] and graph.nodes["A"]["state"] == "mixed"
    assert "omitted" in graph.graph["attractor_columns"]


# -- GraphML and SIF ----------------------------------------------------------------------------


def test_graphml_read_back_by_networkx_equals_the_model(model, tmp_path):
    result = run("export", "--format", "graphml", "--knockout", "PTEN", "--output", tmp_path / "m.graphml")
    assert result.exit_code == 0, result.output
    graph = networkx.read_graphml(tmp_path / "m.graphml")
    assert set(graph.nodes) == set(model.nodes)
    assert {(s, t, d["sign"]) for s, t, d in graph.edges(data=True)} == {
        (s, t, d["sign"]) for s, t, d in model.graph.edges(data=True)
    }
    for node, rule in model.rules.items():
        data = graph.nodes[node]
        assert data["rule"] == rule.text and data["kind"] == rule.annotation("kind")
        assert data["evidence"] == "; ".join(rule.evidence) and data["module"] == rule.annotation("module")
    for _, target, data in graph.edges(data=True):
        assert data["evidence"] == "; ".join(model.rules[target].evidence)
    attractors = model.attractors(knockout=["PTEN"])
    assert graph.graph["attractors"] == str(len(attractors))
    for index, attractor in enumerate(attractors, 1):
        assert {node: graph.nodes[node][f"attractor_{index}"] for node in model.nodes} == dict(attractor.pattern)
    assert graph.nodes["PTEN"]["perturbed"] == "knockout"
    assert all(isinstance(value, str) for _, data in graph.nodes(data=True) for value in data.values())


def test_sif_parsed_back(small):
    model = load_model(small)
    lines = write_sif(annotated_graph(model)).splitlines()
    triples = {tuple(line.split()) for line in lines}
    assert triples == {
        ("B", "inhibition", "A"),
        ("A", "inhibition", "B"),
        ("Y", "inhibition", "X"),
        ("X", "activation", "Y"),
        ("A", "activation", "R"),
        ("X", "inhibition", "R"),
    }


def test_sif_lists_a_node_without_edges(tmp_path):
    model = BooleanNetwork(parse_rules("A = input 1\nB = 1\nC = A\n"))
    assert write_sif(annotated_graph(model)).splitlines() == ["A activation C", "B"]


def test_style_file_beside_the_output(small, tmp_path):
    result = run("export", "-m", small, "--format", "sif", "--style", "--output", tmp_path / "net.sif")
    assert result.exit_code == 0, result.output
    root = ElementTree.parse(tmp_path / "net.styles.xml").getroot()
    assert root.tag == "vizmap" and root.find("visualStyle").get("name") == "igfnet"
    arrows = root.find(".//edge/visualProperty[@name='EDGE_TARGET_ARROW_SHAPE']/discreteMapping")
    assert arrows.get("attributeName") == "sign"
    entries = {entry.get("attributeValue"): entry.get("value") for entry in arrows}
    assert entries == {"activation": "DELTA", "inhibition": "T", "dual": "DIAMOND"}
    fill = root.find(".//node/visualProperty[@name='NODE_FILL_COLOR']/discreteMapping")
    assert fill.get("attributeName") == "state"  # states are written by default
    assert run("export", "--format", "bnet", "--style", "-O", tmp_path / "m.bnet").exit_code == 2
    assert run("export", "--format", "cx2", "--style", "-O", "-").exit_code == 2


# -- CX2, read by NDEx's client ---------------------------------------------------------------------


def test_cx2_read_back_by_ndex2(model, tmp_path):
    ndex2_cx2 = pytest.importorskip("ndex2.cx2") if not os.environ.get("CI") else __import__("ndex2.cx2").cx2
    path = tmp_path / "m.cx2"
    assert run("export", "--format", "cx2", "--knockout", "IGF1R", "--output", path).exit_code == 0
    network = ndex2_cx2.RawCX2NetworkFactory().get_cx2network(json.loads(path.read_text()))
    nodes, edges = network.get_nodes(), network.get_edges()
    assert len(nodes) == len(model.nodes) and len(edges) == model.graph.number_of_edges()
    by_name = {node["v"]["name"]: node for node in nodes.values()}
    assert set(by_name) == set(model.nodes)
    assert by_name["AKT"]["v"]["rule"] == model.rules["AKT"].text
    assert by_name["IGF1R"]["v"]["perturbed"] == "knockout"
    attractor = model.attractors(knockout=["IGF1R"])[0]
    assert {name: node["v"]["attractor_1"] for name, node in by_name.items()} == dict(attractor.pattern)
    positions = layered_layout(model.graph)
    assert {name: (node["x"], node["y"]) for name, node in by_name.items()} == positions
    name_of = {node_id: node["v"]["name"] for node_id, node in nodes.items()}
    signs = {(name_of[e["s"]], name_of[e["t"]], e["v"]["interaction"]) for e in edges.values()}
    assert signs == {(s, t, d["sign"]) for s, t, d in model.graph.edges(data=True)}
    assert network.get_network_attributes()["perturbation"] == "knockout IGF1R"
    style = network.get_visual_properties()
    arrows = style["edgeMapping"]["EDGE_TARGET_ARROW_SHAPE"]
    assert arrows["type"] == "DISCRETE" and arrows["definition"]["attribute"] == "sign"
    assert {entry["v"]: entry["vp"] for entry in arrows["definition"]["map"]} == {
        "activation": "triangle",
        "inhibition": "tee",
        "dual": "diamond",
    }
    assert style["nodeMapping"]["NODE_BACKGROUND_COLOR"]["definition"]["attribute"] == "state"
    assert style["nodeMapping"]["NODE_BORDER_COLOR"]["definition"]["attribute"] == "perturbed"
    # Every aspect is counted right in metaData, and ndex2 writes the network back out whole.
    document = json.loads(path.read_text())
    counts = {entry["name"]: entry["elementCount"] for entry in document[1]["metaData"]}
    assert counts["nodes"] == len(nodes) and counts["edges"] == len(edges)
    again = ndex2_cx2.RawCX2NetworkFactory().get_cx2network(network.to_cx2())
    assert len(again.get_nodes()) == len(nodes) and again.get_visual_properties() == style


def test_cx2_without_states_colours_by_kind(small):
    ndex2_cx2 = pytest.importorskip("ndex2.cx2") if not os.environ.get("CI") else __import__("ndex2.cx2").cx2
    document = json.loads(write_cx2(annotated_graph(load_model(small))))
    network = ndex2_cx2.RawCX2NetworkFactory().get_cx2network(document)
    fill = network.get_visual_properties()["nodeMapping"]["NODE_BACKGROUND_COLOR"]["definition"]
    assert fill["attribute"] == "kind" and {entry["v"] for entry in fill["map"]} == {
        "",
        "kinase",
        "phosphatase",
        "phenotype",
    }


# -- .cyjs, read by Cytoscape.js in headless Chromium ---------------------------------------------------


def read_with_cytoscape_js(cyjs: Path, tmp_path: Path) -> dict:
    """What Cytoscape.js (tests/js/node_modules) builds from a .cyjs file, in headless Chromium."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        consumer_missing("chromium")
    if not (JS / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js").exists():
        consumer_missing("Cytoscape.js (npm ci --prefix tests/js)")
    data = tmp_path / "data.js"
    data.write_text("window.CYJS = " + cyjs.read_text() + ";\n")
    page = (JS / "read_cyjs.html").resolve().as_uri() + "?data=" + data.resolve().as_uri()
    arguments = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    arguments += ["--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page]
    completed = subprocess.run(arguments, capture_output=True, text=True, timeout=180)
    start = completed.stdout.find('<pre id="result">')
    assert start >= 0, completed.stderr[-2000:]
    text = completed.stdout[start + len('<pre id="result">') : completed.stdout.index("</pre>", start)]
    return json.loads(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


def test_cyjs_read_back_by_cytoscape_js(model, tmp_path):
    path = tmp_path / "m.cyjs"
    assert run("export", "--format", "cyjs", "--drug", "figitumumab", "--output", path).exit_code == 0
    found = read_with_cytoscape_js(path, tmp_path)
    assert found["problems"] == []
    assert found["nodes"] == len(model.nodes) and found["edges"] == model.graph.number_of_edges()
    assert found["edges_with_missing_end"] == []
    assert {(s, t, sign) for s, t, sign in found["signs"]} == {
        (s, t, d["sign"]) for s, t, d in model.graph.edges(data=True)
    }
    positions = layered_layout(model.graph)
    assert {node: (p["x"], p["y"]) for node, p in found["positions"].items()} == positions
    attractors = model.attractors(drugs=["figitumumab"])
    assert dict(found["states"]) == {node: attractors[0][node] for node in model.nodes} or len(attractors) > 1


def test_a_broken_cyjs_is_caught_by_the_reader(small, tmp_path):
    # The check can fail: an edge to a node that does not exist is reported.
    document = json.loads(write_cyjs(annotated_graph(load_model(small))))
    document["elements"]["edges"][0]["data"]["target"] = "NOWHERE"
    path = tmp_path / "broken.cyjs"
    path.write_text(json.dumps(document))
    found = read_with_cytoscape_js(path, tmp_path)
    assert found["problems"] and "NOWHERE" in found["problems"][0]


# -- the layout ---------------------------------------------------------------------------------------------


def test_layout_keeps_modules_apart_and_nodes_distinct(model):
    positions = layered_layout(model.graph)
    assert len(set(positions.values())) == len(model.nodes)
    boxes = {}
    for node, (x, y) in positions.items():
        module = model.rules[node].annotation("module")
        x0, y0, x1, y1 = boxes.get(module, (x, y, x, y))
        boxes[module] = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
    for first in boxes:
        for second in boxes:
            a, b = boxes[first], boxes[second]
            overlap = a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
            assert first == second or not overlap, (first, second)
    # Ligands first, phenotypes in the last band.
    assert max(y for n, (x, y) in positions.items() if model.rules[n].annotation("module") == "ligands") < min(
        y for n, (x, y) in positions.items() if model.rules[n].annotation("module") == "adaptors"
    )
    assert layered_layout(model.graph) == positions


@settings(max_examples=40, deadline=None)
@given(networks(max_nodes=9))
def test_layout_of_any_network_places_every_node_once(functions):
    rules = [Rule(node, function, is_input=function == node) for node, function in functions.items()]
    graph = BooleanNetwork(rules).graph
    positions = layered_layout(graph)
    assert list(positions) == list(graph.nodes) and len(set(positions.values())) == len(graph)


# -- igfnet draw ------------------------------------------------------------------------------------------------


def test_draw_png_svg_pdf_are_real_files(model, tmp_path):
    for suffix, magic in (("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")):
        result = run("draw", "--knockout", "IGF1R", "--output", tmp_path / f"n.{suffix}")
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"n.{suffix}").read_bytes().startswith(magic)
    assert (tmp_path / "n.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    result = run("draw", "--plain", "--output", tmp_path / "n.svg")
    assert result.exit_code == 0, result.output
    root = ElementTree.parse(tmp_path / "n.svg").getroot()
    texts = ["".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")]
    # One label per node, one per module box, and the legend.
    assert all(texts.count(node) == 1 for node in model.nodes)
    modules = {rule.annotation("module") for rule in model.rules.values()}
    assert modules <= set(texts) and "inhibition" in texts and "kinase" in texts


def node_fills(svg: Path) -> dict[str, str]:
    """Each node's fill colour, from the <g id="node-NAME"> groups of the SVG."""
    fills = {}
    for group in ElementTree.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}g"):
        if group.get("id", "").startswith("node-"):
            style = group.find("{http://www.w3.org/2000/svg}path").get("style")
            fill = next(part for part in style.split(";") if part.strip().startswith("fill:"))
            fills[group.get("id")[5:]] = fill.split(":")[1].strip().upper()
    return fills


def test_draw_colours_by_one_attractor_or_by_state(small, tmp_path):
    model = load_model(small)
    second = model.attractors()[1]
    result = run("draw", "-m", small, "--attractor", "2", "--output", tmp_path / "a.svg")
    assert result.exit_code == 0, result.output
    assert "attractor 2 of 2" in (tmp_path / "a.svg").read_text()
    assert node_fills(tmp_path / "a.svg") == {node: STATE_COLOURS[value] for node, value in second.pattern.items()}
    assert run("draw", "-m", small, "--output", tmp_path / "s.svg").exit_code == 0
    mixed, cycling = STATE_COLOURS["mixed"], STATE_COLOURS["*"]
    assert node_fills(tmp_path / "s.svg") == {"A": mixed, "B": mixed, "X": cycling, "Y": cycling, "R": mixed}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--output", "net.jpg"], "net.jpg"),
        (["--output", "net.svg", "--attractor", "3"], "attractor 3"),
        (["--output", "net.svg", "--plain", "--attractor", "1"], "--plain"),
        (["--output", "net.svg", "--knockout", "NOPE"], "NOPE"),
    ],
)
def test_draw_mistakes_exit_2_naming_the_value(small, tmp_path, arguments, message):
    arguments = [str(tmp_path / a) if a.startswith("net.") else a for a in arguments]
    result = run("draw", "-m", small, *arguments)
    assert result.exit_code == 2 and message in result.output
    assert not list(tmp_path.glob("net.*"))


def test_every_graph_format_through_the_cli(small, tmp_path):
    for output_format in ("sif", "graphml", "cyjs", "cx2"):
        path = tmp_path / f"s.{output_format}"
        result = run("export", "-m", small, "--format", output_format, "--no-states", "--output", path)
        assert result.exit_code == 0, result.output
        assert "attractor_1" not in path.read_text()
    assert json.loads((tmp_path / "s.cyjs").read_text())["elements"]["nodes"][0]["data"]["id"] == "A"
    graphml = networkx.read_graphml(tmp_path / "s.graphml")
    assert graphml.nodes["A"]["kind"] == "kinase" and "state" not in graphml.nodes["A"]
    header, written = (tmp_path / "s.graphml").read_text().split("\n", 1)  # the export's header says what it holds
    assert header.startswith("<!-- igfnet") and "applied: no perturbation" in header
    assert write_graphml(graph_with_states(load_model(small), states=False)) == written
    assert graphml.nodes["A"]["perturbed"] == "" and graphml.graph["perturbation"] == "none"


def test_dual_regulation_in_every_format(tmp_path):
    # C = A xor B: raising A can raise or lower C, so both edges are dual.
    model = BooleanNetwork(parse_rules("A = input 1\nB = input 0\nC = (A and not B) or (not A and B)\n"))
    graph = graph_with_states(model)
    assert write_sif(graph).splitlines() == ["A dual C", "B dual C"]
    assert graph.nodes["C"]["state"] == "1"
    cx2 = json.loads(write_cx2(graph))
    edges = next(aspect["edges"] for aspect in cx2 if "edges" in aspect)
    assert {edge["v"]["i"] for edge in edges} == {"dual"}
    from igfnet.plot import network_figure

    network_figure(graph, tmp_path / "xor.svg")
    texts = [
        "".join(e.itertext())
        for e in ElementTree.parse(tmp_path / "xor.svg").getroot().iter("{http://www.w3.org/2000/svg}text")
    ]
    assert "dual" in texts and "activation" not in texts and "1 (on)" in texts


def test_every_graph_format_of_the_registry_has_a_writer_the_cli_offers():
    from igfnet.cli.export import export_command
    from igfnet.formats import FORMATS, GRAPH_FORMATS, cytoscape

    offered = next(p for p in export_command.params if p.name == "output_format").type.choices  # type: ignore[attr-defined]
    assert GRAPH_FORMATS == ["sif", "graphml", "cyjs", "cx2"] and set(GRAPH_FORMATS) <= set(offered)
    for name in GRAPH_FORMATS:
        assert FORMATS[name].graph and FORMATS[name].reader is None
        assert getattr(cytoscape, FORMATS[name].writer) is not None
