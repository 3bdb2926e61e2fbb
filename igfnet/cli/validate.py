"""``igfnet validate``: the review's claims against the model's exact attractors."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from igfnet.cli.options import load, model_option

if TYPE_CHECKING:
    from pathlib import Path


@click.command("validate")
@model_option
@click.option("--claims", metavar="FILE", help="A claims CSV (default: claims.csv beside the model's rules).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@click.option("--failed-only", is_flag=True, help="Show only the claims that fail.")
def validate_command(model_path: str | None, claims: str | Path | None, output_format: str, failed_only: bool) -> None:
    """Check every claim: in its context, under its treatment, applied to the untreated
    cell, the readout must take the expected value in every attractor reached.

    Exits with status 1 if any claim fails.
    """
    from igfnet.analysis.validate import read_claims, validate
    from igfnet.errors import IgfnetError

    model = load(model_path)
    if claims is None:
        if model.directory is None or not (model.directory / "claims.csv").exists():
            raise IgfnetError(f"model {model.name!r} has no claims.csv; give one with --claims FILE")
        claims = model.directory / "claims.csv"
    verdicts = list(validate(model, read_claims(claims, model)))
    failed = [v for v in verdicts if not v.passed]
    shown = failed if failed_only else verdicts
    if output_format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            ["id", "result", "context", "treatment", "readout", "expected", "observed", "reference", "claim"]
        )
        for v in shown:
            c = v.claim
            writer.writerow(
                [
                    c.id,
                    "pass" if v.passed else "FAIL",
                    c.context,
                    c.treatment,
                    c.readout,
                    c.expected,
                    v.observed,
                    c.reference,
                    c.claim,
                ]
            )
    else:
        for v in shown:
            c = v.claim
            status = "pass" if v.passed else "FAIL"
            click.echo(
                f"{status}  {c.id:<28} {c.context} | {c.treatment} -> {c.readout}={v.observed} (expected {c.expected})"
            )
            click.echo(f"      {c.claim[:70]}  [{c.reference[:40]}]")
        click.echo(f"\n{len(verdicts) - len(failed)} of {len(verdicts)} claims hold; {len(failed)} fail.")
    if failed:
        sys.exit(1)
