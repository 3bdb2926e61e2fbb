"""``igfnet export``: the model, perturbed if asked, in an exchange format."""

from __future__ import annotations

import click

from igfnet.cli.options import load, model_option, perturbation_of, perturbation_options, write_output


@click.command("export")
@model_option
@perturbation_options
@click.option("--format", "output_format", type=click.Choice(["bnet"]), default="bnet", show_default=True)
@click.option("--output", "-O", metavar="FILE", required=True, help="The file to write ('-' for standard output).")
def export_command(model_path, output_format, output, **options):
    """Write the model, with the perturbations applied, in an exchange format.

    Inputs are written at their default-context values (as constants), so
    the file describes the same network that 'igfnet attractors' analyses;
    --free-inputs writes them as free inputs (X, X).
    """
    from igfnet.perturb import apply_perturbation

    model = load(model_path)
    perturbation = perturbation_of(model, options)
    exported = apply_perturbation(model, perturbation, free_inputs=options["free_inputs"])
    write_output(exported.to_bnet(), output, protected=[model_path])
