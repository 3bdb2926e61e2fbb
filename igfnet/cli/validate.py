"""``igfnet validate``: the review's claims against the model's exact attractors, and against its mutants."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from igfnet.cli.options import check_outputs, jobs_option, load, model_option, progress_bar, write_output

if TYPE_CHECKING:
    from igfnet.analysis.mutants import MutationReport
    from igfnet.analysis.validate import Claim, Verdict
    from igfnet.model import BooleanNetwork

KIND_NAMES = ("constant0", "constant1", "drop", "flip", "swap")  # igfnet.analysis.mutants.KINDS, without its import


def _kinds(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    kinds = tuple(kind.strip() for value in values for kind in value.split(",") if kind.strip())
    for kind in kinds:
        if kind not in KIND_NAMES:
            raise click.BadParameter(f"unknown kind {kind!r} (known: {', '.join(KIND_NAMES)})")
    if values and not kinds:
        raise click.BadParameter(f"no kind given (known: {', '.join(KIND_NAMES)})")
    return kinds or KIND_NAMES


@click.command("validate")
@model_option
@click.option("--claims", metavar="FILE", help="A claims CSV (default: claims.csv beside the model's rules).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@click.option("--failed-only", is_flag=True, help="Show only the claims that fail.")
@click.option(
    "--mutants",
    "mutation",
    is_flag=True,
    help="Mutation testing: check the claims on every single-rule mutant of the model.",
)
@click.option(
    "--kinds",
    multiple=True,
    callback=_kinds,
    metavar="KIND[,KIND...]",
    help=f"With --mutants: the kinds of mutant ({', '.join(KIND_NAMES)}; default: all).",
)
@jobs_option
@click.option("--output", "-O", metavar="FILE.csv", help="With --mutants: one row per mutant.")
@click.option(
    "--min-kill-rate",
    type=click.FloatRange(0, 1),
    metavar="R",
    help="With --mutants: exit with status 1 when the kill rate is below R (0 to 1).",
)
def validate_command(
    model_path: str | None,
    claims: str | Path | None,
    output_format: str,
    failed_only: bool,
    mutation: bool,
    kinds: tuple[str, ...],
    jobs: int | None,
    output: str | None,
    min_kill_rate: float | None,
) -> None:
    """Check every claim: in its context, under its treatment, applied to the untreated
    cell, the readout must take the expected value in every attractor reached.

    Exits with status 1 if any claim fails. Claims that only read back a
    value their own context or treatment sets (set-up checks) are listed
    apart.

    With --mutants, every single-rule mutant of the model (a rule made
    constant, a literal dropped or negated, an 'and' swapped for an 'or')
    is checked against the claims: a mutant is killed when a claim that holds
    on the model fails on it. Mutants whose rule is logically equal to the
    original (equivalent) are left out of the kill rate. Exits with status 1
    only below --min-kill-rate.
    """
    from igfnet.analysis.validate import read_claims
    from igfnet.errors import IgfnetError

    if not mutation:
        options = {"--jobs": jobs, "--output": output, "--min-kill-rate": min_kill_rate}
        given = [option for option, value in options.items() if value is not None]
        if kinds != KIND_NAMES:
            given.insert(0, "--kinds")
        if given:
            raise click.BadParameter("only with --mutants", param_hint=given[0])
    elif failed_only:
        raise click.BadParameter("not with --mutants (it lists the surviving mutants)", param_hint="--failed-only")
    check_outputs(output, protected=[model_path], output_suffixes=(".csv",))
    model = load(model_path)
    if claims is None:
        if model.directory is None or not (model.directory / "claims.csv").exists():
            raise IgfnetError(f"model {model.name!r} has no claims.csv; give one with --claims FILE")
        claims = model.directory / "claims.csv"
    read = read_claims(claims, model)
    if mutation:
        _mutation_testing(model, read, kinds, jobs, output, output_format, min_kill_rate, [model_path, claims])
    else:
        _validate(model, read, output_format, failed_only)


def _validate(model: BooleanNetwork, claims: list[Claim], output_format: str, failed_only: bool) -> None:
    from igfnet.analysis.validate import setup_check, validate

    verdicts = list(validate(model, claims))
    failed = [v for v in verdicts if not v.passed]
    shown = failed if failed_only else verdicts
    setup = {v.claim.id for v in verdicts if setup_check(model, v.claim)}
    if output_format == "csv":
        _write_csv(shown, setup)
    else:
        _write_table([v for v in shown if v.claim.id not in setup])
        checks = [v for v in shown if v.claim.id in setup]
        if checks:
            click.echo("\nSet-up checks (the readout is fixed by the claim's own context or treatment):")
            _write_table(checks)
        click.echo(f"\n{len(verdicts) - len(failed)} of {len(verdicts)} claims hold; {len(failed)} fail.")
        click.echo(textwrap.fill(REFERENCE_TAGS, 100))
    if failed:
        sys.exit(1)


def _write_csv(verdicts: list[Verdict], setup: set[str]) -> None:
    from igfnet.io import csv_text

    columns = ["id", "result", "context", "treatment", "readout", "expected", "observed", "reference", "claim"]
    rows = []
    for v in verdicts:
        c = v.claim
        result = "pass" if v.passed else "FAIL"
        setup_check = "yes" if c.id in setup else "no"
        rows.append(
            [c.id, result, c.context, c.treatment, c.readout, c.expected, v.observed, c.reference, c.claim, setup_check]
        )
    click.echo(csv_text([*columns, "setup_check"], rows), nl=False)


REFERENCE_TAGS = (
    "References in [ ]: 'ref N' is the review's reference N; Qn and En are the ids of a quote and of an "
    "expectation in the model's biology notes (see MODEL_NOTES.md); other entries cite a paper."
)


def _write_table(verdicts: list[Verdict], width: int = 100) -> None:
    for v in verdicts:
        c = v.claim
        status = "pass" if v.passed else "FAIL"
        click.echo(
            f"{status}  {c.id:<28} {c.context} | {c.treatment} -> {c.readout}={v.observed} (expected {c.expected})"
        )
        # Wrapped at word boundaries, whole: a claim cut mid-word says less than it should.
        text = f"{c.claim}  [{c.reference}]"
        click.echo(textwrap.fill(text, width, initial_indent="      ", subsequent_indent="      "))


def _mutation_testing(
    model: BooleanNetwork,
    claims: list[Claim],
    kinds: tuple[str, ...],
    jobs: int | None,
    output: str | None,
    output_format: str,
    min_kill_rate: float | None,
    protected: list[str | Path | None],
) -> None:
    from igfnet.analysis.mutants import run_mutants

    protected_paths = [str(path) for path in protected if path]
    if output is not None:
        from igfnet.io import check_output

        check_output(output, protected_paths)  # before the run, not after it
    with progress_bar("mutants") as progress:
        report = run_mutants(model, claims, kinds=kinds, jobs=jobs, progress=progress)
    # --format csv: the rows on standard output instead of the summary (as well as in --output, if given).
    click.echo(report.to_csv() if output_format == "csv" else mutation_summary(model, report), nl=False)
    if output is not None:
        write_output(report.to_csv(), output, protected=protected_paths)
    rate = report.kill_rate()
    if min_kill_rate is not None and rate is not None and rate < min_kill_rate:
        click.echo(f"kill rate {rate:.1%} is below --min-kill-rate {min_kill_rate:g}", err=True)
        sys.exit(1)


def mutation_summary(model: BooleanNetwork, report: MutationReport) -> str:
    """The report for people: counts per kind, kill rate, survivors, redundant and duplicate claims."""
    from igfnet.analysis.mutants import KINDS, STATUSES

    lines = [
        f"Mutation testing of {model.name!r}: {len(report.results)} distinct mutants, "
        f"{len(report.claims)} claim{'' if len(report.claims) == 1 else 's'} checked on each; "
        f"{report.seconds:.1f} s on {report.jobs} process{'es' if report.jobs != 1 else ''}.",
    ]
    if report.setup_checks:
        ids = ", ".join(claim.id for claim in report.setup_checks)
        lines.append(f"Set-up checks, not counted (they read back their own perturbation): {ids}.")
    if report.failing:
        ids = ", ".join(claim.id for claim in report.failing)
        lines.append(f"Claims that fail on the model itself, left out: {ids}.")
    lines.append("")
    lines.append(f"{'kind':<10} {'mutants':>8} " + " ".join(f"{status:>10}" for status in STATUSES) + "  kill rate")
    kinds = [kind for kind in KINDS if any(r.mutant.kind == kind for r in report.results)]
    for kind in [*kinds, None]:
        counts = " ".join(f"{report.count(status, kind):>10}" for status in STATUSES)
        total = sum(report.count(status, kind) for status in STATUSES)
        lines.append(f"{kind or 'all':<10} {total:>8} {counts}  {_percent(report.kill_rate(kind)):>9}")
    lines.append(
        f"\nKill rate {_percent(report.kill_rate())}: "
        f"{report.killed()} of {report.non_equivalent()} non-equivalent mutants killed."
    )
    errors = [r for r in report.results if r.status == "error"]
    if errors:
        lines.append(f"\nKilled by an error ({len(errors)}):")
        lines.extend(f"  {r.mutant.id:<24} {r.error}" for r in errors)
    if report.survivors:
        lines.append(f"\nSurviving mutants ({len(report.survivors)}): no claim tells them from the model")
        for r in report.survivors:
            where = os.path.basename(model.rules[r.mutant.node].source)
            lines.append(f"  {r.mutant.id:<24} {r.mutant.description}" + (f"  [{where}]" if where else ""))
    redundant = report.redundant_claims()
    if redundant:
        lines.append(f"\nRedundant claims ({len(redundant)}): they kill no mutant that another claim does not kill")
        for item in redundant:
            if item.covered_by is None:
                why = "kills no mutant"
            else:
                relation = "the same mutants as" if item.same else "a subset of the mutants of"
                why = f"kills {item.kills}: {relation} {item.covered_by}"
            lines.append(f"  {item.claim.id:<28} {why}")
    duplicates = report.duplicate_claims()
    if duplicates:
        groups = f"{len(duplicates)} group{'s' if len(duplicates) != 1 else ''}"
        lines.append(f"\nDuplicate claims ({groups}): the same readout on the model and on every mutant")
        lines.extend("  " + ", ".join(claim.id for claim in group) for group in duplicates)
    return "\n".join(lines) + "\n"


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"
