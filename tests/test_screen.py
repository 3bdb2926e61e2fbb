"""igfnet screen: strict syntax, rows against independent computations, synergy, parallel runs, resume."""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import brute_force_treated
from strategies import networks

from igfnet.analysis.screen import (
    Mechanism,
    Question,
    ScreenSolver,
    Treatment,
    combinations_of,
    parse_base,
    parse_combination,
    perturbation_universe,
    plan_screen,
    rank_hits,
    read_journal,
    run_screen,
    signed_path,
)
from igfnet.cli import main
from igfnet.errors import IgfnetError, PerturbationError, UnknownInterventionError, UnknownNodeError
from igfnet.formats import load_model
from igfnet.logic import evaluate, to_text
from igfnet.model import BooleanNetwork
from igfnet.rules import Rule

ROOT = Path(__file__).resolve().parent.parent

# Two redundant drivers A and B of growth G, a third one C that only a mutation turns on, and a
# permissive factor D. By hand: in the default context G needs A or B (and D); in "mutant" also C.
RULES = """
L = input 1
M = input 0
A = L
B = L
C = M
D = L
G = (A or B or C) and D
"""
CONTEXTS = "context mutant\n    set: M=1\n"
DRUGS = "drug dblocker\n    inhibits: D\n"


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    directory = tmp_path_factory.mktemp("toy")
    (directory / "toy.rules").write_text(RULES)
    (directory / "contexts.txt").write_text(CONTEXTS)
    (directory / "drugs.txt").write_text(DRUGS)
    return directory


@pytest.fixture(scope="module")
def bundled():
    return load_model()


def toy_plan(model, **options):
    defaults = dict(base="none", readouts=["G", "A", "D"], response=("G", "0"))
    return plan_screen(model, **{**defaults, **options})


# -- syntax: every mistake is an error naming the item, before any work --------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("MTORC1=0,AKT=0", "',' in item 'MTORC1=0,AKT=0'"),
        ("MTORC1=0;AKT=0", "';'"),
        ("MTORC1=0 AKT=0", "whitespace inside item 'MTORC1=0 AKT=0'"),
        ("MTORC1=0+", "empty item"),
        ("+MTORC1=0", "empty item"),
        ("MTORC1=0++AKT=0", "empty item"),
        ("   ", "empty combination"),
        ("MTORC1=2", "item 'MTORC1=2'"),
        ("MTORC1=0+MTORC1=0", "'MTORC1=0' appears twice"),
        ("MTORC1=0+MTORC1=1", "fixes MTORC1=1, but 'MTORC1=0' fixes MTORC1=0"),
        ("erlotinib+EGFR=1", "fixes EGFR=1, but 'erlotinib' fixes EGFR=0"),
        ("IGF1R=1", "the base treatment 'IGF1R=0' fixes IGF1R=0"),
    ],
)
def test_malformed_combinations_are_errors_naming_the_item(bundled, text, message):
    with pytest.raises(PerturbationError) as error:
        parse_combination(bundled, text, parse_base(bundled, "IGF1R=0"))
    assert message in str(error.value)


@pytest.mark.parametrize(
    "text, error, message",
    [
        ("MTORX1=0", UnknownNodeError, "unknown node 'MTORX1'"),
        ("erlotinb", UnknownInterventionError, "unknown drug 'erlotinb'"),
        ("AKT", UnknownInterventionError, "NODE=0 or NODE=1"),  # a node named without a value is no drug
    ],
)
def test_unknown_names_are_errors(bundled, text, error, message):
    with pytest.raises(error, match=message):
        parse_combination(bundled, text)


def test_combination_names_are_canonical(bundled):
    assert parse_combination(bundled, "erlotinib + MTORC1=0").name == "MTORC1=0+erlotinib"
    with pytest.raises(PerturbationError, match="listed twice"):
        plan_screen(bundled, contexts=["default"], combinations=["AKT=0+ERK=0", "ERK=0 + AKT=0"])


