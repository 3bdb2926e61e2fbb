"""Parsed model files, cached: a file is parsed once, not by every command that reads it.

Parsing the bundled model with boolean.py costs more than solving it, and an
SBML model would load libsbml each time. Like Python's ``__pycache__``, an
entry keeps what a parse produced, here in the user's cache directory
(``$IGFNET_CACHE_DIR``, else ``$XDG_CACHE_HOME/igfnet``, else
``~/.cache/igfnet``), never beside the user's files. An entry is used only
when it records exactly this file's text and name, this igfnet version and
the parser's source files as they are now; anything else is a miss and the
file is parsed again. A file that does not parse is never cached, so its
error is always reported by the parser itself. Set ``IGFNET_CACHE_DIR`` to an
empty string to turn the cache off.

Entries are written with :mod:`marshal`, as ``.pyc`` files are: it reads
plain tuples back in microseconds, without an import. Like ``__pycache__``,
the directory is trusted to be the user's own.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from types import MappingProxyType

from igfnet import __version__
from igfnet.rules import Rule

Parser = Callable[[str, str], tuple[list[Rule], str | None]]
"""``parse(text, source) -> (rules, model name or None)``, as each model format's reader."""

ENTRY_FORMAT = 1
"""Bumped when the layout of an entry changes."""

Stamp = tuple[int, str, tuple[tuple[str, int, int], ...], str, str]
"""What an entry must match: entry format, igfnet version, parser files, file name, file text."""


def cache_directory() -> str | None:
    """Where entries are kept; None when ``IGFNET_CACHE_DIR`` is set to an empty string."""
    configured = os.environ.get("IGFNET_CACHE_DIR")
    if configured is not None:
        return configured or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "igfnet")


def parse_cached(parse: Parser, text: str, source: str) -> tuple[list[Rule], str | None]:
    """``parse(text, source)``, or what it returned for this very file before.

    Examples
    --------
    >>> from igfnet.model import _parse_rules_file
    >>> rules, name = parse_cached(_parse_rules_file, "A = not B\\nB = input 1\\n", "toggle.rules")
    >>> [rule.target for rule in rules]
    ['A', 'B']
    """
    directory = cache_directory()
    try:
        parser_files = _parser_stamp()
    except OSError:  # igfnet's own files cannot be listed (run from a zip archive): no cache
        directory = None
    if directory is None:
        return parse(text, source)
    path = os.path.join(directory, _entry_name(parse, source))
    stamp: Stamp = (ENTRY_FORMAT, __version__, parser_files, source, text)
    cached = _read_entry(path, stamp)
    if cached is not None:
        return cached
    rules, name = parse(text, source)
    _write_entry(path, stamp, rules, name)
    return rules, name


def _entry_name(parse: Parser, source: str) -> str:
    import zlib

    # One entry per file and reader: an edited file replaces its entry instead of adding one.
    key = f"{parse.__module__}.{parse.__qualname__}\0{source}".encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(key):08x}.marshal"


def _parser_stamp() -> tuple[tuple[str, int, int], ...]:
    # The files that decide what a parse returns: the readers and the rule language, so an
    # edited checkout never reads an entry its old code wrote (an installed igfnet changes
    # them only with its version).
    package = os.path.dirname(os.path.abspath(__file__))
    formats = os.path.join(package, "formats")
    files = [os.path.join(package, name) for name in ("logic.py", "model.py", "rules.py")]
    files += [os.path.join(formats, name) for name in sorted(os.listdir(formats)) if name.endswith(".py")]
    stamp = []
    for file in files:
        status = os.stat(file)
        stamp.append((file, status.st_mtime_ns, status.st_size))
    return tuple(stamp)


def _read_entry(path: str, stamp: Stamp) -> tuple[list[Rule], str | None] | None:
    try:
        with open(path, "rb") as stream:
            entry = marshal.loads(stream.read())
        if entry[0] != stamp:
            return None
        rows, name = entry[1], entry[2]
        rules = [
            Rule(target, expression, is_input, default, MappingProxyType(annotations), where, written)
            for target, expression, is_input, default, annotations, where, written in rows
        ]
    except (OSError, EOFError, ValueError, TypeError, IndexError):  # absent, truncated or foreign: a miss
        return None
    return rules, name


def _write_entry(path: str, stamp: Stamp, rules: list[Rule], name: str | None) -> None:
    rows = tuple(
        (rule.target, rule.expression, rule.is_input, rule.default, dict(rule.annotations), rule.source, rule.text)
        for rule in rules
    )
    # Written under a name of this process, then renamed: a reader sees a whole entry or none.
    # Not igfnet.io.write_atomically: an entry needs neither its checks nor fsync, and its
    # pathlib and tempfile imports would double the first run's start-up.
    partial = f"{path}.{os.getpid()}.part"
    try:
        data = marshal.dumps((stamp, rows, name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(partial, "wb") as stream:
            stream.write(data)
        os.replace(partial, path)
    except (OSError, ValueError):  # a read-only home, a full disk: parse again next time
        try:
            os.unlink(partial)
        except OSError:
            pass
