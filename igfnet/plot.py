"""Figures (matplotlib), imported only by the commands that draw."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
