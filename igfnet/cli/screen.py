"""``igfnet screen``: which added perturbation rescues IGF-1R blockade, in which tumour context, and how."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from igfnet.cli import InputError
from igfnet.cli.options import (
    check_outputs,
    complete,
    items,
    jobs_option,
    load,
    model_option,
    progress_bar,
    response_option,
    score_option,
    settings_option,
)
from igfnet.report import plural

if TYPE_CHECKING:
    from igfnet.analysis.screen import ScreenPlan, ScreenResult
    from igfnet.model import BooleanNetwork

COMBINATION_HELP = (
    "Items joined by '+': NODE=0 (knockout), NODE=1 (overexpression) or a drug name, e.g. 'MTORC1=0+erlotinib'. "
)


@click.command("screen")
@model_option
@click.option(
    "--base",
    metavar="A+B",
    help="The treatment every combination is added to: 'figitumumab' for the antibody, 'none' for nothing "
    "(default: IGF1R=0, IGF-1R knockout, in a model that has IGF1R; else none).",
)
@settings_option
@click.option(
    "--context",
    "-c",
    "contexts",
    multiple=True,
    metavar="NAME",
    callback=items,
    shell_complete=complete("context"),
    help="Contexts to screen (repeatable, or comma-separated; default: all).",
)
@click.option(
    "--combination",
    "combinations",
    multiple=True,
    metavar="A+B",
    help=COMBINATION_HELP + "Repeatable; screens these (and their parts) instead of the whole universe.",
)
@click.option(
    "--combinations",
    "combination_file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="Combinations to screen, one per line ('#' comments).",
)
@click.option(
    "--candidates",
    multiple=True,
    metavar="FILE|A,B,...",
    help="The single perturbations to combine, as a file (one per line) or a comma-separated list "
    "(default: knockout and overexpression of every non-input, non-phenotype node, and every drug).",
)
@click.option("--knockouts-only", is_flag=True, help="Combine knockouts only.")
@click.option("--drugs-only", is_flag=True, help="Combine the model's drugs only (those the base does not contradict).")
@click.option(
    "--size", type=click.IntRange(1, 3), default=2, show_default=True, help="Largest combination (1, 2 or 3 items)."
)
@click.option(
    "--readout", "readouts", multiple=True, metavar="NODE", callback=items, help="Readouts to report (repeatable)."
)
@response_option
@score_option
@jobs_option
@click.option(
    "--scheduler", metavar="ADDRESS", help="Run on a Dask cluster (tcp://host:8786) instead of local processes."
)
@click.option(
    "--output",
    "-O",
    metavar="FILE.csv|.parquet",
    help="Every row (context x combination); finished rows are kept in FILE.partial.csv until the end.",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted screen from FILE.partial.csv.")
@click.option("--force", is_flag=True, help="Start over even if --output or its journal exists.")
@click.option("--plot", metavar="FILE.png|svg|pdf", help="Heatmap: contexts x top combinations, by verdict.")
@click.option("--top", type=click.IntRange(0), default=20, show_default=True, help="Hits listed (and drawn).")
@click.option(
    "--all-hits",
    is_flag=True,
    help="List every hit, also combinations that only add to a single that rescues on its own.",
)
@click.option("--chunk-size", type=click.IntRange(1), hidden=True, help="Combinations per task.")
def screen_command(
    model_path: str | None,
    base: str | None,
    settings: dict[str, int],
    contexts: tuple[str, ...],
    combinations: tuple[str, ...],
    combination_file: str | None,
    candidates: tuple[str, ...],
    knockouts_only: bool,
    drugs_only: bool,
    size: int,
    readouts: tuple[str, ...],
    response: str,
    score: str,
    jobs: int | None,
    scheduler: str | None,
    output: str | None,
    resume: bool,
    force: bool,
    plot: str | None,
    top: int,
    all_hits: bool,
    chunk_size: int | None,
) -> None:
    """Screen single and pairwise perturbations added to IGF-1R blockade, in every tumour context.

    Each row applies the base treatment plus one combination to a cell
    sitting in its context's untreated attractors and follows the fully
    asynchronous dynamics to every attractor it can reach (as in 'igfnet
    compare'). A hit turns a context where the base alone does not respond
    into one that responds; it is synergistic when no part of it (no single
    of a pair) responds there on its own. Hits are ranked by the number of
    contexts they rescue, then size, then name, with the readouts that change
    and a shortest signed path from a perturbed node to each.

    Graded synergy, per context and combination of two or more items, on the
    score (--score: the share of reachable attractors that respond, or the
    probability of response): HSA excess = score - best single's score;
    Bliss excess = score - (1 - prod(1 - single's score)). Both are in every
    --output row; the table ranks combinations by mean Bliss excess.

    Every combination is checked before any work starts: an item that does not
    parse, an unknown node or drug, a repeated item or a node fixed at both 0
    and 1 is an error.
    """
    from igfnet.analysis.outcome import READOUTS
    from igfnet.analysis.review import review_defaults
    from igfnet.analysis.screen import choose_journal, plan_screen, read_combinations, run_screen
    from igfnet.errors import IgfnetError
    from igfnet.perturb import parse_setting

    check_outputs(output, plot, protected=[model_path], output_suffixes=(".csv", ".parquet"))
    if resume and output is None:
        raise click.BadParameter(
            "--resume continues the screen written to --output FILE: give it", param_hint="--resume"
        )
    node, value = parse_setting(response)
    model = load(model_path)
    if base is None:
        base = review_defaults().default_base(model)
    if settings:
        model = _with_inputs_set(model, settings, contexts)

    texts = list(combinations)
    chosen: list[str] | None = None
    if combination_file is not None or texts:
        from igfnet.analysis.screen import parse_base

        chosen = texts
        if combination_file is not None:
            chosen += [c.name for c in read_combinations(model, combination_file, parse_base(model, base))]
    plan = plan_screen(
        model,
        base=base,
        contexts=contexts or None,
        combinations=chosen,
        size=size,
        knockouts_only=knockouts_only,
        candidates=_drugs(model, base) if drugs_only else _candidates(candidates) if candidates else None,
        readouts=readouts or READOUTS,
        response=(node, str(value)),
        score=score,
    )

    journal = None
    if output is not None:
        chosen_journal = choose_journal(output, resume=resume, force=force, protected=[model_path or ""])
        journal = chosen_journal.path
        if chosen_journal.moved_back_from is not None:
            click.echo(
                f"resuming the journal kept in {chosen_journal.moved_back_from} (moved back to {journal})", err=True
            )

    click.echo(
        f"Screening {plural(len(plan.combinations), 'combination')} x {plural(len(plan.contexts), 'context')} = "
        f"{plural(plan.size, 'row')} "
        f"on top of {plan.base.name or 'no treatment'}.",
        err=True,
    )
    if resume and journal is not None and journal.exists():
        click.echo(_resume_summary(journal, plan), err=True)
    import signal

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with progress_bar("screen") as progress:
            result = run_screen(
                model,
                plan,
                jobs=jobs,
                scheduler=scheduler,
                journal=journal,
                resume=resume,
                chunk_size=chunk_size,
                progress=progress,
            )
    except KeyboardInterrupt as stop:
        where = _journal_now(journal)
        kept = f"; the finished rows are kept in {where}: rerun with --resume to continue" if where else ""
        terminated = isinstance(stop, _Terminated)
        from igfnet.cli.watch import LimitReached, current

        watch = current()
        if watch is not None and watch.reason is not None:  # --timeout or --max-memory, not Ctrl-C
            raise LimitReached(watch.message() + kept) from None
        click.echo(f"\n{'terminated' if terminated else 'interrupted'}{kept}", err=True)
        sys.exit(143 if terminated else 130)
    finally:
        signal.signal(signal.SIGTERM, previous)

    if output is not None:
        from igfnet.io import write_atomically

        data = result.to_parquet() if output.lower().endswith(".parquet") else result.to_csv()
        try:
            write_atomically(output, data, protected=[model_path] if model_path else [])
        except IgfnetError as error:
            where = _journal_now(journal)
            if where is None:
                raise
            raise IgfnetError(f"{error}; the rows are kept in {where}: rerun with --resume to write them") from None
        for path in (journal, _journal_now(journal)):
            if path is not None:
                path.unlink(missing_ok=True)
    asked = [_canonical(model, text, base) for text in texts]
    click.echo(_table(result, top, all_hits, asked) + _graded_table(result, top), nl=False)
    if plot:
        from igfnet.plot import screen_heatmap

        screen_heatmap(result, plot, top=top or 20, minimal=not all_hits)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: the pool shuts down and the journal is kept."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _journal_now(journal: Path | None) -> Path | None:
    """Where the journal is: beside the output, or where it moved when the output's directory disappeared."""
    from igfnet.analysis.screen import fallback_journal_path

    if journal is None:
        return None
    for path in (journal, fallback_journal_path(journal)):
        if path.exists():
            return path
    return None


def _resume_summary(journal: Path, plan: ScreenPlan) -> str:
    """What --resume keeps of a journal and what it drops (damaged lines, rows of another selection)."""
    from igfnet.analysis.screen import describe_selection, inspect_journal

    contents = inspect_journal(journal, plan)
    parts = [f"resuming {journal}: {len(contents.rows)} finished rows kept"]
    if contents.damaged:
        parts.append(f"{contents.damaged} damaged rows dropped (computed again)")
    if contents.outside:
        parts.append(
            f"{contents.outside} rows outside this screen dropped (the journal was written for "
            f"{contents.selection or 'another selection'}; this screen: {describe_selection(plan)})"
        )
    return "; ".join(parts)


def _with_inputs_set(model: BooleanNetwork, settings: dict[str, int], contexts: tuple[str, ...]) -> BooleanNetwork:
    """The model with --set's inputs at those values in its default context (and so in every named one).

    A screen row names its context; fixing inputs through the model keeps
    rows, journal and workers as they are. A named context that sets one of
    them otherwise would silently win, so it is refused.
    """
    model.check_nodes(settings)
    for node in settings:
        if not model.rules[node].is_input:
            raise InputError(f"screen --set fixes inputs; {node} is not one: add {node}=0|1 to --base instead")
    for name in contexts or list(model.contexts):
        if name == "default":
            continue
        fixed = model.perturbation(context=name).context
        for node, value in settings.items():
            if fixed.get(node, value) != value:
                raise InputError(f"--set {node}={value}, but context {name} sets {node}={fixed[node]}")
    return model.with_rules(
        replace(rule, default=settings[node]) if node in settings else rule for node, rule in model.rules.items()
    )


def _candidates(values: tuple[str, ...]) -> list[str]:
    """Items from files (one per line, '#' comments) or comma-separated lists."""
    from igfnet.errors import PerturbationError

    items: list[str] = []
    for value in values:
        if Path(value).is_file():
            for line in Path(value).read_text(encoding="utf-8").splitlines():
                text = line.split("#", 1)[0].strip()
                if text:
                    items.append(text)
            continue
        for text in value.split(","):
            if not text.strip():
                raise PerturbationError(f"--candidates {value!r}: an empty item (items are separated by ',')")
            items.append(text.strip())
    return items


def _drugs(model: BooleanNetwork, base: str) -> list[str]:
    """--drugs-only: every drug of the model that the base does not contradict."""
    from igfnet.analysis.screen import parse_base
    from igfnet.perturb import conflicting_items, parse_item

    base_combination = parse_base(model, base)
    names = [name for name in model.drugs if not conflicting_items([parse_item(model, name)], base_combination)]
    if not names:
        raise InputError(f"model {model.name!r} has no drug to screen on top of {base!r} (--drugs-only)")
    return names


def _canonical(model: BooleanNetwork, text: str, base: str) -> str:
    """A --combination as the screen names it (its items in the screen's order)."""
    from igfnet.analysis.screen import parse_base
    from igfnet.perturb import parse_combination

    return parse_combination(model, text, parse_base(model, base)).name


def _asked_lines(result: ScreenResult, asked: list[str], shown: set[str]) -> list[str]:
    """What the user asked for with --combination, whether or not it made the list."""
    lines = []
    for name in dict.fromkeys(asked):
        if name in shown:
            continue
        rows = [row for row in result.rows if row.combination == name]
        rescued = [row.context for row in rows if row.hit]
        responds = [row.context for row in rows if row.verdict == "responds"]
        if rescued:
            what = f"rescues {plural(len(rescued), 'context')}: {', '.join(rescued)}"
        else:
            what = "rescues no context"
        lines.append(f"  {name}: {what}; responds in {len(responds)} of {plural(len(rows), 'context')}")
    return ["", "You asked for (not in the list above):", *lines] if lines else []


def _table(result: ScreenResult, top: int, all_hits: bool = False, asked: list[str] | None = None) -> str:
    plan = result.plan
    node, value = plan.response
    rows = result.rows
    base_responds = [c for c in plan.contexts if any(r.context == c and r.base_verdict == "responds" for r in rows)]
    resistant = [context for context in plan.contexts if context not in base_responds]
    ranked = result.ranked()
    shown = ranked if all_hits else [hit for hit in ranked if hit.minimal]
    synergies = sum(1 for row in rows if row.synergy)
    lines = [
        f"Base treatment {plan.base.name or 'none'}; response {node}={value} in every attractor reached "
        "from the untreated state (fully asynchronous).",
        f"{plural(len(plan.contexts), 'context')} x {plural(len(plan.combinations), 'combination')} = "
        f"{plural(len(rows), 'row')}. {_base_alone(base_responds)}",
        f"{plural(len(result.hits()), 'hit')} (a context rescued) by {plural(len(ranked), 'combination')}; "
        f"{synergies} synergistic "
        "(no part of the combination rescues that context on its own).",
        "",
    ]
    if not ranked:
        return (
            "\n".join(
                [*lines, "No combination rescues a resistant context.", *_asked_lines(result, asked or [], set())]
            )
            + "\n"
        )
    width = max(len("combination"), *(len(hit.combination) for hit in shown[:top]))
    by_probability = plan.score == "probability"
    mean = "  mean P" if by_probability else ""
    lines.append(f"{'rank':>4}  {'combination':<{width}}  rescued  synergy{mean}  contexts rescued (S: synergistic)")
    for rank, hit in enumerate(shown[:top], start=1):
        names = ", ".join(f"{c} (S)" if c in hit.synergy else c for c in hit.rescued)
        score = f"  {hit.mean_score:>6.3f}" if by_probability else ""
        lines.append(
            f"{rank:>4}  {hit.combination:<{width}}  {len(hit.rescued):>2}/{len(resistant):<4}  "
            f"{len(hit.synergy):>7}{score}  {names}"
        )
        why = hit.explanation(node)
        if why is not None:
            lines.append(f"{'':>4}  {'':<{width}}  {hit.example}: {why.text()}")
    if len(shown) > top:
        lines.append(f"... {len(shown) - top} more (--top N; --output FILE has every row)")
    if not all_hits and len(shown) < len(ranked):
        lines.append(
            f"Not listed: {plural(len(ranked) - len(shown), 'combination')} that rescue only where one of their parts "
            "already does (--all-hits lists them)."
        )
    lines += _asked_lines(result, asked or [], {hit.combination for hit in shown[:top]})
    return "\n".join(lines) + "\n"


def _base_alone(responding: list[str]) -> str:
    if not responding:
        return "The base alone responds in no context."
    return f"The base alone responds in {plural(len(responding), 'context')}: {', '.join(responding)}."


def _graded_table(result: ScreenResult, top: int) -> str:
    """Combinations of two or more items by mean Bliss excess across contexts."""
    graded = result.graded()
    if not graded or top == 0:
        return ""
    shown = graded[:top]
    what = "probability of response" if result.plan.score == "probability" else "share of responding attractors"
    methods = {row.method for row in result.rows if row.method}
    estimated = " (some rows estimated by Monte-Carlo)" if "monte-carlo" in methods else ""
    width = max(len("combination"), *(len(g.combination) for g in shown))
    lines = [
        "",
        f"Graded synergy on the {what}{estimated}: excess over Bliss independence (1 - prod(1 - single)) and over "
        "the highest single agent (HSA), mean across contexts.",
        f"{'rank':>4}  {'combination':<{width}}  {'Bliss':>6}  {'HSA':>6}  best context (Bliss)",
    ]
    for rank, item in enumerate(shown, start=1):
        lines.append(
            f"{rank:>4}  {item.combination:<{width}}  {item.mean_bliss:>+6.3f}  {item.mean_hsa:>+6.3f}  "
            f"{item.best_context} ({item.best_bliss:+.3f})"
        )
    if len(graded) > top:
        lines.append(f"... {len(graded) - top} more (--output FILE has hsa_excess and bliss_excess for every row)")
    return "\n".join(lines) + "\n"
