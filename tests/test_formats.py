"""Exchange formats: SBML-qual, BooleanNet, .rules and .bnet round trips; libsbml and biodivine-aeon as consumers."""

from __future__ import annotations

import dataclasses
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import networks, random_models

from igfnet.cli import main
from igfnet.formats import load_model
from igfnet.formats.bnet import parse_bnet, write_bnet
from igfnet.formats.booleannet import parse_booleannet, write_booleannet
from igfnet.formats.rules_text import write_rules
from igfnet.formats.sbml import parse_sbml, write_sbml
from igfnet.model import BooleanNetwork
from igfnet.perturb import apply_perturbation
from igfnet.rules import Rule, parse_rules

libsbml = pytest.importorskip("libsbml")


def _rules_format(text, source):
    return parse_rules(text, source), None


FORMATS = {
    "sbml": (write_sbml, parse_sbml),
    "booleannet": (write_booleannet, parse_booleannet),
    "rules": (write_rules, _rules_format),
    "bnet": (write_bnet, parse_bnet),
}
# What each format carries besides the rules (the README's table says the same).
CARRIES_DEFAULTS = {"sbml", "booleannet", "rules"}
CARRIES_ANNOTATIONS = {"sbml", "rules"}


def round_trip(model: BooleanNetwork, model_format: str) -> BooleanNetwork:
    write, parse = FORMATS[model_format]
    rules, name = parse(write(model), f"exported.{model_format}")
    return BooleanNetwork(rules, name=name or "exported")


# -- an independent equivalence check: BDDs of dd, built here, not by igfnet's engine -----


def equivalent(first, second) -> bool:
    from dd.autoref import BDD

    bdd = BDD()

    def build(expression):
        if isinstance(expression, bool):
            return bdd.true if expression else bdd.false
        if isinstance(expression, str):
            bdd.declare(expression)
            return bdd.var(expression)
        arguments = [build(argument) for argument in expression[1:]]
        if expression[0] == "not":
            return ~arguments[0]
        if expression[0] == "xor":
            result = bdd.false
            for argument in arguments:
                result = bdd.apply("xor", result, argument)
            return result
        result = bdd.true if expression[0] == "and" else bdd.false
        for argument in arguments:
            result = (result & argument) if expression[0] == "and" else (result | argument)
        return result

    return build(first) == build(second)


def test_equivalence_check_can_fail():
    assert equivalent(("not", ("and", "A", "B")), ("or", ("not", "A"), ("not", "B")))
    assert not equivalent(("or", "A", "B"), ("and", "A", "B"))
    assert not equivalent("A", True)
    assert equivalent(("xor", "A", "B"), ("or", ("and", "A", ("not", "B")), ("and", ("not", "A"), "B")))
    assert not equivalent(("xor", "A", "B"), ("or", "A", "B"))


def assert_same_network(original: BooleanNetwork, back: BooleanNetwork, *, defaults: bool, annotations: bool):
    assert back.nodes == original.nodes
    for node, rule in original.rules.items():
        other = back.rules[node]
        assert other.is_input == rule.is_input, node
        assert equivalent(other.expression, rule.expression), (node, other.expression, rule.expression)
        if defaults:
            assert other.default == rule.default, node
        if annotations:
            assert dict(other.annotations) == dict(rule.annotations), node


def patterns(attractors) -> list[tuple[tuple, int]]:
    return sorted((tuple(sorted(attractor.pattern.items())), attractor.states) for attractor in attractors)


# -- the bundled model through every format ----------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return load_model()


@pytest.mark.parametrize("model_format", ["sbml", "booleannet", "rules"])
def test_bundled_model_round_trips(bundled, model_format):
    back = round_trip(bundled, model_format)
    assert_same_network(bundled, back, defaults=True, annotations=model_format in CARRIES_ANNOTATIONS)
    assert patterns(back.attractors()) == patterns(bundled.attractors())
    perturbation = {"knockout": ["PTEN"], "overexpress": ["HER2_amp"], "settings": {"IGF1": 0}}
    assert patterns(back.attractors(**perturbation)) == patterns(bundled.attractors(**perturbation))


def test_bundled_model_round_trips_through_bnet(bundled):
    # .bnet has no defaults: a free input comes back free, the default context as constants.
    free = apply_perturbation(bundled, bundled.perturbation(), free_inputs=True)
    assert_same_network(free, round_trip(free, "bnet"), defaults=False, annotations=False)
    fixed = apply_perturbation(bundled, bundled.perturbation(), free_inputs=False)
    assert patterns(round_trip(fixed, "bnet").attractors()) == patterns(bundled.attractors())


