"""igfnet.io: atomic replacement of regular files, in-place writes to everything else, modes, full disks."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from igfnet.errors import IgfnetError
from igfnet.io import open_atomically, write_atomically


def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_atomically(tmp_path / "out.txt", "text\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(tmp_path / "out.txt").st_mode) == 0o640
    assert (tmp_path / "out.txt").read_text() == "text\n"


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "secret.csv"
    target.write_text("old\n")
    target.chmod(0o600)
    write_atomically(target, "new\n")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text() == "new\n"
    assert [path.name for path in tmp_path.iterdir()] == ["secret.csv"]  # no temporary left behind


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomically(fifo, b"through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_dev_stdout_into_a_pipe() -> None:
    code = "from igfnet.io import write_atomically; write_atomically('/dev/stdout', 'piped\\n')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "piped\n", "")


def test_dash_is_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    write_atomically("-", "to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_one_clear_error() -> None:
    with pytest.raises(IgfnetError, match="cannot write /dev/full: No space left on device"):
        write_atomically("/dev/full", "x" * 100_000)


def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old\n")

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(IgfnetError, match=r"cannot write .*table.csv: No space left on device"):
        write_atomically(target, "new\n")
    assert target.read_text() == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["table.csv"]


def test_a_directory_and_a_missing_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(IgfnetError, match="is a directory"):
        write_atomically(tmp_path, "x")
    with pytest.raises(IgfnetError, match="does not exist"):
        write_atomically(tmp_path / "missing" / "out.txt", "x")


def test_export_to_dev_stdout_through_a_pipe(tmp_path: Path) -> None:
    model = tmp_path / "toggle.rules"
    model.write_text("A = not B\nB = not A\n")
    command = [sys.executable, "-m", "igfnet", "export", "--model", str(model), "--format", "bnet"]
    done = subprocess.run([*command, "--output", "/dev/stdout"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # Comments first: the model's name, then the export's header (what was applied).
    assert [line for line in done.stdout.splitlines() if not line.startswith("#")] == [
        "targets, factors",
        "A, !B",
        "B, !A",
    ]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "arguments",
    [
        ["export", "--format", "bnet", "--output", "-"],
        ["export", "--format", "bnet", "--output", "/dev/full"],
        ["attractors"],
        ["attractors", "--format", "json"],  # streamed to standard output
        ["attractors", "--format", "csv", "--output", "/dev/full"],  # streamed into a device
    ],
)
def test_a_full_disk_behind_the_output_is_one_line_and_exit_2(tmp_path: Path, arguments: list[str]) -> None:
    model = tmp_path / "toggle.rules"
    model.write_text("A = not B\nB = not A\n")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "igfnet", *arguments, "--model", str(model)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith("No space left on device")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_stream_replaces_the_file_only_at_the_end(tmp_path: Path) -> None:
    target = tmp_path / "listing.json"
    target.write_text("old\n")
    with open_atomically(target) as stream:
        stream.write("first\n")
        stream.flush()
        assert target.read_text() == "old\n"  # a reader still sees the whole old file
        stream.write("second\n")
    assert target.read_text() == "first\nsecond\n"
    assert [path.name for path in tmp_path.iterdir()] == ["listing.json"]


def test_a_failing_stream_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "listing.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), open_atomically(target) as stream:
        stream.write("half a listing\n")
        raise RuntimeError("the search failed")
    assert target.read_text() == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["listing.csv"]


def test_a_full_disk_while_streaming_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(IgfnetError, match=r"cannot write .*new.csv: No space left on device"):
        with open_atomically(tmp_path / "new.csv") as stream:
            stream.write("rows\n")
    assert list(tmp_path.iterdir()) == []


def test_a_stream_into_a_fifo_arrives_before_the_block_ends(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    first_row = threading.Event()

    def read() -> None:
        with fifo.open() as pipe:
            for line in pipe:
                received.append(line)
                first_row.set()

    reader = threading.Thread(target=read)
    reader.start()
    with open_atomically(fifo) as stream:
        stream.write("row 1\n")
        stream.flush()
        assert first_row.wait(timeout=10)  # streamed: the reader has it while the writer is still open
        stream.write("row 2\n")
    reader.join(timeout=10)
    assert received == ["row 1\n", "row 2\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_stream_to_dash_is_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    with open_atomically("-") as stream:
        stream.write("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"


def test_a_stream_into_a_closed_pipe_ends_quietly() -> None:
    code = (
        "from igfnet.io import open_atomically\n"
        "with open_atomically('-') as stream:\n"
        "    for number in range(200_000): stream.write(f'row {number}\\n')\n"
    )
    done = subprocess.run(
        f'{sys.executable} -c "{code}" | head -n 1', shell=True, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "row 0\n", "")


def test_a_stream_refuses_the_model_being_read(tmp_path: Path) -> None:
    model = tmp_path / "model.bnet"
    model.write_text("A, A\n")
    with pytest.raises(IgfnetError, match="refusing to write"), open_atomically(model, [model]):
        pass
    assert model.read_text() == "A, A\n"
