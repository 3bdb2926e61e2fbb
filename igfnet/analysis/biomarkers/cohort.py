"""The virtual cohort: every combination of biomarker states (or a seeded sample), solved under every treatment."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, cast

from igfnet.analysis.biomarkers.definitions import BIOMARKERS, Biomarker, check_biomarkers, treatment_class
from igfnet.analysis.parallel import Job, check_jobs, run_tasks
from igfnet.errors import IgfnetError
from igfnet.model import BooleanNetwork

if TYPE_CHECKING:
    from igfnet.analysis.response import ResponseSolver


DEFAULT_TREATMENTS = ("figitumumab", "osi906")
"""An anti-IGF-1R antibody and an IGF-1R/IR kinase inhibitor (linsitinib) of ``rules/drugs.txt``."""
MAX_FULL_COHORT = 2**16
"""Beyond this many combinations, ask for a sample."""


# -- the cohort -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TumourResult:
    """One virtual tumour: its biomarker states and its response to each treatment.

    Attributes
    ----------
    index : int
        Position in the full factorial cohort (bit j, from the left, is
        factor j present).
    states : tuple of bool
        Per factor (``Cohort.factors``): biomarker present.
    evaluable : bool
        The untreated tumour grows: some untreated attractor fails the response criterion.
    responds : tuple of bool
        Per treatment: every reached attractor meets the response criterion.
    shares : tuple of float
        Per treatment: the share of reached attractors that meet it.
    """

    index: int
    states: tuple[bool, ...]
    evaluable: bool
    responds: tuple[bool, ...]
    shares: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Cohort:
    """A virtual cohort and its responses.

    Attributes
    ----------
    factors : tuple of Biomarker
        The biomarkers that vary across the cohort (aliases excluded).
    aliases : tuple of Biomarker
        Biomarkers that share a factor's model settings.
    treatments, treatment_classes : tuple of str
        The treatments and their class ("antibody", "kinase inhibitor", "other").
    response : (node, value)
        The response criterion.
    rows : tuple of TumourResult
    sampled : bool
        A random sample (``seed``) rather than every combination.
    seconds : float
        Wall-clock time of the dynamics.
    jobs : int
        Worker processes used.
    """

    factors: tuple[Biomarker, ...]
    aliases: tuple[Biomarker, ...]
    treatments: tuple[str, ...]
    treatment_classes: tuple[str, ...]
    response: tuple[str, str]
    rows: tuple[TumourResult, ...]
    sampled: bool
    seed: int | None
    seconds: float
    jobs: int

    @property
    def size(self) -> int:
        return cast(int, 2 ** len(self.factors))  # int ** int is typed Any (a negative exponent gives a float)

    @property
    def evaluable(self) -> list[TumourResult]:
        return [row for row in self.rows if row.evaluable]

    def settings(self, states: Sequence[bool]) -> dict[str, int]:
        """The node values that make a tumour with these biomarker states."""
        return tumour_settings(self.factors, states)

    def to_rows(self) -> list[dict[str, object]]:
        """One dict per tumour: biomarker states (1/0), evaluable, then per treatment responds and share."""
        table = []
        for row in self.rows:
            entry: dict[str, object] = {"tumour": row.index}
            entry.update({b.key: int(state) for b, state in zip(self.factors, row.states)})
            entry["evaluable"] = int(row.evaluable)
            for treatment, responds, share in zip(self.treatments, row.responds, row.shares):
                entry[f"{treatment}:responds"] = int(responds)
                entry[f"{treatment}:share"] = round(share, 4)
            table.append(entry)
        return table


def tumour_settings(factors: Sequence[Biomarker], states: Sequence[bool]) -> dict[str, int]:
    """Merge each factor's present/absent settings; raise if two factors fix one node differently."""
    settings: dict[str, int] = {}
    for biomarker, present in zip(factors, states):
        for node, value in (biomarker.present if present else biomarker.absent).items():
            if settings.get(node, value) != value:
                raise IgfnetError(
                    f"biomarker {biomarker.key!r} fixes {node}={value}, another fixes {node}={settings[node]}"
                )
            settings[node] = value
    return settings


def states_of(index: int, size: int) -> tuple[bool, ...]:
    """The biomarker states of tumour ``index`` in a cohort of ``size`` factors (factor 0 is the highest bit)."""
    return tuple(bool(index >> (size - 1 - j) & 1) for j in range(size))