def test_cli_rejects_a_bad_combination_before_any_work(tmp_path):
    output = tmp_path / "screen.csv"
    result = CliRunner().invoke(
        main,
        ["screen", "--combination", "MTORC1=0", "--combination", "AKT=0,ERK=0", "--output", str(output)],
    )
    assert result.exit_code == 2
    assert "',' in item 'AKT=0,ERK=0'" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # no journal, no output: nothing started


def test_cli_names_the_line_of_a_bad_combination_file(tmp_path):
    listing = tmp_path / "combos.txt"
    listing.write_text("# pairs\nMTORC1=0+AKT=0\n\nERK=0+MEKK=0\n")
    result = CliRunner().invoke(main, ["screen", "--combinations", str(listing)])
    assert result.exit_code == 2
    assert f"{listing}:4:" in result.output and "'MEKK'" in result.output


def test_cli_rejects_bad_candidates_and_sizes():
    runner = CliRunner()
    result = runner.invoke(main, ["screen", "--candidates", "AKT=0,,ERK=0"])
    assert result.exit_code == 2 and "empty item" in result.output
    result = runner.invoke(main, ["screen", "--candidates", "AKT=0,ERKK=0"])
    assert result.exit_code == 2 and "'ERKK'" in result.output
    assert runner.invoke(main, ["screen", "--size", "4"]).exit_code == 2
    assert runner.invoke(main, ["screen", "--resume"]).exit_code == 2


# -- the universe ------------------------------------------------------------------------------------


def test_default_universe_of_the_bundled_model(bundled):
    base = parse_base(bundled, "IGF1R=0")
    items = perturbation_universe(bundled, base, response_node="Proliferation")
    free = [
        node
        for node, rule in bundled.rules.items()
        if not rule.is_input and node != "IGF1R" and rule.annotation("kind") != "phenotype"
    ]
    assert [item.text for item in items] == [f"{n}=0" for n in free] + [f"{n}=1" for n in free] + list(bundled.drugs)
    pairs = [c for c in combinations_of(items, 2, base) if c.size == 2]
    names = {c.name for c in pairs}
    assert "AKT=0+AKT=1" not in names  # contradictory
    assert "EGFR=0+erlotinib" not in names  # adds nothing to erlotinib
    assert "figitumumab+r1507" not in names  # two identical antibodies
    assert "MTORC1=0+erlotinib" in names


# -- rows against independent computations ---------------------------------------------------------


def test_rows_equal_model_attractors_from_the_untreated_state(bundled):
    combinations = [
        "MTORC1=0",
        "AKT=0+ERK=0",
        "PI3K=0+MEK=0",
        "trastuzumab",  # a drug that cuts an interaction
        "IRS1=1",  # undoes what the base treatment switches off
        "CDKN1B=1+MTORC1=0",
        "erlotinib+ridaforolimus",
    ]
    contexts = ["default", "pten_loss", "her2_trastuzumab_resistant", "high_insulin"]
    plan = plan_screen(bundled, contexts=contexts, combinations=combinations)
    result = run_screen(bundled, plan, jobs=1)
    assert len(result.rows) == len(contexts) * len(plan.combinations)
    for row in result.rows:
        knockout, overexpress, drugs = ["IGF1R"], [], []
        for item in row.combination.split("+"):
            if item.endswith("=0"):
                knockout.append(item[:-2])
            elif item.endswith("=1"):
                overexpress.append(item[:-2])
            else:
                drugs.append(item)
        reached = bundled.attractors(knockout, overexpress, drugs=drugs, context=row.context, initial="untreated")
        responding = sum(a["Proliferation"] == "0" for a in reached)
        assert (row.reached, row.responding) == (len(reached), responding), row
        for readout, value in row.readouts:
            values = reached.values(readout)
            assert value == (values.pop() if len(values) == 1 else "*"), (row, readout)
        base = bundled.attractors(["IGF1R"], context=row.context, initial="untreated")
        base_responding = sum(a["Proliferation"] == "0" for a in base)
        expected = "responds" if base_responding == len(base) else "resists" if base_responding == 0 else "mixed"
        assert row.base_verdict == expected


