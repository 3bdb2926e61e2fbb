"""``igfnet compare``: resistance states across tumour contexts and treatments."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from igfnet.cli import InputError
from igfnet.cli.options import (
    check_outputs,
    complete,
    format_of,
    items,
    load,
    model_option,
    response_option,
    score_option,
    settings_option,
    write_output,
)

if TYPE_CHECKING:
    from igfnet.analysis.compare import Cell
    from igfnet.model import BooleanNetwork


@click.command("compare")
@model_option
@click.option(
    "--context",
    "-c",
    "contexts",
    multiple=True,
    metavar="NAME",
    callback=items,
    shell_complete=complete("context"),
    help="Rows (repeatable, or comma-separated; default: every context).",
)
@click.option(
    "--treatment",
    "-t",
    "treatments",
    multiple=True,
    metavar="A+B",
    callback=items,
    shell_complete=complete("drug"),
    help="Columns: drugs and node perturbations joined by '+', e.g. dalotuzumab+ridaforolimus or figitumumab+MTORC1=0 "
    "(repeatable; default: every drug and the review's combinations).",
)
@click.option(
    "--readout", "readouts", multiple=True, metavar="NODE", callback=items, help="Readouts to report (repeatable)."
)
@settings_option
@click.option(
    "--free-inputs",
    is_flag=True,
    help="Inputs that no context or --set fixes take every value (instead of the default context).",
)
@response_option
@score_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    help="Default: from the --output file's extension (.csv, .json), else table.",
)
@click.option("--output", "-O", metavar="FILE", help="Write to FILE (atomically) instead of standard output.")
@click.option("--plot", metavar="FILE.png|svg|pdf", help="Also draw a heatmap of the verdicts.")
@click.option("--long", "long_form", is_flag=True, help="Table: one line per context and treatment, with the readouts.")
def compare_command(
    model_path: str | None,
    contexts: tuple[str, ...],
    treatments: tuple[str, ...],
    readouts: tuple[str, ...],
    settings: dict[str, int],
    free_inputs: bool,
    response: str,
    score: str,
    output_format: str | None,
    output: str | None,
    plot: str | None,
    long_form: bool,
) -> None:
    """Which contexts respond to which treatments, and why the others resist.

    Each cell applies the treatment to a cell sitting in the context's
    untreated attractor(s) and follows the fully asynchronous dynamics to
    every attractor it can reach. Verdict: responds (every reachable
    attractor meets --response), resists (none does) or mixed (some orders
    of events escape); the share is the fraction of reachable attractors that
    respond, a count of outcomes, not a probability. With --score
    probability each cell also gets the probability that the cell ends in a
    responding attractor (each node that can change doing so with equal
    probability) and how it was obtained: exact, or a Monte-Carlo estimate
    with its 95% interval.
    """
    from igfnet.analysis.compare import cells_to_frame, compare, default_treatments
    from igfnet.analysis.outcome import READOUTS
    from igfnet.perturb import parse_setting

    node, value = parse_setting(response)
    output_format = format_of(output, output_format, {".json": "json", ".csv": "csv"}, "table")
    check_outputs(output, plot, protected=[model_path])
    model = load(model_path)
    if not treatments and not default_treatments(model):
        raise InputError(
            f"model {model.name!r} has no drugs, so compare has no default treatments: name them, "
            f"e.g. -t {_example_node(model)}=0 (repeatable; join with '+' to combine)"
        )
    cells = compare(
        model,
        contexts or None,
        treatments or None,
        readouts or READOUTS,
        (node, str(value)),
        score,
        settings,
        free_inputs,
    )
    if output_format == "csv":
        text = cells_to_frame(cells).to_csv(index=False)
    elif output_format == "json":
        text = cells_to_frame(cells).to_json(orient="records", indent=1) + "\n"
    elif long_form:
        text = _table(cells, response)
    else:
        text = matrix(cells, response)
    write_output(text, output, protected=[model_path])
    if plot:
        from igfnet.plot import compare_heatmap

        compare_heatmap(cells, plot, title=f"{model.name}: response ({response}) from the untreated state")


def _example_node(model: BooleanNetwork) -> str:
    """A node worth knocking out in an example: the first that is not an input."""
    return next((node for node in model.nodes if node not in model.inputs), model.nodes[0])


def matrix(cells: list[Cell], response: str, width: int = 100) -> str:
    """Contexts as rows, treatments as columns (in blocks that fit ``width``); one mark per cell.

    R responds, - resists, a share (0.50) when mixed; with --score probability
    the probability of response instead (~ for a Monte-Carlo estimate).
    """
    contexts = list(dict.fromkeys(cell.context for cell in cells))
    treatments = list(dict.fromkeys(cell.treatment for cell in cells))
    by_key = {(cell.context, cell.treatment): cell for cell in cells}
    marked = {cell.context for cell in cells if cell.untreated_responding}
    names = [f"{context}{' *' if context in marked else ''}" for context in contexts]
    name_width = max(len("context"), *(len(name) for name in names))
    # A combination's header stacks its parts ("dalotuzumab+" over "ridaforolimus"), so columns stay narrow.
    headers = {t: [part + "+" for part in t.split("+")[:-1]] + [t.split("+")[-1]] for t in treatments}
    widths = {t: max(5, *(len(part) for part in headers[t])) + 2 for t in treatments}
    lines = [f"Response = {response} in every attractor reached from the untreated state (fully asynchronous)."]
    for block in _blocks(treatments, widths, width - name_width):
        depth = max(len(headers[t]) for t in block)
        lines.append("")
        for row in range(depth):
            label = "context" if row == depth - 1 else ""
            cells_text = "".join(_header_part(headers[t], row, depth).rjust(widths[t]) for t in block)
            lines.append(f"{label:<{name_width}}{cells_text}")
        for context, name in zip(contexts, names):
            marks = "".join(
                (_mark(by_key[context, t]) if (context, t) in by_key else "").rjust(widths[t]) for t in block
            )
            lines.append(f"{name:<{name_width}}{marks}")
    by_probability = any(cell.probability is not None for cell in cells)
    legend = (
        "Cells: the probability of response (~ a Monte-Carlo estimate)."
        if by_probability
        else "Cells: R responds, - resists, a number: mixed, the share of reachable attractors that respond."
    )
    lines += ["", legend + (" *: the untreated cell already meets the response." if marked else "")]
    lines.append("--long: one line per cell with the readouts; --format csv|json: every column.")
    return "\n".join(lines) + "\n"


def _blocks(treatments: list[str], widths: dict[str, int], room: int) -> list[list[str]]:
    """Treatments in consecutive groups whose columns fit ``room`` characters (at least one each)."""
    blocks: list[list[str]] = [[]]
    used = 0
    for treatment in treatments:
        if blocks[-1] and used + widths[treatment] > room:
            blocks.append([])
            used = 0
        blocks[-1].append(treatment)
        used += widths[treatment]
    return blocks


def _header_part(parts: list[str], row: int, depth: int) -> str:
    """The header's line ``row`` of ``depth``: parts are bottom-aligned, next to the cells."""
    index = row - (depth - len(parts))
    return parts[index] if index >= 0 else ""


