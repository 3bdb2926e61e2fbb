"""igfnet biomarkers: statistics against independent computations, responses against the attractor engine."""

from __future__ import annotations

import csv
import io
import math
import random

import pytest
from click.testing import CliRunner

from igfnet.analysis.biomarkers import (
    BIOMARKERS,
    Biomarker,
    Cohort,
    TumourResult,
    biomarker_cohort,
    biomarker_statistics,
    odds_ratio,
    predictive_rules,
)
from igfnet.cli import main
from igfnet.errors import IgfnetError, UnknownInterventionError, UnknownNodeError
from igfnet.formats import load_model
from igfnet.perturb import parse_treatment

# A ligand L drives a receptor R and growth G; a mutation M bypasses R.
RULES = """
L = input 1
M = input 0
R = L
G = R or M
"""
DRUGS = "drug blocker\n    class: anti-IGF-1R monoclonal antibody\n    inhibits: R\n"
LIGAND = Biomarker("ligand", "ligand", {"L": 1}, {"L": 0}, {"*": "response"})
BYPASS = Biomarker("bypass", "bypass mutation", {"M": 1}, {"M": 0}, {"*": "resistance"})


@pytest.fixture
def toy(tmp_path):
    (tmp_path / "m.rules").write_text(RULES)
    (tmp_path / "drugs.txt").write_text(DRUGS)
    return load_model(tmp_path)


def fisher_two_sided(a: int, b: int, c: int, d: int) -> float:
    """Fisher's exact test from the hypergeometric law: the tables with the same margins no likelier than this one."""
    row, column, n = a + b, a + c, a + b + c + d

    def probability(x: int) -> float:
        return math.comb(row, x) * math.comb(n - row, column - x) / math.comb(n, column)

    observed = probability(a)
    low, high = max(0, column - (n - row)), min(row, column)
    return sum(p for x in range(low, high + 1) if (p := probability(x)) <= observed * (1 + 1e-7))


# -- statistics --------------------------------------------------------------------


def test_odds_ratio_and_wald_interval_on_a_known_table():
    # OR = 10*12 / (5*4) = 6; SE = sqrt(1/10 + 1/5 + 1/4 + 1/12) = 0.79582
    ratio = odds_ratio(10, 5, 4, 12)
    assert ratio.value == pytest.approx(6.0)
    assert (ratio.low, ratio.high) == pytest.approx(
        (6 * math.exp(-1.959964 * 0.795822), 6 * math.exp(1.959964 * 0.795822))
    )
    assert not ratio.corrected


def test_haldane_anscombe_correction_only_with_a_zero_cell():
    ratio = odds_ratio(3, 0, 1, 4)
    assert ratio.corrected and ratio.value == pytest.approx(3.5 * 4.5 / (0.5 * 1.5))
    assert ratio.low < ratio.value < ratio.high


def hand_cohort(table: tuple[int, int, int, int]) -> Cohort:
    """A one-biomarker cohort whose evaluable tumours make the given 2x2 table, plus a non-growing tumour."""
    a, b, c, d = table
    rows = []
    for present, responds, count in ((True, True, a), (True, False, b), (False, True, c), (False, False, d)):
        rows += [TumourResult(len(rows) + i, (present,), True, (responds,), (float(responds),)) for i in range(count)]
    rows.append(TumourResult(len(rows), (True,), False, (True,), (1.0,)))  # not evaluable: must not count
    return Cohort((LIGAND,), (), ("blocker",), ("antibody",), ("G", "0"), tuple(rows), True, 1, 0.0, 1)


@pytest.mark.parametrize("table", [(7, 2, 3, 9), (0, 5, 6, 2), (12, 1, 12, 1), (1, 9, 4, 30)])
def test_fisher_p_and_table_from_a_hand_made_cohort(table):
    (statistic,) = biomarker_statistics(hand_cohort(table))
    assert statistic.table == table
    assert statistic.fisher_p == pytest.approx(fisher_two_sided(*table), rel=1e-6)
    a, b, c, d = table
    assert statistic.rate_present == pytest.approx(a / (a + b)) and statistic.rate_absent == pytest.approx(c / (c + d))