def test_perturbed_model_round_trips_with_drug_and_context(bundled):
    perturbation = bundled.perturbation(drugs=["figitumumab"], context="pten_loss")
    perturbed = apply_perturbation(bundled, perturbation)
    expected = patterns(bundled.attractors(drugs=["figitumumab"], context="pten_loss"))
    for model_format in ("sbml", "booleannet", "rules"):
        assert patterns(round_trip(perturbed, model_format).attractors()) == expected, model_format


# -- random networks --------------------------------------------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_models(), st.sampled_from(sorted(FORMATS)))
def test_random_networks_round_trip(model, model_format):
    back = round_trip(model, model_format)
    if model_format == "sbml":
        document = libsbml.readSBMLFromString(write_sbml(model))
        assert document.checkConsistency() == 0, document.getErrorLog().toString()
    carries = model_format in CARRIES_DEFAULTS
    assert_same_network(model, back, defaults=carries, annotations=False)
    assert patterns(back.attractors(free_inputs=True)) == patterns(model.attractors(free_inputs=True))
    if carries:
        assert patterns(back.attractors()) == patterns(model.attractors())


def test_node_names_that_are_not_sbml_identifiers_come_back():
    # igfnet allows a leading digit; SBML ids do not. And a node called like a transition id.
    model = BooleanNetwork(parse_rules("3PI = input 1\ntr_A = 3PI and not A\nA = tr_A\n"), name="names")
    text = write_sbml(model)
    assert 'qual:id="s_3PI"' in text
    back = round_trip(model, "sbml")
    assert_same_network(model, back, defaults=True, annotations=True)


# -- consumers: libsbml's validator and biodivine-aeon's SBML reader -----------------------


def test_bundled_sbml_passes_libsbml_consistency_checks(bundled):
    document = libsbml.readSBMLFromString(write_sbml(bundled))
    document.checkConsistency()
    problems = [document.getError(index) for index in range(document.getNumErrors())]
    messages = [f"{problem.getSeverityAsString()}: {problem.getShortMessage()}" for problem in problems]
    assert messages == []
    qual = document.getModel().getPlugin("qual")
    assert qual.getNumQualitativeSpecies() == len(bundled)
    assert qual.getNumTransitions() == len(bundled) - len(bundled.inputs)


def aeon_attractors(network, rename=lambda name: name) -> list[tuple[tuple, int]]:
    ba = pytest.importorskip("biodivine_aeon")
    graph = ba.AsynchronousGraph(network)
    result = []
    for attractor in ba.Attractors.attractors(graph):
        vertices = attractor.vertices()
        fixed = vertices.enclosing_named_subspace()
        pattern = {rename(name): str(int(fixed[name])) if name in fixed else "*" for name in network.variable_names()}
        result.append((tuple(sorted(pattern.items())), vertices.cardinality()))
    return sorted(result)


def aeon_names(model: BooleanNetwork) -> dict[str, str]:
    """aeon names a variable after the species' ``name``, which igfnet writes as the node's own name."""
    return {node: node for node in model.rules}


@pytest.mark.parametrize("treatment", [{}, {"knockout": ["PTEN"]}, {"drugs": ["figitumumab"], "context": "pten_loss"}])
def test_aeon_reads_our_sbml_with_our_attractors_and_those_of_the_bnet_export(bundled, treatment):
    ba = pytest.importorskip("biodivine_aeon")
    exported = apply_perturbation(bundled, bundled.perturbation(**treatment), free_inputs=False)
    names = aeon_names(exported)
    assert len(names) == len(bundled)
    from_sbml = aeon_attractors(ba.BooleanNetwork.from_sbml(write_sbml(exported)), names.__getitem__)
    bnet = write_bnet(exported).replace(", 1\n", ", true\n").replace(", 0\n", ", false\n")
    from_bnet = aeon_attractors(ba.BooleanNetwork.from_bnet(bnet, repair_graph=True))
    ours = patterns(bundled.attractors(**treatment))
    assert from_sbml == ours
    assert from_bnet == ours


def test_aeon_sees_our_inputs_as_inputs(bundled):
    # An input is a constant species without a transition: aeon leaves its function unspecified.
    ba = pytest.importorskip("biodivine_aeon")
    network = ba.BooleanNetwork.from_sbml(write_sbml(bundled))
    names = aeon_names(bundled)
    unspecified = {names[v] for v in network.variable_names() if network.get_update_function(v) is None}
    assert unspecified == set(bundled.inputs)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_nodes=8))
