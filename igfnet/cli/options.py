"""Options shared by every command that takes a model and perturbations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from igfnet.cli import InputError

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork
    from igfnet.perturb import Perturbation

_Command = TypeVar("_Command", bound=Callable[..., Any])


def model_option(command: _Command) -> _Command:
    """--model PATH, and --max-size (kept in the context's meta, read by :func:`load`, so commands need no new argument)."""
    command = click.option(
        "--max-size",
        metavar="SIZE",
        default="50M",
        show_default=True,
        expose_value=False,
        callback=_max_size,
        help="Refuse a model file larger than this (bytes, or with k/M/G).",
    )(command)
    return click.option(
        "--model",
        "-m",
        "model_path",
        metavar="PATH",
        help="A .rules file or a directory of them, a .bnet, SBML-qual (.sbml/.xml) or BooleanNet file, "
        "by extension or content (default: the bundled IGF-1R model).",
    )(command)


_MAX_SIZE_KEY = "igfnet.max_size"
_SIZE_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _max_size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    text = value.strip().lower().removesuffix("b")
    number, unit = (text[:-1], text[-1]) if text[-1:] in _SIZE_UNITS else (text, "")
    try:
        size = int(float(number) * _SIZE_UNITS[unit])
    except (ValueError, OverflowError):  # "foo", "inf"
        size = -1
    if size <= 0:
        raise click.BadParameter(f"expected a size such as 50M, 2G or 1000000, got {value!r}", ctx, param)
    ctx.meta[_MAX_SIZE_KEY] = size
    return size


def _setting(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, int]:
    from igfnet.perturb import match_setting

    settings: dict[str, int] = {}
    for text in values:
        for item in text.split(","):
            setting = match_setting(item)
            if setting is None:
                raise click.BadParameter(f"expected NODE=0 or NODE=1, got {item.strip()!r}", ctx, param)
            settings[setting[0]] = setting[1]
    return settings


def parse_initial(ctx: click.Context, param: click.Parameter, value: str | None) -> str | dict[str, int] | None:
    """--initial: None, "untreated", or a mapping NODE -> 0|1 (click callback)."""
    if value is None or value.strip() == "untreated":
        return value and "untreated"
    from igfnet.perturb import match_setting

    settings: dict[str, int] = {}
    for item in value.split(","):
        if item.strip() == "untreated":
            continue
        setting = match_setting(item)
        if setting is None:
            raise click.BadParameter(f"expected 'untreated' or NODE=0|1,... got {item.strip()!r}", ctx, param)
        settings[setting[0]] = setting[1]
    return settings


def initial_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--initial untreated|NODE=0|1,..., parsed by :func:`parse_initial`; ``help`` says what it does for the command."""
    return click.option("--initial", metavar="untreated|NODE=0|1,...", callback=parse_initial, help=help)


def perturbation_options(command: _Command) -> _Command:
    """--knockout, --overexpress, --set, --drug, --context, --cut, --free-inputs."""
    options = [
        click.option("--knockout", "-k", multiple=True, metavar="NODE", help="Fix NODE at 0 (repeatable)."),
        click.option("--overexpress", "-o", multiple=True, metavar="NODE", help="Fix NODE at 1 (repeatable)."),
        click.option(
            "--set",
            "settings",
            multiple=True,
            metavar="NODE=0|1",
            callback=_setting,
            help="Fix NODE (usually an input) at a value, overriding the default context (repeatable, or comma-separated).",
        ),
        click.option(
            "--drug",
            "-d",
            "drugs",
            multiple=True,
            metavar="NAME",
            help="Apply a named drug (repeatable; see 'igfnet list drugs').",
        ),
        click.option("--context", "-c", metavar="NAME", help="A named tumour context (see 'igfnet list contexts')."),
        click.option(
            "--cut",
            multiple=True,
            metavar="SOURCE:TARGET",
            help="Remove the interaction SOURCE -> TARGET (repeatable).",
        ),
        click.option(
            "--free-inputs",
            is_flag=True,
            help="Leave every input free (all contexts at once) instead of the default context.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def response_option(command: _Command) -> _Command:
    return click.option(
        "--response",
        default="Proliferation=0",
        show_default=True,
        metavar="NODE=0|1",
        help="What a responding attractor shows (in every attractor the treated cell reaches).",
    )(command)


def score_option(command: _Command) -> _Command:
    return click.option(
        "--score",
        type=click.Choice(["share", "probability"]),
        default="share",
        show_default=True,
        help="share: of the reachable attractors, those that respond. probability: that the cell ends in a "
        "responding attractor, each node that can change doing so with equal probability (exact, or Monte-Carlo "
        "with a 95% interval when more than 2^20 states are reachable).",
    )(command)


def jobs_option(command: _Command) -> _Command:
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), metavar="N", help="Worker processes (default: every core)."
    )(command)


class progress_bar:  # noqa: N801 - used like a function: with progress_bar("screen") as progress
    """A progress bar with an ETA on standard error when it is a terminal; quiet when piped.

    ``with progress_bar(label) as progress`` gives ``progress(done, total)``
    (absolute counts, as the library's long runs report them), or None when
    standard error is not a terminal. With ``delay``, the bar appears only
    once the work has taken that many seconds, so a quick answer is not
    preceded by a flash; ``show_pos=False`` shows a percentage instead of
    ``done/total``.
    """

    def __init__(self, label: str, *, delay: float = 0.0, show_pos: bool = True):
        self.label = label
        self.delay = delay
        self.show_pos = show_pos
        self.bar: Any = None
        self.done = 0
        self.started = 0.0

    def __enter__(self) -> Callable[[int, int], None] | None:
        import sys
        import time

        self.started = time.monotonic()
        return self.update if sys.stderr.isatty() else None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            import sys
            import time

            if time.monotonic() - self.started < self.delay:
                return
            self.bar = click.progressbar(
                length=total, label=self.label, file=sys.stderr, show_eta=True, show_pos=self.show_pos
            )
            self.bar.__enter__()
        if done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def load(model_path: str | None) -> BooleanNetwork:
    from igfnet.model import load_model
    from igfnet.rules import MAX_SIZE

    context = click.get_current_context(silent=True)
    max_size = context.meta.get(_MAX_SIZE_KEY, MAX_SIZE) if context is not None else MAX_SIZE
    return load_model(model_path, max_size=max_size)


def perturbation_of(model: BooleanNetwork, options: dict[str, Any]) -> Perturbation:
    """A Perturbation from the parsed options; checks every name against the model."""
    return model.perturbation(
        knockout=options["knockout"],
        overexpress=options["overexpress"],
        settings=options["settings"],
        drugs=options["drugs"],
        context=options["context"],
        cut=options["cut"],
    )


def write_output(text: str, output: str | None, protected: Sequence[str | None] = ()) -> None:
    """Print to stdout, or write a file atomically (never a half-written file; never over the model)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from igfnet.io import write_atomically

    write_atomically(output, text, protected=[path for path in protected if path])


__all__ = [
    "InputError",
    "load",
    "model_option",
    "initial_option",
    "parse_initial",
    "perturbation_of",
    "perturbation_options",
    "progress_bar",
    "jobs_option",
    "response_option",
    "score_option",
    "write_output",
]