def test_sampled_direction_needs_significance():
    (weak,) = biomarker_statistics(hand_cohort((3, 3, 2, 4)))  # p = 1
    (strong,) = biomarker_statistics(hand_cohort((20, 2, 3, 19)))
    assert (weak.model_direction, weak.agreement) == ("n.s.", "n.s.")
    assert (strong.model_direction, strong.agreement) == ("response", "agrees")


def test_a_review_direction_against_no_association_disagrees():
    # 6 of 12 respond with and without the biomarker: the model shows no association at all.
    (flat,) = biomarker_statistics(hand_cohort((6, 6, 6, 6)))
    assert flat.model_direction == "no effect" and flat.agreement == "disagrees"


# -- the cohort on a model a person can check -------------------------------------------


def test_toy_cohort_by_hand(toy):
    cohort = biomarker_cohort(toy, [LIGAND, BYPASS], ["blocker"], ("G", "0"), jobs=1)
    # (ligand, bypass): (0,0) does not grow; (0,1) grows on M and resists; (1,0) responds; (1,1) resists.
    assert [(row.states, row.evaluable, row.responds) for row in cohort.rows] == [
        ((False, False), False, (True,)),
        ((False, True), True, (False,)),
        ((True, False), True, (True,)),
        ((True, True), True, (False,)),
    ]
    ligand, bypass = biomarker_statistics(cohort)
    assert ligand.table == (1, 1, 0, 1) and bypass.table == (0, 2, 1, 0)
    # The ligand is associated with response only because ligand-less tumours grow only on the bypass:
    # no pair of twins changes its response.
    assert (ligand.model_direction, ligand.gained_response, ligand.lost_response) == ("response", 0, 0)
    assert ligand.model_effect == "none"
    assert (bypass.gained_response, bypass.lost_response, bypass.model_effect) == (0, 1, "resistance")
    # Judged one way, by the association: the ligand agrees, but only through which tumours grow.
    assert (ligand.agreement, ligand.selection_only) == ("agrees", True)
    assert (bypass.agreement, bypass.selection_only) == ("agrees", False)
    (rule,) = predictive_rules(cohort, "blocker", "response")
    assert str(rule) == "not bypass mutation" and (rule.precision, rule.coverage) == (1.0, 1.0)


def test_parallel_workers_give_the_same_cohort(toy):
    one = biomarker_cohort(toy, [LIGAND, BYPASS], ["blocker", "none"], ("G", "0"), jobs=1)
    two = biomarker_cohort(toy, [LIGAND, BYPASS], ["blocker", "none"], ("G", "0"), jobs=2)
    assert one.rows == two.rows and two.jobs == 2


def test_bad_biomarkers_and_treatments_fail_before_any_work(toy):
    with pytest.raises(UnknownNodeError, match="'Q'"):
        biomarker_cohort(toy, [Biomarker("q", "q", {"Q": 1}, {"Q": 0})], ["blocker"], ("G", "0"))
    with pytest.raises(UnknownInterventionError, match="unknown drug 'blockr'"):
        biomarker_cohort(toy, [LIGAND], ["blockr"], ("G", "0"))
    clash = Biomarker("clash", "clash", {"L": 1}, {"L": 0})  # clashes with LIGAND only when their states differ
    with pytest.raises(IgfnetError, match="fixes L=., another fixes L=."):
        biomarker_cohort(toy, [LIGAND, clash], ["blocker"], ("G", "0"))


# -- the bundled model ------------------------------------------------------------------


# Without three of the four bypasses (each resists in half the cohort) responders are common enough for a sample.
SOME = [b for b in BIOMARKERS if b.key not in ("her2_amp", "er_pos", "pik3ca_mut")]


@pytest.fixture(scope="module")
def sampled():
    return biomarker_cohort(load_model(), SOME, sample=150, seed=7, jobs=1)


