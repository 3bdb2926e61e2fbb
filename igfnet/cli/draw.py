"""``igfnet draw``: the network as a figure for people (PNG, SVG or PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from igfnet.cli.options import check_outputs, initial_option, load, model_option, perturbation_of, perturbation_options

FIGURE_FORMATS = ("png", "svg", "pdf")


@click.command("draw")
@model_option
@perturbation_options
@click.option(
    "--output", "-O", metavar="FILE.png|svg|pdf", required=True, help="The figure (format from the extension)."
)
@initial_option("Colour by the attractors reachable from the untreated cell (as in 'igfnet attractors').")
@click.option(
    "--attractor",
    type=click.IntRange(min=1),
    metavar="N",
    help="Colour the nodes by their value in the Nth attractor (numbered as in 'igfnet attractors', from 1).",
)
@click.option("--plain", is_flag=True, help="Colour the nodes by kind; compute no attractors.")
@click.option("--title", help="A title (default: the model and the perturbation).")
def draw_command(
    model_path: str | None,
    output: str,
    initial: str | dict[str, int] | None,
    attractor: int | None,
    plain: bool,
    title: str | None,
    **options: Any,
) -> None:
    """Draw the regulatory network: modules as boxes, signed edges, nodes coloured by state.

    Activation is a blue arrow, inhibition a vermillion T-bar, dual a pink
    arrow; a cut interaction is dashed. Unless --plain, the attractors are
    computed under the given perturbation and each node is filled by its
    value: 0, 1, * (oscillates) when the same in every attractor, 'mixed'
    otherwise; --attractor N shows one attractor. Perturbed nodes have a
    thick border (vermillion knockout, blue overexpression, grey context);
    each edge bends around the nodes in its way. Colours are Okabe-Ito
    (colour-blind-safe).

    \b
    Examples:
      igfnet draw --output network.png --plain
      igfnet draw --knockout IGF1R --output blocked.svg
      igfnet draw --context pten_loss --drug figitumumab --initial untreated --attractor 1 -O pten.pdf
    """
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix not in FIGURE_FORMATS:
        raise click.BadParameter(
            f"cannot tell the figure format from {output!r}: use a .png, .svg or .pdf file", param_hint="--output"
        )
    check_outputs(plot=output, protected=[model_path])
    if plain and (attractor is not None or initial is not None):
        raise click.UsageError("--plain computes no attractors: it cannot go with --attractor or --initial")
    from igfnet.dynamics.attractors import attractors_of_model
    from igfnet.formats.cytoscape import annotated_graph
    from igfnet.plot import network_figure

    model = load(model_path)
    if isinstance(initial, dict):
        model.check_nodes(initial)
    perturbation = perturbation_of(model, options)
    found = None
    if not plain:
        found = attractors_of_model(model, perturbation, free_inputs=options["free_inputs"], initial=initial)
        if attractor is not None and attractor > len(found):
            raise click.BadParameter(
                f"attractor {attractor} does not exist: there {'is' if len(found) == 1 else 'are'} {len(found)}",
                param_hint="--attractor",
            )
    shown = found
    if attractor is not None:
        from igfnet.types import Attractors

        assert found is not None  # --attractor does not go with --plain
        # Only the chosen attractor's column: with free inputs there may be thousands.
        shown = Attractors((found[attractor - 1],), found.nodes)
    graph = annotated_graph(model, shown, perturbation, max_attractor_columns=1)
    if title is None:
        what = ", ".join(perturbation.labels) or "no perturbation"
        if plain:
            title = f"{model.name}: nodes by kind"
        else:
            assert found is not None  # not --plain: the attractors were computed
            if attractor is not None:
                title = f"{model.name}, {what}: attractor {attractor} of {len(found)}"
            else:
                title = f"{model.name}, {what}: state in {'the' if len(found) == 1 else 'all'} {len(found)} attractor{'s' * (len(found) != 1)}"
    colour_by = "kind" if plain else "attractor_1" if attractor else "state"
    network_figure(graph, output, colour_by=colour_by, title=title)
