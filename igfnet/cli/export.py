"""``igfnet export``: the model, perturbed if asked, in an exchange format."""

from __future__ import annotations

import click

from igfnet.cli.options import load, model_option, perturbation_of, perturbation_options, write_output

# Formats that carry an input's default-context value (and so keep inputs as inputs).
_CARRY_DEFAULTS = ("sbml", "booleannet", "rules")


@click.command("export")
@model_option
@perturbation_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["bnet", "sbml", "booleannet", "rules"]),
    default="bnet",
    show_default=True,
)
@click.option("--output", "-O", metavar="FILE", required=True, help="The file to write ('-' for standard output).")
def export_command(model_path, output_format, output, **options):
    """Write the model, with the perturbations applied, in an exchange format.

    bnet: inputs are written at their default-context values (as constants),
    so the file describes the same network that 'igfnet attractors' analyses;
    --free-inputs writes them as free inputs (X, X).

    sbml (SBML-qual), booleannet and rules carry an input's default value:
    inputs stay inputs with their defaults (SBML initialLevel, BooleanNet
    initial condition, 'input 1'); --free-inputs drops the defaults. Fixed
    nodes are written as constants. rules and sbml also carry each rule's
    name, kind, module and evidence.
    """
    from igfnet.perturb import apply_perturbation

    model = load(model_path)
    perturbation = perturbation_of(model, options)
    free_inputs = options["free_inputs"]
    if output_format in _CARRY_DEFAULTS:
        exported = apply_perturbation(model, perturbation, free_inputs=True)
        if free_inputs:
            exported = _without_defaults(exported)
    else:
        exported = apply_perturbation(model, perturbation, free_inputs=free_inputs)
    write_output(_writer(output_format)(exported), output, protected=[model_path])


def _writer(output_format: str):
    if output_format == "sbml":
        from igfnet.formats.sbml import write_sbml

        return write_sbml
    if output_format == "booleannet":
        from igfnet.formats.booleannet import write_booleannet

        return write_booleannet
    if output_format == "rules":
        from igfnet.formats.rules_text import write_rules

        return write_rules
    from igfnet.formats.bnet import write_bnet

    return write_bnet


def _without_defaults(model):
    from dataclasses import replace

    from igfnet.model import BooleanNetwork

    rules = [replace(rule, default=None, text="input") if rule.is_input else rule for rule in model.rules.values()]
    free = BooleanNetwork(rules, name=model.name, source=model.source)
    free.directory = model.directory
    return free
