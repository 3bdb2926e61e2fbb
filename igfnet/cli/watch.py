"""A watch over a command: a heartbeat on a terminal, --timeout and --max-memory.

One daemon thread per command looks at the clock and the process's memory
four times a second. On a terminal, once the command has run for a second
without a progress bar, it shows what is being done and for how long. When
the run passes --timeout or its memory passes --max-memory, it interrupts
the main thread (as Ctrl-C does, at the next Python instruction: a search
inside one long C call ends when that call returns); the command group then
reports one line and exit status 3.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import click

LIMIT_EXIT = 3
"""Exit status of a command ended by --timeout or --max-memory."""

TICK = 0.25
"""Seconds between looks at the clock and the memory."""


class LimitReached(click.ClickException):
    """A search ended by --timeout or --max-memory: one line, exit status 3."""

    exit_code = LIMIT_EXIT


def physical_memory() -> int | None:
    """The machine's memory in bytes, where the system says."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def resident_memory() -> int:
    """This process's resident memory in bytes (Linux: now; elsewhere: its peak)."""
    try:
        with open("/proc/self/statm", "rb") as stream:
            return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


class Watch:
    """The state the watcher thread and the command share."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.activity = "working"
        self.progress: str | None = None
        self.timeout: float | None = None
        self.max_memory: int | None = None
        self.reason: str | None = None
        self.bar_shown = False
        self.owner: object = None
        self._shown = False
        self._last_beat = -1
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._interrupt_was_ignored = False

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def start(self) -> None:
        if self._thread is None:
            in_main = threading.current_thread() is threading.main_thread()
            if in_main and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
                # A script's background job starts with Ctrl-C ignored, and interrupt_main then does
                # nothing: the limits would be ignored too. Ctrl-C itself stays ignored.
                signal.signal(signal.SIGINT, self._interrupt_at_a_limit)
                self._interrupt_was_ignored = True
            self._thread = threading.Thread(target=self._run, name="igfnet-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)  # a write blocked on a stopped terminal must not hold the command
        if self._interrupt_was_ignored and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self._interrupt_was_ignored = False
        self._clear()

    def _interrupt_at_a_limit(self, signum: int, frame: object) -> None:
        if self.reason is not None:
            raise KeyboardInterrupt

    def message(self) -> str:
        done = f"; {self.progress}" if self.progress else ""
        if self.reason == "memory":
            limit = _size_text(self.max_memory or 0)
            return f"stopped {self.activity} after {self.elapsed():.1f} s: memory above --max-memory {limit}{done}"
        return f"stopped {self.activity} at --timeout {self.timeout:g} s{done}"

    def _run(self) -> None:
        tty = _stderr_is_a_terminal()
        while not self._stop.wait(TICK):
            elapsed = self.elapsed()
            reason = None
            if self.timeout is not None and elapsed >= self.timeout:
                reason = "timeout"
            elif self.max_memory is not None and resident_memory() > self.max_memory:
                reason = "memory"
            if reason is not None:
                with self._lock:
                    if not self._stop.is_set():
                        self.reason = reason
                        import _thread

                        _thread.interrupt_main()
                return
            if tty and elapsed >= 1.0 and not self.bar_shown and int(elapsed) != self._last_beat:
                self._last_beat = int(elapsed)  # once a second: a terminal nobody reads must not fill up
                self._beat(elapsed)

    def _beat(self, elapsed: float) -> None:
        done = f", {self.progress}" if self.progress else ""
        try:
            sys.stderr.write(f"\r\x1b[K{self.activity}: {elapsed:.0f} s{done}")
            sys.stderr.flush()
            self._shown = True
        except (OSError, ValueError):
            pass

    def _clear(self) -> None:
        if self._shown:
            try:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
            except (OSError, ValueError):
                pass
            self._shown = False


def _stderr_is_a_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _size_text(size: int) -> str:
    for unit, factor in (("G", 1 << 30), ("M", 1 << 20), ("k", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.3g}{unit}"
    return str(size)


_current: Watch | None = None


def current() -> Watch | None:
    """The watch of the running command, if any."""
    return _current


def begin(owner: object = None) -> Watch:
    """The watch of the command ``owner`` (its click context), started on first use.

    A watch left by another command (one run without the igfnet group,
    which ends it) is stopped first: its clock would count that command's time.
    """
    global _current
    if _current is not None and _current.owner is not owner:
        end()
    if _current is None:
        _current = Watch()
        _current.owner = owner
        _current.start()
    return _current


def end() -> Watch | None:
    """Stop the running command's watch; return it (to read why it stopped the command)."""
    global _current
    watch, _current = _current, None
    if watch is not None:
        watch.stop()
    return watch
