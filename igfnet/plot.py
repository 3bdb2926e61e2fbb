"""Figures (matplotlib), imported only by the commands that draw."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from igfnet.analysis.biomarkers import BiomarkerStatistic
    from igfnet.analysis.compare import Cell


def compare_heatmap(cells: list[Cell], path: str | Path, title: str = "") -> None:
    """Contexts x treatments, coloured by the share of reachable attractors that respond; written atomically."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from igfnet.io import write_atomically

    contexts = list(dict.fromkeys(cell.context for cell in cells))
    treatments = list(dict.fromkeys(cell.treatment for cell in cells))
    grid = [[0.0] * len(treatments) for _ in contexts]
    marks = {"responds": "R", "resists": "×", "mixed": "~"}
    figure, axes = plt.subplots(figsize=(max(6, 0.45 * len(treatments) + 3), max(3, 0.4 * len(contexts) + 2)))
    for cell in cells:
        row, column = contexts.index(cell.context), treatments.index(cell.treatment)
        grid[row][column] = cell.share
    image = axes.imshow(grid, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    for cell in cells:
        row, column = contexts.index(cell.context), treatments.index(cell.treatment)
        axes.text(column, row, marks[cell.verdict], ha="center", va="center", fontsize=8)
    axes.set_xticks(
        range(len(treatments)), [t.replace("+", "\n+") for t in treatments], rotation=60, ha="right", fontsize=7
    )
    already = {cell.context for cell in cells if cell.untreated_responding}
    labels = [f"{context} (no growth untreated)" if context in already else context for context in contexts]
    axes.set_yticks(range(len(contexts)), labels, fontsize=8)
    colorbar = figure.colorbar(image, ax=axes, fraction=0.03)
    colorbar.set_label("share of reachable attractors that respond", fontsize=8)
    axes.set_title(title or "Response from the untreated state (R responds, × resists, ~ mixed)", fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    suffix = Path(path).suffix.lower().lstrip(".") or "png"
    figure.savefig(buffer, format=suffix, dpi=150)
    plt.close(figure)
    write_atomically(path, buffer.getvalue())


def forest_plot(statistics: list[BiomarkerStatistic], path: str | Path, title: str = "") -> None:
    """Odds ratios of response with 95% CIs, one row per biomarker, one marker per treatment; written atomically.

    Log x axis with a reference line at 1 (no association). Aliases share
    their factor's row. Hollow markers: Haldane-Anscombe corrected (a zero
    cell). A side panel gives the review's direction and, per treatment,
    whether the model agrees (✓), disagrees (✗), shows no association (0) or
    the review states no direction (–), and the biomarker's own effect on
    otherwise identical tumours (full cohorts only).
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from igfnet.io import write_atomically

    treatments = list(dict.fromkeys(s.treatment for s in statistics))
    rows: list[str] = []
    labels: dict[str, str] = {}
    for s in statistics:
        key = s.biomarker.alias_of or s.biomarker.key
        if key not in labels:
            rows.append(key)
            labels[key] = s.biomarker.label
        elif s.biomarker.alias_of and s.biomarker.label not in labels[key]:
            labels[key] += f" /\n{s.biomarker.label}"
    colours = plt.get_cmap("tab10").colors
    markers = "os^Dv<>p"
    agree = {"agrees": "✓", "disagrees": "✗", "no effect": "0", "n/a": "–", "n.s.": "?"}
    effects = {"response": "↑", "resistance": "↓", "both": "↕", "none": "=", "": ""}
    short = {"antibody": "mAb", "kinase inhibitor": "TKI", "other": "other"}
    height = 0.8 / max(1, len(treatments))
    figure, (axes, side) = plt.subplots(
        1, 2, figsize=(11, 0.5 * len(rows) + 2.2), sharey=True, gridspec_kw={"width_ratios": [3, 1.5], "wspace": 0.02}
    )

    def y_of(key: str, t: int) -> float:
        return len(rows) - 1 - rows.index(key) + 0.4 - height * (t + 0.5)

    for t, treatment in enumerate(treatments):
        colour = colours[t % 10]
        for s in (s for s in statistics if s.treatment == treatment and not s.biomarker.alias_of):
            ratio, y = s.odds_ratio, y_of(s.biomarker.key, t)
            axes.plot([ratio.low, ratio.high], [y, y], color=colour, linewidth=1.4)
            axes.plot(
                ratio.value,
                y,
                marker=markers[t % len(markers)],
                markersize=6,
                color=colour,
                markerfacecolor="white" if ratio.corrected else colour,
                label=f"{treatment} ({s.treatment_class})" if s.biomarker.key == rows[0] else None,
            )
            axes_y = len(rows) - 1 - rows.index(s.biomarker.key)
            side.text(0.60 + 0.07 * t, axes_y, agree[s.agreement], color=colour, fontsize=10, va="center")
            side.text(0.84 + 0.07 * t, axes_y, effects[s.model_effect], color=colour, fontsize=10, va="center")
    for row, key in enumerate(rows):
        mine = [s for s in statistics if s.biomarker.key == key]
        source = "T3" if mine[0].biomarker.source == "Table 3" else "text"
        by_class = {short[s.treatment_class]: s.expected or "none" for s in mine}
        if len(set(by_class.values())) == 1:
            direction = next(iter(by_class.values()))
        else:
            direction = "\n".join(f"{d} ({c})" for c, d in by_class.items())
        direction = "no direction" if direction == "none" else direction
        side.text(0.0, len(rows) - 1 - row, f"{direction} [{source}]", fontsize=7.5, va="center")
    for ax in (axes, side):
        for y in range(len(rows) - 1):
            ax.axhline(y + 0.5, color="#e5e5e5", linewidth=0.6, zorder=0)
    axes.set_xscale("log")
    axes.axvline(1, color="grey", linestyle="--", linewidth=0.8)
    axes.set_yticks(range(len(rows)), [labels[key] for key in reversed(rows)], fontsize=8)
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.set_xlabel(
        "odds ratio of response, 95% CI (log scale)\n< 1: predicts resistance    > 1: predicts response", fontsize=8
    )
    axes.tick_params(axis="x", labelsize=7)
    axes.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(treatments), frameon=False)
    side.set_xlim(0, 1)
    side.axis("off")
    for x, heading in ((0.0, "review says"), (0.58, "agrees?"), (0.82, "own effect")):
        side.text(x, len(rows) - 0.35, heading, fontsize=7.5, weight="bold", va="bottom")
    side.text(
        0.0,
        -0.55,
        "agrees?  ✓ yes  ✗ no  0 no association  – no direction  ? n.s. (sample)\n"
        "own effect (twins differing only in this biomarker):\n↑ gains response  ↓ loses it  = never changes it\n"
        "hollow marker: 0.5 added to each cell (a zero cell)",
        fontsize=6.5,
        va="top",
    )
    figure.suptitle(title or "Biomarkers of response: odds ratios in the virtual cohort", fontsize=9)
    buffer = io.BytesIO()
    suffix = Path(path).suffix.lower().lstrip(".") or "png"
    figure.savefig(buffer, format=suffix, dpi=150, bbox_inches="tight")
    plt.close(figure)
    write_atomically(path, buffer.getvalue())
