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
plain tuples back in microseconds, without an import. marshal trusts its
input (a 5-byte entry can ask it for gigabytes), so each entry carries a
BLAKE2b checksum of its payload, checked before marshal sees a byte: a
flipped bit, a torn or foreign file is a miss, never a wrong model or a
false error. Only regular files of at most :data:`MAX_ENTRY_SIZE` bytes are
read (a FIFO or a link to ``/dev/zero`` is a miss, not a hang), any error
while decoding is a miss, and the directory is kept under
:data:`MAX_CACHE_SIZE` by removing the least recently used entries. Like
``__pycache__``, the directory is trusted to be the user's own.
"""

from __future__ import annotations

import marshal
import os
import stat
from collections.abc import Callable

from igfnet import __version__
from igfnet.rules import Rule
from igfnet.types import FrozenMap

Parser = Callable[[str, str], tuple[list[Rule], str | None]]
"""``parse(text, source) -> (rules, model name or None)``, as each model format's reader."""

ENTRY_FORMAT = 2
"""Bumped when the layout of an entry changes."""

MAX_ENTRY_SIZE = 128 * 1024 * 1024
"""Larger entries are neither written nor read (a model file at the default --max-size makes about 100 MB)."""

MAX_CACHE_SIZE = 256 * 1024 * 1024
"""The cache directory is trimmed below this many bytes of entries, least recently used first."""

_MAGIC = b"igfnet-cache\x02"
_DIGEST_SIZE = 16
_SUFFIX = ".marshal"

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
    return f"{zlib.crc32(key):08x}{_SUFFIX}"


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
    payload = _verified_payload(path)
    if payload is None:
        return None
    try:
        entry = marshal.loads(payload)
        if entry[0] != stamp:
            return None
        rows, name = entry[1], entry[2]
        rules = [
            Rule(target, expression, is_input, default, FrozenMap(annotations), where, written)
            for target, expression, is_input, default, annotations, where, written in rows
        ]
        if name is not None and not isinstance(name, str):
            return None
    except Exception:  # noqa: BLE001 - whatever a foreign entry makes marshal or Rule raise, it is a miss
        return None
    try:
        os.utime(path)  # used now: the last entry to go when the directory is trimmed
    except OSError:
        pass
    return rules, name


def _verified_payload(path: str) -> bytes | None:
    """An entry's payload if it is a regular file of bounded size whose checksum matches, else None."""
    try:
        # Non-blocking and not following links: a FIFO or a link to a device is a miss at once.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_ENTRY_SIZE:
            return None
        with os.fdopen(descriptor, "rb") as stream:
            descriptor = -1
            data = stream.read(MAX_ENTRY_SIZE + 1)
    except OSError:
        return None
    finally:
        if descriptor >= 0:
            os.close(descriptor)
    header = len(_MAGIC) + _DIGEST_SIZE
    if len(data) < header or not data.startswith(_MAGIC):
        return None
    payload = data[header:]
    if _digest(payload) != data[len(_MAGIC) : header]:
        return None
    return payload


def _digest(payload: bytes) -> bytes:
    try:
        from _blake2 import blake2b  # what hashlib wraps, without hashlib's OpenSSL import (2 ms)
    except ImportError:
        from hashlib import blake2b
    return blake2b(payload, digest_size=_DIGEST_SIZE).digest()


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
        payload = marshal.dumps((stamp, rows, name))
        if len(payload) + len(_MAGIC) + _DIGEST_SIZE > MAX_ENTRY_SIZE:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(partial, "wb") as stream:
            stream.write(_MAGIC + _digest(payload) + payload)
        os.replace(partial, path)
    except (OSError, ValueError):  # a read-only home, a full disk: parse again next time
        try:
            os.unlink(partial)
        except OSError:
            pass
        return
    trim(os.path.dirname(path))


def trim(directory: str, limit: int | None = None, *, stale_after: float = 3600.0) -> None:
    """Remove the least recently used entries until the directory's entries take at most ``limit`` bytes.

    ``limit`` defaults to :data:`MAX_CACHE_SIZE`.
    Also removes what a killed writer left (``.part`` files older than ``stale_after`` seconds).
    Errors are ignored: another process may be trimming the same directory.
    """
    import time

    entries: list[tuple[float, int, str]] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return
    now = time.time()
    for name in names:
        path = os.path.join(directory, name)
        try:
            status = os.lstat(path)
            if name.endswith(".part") and now - status.st_mtime > stale_after:
                os.unlink(path)
            elif name.endswith(_SUFFIX):
                entries.append((status.st_mtime, status.st_size, path))
        except OSError:
            continue
    limit = MAX_CACHE_SIZE if limit is None else limit
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            pass
        total -= size
