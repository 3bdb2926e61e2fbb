"""Figures (matplotlib), imported only by the commands that draw."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

    from igfnet.analysis.biomarkers import BiomarkerStatistic
    from igfnet.analysis.compare import Cell
    from igfnet.analysis.predict import Predictions, Validation
    from igfnet.analysis.screen import ScreenResult


def compare_heatmap(cells: list[Cell], path: str | Path, title: str = "") -> Figure:
    """Contexts x treatments, one colour per verdict (colour-blind-safe, with a legend); written atomically.

    A mixed cell also shows its share of reachable attractors that respond.
    """

    import matplotlib.pyplot as plt

    contexts = list(dict.fromkeys(cell.context for cell in cells))
    treatments = list(dict.fromkeys(cell.treatment for cell in cells))
    grid = [[0] * len(treatments) for _ in contexts]
    figure, axes = plt.subplots(figsize=(max(6, 0.45 * len(treatments) + 4), max(3, 0.4 * len(contexts) + 2.5)))
    for cell in cells:
        grid[contexts.index(cell.context)][treatments.index(cell.treatment)] = _VERDICT_CODE[cell.verdict]
    axes.imshow(grid, cmap=_verdict_colormap(), vmin=0, vmax=2, aspect="auto")
    for cell in cells:
        if cell.verdict == "mixed":
            row, column = contexts.index(cell.context), treatments.index(cell.treatment)
            axes.text(column, row, f"{cell.share:.2f}", ha="center", va="center", fontsize=6)
    axes.set_xticks(
        range(len(treatments)), [t.replace("+", "\n+") for t in treatments], rotation=60, ha="right", fontsize=7
    )
    already = {cell.context for cell in cells if cell.untreated_responding}
    labels = [f"{context} (no growth untreated)" if context in already else context for context in contexts]
    axes.set_yticks(range(len(contexts)), labels, fontsize=8)
    axes.set_xlabel("treatment", fontsize=8)
    axes.set_ylabel("tumour context", fontsize=8)
    _verdict_legend(axes, mixed="mixed (share that responds)")
    width = int(figure.get_figwidth() * 11)  # characters of a 9-point title across the figure
    axes.set_title(_wrapped(title or "Response from the untreated state", width), fontsize=9)
    figure.tight_layout()
    return _save(figure, path)


_VERDICT_CODE = {"resists": 0, "mixed": 1, "responds": 2}


def _verdict_colormap() -> Any:
    from matplotlib.colors import ListedColormap

    return ListedColormap([_VERDICT_FILL["resists"], _VERDICT_FILL["mixed"], _VERDICT_FILL["responds"]])


def _verdict_legend(axes: Any, mixed: str = "mixed") -> None:
    """The verdicts' colours, beside the axes (a figure's every colour gets a legend)."""
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=_VERDICT_FILL[verdict], edgecolor="#404040", label=label)
        for verdict, label in (("responds", "responds"), ("mixed", mixed), ("resists", "resists"))
    ]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)


def _wrapped(text: str, width: int) -> str:
    """A title on several lines rather than past the figure's edge."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def network_figure(
    graph: networkx.DiGraph,
    path: str | Path,
    *,
    colour_by: str = "state",
    positions: Mapping[str, tuple[float, float]] | None = None,
    title: str = "",
) -> Figure:
    """Draw the regulatory graph, nodes grouped by module, signed edges; written atomically (png, svg or pdf).

    Parameters
    ----------
    graph : networkx.DiGraph
        A graph from :func:`igfnet.formats.cytoscape.annotated_graph`.
    path : str or Path
        The output file; its extension (png, svg, pdf) gives the format.
    colour_by : str
        The node attribute that gives the fill: ``state`` (0, 1, *, mixed),
        ``attractor_N`` (one attractor) or ``kind``. Without that attribute
        the nodes are filled by kind.
    positions : mapping, optional
        Node -> (x, y) in screen coordinates (y downwards); default
        :func:`igfnet.layout.layered_layout`.
    title : str
        A title above the network.
    """
    import io

    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

    from igfnet.formats.cytoscape import PERTURBED_COLOURS, SIGN_COLOURS, STATE_COLOURS, kind_colours
    from igfnet.io import write_atomically
    from igfnet.layout import layered_layout

    suffix = Path(path).suffix.lower().lstrip(".")
    positions = positions or layered_layout(graph)
    nodes = list(graph.nodes)
    if not all(colour_by in graph.nodes[node] for node in nodes):
        colour_by = "kind"
    if colour_by == "kind":
        palette = kind_colours(graph.nodes[node].get("kind", "") for node in nodes)
    else:
        palette = STATE_COLOURS

    # One data unit is 1/100 inch (the axes fill the figure at equal scale), so text sizes convert exactly.
    font = 8.0
    unit_per_point = 100 / 72
    half = {
        node: ((len(node) * 0.6 * font + 8) * unit_per_point / 2, (font + 8) * unit_per_point / 2) for node in nodes
    }
    # Spread the columns when the longest label is wider than the gap between neighbours in a row.
    rows: dict[float, list[float]] = {}
    for x, y in positions.values():
        rows.setdefault(y, []).append(x)
    gaps = [b - a for row in rows.values() for a, b in zip(sorted(row), sorted(row)[1:]) if b > a]
    stretch = max(1.0, (max(2 * w for w, _ in half.values()) + 14) / min(gaps, default=1e9))
    positions = {node: (x * stretch, y) for node, (x, y) in positions.items()}
    xs = [positions[node][0] for node in nodes]
    ys = [positions[node][1] for node in nodes]
    margin, top, bottom = 60.0, 60.0 if title else 30.0, 110.0
    left, right = min(xs) - margin - 50, max(xs) + margin + 50
    upper, lower = min(ys) - top - 30, max(ys) + bottom
    figure = plt.figure(figsize=((right - left) / 100, (lower - upper) / 100))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(left, right)
    axes.set_ylim(lower, upper)  # screen coordinates: y grows downwards
    axes.set_axis_off()

    modules: dict[str, list[str]] = {}
    for node in nodes:
        modules.setdefault(graph.nodes[node].get("module", ""), []).append(node)
    if len(modules) > 1 or "" not in modules:
        for module, members in modules.items():
            x0 = min(positions[n][0] - half[n][0] for n in members) - 12
            x1 = max(positions[n][0] + half[n][0] for n in members) + 12
            y0 = min(positions[n][1] - half[n][1] for n in members) - 12
            y1 = max(positions[n][1] + half[n][1] for n in members) + 12
            box = FancyBboxPatch(
                (x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=10",
                facecolor="#F4F4F4", edgecolor="#B0B0B0", linewidth=0.8, zorder=0,
            )  # fmt: skip
            axes.add_patch(box)
            axes.text(x0 + 4, y0 - 3, module or "(no module)", fontsize=8, color="#606060", weight="bold",
                      ha="left", va="bottom", zorder=1)  # fmt: skip

    for node in nodes:
        data = graph.nodes[node]
        (x, y), (w, h) = positions[node], half[node]
        perturbed = data.get("perturbed", "")
        patch = FancyBboxPatch(
            (x - w, y - h), 2 * w, 2 * h, boxstyle="round,pad=0,rounding_size=6",
            facecolor=palette.get(data.get(colour_by, ""), "#FFFFFF"),
            edgecolor=PERTURBED_COLOURS.get(perturbed, "#404040"), linewidth=2.6 if perturbed else 0.8, zorder=3,
        )  # fmt: skip
        patch.set_gid(f"node-{node}")  # SVG: <g id="node-AKT">, for scripts and for the tests
        axes.add_patch(patch)
        axes.text(x, y, node, fontsize=font, ha="center", va="center", zorder=4)

    arrowstyles = {"activation": "-|>,head_length=0.5,head_width=0.25", "inhibition": "-[,widthB=0.45,lengthB=0"}
    for source, target, data in graph.edges(data=True):
        sign = data.get("sign", "activation")
        same_row = positions[source][1] == positions[target][1]
        if source == target:
            (x, y), (w, h) = positions[source], half[source]
            start, end, bend = (x + w * 0.5, y - h), (x + w, y - h * 0.2), -2.0
        else:
            # From box edge to box edge, computed here: matplotlib's clipping to patches costs seconds per figure.
            start = _box_edge(positions[source], half[source], positions[target], gap=2)
            end = _box_edge(positions[target], half[target], positions[source], gap=4)
            others = [node for node in nodes if node not in (source, target)]
            bend = _clear_bend(start, end, 0.25 if same_row else 0.1, [positions[n] for n in others],
                               [half[n] for n in others], (left, upper, right, lower))  # fmt: skip
        arrow = FancyArrowPatch(
            start, end, arrowstyle=arrowstyles.get(sign, "-|>,head_length=0.5,head_width=0.25"),
            connectionstyle=f"arc3,rad={bend}", mutation_scale=10, color=SIGN_COLOURS.get(sign, "#808080"),
            linewidth=1.0, linestyle="--" if data.get("cut") == "true" else "-", alpha=0.9,
            shrinkA=0, shrinkB=0, zorder=2,
        )  # fmt: skip
        axes.add_patch(arrow)

    handles: list[Artist] = [
        Line2D([], [], color=SIGN_COLOURS[sign], marker=marker, markersize=7, linewidth=1.2, label=sign)
        for sign, marker in (("activation", ">"), ("inhibition", "|"), ("dual", ">"))
        if any(d.get("sign") == sign for *_, d in graph.edges(data=True))
    ]
    if colour_by == "kind":
        used = dict.fromkeys(graph.nodes[n].get("kind", "") for n in nodes)
        handles += [Patch(facecolor=palette[kind], edgecolor="#404040", label=kind or "(no kind)") for kind in used]
    else:
        names = {"0": "0 (off)", "1": "1 (on)", "*": "* (oscillates)", "mixed": "differs between attractors"}
        used = dict.fromkeys(graph.nodes[n].get(colour_by) for n in nodes)
        handles += [
            Patch(facecolor=STATE_COLOURS[value], edgecolor="#404040", label=names[value])
            for value in STATE_COLOURS if value in used
        ]  # fmt: skip
    handles += [
        Patch(facecolor="white", edgecolor=colour, linewidth=2.6, label=what)
        for what, colour in PERTURBED_COLOURS.items()
        if any(graph.nodes[n].get("perturbed") == what for n in nodes)
    ]
    figure.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), fontsize=8, frameon=False)
    if title:
        figure.text(0.5, 1 - 0.3 * top / (lower - upper), _wrapped(title, 90), ha="center", va="center", fontsize=10)
    buffer = io.BytesIO()
    # Text stays text (not paths) in SVG and PDF, so labels can be searched and edited.
    with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        figure.savefig(buffer, format=suffix, dpi=150)
    plt.close(figure)
    write_atomically(path, buffer.getvalue())
    return figure


