"""The screen's journal under damage, other selections, a vanished directory, SIGTERM and SIGKILL.

Assertions are relations (a resumed screen equals the uninterrupted one; what is
kept and dropped is counted), never the bundled model's verdicts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import igfnet.analysis.parallel as parallel
import igfnet.analysis.screen as screen
from igfnet.analysis.screen import (
    JOURNAL_FORMAT,
    Journal,
    fallback_journal_path,
    inspect_journal,
    plan_screen,
    read_journal,
    run_screen,
)
from igfnet.cli import main
from igfnet.formats import load_model

ROOT = Path(__file__).resolve().parent.parent
COMBINATIONS = ["AKT=0", "ERK=0", "MTORC1=0", "erlotinib", "AKT=0+ERK=0"]


@pytest.fixture(scope="module")
def bundled():
    return load_model()


@pytest.fixture(scope="module")
def plan(bundled):
    return plan_screen(bundled, contexts=["default", "pten_loss"], combinations=COMBINATIONS)


@pytest.fixture(scope="module")
def reference(bundled, plan):
    return run_screen(bundled, plan, jobs=1)


def full_journal(bundled, plan, path: Path) -> list[bytes]:
    run_screen(bundled, plan, jobs=1, journal=path)
    return path.read_bytes().split(b"\n")


def test_a_journal_names_model_options_and_version_and_checks_every_row(bundled, plan, reference, tmp_path):
    from igfnet import __version__

    path = tmp_path / "s.csv.partial.csv"
    lines = full_journal(bundled, plan, path)
    assert lines[0].decode().startswith(f"# igfnet screen journal {JOURNAL_FORMAT} igfnet={__version__} base=IGF1R=0 ")
    assert f"model={plan.model}".encode() in lines[0]
    assert lines[1].startswith(b"# selection contexts default,pten_loss; 5 combinations")
    contents = inspect_journal(path, plan)
    assert (len(contents.rows), contents.damaged, contents.outside) == (plan.size, 0, 0)
    # Journaled before synergy and its graded excesses are known (they need the whole screen): compare without them.
    without_synergy = {row.key: replace(row, synergy=None, hsa=None, bliss=None) for row in reference.rows}
    assert {row.key: row for row in contents.rows} == without_synergy


@pytest.mark.parametrize(
    "damage",
    ["non-utf8", "non-integer", "nul", "torn", "invented", "flipped-verdict", "from-another-screen"],
)
def test_damaged_rows_are_dropped_and_recomputed(bundled, plan, reference, tmp_path, damage):
    path = tmp_path / "s.csv.partial.csv"
    lines = full_journal(bundled, plan, path)
    rows = lines[3:-1]  # header, selection, columns ... trailing ""
    victim = rows[2]
    if damage == "non-utf8":
        rows[2] = victim.replace(b",", b",\xff\xfe", 1)
    elif damage == "non-integer":
        fields = victim.split(b",")
        fields[2] = b"two"  # size
        rows[2] = b",".join(fields)
    elif damage == "nul":
        rows[2] = victim[:5] + b"\0" + victim[5:]
    elif damage == "torn":
        rows.append(rows.pop(2)[:-7])  # the last line, cut short by a kill
    elif damage == "invented":
        rows.append(b"default,AKT=0+MTORC1=0,2,responds,1.0000,1,1,resists,true,,0,0,0,0,0,1,,," + b"0" * 16)
    elif damage == "flipped-verdict":
        verdict = b"responds" if b",resists," in victim else b"resists"
        rows[2] = victim.replace(b",responds,", b"," + verdict + b",", 1).replace(
            b",resists,", b"," + verdict + b",", 1
        )
        assert rows[2] != victim
    else:
        other = plan_screen(bundled, base="figitumumab", contexts=["default"], combinations=["AKT=0"])
        other_lines = full_journal(bundled, other, tmp_path / "other.partial.csv")
        rows.append(other_lines[3])
    ending = b"" if damage == "torn" else b"\n"
    path.write_bytes(b"\n".join(lines[:3] + rows) + ending)
    contents = inspect_journal(path, plan)
    expected_kept = plan.size - (0 if damage in ("invented", "from-another-screen") else 1)
    assert (len(contents.rows), contents.damaged) == (expected_kept, 1)
    resumed = run_screen(bundled, plan, jobs=1, journal=path, resume=True)
    assert resumed.rows == reference.rows
    assert inspect_journal(path, plan).damaged == 0, "rewritten without the damaged line"


def test_resume_with_another_selection_says_what_it_keeps_and_drops(bundled, tmp_path):
    output = tmp_path / "screen.csv"
    first = ["screen", "-c", "default", "-c", "pten_loss", *[f"--combination={c}" for c in COMBINATIONS]]
    run_screen(
        bundled,
        plan_screen(bundled, contexts=["default", "pten_loss"], combinations=COMBINATIONS),
        jobs=1,
        journal=screen.journal_path(output),
    )
    assert CliRunner().invoke(main, [*first, "--output", str(output)]).exit_code == 2  # journal exists
    narrower = ["screen", "-c", "pten_loss", *[f"--combination={c}" for c in COMBINATIONS[:3]]]
    result = CliRunner().invoke(main, [*narrower, "--output", str(output), "--resume", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    summary = next(line for line in result.output.splitlines() if line.startswith("resuming"))
    assert "3 finished rows kept" in summary
    assert "7 rows outside this screen dropped" in summary
    assert "written for contexts default,pten_loss; 5 combinations" in summary
    assert "this screen: contexts pten_loss; 3 combinations" in summary
    again = tmp_path / "again.csv"
    assert CliRunner().invoke(main, [*narrower, "--output", str(again), "--jobs", "1"]).exit_code == 0
    assert output.read_text() == again.read_text()


def test_a_journal_whose_directory_disappears_moves_to_the_cache(bundled, plan, reference, tmp_path):
    directory = tmp_path / "out"
    directory.mkdir()
    path = directory / "s.csv.partial.csv"
    with Journal(path, plan, fresh=True) as journal:
        journal.write(reference.rows[:4])
        shutil.rmtree(directory)
        journal.write(reference.rows[4:])
        assert journal.path == fallback_journal_path(path)
    # The graded excesses are computed over the whole screen, after the journal: not kept in it.
    assert list(inspect_journal(journal.path, plan).rows) == [replace(r, hsa=None, bliss=None) for r in reference.rows]
    journal.path.unlink()


def test_cli_says_where_the_journal_went_and_resumes_from_there(bundled, tmp_path, monkeypatch):
    directory = tmp_path / "out"
    directory.mkdir()
    output = directory / "screen.csv"
    arguments = ["screen", "-c", "default", "-c", "pten_loss", *[f"--combination={c}" for c in COMBINATIONS]]
    write = Journal.write

    def write_then_lose_the_directory(self, rows):
        write(self, rows)
        if directory.exists():
            shutil.rmtree(directory)

    monkeypatch.setattr(Journal, "write", write_then_lose_the_directory)
    result = CliRunner().invoke(main, [*arguments, "--output", str(output), "--jobs", "1", "--chunk-size", "2"])
    moved = fallback_journal_path(screen.journal_path(output))
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"Error: cannot write {output}: directory {directory} does not exist; the rows are kept in {moved}: "
        "rerun with --resume to write them"
    )
    assert (
        len(
            inspect_journal(
                moved, plan_screen(bundled, contexts=["default", "pten_loss"], combinations=COMBINATIONS)
            ).rows
        )
        == 10
    )
    monkeypatch.setattr(Journal, "write", write)
    directory.mkdir()
    resumed = CliRunner().invoke(main, [*arguments, "--output", str(output), "--resume", "--jobs", "1"])
    assert resumed.exit_code == 0, resumed.output
    assert f"resuming the journal kept in {moved}" in resumed.output
    assert "10 finished rows kept" in resumed.output
    assert not moved.exists() and not screen.journal_path(output).exists()
    expected = tmp_path / "expected.csv"
    CliRunner().invoke(main, [*arguments, "--output", str(expected), "--jobs", "1"])
    assert output.read_text() == expected.read_text()


# -- signals: the pool's workers never outlive the screen ------------------------------------------

SCREEN = ["screen", "--knockouts-only", "--chunk-size", "4", "-c", "pten_loss", "-c", "default", "-c", "high_insulin"]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stream:
                    fields = stream.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stream:
                if stream.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            pass
    return alive


def _start_and_wait_for_workers(output: Path) -> tuple[subprocess.Popen, set[int]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "igfnet", *SCREEN, "--jobs", "2", "--output", str(output)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    journal = screen.journal_path(output)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        workers = _children(process.pid)
        if len(workers) >= 2 and journal.exists() and journal.read_text().count("\n") >= 12:
            return process, workers
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.05)
    process.kill()
    pytest.fail("the screen did not start its workers")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_the_main_process_ends_its_workers(tmp_path):
    process, workers = _start_and_wait_for_workers(tmp_path / "screen.csv")
    process.kill()  # the main process only: its workers are orphaned
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_shuts_the_pool_down_and_keeps_the_journal(tmp_path):
    output = tmp_path / "screen.csv"
    process, workers = _start_and_wait_for_workers(output)
    process.terminate()
    process.wait(timeout=60)
    stderr = process.stderr.read().decode()
    assert process.returncode == 143, stderr
    assert f"terminated; the finished rows are kept in {screen.journal_path(output)}" in stderr
    assert "Traceback" not in stderr
    assert not _alive(workers)
    resumed = CliRunner().invoke(main, [*SCREEN, "--output", str(output), "--resume", "--jobs", "1"])
    assert resumed.exit_code == 0, resumed.output
    expected = tmp_path / "expected.csv"
    assert CliRunner().invoke(main, [*SCREEN, "--output", str(expected), "--jobs", "1"]).exit_code == 0
    assert output.read_text() == expected.read_text()


def test_read_journal_of_a_torn_header_starts_afresh(bundled, plan, reference, tmp_path):
    path = tmp_path / "s.partial.csv"
    path.write_bytes(b"# igfnet screen jour")
    assert read_journal(path, plan) == []
    assert run_screen(bundled, plan, jobs=1, journal=path, resume=True).rows == reference.rows


ORPHAN = """
import multiprocessing, os, sys, time
from igfnet.analysis.parallel import _ignore_interrupts

