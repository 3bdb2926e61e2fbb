"""The network layer: signed graph, perturbations, drugs and contexts, and the bundled model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import brute_force_treated
from strategies import networks

from igfnet.dynamics.attractors import attractors_of_model
from igfnet.errors import InputFileError, PerturbationError, UnknownNodeError
from igfnet.formats import load_model
from igfnet.model import BooleanNetwork
from igfnet.perturb import parse_interventions
from igfnet.rules import Rule, parse_rules

MODEL = """
L = input 1
R = L and not BP
BP = input 0
K = R or (K and not P)
P = input
X = (R and not K) or (not R and K)
"""


@pytest.fixture
def model():
    return BooleanNetwork(parse_rules(MODEL, "m.rules"), name="m")


def test_signs_come_from_the_logic(model):
    signs = {(s, t): d["sign"] for s, t, d in model.graph.edges(data=True)}
    assert signs == {
        ("L", "R"): "activation",
        ("BP", "R"): "inhibition",
        ("R", "K"): "activation",
        ("K", "K"): "activation",
        ("P", "K"): "inhibition",
        ("R", "X"): "dual",
        ("K", "X"): "dual",
    }


def test_a_name_that_does_not_change_the_function_is_no_regulation():
    model = BooleanNetwork(parse_rules("A = input\nB = input\nC = A or (A and B)\n"))
    assert list(model.graph.predecessors("C")) == ["A"]


def test_default_context_and_overrides(model):
    assert model.default_context == {"L": 1, "BP": 0}
    assert {a["R"] for a in model.attractors(settings={"P": 0})} == {"1"}
    assert {a["R"] for a in model.attractors(settings={"P": 0, "L": 0})} == {"0"}
    assert len(model.attractors(free_inputs=True)) > len(model.attractors(settings={"P": 0}))


def test_a_cut_interaction_reads_as_absent_in_its_target_only(model):
    cut = model.perturbation(cut=["BP:R"], settings={"BP": 1, "P": 0})
    assert cut.cuts == {("BP", "R"): 0}
    assert model.perturbed(cut).rules["R"].expression == "L"  # the inhibitor no longer inhibits
    activation = model.perturbed(model.perturbation(cut=["L:R"]))
    assert activation.rules["R"].expression is False  # the ligand no longer activates
    assert model.perturbed(model.perturbation(cut=["R:X=1"])).rules["X"].expression == ("not", "K")
    with pytest.raises(PerturbationError, match="L does not regulate K"):
        model.perturbation(cut=["L:K"])


def test_conflicts_and_unknown_names(model):
    with pytest.raises(PerturbationError, match="K is both knocked out and overexpressed"):
        model.perturbation(knockout=["K"], overexpress=["K"])
    with pytest.raises(UnknownNodeError, match="unknown node 'k'.*did you mean K"):
        model.perturbation(knockout=["k"])


def test_drug_and_context_files():
    text = """
drug blocker
    class: antibody
    inhibits: R
    cuts: L:R
context resistant
    set: BP=1
    overexpress: K
