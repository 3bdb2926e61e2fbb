"""rules/screen.txt: the analyses' defaults from the review are data with evidence, read strictly."""

from __future__ import annotations

import re

import pytest

from igfnet.analysis.biomarkers import CLASSES, treatment_class
from igfnet.analysis.compare import default_treatments
from igfnet.analysis.review import OTHER, read_review_defaults, review_defaults
from igfnet.analysis.screen import plan_screen
from igfnet.errors import InputFileError
from igfnet.formats import bundled_rules_path, load_model
from igfnet.model import BooleanNetwork
from igfnet.perturb import parse_interventions
from igfnet.rules import parse_rules

FILE = """
base blockade
    treatment: R=0
    requires: R
    evidence: modelling assumption: test
combination tki+other
    evidence: ref 1
class kinase inhibitor
    class_contains: receptor, kinase inhibitor
    evidence: ref 2
class antibody
    class_contains: antibody
    evidence: ref 3
"""


@pytest.fixture
def defaults(tmp_path):
    path = tmp_path / "screen.txt"
    path.write_text(FILE)
    return read_review_defaults(path)


def test_the_file_is_read_into_one_value(defaults):
    assert (defaults.base, defaults.base_requires, defaults.combinations) == ("R=0", ("R",), ("tki+other",))
    assert list(defaults.classes) == ["kinase inhibitor", "antibody"]


def test_a_treatment_takes_the_first_class_one_of_its_drugs_matches(defaults):
    assert defaults.treatment_class(["Receptor tyrosine KINASE INHIBITOR"]) == "kinase inhibitor"
    # Both match: file order decides, whatever the order of the drugs.
    assert defaults.treatment_class(["an antibody", "receptor kinase inhibitor"]) == "kinase inhibitor"
    assert defaults.treatment_class(["kinase inhibitor"]) == OTHER and defaults.treatment_class([]) == OTHER


def test_the_base_is_the_default_only_for_a_model_with_the_nodes_it_needs(defaults):
    with_r = BooleanNetwork(parse_rules("L = input 1\nR = L\n"))
    without = BooleanNetwork(parse_rules("L = input 1\nQ = L\n"))
    assert defaults.default_base(with_r) == "R=0" and defaults.default_base(without) == "none"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("base b\n    treatment: R=0\n", "screen.txt:1: base 'b' has no evidence"),
        ("drug x\n    evidence: e\n", "screen.txt:1: expected 'base NAME', 'combination A+B' or 'class NAME'"),
        ("class c\n    evidence: e\n", "screen.txt:1: class 'c' has no 'class_contains:'"),
        ("combination a+b\n    evidence: e\n", "screen.txt: no 'base' block"),
    ],
)
def test_mistakes_name_the_file_and_line(tmp_path, text, message):
    path = tmp_path / "screen.txt"
    path.write_text(text)
    with pytest.raises(InputFileError, match=re.escape(message)):
        read_review_defaults(path)


def test_the_bundled_file_fits_the_code_that_reads_it():
    bundled = review_defaults()
    assert bundled == read_review_defaults(bundled_rules_path() / "screen.txt")
    assert set(CLASSES) == {*bundled.classes, "*"}
    model = load_model()
    assert all(node in model.rules for node in bundled.base_requires)
    assert plan_screen(model, size=1).base.name == bundled.base
    # compare's columns: every drug, then each combination of the file whose drugs the model has.
    expressible = [c for c in bundled.combinations if all(part in model.drugs for part in c.split("+"))]
    assert default_treatments(model) == [*model.drugs, *expressible]


def test_the_biomarker_class_of_a_treatment_comes_from_the_drugs_class_lines():
    rules = parse_rules("L = input 1\nR = L\nK = R\n")
    nodes = [rule.target for rule in rules]
    drugs = parse_interventions(
        "drug tki\n    class: IGF-1R/IR tyrosine kinase inhibitor\n    inhibits: R\n"
        "drug mab\n    class: anti-IGF-1R monoclonal antibody\n    inhibits: R\n"
        "drug plain\n    class: something else\n    inhibits: K\n",
        "drugs.txt",
        "drug",
        nodes,
    )
    model = BooleanNetwork(rules, drugs=drugs)
    classes = review_defaults().treatment_class
    for treatment in ("tki", "mab", "plain", "mab+tki", "plain+mab"):
        drug_classes = [model.drugs[name].annotation("class") for name in treatment.split("+")]
        assert treatment_class(model, treatment) == classes(drug_classes)
    assert treatment_class(model, "plain") == OTHER
