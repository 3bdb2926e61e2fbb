"""``igfnet attractors``: every attractor of the model under the given perturbations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

import click

from igfnet.cli.options import (
    check_outputs,
    complete,
    format_of,
    initial_option,
    items,
    load,
    model_option,
    perturbation_of,
    perturbation_options,
    progress_bar,
    write_output,
)

if TYPE_CHECKING:
    from igfnet.types import Attractor, Attractors


@click.command("attractors")
@model_option
@perturbation_options
@initial_option(
    "Only the attractors reachable from the untreated cell: the attractors of the model in its context "
    "without the treatment (knockouts, overexpression, drugs, cuts), with the given node values written over "
    "them; the treatment then acts on those states."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    help="Default: from the --output file's extension (.json, .csv), else table.",
)
@click.option(
    "--nodes",
    "shown",
    multiple=True,
    metavar="A,B,...",
    callback=items,
    shell_complete=complete("node"),
    help="Show only these nodes, in this order (repeatable, or comma-separated).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=200_000,
    show_default=True,
    help="The most attractors to list; a search that would list more stops with a message.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "symbolic", "trapspaces", "succession"]),
    default="auto",
    show_default=True,
    help="The search; every engine finds the same attractors. auto: bit sets for small cores, else a "
    "decomposition into parts, each large one through its succession diagram of trap spaces, then BDDs "
    "(transition-guided reduction); symbolic: the decomposition with BDDs only; trapspaces: BDDs inside the "
    "minimal trap spaces first; succession: the whole network through its succession diagram.",
)
@click.option("--output", "-O", metavar="FILE", help="Write to FILE (atomically) instead of standard output.")
def attractors_command(
    model_path: str | None,
    initial: str | dict[str, int] | None,
    output_format: str | None,
    shown: tuple[str, ...],
    limit: int,
    engine: str,
    output: str | None,
    **options: Any,
) -> None:
    """Every attractor of the model, exactly.

    Fully asynchronous semantics: in each transition one node whose value
    differs from its rule's value changes. Attractors are the terminal
    strongly connected components of the whole state transition graph (fixed
    points and complex attractors), each with its exact number of states and
    its pattern: per node 0, 1, or * (varies inside the attractor).

    Inputs take the model's default context unless --free-inputs, --set or
    --context say otherwise. On a terminal, a search that takes more than a
    second shows its progress on standard error.

    \b
    Examples:
      igfnet attractors --knockout IGF1R
      igfnet attractors --context pten_loss --drug figitumumab --initial untreated
      igfnet attractors --model network.bnet --set EGF=1 --format json
    """
    from igfnet.dynamics.attractors import attractor_listing

    output_format = format_of(output, output_format, {".json": "json", ".csv": "csv"}, "table")
    check_outputs(output, protected=[model_path])
    model = load(model_path)
    if isinstance(initial, dict):
        model.check_nodes(initial)
    model.check_nodes(shown)
    perturbation = perturbation_of(model, options)
    with progress_bar("attractors", delay=1.0, show_pos=False) as progress:
        listing = attractor_listing(
            model,
            perturbation,
            free_inputs=options["free_inputs"],
            initial=initial,
            engine=engine,
            progress=progress,
            limit=limit,
        )
    question, items = listing.header, iter(listing)
    if shown:
        question, items = replace(question, nodes=tuple(shown)), _only(items, list(shown))
    if output_format in ("json", "csv"):
        _stream(question, items, output_format, output, protected=[model_path])
        return
    from igfnet.report import attractor_table, display_order

    result = replace(question, items=tuple(items))
    header = f"{model.name}: " + (", ".join(perturbation.labels) or "no perturbation")
    if initial is not None:
        header += ", reachable from the untreated state"
    text = header + "\n" + attractor_table(result, list(shown) or display_order(model))
    write_output(text, output, protected=[model_path])


def _stream(
    header: Attractors,
    items: Iterable[Attractor],
    output_format: str,
    output: str | None,
    protected: list[str | None],
) -> None:
    """Write the JSON or CSV listing one attractor at a time (a listing can run to tens of megabytes)."""
    from igfnet.io import open_atomically

    write = _write_json if output_format == "json" else _write_csv
    with open_atomically(output or "-", [path for path in protected if path]) as stream:
        write(header, stream, items)


def _only(items: Iterable[Attractor], nodes: list[str]) -> Iterator[Attractor]:
    """The attractors with only ``nodes`` in their patterns (the numbering and state counts unchanged)."""
    from igfnet.types import Attractor

    for attractor in items:
        yield Attractor({node: attractor.pattern[node] for node in nodes}, attractor.states)


def _json(result: Attractors) -> str:
    """The JSON listing as one string (:func:`_write_json` into memory)."""
    import io

    buffer = io.StringIO()
    _write_json(result, buffer)
    return buffer.getvalue()


def _csv(result: Attractors) -> str:
    """The CSV listing as one string (:func:`_write_csv` into memory)."""
    import io

    buffer = io.StringIO()
    _write_csv(result, buffer)
    return buffer.getvalue()


def _write_json(result: Attractors, stream: TextIO, items: Iterable[Attractor] | None = None) -> None:
    """The document of ``Attractors.to_dict``, one attractor per line, written as each is encoded.

    ``items``: the attractors, when they come one at a time rather than in ``result``.
    Indenting the whole document would send it through json's pure-Python encoder (16 MB and
    6 s for the bundled model with free inputs); each line here goes through the C one.
    """
    import json

    document = replace(result, items=()).to_dict()  # the header alone: no second copy of every pattern
    del document["attractors"]
    stream.write("{\n")
    for key, value in document.items():
        stream.write(f" {json.dumps(key)}: {json.dumps(value)},\n")
    stream.write(' "attractors": [\n')
    number = 0
    for number, attractor in enumerate(result if items is None else items, start=1):
        record = {"attractor": number, "states": attractor.states, "pattern": dict(attractor.pattern)}
        stream.write(("" if number == 1 else ",\n") + "  " + json.dumps(record))
    stream.write(("\n" if number else "") + " ]\n}\n")


def _write_csv(result: Attractors, stream: TextIO, items: Iterable[Attractor] | None = None) -> None:
    # The csv module, not pandas: pandas would triple the command's start-up time.
    import csv

    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["attractor", *result.nodes, "states"])
    for number, attractor in enumerate(result if items is None else items, start=1):  # as the table's A1, A2, ...
        writer.writerow([number, *attractor.pattern.values(), attractor.states])