def test_cohort_responses_equal_the_attractor_engine(sampled):
    model = load_model()
    for row in random.Random(1).sample(sampled.rows, 12):
        settings = sampled.settings(row.states)
        untreated = model.attractors(settings=settings)
        assert row.evaluable == any(a["Proliferation"] != "0" for a in untreated)
        for treatment, responds in zip(sampled.treatments, row.responds):
            given = parse_treatment(model, treatment)
            reached = model.attractors(settings=settings, initial="untreated", treatment=given)
            assert responds == all(a["Proliferation"] == "0" for a in reached), (settings, treatment)


def test_sample_is_deterministic_and_seeded(sampled):
    again = biomarker_cohort(load_model(), SOME, sample=150, seed=7, jobs=2)
    assert again.rows == sampled.rows and again.sampled and again.seed == 7
    other = biomarker_cohort(load_model(), SOME, ["figitumumab"], sample=150, seed=8, jobs=1)
    assert [r.index for r in other.rows] != [r.index for r in sampled.rows]
    assert len({r.index for r in sampled.rows}) == 150


def test_rules_claims_recomputed_from_the_cohort(sampled):
    evaluable = sampled.evaluable
    keys = [b.key for b in sampled.factors]
    for t, treatment in enumerate(sampled.treatments):
        for outcome in ("response", "resistance"):
            rules = predictive_rules(sampled, treatment, outcome, max_size=3)
            assert rules
            wanted = [row for row in evaluable if row.responds[t] == (outcome == "response")]
            for rule in rules:

                def matches(row, terms=rule.terms):
                    return all(row.states[keys.index(b.key)] == present for b, present in terms)

                matched = [row for row in evaluable if matches(row)]
                hits = [row for row in matched if row.responds[t] == (outcome == "response")]
                assert (rule.matched, rule.hits, rule.total) == (len(matched), len(hits), len(wanted))
                assert rule.precision == len(hits) / len(matched)
                if rule.precision == 1:  # minimal: dropping any term lets in a tumour without the outcome
                    for k in range(len(rule.terms)):
                        shorter = rule.terms[:k] + rule.terms[k + 1 :]
                        if shorter:
                            assert any(
                                matches(row, shorter) and row.responds[t] != (outcome == "response")
                                for row in evaluable
                            )


def test_bundled_table3_directions_on_the_full_cohort_subset():
    # PTEN loss, IGF-2 and IR on a cohort of 8: the antibody/TKI contrast of the review's text.
    chosen = [b for b in BIOMARKERS if b.key in ("igf2_high", "pten_loss", "ir_expr")]
    cohort = biomarker_cohort(load_model(), chosen, jobs=1)
    stats = {(s.treatment, s.biomarker.key): s for s in biomarker_statistics(cohort)}
    assert stats["figitumumab", "pten_loss"].agreement == "agrees"
    assert stats["figitumumab", "igf2_high"].model_effect == "resistance"  # IGF-2 -> IR-A, spared by antibodies
    assert stats["osi906", "igf2_high"].model_effect == "none"
    assert stats["figitumumab", "ir_expr"].model_effect == "resistance"
    assert stats["osi906", "ir_expr"].agreement == "agrees"  # TKIs block IR: no effect of its own


# -- the command line -----------------------------------------------------------------------


