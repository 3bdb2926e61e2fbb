"""``igfnet trapspaces``: the minimal or maximal trap spaces of the model under the given perturbations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from igfnet.cli.options import load, model_option, perturbation_of, perturbation_options, write_output
from igfnet.types import Space


@click.command("trapspaces")
@model_option
@perturbation_options
@click.option(
    "--minimal/--maximal",
    "minimal",
    default=True,
    show_default=True,
    help="The smallest trap spaces (each holds an attractor) or the largest ones short of the whole space.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.option("--output", metavar="FILE", help="Write to FILE (atomically) instead of standard output.")
def trapspaces_command(
    model_path: str | None, minimal: bool, output_format: str, output: str | None, **options: Any
) -> None:
    """The minimal (default) or maximal trap spaces of the model.

    A trap space is a subspace (some nodes fixed, the others free, shown *)
    that no transition leaves: every fixed node's rule keeps its value
    throughout. Every attractor lies in a minimal trap space, and every
    minimal trap space holds at least one attractor (under asynchronous
    update an attractor may also lie outside all of them: 'igfnet attractors'
    finds every one). Maximal trap spaces are the first commitments the
    network can make. Computed exactly with an answer set solver (clingo).

    \b
    Examples:
      igfnet trapspaces --context pten_loss
      igfnet trapspaces --maximal --free-inputs --format csv
      igfnet trapspaces --model network.bnet --set EGF=1 --format json
    """
    from igfnet.dynamics.trapspaces import maximal_trap_spaces, minimal_trap_spaces
    from igfnet.perturb import apply_perturbation

    model = load(model_path)
    perturbation = perturbation_of(model, options)
    functions = apply_perturbation(model, perturbation, free_inputs=options["free_inputs"]).functions
    spaces = minimal_trap_spaces(functions) if minimal else maximal_trap_spaces(functions)
    kind = "minimal" if minimal else "maximal"
    nodes = model.nodes
    if output_format == "json":
        text = _json(model.name, list(perturbation.labels), kind, nodes, spaces)
    elif output_format == "csv":
        text = _csv(nodes, spaces)
    else:
        from igfnet.report import display_order

        header = f"{model.name}: " + (", ".join(perturbation.labels) or "no perturbation")
        text = header + "\n" + _table(kind, spaces, display_order(model))
    write_output(text, output, protected=[model_path])


def _pattern(space: Space, nodes: Sequence[str]) -> list[str]:
    return [str(space[node]) if node in space else "*" for node in nodes]


def _json(name: str, labels: list[str], kind: str, nodes: Sequence[str], spaces: list[Space]) -> str:
    import json

    document = {
        "model": name,
        "perturbations": labels,
        "kind": kind,
        "nodes": list(nodes),
        "trap_spaces": [dict(zip(nodes, _pattern(space, nodes))) for space in spaces],
    }
    return json.dumps(document) + "\n"


def _csv(nodes: Sequence[str], spaces: list[Space]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["trap_space", *nodes])
    for index, space in enumerate(spaces):
        writer.writerow([index, *_pattern(space, nodes)])
    return buffer.getvalue()


def _table(kind: str, spaces: list[Space], order: Sequence[str], width: int = 80) -> str:
    """Nodes as rows, trap spaces as columns, in blocks that fit ``width``."""
    count = len(spaces)
    lines = [f"{count} {kind} trap space{'s' if count != 1 else ''}"]
    if kind == "maximal" and not count:
        lines.append("(no trap space but the whole space)")
    name_width = max(len(node) for node in order)
    column = max(4, len(f"T{count}") + 1)
    per_block = max(1, (width - name_width - 2) // column)
    for start in range(0, count, per_block):
        block = range(start, min(count, start + per_block))
        lines.append("")
        lines.append(" " * (name_width + 2) + "".join(f"T{index + 1}".rjust(column) for index in block))
        for node in order:
            values = "".join((str(spaces[i][node]) if node in spaces[i] else "*").rjust(column) for i in block)
            lines.append(f"{node:<{name_width}}  {values}")
    return "\n".join(lines) + "\n"