BENDS = (0.0, 0.15, -0.15, 0.3, -0.3, 0.45, -0.45, 0.6, -0.6, 0.8, -0.8)
"""Curvatures an edge may take (matplotlib's arc3 ``rad``) to go around the nodes in its way."""


def _clear_bend(
    start: tuple[float, float],
    end: tuple[float, float],
    preferred: float,
    centres: list[tuple[float, float]],
    halves: list[tuple[float, float]],
    bounds: tuple[float, float, float, float],
) -> float:
    """The curvature nearest ``preferred`` whose curve crosses the fewest node boxes (other than its ends).

    The curve is matplotlib's arc3: a quadratic Bezier whose control point is
    the chord's midpoint moved by ``rad`` times the chord, perpendicular to it
    (in data coordinates, with y growing downwards as the figure draws them).
    A curve may swing at most 180 units off its chord, and must stay inside
    ``bounds`` (left, top, right, bottom): a long edge bent hard would cross
    half the figure, or leave it.
    """
    import numpy

    if not centres:
        return preferred
    (x1, y1), (x2, y2) = start, end
    t = numpy.linspace(0.05, 0.95, 19)[:, None]
    centre = numpy.array(centres)
    half = numpy.array(halves) + 4.0  # a little air around each box

    def crossings(rad: float) -> int:
        control = numpy.array([(x1 + x2) / 2 - rad * (y2 - y1), (y1 + y2) / 2 + rad * (x2 - x1)])
        points = (1 - t) ** 2 * numpy.array(start) + 2 * (1 - t) * t * control + t**2 * numpy.array(end)
        inside = numpy.all(numpy.abs(points[:, None, :] - centre[None, :, :]) < half[None, :, :], axis=2)
        return int(inside.any(axis=0).sum())

    left, top, right, bottom = bounds
    chord = max(float(numpy.hypot(x2 - x1, y2 - y1)), 1.0)

    def fits(rad: float) -> bool:
        control = ((x1 + x2) / 2 - rad * (y2 - y1), (y1 + y2) / 2 + rad * (x2 - x1))
        # The curve's farthest point is half-way to its control point: inside the bounds if that is.
        middle = ((x1 + x2) / 4 + control[0] / 2, (y1 + y2) / 4 + control[1] / 2)
        return left < middle[0] < right and top < middle[1] < bottom

    allowed = [rad for rad in BENDS if abs(rad) * chord <= 180 and fits(rad)]
    candidates = sorted({preferred, *allowed}, key=lambda rad: abs(rad - preferred))
    best = min(candidates, key=lambda rad: (crossings(rad), abs(rad - preferred)))
    return float(best)


