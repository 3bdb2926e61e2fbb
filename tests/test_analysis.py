"""compare and validate: the questions users ask, on hand-made models and on the bundled model."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from igfnet.analysis.compare import compare
from igfnet.analysis.validate import read_claims, validate
from igfnet.cli import main
from igfnet.errors import InputFileError, PerturbationError, UnknownInterventionError
from igfnet.formats import load_model

# A receptor R drives growth G; a mutation M bypasses R; a memory node K, once on, keeps G on.
RULES = """
L = input 1
M = input 0
R = L
K = S and (R or K)
S = input 0
G = R or M or K
"""
DRUGS = "drug blocker\n    inhibits: R\n"
CONTEXTS = "context mutant\n    set: M=1\ncontext primed\n    set: S=1\n"


@pytest.fixture
def model(tmp_path):
    (tmp_path / "m.rules").write_text(RULES)
    (tmp_path / "drugs.txt").write_text(DRUGS)
    (tmp_path / "contexts.txt").write_text(CONTEXTS)
    return load_model(tmp_path)


def test_verdicts_follow_the_cell_from_its_untreated_state(model):
    cells = {
        (c.context, c.treatment): c
        for c in compare(model, ["default", "mutant", "primed"], ["blocker", "none"], ["G"], ("G", "0"))
    }
    assert cells["default", "blocker"].verdict == "responds"
    assert cells["mutant", "blocker"].verdict == "resists"  # bypass
    assert cells["primed", "blocker"].verdict == "resists"  # memory: K latched on before treatment
    assert cells["default", "none"].verdict == "resists"


def test_mixed_verdict_counts_reachable_attractors(tmp_path):
    # Under blockade, a race between X and Y decides the outcome: X latches growth, Y prevents it.
    (tmp_path / "m.rules").write_text(
        "R = input 1\nX = not R and (not Y or X)\nY = not R and (not X or Y)\nG = R or X\n"
    )
    (tmp_path / "drugs.txt").write_text(DRUGS)
    (cell,) = compare(load_model(tmp_path), ["default"], ["blocker"], ["G"], ("G", "0"))
    assert (cell.verdict, cell.reached, cell.responding, cell.share) == ("mixed", 2, 1, 0.5)


def test_unknown_treatment_fails_before_any_work(model, monkeypatch):
    from igfnet.dynamics.reachability import Reachability

    searched: list[object] = []  # every question reaches the dynamics through these two calls
    monkeypatch.setattr(Reachability, "untreated", lambda self, functions: searched.append(functions))
    monkeypatch.setattr(Reachability, "reached", lambda self, *arguments: searched.append(arguments))
    with pytest.raises(UnknownInterventionError, match="unknown drug 'blockr'"):
        compare(model, ["default"], ["blocker", "blockr"], ["G"], ("G", "0"))
    assert searched == []


@pytest.mark.parametrize(
    "treatment, message",
    [
        ("blocker,K=0", "',' in item 'blocker,K=0'"),
        ("blocker+", "empty item"),
        ("blocker+blocker", "appears twice"),
        ("K=0+K=1", "fixes K=1"),
        ("K=2", "expected NODE=0 or NODE=1"),
    ],
)
def test_compare_reads_treatments_with_the_strict_combination_syntax(model, treatment, message):
    with pytest.raises(PerturbationError, match=re.escape(message)):
        compare(model, ["default"], [treatment], ["G"], ("G", "0"))


def test_claims_file_errors_name_the_line(model, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("id,claim,context,treatment,readout,expected,reference\nc1,x,default,none,G,maybe,r\n")
    with pytest.raises(InputFileError, match="claims.csv:2: claim 'c1': expected must be 0, 1 or \\*"):
        read_claims(path, model)


def test_validate_reports_pass_and_fail(model, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(
        "id,claim,context,treatment,readout,expected,reference\n"
        "ok,blockade stops growth,default,blocker,G,0,r1\n"
        "wrong,blockade stops growth in mutants,mutant,blocker,G,0,r2\n"
    )
    verdicts = {v.claim.id: v for v in validate(model, read_claims(path, model))}
    assert verdicts["ok"].passed and not verdicts["wrong"].passed
    result = CliRunner().invoke(main, ["validate", "--model", str(model.directory), "--claims", str(path)])
    assert result.exit_code == 1
    assert "1 of 2 claims hold; 1 fail." in result.output


def test_bundled_model_claims_all_hold():
    result = CliRunner().invoke(main, ["validate", "--failed-only"])
    assert result.exit_code == 0, result.output
    assert "0 fail" in result.output


def test_bundled_compare_matches_the_review_where_it_speaks():
    cells = {
        (c.context, c.treatment): c.verdict
        for c in compare(
            load_model(), None, ["figitumumab", "osi906", "dalotuzumab+ridaforolimus", "figitumumab+trastuzumab"]
        )
    }
    assert cells["default", "figitumumab"] == "responds"  # IGF-driven cell
    assert cells["ewing_sarcoma", "figitumumab"] == "responds"
    assert cells["pten_loss", "figitumumab"] == "resists"  # constitutive PI3K-AKT
    assert cells["high_insulin", "figitumumab"] == "resists"  # IR compensation under the antibody ...
    assert cells["high_insulin", "osi906"] == "responds"  # ... but not under the kinase inhibitor
    assert cells["her2_trastuzumab_resistant", "figitumumab+trastuzumab"] == "responds"


def test_compare_cli_outputs_and_plot(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main, ["compare", "-c", "default", "-c", "pten_loss", "-t", "figitumumab", "--format", "csv"]
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("context,treatment,verdict,responding_share")
    assert lines[1].startswith("default,figitumumab,responds,1.0") and lines[2].startswith(
        "pten_loss,figitumumab,resists,0.0"
    )
    figure = tmp_path / "heat.png"
    result = runner.invoke(main, ["compare", "-c", "default", "-t", "figitumumab", "--plot", str(figure)])
    assert result.exit_code == 0 and figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = runner.invoke(main, ["compare", "-t", "figitumumab+", "--plot", str(tmp_path / "x.gif")])
    assert result.exit_code == 2


def test_list_and_show():
    runner = CliRunner()
    shown = runner.invoke(main, ["show", "AKT"]).output
    assert "AKT = PDK1" in shown and "PDK1 (activation)" in shown and "evidence:" in shown
    drugs = runner.invoke(main, ["list", "drugs"]).output
    assert "osi906" in drugs and "INSR=0" in drugs
    assert runner.invoke(main, ["show", "AKTT"]).exit_code == 2
