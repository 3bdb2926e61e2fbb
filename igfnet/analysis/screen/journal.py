"""The journal: finished rows survive an interrupted screen, and a resumed screen reads them back."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from igfnet.analysis.outcome import VERDICTS
from igfnet.analysis.screen.plan import ScreenPlan
from igfnet.analysis.screen.results import ScreenRow, columns
from igfnet.errors import IgfnetError, excerpt

if TYPE_CHECKING:
    pass


JOURNAL_SUFFIX = ".partial.csv"


# -- the journal: finished rows survive an interrupted screen -------------------------------

JOURNAL_FORMAT = 3
"""Bumped when the journal's layout changes; a journal of another format is another screen's."""


MECHANISM_DATA = "mechanism_data"
"""The journal's last column: each row's mechanism as data, so a resumed screen keeps it whole."""


def journal_columns(readouts: Sequence[str]) -> list[str]:
    """The output's columns, then the mechanism as data."""
    return [*columns(readouts), MECHANISM_DATA]


def journal_path(output: str | Path) -> Path:
    return Path(str(output) + JOURNAL_SUFFIX)


def fallback_journal_path(journal: str | Path) -> Path:
    """Where a journal goes when its directory disappears mid-screen: the user's cache directory (else /tmp)."""
    import hashlib
    import tempfile

    absolute = os.path.abspath(journal)
    tag = hashlib.blake2b(absolute.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    base = cache_directory() or tempfile.gettempdir()
    return Path(base) / "screen-journals" / f"{tag}-{os.path.basename(absolute)}"


def cache_directory() -> str | None:
    """The user's igfnet cache directory: ``$IGFNET_CACHE_DIR``, else ``$XDG_CACHE_HOME/igfnet``, else ``~/.cache/igfnet``.

    None when ``IGFNET_CACHE_DIR`` is set to an empty string.
    """
    configured = os.environ.get("IGFNET_CACHE_DIR")
    if configured is not None:
        return configured or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "igfnet")


@dataclass(frozen=True, slots=True)
class JournalChoice:
    """The journal a screen writing ``output`` uses, and where it was kept if it had to be moved back."""

    path: Path
    moved_back_from: Path | None = None


def choose_journal(
    output: str | Path, *, resume: bool, force: bool, protected: Sequence[str | Path] = ()
) -> JournalChoice:
    """The journal beside ``output``, after the resume/force policy; raises IgfnetError before any work.

    - ``resume``: continue the journal (moved back from :func:`fallback_journal_path`
      if the output's directory disappeared mid-screen); a complete ``output``
      with no journal has nothing to resume, unless ``force``.
    - neither: an existing journal or output is an error (nothing is overwritten by surprise).
    - ``force`` without ``resume``: start over (the old journal is removed).

    ``protected`` are input files (the model) that the output must not overwrite.
    """
    from igfnet.io import check_output

    check_output(output, [path for path in protected if path])
    journal = journal_path(output)
    moved_back_from = None
    kept = fallback_journal_path(journal)
    if resume and not journal.exists() and kept.exists():
        import shutil

        shutil.move(kept, journal)  # kept there when the output's directory disappeared mid-screen
        moved_back_from = kept
    if resume and not journal.exists() and Path(output).exists() and not force:
        raise IgfnetError(f"{output} is complete: nothing to resume (--force recomputes it)")
    if not resume and not force:
        for existing in (journal, Path(output)):
            if existing.exists():
                raise IgfnetError(
                    f"{existing} exists: --resume continues that screen, --force starts over (and overwrites it)"
                )
    if force and journal.exists() and not resume:
        journal.unlink()
    return JournalChoice(journal, moved_back_from)


def _journal_header(plan: ScreenPlan) -> str:
    from igfnet import __version__

    return f"# igfnet screen journal {JOURNAL_FORMAT} igfnet={__version__} {plan.signature()}\n"


def describe_selection(plan: ScreenPlan) -> str:
    """The contexts and combinations of a plan, as a journal records them (for a person reading a resume's message)."""
    import hashlib

    names = "\n".join(combination.name for combination in plan.combinations).encode("utf-8")
    digest = hashlib.blake2b(names, digest_size=4).hexdigest()
    return f"contexts {','.join(plan.contexts)}; {len(plan.combinations)} combinations ({digest})"


