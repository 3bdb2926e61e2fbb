"""A user's own model and a user's habits (issue 14): each defect found by trying igfnet as a new user."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx
import pytest
from click.testing import CliRunner

from igfnet.cli import main
from igfnet.formats import load_model
from igfnet.logic import evaluate

ROOT = Path(__file__).parent.parent
# shared/ sits beside the checkout (a worktree is one level deeper): the first ancestor that has it.
SHARED = next((folder / "shared" for folder in Path(__file__).resolve().parents if (folder / "shared").is_dir()), None)
BBM140 = (SHARED or Path("shared")) / "models" / "bbm" / "bbm140-breast-cancer-drug-resistance.bnet"
WIDE_INPUTS = 18
"""Free inputs in the models below: 2^18 contexts, more than igfnet lists."""


def run(*arguments: object):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def run_process(*arguments: object) -> subprocess.CompletedProcess[str]:
    """The command in its own interpreter: what it prints at exit is seen too."""
    command = [sys.executable, "-m", "igfnet", *map(str, arguments)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture
def wide(tmp_path: Path) -> Path:
    """18 free inputs around a small core: a toggle switch that I0 can flip, and a gate of I1 and the toggle."""
    inputs = "".join(f"I{index}, I{index}\n" for index in range(WIDE_INPUTS))
    path = tmp_path / "wide.bnet"
    path.write_text("targets, factors\n" + inputs + "A, !B | I0\nB, !A & !I0\nC, A & I1\nD, C | D\n")
    return path


def reachable_attractors(functions: dict, start: dict[str, int]) -> list[tuple[str, int]]:
    """Brute force from one state: the asynchronous graph of the states it reaches, its terminal SCCs."""
    nodes = list(functions)
    graph = networkx.DiGraph()
    first = tuple(start[node] for node in nodes)
    pending, seen = [first], {first}
    while pending:
        values = pending.pop()
        graph.add_node(values)
        state = dict(zip(nodes, values))
        for index, node in enumerate(nodes):
            target = int(evaluate(functions[node], state))
            if target != values[index]:
                following = values[:index] + (target,) + values[index + 1 :]
                graph.add_edge(values, following)
                if following not in seen:
                    seen.add(following)
                    pending.append(following)
    found = []
    for component in networkx.attracting_components(graph):
        pattern = "".join(
            "*" if len({state[i] for state in component}) == 2 else str(next(iter(component))[i])
            for i in range(len(nodes))
        )
        found.append((pattern, len(component)))
    return sorted(found)


def listed(model, **options) -> list[tuple[str, int]]:
    result = model.attractors(**options)
    return sorted(("".join(a.pattern[node] for node in model.nodes), a.states) for a in result)


# -- Defects -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1])
def test_a_full_initial_state_lists_what_it_reaches_however_many_inputs_are_free(wide, value):
    model = load_model(wide)
    start = {node: value for node in model.nodes}
    assert listed(model, initial=start) == reachable_attractors(model.functions, start)
    knocked = {**start, "A": 0}
    assert listed(model, knockout=["A"], initial=start) == reachable_attractors(
        {**model.functions, "A": False}, knocked
    )


def test_inputs_set_in_the_initial_state_are_the_untreated_cells_context(wide):
    # Every input given, the core not: the untreated cell sits in that context's attractors.
    model = load_model(wide)
    inputs = {f"I{index}": 1 for index in range(WIDE_INPUTS)}
    found = listed(model, initial=inputs)
    with_context = listed(model, set=inputs)  # the attractors of the context, which the cell sits in already
    assert found == with_context and found


def test_a_full_initial_state_of_a_published_model_with_free_inputs():
    if not BBM140.exists():
        pytest.skip("the Biodivine models are not on this machine")
    model = load_model(BBM140)
    start = {node: index % 2 for index, node in enumerate(model.nodes)}
    result = run("attractors", "--model", BBM140, "--initial", ",".join(f"{n}={v}" for n, v in start.items()))
    assert result.exit_code == 0, result.output
    from igfnet.dynamics.attractors import attractors_of_functions

    expected = attractors_of_functions(model.functions, initial=start, engine="symbolic")
    assert f"{len(expected)} attractor" in result.output


def test_an_error_after_a_symbolic_search_is_one_line_and_nothing_else(wide):
    # The untreated cell, inputs not given: all 2^18 contexts, refused; BDDs were alive when it was raised.
    done = run_process("attractors", "--model", wide, "--initial", "A=1")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: 18 free inputs"), done.stderr


NO_DRUGS = "targets, factors\nS, S\nA, S & !B\nB, !A\nProliferation, A\n"


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """A user's own model: one free input, no drugs, no contexts."""
    path = tmp_path / "own.bnet"
    path.write_text(NO_DRUGS)
    return path