def busy(parent):
    _ignore_interrupts(parent)  # what every pool worker runs first
    time.sleep(120)  # a long chunk

if __name__ == "__main__":
    child = multiprocessing.get_context("fork").Process(target=busy, args=(os.getpid(),))
    child.start()
    print(child.pid, flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_busy_worker_exits_when_its_parent_is_killed(tmp_path):
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN)
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    child = int(parent.stdout.readline())
    assert _alive({child})
    parent.kill()
    parent.wait(timeout=30)
    deadline = time.monotonic() + 5
    while _alive({child}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive({child}), "the worker outlived its parent"


# -- a full disk, Dask's failures -----------------------------------------------------------------


def test_a_full_disk_while_journaling_is_one_line_and_keeps_the_rows(bundled, plan, tmp_path, monkeypatch):
    import errno

    output = tmp_path / "screen.csv"
    arguments = ["screen", "-c", "default", "-c", "pten_loss", *[f"--combination={c}" for c in COMBINATIONS]]
    sync = Journal._sync
    calls = []

    def full_after_two(self):
        calls.append(1)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        sync(self)

    monkeypatch.setattr(Journal, "_sync", full_after_two)
    result = CliRunner().invoke(main, [*arguments, "--output", str(output), "--jobs", "1", "--chunk-size", "2"])
    journal = screen.journal_path(output)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"Error: cannot write the journal {journal}: No space left on device; "
        "the rows it holds are kept: free some space and continue with --resume"
    )
    assert len(inspect_journal(journal, plan).rows) >= 2