def _box_edge(
    centre: tuple[float, float], half: tuple[float, float], towards: tuple[float, float], gap: float = 0.0
) -> tuple[float, float]:
    """Where the segment from a box's centre towards a point leaves the box (``gap`` beyond its edge)."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    if dx == dy == 0:
        return centre
    scale = min(
        (half[0] + gap) / abs(dx) if dx else float("inf"),
        (half[1] + gap) / abs(dy) if dy else float("inf"),
    )
    return centre[0] + dx * scale, centre[1] + dy * scale


def forest_plot(statistics: list[BiomarkerStatistic], path: str | Path, title: str = "") -> Figure:
    """Odds ratios of response with 95% CIs, one row per biomarker, one marker per treatment; written atomically.

    Log x axis with a reference line at 1 (no association). Aliases share
    their factor's row. Hollow markers: Haldane-Anscombe corrected (a zero
    cell). A side panel gives the review's direction and, per treatment,
    whether the model agrees (✓), disagrees (✗), shows no association (0) or
    the review states no direction (–), and the biomarker's own effect on
    otherwise identical tumours (full cohorts only).
    """

    import matplotlib.pyplot as plt

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
    colours = plt.get_cmap("tab10").colors  # type: ignore[attr-defined]  # tab10 is a ListedColormap
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
        by_class = {short.get(s.treatment_class, s.treatment_class): s.expected or "none" for s in mine}
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
    figure.suptitle(_wrapped(title or "Biomarkers of response: odds ratios in the virtual cohort", 90), fontsize=9)
    return _save(figure, path, bbox_inches="tight")


def screen_heatmap(
    result: ScreenResult, path: str | Path, top: int = 20, title: str = "", minimal: bool = True
) -> Figure:
    """Contexts x (the base alone, then the top-ranked combinations), coloured by verdict; written atomically.

    Blue: responds, orange: mixed, vermillion: resists (Okabe-Ito). "S" marks a synergistic
    hit, "+" any other hit (the base alone does not respond there). With
    ``minimal``, the columns are the top singles and synergistic combinations
    (a pair that only adds to a rescuing single says nothing new).
    """

    import matplotlib.pyplot as plt

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
    figure, axes = plt.subplots(figsize=(max(6, 0.45 * len(columns) + 4.5), max(3, 0.4 * len(contexts) + 2.5)))
    axes.imshow(grid, cmap=_verdict_colormap(), vmin=0, vmax=2, aspect="auto")
    for r, c, mark in marks:
        axes.text(c, r, mark, ha="center", va="center", fontsize=8, fontweight="bold")
    axes.axvline(0.5, color="black", linewidth=1)
    axes.set_xticks(range(len(columns)), [t.replace("+", "\n+") for t in columns], rotation=60, ha="right", fontsize=7)
    axes.set_yticks(range(len(contexts)), contexts, fontsize=8)
    axes.set_xlabel("combination added to the base", fontsize=8)
    axes.set_ylabel("tumour context", fontsize=8)
    _verdict_legend(axes)
    axes.text(1.01, 0.62, "S  synergistic hit\n+  other hit", transform=axes.transAxes, fontsize=7, va="top")
    base = plan.base.name or "no base treatment"
    width = int(figure.get_figwidth() * 11)
    axes.set_title(_wrapped(title or f"{base} + combination, by verdict", width), fontsize=9)
    figure.tight_layout()
    return _save(figure, path)


def _save(figure: Figure, path: str | Path, **options: Any) -> Figure:
    """Write a figure atomically, in the format its extension names (png without one); the figure, closed."""
    import io

    import matplotlib.pyplot as plt

    from igfnet.io import write_atomically

    buffer = io.BytesIO()
    figure.savefig(buffer, format=Path(path).suffix.lower().lstrip(".") or "png", dpi=150, **options)
    plt.close(figure)
    write_atomically(path, buffer.getvalue())
    return figure


# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
_OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_VERDICT_COLOURS = {"responds": "#0072B2", "mixed": "#E69F00", "resists": "#D55E00"}
# Heatmap cells: mixed in yellow, so that it stands apart from resists' vermillion as a fill.
_VERDICT_FILL = {**_VERDICT_COLOURS, "mixed": "#F0E442"}


def predict_figure(
    predictions: Predictions, validation: Validation | None, path: str | Path, title: str = ""
) -> Figure:
    """ROC curves (each treatment's score and the baseline) and observed values by predicted verdict; written atomically.

    Without a validation, the verdict counts per treatment. Colours:
    Okabe-Ito (colour-blind-safe); the baseline is dashed black, chance dotted.
    """
    import matplotlib.pyplot as plt

    from igfnet.analysis.metrics import roc_curve

    treatments = list(predictions.treatments)
    if validation is None:
        figure, axes = plt.subplots(figsize=(max(5.0, 1.2 * len(treatments) + 3), 4))
        _verdict_bars(axes, predictions)
        figure.suptitle(_wrapped(title or "Predicted verdicts", 90), fontsize=9)
        figure.tight_layout()
        return _save(figure, path)
    figure, panels = plt.subplots(
        1,
        1 + len(treatments),
        figsize=(4.6 + 3.4 * len(treatments), 4.6),
        squeeze=False,
        gridspec_kw={"width_ratios": [1.3] + [1.0] * len(treatments)},
    )
    roc, strips = panels[0][0], panels[0][1:]
    labels = list(validation.positives)
    for t, treatment in enumerate(treatments):
        fpr, tpr = roc_curve(validation.scores[treatment], labels)
        auc = validation.model[treatment].roc_auc.value
        # Straight segments between thresholds: tied scores move along the diagonal, and the area is the AUC.
        roc.plot(
            fpr,
            tpr,
            color=_OKABE_ITO[t % len(_OKABE_ITO)],
            linewidth=1.6,
            label=f"{treatment} ({validation.score}), AUC {auc:.2f}",
        )
    fpr, tpr = roc_curve(validation.baseline_scores, labels)
    roc.plot(
        fpr,
        tpr,
        color="black",
        linestyle="--",
        linewidth=1.2,
        label=f"baseline: {validation.folds}-fold lookup, AUC {validation.baseline.roc_auc.value:.2f}",
    )
    roc.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=0.8, label="chance")
    roc.set_xlim(0, 1)
    roc.set_ylim(0, 1.01)
    roc.set_aspect("equal")
    roc.set_xlabel("false positive rate (1 - specificity)", fontsize=8)
    roc.set_ylabel("true positive rate (sensitivity)", fontsize=8)
    positives = sum(labels)
    roc.set_title(f"ROC: responders = {positives} most sensitive of {len(labels)} ({validation.top:.0%})", fontsize=8)
    roc.legend(fontsize=6.5, loc="lower right")
    roc.tick_params(labelsize=7)
    by_sample = {sample.sample: sample for sample in predictions.mapped.samples}
    for axes, treatment in zip(strips, treatments):
        groups: dict[str, list[float]] = {verdict: [] for verdict in _VERDICT_COLOURS}
        for sample, value in zip(validation.samples, validation.observed):
            groups[predictions.outcome(by_sample[sample], treatment).verdict].append(value)
        present = [verdict for verdict, values in groups.items() if values]
        axes.boxplot(
            [groups[verdict] for verdict in present],
            positions=range(len(present)),
            widths=0.5,
            showfliers=False,
            medianprops={"color": "black"},
        )
        for x, verdict in enumerate(present):
            values = groups[verdict]
            jitter = [((i * 0.6180339887) % 1 - 0.5) * 0.35 for i in range(len(values))]
            axes.scatter(
                [x + j for j in jitter],
                values,
                s=6,
                alpha=0.55,
                color=_VERDICT_COLOURS[verdict],
                edgecolors="none",
                label=f"{verdict} (n={len(values)})",
            )
        axes.axhline(validation.cut, color="grey", linestyle=":", linewidth=0.8, label="responder cut")
        axes.set_xticks(range(len(present)), present, fontsize=8)
        axes.set_xlabel(f"predicted verdict under {treatment}", fontsize=8)
        direction = "higher" if validation.higher_is_sensitive else "lower"
        axes.set_ylabel(f"observed {validation.column}\n({direction} = more sensitive)", fontsize=8)
        axes.set_title("observed response by predicted verdict", fontsize=8)
        axes.tick_params(labelsize=7)
        axes.legend(fontsize=6.5, loc="best")
    figure.suptitle(_wrapped(title or "Predicted response against observed", 90), fontsize=9)
    figure.tight_layout()
    return _save(figure, path)


def _verdict_bars(axes: Any, predictions: Predictions) -> None:
    treatments = list(predictions.treatments)
    bottom = [0] * len(treatments)
    for verdict, colour in _VERDICT_COLOURS.items():
        counts = [
            sum(predictions.outcome(sample, t).verdict == verdict for sample in predictions.mapped.samples)
            for t in treatments
        ]
        axes.bar(range(len(treatments)), counts, bottom=bottom, color=colour, label=verdict)
        bottom = [b + c for b, c in zip(bottom, counts)]
    axes.set_xticks(range(len(treatments)), [t.replace("+", "\n+") for t in treatments], fontsize=8)
    axes.set_xlabel("treatment", fontsize=8)
    axes.set_ylabel("samples", fontsize=8)
    axes.legend(fontsize=7)