def test_compare_on_a_model_without_drugs_says_what_to_give(own):
    result = run("compare", "--model", own)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "has no drugs" in result.output and "-t A=0" in result.output


def test_compare_takes_set_like_attractors(own):
    # S=1: the untreated cell proliferates in one attractor (A=1) and not in the other (B=1).
    # Knocking out A stops it everywhere; B=0 makes A=1 the only attractor from either.
    result = run("compare", "--model", own, "--set", "S=1", "-t", "A=0", "-t", "B=0", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {line.split(",")[1]: line.split(",")[2] for line in result.output.splitlines()[1:]}
    assert rows == {"A=0": "responds", "B=0": "resists"}
    assert run("compare", "--model", own, "--set", "X=1", "-t", "A=0").exit_code == 2


@pytest.mark.parametrize(
    ("name", "first_line"),
    [("x.sbml", "<?xml"), ("x.xml", "<?xml"), ("x.bnet", "# own"), ("x.graphml", "<!-- igfnet"), ("x.sif", "S")],
)
def test_export_writes_the_format_its_extension_names(own, tmp_path, name, first_line):
    target = tmp_path / name
    result = run("export", "--model", own, "--output", target)
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith(first_line)
    assert ("targets," in text) == (name == "x.bnet")
    assert ("graphml" in text) == (name == "x.graphml")
    assert ("qual:" in text) == (name in ("x.sbml", "x.xml"))


def test_a_format_that_contradicts_the_extension_is_refused(own, tmp_path):
    result = run("export", "--model", own, "--output", tmp_path / "x.sbml", "--format", "bnet")
    assert result.exit_code == 2 and "--format bnet" in result.output and "sbml" in result.output
    assert not (tmp_path / "x.sbml").exists()
    assert run("attractors", "--model", own, "-O", tmp_path / "x.csv", "--format", "json").exit_code == 2


def test_attractors_output_json_by_extension(own, tmp_path):
    import json

    target = tmp_path / "out.json"
    assert run("attractors", "--model", own, "--set", "S=1", "--output", target).exit_code == 0
    assert len(json.loads(target.read_text())["attractors"]) == 2
    table = tmp_path / "out.txt"
    assert run("attractors", "--model", own, "--set", "S=1", "--output", table).exit_code == 0
    assert "2 attractors" in table.read_text()


@pytest.mark.parametrize(
    "arguments",
    [
        ["compare", "-t", "A=0", "--plot", "nodir/f.png"],
        ["compare", "-t", "A=0", "--output", "nodir/x.csv"],
        ["attractors", "--output", "nodir/x.csv"],
        ["export", "--output", "nodir/x.bnet"],
        ["draw", "--output", "nodir/x.png"],
        ["screen", "--base", "none", "--output", "nodir/x.csv"],
        ["screen", "--base", "none", "--plot", "nodir/x.png"],
        ["validate", "--mutants", "--output", "nodir/x.csv"],
        ["biomarkers", "--output", "nodir/x.csv"],
    ],
)
def test_every_output_path_is_checked_before_any_work(own, tmp_path, monkeypatch, arguments):
    import igfnet.formats

    monkeypatch.chdir(tmp_path)
    loaded = []
    original = igfnet.formats.load_model
    monkeypatch.setattr(igfnet.formats, "load_model", lambda *a, **k: loaded.append(a) or original(*a, **k))
    result = run(*arguments, "--model", own)
    assert result.exit_code == 2 and "nodir" in result.output and "does not exist" in result.output, result.output
    assert not loaded, "the model was read before the output path was checked"


def test_parquet_without_pyarrow_is_refused_before_any_work(own, tmp_path, monkeypatch):
    import importlib.util

    original = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else original(name, *a))
    result = run("screen", "--model", own, "--base", "none", "--output", tmp_path / "x.parquet")
    assert result.exit_code == 2 and "pyarrow" in result.output