def test_aeon_attractors_of_our_sbml_on_random_networks(functions):
    ba = pytest.importorskip("biodivine_aeon")
    # aeon leaves a transition-free species' function unspecified (a parameter), so inputs are fixed here.
    rules = [Rule(node, False if function == node else function) for node, function in functions.items()]
    model = BooleanNetwork(rules, name="random")
    network = ba.BooleanNetwork.from_sbml(write_sbml(model))
    assert aeon_attractors(network) == patterns(model.attractors())


# -- a hand-written SBML-qual file in the style of GINsim / bioLQM ---------------------------

HAND_WRITTEN = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"
      xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" qual:required="true">
  <model id="hand">
    <listOfCompartments><compartment id="c" constant="true"/></listOfCompartments>
    <qual:listOfQualitativeSpecies>
      <qual:qualitativeSpecies qual:id="A" qual:compartment="c" qual:constant="true" qual:initialLevel="1" qual:maxLevel="1"/>
      <qual:qualitativeSpecies qual:id="B" qual:name="B protein" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>
      <qual:qualitativeSpecies qual:id="C" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>
      <qual:qualitativeSpecies qual:id="D" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>
      <qual:qualitativeSpecies qual:id="E" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>
      <qual:qualitativeSpecies qual:id="F" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>
    </qual:listOfQualitativeSpecies>
    <qual:listOfTransitions>
      <qual:transition qual:id="tB">
        <qual:listOfInputs>
          <qual:input qual:id="theta_A" qual:qualitativeSpecies="A" qual:transitionEffect="none" qual:thresholdLevel="1"/>
        </qual:listOfInputs>
        <qual:listOfOutputs><qual:output qual:qualitativeSpecies="B" qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>
        <qual:listOfFunctionTerms>
          <qual:defaultTerm qual:resultLevel="0"/>
          <qual:functionTerm qual:resultLevel="1">
            <math xmlns="http://www.w3.org/1998/Math/MathML"><apply><geq/><ci>A</ci><ci>theta_A</ci></apply></math>
          </qual:functionTerm>
        </qual:listOfFunctionTerms>
      </qual:transition>
      <qual:transition qual:id="tC">
        <qual:listOfInputs>
          <qual:input qual:qualitativeSpecies="A" qual:transitionEffect="none"/>
          <qual:input qual:qualitativeSpecies="B" qual:transitionEffect="none"/>
        </qual:listOfInputs>
        <qual:listOfOutputs><qual:output qual:qualitativeSpecies="C" qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>
        <qual:listOfFunctionTerms>
          <qual:defaultTerm qual:resultLevel="1"/>
          <qual:functionTerm qual:resultLevel="0">
            <math xmlns="http://www.w3.org/1998/Math/MathML">
              <apply><and/><apply><gt/><ci>A</ci><cn type="integer">0</cn></apply>
                           <apply><lt/><ci>B</ci><cn type="integer">1</cn></apply></apply>
            </math>
          </qual:functionTerm>
        </qual:listOfFunctionTerms>
      </qual:transition>
      <qual:transition qual:id="tD">
        <qual:listOfInputs>
          <qual:input qual:qualitativeSpecies="A" qual:transitionEffect="none"/>
          <qual:input qual:qualitativeSpecies="B" qual:transitionEffect="none"/>
          <qual:input qual:qualitativeSpecies="C" qual:transitionEffect="none"/>
        </qual:listOfInputs>
        <qual:listOfOutputs><qual:output qual:qualitativeSpecies="D" qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>
        <qual:listOfFunctionTerms>
          <qual:defaultTerm qual:resultLevel="0"/>
          <qual:functionTerm qual:resultLevel="1">
            <math xmlns="http://www.w3.org/1998/Math/MathML">
              <apply><xor/><apply><eq/><ci>A</ci><cn type="integer">1</cn></apply>
                           <apply><neq/><ci>B</ci><cn type="integer">0</cn></apply></apply>
            </math>
          </qual:functionTerm>
          <qual:functionTerm qual:resultLevel="1">
            <math xmlns="http://www.w3.org/1998/Math/MathML">
              <apply><and/><apply><eq/><cn type="integer">0</cn><ci>C</ci></apply>
                           <apply><not/><apply><leq/><ci>A</ci><cn type="integer">0</cn></apply></apply></apply>
            </math>
          </qual:functionTerm>
        </qual:listOfFunctionTerms>
      </qual:transition>
      <qual:transition qual:id="tF">
        <qual:listOfOutputs><qual:output qual:qualitativeSpecies="F" qual:transitionEffect="assignmentLevel"/></qual:listOfOutputs>
        <qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel="1"/></qual:listOfFunctionTerms>
      </qual:transition>
    </qual:listOfTransitions>
  </model>