def test_cli_csv_tables_recomputed_from_per_tumour_rows(tmp_path):
    cohort_file, stats_file, figure = tmp_path / "tumours.csv", tmp_path / "stats.csv", tmp_path / "forest.png"
    result = CliRunner().invoke(
        main,
        ["biomarkers", "--sample", "60", "--seed", "3", "--jobs", "1", "--format", "csv", "--output", str(stats_file)]
        + ["--cohort", str(cohort_file), "--plot", str(figure), "-t", "figitumumab+pi3k_inhibitor"],
    )
    assert result.exit_code == 0, result.output
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    tumours = list(csv.DictReader(io.StringIO(cohort_file.read_text())))
    assert len(tumours) == 60
    stats = list(csv.DictReader(io.StringIO(stats_file.read_text())))
    assert {row["treatment"] for row in stats} == {"figitumumab", "osi906", "figitumumab+pi3k_inhibitor"}
    for row in stats:
        column = row["alias_of"] or row["biomarker"]
        counts = {(p, r): 0 for p in "10" for r in "10"}
        for tumour in tumours:
            if tumour["evaluable"] == "1":
                counts[tumour[column], tumour[f"{row['treatment']}:responds"]] += 1
        table = (counts["1", "1"], counts["1", "0"], counts["0", "1"], counts["0", "0"])
        reported = tuple(int(row[k]) for k in ("present_responders", "present_nonresponders"))
        reported += tuple(int(row[k]) for k in ("absent_responders", "absent_nonresponders"))
        assert reported == table, row
        assert float(row["fisher_p"]) == pytest.approx(fisher_two_sided(*table), rel=1e-2)


def test_cli_table_names_the_verdicts_and_the_caveat():
    result = CliRunner().invoke(
        main, ["biomarkers", "--sample", "40", "--jobs", "1", "--no-default-treatments", "-t", "osi906"]
    )
    assert result.exit_code == 0, result.output
    assert "osi906 (kinase inhibitor)" in result.output and "figitumumab" not in result.output
    assert "not patient statistics" in result.output and "Haldane-Anscombe" in result.output
    assert "= IGF-1R copy number gain" in result.output


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["-t", "figitumumabb"], "unknown drug 'figitumumabb'"),
        (["--sample", "0"], "--sample"),
        (["--plot", "forest.gif"], "--plot"),
        (["--response", "Proliferation"], "NODE=0 or NODE=1"),
        (["--response", "Prolif=0"], "unknown response node 'Prolif'"),
        (["--no-default-treatments"], "no treatment"),
    ],
)
def test_cli_user_errors_exit_2(arguments, message):
    result = CliRunner().invoke(main, ["biomarkers", "--sample", "5", "--jobs", "1", *arguments])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_fixing_irs1_in_the_tumour_equals_an_expression_input(tmp_path):
    # The cohort fixes IRS1=0 for "IRS-1 not expressed"; a model with an IRS1_expr input gating IRS1 must agree.
    import shutil

    from igfnet.formats import bundled_rules_path

    directory = tmp_path / "variant"
    shutil.copytree(bundled_rules_path(), directory)
    adaptors = directory / "adaptors.rules"
    text = adaptors.read_text()
    assert "\nIRS1 = IGF1R or INSR or HYBRID_R\n" in text
    text = text.replace(
        "\nIRS1 = IGF1R or INSR or HYBRID_R\n",
        "\nIRS1_expr = input 1\n    evidence: test\n\nIRS1 = (IGF1R or INSR or HYBRID_R) and IRS1_expr\n",
    )
    adaptors.write_text(text)
    gated = [
        Biomarker("irs1", "IRS-1 expression", {"IRS1_expr": 1}, {"IRS1_expr": 0}) if b.key == "irs1" else b
        for b in SOME
    ]
    fixed = biomarker_cohort(load_model(), SOME, sample=40, seed=11, jobs=1)
    variant = biomarker_cohort(load_model(directory), gated, sample=40, seed=11, jobs=1)
    assert [(r.states, r.evaluable, r.responds) for r in fixed.rows] == [
        (r.states, r.evaluable, r.responds) for r in variant.rows
    ]


def test_biomarkers_and_cohorts_pickle_for_worker_processes(toy):
    import pickle

    assert pickle.loads(pickle.dumps(BIOMARKERS)) == BIOMARKERS
    cohort = biomarker_cohort(toy, [LIGAND, BYPASS], ["blocker"], ("G", "0"), jobs=1)
    assert pickle.loads(pickle.dumps(cohort)).rows == cohort.rows


