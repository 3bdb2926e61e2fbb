"""``xor`` as its own operator: parity in every engine, folding, mutants, signs, trap spaces and formats."""

from __future__ import annotations

import dataclasses
import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import brute_force_attractors

from igfnet.analysis import mutants
from igfnet.dynamics import explicit
from igfnet.dynamics._symbolic import SymbolicSpace
from igfnet.dynamics.attractors import attractors_of_functions
from igfnet.dynamics.signs import regulation_signs
from igfnet.dynamics.trapspaces import minimal_trap_spaces
from igfnet.logic import Expr, compile_bits, evaluate, exclusive_or, expand_xor, negate, substitute, variables
from igfnet.model import BooleanNetwork
from igfnet.rules import parse_rules


def names_of(count: int) -> list[str]:
    return [f"x{index}" for index in range(count)]


def parity_rows(names: list[str]) -> list[tuple[dict[str, int], bool]]:
    """Every state over ``names`` with its parity, counted here (no igfnet code)."""
    return [
        (dict(zip(names, values, strict=True)), sum(values) % 2 == 1)
        for values in itertools.product((0, 1), repeat=len(names))
    ]


@pytest.mark.parametrize("count", range(1, 13))
def test_xor_is_parity_in_every_evaluator(count: int) -> None:
    names = names_of(count)
    expression: Expr = ("xor", *names)
    rows = parity_rows(names)
    # logic.evaluate (what tests/reference.py's brute force runs on)
    assert [evaluate(expression, state) for state, _ in rows] == [odd for _, odd in rows]
    # the explicit engine's bit-parallel truth table: bit s is state s, node i is bit i of s
    states = 1 << count
    everything = (1 << states) - 1
    ones = {name: sum(1 << s for s in range(states) if s >> i & 1) for i, name in enumerate(names)}
    expected = sum(1 << s for s in range(states) if bin(s).count("1") % 2)
    assert explicit.truth_table(expression, ones, everything) == expected
    # mutation testing's truth table and its BDD key (the two must agree)
    assert mutants.truth_table(expression, names) == expected
    key = mutants._function_key(names, 0)  # 0: the BDD key (one manager, so equal functions are one node)
    assert key(expression) == key(expand_xor(expression)) != key(negate(expression))
    # the Markov engine's compiled update
    update = compile_bits(expression, {n: i for i, n in enumerate(names)})
    assert [update(s) for s in range(states)] == [bin(s).count("1") % 2 for s in range(states)]
    # the symbolic engine's BDD: linear in size, and exactly the odd states
    space = SymbolicSpace(names)
    function = space.expression(expression)
    assert function == space.expression(expand_xor(expression))
    assert len(function) <= 2 * count + 1
    for state, odd in rows[:: max(1, len(rows) // 64)]:
        assert (function & space.cube(state) != space.false) == odd


@pytest.mark.parametrize("engine", ["explicit", "symbolic", "trapspaces"])
@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_attractors_of_xor_networks_equal_brute_force(engine: str, count: int) -> None:
    names = names_of(count)
    # A parity node fed by inputs, and a ring whose head reads that node by xor.
    functions: dict[str, Expr] = {name: name for name in names}
    functions |= {"P": ("xor", *names), "R1": ("xor", "P", "R2"), "R2": "R1"}
    found = sorted((str(a), a.states) for a in attractors_of_functions(functions, engine=engine))
    assert found == brute_force_attractors(functions)


@settings(max_examples=200, deadline=None)
@given(
    arguments=st.lists(st.sampled_from(["A", "B", "C", True, False, ("not", "A"), ("xor", "B", "C")]), max_size=6),
    values=st.dictionaries(st.sampled_from("ABC"), st.sampled_from([True, False, "C"])),
    state=st.tuples(*[st.integers(0, 1)] * 3),
)
def test_substitute_folds_xor_without_changing_its_value(arguments: list[Expr], values: dict, state: tuple) -> None:
    point = dict(zip("ABC", state, strict=True))
    expression: Expr = ("xor", *arguments) if len(arguments) >= 2 else ("xor", "A", "B")
    folded = substitute(expression, values)
    assigned = {name: int(evaluate(value, point)) for name, value in values.items()}
    assert evaluate(folded, point) == evaluate(expression, point | assigned)
    assert evaluate(negate(folded), point) != evaluate(folded, point)


def test_exclusive_or_folds_constants_and_pairs() -> None:
    assert exclusive_or("A", True) == ("not", "A")
    assert exclusive_or("A", False) == "A"
    assert exclusive_or("A", "B", "A") == "B"
    assert exclusive_or(True, True) is False
    assert exclusive_or("A", ("xor", "B", "C")) == ("xor", "A", "B", "C")
    assert substitute(("xor", "A", "B", "C"), {"B": True}) == ("not", ("xor", "A", "C"))


def test_xor_regulators_are_dual() -> None:
    signs = regulation_signs({"A": "A", "B": "B", "C": ("xor", "A", "B")})
    assert signs[("A", "C")] == signs[("B", "C")] == "dual"


def test_mutants_drop_and_flip_xor_arguments_but_never_swap_it() -> None:
    found = {m.id: m.expression for m in mutants._candidates("C", ("xor", "A", "B", "D"), ["drop", "flip", "swap"])}
    assert found["C:drop:1"] == ("xor", "B", "D")
    assert evaluate(found["C:flip:2"], {"A": 0, "B": 0, "D": 0}) is True  # A xor not B xor D
    assert not any(":swap:" in key for key in found)


def test_trap_spaces_with_xor_equal_those_of_the_expansion() -> None:
    functions: dict[str, Expr] = {
        "A": ("xor", "B", "C"),
        "B": ("xor", "A", "C", True),
        "C": "C",
        "D": ("xor", "D", "A"),
    }
    expanded = {node: expand_xor(rule) for node, rule in functions.items()}
    assert minimal_trap_spaces(functions) == minimal_trap_spaces(expanded)


# -- formats ---------------------------------------------------------------------------------


def sbml_with_xor(count: int) -> str:
    from igfnet.formats.sbml import write_sbml

    names = names_of(count)
    rules = "\n".join(f"{name} = input" for name in names) + "\nA = x0\n"
    text = write_sbml(BooleanNetwork(parse_rules(rules)))
    start = text.index(">", text.index("<math")) + 1
    leaves = "".join(f"<apply><eq/><ci>{name}</ci><cn type='integer'>1</cn></apply>" for name in names)
    return text[:start] + "<apply><xor/>" + leaves + "</apply>" + text[text.index("</math>") :]


@pytest.mark.parametrize("count", [20, 200])
def test_sbml_xor_of_many_arguments_reads_in_well_under_a_second(count: int) -> None:
    pytest.importorskip("libsbml")
    from igfnet.formats.sbml import parse_sbml

    text = sbml_with_xor(count)
    started = time.perf_counter()
    rules = {rule.target: rule.expression for rule in parse_sbml(text)[0]}
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"{elapsed:.2f} s"
    assert rules["A"] == ("xor", *names_of(count))  # linear: one operator, every argument once


@pytest.mark.parametrize("model_format", ["sbml", "bnet", "booleannet", "rules"])
@pytest.mark.parametrize("count", [1, 2, 5, 9])
def test_round_trips_keep_the_xor_truth_table(model_format: str, count: int) -> None:
    pytest.importorskip("libsbml")
    from igfnet.formats.bnet import parse_bnet, write_bnet
    from igfnet.formats.booleannet import parse_booleannet, write_booleannet
    from igfnet.formats.rules_text import write_rules
    from igfnet.formats.sbml import parse_sbml, write_sbml

    formats = {
        "sbml": (write_sbml, parse_sbml),
        "bnet": (write_bnet, parse_bnet),
        "booleannet": (write_booleannet, parse_booleannet),
        "rules": (write_rules, lambda text, source: (parse_rules(text, source), None)),
    }
    names = names_of(count)
    base = list(parse_rules("\n".join(f"{name} = input" for name in names) + "\nA = x0\n"))
    rule = next(r for r in base if r.target == "A")
    xor_rule = dataclasses.replace(rule, expression=("xor", *names, ("not", "A")))
    model = BooleanNetwork([r if r.target != "A" else xor_rule for r in base])
    write, parse = formats[model_format]
    text = write(model)
    back = {r.target: r.expression for r in parse(text, f"x.{model_format}")[0]}
    if model_format == "sbml":
        assert "<xor/>" in text
    for state, _ in parity_rows([*names, "A"]):
        assert evaluate(back["A"], state) == evaluate(("xor", *names, ("not", "A")), state)
    assert variables(back["A"]) == {*names, "A"}


def test_xor_text_is_expanded_for_files_and_kept_for_people() -> None:
    from igfnet.logic import to_text
    from igfnet.rules import parse_expression

    expression: Expr = ("and", ("xor", "A", ("or", "B", "C")), ("not", ("xor", "A", "D")))
    assert to_text(expression, keep_xor=True) == "(A xor (B or C)) and not (A xor D)"
    written = to_text(expression)
    assert "xor" not in written
    for values in itertools.product((0, 1), repeat=4):
        state = dict(zip("ABCD", values, strict=True))
        assert evaluate(parse_expression(written), state) == evaluate(expression, state)


def test_an_sbml_rule_keeps_its_xor_in_its_text() -> None:
    pytest.importorskip("libsbml")
    from igfnet.formats.sbml import parse_sbml

    rule = next(rule for rule in parse_sbml(sbml_with_xor(3))[0] if rule.target == "A")
    assert rule.text == "x0 xor x1 xor x2"
