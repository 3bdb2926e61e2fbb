"""Hostile model files: deep nesting, exponential xor, entity expansion, huge files and messages.

Each of these once ended in a traceback, a crash of the process or minutes of work;
each must now give one line naming the cause and exit status 2 (or, where the input
is valid, the right answer quickly).
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from igfnet.cli import main
from igfnet.errors import InputFileError, RuleSyntaxError
from igfnet.formats import load_model
from igfnet.formats.bnet import parse_bnet
from igfnet.formats.booleannet import parse_booleannet
from igfnet.formats.sbml import MAX_XML_DEPTH, parse_sbml, write_sbml
from igfnet.logic import MAX_DEPTH, depth, evaluate, expand_xor, to_text, variables
from igfnet.model import BooleanNetwork
from igfnet.rules import MAX_PARENTHESES, parse_rules


def one_line_exit_2(*arguments: str) -> str:
    """Run the CLI in this process; it must fail with exit 2 and one line, no traceback."""
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output[:2000]
    return lines[0]


# -- deep nesting in text formats ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "targets, factors\nB, B\nA, " + "!" * 3000 + "B\n",
        "targets, factors\nB, B\nA, " + "(" * (MAX_PARENTHESES + 1) + "B" + ")" * (MAX_PARENTHESES + 1) + "\n",
        "targets, factors\nB, B\nA, " + "!(B & " * 1000 + "B" + ")" * 1000 + "\n",
    ],
    ids=["nots", "parentheses", "alternating"],
)
def test_deep_bnet_is_refused_with_the_limit(text: str) -> None:
    with pytest.raises(RuleSyntaxError, match=rf"<bnet>:3: expression nested more than {MAX_DEPTH} levels deep"):
        parse_bnet(text)


def test_deep_rules_and_booleannet_are_refused() -> None:
    with pytest.raises(RuleSyntaxError, match="nested more than"):
        parse_rules("B = input 1\nA = " + "not (" * 2000 + "B" + ")" * 2000 + "\n")
    with pytest.raises(RuleSyntaxError, match="nested more than"):
        parse_booleannet("B = True\nA = True\nA* = " + "not " * 3000 + "B\nB* = B\n")


def test_long_chains_of_parentheses_read_as_the_flat_tree_they_are() -> None:
    # bbm248 nests parentheses 10,192 deep: a chain of 'or's and 'and's, a tree three levels deep.
    chain = "(B | " * 5000 + "C" + ")" * 5000
    rules, _ = parse_bnet(f"targets, factors\nB, B\nC, C\nA, {chain}\n")
    assert depth(rules[2].expression) == 2 and rules[2].expression[0] == "or"
    assert [evaluate(rules[2].expression, {"B": b, "C": c}) for b in (0, 1) for c in (0, 1)] == [0, 1, 1, 1]
    assert parse_bnet("targets, factors\nB, B\nA, " + "(" * 3000 + "B" + ")" * 3000 + "\n")[0][1].expression == "B"


def test_nesting_just_under_the_limit_reads_and_writes_back_exactly() -> None:
    # 1 + 99 pending nots is exactly the limit; every walker (text, truth table, export) must cope.
    rules, _ = parse_bnet("targets, factors\nB, B\nA, " + "!" * (MAX_DEPTH - 1) + "B\n")
    expression = rules[1].expression
    assert depth(expression) == MAX_DEPTH
    assert [evaluate(expression, {"B": value}) for value in (0, 1)] == [True, False]  # odd number of nots
    model = BooleanNetwork(rules)
    for text, reader in ((model.to_bnet(), parse_bnet), (write_sbml(model), parse_sbml)):
        again = dict((rule.target, rule.expression) for rule in reader(text)[0])
        assert [evaluate(again["A"], {"B": value}) for value in (0, 1)] == [True, False]
    assert sorted(str(attractor) for attractor in model.attractors(free_inputs=True)) == ["01", "10"]
    with pytest.raises(RuleSyntaxError, match="nested more than"):
        parse_bnet("targets, factors\nB, B\nA, " + "!" * MAX_DEPTH + "B\n")


def test_cli_says_one_line_for_deep_nesting(tmp_path: Path) -> None:
    model = tmp_path / "deep.bnet"
    model.write_text("targets, factors\nB, B\nA, " + "!" * 3000 + "B\n")
    line = one_line_exit_2("attractors", "--model", str(model))
    assert line.startswith(f"Error: {model}:3: expression nested more than {MAX_DEPTH} levels deep")
    assert len(line) < 400


# -- SBML ------------------------------------------------------------------------


def sbml_with_math(math: str) -> str:
    """A two-species SBML-qual model (B an input) whose A has the given MathML as its level-1 term."""
    text = write_sbml(BooleanNetwork(parse_rules("B = input 1\nA = not B\n")))
    start = text.index(">", text.index("<math")) + 1
    return text[:start] + math + text[text.index("</math>") :]


def level(name: str, value: int) -> str:
    return f'<apply><eq/><ci> {name} </ci><cn type="integer"> {value} </cn></apply>'


@pytest.mark.parametrize("levels", [1000, 6000])
def test_deeply_nested_sbml_is_refused_before_libsbml_sees_it(tmp_path: Path, levels: int) -> None:
    # 6,000 levels crashed the process inside libsbml (SIGSEGV): run it in a process of its own.
    model = tmp_path / "deep.sbml"
    model.write_text(sbml_with_math("<apply><not/>" * levels + level("B", 1) + "</apply>" * levels))
    done = subprocess.run(
        [sys.executable, "-m", "igfnet", "attractors", "--model", str(model)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"Error: {model}:") and f"XML elements nested more than {MAX_XML_DEPTH} levels" in line


def test_sbml_within_the_xml_limit_but_too_deep_an_expression_is_refused() -> None:
    levels = MAX_DEPTH + 10  # and/or alternate, so nothing flattens: one level each
    math = "".join(f"<apply><{'and' if index % 2 else 'or'}/>{level('B', 1)}" for index in range(levels))
    with pytest.raises(RuleSyntaxError, match=f"nests more than {MAX_DEPTH} levels deep"):
        parse_sbml(sbml_with_math(math + level("B", 0) + "</apply>" * levels))


def test_billion_laughs_is_refused_naming_entity_expansion() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{index} "' + f"&lol{index - 1 if index > 1 else ''};" * 10 + '">' for index in range(1, 10)
    )
    text = sbml_with_math(level("B", 0)).replace("?>", f"?>\n<!DOCTYPE sbml [{entities}]>", 1)
    text = text.replace("<model ", '<model name="&lol9;" ', 1)
    with pytest.raises(RuleSyntaxError, match=r"<sbml>:2: the document declares the XML entity 'lol'.*billion laughs"):
        parse_sbml(text)


@pytest.mark.parametrize("count", range(1, 11))
def test_parity_is_xor_of_its_arguments(count: int) -> None:
    names = [f"x{index}" for index in range(count)]
    expression = expand_xor(("xor", *names))
    for values in itertools.product((0, 1), repeat=count):
        assert evaluate(expression, dict(zip(names, values, strict=True))) == (sum(values) % 2 == 1)


def test_parity_stays_quadratic_and_shallow() -> None:
    expression = expand_xor(("xor", *[f"x{index}" for index in range(64)]))
    assert depth(expression) <= 4 * 7  # four levels (or, and, not, ...) per halving
    assert len(to_text(expression, "bnet")) < 64 * 64 * 12


def test_sbml_xor_of_many_arguments_is_quick_and_right() -> None:
    # 20 arguments took 21 s and 238 MB when each xor doubled the expression.
    names = [f"x{index}" for index in range(20)]
    rules = "\n".join(f"{name} = input" for name in names) + "\nA = x0\n"
    text = write_sbml(BooleanNetwork(parse_rules(rules)))
    start = text.index(">", text.index("<math")) + 1
    math = "<apply><xor/>" + "".join(level(name, 1) for name in names) + "</apply>"
    started = time.monotonic()
    parsed = {
        rule.target: rule.expression for rule in parse_sbml(text[:start] + math + text[text.index("</math>") :])[0]
    }
    assert time.monotonic() - started < 5
    assert variables(parsed["A"]) == set(names)
    for values in [(0,) * 20, (1,) * 20, (1,) + (0,) * 19, (1, 1, 1) + (0,) * 17]:
        assert evaluate(parsed["A"], dict(zip(names, values, strict=True))) == (sum(values) % 2 == 1)


# -- sizes -----------------------------------------------------------------------


def test_model_past_max_size_is_refused_before_reading(tmp_path: Path) -> None:
    model = tmp_path / "padded.rules"
    model.write_text("B = input 1\nA = not B\n" + "# padding\n" * 500)
    line = one_line_exit_2("attractors", "--model", str(model), "--max-size", "1k")
    assert line == f"Error: {model}: larger than the limit of 1 kB on model files (raise it with --max-size)"
    assert CliRunner().invoke(main, ["attractors", "--model", str(model), "--max-size", "10k"]).exit_code == 0
    with pytest.raises(InputFileError, match="larger than the limit of 1 kB"):
        load_model(model, max_size=1024)


def test_an_endless_device_is_read_only_up_to_the_limit() -> None:
    line = one_line_exit_2("list", "nodes", "--model", "/dev/zero", "--max-size", "64k")
    assert line == "Error: /dev/zero: larger than the limit of 64 kB on model files (raise it with --max-size)"


@pytest.mark.parametrize("size", ["foo", "0", "-5M", "inf", "1.5.2k"])
def test_bad_max_size_is_a_usage_error(size: str) -> None:
    result = CliRunner().invoke(main, ["list", "nodes", "--max-size", size])
    assert result.exit_code == 2  # click's usage error: usage, then the one line naming the value
    assert result.output.strip().splitlines()[-1] == (
        f"Error: Invalid value for '--max-size': expected a size such as 50M, 2G or 1000000, got {size!r}"
    )


def test_messages_quote_the_start_of_a_huge_rule_not_all_of_it(tmp_path: Path) -> None:
    model = tmp_path / "huge.bnet"
    model.write_text("targets, factors\nA, A\nB, (A & " + " & ".join(["A"] * 300_000) + " &&& )\n")
    line = one_line_exit_2("attractors", "--model", str(model))
    assert line.startswith(f"Error: {model}:3: ") and "..." in line
    assert len(line) < 600
    model.write_text("targets, factors\nA, A\n" + "Z" * 1_200_000 + "\n")
    assert len(one_line_exit_2("attractors", "--model", str(model))) < 600
