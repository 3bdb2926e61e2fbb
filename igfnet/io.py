"""Writing files without ever leaving a half-written one, and without overwriting a model."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from igfnet.errors import IgfnetError


def write_atomically(path: str | Path, data: str | bytes, protected: Iterable[str | Path] = ()) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory, then rename it.

    A regular file (or a new one) is replaced at once, so a reader never sees
    half of it; a new file gets the mode the umask allows, an existing one
    keeps its mode. Anything else (``-`` for standard output, a FIFO,
    ``/dev/stdout``, a terminal) is written in place: renaming over it would
    replace the pipe or device with a regular file.

    Raises IgfnetError when ``path`` is one of the ``protected`` inputs (the
    model being read), its directory does not exist, or the write fails (a
    full disk, no permission).
    """
    if str(path) == "-":
        _write_stdout(data)
        return
    path = Path(path)
    status = _status(path)
    if status is not None and not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
        _write_in_place(path, data)
        return
    target = check_output(path, protected)
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    with _reporting(str(path)), _replacing(target, mode, "wb" if isinstance(data, bytes) else "w") as stream:
        stream.write(data)


@contextmanager
def open_atomically(path: str | Path, protected: Iterable[str | Path] = ()) -> Iterator[TextIO]:
    """A text stream whose writes reach ``path`` as they are made, never leaving half a regular file.

    The streaming counterpart of :func:`write_atomically`: a regular (or new)
    file is written through a temporary file in its directory and renamed
    over ``path`` when the block ends normally; if the block raises, the
    temporary file is removed and ``path`` is left as it was. ``-`` (standard
    output), FIFOs and devices are written in place, as they are produced.

    Raises IgfnetError as :func:`write_atomically` does; a reader that closes
    standard output early (``| head``) ends the output quietly.
    """
    if str(path) == "-":
        with _reporting("to standard output"):
            try:
                yield sys.stdout
                sys.stdout.flush()
            except BrokenPipeError:  # the reader has what it wanted
                _silence_stdout()
        return
    path = Path(path)
    status = _status(path)
    if status is not None and not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
        with _reporting(str(path)), open(path, "w") as stream:
            yield stream
        return
    target = check_output(path, protected)
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    with _reporting(str(path)), _replacing(target, mode, "w") as stream:
        yield stream


@contextmanager
def _reporting(name: str) -> Iterator[None]:
    # A failed write (a full disk, no permission) becomes one line, as in write_atomically.
    try:
        yield
    except OSError as error:
        raise IgfnetError(f"cannot write {name}: {error.strerror or error}") from None


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush cannot fail too.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


@contextmanager
def _replacing(target: Path, mode: int, open_mode: str) -> Iterator[Any]:
    """A stream to a temporary file beside ``target``, renamed over it when the block ends normally."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, open_mode) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def check_output(path: str | Path, protected: Iterable[str | Path] = ()) -> Path:
    """The resolved ``path`` if :func:`write_atomically` may write it; else raise IgfnetError.

    Call it before a long computation, so a bad ``--output`` fails at once rather than at the end.
    ``-`` (standard output) and existing pipes or devices are written in place and always pass.
    """
    path = Path(path)
    status = None if str(path) == "-" else _status(path)
    if str(path) == "-" or (
        status is not None and not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode)
    ):
        return path
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IgfnetError(f"cannot write {path}: it is a directory")
    target = path.resolve()
    for input_path in protected:
        input_path = Path(input_path).resolve()
        if target == input_path or input_path in target.parents:
            raise IgfnetError(f"refusing to write {path}: it would overwrite the model being read ({input_path})")
    if not target.parent.is_dir():
        raise IgfnetError(f"cannot write {path}: directory {path.parent} does not exist")
    return target


def _status(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)  # follows links: /dev/stdout is a pipe, a tty, ...
    except OSError:
        return None


def _write_in_place(path: Path, data: str | bytes) -> None:
    try:
        with open(path, "wb" if isinstance(data, bytes) else "w") as stream:
            stream.write(data)
    except OSError as error:
        raise IgfnetError(f"cannot write {path}: {error.strerror or error}") from None


def _write_stdout(data: str | bytes) -> None:
    try:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
    except BrokenPipeError:  # `igfnet ... --output - | head`: the reader has what it wanted
        pass
    except OSError as error:
        raise IgfnetError(f"cannot write to standard output: {error.strerror or error}") from None


def _umask() -> int:
    # The umask can only be read by setting it; set it straight back.
    current = os.umask(0o022)
    os.umask(current)
    return current


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows as CSV text, as every igfnet table is written (``\\n`` line ends; None as empty).

    >>> print(csv_text(["a", "b"], [[1, "x,y"], [None, 2.5]]), end="")
    a,b
    1,"x,y"
    ,2.5
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def records_csv(records: Sequence[Mapping[str, object]], columns: Sequence[str] | None = None) -> str:
    """Records as CSV text: ``columns``, or the keys of the first record; '' when there are none to name them."""
    if columns is None:
        if not records:
            return ""
        columns = list(records[0])
    return csv_text(columns, ([record.get(column) for column in columns] for record in records))
