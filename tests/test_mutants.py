"""Mutation testing of claims: the mutants, their equivalence, the claims' verdicts on them, the report and the CLI."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import pickle

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import brute_force_treated
from strategies import expressions, random_models

from igfnet.analysis.mutants import (
    CSV_COLUMNS,
    KINDS,
    Mutant,
    MutantResult,
    MutationReport,
    mutants,
    mutated_model,
    observe,
    run_mutants,
)
from igfnet.analysis.validate import Claim, read_claims, setup_check
from igfnet.cli import main
from igfnet.formats import load_model
from igfnet.logic import evaluate, to_text, variables
from igfnet.model import BooleanNetwork
from igfnet.perturb import apply_perturbation, parse_treatment
from igfnet.rules import Rule, parse_rules
from igfnet.types import FrozenMap

# A receptor R drives growth G; a mutation M bypasses R; a memory node K, once on (needs S), keeps G on.
RULES = """
L = input 1
M = input 0
S = input 0
R = L
K = S and (R or K)
G = R or M or K
"""
DRUGS = "drug blocker\n    inhibits: R\n"
CONTEXTS = "context mutant\n    set: M=1\ncontext primed\n    set: S=1\n"
CLAIMS = """id,claim,context,treatment,readout,expected,reference
grow,the cell grows,default,none,G,1,r1
grow_again,the same claim written twice,default,none,G,1,r2
block,blockade stops growth,default,blocker,G,0,r3
bypass,the bypass resists,mutant,blocker,G,1,r4
memory,the primed cell resists,primed,blocker,G,1,r5
blocked_r,the drug blocks R,default,blocker,R,0,r6
knocked_r,R knocked out is off,default,R=0,R,0,r7
bypass_on,the mutant carries M,mutant,none,M,1,r8
"""


@pytest.fixture
def model_dir(tmp_path):
    (tmp_path / "m.rules").write_text(RULES)
    (tmp_path / "drugs.txt").write_text(DRUGS)
    (tmp_path / "contexts.txt").write_text(CONTEXTS)
    (tmp_path / "claims.csv").write_text(CLAIMS)
    return tmp_path


@pytest.fixture
def model(model_dir):
    return load_model(model_dir)


@pytest.fixture
def claims(model, model_dir):
    return read_claims(model_dir / "claims.csv", model)


def one_rule(text: str) -> BooleanNetwork:
    """Inputs B, C, D (default 1) and one rule."""
    return BooleanNetwork(parse_rules("B = input 1\nC = input 1\nD = input 1\n" + text))


def function_of(expression, names) -> tuple[bool, ...]:
    """The truth table by brute force with logic.evaluate: independent of the bitset tables under test."""
    return tuple(
        evaluate(expression, dict(zip(names, values))) for values in itertools.product((0, 1), repeat=len(names))
    )


# -- the mutants ---------------------------------------------------------------------------------


def test_every_single_change_of_a_two_literal_rule_and_nothing_else():
    found = mutants(one_rule("A = B and not C"))
    assert [(m.id, to_text(m.expression)) for m in found] == [
        ("A:constant0", "0"),
        ("A:constant1", "1"),
        ("A:drop:1", "not C"),
        ("A:drop:2", "B"),
        ("A:flip:1", "not B and not C"),
        ("A:flip:2", "B and C"),
        ("A:swap:1", "B or not C"),
    ]
    assert not any(m.equivalent or m.duplicates for m in found)
    assert found[3].description == "A: drop not C (B and not C -> B)"
    assert {m.node for m in found} == {"A"}  # inputs are settings, not rules


def test_a_nested_rule_gets_a_swap_per_junction_and_drops_inside_a_negation():
    found = {m.id: to_text(m.expression) for m in mutants(one_rule("A = B and not (C or D)"))}
    assert found == {
        "A:constant0": "0",
        "A:constant1": "1",
        "A:drop:1": "not (C or D)",
        "A:drop:2": "B and not D",
        "A:drop:3": "B and not C",
        "A:flip:1": "not B and not (C or D)",
        "A:flip:2": "B and not (not C or D)",
        "A:flip:3": "B and not (C or not D)",
        "A:swap:1": "B or not (C or D)",
        "A:swap:2": "B and not (C and D)",
    }


def test_equivalent_and_duplicate_mutants_are_found_exactly():
    # A = B or (B and C) is A = B (absorption). Dropping or negating C leaves B: equivalent.
    # Dropping the second B gives B or C, as does negating it (B or not B and C) and making the
    # inner and an or; making the outer or an and gives B and C, as does dropping the first B.
    found = {m.id: m for m in mutants(one_rule("A = B or (B and C)"))}
    assert list(found) == ["A:constant0", "A:constant1", "A:drop:1", "A:drop:2", "A:drop:3", "A:flip:1"]
    assert [m.id for m in found.values() if m.equivalent] == ["A:drop:3"]
    assert found["A:drop:3"].duplicates == ("A:flip:3",)
    assert found["A:drop:2"].duplicates == ("A:flip:2", "A:swap:2")
    assert found["A:drop:1"].duplicates == ("A:swap:1",)
    assert to_text(found["A:flip:1"].expression) == "not B or B and C"


def test_the_bdd_fallback_agrees_with_truth_tables():
    model = one_rule("A = B or (B and C) or not (D and B)")
    assert mutants(model, truth_table_limit=0) == mutants(model)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_equivalence_and_deduplication_match_brute_force(data):
    names = ["B", "C", "D"]
    # Under a junction, so that every kind of mutant applies (its outer swap is swap:1).
    expression = (data.draw(st.sampled_from(["and", "or"])), data.draw(expressions(names, depth=3)), "C")
    rule = Rule("A", expression, text=to_text(expression))
    model = BooleanNetwork([*(Rule(n, n, True, 1) for n in names), rule])
    found = mutants(model)
    original = function_of(expression, names)
    tables = [function_of(m.expression, names) for m in found]
    assert [m.equivalent for m in found] == [table == original for table in tables]
    assert len(set(tables)) == len(tables)  # no two kept mutants compute the same function
    all_ids = [m.id for m in found] + [d for m in found for d in m.duplicates]
    assert len(all_ids) == len(set(all_ids))
    assert {"A:constant0", "A:constant1", "A:swap:1"} <= set(all_ids)
    assert variables(expression) >= set().union(*(variables(m.expression) for m in found))


def test_unknown_kind_is_an_error():
    from igfnet.errors import IgfnetError

    with pytest.raises(IgfnetError, match="unknown mutant kind 'invert'"):
        mutants(one_rule("A = B"), kinds=["invert"])


# -- set-up checks --------------------------------------------------------------------------------


def test_set_up_checks_are_claims_that_read_back_their_own_perturbation(model, claims):
    setup = {claim.id for claim in claims if setup_check(model, claim)}
    # blocked_r: the drug inhibits R; knocked_r: the treatment fixes R; bypass_on: the context sets M (an input).
    assert setup == {"blocked_r", "knocked_r", "bypass_on"}


def test_plain_validate_lists_set_up_checks_under_their_own_heading(model_dir):
    result = CliRunner().invoke(main, ["validate", "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    claims_part, setup_part = result.output.split("Set-up checks")
    assert "memory" in claims_part and "knocked_r" not in claims_part
    assert all(name in setup_part for name in ("blocked_r", "knocked_r", "bypass_on"))
    assert "grow " not in setup_part
    table = CliRunner().invoke(main, ["validate", "--model", str(model_dir), "--format", "csv"])
    rows = {row["id"]: row["setup_check"] for row in csv.DictReader(io.StringIO(table.output))}
    assert rows["knocked_r"] == "yes" and rows["grow"] == "no"


# -- running the claims on the mutants --------------------------------------------------------------


def test_claims_kill_some_mutants_and_miss_others(model, claims):
    report = run_mutants(model, claims, jobs=1)
    by_id = {r.mutant.id: r for r in report.results}
    # R always on: every claim either has L=1 (R on anyway) or blocks R: nothing can tell.
    assert by_id["R:constant1"].status == "survived"
    # R always off: the cell no longer grows, and the primed cell never latched K before treatment.
    assert by_id["R:constant0"].killing == ("grow", "grow_again", "memory")
    # K always off: only the primed cell, which relies on the K memory, shows it.
    assert by_id["K:constant0"].killing == ("memory",)
    assert {claim.id for claim in report.setup_checks} == {"blocked_r", "knocked_r", "bypass_on"}
    assert [claim.id for claim in report.claims] == ["grow", "grow_again", "block", "bypass", "memory"]
    assert report.failing == ()
    assert 0 < report.kill_rate() < 1
    assert report.kill_rate() == report.killed() / report.non_equivalent()


def test_every_verdict_on_every_mutant_matches_brute_force(model, claims):
    report = run_mutants(model, claims, jobs=1)
    for result in report.results:
        mutated = model.with_rules(
            result.mutant.rule(rule) if node == result.mutant.node else rule for node, rule in model.rules.items()
        )
        for claim, observed in zip(report.claims, result.observed, strict=True):
            perturbation = mutated.perturbation(
                context=claim.context, treatment=parse_treatment(mutated, claim.treatment)
            )
            untreated = apply_perturbation(mutated, perturbation.untreated, free_inputs=False).functions
            treated = apply_perturbation(mutated, perturbation, free_inputs=False).functions
            reached = brute_force_treated(untreated, treated, dict(perturbation.treatment))
            column = list(mutated.rules).index(claim.readout)
            values = {pattern[column] for pattern, _ in reached}
            assert observed == (values.pop() if len(values) == 1 else "*"), (result.mutant.id, claim.id)
        expected_kills = tuple(c.id for c, value in zip(report.claims, result.observed) if value != c.expected)
        assert result.killing == expected_kills
        assert result.status == ("killed" if expected_kills else "survived")


@settings(max_examples=40, deadline=None)
@given(random_models(max_nodes=5), st.data())
def test_claims_skipped_as_independent_of_the_mutated_node_read_as_a_full_evaluation(model, data):
    # run_mutants evaluates a claim on a mutant only when its readout depends on the mutated node;
    # here every claim is evaluated on every mutated model, and the verdicts must agree.
    nodes = list(model.rules)
    treatments = ["none", *(f"{node}={value}" for node in nodes for value in (0, 1))]
    drawn = data.draw(st.lists(st.tuples(st.sampled_from(treatments), st.sampled_from(nodes)), min_size=1, max_size=6))
    questions = [Claim(f"c{i}", "", "default", t, readout, "*", "", "") for i, (t, readout) in enumerate(drawn)]
    values = observe(model, questions)
    claims = [dataclasses.replace(claim, expected=value) for claim, value in zip(questions, values)]
    report = run_mutants(model, claims, jobs=1)
    for result in report.results:
        if result.status != "equivalent":
            assert result.observed == observe(mutated_model(model, result.mutant), report.claims), result.mutant.id


def test_a_claim_failing_on_the_model_is_left_out(model, model_dir):
    (model_dir / "claims.csv").write_text(CLAIMS + "wrong,a wrong claim,default,none,G,0,r9\n")
    report = run_mutants(model, read_claims(model_dir / "claims.csv", model), jobs=1, kinds=["constant0"])
    assert [claim.id for claim in report.failing] == ["wrong"]
    assert all("wrong" not in r.killing for r in report.results)


def test_a_mutant_that_cannot_be_analysed_counts_as_killed_by_error(tmp_path, monkeypatch):
    from igfnet.dynamics import attractors

    # With T=1, X = X and not T percolates to 0: one attractor. A mutant that loses "not T"
    # (X = X, or X = X and T) frees X, and with a limit of one attractor the engine refuses it.
    monkeypatch.setattr(attractors, "MAX_ATTRACTORS", 1)
    (tmp_path / "m.rules").write_text("T = input 1\nX = X and not T\nG = T and not X\n")
    header = "id,claim,context,treatment,readout,expected,reference\n"
    (tmp_path / "claims.csv").write_text(header + "g,grows,default,none,G,1,r\n")
    model = load_model(tmp_path)
    report = run_mutants(model, read_claims(tmp_path / "claims.csv", model), jobs=1)
    statuses = {r.mutant.id: r.status for r in report.results}
    assert statuses["X:drop:2"] == statuses["X:flip:2"] == "error"
    assert statuses["X:constant0"] == "survived" and statuses["X:constant1"] == "killed"
    errors = [r for r in report.results if r.status == "error"]
    assert all("free inputs" in r.error and not r.killing for r in errors)
    assert report.killed() == report.count("killed") + len(errors)
    assert "X:drop:2" not in report.kill_sets()["g"]


def test_parallel_run_in_spawned_workers_equals_the_run_in_this_process(model, claims):
    here = run_mutants(model, claims, jobs=1)
    spawned = run_mutants(model, claims, jobs=2, start_method="spawn")
    assert spawned.jobs == 2
    assert [(r.mutant, r.status, r.killing, r.observed) for r in spawned.results] == [
        (r.mutant, r.status, r.killing, r.observed) for r in here.results
    ]


def test_claim_ids_must_be_unique(model, model_dir):
    from igfnet.errors import IgfnetError

    (model_dir / "claims.csv").write_text(CLAIMS + "grow,again,default,none,G,1,r9\n")
    with pytest.raises(IgfnetError, match=r"claim id 'grow' is used twice \(.*claims.csv:2 and .*claims.csv:10\)"):
        run_mutants(model, read_claims(model_dir / "claims.csv", model), jobs=1)


def test_progress_counts_every_mutant_run(model, claims):
    calls = []
    report = run_mutants(model, claims, jobs=1, progress=lambda done, total: calls.append((done, total)))
    total = report.non_equivalent()
    assert calls[0] == (0, total) and calls[-1] == (total, total)


# -- redundant and duplicate claims ------------------------------------------------------------------


def test_redundant_and_duplicate_claims(model, claims):
    report = run_mutants(model, claims, jobs=1)
    kills = report.kill_sets()
    redundant = {item.claim.id: item for item in report.redundant_claims()}
    for claim_id, item in redundant.items():
        assert item.covered_by is None or kills[claim_id] <= kills[item.covered_by]
        assert (item.covered_by is None) == (not kills[claim_id])
    for claim in report.claims:  # a claim kept is one that kills something no other claim kills
        if claim.id not in redundant:
            assert kills[claim.id] - set().union(*(kills[c.id] for c in report.claims if c.id != claim.id))
    assert redundant["grow_again"].same and redundant["grow_again"].covered_by == "grow"
    assert ("grow", "grow_again") in [tuple(c.id for c in group) for group in report.duplicate_claims()]


def claim(identifier: str) -> Claim:
    return Claim(identifier, "", "default", "none", "G", "1", "", "")


def test_redundancy_prefers_a_strictly_larger_kill_set():
    a, b, c, d = (claim(name) for name in "abcd")
    m1, m2 = (Mutant(f"G:flip:{n}", "G", "flip", "", "G") for n in (1, 2))
    results = (
        MutantResult(m1, "killed", ("a", "b", "d"), ("0", "0", "1", "0")),
        MutantResult(m2, "killed", ("a", "d"), ("0", "1", "1", "*")),
    )
    report = MutationReport(results, (a, b, c, d), (), (), baseline=("1", "1", "1", "1"))
    redundant = {item.claim.id: (item.kills, item.covered_by, item.same) for item in report.redundant_claims()}
    assert redundant == {"a": (2, "d", True), "b": (1, "a", False), "c": (0, None, False), "d": (2, "a", True)}
    # a and d kill the same mutants, but d reads '*' where a reads '1': not duplicates.
    assert report.duplicate_claims() == []


# -- the command line ---------------------------------------------------------------------------------


def test_cli_writes_one_csv_row_per_mutant(model_dir, tmp_path_factory):
    output = tmp_path_factory.mktemp("out") / "mutants.csv"
    result = CliRunner().invoke(
        main, ["validate", "--model", str(model_dir), "--mutants", "-j", "1", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(output.open()))
    model = load_model(model_dir)
    report = run_mutants(model, read_claims(model_dir / "claims.csv", model), jobs=1)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(row["id"], row["status"], row["killing_claims"]) for row in rows] == [
        (r.mutant.id, r.status, ";".join(r.killing)) for r in report.results
    ]
    assert {row["kind"] for row in rows} == set(KINDS)
    assert "R:constant1" in result.output.split("Surviving mutants")[1]
    assert f"Kill rate {report.kill_rate():.1%}" in result.output


def test_cli_progress_bar_on_a_terminal_only_and_csv_on_stdout(model_dir):
    import subprocess
    import sys

    from terminal import stderr_on_a_terminal

    arguments = [sys.executable, "-m", "igfnet", "validate", "--model", str(model_dir), "--mutants", "-j", "1"]
    done, shown = stderr_on_a_terminal(arguments, stdout=subprocess.PIPE, timeout=120)
    assert done.returncode == 0
    assert b"mutants" in shown and b"22/22" in shown  # the bar at its end: the 22 non-equivalent mutants
    piped = subprocess.run([*arguments, "--format", "csv"], capture_output=True, timeout=120)
    assert b"22/22" not in piped.stderr
    rows = list(csv.DictReader(io.StringIO(piped.stdout.decode())))
    assert len(rows) == 22 and rows[0]["id"] == "R:constant0"


def test_cli_kinds_and_min_kill_rate(model_dir):
    runner = CliRunner()
    base = ["validate", "--model", str(model_dir), "--mutants", "-j", "1"]
    only = runner.invoke(main, [*base, "--kinds", "constant0,constant1", "--min-kill-rate", "0"])
    assert only.exit_code == 0, only.output
    assert "flip" not in only.output and "constant1" in only.output
    strict = runner.invoke(main, [*base, "--min-kill-rate", "1"])
    assert strict.exit_code == 1
    assert "below --min-kill-rate 1" in strict.output


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--mutants", "--min-kill-rate", "2"], "--min-kill-rate"),
        (["--mutants", "--kinds", "invert"], "unknown kind 'invert'"),
        (["--mutants", "--output", "x.txt"], "write a .csv file"),
        (["--output", "x.csv"], "only with --mutants"),
        (["--kinds", "drop"], "only with --mutants"),
        (["--min-kill-rate", "0"], "only with --mutants"),
        (["--mutants", "--failed-only"], "not with --mutants"),
        (["--mutants", "--output", "claims.csv"], "would overwrite the model being read"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(model_dir, arguments, message, monkeypatch):
    monkeypatch.chdir(model_dir)
    result = CliRunner().invoke(main, ["validate", "--model", str(model_dir), *arguments])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


# -- pickling the values parsers produce ---------------------------------------------------------------


def test_real_parsed_models_and_claims_pickle_for_worker_processes():
    model = load_model()
    model.graph  # noqa: B018 - cached, and pickled with the model
    copied = pickle.loads(pickle.dumps(model))
    assert copied.rules == model.rules and copied.drugs == model.drugs and copied.contexts == model.contexts
    assert copied.directory == model.directory and set(copied.graph.edges) == set(model.graph.edges)
    assert isinstance(copied.rules["AKT"].annotations, FrozenMap)
    claims = read_claims(model.directory / "claims.csv", model)
    assert pickle.loads(pickle.dumps(claims)) == claims
    found = mutants(model)
    assert pickle.loads(pickle.dumps(found)) == found


# -- the bundled model: invariants only (its rules and claims are being rewritten) ---------------------


def test_bundled_model_mutants_are_classified_and_equivalence_is_exact():
    model = load_model()
    found = mutants(model)
    for mutant in found:
        names = sorted(variables(model.rules[mutant.node].expression))
        same = function_of(mutant.expression, names) == function_of(model.rules[mutant.node].expression, names)
        assert mutant.equivalent == same, mutant.id
    claims = read_claims(model.directory / "claims.csv", model)
    report = run_mutants(model, claims, kinds=["constant0"], jobs=2)
    assert {r.mutant.id for r in report.results} == {m.id for m in found if m.kind == "constant0"}
    assert all(r.status in ("killed", "survived", "equivalent", "error") for r in report.results)
    assert all((r.status == "killed") == bool(r.killing) for r in report.results)
    rate = report.kill_rate()
    assert rate is not None and 0 <= rate <= 1
    assert not set(report.setup_checks) & set(report.claims)