def _network(functions: dict) -> BooleanNetwork:
    rules = []
    for node, function in functions.items():
        if function == node:
            rules.append(Rule(node, node, True, None, text=node))
        else:
            rules.append(Rule(node, function, text=to_text(function, "bnet")))
    return BooleanNetwork(rules, name="random")


@st.composite
def screens(draw):
    functions = draw(networks(min_nodes=2, max_nodes=6))
    candidates = [node for node, function in functions.items() if function != node]
    if not candidates:
        candidates = list(functions)
    settings_ = st.tuples(st.sampled_from(candidates), st.integers(0, 1))
    base = draw(st.lists(settings_, max_size=1, unique_by=lambda s: s[0]))
    combinations = draw(
        st.lists(st.lists(settings_, min_size=1, max_size=2, unique_by=lambda s: s[0]), min_size=1, max_size=4)
    )
    return functions, dict(base), [dict(c) for c in combinations]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(screens())
def test_screen_solver_equals_brute_force_on_random_networks(case):
    functions, base, combinations = case
    model = _network(functions)
    base_combination = parse_base(model, "+".join(f"{n}={v}" for n, v in base.items()) or "none")
    first = next(iter(functions))
    solver = ScreenSolver(model, Question(base_combination, tuple(functions), (first, "0")))
    for fixed in combinations:
        if any(base.get(node, value) != value for node, value in fixed.items()):
            continue  # contradicts the base: rejected by the parser, tested above
        combination = parse_combination(model, "+".join(f"{n}={v}" for n, v in fixed.items()), base_combination)
        treatment = {**base, **fixed}
        treated = {**functions, **{node: bool(value) for node, value in treatment.items()}}
        expected = brute_force_treated(functions, treated, treatment)
        found = solver.response("default", combination).reached
        assert sorted((str(a), a.states) for a in found) == expected
        row = solver.row("default", combination)
        assert row.reached == len(expected)
        assert row.responding == sum(pattern[0] == "0" for pattern, _ in expected)


# -- hits, synergy, ranking, mechanism on a model checked by hand -----------------------------------


def test_hits_synergy_and_ranking_on_a_hand_checked_model(toy):
    model = load_model(toy)
    result = run_screen(model, toy_plan(model, size=3, knockouts_only=True), jobs=1)
    rows = {row.key: row for row in result.rows}
    # Base alone (no treatment): G=1 everywhere.
    assert {row.base_verdict for row in result.rows} == {"resists"}
    # D=0 stops G everywhere: a hit in both contexts, no synergy (a single).
    assert rows["default", "D=0"].hit and rows["mutant", "D=0"].hit
    assert not rows["default", "D=0"].synergy
    # A and B are redundant: neither alone, both together (synergy); in the mutant C also drives G.
    assert rows["default", "A=0"].verdict == rows["default", "B=0"].verdict == "resists"
    assert rows["default", "A=0+B=0"].verdict == "responds" and rows["default", "A=0+B=0"].synergy
    assert rows["mutant", "A=0+B=0"].verdict == "resists"
    assert rows["mutant", "A=0+B=0+C=0"].synergy
    # A pair containing D=0 responds, but D=0 alone does already: a hit, not a synergy.
    assert rows["default", "A=0+D=0"].hit and not rows["default", "A=0+D=0"].synergy
    # Synergy recomputed from the rows of the parts.
    for row in result.rows:
        parts = row.combination.split("+")
        subsets = ["+".join(s) for k in range(1, len(parts)) for s in itertools.combinations(parts, k)]
        expected = row.hit and row.size > 1 and all(rows[row.context, s].verdict != "responds" for s in subsets)
        assert row.synergy == expected, row
    ranked = rank_hits(result.rows)
    assert ranked[0].combination == "D=0" and ranked[0].rescued == ("default", "mutant")
    sizes = [(len(hit.rescued), hit.size) for hit in ranked]
    assert sizes == sorted(sizes, key=lambda s: (-s[0], s[1]))
    # The triple rescues both contexts (a synergy in the mutant), the pair only the default one.
    minimal = [hit.combination for hit in ranked if hit.minimal]
    assert minimal == ["D=0", "A=0+B=0+C=0", "A=0+B=0"]
    # Mechanism: G changes 1>0 through A -> G or B -> G; both members of the synergy act on G, each
    # through its own edge; A is fixed by the combination itself. Data first, text only at the edge.
    pair = rows["default", "A=0+B=0"].mechanism
    g_change, a_change = pair.changes
    assert (g_change.readout, g_change.before, g_change.after, g_change.fixed) == ("G", "1", "0", False)
    assert [(path.nodes, path.edges, path.sign) for path in g_change.paths] == [
        (("A", "G"), ("activation",), "activation"),
        (("B", "G"), ("activation",), "activation"),
    ]
    assert (a_change.readout, a_change.fixed, a_change.paths) == ("A", True, ())
    assert pair.changed_text() == "G:1>0;A:1>0" == rows["default", "A=0+B=0"].record()["changed"]
    assert pair.text() == "G 1>0: A -> G (+) & B -> G (+); A 1>0: A fixed by the combination"
    assert Mechanism.from_json(pair.to_json()) == pair
    # A ranked hit hands the change of a readout over as that data, not as text to split.
    hit = next(hit for hit in ranked if hit.combination == "A=0+B=0")
    assert hit.explanation("G") == g_change and hit.explanation("Z") is None