def test_a_full_disk_for_the_screen_output_is_one_line(tmp_path, monkeypatch):
    import errno

    def full(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    output = tmp_path / "screen.csv"
    monkeypatch.setattr(os, "fsync", full)  # the journal's syncs too: the first fails
    result = CliRunner().invoke(main, ["screen", "-c", "default", "--combination=AKT=0", "--output", str(output)])
    assert result.exit_code == 2
    assert "No space left on device" in result.output.strip().splitlines()[-1]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("address", ["foo", "http://127.0.0.1:8786"])
def test_a_scheduler_that_is_no_dask_address_is_one_line(address):
    pytest.importorskip("distributed")
    result = CliRunner().invoke(main, ["screen", "-c", "default", "--combination=AKT=0", "--scheduler", address])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()[-1:]
    assert line.startswith(f"Error: --scheduler {address!r} is not a Dask scheduler address (tcp://host:8786)")


def test_killed_workers_are_one_error_naming_the_cause():
    distributed = pytest.importorskip("distributed")
    from concurrent.futures import Future

    from igfnet.errors import IgfnetError

    future: Future = Future()
    from types import SimpleNamespace

    worker = SimpleNamespace(address="tcp://10.0.0.2:40000")  # the scheduler's WorkerState, as far as it is read
    future.set_exception(distributed.KilledWorker("solve_task-1", worker, 3))
    with pytest.raises(
        IgfnetError,
        match=r"Dask workers of tcp://s:8786 died while computing a chunk \(Attempted to run task 'solve_task-1' on 4 ",
    ):
        parallel._result(future, "tcp://s:8786")
    failing: Future = Future()
    failing.set_exception(ZeroDivisionError())
    with pytest.raises(ZeroDivisionError):  # anything else is a bug, not the cluster's doing
        parallel._result(failing, "tcp://s:8786")


def test_a_cluster_without_workers_is_reported_not_waited_on_forever(bundled, monkeypatch):
    distributed = pytest.importorskip("distributed")
    from igfnet.errors import IgfnetError

    monkeypatch.setattr(parallel, "NO_WORKERS_TIMEOUT", 2.0)
    plan = plan_screen(bundled, contexts=["default"], combinations=["AKT=0"])
    with distributed.LocalCluster(n_workers=0, dashboard_address=None) as cluster:
        started = time.monotonic()
        with pytest.raises(IgfnetError, match="has had no workers for 2 s: start some"):
            run_screen(bundled, plan, scheduler=cluster.scheduler_address)
        assert time.monotonic() - started < 30


def test_the_resume_and_force_policy_is_the_librarys(tmp_path):
    from igfnet.analysis.screen import choose_journal
    from igfnet.errors import IgfnetError

    output = tmp_path / "s.csv"
    journal = screen.journal_path(output)
    assert choose_journal(output, resume=False, force=False).path == journal
    journal.write_text("partial")
    with pytest.raises(IgfnetError, match="--resume continues that screen"):
        choose_journal(output, resume=False, force=False)
    assert choose_journal(output, resume=True, force=False).path.read_text() == "partial"  # kept
    choose_journal(output, resume=False, force=True)
    assert not journal.exists()  # started over
    output.write_text("done")
    with pytest.raises(IgfnetError, match="is complete: nothing to resume"):
        choose_journal(output, resume=True, force=False)
    with pytest.raises(IgfnetError, match="overwrite the model"):
        choose_journal(tmp_path / "model.rules", resume=False, force=True, protected=[tmp_path / "model.rules"])