def _mark(cell: Cell) -> str:
    if cell.probability is not None:
        return _probability_text(cell).split(" ")[0]
    if cell.verdict == "responds":
        return "R"
    if cell.verdict == "resists":
        return "-"
    return f"{cell.share:.2f}"


def _table(cells: list[Cell], response: str) -> str:
    readouts = list(cells[0].readouts) if cells else []
    short = {"Proliferation": "Prol", "Survival": "Surv", "Apoptosis": "Apop", "MTORC1": "mTOR1"}
    width = max(len(cell.treatment) for cell in cells)
    by_probability = any(cell.probability is not None for cell in cells)
    column = max(len("P(resp)"), *(len(_probability_text(cell)) for cell in cells))
    probability = f" {'P(resp)':>{column}}" if by_probability else ""
    header = f"  {'treatment':<{width}}  {'verdict':<8} {'share':>5}{probability}  " + " ".join(
        f"{short.get(r, r):>5}" for r in readouts
    )
    lines = [f"Response = {response} in every attractor reached from the untreated state (fully asynchronous)."]
    context = None
    for cell in cells:
        if cell.context != context:
            context = cell.context
            note = "  (the untreated cell already meets the response)" if cell.untreated_responding else ""
            lines += ["", f"{context}{note}", header]
        values = " ".join(f"{cell.readouts[r]:>5}" for r in readouts)
        score = f" {_probability_text(cell):>{column}}" if by_probability else ""
        lines.append(f"  {cell.treatment:<{width}}  {cell.verdict:<8} {cell.share:>5.2f}{score}  {values}")
    if by_probability:
        lines += [
            "",
            "P(resp): the probability of ending in a responding attractor, each node that can change doing so "
            "with equal probability; exact, or ~ a Monte-Carlo estimate [95% interval].",
        ]
    return "\n".join(lines) + "\n"


def _probability_text(cell: Cell) -> str:
    probability = cell.probability
    if probability is None:
        return ""
    if probability.method == "monte-carlo":
        return f"~{probability.value:.3f} [{probability.low:.2f},{probability.high:.2f}]"
    if probability.high - probability.low > 5e-4:  # a float64 solution whose residual shows at 3 decimals
        return f"{probability.value:.3f} +-{(probability.high - probability.low) / 2:.0e}"
    return f"{probability.value:.3f}"
