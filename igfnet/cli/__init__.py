"""The ``igfnet`` command line: one module per command, each a thin layer over the library.

Only click is imported at start-up; each command imports what it needs when
it runs, so ``igfnet --help`` answers at once.
"""

from __future__ import annotations

import click

from igfnet import __version__
from igfnet.errors import IgfnetError


class InputError(click.ClickException):
    """A user's mistake: a one-line message and exit status 2, never a traceback."""

    exit_code = 2


class IgfnetGroup(click.Group):
    def invoke(self, ctx: click.Context):
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


def _register() -> None:
    from igfnet.cli import attractors, compare, export, inspect, screen, validate

    main.add_command(attractors.attractors_command)
    main.add_command(compare.compare_command)
    main.add_command(export.export_command)
    main.add_command(inspect.list_command)
    main.add_command(inspect.show_command)
    main.add_command(validate.validate_command)
    main.add_command(screen.screen_command)


_register()