def cohort_indices(size: int, sample: int | None = None, seed: int = 0) -> list[int]:
    """Every tumour of a ``size``-factor cohort, or a seeded random sample of ``sample`` of them (sorted).

    >>> cohort_indices(3)
    [0, 1, 2, 3, 4, 5, 6, 7]
    >>> cohort_indices(10, sample=4, seed=1) == cohort_indices(10, sample=4, seed=1)
    True
    """
    total = 2**size
    if sample is None or sample >= total:
        if total > MAX_FULL_COHORT:
            raise IgfnetError(
                f"{size} biomarkers make {total} tumours, more than {MAX_FULL_COHORT}; pass a sample size"
            )
        return list(range(total))
    if sample < 1:
        raise IgfnetError(f"the sample size must be at least 1, got {sample}")
    return sorted(random.Random(seed).sample(range(total), sample))


@dataclass(frozen=True, slots=True)
class _Worker:
    """What a worker keeps across its chunks: one solver over the model, and the question."""

    solver: ResponseSolver
    factors: tuple[Biomarker, ...]
    treatments: tuple[str, ...]
    response: tuple[str, str]


def _start_worker(
    model: BooleanNetwork, factors: tuple[Biomarker, ...], treatments: tuple[str, ...], response: tuple[str, str]
) -> _Worker:
    from igfnet.analysis.response import ResponseSolver

    return _Worker(ResponseSolver(model), factors, treatments, response)


def _solve_chunk(worker: _Worker, indices: Sequence[int]) -> list[TumourResult]:
    solver, factors, treatments = worker.solver, worker.factors, worker.treatments
    node, value = worker.response
    results = []
    for index in indices:
        states = states_of(index, len(factors))
        settings = tumour_settings(factors, states)
        untreated = solver.untreated("default", settings).attractors
        evaluable = not all(attractor.pattern[node] == value for attractor in untreated)
        responds, shares = [], []
        for treatment in treatments:
            reached = solver.response("default", treatment, settings).reached
            meeting = sum(attractor.pattern[node] == value for attractor in reached)
            responds.append(bool(reached) and meeting == len(reached))
            shares.append(meeting / len(reached) if reached else 0.0)
        results.append(TumourResult(index, states, evaluable, tuple(responds), tuple(shares)))
    solver.forget_untreated()
    return results


def biomarker_cohort(
    model: BooleanNetwork,
    biomarkers: Sequence[Biomarker] = BIOMARKERS,
    treatments: Sequence[str] = DEFAULT_TREATMENTS,
    response: tuple[str, str] = ("Proliferation", "0"),
    sample: int | None = None,
    seed: int = 0,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Cohort:
    """Solve every virtual tumour (or a seeded sample) under every treatment.

    Parameters
    ----------
    model : BooleanNetwork
    biomarkers : sequence of Biomarker
        The biomarkers; those with ``alias_of`` are reported but do not vary.
    treatments : sequence of str
        Treatments as ``igfnet compare`` writes them (``figitumumab``, ``osi906+MTORC1=0``).
    response : (node, value)
        What a responding attractor shows.
    sample, seed : int, optional
        Solve ``sample`` tumours drawn at random (``random.Random(seed)``)
        instead of every combination.
    jobs : int, optional
        Worker processes (default: every core). Each loads the model once.
    progress : callable, optional
        Called as ``progress(finished, total)`` with the number of tumours
        finished so far and the cohort's size.

    Returns
    -------
    Cohort
    """

    from igfnet.perturb import parse_treatment

    biomarkers = list(biomarkers)
    treatments = tuple(treatments)
    if not treatments:
        raise IgfnetError("no treatment to test")
    check_biomarkers(model, biomarkers)
    model.check_nodes([response[0]], what="response node")
    for treatment in treatments:
        parse_treatment(model, treatment)
    factors = tuple(b for b in biomarkers if b.alias_of is None)
    aliases = tuple(b for b in biomarkers if b.alias_of is not None)
    indices = cohort_indices(len(factors), sample, seed)
    # Two factors fixing one node differently fail here, not in a worker.
    for first, second in combinations(factors, 2):
        for states in ((True, True), (True, False), (False, True), (False, False)):
            tumour_settings((first, second), states)
    jobs = check_jobs(jobs)
    chunk = max(1, min(256, len(indices) // (jobs * 8) or 1))
    chunks = [indices[i : i + chunk] for i in range(0, len(indices), chunk)]
    started = time.perf_counter()
    solved: dict[int, list[TumourResult]] = {}

    def finished(index: int, part: list[TumourResult]) -> None:
        solved[index] = part
        if progress:
            progress(sum(map(len, solved.values())), len(indices))

    job = Job(_start_worker, (model, factors, treatments, response), _solve_chunk)
    jobs = run_tasks(job, chunks, finished, jobs=jobs)
    rows = [row for index in range(len(chunks)) for row in solved[index]]
    seconds = time.perf_counter() - started
    classes = tuple(treatment_class(model, treatment) for treatment in treatments)
    sampled = len(indices) < 2 ** len(factors)
    return Cohort(
        factors, aliases, treatments, classes, response, tuple(rows), sampled, seed if sampled else None, seconds, jobs
    )
