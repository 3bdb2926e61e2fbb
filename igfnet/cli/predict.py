"""``igfnet predict``: personalised models from a genotype table, checked against a measured response."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import click

from igfnet.cli.options import check_outputs, items, jobs_option, load, model_option, progress_bar, response_option

if TYPE_CHECKING:
    from igfnet.analysis.metrics import Estimate
    from igfnet.analysis.predict import MappedSample, Predictions, Validation


@click.command("predict")
@model_option
@click.option(
    "--samples",
    "samples_path",
    required=True,
    metavar="FILE.csv|.tsv|.parquet",
    help="One row per sample (cell line, patient); gzip ok.",
)
@click.option("--id", "id_column", metavar="COLUMN", help="The column of sample ids (default: the first).")
@click.option(
    "--mapping",
    required=True,
    metavar="NAME|FILE",
    help="How columns become node settings: a bundled mapping (gdsc) or a mapping file.",
)
@click.option(
    "--treatment",
    "-t",
    "treatments",
    multiple=True,
    required=True,
    metavar="A+B",
    callback=items,
    help="A treatment: drugs and NODE=0|1 joined by '+', e.g. osi906 or figitumumab+ridaforolimus (repeatable).",
)
@click.option(
    "--on-conflict",
    type=click.Choice(["error", "skip"]),
    default="error",
    show_default=True,
    help="A sample whose columns set a node to both 0 and 1: stop, or list and skip it.",
)
@response_option
@click.option(
    "--observed",
    metavar="FILE:COLUMN",
    help="Measured response (IC50, AUC) joined on the sample id; lower = more sensitive unless --higher-is-sensitive.",
)
@click.option("--higher-is-sensitive", is_flag=True, help="The observed value grows with sensitivity (AUC-style).")
@click.option(
    "--top",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.10,
    show_default=True,
    help="The most sensitive fraction of samples counted as responders.",
)
@click.option(
    "--score",
    type=click.Choice(["probability", "share"]),
    default="probability",
    show_default=True,
    help="What the metrics rank samples by: the probability of response (the asynchronous dynamics as a Markov "
    "chain, uniform over the untreated states) or the share of reachable attractors that respond.",
)
@click.option(
    "--max-states",
    type=click.IntRange(min=1),
    default=2**20,
    show_default=True,
    help="Reachable states up to which the probability is exact; beyond, it is simulated (seeded by --seed).",
)
@click.option(
    "--folds",
    type=click.IntRange(min=2),
    default=5,
    show_default=True,
    help="Folds of the baseline's cross-validation.",
)
@click.option(
    "--bootstrap",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the 95% intervals (0: none).",
)
@click.option(
    "--unmeasured",
    type=click.Choice(["default", "free"]),
    default="default",
    show_default=True,
    help="Inputs no mapping column sets (ligands, expression): 'default' takes the model's default context; "
    "'free' averages over all their values among those in which the untreated cell grows.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap and the folds.")
@jobs_option
@click.option("--output", metavar="FILE.csv|.parquet", help="One row per sample (written atomically).")
@click.option("--summary", "summary_path", metavar="FILE.json", help="The run and its metrics as JSON.")
@click.option("--plot", metavar="FILE.png|svg|pdf", help="ROC curves and observed values by verdict.")
@click.option(
    "--genotypes", "shown", type=click.IntRange(min=0), default=15, show_default=True, help="Genotypes listed."
)
def predict_command(
    model_path: str | None,
    samples_path: str,
    id_column: str | None,
    mapping: str,
    treatments: tuple[str, ...],
    on_conflict: str,
    response: str,
    observed: str | None,
    higher_is_sensitive: bool,
    top: float,
    score: str,
    max_states: int,
    folds: int,
    bootstrap: int,
    unmeasured: str,
    seed: int,
    jobs: int | None,
    output: str | None,
    summary_path: str | None,
    plot: str | None,
    shown: int,
) -> None:
    """Which samples respond to a treatment, and does the model beat a plain association?

    Each sample becomes an untreated cell of the model through --mapping (a
    0/1 column applies its settings when 1; 'column X = value' when equal);
    columns the mapping does not name are counted, never guessed. Each
    treatment acts on that cell as in 'igfnet compare': verdict responds
    (every attractor it can reach meets --response), resists (none does) or
    mixed, with the share of reachable attractors that respond and the
    probability of response (each node able to change does so with equal
    probability, from a uniform start over the untreated states). Samples
    with the same settings are solved once.

    With --observed, the most sensitive --top fraction are the responders:
    ROC-AUC and PR-AUC (average precision) of the score, Spearman's rho
    between score and sensitivity, each with a bootstrap 95% CI; and the same
    for a baseline, a --folds cross-validated lookup table (a sample is
    predicted by the responder rate of training samples with its mapped
    genotype).

    A table of mutations says nothing of ligands or expression levels: with
    --unmeasured free, every input no mapping column sets is unknown, and a
    sample's share and probability are means over all combinations of those
    inputs in which its untreated cell grows (as every cultured line does).
    """
    from igfnet.analysis.mapping import load_mapping
    from igfnet.analysis.predict import (
        ProbabilityOptions,
        add_validation_columns,
        check_ids,
        map_samples,
        predict,
        read_observed,
        read_table,
        summary,
        unmeasured_inputs,
        validate,
    )
    from igfnet.io import check_output
    from igfnet.perturb import parse_setting

    check_outputs(output, plot, protected=[model_path], output_suffixes=(".csv", ".parquet"))
    _check_suffix(summary_path, "--summary", (".json",))
    if summary_path is not None:
        check_output(summary_path, [path for path in [model_path] if path])
    node, value = parse_setting(response)
    model = load(model_path)
    genotype_mapping = load_mapping(mapping, model)
    table = read_table(samples_path, "samples file")
    id_column = id_column or str(table.columns[0])
    check_ids(table, id_column, samples_path, "samples file")
    measured = read_observed(observed, id_column) if observed else None
    mapped = map_samples(table, id_column, genotype_mapping, on_conflict)
    with progress_bar("genotypes", delay=1.0) as progress:
        predictions = predict(
            model,
            mapped,
            treatments,
            (node, str(value)),
            jobs=jobs,
            progress=progress,
            probability=ProbabilityOptions(max_states=max_states, seed=seed),
            unmeasured=unmeasured_inputs(model, genotype_mapping) if unmeasured == "free" else (),
        )
    validation = None
    empty = 0
    if measured is not None:
        column, values, empty = measured
        validation = validate(
            predictions,
            column,
            values,
            higher_is_sensitive=higher_is_sensitive,
            score=score,
            top=top,
            folds=folds,
            bootstrap=bootstrap,
            seed=seed,
        )
    protected = [model_path] if model_path else []
    if output:
        rows = predictions.rows()
        if validation is not None:
            rows = add_validation_columns(rows, validation)
        _write_rows(rows, output, protected)
    if summary_path:
        import json

        from igfnet.io import write_atomically

        write_atomically(summary_path, json.dumps(summary(predictions, validation), indent=1) + "\n", protected)
    click.echo(_table(predictions, samples_path, response, shown), nl=False)
    if validation is not None:
        click.echo(_metrics_table(validation, empty), nl=False)
    if plot:
        from igfnet.plot import predict_figure

        predict_figure(predictions, validation, plot, title=f"{model.name}: {genotype_mapping.name} samples")


def _check_suffix(path: str | None, option: str, allowed: tuple[str, ...]) -> None:
    if path is not None and Path(path).suffix.lower() not in allowed:
        from igfnet.errors import IgfnetError

        raise IgfnetError(f"{option} {path!r}: the file must end in {' or '.join(allowed)}")


def _write_rows(rows: list[dict[str, object]], path: str, protected: list[str]) -> None:
    import pandas

    from igfnet.io import write_atomically

    frame = pandas.DataFrame(rows)
    if path.lower().endswith(".parquet"):
        import io

        from igfnet.errors import IgfnetError

        buffer = io.BytesIO()
        try:
            frame.to_parquet(buffer, index=False)
        except ImportError:
            raise IgfnetError("writing Parquet needs pyarrow: pip install 'igfnet[parquet]' (or write .csv)") from None
        write_atomically(path, buffer.getvalue(), protected)
    else:
        write_atomically(path, frame.to_csv(index=False), protected)


def _table(predictions: Predictions, samples_path: str, response: str, shown: int) -> str:
    from igfnet.analysis.outcome import VERDICTS

    mapped = predictions.mapped
    genotypes = predictions.genotypes
    lines = [
        f"{len(mapped.samples)} samples from {samples_path} mapped with {mapped.mapping.name!r} "
        f"({len(mapped.mapping.entries)} entries on {len(mapped.mapping.columns)} columns); "
        f"{len(mapped.unmapped)} columns not mapped.",
    ]
    if mapped.skipped:
        lines.append(f"{len(mapped.skipped)} samples skipped (conflicting settings):")
        lines += [f"  {conflict}" for conflict in mapped.skipped]
    lines += [
        f"{len(genotypes)} distinct genotypes solved in {predictions.seconds:.1f} s with {predictions.jobs} process(es). "
        f"Responds: {response} in every attractor reached from the untreated state (fully asynchronous).",
    ]
    if predictions.unmeasured:
        lines.append(
            f"Averaged over {len(predictions.unmeasured)} unmeasured inputs ({', '.join(predictions.unmeasured)}): "
            "each sample's share and probability are means over the combinations in which its untreated cell grows."
        )
    lines += [
        "",
    ]
    width = max(len("treatment"), *(len(t) for t in predictions.treatments))
    lines.append(
        f"  {'treatment':<{width}}  {'responds':>8}  {'mixed':>6}  {'resists':>7}  {'mean share':>10}  "
        f"{'mean probability':>16}"
    )
    for treatment in predictions.treatments:
        outcomes = [predictions.outcome(sample, treatment) for sample in mapped.samples]
        count = {v: sum(o.verdict == v for o in outcomes) for v in VERDICTS}
        share = _mean([o.share for o in outcomes])
        chance = _mean([o.probability for o in outcomes if o.probability is not None])
        lines.append(
            f"  {treatment:<{width}}  {count['responds']:>8}  {count['mixed']:>6}  {count['resists']:>7}  "
            f"{share:>10.2f}  {'-' if math.isnan(chance) else f'{chance:.2f}':>16}"
        )
    if shown and genotypes:
        sizes = {genotype: 0 for genotype in genotypes}
        examples: dict[tuple[str, tuple[tuple[str, int], ...]], MappedSample] = {}
        for sample in mapped.samples:
            key = (sample.genotype.context, sample.genotype.settings)
            sizes[key] += 1
            examples.setdefault(key, sample)
        ranked = sorted(genotypes, key=lambda g: -sizes[g])[:shown]
        described = {g: examples[g].genotype.describe() for g in ranked}
        gwidth = max(len("settings"), *(len(text) for text in described.values()))
        column = max(22, *(len(t) for t in predictions.treatments))
        lines += [
            "",
            f"Genotypes (largest {len(ranked)} of {len(genotypes)}): verdict, share and probability per treatment",
            (
                f"  {'samples':>7}  {'settings':<{gwidth}}  "
                + "  ".join(f"{t:<{column}}" for t in predictions.treatments)
            ).rstrip(),
        ]
        for genotype in ranked:
            cells = []
            for treatment in predictions.treatments:
                outcome = predictions.outcomes[genotype, treatment]
                shown_probability = "" if outcome.probability is None else f" p={outcome.probability:.2f}"
                cells.append(f"{f'{outcome.verdict} {outcome.share:.2f}{shown_probability}':<{column}}")
            lines.append(f"  {sizes[genotype]:>7}  {described[genotype]:<{gwidth}}  " + "  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def _metrics_table(validation: Validation, empty: int = 0) -> str:
    direction = "higher" if validation.higher_is_sensitive else "lower"
    positives = sum(validation.positives)
    bound = ">=" if validation.higher_is_sensitive else "<="
    lines = [
        "",
        f"Against {validation.column} ({direction} = more sensitive): {len(validation.samples)} samples joined"
        + (f" ({validation.unmatched} measured samples not among them)" if validation.unmatched else "")
        + (f" ({empty} empty cells in the observed column left out)" if empty else "")
        + f"; responders: the {positives} most sensitive ({validation.top:.0%}, {bound} {validation.cut:.4g}).",
        f"Score: each treatment's {'probability of response' if validation.score == 'probability' else 'share of responding attractors'}. Baseline: {validation.folds}-fold cross-validated lookup "
        "table on the mapped genotype.",
        f"95% CI: percentile bootstrap, {validation.bootstrap} paired resamples (seed {validation.seed}).",
        "",
    ]
    rows: list[tuple[str, tuple[Estimate, Estimate, Estimate]]] = [
        (treatment, (m.roc_auc, m.average_precision, m.spearman)) for treatment, m in validation.model.items()
    ]
    b = validation.baseline
    rows.append(("baseline (lookup)", (b.roc_auc, b.average_precision, b.spearman)))
    width = max(len("score"), *(len(name) for name, _ in rows))
    lines.append(f"  {'score':<{width}}  {'ROC-AUC [95% CI]':<20}  {'PR-AUC [95% CI]':<20}  Spearman rho [95% CI]")
    for name, figures in rows:
        lines.append(f"  {name:<{width}}  " + "  ".join(f"{figure.format():<20}" for figure in figures).rstrip())
    rate = positives / len(validation.samples)
    lines += [
        f"  {'chance':<{width}}  {'0.50':<20}  {f'{rate:.2f}':<20}  0.00",
        "",
        "ROC-AUC: how often a responder scores above a non-responder (ties half). PR-AUC: mean precision at each "
        "responder's score.",
        "Spearman rho: rank correlation of the score with sensitivity (> 0: higher score, more sensitive).",
    ]
    return "\n".join(lines) + "\n"
