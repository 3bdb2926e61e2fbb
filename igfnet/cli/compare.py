"""``igfnet compare``: resistance states across tumour contexts and treatments."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from igfnet.cli.options import load, model_option, response_option, score_option, write_output

if TYPE_CHECKING:
    from igfnet.analysis.compare import Cell


@click.command("compare")
@model_option
@click.option(
    "--context", "-c", "contexts", multiple=True, metavar="NAME", help="Rows (repeatable; default: every context)."
)
@click.option(
    "--treatment",
    "-t",
    "treatments",
    multiple=True,
    metavar="A+B",
    help="Columns: drugs and node perturbations joined by '+', e.g. dalotuzumab+ridaforolimus or figitumumab+MTORC1=0 "
    "(repeatable; default: every drug and the review's combinations).",
)
@click.option("--readout", "readouts", multiple=True, metavar="NODE", help="Readouts to report (repeatable).")
@response_option
@score_option
@click.option(
    "--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@click.option("--output", metavar="FILE", help="Write to FILE (atomically) instead of standard output.")
@click.option("--plot", metavar="FILE.png|svg|pdf", help="Also draw a heatmap of the verdicts.")
def compare_command(
    model_path: str | None,
    contexts: tuple[str, ...],
    treatments: tuple[str, ...],
    readouts: tuple[str, ...],
    response: str,
    score: str,
    output_format: str,
    output: str | None,
    plot: str | None,
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
    from igfnet.analysis.compare import cells_to_frame, compare
    from igfnet.analysis.outcome import READOUTS
    from igfnet.perturb import parse_setting

    node, value = parse_setting(response)
    model = load(model_path)
    if plot:
        _check_plot_path(plot)
    cells = compare(model, contexts or None, treatments or None, readouts or READOUTS, (node, str(value)), score)
    if output_format == "csv":
        text = cells_to_frame(cells).to_csv(index=False)
    elif output_format == "json":
        text = cells_to_frame(cells).to_json(orient="records", indent=1) + "\n"
    else:
        text = _table(cells, response)
    write_output(text, output, protected=[model_path])
    if plot:
        from igfnet.plot import compare_heatmap

        compare_heatmap(cells, plot, title=f"{model.name}: response ({response}) from the untreated state")


def _check_plot_path(path: str) -> None:
    from pathlib import Path

    if Path(path).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise click.BadParameter(f"{path!r}: the figure must end in .png, .svg or .pdf", param_hint="--plot")


def _table(cells: list[Cell], response: str) -> str:
    readouts = list(cells[0].readouts) if cells else []
    short = {"Proliferation": "Prol", "Survival": "Surv", "Apoptosis": "Apop", "MTORC1": "mTOR1"}
    width = max(len(cell.treatment) for cell in cells)
    by_probability = any(cell.probability is not None for cell in cells)
    probability = f" {'P(resp)':>16}" if by_probability else ""
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
        score = f" {_probability_text(cell):>16}" if by_probability else ""
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