@pytest.mark.parametrize("suffix", ["bnet", "rules", "sbml"])
def test_a_byte_order_mark_is_read_as_the_text_it_is(own, tmp_path, suffix):
    exported = tmp_path / f"plain.{suffix}"
    assert run("export", "--model", own, "--output", exported).exit_code == 0
    marked = tmp_path / f"marked.{suffix}"
    marked.write_bytes(b"\xef\xbb\xbf" + exported.read_bytes())
    plain, with_mark = load_model(exported), load_model(marked)
    assert with_mark.nodes == plain.nodes and with_mark.functions == plain.functions


SMALL_RULES = """\
L = input 1
    name: a ligand
M = input 0
    name: a mutation
R = L and not M
X = R or M
Y = X and not R
"""
SMALL_CONTEXTS = """\
context ligand_free
    name: no ligand
    set: L=0

context mutant
    name: the mutation
    set: M=1

context ligand_rich
    name: ligand everywhere
    set: L=1
"""
SMALL_DRUGS = """\
drug rblock
    name: blocks R
    class: inhibitor
    inhibits: R

drug Xi-2
    name: blocks X
    class: inhibitor
    inhibits: X
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A model directory with rules, contexts and drugs, as a user writes one."""
    directory = tmp_path / "small"
    directory.mkdir()
    (directory / "small.rules").write_text(SMALL_RULES)
    (directory / "contexts.txt").write_text(SMALL_CONTEXTS)
    (directory / "drugs.txt").write_text(SMALL_DRUGS)
    return directory


def test_two_contexts_combine_and_a_disagreement_is_refused(small):
    import json

    def attractors(*options: str) -> object:
        result = run("attractors", "--model", small, "--format", "json", *options)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["attractors"]

    both = attractors("--context", "ligand_free", "--context", "mutant")
    assert both == attractors("--set", "L=0,M=1") != attractors("--context", "mutant")
    assert attractors("--context", "ligand_free,mutant") == both
    refused = run("attractors", "--model", small, "--context", "ligand_free", "--context", "ligand_rich")
    assert refused.exit_code == 2 and "disagree on L" in refused.output
    chosen = run("attractors", "--model", small, "-c", "ligand_free", "-c", "ligand_rich", "--set", "L=1")
    assert chosen.exit_code == 0, chosen.output


def test_sbml_names_each_species_by_its_node_and_keeps_the_description_in_the_notes(small, tmp_path):
    target = tmp_path / "small.sbml"
    assert run("export", "--model", small, "--output", target).exit_code == 0
    text = target.read_text()
    for node in ("L", "M", "R", "X", "Y"):
        assert f'qual:name="{node}"' in text
    assert "<p>name: a ligand</p>" in text
    again, original = load_model(target), load_model(small)
    assert {n: r.annotations for n, r in again.rules.items()} == {n: r.annotations for n, r in original.rules.items()}
    aeon = pytest.importorskip("biodivine_aeon")
    assert sorted(aeon.BooleanNetwork.from_file(str(target)).variable_names()) == sorted(original.nodes)


def test_screen_on_a_model_without_igf1r_needs_no_base_and_takes_set(own, tmp_path):
    result = run("screen", "--model", own, "--set", "S=1", "--output", tmp_path / "s.csv")
    assert result.exit_code == 0, result.output
    assert "Base treatment none" in result.output
    import csv

    rows = list(csv.DictReader((tmp_path / "s.csv").open()))
    # With S=1 the untreated cell sits in A=1 (proliferating) or B=1: A=0 rescues, B=0 does not.
    verdicts = {row["combination"]: row["verdict"] for row in rows}
    assert verdicts["A=0"] == "responds" and verdicts["B=0"] == "resists"
    # S=0: A never comes on, the base alone responds, nothing to rescue.
    assert "The base alone responds in 1 context: default." in run("screen", "--model", own, "--set", "S=0").output
    refused = run("screen", "--model", own, "--set", "A=1")
    assert refused.exit_code == 2 and "--base" in refused.output