def test_signed_path_sign_and_avoidance(bundled):
    path, sign = signed_path(bundled.graph, ["AKT"], "MTORC1")
    assert path[0] == "AKT" and path[-1] == "MTORC1"
    product = 1
    for source, target in zip(path, path[1:]):
        product *= {"activation": 1, "inhibition": -1}[bundled.graph.edges[source, target]["sign"]]
    assert sign == ("activation" if product == 1 else "inhibition")
    assert len(path) - 1 == __import__("networkx").shortest_path_length(bundled.graph, "AKT", "MTORC1")
    # A node held constant relays nothing: the path must go around it (or not exist).
    around = signed_path(bundled.graph, ["AKT"], "MTORC1", avoid=[path[1]])
    assert around is None or path[1] not in around[0]


def test_cli_table_and_heatmap(toy, tmp_path):
    figure = tmp_path / "screen.png"
    result = CliRunner().invoke(
        main,
        ["screen", "-m", str(toy), "--base", "none", "--response", "G=0", "--readout", "G", "--knockouts-only"]
        + ["--size", "3", "--plot", str(figure), "--jobs", "1"],
    )
    assert result.exit_code == 0, result.output
    hits, _, graded = result.stdout.partition("Graded synergy")
    ranked = [line.split()[1] for line in hits.splitlines() if line[:4].strip().isdigit()]
    assert ranked == ["D=0", "A=0+B=0+C=0", "A=0+B=0"]
    assert graded  # the graded view follows the hits (its numbers: test_graded_synergy_*)
    assert "ETA" not in result.output  # no progress bar when standard error is not a terminal
    assert figure.read_bytes()[:4] == b"\x89PNG"


# -- parallel runs: local processes and a Dask cluster give the same rows ---------------------------


def test_parallel_rows_equal_serial_rows(bundled):
    plan = plan_screen(bundled, contexts=["pten_loss", "her2_trastuzumab_resistant"], size=1)
    serial = run_screen(bundled, plan, jobs=1)
    parallel = run_screen(bundled, plan, jobs=2, chunk_size=7)
    assert parallel.rows == serial.rows


def test_workers_receive_the_screened_model_not_the_bundled_one(toy):
    model = load_model(toy)
    plan = toy_plan(model, knockouts_only=True)
    assert run_screen(model, plan, jobs=2, chunk_size=2).rows == run_screen(model, plan, jobs=1).rows
    # A model that exists only in memory travels to the workers too (no file to load, no fallback to jobs=1).
    in_memory = _network({"A": "A", "B": ("not", "A")})
    plan = plan_screen(in_memory, base="none", combinations=["B=1", "B=0"], response=("B", "0"))
    parallel = run_screen(in_memory, plan, jobs=2, chunk_size=1).rows
    assert [row.verdict for row in parallel] == ["resists", "responds"]
    assert parallel == run_screen(in_memory, plan, jobs=1).rows


