"""Writing files without ever leaving a half-written one, and without overwriting a model."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from igfnet.errors import IgfnetError


def write_atomically(path: str | Path, data: str | bytes, protected: Iterable[str | Path] = ()) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory, then rename it.

    Raises IgfnetError when ``path`` is one of the ``protected`` inputs (the
    model being read) or its directory does not exist.
    """
    target = check_output(path, protected)
    path = Path(path)
    mode = "wb" if isinstance(data, bytes) else "w"
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, mode) as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def check_output(path: str | Path, protected: Iterable[str | Path] = ()) -> Path:
    """The resolved ``path`` if :func:`write_atomically` may write it; else raise IgfnetError.

    Call it before a long computation, so a bad ``--output`` fails at once rather than at the end.
    """
    path = Path(path)
    target = path.resolve()
    for input_path in protected:
        input_path = Path(input_path).resolve()
        if target == input_path or input_path in target.parents:
            raise IgfnetError(f"refusing to write {path}: it would overwrite the model being read ({input_path})")
    if not target.parent.is_dir():
        raise IgfnetError(f"cannot write {path}: directory {path.parent} does not exist")
    if target.is_dir():
        raise IgfnetError(f"cannot write {path}: it is a directory")
    return target
