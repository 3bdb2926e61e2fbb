"""``igfnet biomarkers``: the review's candidate biomarkers (Table 3) on a virtual cohort."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from igfnet.cli.options import (
    check_outputs,
    format_of,
    items,
    jobs_option,
    load,
    model_option,
    progress_bar,
    response_option,
    write_output,
)

if TYPE_CHECKING:
    from igfnet.analysis.biomarkers import BiomarkerStatistic, Cohort, PredictiveRule


@click.command("biomarkers")
@model_option
@click.option(
    "--treatment",
    "-t",
    "treatments",
    multiple=True,
    metavar="A+B",
    callback=items,
    help="A treatment to test besides the defaults (figitumumab, osi906): drugs and NODE=0|1 joined by '+' "
    "(repeatable).",
)
@click.option("--no-default-treatments", is_flag=True, help="Test only the --treatment values.")
@click.option(
    "--sample", type=click.IntRange(min=1), metavar="N", help="Solve N random tumours, not every combination."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --sample.")
@jobs_option
@response_option
@click.option(
    "--rule-size",
    type=click.IntRange(min=1),
    default=6,
    show_default=True,
    help="Largest biomarker combination searched for predictive rules.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv"]),
    help="Default: csv when --output ends in .csv, else table.",
)
@click.option("--output", "-O", metavar="FILE", help="Write to FILE (atomically) instead of standard output.")
@click.option("--cohort", "cohort_path", metavar="FILE.csv", help="Also write one row per virtual tumour.")
@click.option("--plot", metavar="FILE.png|svg|pdf", help="Also draw a forest plot of the odds ratios.")
def biomarkers_command(
    model_path: str | None,
    treatments: tuple[str, ...],
    no_default_treatments: bool,
    sample: int | None,
    seed: int,
    jobs: int | None,
    response: str,
    rule_size: int,
    output_format: str | None,
    output: str | None,
    cohort_path: str | None,
    plot: str | None,
) -> None:
    """Which biomarker states predict response, in a virtual cohort of every combination of them.

    The biomarkers are the review's Table 3 (IGF-1R expression and copy
    number gain, IGF-1/IGF-2, IGFBP-3/-6, IRS-1/-2, PIK3CA and PTEN) and its
    text (IR and hybrids, HER2, ER, EWS-FLI1). Each virtual tumour is treated
    as 'igfnet compare' treats a context: from its untreated attractors,
    under fully asynchronous dynamics. It responds when every reached
    attractor meets --response; tumours that meet it untreated (they do not
    grow) are left out. Per biomarker: response rates with and without it,
    odds ratio with a 95% CI, Fisher's exact test, and agreement with the
    review; then the smallest biomarker combinations that predict response.
    With --model, the model must have the bundled model's node and drug
    names, on which the biomarkers are defined.
    """
    from igfnet.analysis.biomarkers import (
        BIOMARKERS,
        DEFAULT_TREATMENTS,
        biomarker_cohort,
        biomarker_statistics,
        predictive_rules,
        statistics_rows,
    )
    from igfnet.errors import IgfnetError
    from igfnet.io import records_csv
    from igfnet.perturb import parse_setting

    node, value = parse_setting(response)
    chosen = list(dict.fromkeys([*(() if no_default_treatments else DEFAULT_TREATMENTS), *treatments]))
    if not chosen:
        raise IgfnetError("no treatment: give --treatment or drop --no-default-treatments")
    from igfnet.io import check_output

    output_format = format_of(output, output_format, {".csv": "csv"}, "table")
    check_outputs(output, plot, protected=[model_path])
    _check_suffix(cohort_path, "--cohort")
    if cohort_path is not None:
        check_output(cohort_path, [path for path in [model_path] if path])
    model = load(model_path)
    with progress_bar("virtual tumours") as progress:
        cohort = biomarker_cohort(
            model, BIOMARKERS, chosen, (node, str(value)), sample=sample, seed=seed, jobs=jobs, progress=progress
        )
    statistics = biomarker_statistics(cohort)
    if output_format == "csv":
        text = records_csv(statistics_rows(statistics))
    else:
        rules = {
            (treatment, outcome): predictive_rules(cohort, treatment, outcome, max_size=rule_size, top=5)
            for treatment in cohort.treatments
            for outcome in ("response", "resistance")
        }
        text = _table(cohort, statistics, rules, response)
    write_output(text, output, protected=[model_path])
    if cohort_path:
        from igfnet.io import write_atomically

        write_atomically(cohort_path, records_csv(cohort.to_rows()), protected=[path for path in [model_path] if path])
    if plot:
        from igfnet.plot import forest_plot

        forest_plot(statistics, plot, title=f"{model.name}: biomarkers of response ({response}), virtual cohort")


def _check_suffix(path: str | None, option: str) -> None:
    if path is None:
        return
    from pathlib import Path

    allowed = (".png", ".svg", ".pdf") if option == "--plot" else (".csv",)
    if Path(path).suffix.lower() not in allowed:
        raise click.BadParameter(f"{path!r}: the file must end in {', '.join(allowed)}", param_hint=option)


def _number(value: float) -> str:
    if value != value:  # nan
        return "-"
    if value >= 1000 or value < 0.01:
        return f"{value:.1e}"
    return f"{value:.3g}"


def _table(
    cohort: Cohort,
    statistics: list[BiomarkerStatistic],
    rules: dict[tuple[str, str], list[PredictiveRule]],
    response: str,
) -> str:
    evaluable = cohort.evaluable
    how = (
        f"a random sample (seed {cohort.seed}) of the {cohort.size} combinations"
        if cohort.sampled
        else "every combination"
    )
    lines = [
        f"Virtual cohort: {len(cohort.rows)} tumours ({how} of {len(cohort.factors)} biomarker states; "
        f"{len(cohort.aliases)} aliases), {len(evaluable)} evaluable ({response} not already in every untreated attractor); "
        f"solved in {cohort.seconds:.1f} s with {cohort.jobs} process(es).",
        f"Responder: {response} in every attractor reached from the untreated state (fully asynchronous).",
    ]
    width = max(len(s.biomarker.label) for s in statistics) + 4
    header = (
        f"  {'biomarker':<{width}}{'src':<7}{'with':>7}{'without':>8}  {'OR [95% CI]':<28}{'Fisher p':>9}  "
        f"{'twins +/-':>10}  {'review':<11}{'model':<11}agreement"
    )
    for t, (treatment, klass) in enumerate(zip(cohort.treatments, cohort.treatment_classes)):
        responders = sum(row.responds[t] for row in evaluable)
        share = responders / len(evaluable) if evaluable else 0.0
        lines += [
            "",
            f"{treatment} ({klass}): {responders} of {len(evaluable)} evaluable tumours respond ({share:.1%})",
        ]
        lines.append(header)
        for s in (s for s in statistics if s.treatment == treatment):
            ratio = s.odds_ratio
            interval = (
                f"{_number(ratio.value)}{'*' if ratio.corrected else ''} [{_number(ratio.low)}, {_number(ratio.high)}]"
            )
            twins = "" if s.gained_response is None else f"{s.gained_response}/{s.lost_response}"
            label = s.biomarker.label if s.biomarker.alias_of is None else f"= {s.biomarker.label}"
            source = "T3" if s.biomarker.source == "Table 3" else "text"
            review = f"{s.expected}?" if s.expected and s.biomarker.inferred else s.expected or "-"
            marks = " (selection)" if s.selection_only else ""
            lines.append(
                f"  {label:<{width}}{source:<7}{s.rate_present:>7.1%}{s.rate_absent:>8.1%}  {interval:<28}"
                f"{_number(s.fisher_p):>9}  {twins:>10}  {review:<11}{s.model_direction:<11}{s.agreement}{marks}"
            )
        for outcome in ("response", "resistance"):
            found = rules[treatment, outcome]
            lines.append(f"  Smallest biomarker combinations predicting {outcome}:")
            if not found:
                lines.append("    (none)")
            for rule in found:
                lines.append(
                    f"    {rule}: precision {rule.precision:.2f} ({rule.hits}/{rule.matched}), "
                    f"coverage {rule.coverage:.2f} ({rule.hits}/{rule.total})"
                )
    lines += [
        "",
        "with / without: response rate of evaluable tumours with / without the biomarker. OR: odds ratio of "
        "response, 95% CI = exp(log OR +- 1.96 SE);",
        "  * = Haldane-Anscombe correction (0.5 added to every cell of a 2x2 table with a zero). Fisher p: "
        "two-sided Fisher exact test (scipy).",
        "twins +/-: pairs of evaluable tumours differing only in this biomarker where gaining it turns a "
        "non-responder into a responder / the reverse",
        "  (the model's own effect; 0/0 means any association comes from which tumours grow at all). "
        "'= X': an alias, the same model settings as the row above.",
        "review: direction the review gives (T3 = Table 3, text = its body text); 'X?': the modeller's inference "
        "from the review's text, not a direction it states.",
        "agreement: every row judged one way, the review's direction against the model's association (sign of "
        "the OR; a direction against no association disagrees);",
        "  (selection): an association with no twin behind it, which comes only from which tumours grow untreated;",
        "  n.s. (samples only): Fisher p >= 0.05, no direction claimed.",
        "The cohort is every combination of biomarker states, each present in half of it, independently: "
        "response rates, odds ratios",
        "  and p-values measure the model's structure, not patient statistics (a p-value shrinks with the "
        "cohort's size, which is a choice).",
    ]
    return "\n".join(lines) + "\n"