</sbml>
"""


def test_hand_written_sbml_qual_reads_as_written_on_paper():
    rules, name = parse_sbml(HAND_WRITTEN, "hand.sbml")
    model = BooleanNetwork(rules, name=name)
    expected = {
        "A": "A",  # constant species, no transition: an input, default 1
        "B": "A",  # A >= theta_A, the input's threshold 1
        "C": "not (A and not B)",  # default 1, level 0 when A > 0 and B < 1
        "D": "(A and not B) or (not A and B) or (not C and A)",  # xor; 0 == C and not A <= 0
        "E": "E",  # non-constant species without transition: keeps its value, a free input
        "F": "1",  # only a default term
    }
    from igfnet.rules import parse_expression

    for node, text in expected.items():
        assert equivalent(model.rules[node].expression, parse_expression(text)), node
    assert [(node, model.rules[node].default) for node in model.inputs] == [("A", 1), ("E", None)]
    assert model.rules["B"].annotation("name") == "B protein"
    assert model.rules["D"].source == "hand.sbml:10"  # the species element
    assert name == "hand"


def test_implies_in_sbml_level3_version2():
    # <implies> is MathML of SBML L3V2 (libsbml rejects it in L3V1).
    text = (
        HAND_WRITTEN.replace("level3/version1/core", "level3/version2/core")
        .replace('level="3" version="1"', 'level="3" version="2"')
        .replace(
            "<apply><geq/><ci>A</ci><ci>theta_A</ci></apply>",
            '<apply><implies/><apply><eq/><ci>A</ci><cn type="integer">1</cn></apply><false/></apply>',
        )
    )
    rules, _ = parse_sbml(text, "v2.sbml")
    assert equivalent(BooleanNetwork(rules).rules["B"].expression, ("not", "A"))


# -- the command line: export, then --model reads it back ------------------------------------


def run(*arguments):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


@pytest.mark.parametrize("model_format", ["sbml", "booleannet", "rules", "bnet"])
def test_cli_export_then_attractors_from_the_file(tmp_path, model_format):
    out = tmp_path / f"blocked.{model_format}"
    exported = run("export", "--format", model_format, "--drug", "figitumumab", "--output", out)
    assert exported.exit_code == 0, exported.output
    direct = run("attractors", "--drug", "figitumumab", "--format", "json")
    again = run("attractors", "--model", out, "--format", "json")
    assert again.exit_code == 0, again.output
    import json

    def attractors(output):
        return sorted(json.dumps(item, sort_keys=True) for item in json.loads(output)["attractors"])

    assert attractors(again.output) == attractors(direct.output)


def test_cli_export_rules_keeps_inputs_and_evidence(tmp_path):
    out = tmp_path / "model.rules"
    assert run("export", "--format", "rules", "--knockout", "PTEN", "--output", out).exit_code == 0
    text = out.read_text()
    assert "\nIGF1 = input 1\n" in text
    assert "\nPTEN = 0\n" in text
    shown = run("show", "--model", out, "AKT")
    assert shown.exit_code == 0 and "evidence:" in shown.output
    free = tmp_path / "free.rules"
    assert run("export", "--format", "rules", "--free-inputs", "--output", free).exit_code == 0
    assert "\nIGF1 = input\n" in free.read_text()


def test_content_decides_when_the_extension_does_not(tmp_path, bundled):
    for model_format in ("sbml", "booleannet", "bnet"):
        path = tmp_path / f"{model_format}.txt"
        path.write_text(FORMATS[model_format][0](bundled))
        assert load_model(path).nodes == bundled.nodes, model_format


# -- bad files: one line, exit status 2, the file named -------------------------------------


def bad_file_error(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    result = run("attractors", "--model", path)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert str(path) in lines[0]
    return lines[0]


def test_truncated_sbml(tmp_path, bundled):
    text = write_sbml(bundled)
    message = bad_file_error(tmp_path, "cut.sbml", text[: len(text) // 2])
    assert re.search(r"cut\.sbml:\d+: invalid SBML", message), message


def test_sbml_without_the_qual_package(tmp_path):
    core = libsbml.SBMLDocument(3, 1)
    model = core.createModel()
    model.setId("kinetic")
    compartment = model.createCompartment()
    compartment.setId("c")
    compartment.setConstant(True)
    message = bad_file_error(tmp_path, "kinetic.xml", libsbml.writeSBMLToString(core))
    assert "without the qual package" in message


def test_multi_valued_sbml(tmp_path):
    species = '<qual:qualitativeSpecies qual:id="C" qual:compartment="c" qual:constant="false" qual:maxLevel="{}"/>'
    assert species.format(1) in HAND_WRITTEN
    message = bad_file_error(tmp_path, "levels.sbml", HAND_WRITTEN.replace(species.format(1), species.format(2)))
    assert "multi-valued" in message and "'C'" in message


def test_unsupported_mathml(tmp_path):
    text = HAND_WRITTEN.replace(
        "<apply><geq/><ci>A</ci><ci>theta_A</ci></apply>", "<apply><plus/><ci>A</ci><cn>1</cn></apply>"
    )
    message = bad_file_error(tmp_path, "plus.sbml", text)
    assert "unsupported MathML" in message and "A + 1" in message


@pytest.mark.parametrize("name", ["network.cx2", "network.json", "network.dat"])
def test_cytoscape_json_is_not_a_model(tmp_path, name):
    cx2 = '[{"CXVersion": "2.0", "hasFragments": false}, {"nodes": [{"id": 0, "v": {"name": "AKT"}}]}]'
    message = bad_file_error(tmp_path, name, cx2)
    assert "Cytoscape/NDEx network" in message and "graph without rules" in message


def test_booleannet_syntax_error(tmp_path):
    text = "# toy\nA = True\nA* = A\nB* = A and and B\n"
    message = bad_file_error(tmp_path, "toy.booleannet", text)
    assert message.endswith("toy.booleannet:4: operator 'and' without a left operand in 'A and and B'"), message


def test_booleannet_bad_initial_condition(tmp_path):
    message = bad_file_error(tmp_path, "toy.booleannet", "A = Maybe\nA* = A\n")
    assert "toy.booleannet:1: expected a rule 'NODE* = expression'" in message


def test_booleannet_reads_the_published_style():
    # Several nodes per initial condition, rank prefixes, a node with an initial value but no rule.
    text = "A = B = False\nC = True\nD = Random\n1: A* = C and not B\n2: B* = A\n"
    rules, _ = parse_booleannet(text)
    model = BooleanNetwork(rules)
    assert [(node, model.rules[node].default) for node in model.inputs] == [("C", 1), ("D", None)]
    assert equivalent(model.rules["A"].expression, ("and", "C", ("not", "B")))


def test_rules_writer_keeps_the_modellers_text_and_fixes_a_stale_one():
    rules = parse_rules("A = input\nB = (A or B) and not A\n")
    assert "B = (A or B) and not A\n" in write_rules(BooleanNetwork(rules))
    stale = [rules[0], dataclasses.replace(rules[1], expression=("or", "A", "B"))]
    assert "B = A or B\n" in write_rules(BooleanNetwork(stale))


def test_notes_of_other_tools_become_one_note():
    text = HAND_WRITTEN.replace(
        'qual:name="B protein" qual:compartment="c" qual:constant="false" qual:maxLevel="1"/>',
        'qual:name="B protein" qual:compartment="c" qual:constant="false" qual:maxLevel="1">'
        '<notes><body xmlns="http://www.w3.org/1999/xhtml"><p>Curated from</p><p>ref 12</p></body></notes>'
        "</qual:qualitativeSpecies>",
    )
    assert text != HAND_WRITTEN
    rules, _ = parse_sbml(text)
    assert dict(BooleanNetwork(rules).rules["B"].annotations) == {
        "name": ("B protein",),
        "note": ("Curated from ref 12",),
    }


def test_sbml_without_xml_encoding_reads(tmp_path, bundled):
    path = tmp_path / "plain.sbml"
    path.write_text(write_sbml(bundled).replace(' encoding="UTF-8"', "", 1))
    assert load_model(path).nodes == bundled.nodes


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("graph.dat", '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns"/>\n', "GraphML"),
        ("graph.xml", '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns"/>\n', "GraphML"),
        ("other.dat", '<?xml version="1.0"?>\n<html/>\n', "XML but not SBML"),
        ("edges.sif", "A activates B\n", "SIF network"),
    ],
)
def test_other_graph_and_xml_files_are_refused(tmp_path, name, text, expected):
    assert expected in bad_file_error(tmp_path, name, text)
