"""The command line, as a user meets it: output, exit status, and one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from reference import brute_force_attractors

from igfnet.cli import main
from igfnet.formats import load_model

TOGGLE = "targets, factors\nA, !B\nB, !A\nC, A & !C\nS, S\n"


@pytest.fixture
def toggle(tmp_path):
    path = tmp_path / "toggle.bnet"
    path.write_text(TOGGLE)
    return path


def run(*arguments):
    result = CliRunner().invoke(main, [str(argument) for argument in arguments])
    return result


def test_json_lists_every_attractor_with_states_and_a_full_pattern(toggle):
    result = run("attractors", "--model", toggle, "--set", "S=1", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    patterns = sorted(("".join(a["pattern"][n] for n in "ABCS"), a["states"]) for a in data["attractors"])
    functions = {node: rule.expression for node, rule in load_model(toggle).rules.items()} | {"S": True}
    assert patterns == brute_force_attractors(functions)
    assert data["semantics"] == "fully asynchronous"


@pytest.mark.parametrize("output_format", ["json", "csv"])
def test_the_streamed_listing_is_the_same_on_stdout_and_in_a_file(toggle, tmp_path, output_format):
    from igfnet.dynamics.attractors import attractors_of_model
    from igfnet.io import csv_text
    from igfnet.perturb import Perturbation

    out = tmp_path / f"listing.{output_format}"
    printed = run("attractors", "-m", toggle, "--format", output_format).output
    assert run("attractors", "-m", toggle, "--output", out).exit_code == 0
    assert out.read_text() == printed
    result = attractors_of_model(load_model(toggle), Perturbation())
    if output_format == "json":  # the indented layout, built independently of the streaming writer
        document = result.to_dict()
        rows = ",\n".join("  " + json.dumps(attractor) for attractor in document.pop("attractors"))
        header = "".join(f" {json.dumps(key)}: {json.dumps(value)},\n" for key, value in document.items())
        assert printed == "{\n" + header + ' "attractors": [\n' + rows + "\n ]\n}\n"
    else:
        rows = [[number, *a.pattern.values(), a.states] for number, a in enumerate(result, start=1)]
        assert printed == csv_text(["attractor", *result.nodes, "states"], rows)


def test_knockout_changes_the_answer(toggle):
    data = json.loads(run("attractors", "-m", toggle, "--knockout", "B", "--format", "json").output)
    assert [a["pattern"]["A"] for a in data["attractors"]] == ["1", "1"]  # S free: two contexts
    assert {a["pattern"]["C"] for a in data["attractors"]} == {"*"}
    assert data["perturbations"] == ["knockout B"]


def test_csv_and_table(toggle):
    csv = run("attractors", "-m", toggle, "--format", "csv", "--set", "S=0").output.splitlines()
    assert csv[0] == "attractor,A,B,C,S,states"
    assert len(csv) == 3
    table = run("attractors", "-m", toggle, "--set", "S=0").output
    assert "2 attractors (1 fixed point, 1 complex)" in table
    assert max(len(line) for line in table.splitlines()) <= 80


def test_initial_state_restricts_to_reachable_attractors(tmp_path):
    path = tmp_path / "latch.bnet"
    path.write_text("targets, factors\nX, X\nY, X | Y\n")
    untreated = json.loads(run("attractors", "-m", path, "--set", "X=0", "--format", "json").output)
    assert [a["pattern"] for a in untreated["attractors"]] == [{"X": "0", "Y": "0"}, {"X": "0", "Y": "1"}]
    # From the state Y=0 with the input switched on, only Y=1 is reachable.
    data = json.loads(run("attractors", "-m", path, "--set", "X=1", "--initial", "Y=0", "--format", "json").output)
    assert [a["pattern"] for a in data["attractors"]] == [{"X": "1", "Y": "1"}]


def test_export_bnet_round_trips_with_the_perturbation(toggle, tmp_path):
    out = tmp_path / "out.bnet"
    result = run("export", "-m", toggle, "--knockout", "A", "--set", "S=1", "--format", "bnet", "--output", out)
    assert result.exit_code == 0, result.output
    model = load_model(out)
    assert model.rules["A"].expression is False and model.rules["S"].expression is True
    again = json.loads(run("attractors", "-m", out, "--format", "json").output)["attractors"]
    direct = json.loads(run("attractors", "-m", toggle, "-k", "A", "--set", "S=1", "--format", "json").output)[
        "attractors"
    ]
    assert again == direct


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["attractors", "--knockout", "NOPE"], "unknown node 'NOPE'"),
        (["attractors", "--knockout", "AKT", "--overexpress", "AKT"], "AKT is both knocked out and overexpressed"),
        (["attractors", "--format", "xml"], "'xml' is not one of"),
        (["attractors", "--set", "IGF1=2"], "expected NODE=0 or NODE=1, got 'IGF1=2'"),
        (["attractors", "--drug", "aspirin"], "unknown drug 'aspirin'"),
        (["attractors", "--context", "mars"], "unknown context 'mars'"),
        (["attractors", "--cut", "AKT:IGF1"], "AKT does not regulate IGF1"),
        (["attractors", "--model", "/nonexistent/model.bnet"], "no such file"),
        (["attractors", "--initial", "AKT=5"], "expected 'untreated' or NODE=0|1"),
        (["export", "--format", "bnet"], "Missing option '--output'"),
    ],
)
def test_mistakes_exit_2_with_one_line_naming_the_value(arguments, message):
    result = run(*arguments)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_bad_rule_file_is_reported_as_file_and_line(tmp_path):
    path = tmp_path / "bad.rules"
    path.write_text("A = input 1\nB = A and (C\nC = A\n")
    result = run("attractors", "--model", path)
    assert result.exit_code == 2
    assert f"{path}:2: unbalanced parenthesis" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_export_refuses_to_overwrite_the_model(toggle):
    result = run("export", "-m", toggle, "--output", toggle)
    assert result.exit_code == 2 and "refusing to write" in result.output
    assert toggle.read_text() == TOGGLE


def test_too_many_free_inputs_is_refused_at_once(tmp_path):
    path = tmp_path / "wide.bnet"
    path.write_text("targets, factors\n" + "".join(f"I{i}, I{i}\n" for i in range(20)) + "O, I0 & I1\n")
    result = run("attractors", "--model", path)
    assert result.exit_code == 2
    assert "20 free inputs make at least 2^20 attractors" in result.output
    assert run("attractors", "--model", path, "--set", ",".join(f"I{i}=1" for i in range(5))).exit_code == 0


def test_every_command_loads_and_explains_itself():
    # Commands load lazily from a table of module paths: a wrong entry would only fail when used.
    from igfnet.cli import COMMANDS

    listing = run("--help")
    assert listing.exit_code == 0
    for name in COMMANDS:
        assert name in listing.output
        result = run(name, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output, name
    assert run("no-such-command").exit_code == 2


# A long search in miniature: a four-node model whose symbolic search (the one that reports progress)
# takes a quarter second per part, so the bar (shown after 1 s) appears without seconds of real work.
SLOW_SEARCH = """
import sys, time
from igfnet.dynamics import attractors
attractors.EXPLICIT_LIMIT = 0
solve = attractors.AttractorSolver._solve
def slow(self, *arguments):
    time.sleep(0.25)
    return solve(self, *arguments)
attractors.AttractorSolver._solve = slow
from igfnet.cli import main
sys.argv[0] = "igfnet"
main()
"""


def test_a_long_search_shows_its_progress_on_a_terminal_only(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from terminal import stderr_on_a_terminal

    model = tmp_path / "small.rules"
    model.write_text("A = input\nB = input\nC = input\nD = (A and B) or C\n")
    arguments = [sys.executable, "-c", SLOW_SEARCH, "attractors", "-m", str(model), "--free-inputs", "--format", "csv"]
    root = Path(__file__).parent.parent
    done, shown = stderr_on_a_terminal([*arguments, "--output", str(tmp_path / "all.csv")], cwd=root, timeout=120)
    assert done.returncode == 0
    assert b"attractors" in shown and b"100%" in shown
    piped = subprocess.run(arguments, cwd=root, capture_output=True, timeout=120)
    assert piped.returncode == 0 and b"%" not in piped.stderr and b"ETA" not in piped.stderr
    assert piped.stdout.decode() == (tmp_path / "all.csv").read_text()
    assert piped.stdout.decode().count("\n") == 1 + 8  # a header, and each of the 2^3 input combinations
