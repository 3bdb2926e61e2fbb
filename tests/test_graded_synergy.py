"""--score probability in compare and screen, and graded synergy (HSA, Bliss) computed by hand."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import random_models

from igfnet.analysis.compare import cells_to_frame, compare
from igfnet.analysis.response import ResponseSolver
from igfnet.analysis.screen import (
    ScreenResult,
    graded_synergy,
    plan_screen,
    read_journal,
    run_screen,
)
from igfnet.cli import main
from igfnet.errors import IgfnetError
from igfnet.formats import load_model

# Two independent races, each lost (growth G latched on) when X wins. X needs W (one step) before it
# can move, Y can move at once: Y moves first with 1/2, else W does and then X and Y are even, so X
# wins with 1/2 * 1/2 = 1/4 and Y with 3/4. Under the base R=0:
#   P(G=0) = (3/4)^2 = 9/16; with Y1=1 (race 1 won) 3/4; with Y2=1 3/4; with both 1.
# Shares (of the reachable attractors): 1/4; 1/2; 1/2; 1.
# HSA excess (probability) = 1 - 3/4 = 1/4; Bliss = 1 - (1 - (1 - 3/4)^2) = 1/16.
# HSA excess (share)       = 1 - 1/2 = 1/2; Bliss = 1 - (1 - (1 - 1/2)^2) = 1/4.
TWO_RACES = """
R = input 1
W1 = not R
X1 = W1 and (not Y1 or X1)
Y1 = not R and (not X1 or Y1)
W2 = not R
X2 = W2 and (not Y2 or X2)
Y2 = not R and (not X2 or Y2)
G = X1 or X2 or R
"""


@pytest.fixture
def races(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "m.rules").write_text(TWO_RACES)
    return load_model(tmp_path / "model")


def screen(model, score: str) -> ScreenResult:
    plan = plan_screen(model, base="R=0", combinations=["Y1=1+Y2=1"], readouts=["G"], response=("G", "0"), score=score)
    return run_screen(model, plan, jobs=1)


def test_base_probability_is_the_product_of_the_two_races(races):
    result = ResponseSolver(races).probability("default", "R=0", response={"G": 0})
    assert (result.exact, result.method) == (Fraction(9, 16), "exact")
    # Four attractors (each race either way); the probability of each is the product of its races'.
    assert sorted(p for _, p in result.absorption) == [1 / 16, 3 / 16, 3 / 16, 9 / 16]


def test_graded_synergy_on_the_probability_of_response(races):
    rows = {row.combination: row for row in screen(races, "probability").rows}
    assert [(rows[c].probability, rows[c].method) for c in ("Y1=1", "Y2=1", "Y1=1+Y2=1")] == [
        (0.75, "exact"),
        (0.75, "exact"),
        (1.0, "exact"),
    ]
    pair = rows["Y1=1+Y2=1"]
    assert (pair.hsa, pair.bliss) == (pytest.approx(1 / 4), pytest.approx(1 / 16))
    assert rows["Y1=1"].hsa is None and rows["Y1=1"].bliss is None  # a single has no parts


def test_graded_synergy_on_the_share(races):
    rows = {row.combination: row for row in screen(races, "share").rows}
    assert [rows[c].score for c in ("Y1=1", "Y2=1", "Y1=1+Y2=1")] == [0.5, 0.5, 1.0]
    assert all(row.probability is None and row.method == "" for row in rows.values())
    pair = rows["Y1=1+Y2=1"]
    assert (pair.hsa, pair.bliss) == (pytest.approx(1 / 2), pytest.approx(1 / 4))


def test_graded_view_ranks_by_mean_bliss(races):
    (graded,) = screen(races, "probability").graded()
    assert (graded.combination, graded.contexts, graded.best_context) == ("Y1=1+Y2=1", 1, "default")
    assert (graded.mean_bliss, graded.mean_hsa) == (pytest.approx(1 / 16), pytest.approx(1 / 4))


def test_graded_synergy_formulas():
    # A combination below what its singles promise has negative excess.
    assert graded_synergy(0.5, [0.5, 0.5]) == (0.0, pytest.approx(-0.25))
    assert graded_synergy(1.0, [0.0, 0.0, 0.0]) == (1.0, 1.0)
    hsa, bliss = graded_synergy(0.9, [0.2, 0.5, 0.6])  # Bliss: 1 - 0.8 * 0.5 * 0.4 = 0.84
    assert (hsa, bliss) == (pytest.approx(0.3), pytest.approx(0.06))


def test_score_probability_survives_the_journal_and_is_not_resumed_as_a_share(races, tmp_path):
    journal = tmp_path / "rows.partial.csv"
    plan = plan_screen(races, base="R=0", combinations=["Y1=1+Y2=1"], readouts=["G"], response=("G", "0"))
    by_probability = plan_screen(
        races, base="R=0", combinations=["Y1=1+Y2=1"], readouts=["G"], response=("G", "0"), score="probability"
    )
    first = run_screen(races, by_probability, jobs=1, journal=journal)
    resumed = run_screen(races, by_probability, jobs=1, journal=journal, resume=True)
    assert resumed.rows == first.rows
    with pytest.raises(IgfnetError, match="another screen's rows"):
        read_journal(journal, plan)


def test_unknown_score_is_an_error(races):
    with pytest.raises(IgfnetError, match="score 'odds'"):
        plan_screen(races, base="R=0", combinations=["Y1=1"], response=("G", "0"), score="odds")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=random_models(max_nodes=6), data=st.data())
def test_screen_probabilities_equal_the_response_solvers(model, data):
    # The screen solves the chain only for mixed rows (all or none responding is exactly 1 or 0).
    assume(len(model.nodes) >= 2)
    first, second = data.draw(st.lists(st.sampled_from(model.nodes), min_size=2, max_size=2, unique=True))
    node = data.draw(st.sampled_from(model.nodes))
    plan = plan_screen(
        model, base="none", combinations=[f"{first}=0+{second}=1"], readouts=[node], response=(node, "0"),
        score="probability",
    )  # fmt: skip
    solver = ResponseSolver(model)
    for row in run_screen(model, plan, jobs=1).rows:
        expected = solver.probability(row.context, row.combination, response={node: 0})
        assert row.probability == pytest.approx(expected.value, abs=1e-12)


# -- the command line ---------------------------------------------------------------------


def test_cli_screen_writes_scores_and_graded_synergy(races, tmp_path):
    output = tmp_path / "rows.parquet"
    result = CliRunner().invoke(
        main,
        ["screen", "-m", str(races.directory), "--base", "R=0", "--combination", "Y1=1+Y2=1"]
        + ["--response", "G=0", "--readout", "G", "--score", "probability", "-j", "1", "-O", str(output)],
    )
    assert result.exit_code == 0, result.output
    assert "Graded synergy on the probability of response" in result.stdout
    assert "Y1=1+Y2=1    +0.062  +0.250" in result.stdout
    import pandas

    frame = pandas.read_parquet(output).set_index("combination")
    assert frame.loc["Y1=1", "score"] == 0.75 and frame.loc["Y1=1", "score_method"] == "exact"
    assert math.isnan(frame.loc["Y1=1", "bliss_excess"])
    assert frame.loc["Y1=1+Y2=1", "bliss_excess"] == pytest.approx(1 / 16)


def test_cli_rejects_an_unknown_score(races):
    result = CliRunner().invoke(main, ["screen", "-m", str(races.directory), "--score", "odds"])
    assert result.exit_code == 2 and "'odds' is not one of 'share', 'probability'" in result.output


def test_compare_adds_the_probability_only_when_asked(races):
    (share,) = compare(races, ["default"], ["R=0"], ["G"], ("G", "0"))
    (cell,) = compare(races, ["default"], ["R=0"], ["G"], ("G", "0"), score="probability")
    assert share.probability is None and "response_probability" not in cells_to_frame([share])
    assert cell.probability is not None and cell.probability.exact == Fraction(9, 16)
    assert (cell.share, cell.verdict) == (share.share, share.verdict) == (0.25, "mixed")
    frame = cells_to_frame([cell])
    assert frame.loc[0, "response_probability"] == 0.5625 and frame.loc[0, "probability_method"] == "exact"


def test_cli_compare_table_shows_the_probability(races):
    result = CliRunner().invoke(
        main,
        ["compare", "-m", str(races.directory), "-t", "R=0", "-t", "none"]
        + ["--readout", "G", "--response", "G=0", "--score", "probability", "--long"],
    )
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("R=0"))
    assert row.split()[1:4] == ["mixed", "0.25", "0.562"]


def test_parallel_probability_rows_equal_serial_rows(races):
    plan = plan_screen(
        races, base="R=0", combinations=["Y1=1+Y2=1", "X1=0"], readouts=["G"], response=("G", "0"), score="probability"
    )
    serial = run_screen(races, plan, jobs=1)
    parallel = run_screen(races, plan, jobs=2, chunk_size=1)
    assert parallel.rows == serial.rows
    assert {row.combination: row.probability for row in parallel.rows}["X1=0"] == 0.75  # race 1 won, as with Y1=1
