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
    """--model PATH, --max-size, --timeout and --max-memory.

    --max-size is kept in the context's meta, read by :func:`load`; --timeout
    and --max-memory go to the command's watch (:mod:`igfnet.cli.watch`), so
    commands need no new argument.
    """
    command = click.option(
        "--max-memory",
        metavar="SIZE",
        default="80%",
        show_default=True,
        expose_value=False,
        callback=_max_memory,
        help="End a search cleanly (exit status 3) when this process's memory passes SIZE (bytes, k/M/G, or a "
        "share of the machine's memory such as 80%; 'none': no limit).",
    )(command)
    command = click.option(
        "--timeout",
        metavar="SECONDS",
        type=click.FloatRange(min=0, min_open=True),
        expose_value=False,
        callback=_timeout,
        help="End a search cleanly after SECONDS (exit status 3, saying how far it got).",
    )(command)
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
    size = _parse_size(value)
    if size is None:
        raise click.BadParameter(f"expected a size such as 50M, 2G or 1000000, got {value!r}", ctx, param)
    ctx.meta[_MAX_SIZE_KEY] = size
    return size


def _timeout(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    from igfnet.cli.watch import begin

    begin(ctx.find_root()).timeout = value
    return value


def _max_memory(ctx: click.Context, param: click.Parameter, value: str) -> int | None:
    from igfnet.cli.watch import begin, physical_memory

    text = value.strip().lower()
    limit: int | None
    if text == "none":
        limit = None
    elif text.endswith("%"):
        machine = physical_memory()
        try:
            share = float(text[:-1])
        except ValueError:
            share = -1.0
        if not 0 < share <= 100:
            raise click.BadParameter(f"expected a share such as 80%, got {value!r}", ctx, param)
        limit = None if machine is None else int(machine * share / 100)
    else:
        limit = _parse_size(value)
        if limit is None:
            raise click.BadParameter(f"expected a size such as 4G, 80% or none, got {value!r}", ctx, param)
    begin(ctx.find_root()).max_memory = limit
    return limit


def _parse_size(value: str) -> int | None:
    """Bytes from "50M", "2G", "1000000"; None for anything else."""
    text = value.strip().lower().removesuffix("b")
    number, unit = (text[:-1], text[-1]) if text[-1:] in _SIZE_UNITS else (text, "")
    try:
        size = int(float(number) * _SIZE_UNITS[unit])
    except (ValueError, OverflowError):  # "foo", "inf"
        return None
    return size if size > 0 else None


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


def settings_option(command: _Command) -> _Command:
    """--set NODE=0|1 (repeatable, or comma-separated), parsed into a mapping passed as ``settings``."""
    return click.option(
        "--set",
        "settings",
        multiple=True,
        metavar="NODE=0|1",
        callback=_setting,
        shell_complete=complete("setting"),
        help="Fix NODE (usually an input) at a value, overriding the default context (repeatable, or comma-separated).",
    )(command)


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
    return click.option(
        "--initial",
        metavar="untreated|NODE=0|1,...",
        callback=parse_initial,
        shell_complete=complete("setting"),
        help=help,
    )


def complete(kind: str) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    """Shell completion of the model's names: ``kind`` is "node", "setting" (NODE=), "drug" or "context".

    The model is the one --model names (given before on the command line),
    else the bundled one; in a comma list only the last item is completed.
    """

    def names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        try:
            model = load(ctx.params.get("model_path"))
        except Exception:  # noqa: BLE001 - completion must never fail: a bad --model offers nothing
            return []
        head, comma, last = incomplete.rpartition(",")
        prefix = head + comma
        if kind == "drug":
            candidates = list(model.drugs)
        elif kind == "context":
            candidates = list(model.contexts)
        else:
            candidates = model.nodes
        if kind == "setting":
            candidates = [f"{node}=" for node in candidates]
        lowered = last.lower()
        return [CompletionItem(prefix + name) for name in candidates if name.lower().startswith(lowered)]

    return names


def perturbation_options(command: _Command) -> _Command:
    """--knockout, --overexpress, --set, --drug, --context, --cut, --free-inputs."""
    options = [
        click.option(
            "--knockout",
            "-k",
            multiple=True,
            metavar="NODE",
            callback=items,
            shell_complete=complete("node"),
            help="Fix NODE at 0 (repeatable, or comma-separated).",
        ),
        click.option(
            "--overexpress",
            multiple=True,
            metavar="NODE",
            callback=items,
            shell_complete=complete("node"),
            help="Fix NODE at 1 (repeatable, or comma-separated).",
        ),
        click.option(
            "--set",
            "settings",
            multiple=True,
            metavar="NODE=0|1",
            callback=_setting,
            shell_complete=complete("setting"),
            help="Fix NODE (usually an input) at a value, overriding the default context (repeatable, or comma-separated).",
        ),
        click.option(
            "--drug",
            "-d",
            "drugs",
            multiple=True,
            metavar="NAME",
            callback=items,
            shell_complete=complete("drug"),
            help="Apply a named drug (repeatable, or comma-separated; see 'igfnet list drugs').",
        ),
        click.option(
            "--context",
            "-c",
            "contexts",
            multiple=True,
            metavar="NAME",
            shell_complete=complete("context"),
            help="A named tumour context (see 'igfnet list contexts'). Several combine (comma-separated or "
            "repeated): their settings together, refused where two fix a node differently.",
        ),
        click.option(
            "--cut",
            multiple=True,
            metavar="SOURCE:TARGET",
            callback=items,
            help="Remove the interaction SOURCE -> TARGET (repeatable, or comma-separated).",
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

        from igfnet.cli.watch import current

        self.started = time.monotonic()
        self.watch = current()
        self.tty = sys.stderr.isatty()
        # Off a terminal the count still goes to the watch, so that --timeout can say how far the run got.
        return self.update if self.tty or self.watch is not None else None

    def update(self, done: int, total: int) -> None:
        if self.watch is not None:
            self.watch.progress = (
                f"{self.label} {done}/{total}" if self.show_pos else f"{self.label} {done * 100 // max(total, 1)}%"
            )
        if not self.tty:
            return
        if self.bar is None:
            import sys
            import time

            if time.monotonic() - self.started < self.delay:
                return
            self.bar = click.progressbar(
                length=total, label=self.label, file=sys.stderr, show_eta=True, show_pos=self.show_pos
            )
            if self.watch is not None:
                self.watch.bar_shown = True
            self.bar.__enter__()
        if done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        if self.watch is not None:
            self.watch.bar_shown = False


def load(model_path: str | None) -> BooleanNetwork:
    from igfnet.cli.watch import current
    from igfnet.formats import load_model
    from igfnet.rules import MAX_SIZE

    context = click.get_current_context(silent=True)
    max_size = context.meta.get(_MAX_SIZE_KEY, MAX_SIZE) if context is not None else MAX_SIZE
    watch = current()
    if watch is not None:
        watch.activity = f"reading {model_path or 'the bundled model'}"
    model = load_model(model_path, max_size=max_size)
    if watch is not None:
        command = context.info_name if context is not None else "igfnet"
        watch.activity = f"{command} ({model.name})"
    return model


def perturbation_of(model: BooleanNetwork, options: dict[str, Any]) -> Perturbation:
    """A Perturbation from the parsed options; checks every name against the model.

    Several contexts combine: each one's fixed values and cuts together, then
    --set over them; two contexts that fix a node at different values are an error.
    """
    contexts = split_items(options["contexts"])
    treated = model.perturbation(
        knockout=options["knockout"],
        overexpress=options["overexpress"],
        settings=options["settings"],
        drugs=options["drugs"],
        context=contexts[0] if len(contexts) == 1 else None,
        cut=options["cut"],
    )
    if len(contexts) < 2:
        return treated
    return _with_contexts(model, treated, contexts, options["settings"])


def _with_contexts(
    model: BooleanNetwork, treated: Perturbation, contexts: list[str], settings: dict[str, int]
) -> Perturbation:
    from dataclasses import replace

    from igfnet.types import FrozenMap

    fixed: dict[str, tuple[int, str]] = {}
    cuts: dict[tuple[str, str], int] = {}
    fixed_by: dict[str, tuple[str, ...]] = {}
    for name in contexts:
        named = model.perturbation(context=name)
        for node, labels in named.fixed_by.items():
            fixed_by[node] = (*fixed_by.get(node, ()), *labels)
        for node, value in named.context.items():
            if node in fixed and fixed[node][0] != value and node not in settings:
                raise InputError(
                    f"contexts {fixed[node][1]} and {name} disagree on {node} ({fixed[node][0]} vs {value}): "
                    f"choose with --set {node}=0|1"
                )
            fixed.setdefault(node, (value, name))
        cuts.update(named.cuts)
    context = {node: value for node, (value, _) in fixed.items()} | dict(treated.context)
    return replace(
        treated,
        context=FrozenMap(context),
        cuts=FrozenMap({**cuts, **treated.cuts}),
        labels=(*(f"context {name}" for name in contexts), *treated.labels),
        fixed_by=FrozenMap(
            {
                node: (*fixed_by.get(node, ()), *treated.fixed_by.get(node, ()))
                for node in {**fixed_by, **treated.fixed_by}
            }
        ),
    )


def items(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Callback of a repeatable option: each value may also be a comma-separated list."""
    return tuple(split_items(values))


def split_items(values: Sequence[str]) -> list[str]:
    """The items of a repeatable option, each value also split at commas, blanks and repeats dropped."""
    items = (item.strip() for value in values for item in value.split(","))
    return list(dict.fromkeys(item for item in items if item))


FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def check_outputs(
    output: str | None = None,
    plot: str | None = None,
    protected: Sequence[str | None] = (),
    output_suffixes: Sequence[str] = (),
) -> None:
    """Check every file a command will write, before any work: a bad path fails at once, not after the run.

    ``--output`` must be writable (its directory exists, it is not the model)
    and, when ``output_suffixes`` are given, end in one of them; Parquet
    needs pyarrow. ``--plot`` must be a writable .png, .svg or .pdf.
    """
    from pathlib import Path

    from igfnet.io import check_output

    inputs = [path for path in protected if path]
    if output is not None and output != "-":
        if output_suffixes and Path(output).suffix.lower() not in output_suffixes:
            raise InputError(f"--output {output!r}: write a {' or '.join(output_suffixes)} file")
        check_output(output, inputs)
        if output.lower().endswith(".parquet"):
            require("pyarrow", "writing Parquet", "pip install 'igfnet[parquet]' (or write .csv)")
    if plot is not None:
        if Path(plot).suffix.lower() not in FIGURE_SUFFIXES:
            raise InputError(f"--plot {plot!r}: the figure must end in .png, .svg or .pdf")
        check_output(plot, inputs)


def require(module: str, purpose: str, remedy: str) -> None:
    """Raise InputError when an optional dependency is missing (found without importing it)."""
    from importlib.util import find_spec

    if find_spec(module) is None:
        raise InputError(f"{purpose} needs {module}: {remedy}")


def format_of(output: str | None, given: str | None, by_suffix: dict[str, str], default: str) -> str:
    """The output format: ``--format`` if given, else the output file's extension, else ``default``.

    A file whose extension names another format than ``--format`` is refused:
    ``--format bnet --output x.sbml`` would write one format under the other's name.
    """
    from pathlib import Path

    implied = None
    if output is not None and output != "-":
        implied = by_suffix.get(Path(output).suffix.lower())
    if given is None:
        return implied or default
    if implied is not None and implied != given:
        raise InputError(f"--format {given}, but {output!r} is named as {implied}: drop --format, or rename the file")
    return given


def write_output(text: str, output: str | None, protected: Sequence[str | None] = ()) -> None:
    """Print to stdout, or write a file atomically (never a half-written file; never over the model)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from igfnet.io import write_atomically

    write_atomically(output, text, protected=[path for path in protected if path])


__all__ = [
    "FIGURE_SUFFIXES",
    "InputError",
    "check_outputs",
    "complete",
    "format_of",
    "require",
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
    "settings_option",
    "items",
    "split_items",
    "write_output",
]
