"""``igfnet trapspaces``: output formats, perturbations and errors, checked against brute-force enumeration."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import networks
from test_trapspaces import brute_force_maximal, brute_force_minimal

from igfnet.cli import main
from igfnet.logic import to_text

NETWORK = """targets, factors
A, !B
B, !A
C, C | A
D, !D & A
E, E
"""


def run(*arguments: str):
    return CliRunner().invoke(main, ["trapspaces", *arguments])


def as_spaces(document: dict) -> list[dict[str, int]]:
    return [{node: int(value) for node, value in space.items() if value != "*"} for space in document["trap_spaces"]]


def test_json_gives_every_minimal_trap_space_with_a_full_pattern(tmp_path):
    path = tmp_path / "net.bnet"
    path.write_text(NETWORK)
    result = run("--model", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["kind"] == "minimal" and document["nodes"] == list("ABCDE")
    assert all(set(space) == set("ABCDE") for space in document["trap_spaces"])
    # A=1 forces C=1 and lets D oscillate; A=0 leaves C either way and sets D=0; E is an input, free to choose.
    expected = [{"A": 0, "B": 1, "C": c, "D": 0, "E": e} for c in (0, 1) for e in (0, 1)] + [
        {"A": 1, "B": 0, "C": 1, "E": e} for e in (0, 1)
    ]
    key = lambda space: sorted(space.items())  # noqa: E731
    assert sorted(as_spaces(document), key=key) == sorted(expected, key=key)


def test_perturbations_apply_before_the_search(tmp_path):
    path = tmp_path / "net.bnet"
    path.write_text(NETWORK)
    document = json.loads(run("--model", str(path), "--knockout", "B", "--set", "E=1", "--format", "json").output)
    assert as_spaces(document) == [{"A": 1, "B": 0, "C": 1, "E": 1}]
    maximal = json.loads(run("--model", str(path), "--maximal", "--format", "json").output)
    assert maximal["kind"] == "maximal"
    assert {"C": 1} in as_spaces(maximal) and {"E": 0} in as_spaces(maximal)


def test_csv_and_table_show_one_column_or_row_per_trap_space(tmp_path):
    path = tmp_path / "net.bnet"
    path.write_text(NETWORK)
    lines = run("--model", str(path), "--format", "csv", "--set", "E=0").output.splitlines()
    assert lines[0] == "trap_space,A,B,C,D,E"
    assert sorted(lines[1:]) == ["0,0,1,0,0,0", "1,0,1,1,0,0", "2,1,0,1,*,0"]
    table = run("--model", str(path), "--set", "E=0").output
    assert "3 minimal trap spaces" in table and "T3" in table
    written = tmp_path / "out.csv"
    assert run("--model", str(path), "--format", "csv", "--output", str(written)).exit_code == 0
    assert written.read_text().startswith("trap_space,A,B,C,D,E\n")


def test_bad_input_is_one_line_and_exit_status_2(tmp_path):
    path = tmp_path / "net.bnet"
    path.write_text(NETWORK)
    result = run("--model", str(path), "--knockout", "Z")
    assert result.exit_code == 2
    assert "'Z'" in result.output and "Traceback" not in result.output


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(networks(max_nodes=5))
def test_command_agrees_with_brute_force_on_random_networks(tmp_path, functions):
    path = tmp_path / "random.bnet"
    lines = ["targets, factors"] + [f"{node}, {to_text(function, 'bnet')}" for node, function in functions.items()]
    path.write_text("\n".join(lines) + "\n")
    for flag, reference in (("--minimal", brute_force_minimal), ("--maximal", brute_force_maximal)):
        result = run("--model", str(path), flag, "--format", "json")
        assert result.exit_code == 0, result.output
        assert as_spaces(json.loads(result.output)) == reference(functions)
