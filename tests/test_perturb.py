"""The perturb package: one grammar, one Treatment value, and what the value carries to the outputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igfnet.errors import PerturbationError, UnknownInterventionError
from igfnet.formats.cytoscape import annotated_graph
from igfnet.model import BooleanNetwork
from igfnet.perturb import (
    Perturbation,
    Treatment,
    build_perturbation,
    match_cut,
    match_setting,
    parse_combination,
    parse_interventions,
    parse_treatment,
)
from igfnet.perturb.grammar import read_item
from igfnet.rules import parse_rules
from igfnet.types import FrozenMap

RULES = """
L = input 1
M = input 0
R = L and not M
K = R
P = K or M
Q = not P
"""


@pytest.fixture(scope="module")
def model() -> BooleanNetwork:
    rules = parse_rules(RULES, "t.rules")
    nodes = [rule.target for rule in rules]
    drugs = parse_interventions(
        "drug blocker\n    inhibits: R\ndrug cutter\n    cuts: L:R\n", "drugs.txt", "drug", nodes
    )
    contexts = parse_interventions("context mutant\n    set: M=1\n", "contexts.txt", "context", nodes)
    return BooleanNetwork(rules, name="t", drugs=drugs, contexts=contexts)


def test_the_grammar_reads_settings_cuts_and_items_without_a_model():
    assert match_setting(" K = 1 ") == ("K", 1) and match_setting("K=2") is None
    assert match_cut("L->R=1") == ("L", "R", 1) and match_cut("L:R") == ("L", "R", None) and match_cut("L") is None
    assert read_item("K=0") == ("K", 0) and read_item("blocker") == "blocker"
    for bad, message in (("K=0,P=1", "','"), ("K =0", "whitespace"), ("", "empty item"), ("K=x", "NODE=0")):
        with pytest.raises(PerturbationError, match=message):
            read_item(bad)


def test_a_treatment_is_one_value_whatever_the_spelling(model):
    written = parse_treatment(model, " blocker + K=0 + P=1 ")
    assert written == Treatment(written.items) and written.name == "blocker+K=0+P=1"
    assert (written.drugs, written.knockouts, written.overexpressed) == (["blocker"], ["K"], ["P"])
    assert parse_combination(model, written.name).name == "K=0+P=1+blocker"
    assert parse_treatment(model, "None") == Treatment() and Treatment().name == ""
    with pytest.raises(UnknownInterventionError, match="unknown drug 'blockr'.*did you mean blocker"):
        parse_treatment(model, "blockr")
    with pytest.raises(PerturbationError, match="appears twice"):
        parse_treatment(model, "K=0+K=0")


items = st.lists(
    st.sampled_from(["blocker", "cutter", "K=0", "P=1", "Q=0", "R=1"]), min_size=1, max_size=4, unique=True
)


@settings(max_examples=60, deadline=None)
@given(items)
def test_a_treatment_perturbs_as_its_items_given_one_by_one(model, texts):
    try:
        treatment = parse_treatment(model, "+".join(texts))
    except PerturbationError:
        return  # blocker (R=0) with R=1: refused before any work, as a conflict
    by_value = build_perturbation(model, context="mutant", treatment=treatment)
    one_by_one = build_perturbation(
        model,
        context="mutant",
        drugs=[text for text in texts if "=" not in text],
        knockout=[text[:-2] for text in texts if text.endswith("=0")],
        overexpress=[text[:-2] for text in texts if text.endswith("=1")],
    )
    assert by_value == one_by_one
    # What fixed each node is carried by the value, never read back from its labels.
    for node, labels in by_value.fixed_by.items():
        assert node in by_value.fixed and set(labels) <= set(by_value.labels)


def test_the_export_marks_what_the_perturbation_value_says_not_what_its_labels_spell(model):
    perturbation = build_perturbation(model, context="mutant", drugs=["blocker"], knockout=["K"])
    graph = annotated_graph(model, None, perturbation)
    marks = {node: (graph.nodes[node]["perturbed"], graph.nodes[node]["perturbed_by"]) for node in ("M", "R", "K")}
    assert marks == {
        "M": ("context", "context mutant"),
        "R": ("knockout", "drug blocker"),
        "K": ("knockout", "knockout K"),
    }
    # A label naming no drug of the model is only a label: the marks come from fixed_by.
    relabelled = Perturbation(
        treatment=FrozenMap({"R": 0}), labels=("drug elsewhere",), fixed_by=FrozenMap({"R": ("drug elsewhere",)})
    )
    graph = annotated_graph(model, None, relabelled)
    assert graph.nodes["R"]["perturbed_by"] == "drug elsewhere" and graph.nodes["K"]["perturbed_by"] == ""


def test_the_untreated_part_keeps_only_what_the_context_fixed(model):
    perturbation = build_perturbation(model, context="mutant", drugs=["blocker"])
    assert perturbation.untreated.fixed_by == {"M": ("context mutant",)}


def test_the_public_api_offers_the_treatment_and_model_attractors_take_it(model):
    import igfnet

    assert igfnet.Treatment is Treatment
    given = parse_treatment(model, "blocker+P=1")
    assert model.attractors(treatment=given) == model.attractors(drugs=["blocker"], overexpress=["P"])
