"""The ``igfnet`` command line: one module per command, each a thin layer over the library.

Only click is imported at start-up; each command imports what it needs when
it runs, so ``igfnet --help`` answers at once.
"""

from __future__ import annotations

from typing import Any

import click

from igfnet import __version__
from igfnet.errors import IgfnetError


class InputError(click.ClickException):
    """A user's mistake: a one-line message and exit status 2, never a traceback."""

    exit_code = 2


def one_line(message: str, limit: int = 1000) -> str:
    """A message as one line of at most ``limit`` characters: a library message quotes user input, which may be huge."""
    line = " ".join(message.splitlines())
    return line if len(line) <= limit else line[:limit] + "..."


def _full_errors() -> frozenset[int]:
    import errno

    return frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


_FULL = _full_errors()
"""OSErrors of the machine, not of igfnet: a full disk or quota, a file too large, an I/O error."""


def _discard_stdout() -> None:
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


COMMANDS = {
    "attractors": "igfnet.cli.attractors:attractors_command",
    "biomarkers": "igfnet.cli.biomarkers:biomarkers_command",
    "compare": "igfnet.cli.compare:compare_command",
    "draw": "igfnet.cli.draw:draw_command",
    "export": "igfnet.cli.export:export_command",
    "init": "igfnet.cli.init:init_command",
    "list": "igfnet.cli.inspect:list_command",
    "predict": "igfnet.cli.predict:predict_command",
    "screen": "igfnet.cli.screen:screen_command",
    "show": "igfnet.cli.inspect:show_command",
    "trapspaces": "igfnet.cli.trapspaces:trapspaces_command",
    "validate": "igfnet.cli.validate:validate_command",
}
"""Each command's module, imported only when the command runs (or when --help lists them)."""


class IgfnetGroup(click.Group):
    """Loads a command's module on demand and turns a user's mistake into exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name.lower(), list(COMMANDS), n=2, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else f"; commands: {', '.join(sorted(COMMANDS))}"
            ctx.fail(f"no command {name!r}{hint}")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        from importlib import import_module

        module, attribute = COMMANDS[name].split(":")
        command: click.Command = getattr(import_module(module), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        import os
        import sys

        # Figures go to files, never to a window: the CLI, not the library, picks the file-only backend
        # (an environment variable costs nothing at start-up; matplotlib reads it if a command draws).
        os.environ["MPLBACKEND"] = "Agg"
        from igfnet.cli import watch

        stopped = None
        try:
            try:
                result = super().invoke(ctx)
                sys.stdout.flush()  # here, not at exit: a full disk behind standard output is reported like the rest
                return result
            finally:
                stopped = watch.end()
        except KeyboardInterrupt as interrupt:
            if stopped is None or stopped.reason is None:
                raise
            message = stopped.message()
            _release_frames(interrupt)
            error_type: type[click.ClickException] = watch.LimitReached
        except IgfnetError as error:
            message = one_line(str(error))
            _release_frames(error)
            error_type = InputError
        except OSError as error:
            if error.errno not in _FULL:
                raise
            if error.filename is None:  # standard output: drop what it could not take, or exit would try again
                _discard_stdout()
            where = f"cannot write {error.filename}" if error.filename else "cannot write to standard output"
            raise InputError(f"{where}: {error.strerror}") from None
        # Raised outside the except block, so the error's frames are not kept alive as its context.
        raise error_type(message)


def _release_frames(error: BaseException) -> None:
    """Free the locals of the frames an error passed through, now, not at interpreter exit.

    Those frames may hold decision diagrams; freed at exit, after their
    manager, they made CUDD complain on standard error
    ("Error in sys.excepthook") after the one-line message.
    """
    import traceback

    traceback.clear_frames(error.__traceback__)
    error.__traceback__ = None


@click.group(cls=IgfnetGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="igfnet")
def main() -> None:
    """Boolean network models of IGF-1R signalling in cancer.

    Exact attractors of fully asynchronous dynamics (one node changes per
    transition) under knockouts, overexpression, drugs and tumour contexts.
    Without --model, commands use the bundled IGF-1R model.
    """