def test_dask_cluster_rows_equal_local_rows(bundled):
    distributed = pytest.importorskip("distributed")
    plan = plan_screen(
        bundled, contexts=["pten_loss", "default"], candidates=["AKT=0", "ERK=0", "MTORC1=0", "erlotinib"]
    )
    local = run_screen(bundled, plan, jobs=1)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = run_screen(bundled, plan, scheduler=cluster.scheduler_address, chunk_size=3)
    assert remote.rows == local.rows


def test_scheduler_without_dask_names_the_extra(bundled, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if dask[distributed] were not installed
    plan = plan_screen(bundled, contexts=["default"], combinations=["AKT=0"])
    with pytest.raises(IgfnetError, match=r"pip install 'igfnet\[dask\]'"):
        run_screen(bundled, plan, scheduler="tcp://127.0.0.1:8786")


# -- output, journal and resume ---------------------------------------------------------------------

RESUMED_CONTEXTS = ["pten_loss", "her2_trastuzumab_resistant", "default", "high_insulin"]
SCREEN = ["screen", "--knockouts-only", "--chunk-size", "4"] + [f"--context={c}" for c in RESUMED_CONTEXTS]


@pytest.fixture(scope="module")
def reference_csv(bundled):
    plan = plan_screen(bundled, contexts=RESUMED_CONTEXTS, knockouts_only=True)
    return run_screen(bundled, plan, jobs=1).to_csv()


def _start(arguments: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "igfnet", *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches the pool's workers too
    )


def _journal_rows(journal: Path) -> int:
    """Finished rows in a journal: its lines less the '#' header lines and the column header."""
    lines = journal.read_text().splitlines() if journal.exists() else []
    return max(0, sum(1 for line in lines if not line.startswith("#")) - 1)


def _wait_for_rows(journal: Path, rows: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _journal_rows(journal) >= rows:
            return
        if process.poll() is not None:
            pytest.fail(f"the screen ended before it could be interrupted: {process.stderr.read().decode()}")
        time.sleep(0.05)
    pytest.fail("the journal did not grow")


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("jobs, how", [("2", signal.SIGKILL), ("1", signal.SIGINT)])
def test_interrupted_screen_resumes_to_the_uninterrupted_result(tmp_path, reference_csv, jobs, how):
    output = tmp_path / "screen.csv"
    journal = tmp_path / "screen.csv.partial.csv"
    process = _start([*SCREEN, "--jobs", jobs, "--output", str(output)])
    # Early, so that a loaded machine cannot finish the screen before the signal lands.
    _wait_for_rows(journal, 8, process)
    os.killpg(process.pid, how)
    process.wait(timeout=30)
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert "--resume" in process.stderr.read().decode()
    assert not output.exists()
    assert 8 <= _journal_rows(journal) < len(_rows(reference_csv))
    # Without --resume the finished work is never overwritten silently.
    refused = CliRunner().invoke(main, [*SCREEN, "--output", str(output)])
    assert refused.exit_code == 2 and "--resume" in refused.output
    # A torn last line, as a kill in the middle of a write leaves it.
    with open(journal, "a") as stream:
        stream.write("pten_loss,AKT=0+ER")
    resumed = CliRunner().invoke(main, [*SCREEN, "--jobs", jobs, "--output", str(output), "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert output.read_text() == reference_csv  # no row lost, none doubled, canonical order
    assert not journal.exists()
    assert CliRunner().invoke(main, [*SCREEN, "--output", str(output), "--resume"]).exit_code == 2  # complete


def test_resume_from_a_journal_killed_before_its_first_line(tmp_path, bundled):
    plan = plan_screen(bundled, contexts=["default"], combinations=["AKT=0"])
    journal = tmp_path / "s.csv.partial.csv"
    journal.write_text("# igfnet scr")  # torn header
    resumed = run_screen(bundled, plan, jobs=1, journal=journal, resume=True)
    assert resumed.rows == run_screen(bundled, plan, jobs=1).rows
    assert [row.key for row in read_journal(journal, plan)] == [("default", "AKT=0")]


def test_resume_refuses_another_screens_journal(tmp_path, bundled):
    output = tmp_path / "screen.csv"
    plan = plan_screen(bundled, contexts=["default"], combinations=["AKT=0"])
    run_screen(bundled, plan, jobs=1, journal=str(output) + ".partial.csv")
    other = plan_screen(bundled, base="figitumumab", contexts=["default"], combinations=["AKT=0"])
    with pytest.raises(IgfnetError, match="another screen"):
        read_journal(str(output) + ".partial.csv", other)
    result = CliRunner().invoke(
        main,
        ["screen", "--base", "figitumumab", "-c", "default", "--combination", "AKT=0"]
        + ["--output", str(output), "--resume"],
    )
    assert result.exit_code == 2 and "another screen" in result.output


def test_parquet_output_holds_the_csv_rows(tmp_path):
    pytest.importorskip("pyarrow")
    import pandas

    arguments = ["screen", "-c", "pten_loss", "--combination", "AKT=0+ERK=0", "--combination", "erlotinib"]
    CliRunner().invoke(main, [*arguments, "--output", str(tmp_path / "s.csv")])
    result = CliRunner().invoke(main, [*arguments, "--output", str(tmp_path / "s.parquet")])
    assert result.exit_code == 0, result.output
    table = pandas.read_parquet(tmp_path / "s.parquet")
    rows = _rows((tmp_path / "s.csv").read_text())
    assert (
        list(table["combination"])
        == [row["combination"] for row in rows]
        == ["AKT=0", "ERK=0", "erlotinib", "AKT=0+ERK=0"]
    )
    assert list(table["verdict"]) == [row["verdict"] for row in rows]
    assert table["hit"].dtype == bool


def test_combination_parts_are_screened_for_synergy(bundled):
    plan = plan_screen(bundled, contexts=["default"], combinations=["AKT=0+ERK=0+MTORC1=0"])
    assert [c.name for c in plan.combinations] == [
        "AKT=0",
        "ERK=0",
        "MTORC1=0",
        "AKT=0+ERK=0",
        "AKT=0+MTORC1=0",
        "ERK=0+MTORC1=0",
        "AKT=0+ERK=0+MTORC1=0",
    ]
    assert isinstance(plan.combinations[0], Treatment)


def test_evaluate_is_consistent_with_the_toy_rules(toy):
    # Guard the hand-made model's reading: G's rule as the tests above assume it.
    model = load_model(toy)
    assert evaluate(model.rules["G"].expression, {"A": 0, "B": 0, "C": 1, "D": 1})
    assert not evaluate(model.rules["G"].expression, {"A": 1, "B": 1, "C": 1, "D": 0})


def test_progress_bar_with_eta_on_a_terminal_only(tmp_path):
    from terminal import stderr_on_a_terminal

    arguments = [sys.executable, "-m", "igfnet", "screen", "-c", "pten_loss", "--knockouts-only", "--size", "1"]
    done, shown = stderr_on_a_terminal(arguments + ["--jobs", "1"], cwd=ROOT, stdout=subprocess.PIPE, timeout=120)
    assert done.returncode == 0
    rows = re.search(rb"Screening (\d+) combinations", shown)
    assert rows is not None
    end = rows.group(1) + b"/" + rows.group(1)
    assert b"screen" in shown and end in shown  # the bar, at its end
    piped = subprocess.run(arguments + ["--jobs", "1"], cwd=ROOT, capture_output=True, timeout=120)
    assert end not in piped.stderr and b"ETA" not in piped.stderr
    assert b"rank" in piped.stdout


def test_output_problems_are_reported_before_any_work(toy, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["screen", "--combination", "AKT=0", "--output", str(tmp_path / "no" / "s.csv")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    inside = runner.invoke(
        main, ["screen", "-m", str(toy), "--base", "none", "--response", "G=0", "--output"] + [str(toy / "s.csv")]
    )
    assert inside.exit_code == 2 and "overwrite the model" in inside.output
    assert not (toy / "s.csv.partial.csv").exists()
    wrong = runner.invoke(main, ["screen", "--combination", "AKT=0", "--output", str(tmp_path / "s.xlsx")])
    assert wrong.exit_code == 2 and "--output" in wrong.output