"""
    drugs = parse_interventions(text.split("context")[0], "drugs.txt", "drug", ["L", "R", "K", "BP"])
    assert dict(drugs["blocker"].fixed) == {"R": 0} and drugs["blocker"].cuts == ("L:R",)
    contexts = parse_interventions(
        "context" + text.split("context")[1], "contexts.txt", "context", ["L", "R", "K", "BP"]
    )
    assert dict(contexts["resistant"].fixed) == {"BP": 1, "K": 1}
    with pytest.raises(InputFileError, match="drugs.txt:2: drug 'x' names 'AKT', which is not a node"):
        parse_interventions("drug x\n    inhibits: AKT\n", "drugs.txt", "drug", ["L"])


def test_untreated_state_then_treatment(model):
    # The kinase K latches on once R fired; blocking R afterwards leaves K on (memory), unlike a cell that never saw R.
    treated = model.attractors(knockout=["R"], settings={"P": 0}, initial="untreated")
    naive = model.attractors(knockout=["R"], settings={"P": 0})
    assert treated.values("K") == {"1"}
    assert naive.values("K") == {"0", "1"}


def test_bundled_model_loads_with_its_public_nodes_drugs_and_contexts():
    model = load_model()
    public = "IGF1 IGF2 INS IGFBP3 IGF1R INSR IRS1 PI3K PTEN AKT MTORC1 MTORC2 S6K ERK EGFR HER2 ESR1 Proliferation Survival Apoptosis"
    assert set(public.split()) <= set(model.nodes)
    assert {"IGF1", "IGF2", "INS"} <= set(model.inputs)
    assert model.default_context["IGF1"] == 1
    assert "figitumumab" in model.drugs and "pten_loss" in model.contexts
    for rule in model.rules.values():
        assert rule.evidence, f"{rule.target} has no evidence"


def test_bundled_model_igf1r_blockade_silences_both_arms():
    blocked = load_model().attractors(knockout=["IGF1R"])
    assert blocked.values("AKT") == {"0"} and blocked.values("ERK") == {"0"}
    untreated = load_model().attractors()
    assert untreated.values("AKT") == {"1"} and untreated.values("ERK") == {"1"}


@pytest.mark.parametrize("engine", ["explicit", "symbolic"])
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_treatment_from_the_untreated_state_equals_brute_force(engine, data):
    functions = data.draw(networks(max_nodes=7))
    nodes = list(functions)
    rules = [Rule(node, function, is_input=function == node) for node, function in functions.items()]
    model = BooleanNetwork(rules)
    knockout = data.draw(st.lists(st.sampled_from(nodes), unique=True, max_size=2))
    overexpress = data.draw(
        st.lists(st.sampled_from([n for n in nodes if n not in knockout] or nodes), unique=True, max_size=2)
    )
    overexpress = [node for node in overexpress if node not in knockout]
    treatment = {**dict.fromkeys(knockout, 0), **dict.fromkeys(overexpress, 1)}
    treated = {node: bool(treatment[node]) if node in treatment else function for node, function in functions.items()}
    expected = brute_force_treated(functions, treated, treatment)
    perturbation = model.perturbation(knockout=knockout, overexpress=overexpress)
    result = attractors_of_model(model, perturbation, initial="untreated", free_inputs=True, engine=engine)
    assert sorted((str(attractor), attractor.states) for attractor in result) == expected


def test_attractors_set_is_the_deprecated_name_of_settings():
    model = BooleanNetwork(parse_rules("P = input 1\nR = P\n"))
    with pytest.warns(DeprecationWarning, match="settings="):
        old = model.attractors(set={"P": 0})
    assert old == model.attractors(settings={"P": 0}) != model.attractors()
    with pytest.raises(TypeError, match="colour"):
        model.attractors(colour={"P": 0})


# -- the model is an immutable value; loading is igfnet.formats' job -------------------------------


def test_the_model_cannot_be_changed_in_place(model):
    with pytest.raises(AttributeError):
        model.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        model.rules["R"] = Rule("R", "L")  # type: ignore[index]
    assert model.name == "m" and str(model.rules["R"].expression) != "L"


def test_a_model_with_other_rules_is_a_new_model_whose_graph_follows_its_rules(model):
    assert model.graph.has_edge("BP", "R")
    edited = model.with_rules(Rule("R", "L") if rule.target == "R" else rule for rule in model.rules.values())
    assert not edited.graph.has_edge("BP", "R") and edited.graph.has_edge("L", "R")
    assert model.graph.has_edge("BP", "R"), "the original is unchanged"
    assert (edited.name, edited.source, edited.drugs, edited.contexts) == (
        model.name,
        model.source,
        model.drugs,
        model.contexts,
    )


def _directory_model(tmp_path, drugs: str) -> str:
    (tmp_path / "m.rules").write_text(MODEL)
    (tmp_path / "drugs.txt").write_text(drugs)
    return str(tmp_path)


def test_drugs_are_read_with_the_model_and_never_from_files_later(tmp_path):
    directory = _directory_model(tmp_path, "drug blocker\n    inhibits: R\n")
    loaded = load_model(directory)
    (tmp_path / "drugs.txt").write_text("drug other\n    inhibits: K\n")
    assert list(loaded.drugs) == ["blocker"] and list(loaded.with_rules(loaded.rules.values()).drugs) == ["blocker"]
    # A model built from rules alone has no drugs, whatever its directory holds.
    assert BooleanNetwork(loaded.rules.values(), directory=directory).drugs == {}


def test_a_broken_drug_file_is_reported_when_the_model_is_read(tmp_path):
    directory = _directory_model(tmp_path, "drug blocker\n    inhibits: NOPE\n")
    with pytest.raises(InputFileError, match="NOPE"):
        load_model(directory)


def test_a_drug_naming_a_node_the_model_lacks_is_refused(model):
    (drug,) = parse_interventions("drug blocker\n    cuts: BP:R\n", "d.txt", "drug", model.nodes).values()
    assert drug.nodes == ("BP", "R")
    without_bp = parse_rules("L = input 1\nR = L\n")
    with pytest.raises(InputFileError, match="d.txt:1: drug 'blocker' names 'BP', which is not a node"):
        BooleanNetwork(without_bp, drugs={"blocker": drug})
