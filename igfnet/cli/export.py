"""``igfnet export``: the model, perturbed if asked, in an exchange format."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from igfnet.cli.options import (
    check_outputs,
    format_of,
    initial_option,
    load,
    model_option,
    perturbation_of,
    perturbation_options,
    write_output,
)
from igfnet.formats import FORMATS, GRAPH_FORMATS, MODEL_FORMATS, SUFFIXES

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork
    from igfnet.perturb import Perturbation

OUTPUT_SUFFIXES = {suffix: format.name for suffix, format in SUFFIXES.items()}
"""The format an --output file's extension names, when --format is not given."""


@click.command("export")
@model_option
@perturbation_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice([*MODEL_FORMATS, *GRAPH_FORMATS]),
    help="Default: from the --output file's extension (.bnet, .sbml, .xml, .booleannet, .rules, .sif, .graphml, "
    ".cyjs, .cx2), else bnet.",
)
@click.option("--output", "-O", metavar="FILE", required=True, help="The file to write ('-' for standard output).")
@initial_option("Graph formats: the attractors reachable from the untreated cell (as in 'igfnet attractors').")
@click.option(
    "--states/--no-states",
    default=True,
    show_default=True,
    help="Graph formats: compute the attractors and write each node's value in each (attractor_1..k) and 'state'.",
)
@click.option(
    "--style",
    is_flag=True,
    help="Graph formats: also write a Cytoscape desktop style beside the output, as <output stem>.styles.xml.",
)
def export_command(
    model_path: str | None,
    output_format: str | None,
    output: str,
    initial: str | dict[str, int] | None,
    states: bool,
    style: bool,
    **options: Any,
) -> None:
    """Write the model, with the perturbations applied, in an exchange format.

    \b
    Models, for other modelling tools:
      bnet        targets, factors (PyBoolNet, BoolNet, biodivine-aeon, mpbn)
      sbml        SBML-qual (GINsim, CellCollective, MaBoSS via bioLQM)
      booleannet  A* = B and not C
      rules       igfnet's own rule files, with every annotation
    bnet writes inputs at their default-context values (as constants), so the
    file describes the same network that 'igfnet attractors' analyses;
    --free-inputs writes them as free inputs (X, X). sbml, booleannet and
    rules carry an input's default value: inputs stay inputs with their
    defaults (SBML initialLevel, BooleanNet initial condition, 'input 1');
    --free-inputs drops the defaults. Fixed nodes are written as constants.
    rules and sbml also carry each rule's name, kind, module and evidence.

    \b
    Graph formats, for Cytoscape and other graph tools:
      cyjs     Cytoscape.js JSON (Cytoscape: File > Import > Network from File)
      cx2      CX2 with a visual style (NDEx, Cytoscape Web)
      graphml  GraphML (Cytoscape, Gephi, networkx, igraph, yEd)
      sif      SOURCE sign TARGET lines
    They carry the model's whole graph: per node its name, kind, module,
    rule and evidence, per edge its sign (activation/inhibition/dual) and
    evidence. Unless --no-states, each node also carries its value in each
    attractor under the perturbation (attractor_1, ... : 0, 1 or *) and a
    summary 'state' (0, 1 or * when the same in all attractors, 'mixed'
    otherwise); perturbed nodes are marked ('perturbed': knockout,
    overexpress, context) and cut edges too ('cut').
    """
    output_format = format_of(output, output_format, OUTPUT_SUFFIXES, "bnet")
    check_outputs(output, protected=[model_path])
    model = load(model_path)
    if isinstance(initial, dict):
        model.check_nodes(initial)
    perturbation = perturbation_of(model, options)
    if output_format in MODEL_FORMATS:
        for flag, given in (("--initial", initial is not None), ("--no-states", not states), ("--style", style)):
            if given:
                raise click.UsageError(
                    f"{flag} applies to the graph formats ({', '.join(GRAPH_FORMATS)}), not {output_format}"
                )
        text = _model_text(model, perturbation, output_format, options["free_inputs"])
        header = _header(model, perturbation, options["free_inputs"], initial)
        write_output(with_header(text, output_format, header), output, [model_path])
        return
    from igfnet.dynamics.attractors import attractors_of_model
    from igfnet.formats.cytoscape import annotated_graph, write_styles_xml

    if style and output in (None, "-"):
        raise click.UsageError("--style writes <output stem>.styles.xml beside the output: give --output FILE")
    free = options["free_inputs"]
    attractors = attractors_of_model(model, perturbation, free_inputs=free, initial=initial) if states else None
    graph = annotated_graph(model, attractors, perturbation, free_inputs=free, initial=initial)
    header = _header(model, perturbation, free, initial)
    write_output(with_header(FORMATS[output_format].write(graph), output_format, header), output, [model_path])
    if style:
        from pathlib import Path

        styles = Path(output).with_suffix(".styles.xml")
        write_output(write_styles_xml(graph), str(styles), protected=[model_path, output])


def _header(
    model: BooleanNetwork, perturbation: Perturbation, free_inputs: bool, initial: str | dict[str, int] | None
) -> str:
    """What the file holds: which model, what was applied to it, and how inputs were treated."""
    from igfnet import __version__

    applied = ", ".join(perturbation.labels) or "no perturbation"
    inputs = "inputs free" if free_inputs else "inputs in the default context unless set"
    where = f" ({model.source})" if model.source != "<model>" else ""
    header = f"igfnet {__version__} export of {model.name}{where}; applied: {applied}; {inputs}"
    if initial is not None:
        header += "; states reachable from the untreated cell"
    return header


def with_header(text: str, output_format: str, header: str) -> str:
    """``text`` with ``header`` as a comment where the format has comments (none in JSON or SIF).

    In .bnet, .rules and BooleanNet files the first comment is the model's
    name, so the header is the second line; in XML it follows the declaration.
    """
    if output_format in ("bnet", "rules", "booleannet"):
        first, newline, rest = text.partition("\n")
        if first.startswith("#"):
            return f"{first}\n# {header}\n{rest}"
        return f"# {header}\n{text}"
    if output_format in ("sbml", "graphml"):
        comment = "<!-- " + header.replace("--", "- -") + " -->\n"
        if text.startswith("<?xml"):
            first, _, rest = text.partition("\n")
            return f"{first}\n{comment}{rest}"
        return comment + text
    return text


def _model_text(model: BooleanNetwork, perturbation: Perturbation, output_format: str, free_inputs: bool) -> str:
    from igfnet.perturb import apply_perturbation

    if FORMATS[output_format].carries_defaults:
        exported = apply_perturbation(model, perturbation, free_inputs=True)
        if free_inputs:
            exported = _without_defaults(exported)
    else:
        exported = apply_perturbation(model, perturbation, free_inputs=free_inputs)
    return FORMATS[output_format].write(exported)


def _without_defaults(model: BooleanNetwork) -> BooleanNetwork:
    return model.with_rules(
        replace(rule, default=None, text="input") if rule.is_input else rule for rule in model.rules.values()
    )
