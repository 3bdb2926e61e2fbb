"""Running a command with its standard error on a terminal (a pseudo-terminal), as a user at a shell sees it."""

from __future__ import annotations

import os
import pty
import subprocess


def stderr_on_a_terminal(arguments: list[str], **options) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run ``arguments`` with standard error on a pseudo-terminal; the finished process and what it showed there."""
    controller, terminal = pty.openpty()
    done = subprocess.run(arguments, stderr=terminal, **options)
    os.close(terminal)
    shown = b""
    try:
        while chunk := os.read(controller, 4096):
            shown += chunk
    except OSError:  # the terminal's other end is closed: everything is read
        pass
    os.close(controller)
    return done, shown
