"""The rule language: what it reads, and the message for each mistake."""

from __future__ import annotations

import pytest

from igfnet.errors import InputFileError, RuleSyntaxError
from igfnet.formats import load_model
from igfnet.logic import evaluate, to_text
from igfnet.model import BooleanNetwork
from igfnet.rules import parse_expression, parse_rules


def test_both_operator_spellings_and_precedence():
    words = parse_expression("A and not B or C")
    symbols = parse_expression("A & !B | C")
    assert words == symbols == ("or", ("and", "A", ("not", "B")), "C")


def test_reserved_looking_names_from_bnet_files_are_ordinary_nodes():
    # boolean.py alone would read NONE or names with leading digits wrongly.
    assert parse_expression("NONE & 1_5_phosphate") == ("and", "NONE", "1_5_phosphate")


def test_constants():
    assert parse_expression("A | true") == ("or", "A", True)
    assert parse_expression("0") is False


def test_rules_with_inputs_annotations_and_continuation():
    text = """
# a comment
IGF1 = input 1
    kind: ligand
    evidence: ref 3
    evidence: modelling assumption: present by default
IGF1R = IGF1 and   # the receptor needs its ligand
    not IGFBP3
IGFBP3 = input
"""
    igf1, receptor, binding = parse_rules(text, "model.rules")
    assert (igf1.is_input, igf1.default) == (True, 1)
    assert igf1.evidence == ("ref 3", "modelling assumption: present by default")
    assert receptor.expression == ("and", "IGF1", ("not", "IGFBP3"))
    assert receptor.source == "model.rules:7"
    assert (binding.is_input, binding.default) == (True, None)


def test_to_text_round_trips_through_the_parser():
    expression = ("and", ("or", "A", "B"), ("not", ("or", "C", ("and", "D", "E"))))
    for syntax in ("bnet", "rules"):
        assert parse_expression(to_text(expression, syntax)) == expression


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("A = B and\nB = input\n", 1, "dangling operator at the end of 'B and'"),
        ("A = B and (C\n", 1, "1 '(' not closed"),
        ("A = B )\nB = input\n", 1, "unbalanced parenthesis: ')' without '('"),
        ("A = (B\nB = input\n", 1, "unbalanced parenthesis: 1 '(' not closed"),
        ("A = (B or )\nB = input\n", 1, "missing operand before ')'"),
        ("A = B & & C\n", 1, "without a left operand"),
        ("A = B $ C\n", 1, "unexpected character '$'"),
        ("A B C\n", 1, "no '=' separator"),
        ("IGF-1 = B\n", 1, "invalid node name 'IGF-1'"),
        ("and = B\n", 1, "reserved word"),
        ("A = B C\n", 1, "two operands without an operator"),
        ("A = input 2\n", 1, "default must be 0 or 1"),
        ("A =\n", 1, "no expression"),
        ("    evidence: x\n", 1, "indented line before any rule"),
        ("A = 1\n  what is this\n", 2, "expected an annotation"),
    ],
)
def test_syntax_errors_name_the_file_and_line(text, line, message):
    with pytest.raises(RuleSyntaxError) as caught:
        BooleanNetwork(parse_rules(text, "bad.rules"))
    assert str(caught.value).startswith(f"bad.rules:{line}: ")
    assert message in str(caught.value)


def test_regulator_without_rule_is_named_with_the_fix():
    with pytest.raises(
        RuleSyntaxError,
        match=r"m.rules:2: 'PTEN' \(in the rule of 'AKT'\) has no rule; declare it as an input with 'PTEN = input'",
    ):
        BooleanNetwork(parse_rules("PI3K = 1\nAKT = PI3K and not PTEN\n", "m.rules"))


def test_node_defined_twice_is_named(tmp_path):
    (tmp_path / "a.rules").write_text("AKT = 1\n")
    (tmp_path / "b.rules").write_text("\nAKT = 0\n")
    with pytest.raises(RuleSyntaxError, match=r"b.rules:2: node 'AKT' is defined twice \(first at .*a.rules:1\)"):
        load_model(tmp_path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"   \n# only a comment\n", "no rules found"),
        (b"targets, factors\n", "no rules found"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"A = \xff\xfe\n", "not UTF-8"),
    ],
)
def test_unreadable_models(tmp_path, content, message):
    path = tmp_path / ("model.bnet" if b"targets" in content else "model.rules")
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):  # a syntax error, or a file that is no text at all
        load_model(path)


def test_missing_file_and_directory_without_rules(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        load_model(tmp_path / "absent.rules")
    with pytest.raises(RuleSyntaxError, match="no \\*.rules files"):
        load_model(tmp_path)


def test_bnet_reading_and_errors(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_text("# my model\ntargets, factors\nA, A\nB, A & !C\nC, B | true\n")
    model = load_model(path)
    assert model.name == "my model" and model.inputs == ["A"]
    assert evaluate(model.rules["C"].expression, {"B": 0}) is True
    path.write_text("targets, factors\nA, A &\n")
    with pytest.raises(RuleSyntaxError, match=r"m.bnet:2: dangling operator"):
        load_model(path)
    path.write_text("targets, factors\nA = B\n")
    with pytest.raises(RuleSyntaxError, match=r"m.bnet:2: expected 'target, factors'"):
        load_model(path)
