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


def screen_heatmap(result, path: str | Path, top: int = 20, title: str = "", minimal: bool = True) -> None:
    """Contexts x (the base alone, then the top-ranked combinations), coloured by verdict; written atomically.

    Green: responds, yellow: mixed, red: resists. "S" marks a synergistic
    hit, "+" any other hit (the base alone does not respond there). With
    ``minimal``, the columns are the top singles and synergistic combinations
    (a pair that only adds to a rescuing single says nothing new).
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    from igfnet.io import write_atomically

    plan = result.plan
    contexts = list(plan.contexts)
    chosen = [hit.combination for hit in result.ranked() if hit.minimal or not minimal][:top]
    columns = ["(base alone)", *chosen]
    code = {"resists": 0, "mixed": 1, "responds": 2}
    grid = [[0] * len(columns) for _ in contexts]
    marks = []
    for row in result.rows:
        r = contexts.index(row.context)
        grid[r][0] = code[row.base_verdict]
        if row.combination in chosen:
            c = 1 + chosen.index(row.combination)
            grid[r][c] = code[row.verdict]
            if row.hit:
                marks.append((r, c, "S" if row.synergy else "+"))
    figure, axes = plt.subplots(figsize=(max(6, 0.45 * len(columns) + 3), max(3, 0.4 * len(contexts) + 2.5)))
    axes.imshow(grid, cmap=ListedColormap(["#d7301f", "#fdd835", "#1a9850"]), vmin=0, vmax=2, aspect="auto")
    for r, c, mark in marks:
        axes.text(c, r, mark, ha="center", va="center", fontsize=8, fontweight="bold")
    axes.axvline(0.5, color="black", linewidth=1)
    axes.set_xticks(range(len(columns)), [t.replace("+", "\n+") for t in columns], rotation=60, ha="right", fontsize=7)
    axes.set_yticks(range(len(contexts)), contexts, fontsize=8)
    base = plan.base.name or "no base treatment"
    axes.set_title(
        title or f"{base} + combination: green responds, yellow mixed, red resists (S synergy, + hit)", fontsize=9
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    suffix = Path(path).suffix.lower().lstrip(".") or "png"
    figure.savefig(buffer, format=suffix, dpi=150)
    plt.close(figure)
    write_atomically(path, buffer.getvalue())
