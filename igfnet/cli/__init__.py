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


COMMANDS = {
    "attractors": "igfnet.cli.attractors:attractors_command",
    "biomarkers": "igfnet.cli.biomarkers:biomarkers_command",
    "compare": "igfnet.cli.compare:compare_command",
    "draw": "igfnet.cli.draw:draw_command",
    "export": "igfnet.cli.export:export_command",
    "list": "igfnet.cli.inspect:list_command",
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

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        from importlib import import_module

        module, attribute = COMMANDS[name].split(":")
        command: click.Command = getattr(import_module(module), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IgfnetError as error:
            raise InputError(str(error)) from None


@click.group(cls=IgfnetGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="igfnet")
def main() -> None:
    """Boolean network models of IGF-1R signalling in cancer.

    Exact attractors of fully asynchronous dynamics (one node changes per
    transition) under knockouts, overexpression, drugs and tumour contexts.
    Without --model, commands use the bundled IGF-1R model.
    """
