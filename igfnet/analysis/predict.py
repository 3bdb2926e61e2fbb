"""Personalised models from genotype tables, and how well they predict a measured response.

Each sample (a cell line, a patient) becomes an untreated cell of the model
through a genotype mapping (:mod:`igfnet.analysis.mapping`); each treatment
then acts on that cell as in ``igfnet compare`` (from its untreated
attractors, fully asynchronous dynamics). Samples with the same settings are
one question to the model and are solved once. Against a measured response
(IC50, AUC), the model's score is compared with a plain association: a
cross-validated lookup table on the same mapped columns.

Examples
--------
>>> from igfnet.model import BooleanNetwork
>>> from igfnet.rules import parse_rules
>>> from igfnet.analysis.mapping import parse_mapping
>>> model = BooleanNetwork(parse_rules("L = input 1\\nM = input 0\\nR = L\\nG = R or M\\n"))
>>> mapping = parse_mapping("column M_mut\\n    set: M=1\\n", "<mapping>", model)
>>> import pandas
>>> table = pandas.DataFrame({"id": ["a", "b"], "M_mut": ["0", "1"]})
>>> result = predict(model, map_samples(table, "id", mapping), ["R=0"], ("G", "0"), jobs=1)
>>> [(row["sample"], row["R=0:verdict"]) for row in result.rows()]
[('a', 'responds'), ('b', 'resists')]
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from igfnet.analysis import outcome
from igfnet.analysis.mapping import ConflictError, GenotypeMapping, SampleSettings
from igfnet.analysis.metrics import ScoreMetrics
from igfnet.analysis.outcome import READOUTS
from igfnet.analysis.parallel import Job, check_jobs, run_tasks
from igfnet.errors import IgfnetError
from igfnet.types import FrozenMap

if TYPE_CHECKING:
    import pandas

    from igfnet.analysis.response import ResponseSolver
    from igfnet.model import BooleanNetwork

SCORES = ("share", "probability")


# -- reading tables --------------------------------------------------------------


def read_table(path: str, what: str) -> pandas.DataFrame:
    """A .csv/.tsv (gzip ok) or .parquet file as text cells ('' for a missing one).

    Every cell is kept as text, so that ids keep their leading zeros and a
    genotype column is read exactly as written.
    """
    import pandas

    lowered = path.lower()
    try:
        if lowered.endswith(".parquet"):
            frame = pandas.read_parquet(path)
            frame = frame.astype(object).where(frame.notna(), "").astype(str)
            frame.columns = [str(column) for column in frame.columns]
        else:
            separator = "\t" if lowered.removesuffix(".gz").endswith((".tsv", ".tab")) else ","
            frame = pandas.read_csv(path, sep=separator, dtype=str, keep_default_na=False, na_filter=False)
    except FileNotFoundError:
        raise IgfnetError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise IgfnetError(f"{what} {path}: is a directory, expected a table") from None
    except ImportError:
        raise IgfnetError(f"{what} {path}: reading Parquet needs pyarrow (pip install 'igfnet[parquet]')") from None
    except (ValueError, OSError, UnicodeDecodeError) as error:  # pandas' parser errors are ValueErrors
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise IgfnetError(f"{what} {path}: cannot read it as a table ({first})") from None
    if frame.empty:
        raise IgfnetError(f"{what} {path}: no rows")
    return frame


def check_ids(frame: pandas.DataFrame, id_column: str, path: str, what: str) -> None:
    """Raise unless ``id_column`` exists and names every row once."""
    if id_column not in frame.columns:
        raise IgfnetError(
            f"{what} {path}: no id column {id_column!r} (columns: {_some(list(frame.columns))}); use --id"
        )
    ids = frame[id_column].str.strip()
    if (ids == "").any():
        row = int((ids == "").to_numpy().nonzero()[0][0]) + 2
        raise IgfnetError(f"{what} {path}: row {row} has no id in column {id_column!r}")
    duplicated = ids[ids.duplicated()]
    if len(duplicated):
        raise IgfnetError(f"{what} {path}: id {duplicated.iloc[0]!r} appears more than once in column {id_column!r}")


def _some(names: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


def read_observed(spec: str, id_column: str) -> tuple[str, dict[str, float], int]:
    """``FILE:COLUMN``: the measured values by sample id, the column's name, and how many cells were empty.

    The ids are read from ``id_column`` when the file has it, else from its
    first column. An empty cell is a sample without a measurement; any other
    non-numeric cell is an error naming the sample.
    """
    import pandas

    path, colon, column = spec.rpartition(":")
    if not colon or not path or not column:
        raise IgfnetError(f"--observed {spec!r}: expected FILE:COLUMN, e.g. ic50.csv:ln_ic50")
    frame = read_table(path, "observed file")
    ids = id_column if id_column in frame.columns else str(frame.columns[0])
    check_ids(frame, ids, path, "observed file")
    if column not in frame.columns or column == ids:
        raise IgfnetError(
            f"observed file {path}: no column {column!r} (columns: {_some([c for c in frame.columns if c != ids])})"
        )
    cells = frame[column].str.strip()
    present = cells != ""
    numbers = pandas.to_numeric(cells[present], errors="coerce")
    bad = numbers[numbers.isna() | ~numbers.map(math.isfinite)]
    if len(bad):
        where = bad.index[0]
        raise IgfnetError(
            f"observed file {path}: column {column!r} of sample {frame[ids][where].strip()!r} "
            f"is not a number: {cells[where]!r}"
        )
    values = dict(zip(frame[ids][present].str.strip(), (float(v) for v in numbers)))
    return column, values, int((~present).sum())


# -- mapping samples ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MappedSample:
    """A sample and what the mapping made of it."""

    sample: str
    genotype: SampleSettings


@dataclass(frozen=True, slots=True)
class MappedSamples:
    """The samples of a table, mapped.

    Attributes
    ----------
    samples : tuple of MappedSample
        In table order, conflicting samples left out.
    skipped : tuple of ConflictError
        Samples whose settings conflict (with ``on_conflict="skip"``).
    unmapped : tuple of str
        Columns of the table the mapping does not name (the id excepted).
    mapping : GenotypeMapping
    """

    samples: tuple[MappedSample, ...]
    skipped: tuple[ConflictError, ...]
    unmapped: tuple[str, ...]
    mapping: GenotypeMapping


def map_samples(
    table: pandas.DataFrame, id_column: str, mapping: GenotypeMapping, on_conflict: str = "error"
) -> MappedSamples:
    """Map every row of a sample table.

    Raises
    ------
    IgfnetError
        A column the mapping reads is missing from the table, or a 0/1
        column holds another value.
    ConflictError
        A sample whose settings conflict, unless ``on_conflict="skip"``.
    """
    if on_conflict not in ("error", "skip"):
        raise IgfnetError(f"on_conflict must be 'error' or 'skip', got {on_conflict!r}")
    missing = [column for column in mapping.columns if column not in table.columns]
    if missing:
        raise IgfnetError(
            f"the mapping {mapping.name!r} reads column(s) {_some(missing)} that the samples file lacks; "
            "a genotype is never guessed: add the columns or write a mapping for this table"
        )
    columns = list(mapping.columns)
    samples, skipped = [], []
    for sample, *cells in zip(table[id_column].str.strip(), *(table[column] for column in columns)):
        row = dict(zip(columns, cells))
        try:
            samples.append(MappedSample(sample, mapping.settings_of(row, sample)))
        except ConflictError as conflict:
            if on_conflict == "error":
                raise
            skipped.append(conflict)
    unmapped = tuple(str(c) for c in table.columns if c != id_column and c not in set(columns))
    return MappedSamples(tuple(samples), tuple(skipped), unmapped, mapping)


# -- the model's predictions -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """One genotype under one treatment.

    Attributes
    ----------
    reached, responding : int
        Attractors the treated cell can reach, and how many of them meet the response.
    readouts : tuple of (node, value)
        Per readout node: '0'/'1' when every reached attractor holds it so, else '*'
        (pairs, not a mapping: an outcome crosses from worker processes and must pickle).
    untreated_responding : bool
        The untreated cell already meets the response (it does not grow).
    probability : float or None
        Probability of response, when computed: the asynchronous dynamics
        read as a Markov chain (each node able to change does so with equal
        probability), started uniformly over the untreated attractors' states
        (:meth:`ResponseSolver.probability`).
    probability_low, probability_high : float or None
        Its bounds (equal to it when exact; a 95% Wilson interval when simulated).
    probability_method : str
        "exact" or "monte-carlo" ("" when not computed).
    averaged_over : int
        With unmeasured inputs averaged over (:func:`predict`, ``unmeasured``):
        how many of their combinations let the untreated cell grow; the share and
        the probability are means over those combinations. 0 otherwise.
    mean_share : float or None
        That mean share (None when nothing was averaged).
    """

    reached: int
    responding: int
    readouts: tuple[tuple[str, str], ...] = ()
    untreated_responding: bool = False
    probability: float | None = None
    probability_low: float | None = None
    probability_high: float | None = None
    probability_method: str = ""
    averaged_over: int = 0
    mean_share: float | None = None

    @property
    def share(self) -> float:
        """Share of the reachable attractors that respond (a count of outcomes, not a probability).

        Averaged over the unmeasured inputs' combinations when :attr:`averaged_over` is set.
        """
        if self.mean_share is not None:
            return self.mean_share
        return self.responding / self.reached if self.reached else 0.0

    @property
    def verdict(self) -> str:
        return outcome.verdict(self.responding, self.reached)

    def score(self, kind: str) -> float:
        """The score the metrics rank samples by: the share or the probability of response."""
        if kind == "probability":
            if self.probability is None:
                raise IgfnetError("no probability of response was computed; use the share as the score")
            return self.probability
        return self.share


Genotype = tuple[str, tuple[tuple[str, int], ...]]
"""What the model is asked per sample: (context, sorted node settings)."""


@dataclass(frozen=True, slots=True)
class Predictions:
    """Every sample's outcome under every treatment.

    Attributes
    ----------
    mapped : MappedSamples
    treatments : tuple of str
    response : (node, value)
    readouts : tuple of str
    outcomes : Mapping[(Genotype, str), Outcome]
        Per distinct genotype and treatment.
    seconds : float
        Wall-clock time of the dynamics.
    jobs : int
        Worker processes used.
    unmeasured : tuple of str
        Inputs averaged over (empty: the model's default context stands for them).
    """

    mapped: MappedSamples
    treatments: tuple[str, ...]
    response: tuple[str, str]
    readouts: tuple[str, ...]
    outcomes: Mapping[tuple[Genotype, str], Outcome]
    seconds: float
    jobs: int
    unmeasured: tuple[str, ...] = ()

    @property
    def genotypes(self) -> list[Genotype]:
        """The distinct genotypes, in order of first appearance."""
        return list(dict.fromkeys(genotype_of(sample) for sample in self.mapped.samples))

    def outcome(self, sample: MappedSample, treatment: str) -> Outcome:
        return self.outcomes[genotype_of(sample), treatment]

    def rows(self) -> list[dict[str, object]]:
        """One dict per sample: id, context, settings, mapped columns, then per treatment its outcome."""
        table = []
        for sample in self.mapped.samples:
            row: dict[str, object] = {
                "sample": sample.sample,
                "context": sample.genotype.context,
                "settings": ", ".join(f"{node}={value}" for node, value in sample.genotype.settings),
                "mapped": "; ".join(sample.genotype.entries),
            }
            for treatment in self.treatments:
                outcome = self.outcome(sample, treatment)
                row[f"{treatment}:verdict"] = outcome.verdict
                row[f"{treatment}:share"] = outcome.share
                if outcome.probability is not None:
                    row[f"{treatment}:probability"] = outcome.probability
                    row[f"{treatment}:probability_low"] = outcome.probability_low
                    row[f"{treatment}:probability_high"] = outcome.probability_high
                    row[f"{treatment}:probability_method"] = outcome.probability_method
                row[f"{treatment}:reached"] = outcome.reached
                if self.unmeasured:
                    row[f"{treatment}:averaged_over"] = outcome.averaged_over
                row[f"{treatment}:untreated_responding"] = int(outcome.untreated_responding)
                for readout, value in outcome.readouts:
                    row[f"{treatment}:{readout}"] = value
            table.append(row)
        return table


def genotype_of(sample: MappedSample) -> Genotype:
    return (sample.genotype.context, sample.genotype.settings)


@dataclass(frozen=True, slots=True)
class _Worker:
    """What a worker keeps across its chunks: one solver over the model, and the question."""

    solver: ResponseSolver
    treatments: tuple[str, ...]
    response: tuple[str, str]
    readouts: tuple[str, ...]
    probability: ProbabilityOptions | None


def _start_worker(
    model: BooleanNetwork,
    treatments: tuple[str, ...],
    response: tuple[str, str],
    readouts: tuple[str, ...],
    probability: ProbabilityOptions | None,
) -> _Worker:
    from igfnet.analysis.response import ResponseSolver

    return _Worker(ResponseSolver(model), treatments, response, readouts, probability)


def _solve(worker: _Worker, genotypes: Sequence[Genotype]) -> list[tuple[Outcome, ...]]:
    solver, treatments, readouts = worker.solver, worker.treatments, worker.readouts
    options = worker.probability
    node, value = worker.response
    results = []
    for context, settings in genotypes:
        fixed = dict(settings)
        untreated = solver.untreated(context, fixed).attractors
        untreated_responding = all(attractor.pattern[node] == value for attractor in untreated)
        outcomes = []
        for treatment in treatments:
            result = solver.response(context, treatment, fixed)
            outcome = Outcome(
                len(result.reached),
                sum(attractor.pattern[node] == value for attractor in result.reached),
                tuple((readout, result.readout(readout)) for readout in readouts),
                untreated_responding,
            )
            if options is not None and outcome.responding in (0, outcome.reached):
                # Every reachable attractor is reached with positive probability and the chain ends in one
                # of them: when all or none respond, the probability is exactly 1 or 0 (no chain to solve).
                certain = float(outcome.responding == outcome.reached)
                outcome = replace(
                    outcome,
                    probability=certain,
                    probability_low=certain,
                    probability_high=certain,
                    probability_method="exact",
                )
            elif options is not None:
                chance = solver.probability(
                    context,
                    treatment,
                    fixed,
                    response={node: int(value)},
                    max_states=options.max_states,
                    samples=options.samples,
                    seed=options.seed,
                )
                outcome = replace(
                    outcome,
                    probability=chance.value,
                    probability_low=chance.low,
                    probability_high=chance.high,
                    probability_method=chance.method,
                )
            outcomes.append(outcome)
        results.append(tuple(outcomes))
    solver.forget_untreated()
    return results


@dataclass(frozen=True, slots=True)
class ProbabilityOptions:
    """How :meth:`ResponseSolver.probability` is asked: exact up to ``max_states`` reachable states, else simulated."""

    max_states: int = 2**20
    samples: int = 10_000
    seed: int = 0


EXACT_UP_TO_A_MILLION = ProbabilityOptions()
"""The default: exact up to 2**20 reachable states (the bundled model needs a few hundred)."""


def predict(
    model: BooleanNetwork,
    mapped: MappedSamples,
    treatments: Sequence[str],
    response: tuple[str, str] = ("Proliferation", "0"),
    readouts: Sequence[str] = READOUTS,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    probability: ProbabilityOptions | None = EXACT_UP_TO_A_MILLION,
    unmeasured: Sequence[str] = (),
) -> Predictions:
    """Every mapped sample under every treatment; each distinct genotype is solved once.

    Parameters
    ----------
    model : BooleanNetwork
    mapped : MappedSamples
        From :func:`map_samples`.
    treatments : sequence of str
        As ``igfnet compare`` writes them (``osi906``, ``figitumumab+ridaforolimus``, ``IGF1R=0``).
    response : (node, value)
        What a responding attractor shows.
    readouts : sequence of str
        Nodes to report (those the model lacks are skipped).
    jobs : int, optional
        Worker processes (default: every core, at most one per genotype).
    progress : callable, optional
        Called as ``progress(genotypes solved, genotypes)``.
    probability : ProbabilityOptions or None
        Also compute each outcome's probability of response (None: only the share).
    unmeasured : sequence of str
        Inputs the samples table does not measure (:func:`unmeasured_inputs`).
        Empty (the default): the model's default context stands for them.
        Otherwise each sample is asked under every combination of their values
        (inputs its context or settings fix excepted), and its outcome is the
        mean over the combinations in which the untreated cell grows (does not
        already meet ``response``): a uniform prior over what was not measured,
        conditioned on what every cultured line shows, that it proliferates.
    """
    from igfnet.perturb import parse_treatment

    treatments = tuple(dict.fromkeys(treatments))
    if not treatments:
        raise IgfnetError("no treatment to predict: give at least one")
    for treatment in treatments:
        parse_treatment(model, treatment)
    model.check_nodes([response[0]], what="response node")
    chosen_readouts = tuple(node for node in readouts if node in model.rules)
    samples_genotypes = list(dict.fromkeys(genotype_of(sample) for sample in mapped.samples))
    for context, settings in samples_genotypes:  # a bad context or setting fails here, not in a worker
        model.perturbation(context=context, settings=dict(settings))
    unmeasured = tuple(dict.fromkeys(unmeasured))
    model.check_nodes(unmeasured, what="unmeasured input")
    not_inputs = [node for node in unmeasured if node not in model.inputs]
    if not_inputs:
        raise IgfnetError(f"only inputs can be unmeasured; not an input: {_some(not_inputs)}")
    combinations = {genotype: _combinations(model, genotype, unmeasured) for genotype in samples_genotypes}
    genotypes = list(dict.fromkeys(combination for each in combinations.values() for combination in each))
    jobs = min(check_jobs(jobs), len(genotypes) or 1)
    chunk = max(1, min(64, len(genotypes) // (jobs * 4) or 1))
    chunks = [genotypes[i : i + chunk] for i in range(0, len(genotypes), chunk)]
    started = time.perf_counter()
    parts: dict[int, list[tuple[Outcome, ...]]] = {}

    def finished(index: int, part: list[tuple[Outcome, ...]]) -> None:
        parts[index] = part
        if progress:
            progress(sum(map(len, parts.values())), len(genotypes))

    job = Job(_start_worker, (model, treatments, response, chosen_readouts, probability), _solve)
    jobs = run_tasks(job, chunks, finished, jobs=jobs)
    solved = [outcomes for index in range(len(chunks)) for outcomes in parts[index]]
    seconds = time.perf_counter() - started
    solved_by_genotype = dict(zip(genotypes, solved))
    table = {}
    for genotype in samples_genotypes:
        for index, treatment in enumerate(treatments):
            asked = [solved_by_genotype[combination][index] for combination in combinations[genotype]]
            table[genotype, treatment] = _mean_outcome(asked) if unmeasured else asked[0]
    return Predictions(mapped, treatments, response, chosen_readouts, FrozenMap(table), seconds, jobs, unmeasured)


def unmeasured_inputs(model: BooleanNetwork, mapping: GenotypeMapping) -> tuple[str, ...]:
    """The model's inputs that no column of the mapping sets: what the samples table does not measure.

    A column that sets an input measures it for every sample (a 0 in a
    mutation column is the wild type); an input no column sets (a ligand, an
    expression level, when the table holds only mutations) is not known for
    any sample. Inputs set only through a column's context are counted as
    unmeasured: the context fixes them for the samples it applies to.
    """
    measured = {node for entry in mapping.entries for node in entry.settings}
    return tuple(node for node in model.inputs if node not in measured)


def _combinations(model: BooleanNetwork, genotype: Genotype, unmeasured: Sequence[str]) -> list[Genotype]:
    """The genotype under every combination of the unmeasured inputs it leaves open."""
    context, settings = genotype
    fixed = set(dict(settings)) | set(model.perturbation(context=context).context)
    open_inputs = [node for node in unmeasured if node not in fixed]
    if len(open_inputs) > MAX_UNMEASURED:
        raise IgfnetError(
            f"{len(open_inputs)} unmeasured inputs would be {2 ** len(open_inputs):,} combinations per sample "
            f"(at most {MAX_UNMEASURED} are averaged over): map more columns or fix some inputs"
        )
    return [
        (context, tuple(sorted({**dict(settings), **dict(zip(open_inputs, values))}.items())))
        for values in itertools.product((0, 1), repeat=len(open_inputs))
    ]


MAX_UNMEASURED = 16
"""Unmeasured inputs averaged over at most (2**16 combinations per sample)."""


def _mean_outcome(outcomes: Sequence[Outcome]) -> Outcome:
    """One outcome from the combinations of unmeasured inputs: means over those in which the cell grows.

    The counts add up (the verdict responds only when every attractor of every
    growing combination responds); a readout is '0'/'1' only when every growing
    combination agrees. No growing combination: the untreated cell never grows.
    """
    growing = [each for each in outcomes if not each.untreated_responding]
    if not growing:
        return Outcome(0, 0, (), True, averaged_over=0, mean_share=0.0)
    readouts = tuple(
        (readout, _agreed(each.readouts[position][1] for each in growing))
        for position, (readout, _) in enumerate(growing[0].readouts)
    )
    merged = Outcome(
        sum(each.reached for each in growing),
        sum(each.responding for each in growing),
        readouts,
        False,
        averaged_over=len(growing),
        mean_share=math.fsum(each.share for each in growing) / len(growing),
    )
    if any(each.probability is None for each in growing):
        return merged
    return replace(
        merged,
        probability=_mean(each.probability for each in growing),
        probability_low=_mean(each.probability_low for each in growing),
        probability_high=_mean(each.probability_high for each in growing),
        probability_method="exact" if all(each.probability_method == "exact" for each in growing) else "monte-carlo",
    )


def _agreed(values: Iterable[str]) -> str:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else "*"


def _mean(values: Iterable[float | None]) -> float:
    numbers = [value for value in values if value is not None]
    return math.fsum(numbers) / len(numbers)


# -- validation against a measured response -------------------------------------------


@dataclass(frozen=True, slots=True)
class Validation:
    """The model's scores and a baseline against a measured response.

    Attributes
    ----------
    column : str
        The measured column.
    higher_is_sensitive : bool
        False for IC50-like values (lower = more sensitive).
    samples : tuple of str
        Samples with both a prediction and a measurement, in table order.
    observed : tuple of float
    positives : tuple of bool
        The most sensitive ``top`` fraction.
    cut : float
        The observed value of the least sensitive positive.
    score : str
        "share" or "probability".
    scores : Mapping[str, tuple[float, ...]]
        Per treatment, each sample's score.
    baseline_scores : tuple of float
        Each sample's cross-validated lookup-table prediction.
    model : Mapping[str, ScoreMetrics]
        Per treatment.
    baseline : ScoreMetrics
    unmatched : int
        Measured samples that are not among the predicted samples.
    top, folds, bootstrap, seed
        The settings used.
    """

    column: str
    higher_is_sensitive: bool
    samples: tuple[str, ...]
    observed: tuple[float, ...]
    positives: tuple[bool, ...]
    cut: float
    score: str
    scores: Mapping[str, tuple[float, ...]]
    baseline_scores: tuple[float, ...]
    model: Mapping[str, ScoreMetrics]
    baseline: ScoreMetrics
    unmatched: int
    top: float
    folds: int
    bootstrap: int
    seed: int


def validate(
    predictions: Predictions,
    column: str,
    observed: Mapping[str, float],
    *,
    higher_is_sensitive: bool = False,
    score: str = "share",
    top: float = 0.10,
    folds: int = 5,
    bootstrap: int = 1000,
    seed: int = 0,
) -> Validation:
    """Compare each treatment's score, and a cross-validated lookup table, with the measured response.

    Positives are the most sensitive ``top`` fraction of the joined samples.
    ROC-AUC and average precision rank them; Spearman's rho compares the
    score with the sensitivity (the observed value, negated unless
    ``higher_is_sensitive``). The baseline predicts a sample by the positive
    rate of training samples with the same mapped genotype (the mapping
    entries that apply), ``folds``-fold cross-validated, the training base
    rate for an unseen genotype. Intervals: ``bootstrap`` paired resamples
    (the same for every score), seeded.

    Raises
    ------
    IgfnetError
        No measured sample is a predicted sample, fewer than two are, or a bad setting.
    """
    import numpy

    from igfnet.analysis.metrics import bootstrap_draws, lookup_baseline, most_sensitive, score_metrics

    if score not in SCORES:
        raise IgfnetError(f"unknown score {score!r}: use {' or '.join(SCORES)}")
    if bootstrap < 0:
        raise IgfnetError(f"--bootstrap must be at least 0, got {bootstrap}")
    joined = [sample for sample in predictions.mapped.samples if sample.sample in observed]
    if not joined:
        ids = [sample.sample for sample in predictions.mapped.samples[:3]]
        raise IgfnetError(
            f"the observed values join no sample (sample ids look like {_some(ids)}; "
            f"observed ids like {_some(list(observed)[:3])})"
        )
    if len(joined) < 2:
        raise IgfnetError("only one sample has an observed value: nothing to rank")
    values = numpy.array([observed[sample.sample] for sample in joined])
    sensitivity = values if higher_is_sensitive else -values
    positives = most_sensitive(sensitivity, top)
    cut_index = int(numpy.flatnonzero(positives)[numpy.argmin(sensitivity[positives])])
    draws = bootstrap_draws(len(joined), bootstrap, seed)
    scores = {
        treatment: tuple(predictions.outcome(sample, treatment).score(score) for sample in joined)
        for treatment in predictions.treatments
    }
    keys = [sample.genotype.entries for sample in joined]
    baseline_scores = lookup_baseline(keys, positives, folds, seed)
    names = {sample.sample for sample in predictions.mapped.samples}
    return Validation(
        column,
        higher_is_sensitive,
        tuple(sample.sample for sample in joined),
        tuple(float(v) for v in values),
        tuple(bool(p) for p in positives),
        float(values[cut_index]),
        score,
        FrozenMap(scores),
        tuple(float(v) for v in baseline_scores),
        FrozenMap({treatment: score_metrics(scores[treatment], sensitivity, positives, draws) for treatment in scores}),
        score_metrics(baseline_scores, sensitivity, positives, draws),
        sum(1 for name in observed if name not in names),
        top,
        folds,
        bootstrap,
        seed,
    )


def add_validation_columns(rows: list[dict[str, object]], validation: Validation) -> list[dict[str, object]]:
    """The per-sample rows with the measured value, the positive label and the baseline's prediction added."""
    by_sample = {
        sample: (value, positive, baseline)
        for sample, value, positive, baseline in zip(
            validation.samples, validation.observed, validation.positives, validation.baseline_scores
        )
    }
    for row in rows:
        value, positive, baseline = by_sample.get(str(row["sample"]), (math.nan, None, math.nan))
        row["observed"] = value
        row["most_sensitive"] = "" if positive is None else int(positive)
        row["baseline_score"] = baseline
    return rows


def summary(predictions: Predictions, validation: Validation | None) -> dict[str, object]:
    """The run and its metrics as a JSON-ready dict."""

    def metrics(figures: ScoreMetrics) -> dict[str, dict[str, float | None]]:
        return {
            name: {key: (None if math.isnan(v) else round(v, 6)) for key, v in zip(("value", "low", "high"), estimate)}
            for name, estimate in (
                ("roc_auc", (figures.roc_auc.value, figures.roc_auc.low, figures.roc_auc.high)),
                (
                    "average_precision",
                    (figures.average_precision.value, figures.average_precision.low, figures.average_precision.high),
                ),
                ("spearman", (figures.spearman.value, figures.spearman.low, figures.spearman.high)),
            )
        }

    mapped = predictions.mapped
    verdicts = {
        treatment: {
            verdict: sum(predictions.outcome(s, treatment).verdict == verdict for s in mapped.samples)
            for verdict in outcome.VERDICTS
        }
        for treatment in predictions.treatments
    }
    result: dict[str, object] = {
        "mapping": mapped.mapping.name,
        "samples": len(mapped.samples),
        "skipped": [{"sample": c.sample, "columns": list(c.columns), "message": str(c)} for c in mapped.skipped],
        "unmapped_columns": len(mapped.unmapped),
        "genotypes": len(predictions.genotypes),
        "response": f"{predictions.response[0]}={predictions.response[1]}",
        "treatments": list(predictions.treatments),
        "verdicts": verdicts,
        "unmeasured": list(predictions.unmeasured),
    }
    if validation is not None:
        result["validation"] = {
            "observed": validation.column,
            "higher_is_sensitive": validation.higher_is_sensitive,
            "samples": len(validation.samples),
            "positives": sum(validation.positives),
            "top": validation.top,
            "cut": validation.cut,
            "unmatched_observed": validation.unmatched,
            "score": validation.score,
            "bootstrap": validation.bootstrap,
            "folds": validation.folds,
            "seed": validation.seed,
            "model": {treatment: metrics(figures) for treatment, figures in validation.model.items()},
            "baseline": metrics(validation.baseline),
        }
    return result