def test_response_solver_takes_settings_on_top_of_a_context():
    from igfnet.analysis.response import ResponseSolver

    solver = ResponseSolver(load_model())
    lost = solver.response("default", "figitumumab", {"PTEN": 0})
    assert lost.reached == solver.response("pten_loss", "figitumumab").reached
    assert lost.readout("Proliferation") == "1"
    assert solver.response("pten_loss", "figitumumab", {"PTEN": 1}).readout("Proliferation") == "0"
    assert solver.response("default", "figitumumab").readout("Proliferation") == "0"  # cached apart from the settings
    solver.forget_untreated()
    assert solver.response("default", "figitumumab", {"PTEN": 0}).reached == lost.reached


def test_er_is_judged_and_inferred_directions_are_labelled():
    by_key = {b.key: b for b in BIOMARKERS}
    assert by_key["er_pos"].expectation("antibody") == "resistance" and by_key["er_pos"].inferred
    assert not by_key["pten_loss"].inferred  # Table 3 states it
    result = CliRunner().invoke(main, ["biomarkers", "--sample", "64", "--seed", "1", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "resistance?" in result.output and "inference" in result.output


# -- the biomarkers file ---------------------------------------------------------------------

GOOD_BLOCKS = """
# comments and blank lines are skipped
biomarker ligand
    label: ligand high
    present: L=1
    absent: L=0
    expected: * = response
    references: [1, 2]
    statement: a statement, with commas
    inferred: yes

biomarker receptor
    label: receptor, an alias
    absent: R=0, M=0
    expected: antibody = resistance
    expected: kinase inhibitor = no effect
    source: text
    alias_of: ligand
"""


def test_biomarker_blocks_parse_into_values_with_every_field():
    from igfnet.analysis.biomarkers import parse_biomarkers

    ligand, receptor = parse_biomarkers(GOOD_BLOCKS, "b.txt")
    assert ligand == Biomarker(
        "ligand", "ligand high", {"L": 1}, {"L": 0}, {"*": "response"}, "Table 3", "[1, 2]",
        "a statement, with commas", None, "", True,
    )  # fmt: skip
    assert (dict(receptor.present), dict(receptor.absent)) == ({}, {"R": 0, "M": 0})
    assert receptor.expectation("antibody") == "resistance" and receptor.expectation("kinase inhibitor") == "no effect"
    assert (receptor.source, receptor.alias_of, receptor.inferred) == ("text", "ligand", False)


@pytest.mark.parametrize(
    ("bad", "line", "message"),
    [
        ("    present: L=2", 5, "expected NODE=0 or NODE=1, got 'L=2'"),
        ("    expected: antibody = cures", 5, "DIRECTION one of"),
        ("    expected: vaccine = response", 5, "CLASS one of"),
        ("    colour: blue", 5, "unknown key 'colour'"),
        ("    label: twice", 5, "'label' given twice"),
        ("    inferred: maybe", 5, "inferred is yes or no"),
        ("    alias_of: nothing", 5, "alias of 'nothing', which the file does not define"),
        ("biomarker ligand", 5, "'ligand' is defined twice"),
        ("marker x", 5, "expected 'biomarker KEY'"),
    ],
)
def test_a_bad_biomarker_block_is_one_error_naming_file_and_line(tmp_path, bad, line, message):
    from igfnet.analysis.biomarkers import read_biomarkers
    from igfnet.errors import InputFileError

    path = tmp_path / "biomarkers.txt"
    path.write_text(f"biomarker ligand\n    label: ligand\n    absent: L=0\n    source: text\n{bad}\n")
    with pytest.raises(InputFileError, match=message) as caught:
        read_biomarkers(path)
    assert f"{path}:{line}" in str(caught.value)


def test_the_bundled_biomarkers_are_the_data_file():
    from igfnet.analysis.biomarkers import read_biomarkers
    from igfnet.formats import bundled_rules_path

    assert read_biomarkers(bundled_rules_path() / "biomarkers.txt") == BIOMARKERS
    assert len({b.key for b in BIOMARKERS}) == len(BIOMARKERS) > 0
    check = load_model()
    for biomarker in BIOMARKERS:  # every node it names is the bundled model's
        check.check_nodes([*biomarker.present, *biomarker.absent])