def test_screen_set_cannot_be_overridden_by_a_named_context(small):
    result = run("screen", "--model", small, "--set", "L=1", "-c", "ligand_free")
    assert result.exit_code == 2 and "context ligand_free sets L=0" in result.output


def test_exact_state_counts_and_plurals(tmp_path):
    from igfnet.report import attractor_table, plural
    from igfnet.types import Attractor, Attractors

    assert [plural(n, "context") for n in (0, 1, 2)] == ["0 contexts", "1 context", "2 contexts"]
    big = Attractors((Attractor({"A": "*"}, 67108864),), ("A",), {})
    table = attractor_table(big, ["A"])
    assert "67108864" in table and "e+" not in table and "1 attractor (" in table


def test_init_writes_an_editable_copy_of_the_whole_bundled_model(tmp_path):
    from igfnet.formats import bundled_rules_path

    target = tmp_path / "mine"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    bundled = sorted(p.relative_to(bundled_rules_path()) for p in bundled_rules_path().rglob("*") if p.is_file())
    copied = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    assert copied == [p for p in bundled if p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    mine, original = load_model(target), load_model()
    assert mine.functions == original.functions
    assert list(mine.drugs) == list(original.drugs) and list(mine.contexts) == list(original.contexts)
    again = run("init", target)
    assert again.exit_code == 2 and "not an empty directory" in again.output


@pytest.mark.parametrize("suffix", ["bnet", "rules", "booleannet", "sbml", "graphml"])
def test_an_export_says_what_was_applied(small, tmp_path, suffix):
    target = tmp_path / f"x.{suffix}"
    result = run("export", "--model", small, "-c", "mutant", "-k", "X", "--drug", "rblock", "--output", target)
    assert result.exit_code == 0, result.output
    head = "\n".join(target.read_text().splitlines()[:3])
    assert "applied: context mutant, drug rblock, knockout X" in head
    if suffix != "graphml":
        reread = load_model(target)
        assert reread.nodes == load_model(small).nodes
        assert suffix == "rules" or reread.name == load_model(small).name  # the header is not the name


HARD = ["attractors", "--free-inputs", "--initial", "untreated", "--format", "csv"]
"""Every context of the bundled model from its untreated states: minutes of work, and no progress bar."""


def test_a_long_search_shows_a_heartbeat_and_ends_cleanly_at_its_timeout(tmp_path):
    from terminal import stderr_on_a_terminal

    command = [sys.executable, "-m", "igfnet", *HARD, "--timeout", "2.5"]
    done, shown = stderr_on_a_terminal(command, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 3
    text = shown.decode()
    assert "attractors (igfnet IGF-1R model): 1 s" in text
    assert text.rstrip().endswith("Error: stopped attractors (igfnet IGF-1R model) at --timeout 2.5 s")
    piped = run_process(*HARD, "--timeout", "1")
    assert piped.returncode == 3 and piped.stdout == ""
    assert piped.stderr == "Error: stopped attractors (igfnet IGF-1R model) at --timeout 1 s\n"


def test_memory_past_the_limit_ends_the_search_cleanly():
    done = run_process(*HARD, "--max-memory", "1k")
    assert done.returncode == 3
    assert done.stderr.startswith("Error: stopped") and "memory above --max-memory 1k" in done.stderr
    assert done.stderr.count("\n") == 1
    assert run_process("attractors", "--max-memory", "lots").returncode == 2


def test_the_limits_hold_in_a_background_job_that_ignores_ctrl_c():
    # A script's `command &` starts with SIGINT ignored; the watch interrupts the search the way
    # Ctrl-C does, and so once did nothing there: the search ran on to its end.
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "igfnet", *HARD, "--timeout", "4"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    time.sleep(2)
    process.send_signal(signal.SIGINT)  # still ignored: the search goes on to the limit
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 3, stderr
    assert stdout == ""
    assert stderr == "Error: stopped attractors (igfnet IGF-1R model) at --timeout 4 s\n"


# -- Habits --------------------------------------------------------------------------------------


def test_repeatable_options_take_comma_lists(small):
    import json

    def answer(*options: str) -> object:
        result = run("attractors", "--model", small, "--format", "json", *options)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    assert answer("-k", "R,Y") == answer("-k", "R", "-k", "Y")
    assert answer("--drug", "rblock,Xi-2") == answer("--drug", "rblock", "--drug", "Xi-2")
    assert answer("--overexpress", "Y, R") == answer("--overexpress", "Y", "--overexpress", "R")
    assert run("attractors", "--model", small, "-o", "R").exit_code == 2  # -o was --overexpress; -O is --output


@pytest.mark.parametrize(
    ("arguments", "meant"),
    [
        (["attractors", "--drug", "RBLOCK"], "did you mean rblock?"),
        (["attractors", "--drug", "xi_2"], "did you mean Xi-2?"),
        (["attractors", "--context", "Ligand-Free"], "did you mean ligand_free?"),
        (["attractors", "--initial", "l=1"], "did you mean L?"),
        (["compare", "-t", "Rblock", "--response", "Y=0"], "did you mean rblock?"),
    ],
)
def test_did_you_mean_ignores_case_and_dashes(small, arguments, meant):
    result = run(*arguments, "--model", small)
    assert result.exit_code == 2 and meant in result.output, result.output


def test_a_misspelled_command_gets_a_suggestion():
    result = run("atractors")
    assert result.exit_code == 2 and "did you mean attractors?" in result.output


def test_python_api_a_string_is_one_name_and_settings_get_a_python_message(small):
    from igfnet.errors import PerturbationError

    model = load_model(small)
    assert model.attractors(knockout="R") == model.attractors(knockout=["R"])
    assert model.attractors(drugs="Xi-2") == model.attractors(drugs=["Xi-2"])
    with pytest.raises(PerturbationError, match=r"set\['L'\] = '1': the value must be the integer 0 or 1"):
        model.attractors(set={"L": "1"})


def test_to_frame_holds_integers_numbered_as_every_output(own):
    model = load_model(own)
    result = model.attractors(set={"S": 1})
    frame = result.to_frame()
    assert list(frame.index) == [1, 2] and frame.index.name == "attractor"
    values = {value for column in model.nodes for value in frame[column]}
    assert values <= {0, 1, "*"} and 0 in values and 1 in values
    assert [entry["attractor"] for entry in result.to_dict()["attractors"]] == [1, 2]
    csv_rows = run("attractors", "--model", own, "--set", "S=1", "--format", "csv").output.splitlines()[1:]
    table = run("attractors", "--model", own, "--set", "S=1").output
    assert [row.split(",")[0] for row in csv_rows] == ["1", "2"] and "A1" in table and "A2" in table
    for number, row in zip(frame.index, csv_rows):
        assert [str(v) for v in frame.loc[number, model.nodes]] == row.split(",")[1:-1]
    assert repr(result).startswith("<Attractors: 2 (2 fixed points, 0 complex) over 4 nodes; perturbations: set S=1")
    html = result._repr_html_()
    assert html.count("<tr>") == len(model.nodes) + 2 and "<th>A2</th>" in html


def test_public_functions_return_frames_that_match_the_commands(small):
    import io

    import pandas

    import igfnet

    frame = igfnet.compare(small, ["default", "mutant"], "rblock", response="Y=0")
    command = run("compare", "--model", small, "-c", "default,mutant", "-t", "rblock", "--response", "Y=0", "-O", "-")
    assert command.exit_code == 0
    expected = pandas.read_csv(
        io.StringIO(
            run(
                "compare",
                "--model",
                small,
                "-c",
                "default,mutant",
                "-t",
                "rblock",
                "--response",
                "Y=0",
                "--format",
                "csv",
            ).output
        )
    )
    assert list(frame["verdict"]) == list(expected["verdict"])
    screened = igfnet.screen(small, response="Y=0", size=1)
    assert {"context", "combination", "verdict"} <= set(screened.columns) and len(screened) > 0


def test_attractors_nodes_and_a_foreign_models_own_order(own):
    table = run("attractors", "--model", own, "--set", "S=1").output
    rows = [line.split()[0] for line in table.splitlines()[4:] if line.strip()]
    assert rows[:4] == ["S", "A", "B", "Proliferation"]  # the file's order, not ours
    picked = run("attractors", "--model", own, "--set", "S=1", "--nodes", "B,A").output
    rows = [line.split()[0] for line in picked.splitlines()[4:] if line.strip()]
    assert rows == ["B", "A", "states"]
    assert (
        run("attractors", "--model", own, "--set", "S=1", "--nodes", "B,A", "--format", "csv").output.splitlines()[0]
        == "attractor,B,A,states"
    )
    assert run("attractors", "--model", own, "--nodes", "Q").exit_code == 2


def test_compare_shows_a_contexts_by_treatments_matrix_and_the_long_form_on_request(small):
    import csv
    import io

    arguments = ["compare", "--model", small, "-t", "rblock,Xi-2,rblock+Xi-2", "--response", "Y=0"]
    shown = run(*arguments)
    assert shown.exit_code == 0, shown.output
    rows = list(csv.DictReader(io.StringIO(run(*arguments, "--format", "csv").output)))
    lines = shown.output.splitlines()
    header = next(index for index, line in enumerate(lines) if line.startswith("context"))
    assert lines[header - 1].split() == ["rblock+"] and lines[header].split() == ["context", "rblock", "Xi-2", "Xi-2"]
    marks = {"responds": "R", "resists": "-"}
    for line in lines[header + 1 : header + 4]:
        context, *cells = line.replace(" *", "").split()
        expected = [
            marks.get(row["verdict"], f"{float(row['responding_share']):.2f}")
            for row in rows
            if row["context"] == context
        ]
        assert cells == expected
    long = run(*arguments, "--long").output
    assert "verdict" in long and "share" in long


def test_shell_completion_offers_the_models_names(small):
    from click.shell_completion import ShellComplete

    completer = ShellComplete(main, {}, "igfnet", "_IGFNET_COMPLETE")

    def names(command: str, option: str, incomplete: str) -> list[str]:
        arguments = [command, "--model", str(small), option]
        return [item.value for item in completer.get_completions(arguments, incomplete)]

    assert names("attractors", "--drug", "x") == ["Xi-2"]
    assert names("attractors", "--context", "ligand") == ["ligand_free", "ligand_rich"]
    assert names("attractors", "--knockout", "R,") == [f"R,{node}" for node in load_model(small).nodes]
    assert names("attractors", "--set", "L") == ["L="]
    assert names("compare", "-c", "mu") == ["mutant"]
    assert names("attractors", "--drug", "nothing") == []


def test_screen_ties_drugs_first_drugs_only_and_what_was_asked_is_listed(small):
    # With ligand and mutation (context mutant), Y=0 needs X off: rblock does not (X = R or M), Xi-2 does, X=0 does.
    result = run("screen", "--model", small, "-c", "mutant", "--response", "Y=0", "--size", "1", "--top", "5")
    assert result.exit_code == 0, result.output
    ranked = [line.split()[1] for line in result.output.splitlines() if line[:4].strip().isdigit()]
    assert ranked.index("Xi-2") < ranked.index("X=0")  # equal rescue: the drug first
    drugs = run("screen", "--model", small, "-c", "mutant", "--response", "Y=0", "--size", "1", "--drugs-only")
    assert drugs.exit_code == 0, drugs.output
    assert "2 combinations" in drugs.output and "X=0" not in drugs.output
    asked = run(
        "screen", "--model", small, "-c", "mutant", "--response", "Y=0", "--combination", "rblock", "--top", "1"
    )
    assert asked.exit_code == 0, asked.output
    assert "rblock: rescues no context" in asked.output


def test_validate_wraps_claims_whole_and_explains_its_reference_tags(small):
    long_claim = "the ligand drives R and through it X, " * 5 + "so Y stays off"
    (small / "claims.csv").write_text(
        f'id,claim,context,treatment,readout,expected,reference\ny_off,"{long_claim}",default,none,Y,0,ref 12; Q3; E4\n'
    )
    result = run("validate", "--model", small)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert " ".join(" ".join(lines[1:5]).split()).startswith(" ".join(long_claim.split()))
    assert "[ref 12; Q3; E4]" in result.output
    assert "'ref N' is the review's reference N" in result.output


OKABE_ITO = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}


def test_figures_use_colour_blind_safe_verdicts_with_legends_and_named_axes(small, monkeypatch):
    import igfnet.plot
    from igfnet.analysis.compare import compare
    from igfnet.formats.cytoscape import PERTURBED_COLOURS, SIGN_COLOURS

    assert set(SIGN_COLOURS.values()) <= OKABE_ITO
    assert set(PERTURBED_COLOURS.values()) - OKABE_ITO <= {"#555555"}  # a grey beside them
    drawn = []
    monkeypatch.setattr(igfnet.plot, "_save", lambda figure, path, **options: drawn.append(figure))
    cells = compare(load_model(small), ["default", "mutant"], ["rblock", "Xi-2"], [], ("Y", "0"))
    igfnet.plot.compare_heatmap(cells, "x.png", title="a title " * 30)
    (axes, *_) = drawn[0].axes
    assert {text.get_text() for text in axes.get_legend().get_texts()} == {
        "responds",
        "mixed (share that responds)",
        "resists",
    }
    assert axes.get_xlabel() == "treatment" and axes.get_ylabel() == "tumour context"
    assert axes.get_title().count("\n") >= 2  # a long title wraps
    colours = {patch.get_facecolor()[:3] for patch in axes.get_legend().get_patches()}
    from matplotlib.colors import to_rgb

    assert colours == {to_rgb(igfnet.plot._VERDICT_FILL[v]) for v in ("responds", "mixed", "resists")}
    assert {c.upper() for c in igfnet.plot._VERDICT_FILL.values()} <= OKABE_ITO


def test_an_edge_bends_around_a_node_in_its_way():
    import numpy

    from igfnet.plot import _clear_bend

    start, end, blocker, half = (0.0, 0.0), (200.0, 0.0), (100.0, 0.0), (20.0, 10.0)
    bend = _clear_bend(start, end, 0.0, [blocker], [half], (-500, -500, 500, 500))
    assert bend != 0.0
    control = numpy.array([100.0, 0.0]) + bend * numpy.array([-0.0, 200.0])
    t = numpy.linspace(0, 1, 101)[:, None]
    curve = (1 - t) ** 2 * numpy.array(start) + 2 * (1 - t) * t * control + t**2 * numpy.array(end)
    assert not numpy.any(numpy.all(numpy.abs(curve - numpy.array(blocker)) < numpy.array(half), axis=1))
    # Nothing in the way: the preferred curvature stays; no room to go around: it stays too.
    assert _clear_bend(start, end, 0.1, [(100.0, 300.0)], [half], (-500, -500, 500, 500)) == 0.1
    assert _clear_bend(start, end, 0.0, [blocker], [half], (-1, -1, 201, 1)) == 0.0


def test_compare_with_free_inputs_counts_every_input_context_at_once(small):
    from igfnet.analysis.compare import compare

    model = load_model(small)
    free = compare(model, ["default"], ["rblock", "Xi-2"], [], ("Y", "0"), free_inputs=True)
    for cell in free:
        each = [
            compare(model, ["default"], [cell.treatment], [], ("Y", "0"), settings={"L": ligand, "M": mutation})[0]
            for ligand in (0, 1)
            for mutation in (0, 1)
        ]
        # Inputs never change: the cell's reachable attractors are those of its four input contexts, disjoint.
        assert (cell.reached, cell.responding) == (sum(c.reached for c in each), sum(c.responding for c in each))
    result = run("compare", "--model", small, "--free-inputs", "-t", "rblock", "--response", "Y=0", "--format", "csv")
    assert result.exit_code == 0 and result.output.splitlines()[1].split(",")[4] == str(free[0].reached)