def _row_check(header: str, line: str) -> str:
    import hashlib

    # Keyed by the header: a row is valid only in a journal of the screen that computed it.
    key = hashlib.blake2b(header.encode("utf-8"), digest_size=32).digest()
    return hashlib.blake2b(line.encode("utf-8"), key=key, digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class JournalContents:
    """What a journal holds for a plan: its valid rows, and how many lines were dropped and why."""

    rows: tuple[ScreenRow, ...]
    damaged: int
    """Lines dropped as damaged: torn, not UTF-8, NUL bytes, a wrong checksum or a field that does not read."""
    outside: int
    """Valid rows of contexts or combinations this plan does not have (another --context, --size, ...)."""
    selection: str
    """The contexts and combinations the journal was written for (:func:`describe_selection`)."""


def inspect_journal(path: str | Path, plan: ScreenPlan) -> JournalContents:
    """Read a journal without changing it: every row whose checksum and fields are valid, in file order.

    Raises IgfnetError if the journal belongs to a different screen (other
    base treatment, response, readouts, model or igfnet version, or an older
    journal format).
    """
    with open(path, "rb") as stream:
        data = stream.read()
    header = _journal_header(plan)
    first, newline, rest = data.partition(b"\n")
    if not newline:
        return JournalContents((), 0, 0, "")  # killed before its first line was complete: nothing was kept
    found = first.decode("utf-8", "replace")
    if found + "\n" != header:
        raise IgfnetError(
            f"{path} holds another screen's rows ({excerpt(found)!r}; this screen: {header.strip()!r}); "
            "use --force to start over"
        )
    lines = rest.split(b"\n")
    selection = ""
    if lines and lines[0].startswith(b"# selection "):
        selection = lines.pop(0)[len(b"# selection ") :].decode("utf-8", "replace")
    names = journal_columns(plan.readouts)
    if lines and lines[0].decode("utf-8", "replace") == ",".join(names):
        lines.pop(0)
    if lines and lines[-1] == b"":
        lines.pop()  # after the last newline
    keys = set(plan.keys())
    rows: dict[tuple[str, str], ScreenRow] = {}
    damaged = outside = 0
    for raw in lines:
        row = _read_row(raw, header, names, plan.readouts)
        if row is None:
            damaged += 1
        elif row.key not in keys:
            outside += 1
        else:
            rows.setdefault(row.key, row)
    return JournalContents(tuple(rows.values()), damaged, outside, selection)


def _read_row(raw: bytes, header: str, names: Sequence[str], readouts: Sequence[str]) -> ScreenRow | None:
    """A journal line as a row, or None if anything about it is wrong."""
    try:
        text = raw.decode("utf-8")
        line, comma, check = text.rpartition(",")
        if not comma or "\0" in text or _row_check(header, line) != check:
            return None
        [fields] = list(csv.reader([line]))
        if len(fields) != len(names):
            return None
        row = ScreenRow.from_record(dict(zip(names, fields, strict=True)), readouts)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, TypeError):
        return None
    if row.verdict not in VERDICTS or row.base_verdict not in VERDICTS or not 0 <= row.responding <= row.reached:
        return None
    return row


def read_journal(path: str | Path, plan: ScreenPlan) -> list[ScreenRow]:
    """The finished rows of an interrupted screen, in the order they were written.

    Every valid row of the plan is kept; damaged lines (a torn last line, bytes
    that are not UTF-8, a wrong checksum: see :func:`inspect_journal`) and rows
    of keys the plan does not contain are dropped, and the journal is rewritten
    with the kept rows only, so new rows append cleanly. A repeated key keeps
    its first row.

    Raises IgfnetError if the journal belongs to a different screen.
    """
    contents = inspect_journal(path, plan)
    # Rewritten beside it, then renamed: a kill during the rewrite leaves the old journal whole.
    rewritten = Path(str(path) + ".rewrite")
    with Journal(rewritten, plan, fresh=True) as journal:
        journal.write(contents.rows)
    os.replace(rewritten, path)
    return list(contents.rows)


class Journal:
    """Appends finished rows to a CSV file, each with a checksum, flushed and synced to disk after each batch.

    The first lines name the screen (:func:`_journal_header`), the contexts and
    combinations, and the columns. If the file is removed while the screen runs
    (its directory deleted), the journal moves to :func:`fallback_journal_path`
    with every row written so far; ``path`` then says where it is.
    """

    def __init__(self, path: str | Path, plan: ScreenPlan, fresh: bool):
        self.path = Path(path)
        self.columns = journal_columns(plan.readouts)
        self.header = _journal_header(plan)
        self.lines: list[str] = []
        if fresh:
            self.lines = [self.header, f"# selection {describe_selection(plan)}\n", ",".join(self.columns) + "\n"]
        try:
            self.stream = open(self.path, "w" if fresh else "a", encoding="utf-8")
            if fresh:
                self.stream.write("".join(self.lines))
                self._sync()
            else:
                with open(self.path, encoding="utf-8", errors="replace") as existing:
                    self.lines = existing.readlines()
        except OSError as error:
            raise IgfnetError(f"cannot write the journal {self.path}: {error.strerror or error}") from None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def write(self, rows: Sequence[ScreenRow]) -> None:
        lines = []
        for row in rows:
            buffer = io.StringIO()
            record = {**row.record(), MECHANISM_DATA: row.mechanism.to_json()}
            csv.DictWriter(buffer, self.columns, lineterminator="").writerow(record)
            line = buffer.getvalue()
            lines.append(f"{line},{_row_check(self.header, line)}\n")
        self.lines.extend(lines)
        try:
            self.stream.write("".join(lines))
            self._sync()
            if os.fstat(self.stream.fileno()).st_nlink == 0:
                self._move()
        except OSError as error:  # a full disk: the rows written before this batch are safe
            raise IgfnetError(
                f"cannot write the journal {self.path}: {error.strerror or error}; "
                "the rows it holds are kept: free some space and continue with --resume"
            ) from None

    def _move(self) -> None:
        # Our file was unlinked (its directory removed): its rows would vanish with the last descriptor.
        target = fallback_journal_path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.stream.close()
        self.stream = open(target, "w", encoding="utf-8")
        self.stream.write("".join(self.lines))
        self._sync()
        self.path = target

    def _sync(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())

    def close(self) -> None:
        self.stream.close()
