"""Candidate biomarkers of the review's Table 3 on a virtual cohort of tumours.

Each virtual tumour is one combination of biomarker states (every
combination, or a seeded random sample of them). Each is treated the way
``igfnet compare`` treats a context: the treatment acts on the tumour's
untreated attractors and the fully asynchronous dynamics is followed to every
attractor it can reach. A tumour *responds* when every reached attractor
meets the response criterion (Proliferation=0 by default). Tumours that
already meet the criterion untreated (they do not grow) are not evaluable,
as a trial enrols only growing tumours.

Per biomarker and treatment: the 2x2 table (present/absent x
responder/non-responder), the odds ratio with a 95% confidence interval,
Fisher's exact test, and whether the model's direction agrees with the
review's. Because the cohort is every combination of states (not a sample of
patients), a p-value measures how strongly the model's structure ties the
biomarker to response, not evidence from patients.

Examples
--------
>>> from igfnet.model import load_model
>>> model = load_model()
>>> chosen = [b for b in BIOMARKERS if b.key in ("igf2_high", "pten_loss")]
>>> result = biomarker_cohort(model, chosen, ["figitumumab", "osi906"], jobs=1)
>>> [(row.states, row.responds) for row in result.rows]  # (IGF-2 high, PTEN loss): (antibody, TKI)
[((False, False), (True, True)), ((False, True), (False, False)), ((True, False), (False, True)), ((True, True), (False, False))]
>>> [(s.treatment, s.biomarker.key, s.agreement) for s in biomarker_statistics(result)]
[('figitumumab', 'igf2_high', 'disagrees'), ('figitumumab', 'pten_loss', 'agrees'), ('osi906', 'igf2_high', 'disagrees'), ('osi906', 'pten_loss', 'agrees')]
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, cast

from igfnet.analysis.parallel import Job, check_jobs, run_tasks
from igfnet.errors import IgfnetError
from igfnet.model import BooleanNetwork
from igfnet.perturb import frozen_mapping

if TYPE_CHECKING:
    from igfnet.analysis.response import ResponseSolver

ANTIBODY = "antibody"
KINASE_INHIBITOR = "kinase inhibitor"
OTHER = "other"
DIRECTIONS = ("response", "resistance", "no effect")
DEFAULT_TREATMENTS = ("figitumumab", "osi906")
"""An anti-IGF-1R antibody and an IGF-1R/IR kinase inhibitor (linsitinib) of ``rules/drugs.txt``."""
MAX_FULL_COHORT = 2**16
"""Beyond this many combinations, ask for a sample."""


@dataclass(frozen=True)
class Biomarker:
    """A candidate biomarker: the model settings of its two states and what the review says of it.

    Attributes
    ----------
    key, label : str
        A short identifier and a name for reports.
    present, absent : Mapping[str, int]
        Node values fixed in a tumour that has / lacks the biomarker (empty:
        the nodes follow their rules). Inputs not named keep the model's
        default context.
    expected : Mapping[str, str]
        The review's direction ("response", "resistance", "no effect") per
        treatment class ("antibody", "kinase inhibitor"), "*" for any class.
        Empty: the review states no direction.
    source : str
        "Table 3" or "text" (the review's body text, not its Table 3).
    references : str
        The review's reference numbers, as the review prints them.
    statement : str
        What the review says, abridged.
    alias_of : str, optional
        The key of the biomarker whose model settings this one shares (the
        Boolean model cannot tell the two apart); an alias is not a separate
        factor of the cohort.
    note : str
        How the model expresses it, and what it cannot.
    inferred : bool
        True when ``expected`` is the modeller's inference from the review's
        text (a mechanism it describes), not a direction the review states.
    """

    key: str
    label: str
    present: Mapping[str, int] = field(default_factory=frozen_mapping)
    absent: Mapping[str, int] = field(default_factory=frozen_mapping)
    expected: Mapping[str, str] = field(default_factory=frozen_mapping)
    source: str = "Table 3"
    references: str = ""
    statement: str = ""
    alias_of: str | None = None
    note: str = ""
    inferred: bool = False

    def __reduce__(self) -> tuple[Callable[..., Biomarker], tuple[object, ...]]:
        # Mapping proxies do not pickle; worker processes started by spawn or forkserver need to.
        fields = (self.present, self.absent, self.expected)
        rest = (self.source, self.references, self.statement, self.alias_of, self.note, self.inferred)
        return (_biomarker, (self.key, self.label, *(dict(f) for f in fields), *rest))

    def expectation(self, treatment_class: str) -> str:
        """The review's direction for this class of treatment ('' when it states none)."""
        if treatment_class == OTHER:
            return ""
        return self.expected.get(treatment_class, self.expected.get("*", ""))


def _biomarker(
    key: str,
    label: str,
    present: Mapping[str, int],
    absent: Mapping[str, int],
    expected: Mapping[str, str],
    source: str,
    references: str,
    statement: str,
    alias_of: str | None = None,
    note: str = "",
    inferred: bool = False,
) -> Biomarker:
    return Biomarker(
        key,
        label,
        frozen_mapping(present),
        frozen_mapping(absent),
        frozen_mapping(expected),
        source,
        references,
        statement,
        alias_of,
        note,
        inferred,
    )


BIOMARKERS: tuple[Biomarker, ...] = (
    _biomarker(
        "igf1r_expr",
        "IGF-1R expression",
        {"IGF1R_expr": 1},
        {"IGF1R_expr": 0},
        {"*": "response"},
        "Table 3",
        "[27, 29]",
        "Intensity of IGF-1R expression was correlated to in vitro response to a humanized monoclonal antibody",
        note="IGF1R_expr: expressed above the threshold (1,300-10,000 receptors per cell) or not",
    ),
    _biomarker(
        "igf1r_cn_gain",
        "IGF-1R copy number gain",
        {"IGF1R_expr": 1},
        {"IGF1R_expr": 0},
        {"*": "response"},
        "Table 3",
        "[25, 27, 31]",
        "Copy number gain of IGF-1R ... was correlated to treatment response in NSCLC cell lines",
        alias_of="igf1r_expr",
        note="alias of IGF-1R expression: a Boolean receptor level cannot tell amplification from over-expression",
    ),
    _biomarker(
        "igf1_high",
        "IGF-1 high",
        {"IGF1": 1},
        {"IGF1": 0},
        {"*": "response"},
        "Table 3",
        "[16]",
        "IGF-1 and IGF-2 gene expression level was significantly correlated to the in vitro activity of BMS 536924",
    ),
    _biomarker(
        "igf2_high",
        "IGF-2 high",
        {"IGF2": 1},
        {"IGF2": 0},
        {"*": "response"},
        "Table 3",
        "[16]",
        "IGF-1 and IGF-2 gene expression level was significantly correlated to the in vitro activity of BMS 536924",
        note="Table 3's evidence is for a kinase inhibitor (BMS-536924); IGF-2 also activates holo-IR (IR-A)",
    ),
    _biomarker(
        "igfbp3_high",
        "IGFBP-3 high",
        {"IGFBP3_expr": 1},
        {"IGFBP3_expr": 0},
        {"*": "resistance"},
        "Table 3",
        "[16]",
        "IGFBP-3 and IGFBP-6 expression predicted resistance",
        note="IGFBP3_expr (transcription); EWS-FLI1 represses it",
    ),
    _biomarker(
        "igfbp6_high",
        "IGFBP-6 high",
        {"IGFBP6": 1},
        {"IGFBP6": 0},
        {"*": "resistance"},
        "Table 3",
        "[16]",
        "IGFBP-3 and IGFBP-6 expression predicted resistance",
    ),
    _biomarker(
        "irs1",
        "IRS-1 expression",
        {},
        {"IRS1": 0},
        {"*": "response"},
        "Table 3",
        "[29]",
        "Either insulin receptor subsrates-1 (IRS-1) and - 2 expression was predictive of response",
        note="absent = IRS1 fixed at 0 in the tumour (not expressed), the model's convention for IRS loss",
    ),
    _biomarker(
        "irs2",
        "IRS-2 expression",
        {},
        {"IRS2": 0},
        {"*": "response"},
        "Table 3",
        "[29]",
        "Either insulin receptor subsrates-1 (IRS-1) and - 2 expression was predictive of response",
        note="absent = IRS2 fixed at 0 in the tumour (not expressed)",
    ),
    _biomarker(
        "pik3ca_mut",
        "PIK3CA mutation",
        {"PIK3CA_mut": 1},
        {"PIK3CA_mut": 0},
        {"*": "resistance"},
        "Table 3",
        "[27]",
        "Constitutive activation of the [PI3K/Akt] pathway was correlated to resistance",
    ),
    _biomarker(
        "pten_loss",
        "PTEN loss",
        {"PTEN": 0},
        {"PTEN": 1},
        {"*": "resistance"},
        "Table 3",
        "[27]",
        "Constitutive activation of the [PI3K/Akt] pathway was correlated to resistance",
    ),
    _biomarker(
        "ir_expr",
        "IR-A expressed",
        {},
        {"INSR": 0, "HYBRID_R": 0},
        {ANTIBODY: "resistance", KINASE_INHIBITOR: "no effect"},
        "text",
        "Q17, Q20",
        "monoclonal antibodies are blocking only IGF-1R and IGF-1R/IR hybrids; "
        "[antibody] blockage ... compensatory [IR] activation (speculation)",
        note="absent = holo-IR and hybrids fixed at 0 (IR not expressed); present = the model's default (IR expressed, "
        "activated by insulin or IGF-2)",
        inferred=True,
    ),
    _biomarker(
        "hybrid",
        "IGF-1R/IR hybrids",
        {},
        {"INSR": 0, "HYBRID_R": 0},
        {},
        "text",
        "Q17, Q59",
        "the individual assessment of both receptors and their conformation could have an impact on response",
        alias_of="ir_expr",
        note="alias of IR expressed: hybrids form when IR is expressed beside IGF-1R; they bind IGF-1R's ligands and "
        "every IGF-1R drug blocks them, so they have no effect of their own in the model",
    ),
    _biomarker(
        "her2_amp",
        "HER2 amplification",
        {"HER2_amp": 1},
        {"HER2_amp": 0},
        {"*": "resistance"},
        "text",
        "[18, 20, 21]; Q45, Q46",
        "efficacy of IGF-1R targeting as a single agent is a rare event; parallel inhibition of ... HER2 could "
        "considerably enhance antitumor activity",
        inferred=True,
    ),
    _biomarker(
        "er_pos",
        "ER positive",
        {"ESR1_expr": 1},
        {"ESR1_expr": 0},
        {"*": "resistance"},
        "text",
        "[29]; Q34, Q56",
        "synergism of dual targeting of these pathways by fulvestrant or tamoxifen combined with h10H5; the main area "
        "of interest ... in breast cancer is a combination strategy with endocrine treatment",
        note="estrogen present (E2=1, the default context); the review states no direction for IGF-1R monotherapy: "
        "that ER keeps a growth path open under IGF-1R blockade (E27) is inferred from the synergy it reports",
        inferred=True,
    ),
    _biomarker(
        "ews_fusion",
        "EWS-FLI1 fusion",
        {"EWS_FLI1": 1},
        {"EWS_FLI1": 0},
        {"*": "response"},
        "text",
        "[42-44]; Q40",
        "Ewing sarcoma: transcriptional repression of IGFBP-3 ... resulting IGF-1R activation; responses to "
        "R1507, AMG 479, figitumumab",
        note="acts only through IGFBP-3: without IGFBP3_expr it changes nothing",
    ),
)
"""The candidate biomarkers of Table 3 and of the review's text, in the bundled model's terms."""


# -- the cohort -----------------------------------------------------------------


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


def csv_text(rows: Sequence[Mapping[str, object]]) -> str:
    """Rows of dicts as CSV text (the keys of the first row are the header)."""
    import csv
    import io

    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def treatment_class(model: BooleanNetwork, treatment: str) -> str:
    """'kinase inhibitor' if the treatment contains an IGF-1R/IR TKI, else 'antibody' if an anti-IGF-1R antibody, else 'other'."""
    from igfnet.perturb import parse_treatment

    classes = [model.drugs[drug].annotation("class").lower() for drug in parse_treatment(model, treatment)["drugs"]]
    if any("igf-1r" in c and "kinase inhibitor" in c for c in classes):
        return KINASE_INHIBITOR
    if any("anti-igf-1r" in c and "antibody" in c for c in classes):
        return ANTIBODY
    return OTHER


def check_biomarkers(model: BooleanNetwork, biomarkers: Sequence[Biomarker]) -> None:
    """Raise on a biomarker naming an unknown node, a bad direction, or an alias of nothing."""
    keys = {b.key for b in biomarkers}
    for biomarker in biomarkers:
        model.check_nodes([*biomarker.present, *biomarker.absent], what=f"node (biomarker {biomarker.key!r})")
        for direction in biomarker.expected.values():
            if direction not in DIRECTIONS:
                raise IgfnetError(f"biomarker {biomarker.key!r}: unknown direction {direction!r}")
        if biomarker.alias_of is not None and biomarker.alias_of not in keys:
            raise IgfnetError(f"biomarker {biomarker.key!r} is an alias of {biomarker.alias_of!r}, which is not listed")
        if dict(biomarker.present) == dict(biomarker.absent):
            raise IgfnetError(f"biomarker {biomarker.key!r}: present and absent are the same settings")


@dataclass(frozen=True)
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


# -- statistics -------------------------------------------------------------------


@dataclass(frozen=True)
class OddsRatio:
    """An odds ratio with its 95% Wald interval on the log scale.

    ``corrected`` says the Haldane-Anscombe correction (0.5 added to every
    cell) was applied because a cell was 0.
    """

    value: float
    low: float
    high: float
    corrected: bool


def odds_ratio(a: float, b: float, c: float, d: float, z: float = 1.959963984540054) -> OddsRatio:
    """Odds ratio of the table [[a, b], [c, d]] (rows: present, absent; columns: responder, non-responder).

    log OR +- z * sqrt(1/a + 1/b + 1/c + 1/d), with 0.5 added to every cell when any is 0.

    >>> ratio = odds_ratio(10, 5, 4, 12)
    >>> round(ratio.value, 2), round(ratio.low, 2), round(ratio.high, 2), ratio.corrected
    (6.0, 1.26, 28.55, False)
    >>> odds_ratio(3, 0, 1, 4).corrected
    True
    """
    corrected = 0 in (a, b, c, d)
    if corrected:
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    log_ratio = math.log(a * d / (b * c))
    error = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return OddsRatio(math.exp(log_ratio), math.exp(log_ratio - z * error), math.exp(log_ratio + z * error), corrected)


@dataclass(frozen=True)
class BiomarkerStatistic:
    """One biomarker under one treatment, over the evaluable tumours.

    Attributes
    ----------
    table : (a, b, c, d)
        Present & responder, present & non-responder, absent & responder,
        absent & non-responder.
    fisher_p : float
        Two-sided Fisher exact test (scipy).
    gained_response, lost_response : int
        Full cohorts only (else None): pairs of tumours that differ only in
        this biomarker, both evaluable, where gaining the biomarker turns a
        non-responder into a responder / a responder into a non-responder.
    """

    biomarker: Biomarker
    treatment: str
    treatment_class: str
    table: tuple[int, int, int, int]
    odds_ratio: OddsRatio
    fisher_p: float
    gained_response: int | None
    lost_response: int | None
    sampled: bool = False

    @property
    def rate_present(self) -> float:
        a, b, _, _ = self.table
        return a / (a + b) if a + b else float("nan")

    @property
    def rate_absent(self) -> float:
        _, _, c, d = self.table
        return c / (c + d) if c + d else float("nan")

    @property
    def expected(self) -> str:
        return self.biomarker.expectation(self.treatment_class)

    @property
    def model_direction(self) -> str:
        """'response' when responders are more frequent with the biomarker, 'resistance' when less, else 'no effect'.

        In a sampled cohort (``sampled``) a difference counts only if Fisher's
        p < 0.05, else 'n.s.': the sign of a small difference may be the
        sample's noise.
        """
        present, absent = self.rate_present, self.rate_absent
        if math.isnan(present) or math.isnan(absent) or present == absent:
            return "no effect"
        if self.sampled and not self.fisher_p < 0.05:
            return "n.s."
        return "response" if present > absent else "resistance"

    @property
    def model_effect(self) -> str:
        """Within the model (full cohorts): what gaining the biomarker does to otherwise identical tumours.

        'response' (only turns non-responders into responders), 'resistance'
        (only the reverse), 'both', 'none' (never changes a growing tumour's
        response: any association comes from which tumours grow at all), or
        '' for a sampled cohort.
        """
        if self.gained_response is None or self.lost_response is None:
            return ""
        if self.gained_response and self.lost_response:
            return "both"
        if self.gained_response:
            return "response"
        return "resistance" if self.lost_response else "none"

    @property
    def agreement(self) -> str:
        """'agrees' / 'disagrees' with the review's direction, 'n/a' when it gives none, 'n.s.' in a sample.

        Every row is judged one way: the review's direction ("response",
        "resistance", "no effect") against the model's association over the
        evaluable tumours (``model_direction``, the sign of the odds ratio),
        as Table 3's associations are. A direction against a model without
        any association is a disagreement. ``selection_only`` says when the
        association comes only from which tumours grow untreated.
        """
        expected, observed = self.expected, self.model_direction
        if not expected:
            return "n/a"
        if observed == "n.s.":
            return "n.s."
        return "agrees" if observed == expected else "disagrees"

    @property
    def selection_only(self) -> bool:
        """Full cohorts: the association has no twin behind it (it comes only from which tumours grow untreated)."""
        return self.model_effect == "none" and self.model_direction in ("response", "resistance")


def biomarker_statistics(cohort: Cohort) -> list[BiomarkerStatistic]:
    """Per treatment, per biomarker (aliases after the factor they share): 2x2 table, OR, Fisher p, agreement."""
    from scipy.stats import fisher_exact

    evaluable = cohort.evaluable
    by_index = {row.index: row for row in cohort.rows}
    size = len(cohort.factors)
    order: list[tuple[int, Biomarker]] = []
    for j, factor in enumerate(cohort.factors):
        order.append((j, factor))
        order.extend((j, alias) for alias in cohort.aliases if alias.alias_of == factor.key)
    statistics = []
    for t, (treatment, klass) in enumerate(zip(cohort.treatments, cohort.treatment_classes)):
        for j, biomarker in order:
            a = sum(1 for r in evaluable if r.states[j] and r.responds[t])
            b = sum(1 for r in evaluable if r.states[j] and not r.responds[t])
            c = sum(1 for r in evaluable if not r.states[j] and r.responds[t])
            d = sum(1 for r in evaluable if not r.states[j] and not r.responds[t])
            p = float(fisher_exact([[a, b], [c, d]])[1]) if (a + b) and (c + d) else float("nan")
            gained = lost = None
            if not cohort.sampled:
                gained = lost = 0
                bit = 1 << (size - 1 - j)
                for row in evaluable:
                    twin = by_index[row.index ^ bit]
                    if not row.states[j] or not twin.evaluable:
                        continue
                    gained += row.responds[t] and not twin.responds[t]
                    lost += twin.responds[t] and not row.responds[t]
            statistics.append(
                BiomarkerStatistic(
                    biomarker, treatment, klass, (a, b, c, d), odds_ratio(a, b, c, d), p, gained, lost, cohort.sampled
                )
            )
    return statistics


def statistics_rows(statistics: Iterable[BiomarkerStatistic]) -> list[dict[str, object]]:
    """One flat dict per (treatment, biomarker), the columns of ``igfnet biomarkers --format csv``."""
    rows = []
    for s in statistics:
        a, b, c, d = s.table
        rows.append(
            {
                "treatment": s.treatment,
                "treatment_class": s.treatment_class,
                "biomarker": s.biomarker.key,
                "label": s.biomarker.label,
                "alias_of": s.biomarker.alias_of or "",
                "present_responders": a,
                "present_nonresponders": b,
                "absent_responders": c,
                "absent_nonresponders": d,
                "rate_present": _round(s.rate_present),
                "rate_absent": _round(s.rate_absent),
                "odds_ratio": _round(s.odds_ratio.value),
                "ci_low": _round(s.odds_ratio.low),
                "ci_high": _round(s.odds_ratio.high),
                "haldane_corrected": int(s.odds_ratio.corrected),
                "fisher_p": f"{s.fisher_p:.3g}",
                "gained_response": "" if s.gained_response is None else s.gained_response,
                "lost_response": "" if s.lost_response is None else s.lost_response,
                "model_direction": s.model_direction,
                "model_effect": s.model_effect,
                "review_direction": s.expected,
                "agreement": s.agreement,
                "source": s.biomarker.source,
                "references": s.biomarker.references,
            }
        )
    return rows


def _round(value: float) -> float:
    return value if math.isnan(value) or math.isinf(value) else float(f"{value:.4g}")


# -- smallest predictive combinations -----------------------------------------------------


@dataclass(frozen=True)
class PredictiveRule:
    """A conjunction of biomarker states and how well it predicts an outcome among evaluable tumours.

    Attributes
    ----------
    terms : tuple of (Biomarker, bool)
        Each biomarker with its required state (True: present).
    outcome : str
        "response" or "resistance".
    matched : int
        Evaluable tumours that satisfy the conjunction.
    hits : int
        Of those, tumours with the outcome.
    total : int
        Evaluable tumours with the outcome.
    """

    treatment: str
    outcome: str
    terms: tuple[tuple[Biomarker, bool], ...]
    matched: int
    hits: int
    total: int

    @property
    def precision(self) -> float:
        return self.hits / self.matched if self.matched else 0.0

    @property
    def coverage(self) -> float:
        """Share of the tumours with the outcome that the conjunction picks out (recall)."""
        return self.hits / self.total if self.total else 0.0

    def __str__(self) -> str:
        return " and ".join(b.label if present else f"not {b.label}" for b, present in self.terms)


def predictive_rules(
    cohort: Cohort, treatment: str, outcome: str = "response", max_size: int | None = 6, top: int = 5
) -> list[PredictiveRule]:
    """The smallest conjunctions of biomarker states that predict an outcome, best first.

    An exact, level-wise search over conjunctions of 1, 2, 3, ... biomarker
    states among the evaluable tumours. It stops at the first size at which
    some conjunction predicts the outcome with precision 1, and returns
    those, by coverage; if none does up to ``max_size`` (default: every
    factor; 6 keeps the search to seconds), the most precise conjunctions
    found. A conjunction is kept only
    if it is minimal: no conjunction one term shorter inside it is as precise
    (for precision 1 this means no smaller conjunction inside it is exact).
    A conjunction that matches no tumour with the outcome, or matches only
    such tumours, is not extended (its extensions cannot be minimal).
    """
    if outcome not in ("response", "resistance"):
        raise IgfnetError(f"outcome must be 'response' or 'resistance', got {outcome!r}")
    if treatment not in cohort.treatments:
        raise IgfnetError(f"treatment {treatment!r} is not in the cohort ({', '.join(cohort.treatments)})")
    t = cohort.treatments.index(treatment)
    evaluable = cohort.evaluable
    wanted = outcome == "response"
    target = sum(1 << i for i, row in enumerate(evaluable) if row.responds[t] == wanted)
    total = target.bit_count()
    if not total:
        return []
    size = len(cohort.factors)
    literal = {}
    for j in range(size):
        for present in (True, False):
            literal[j, present] = sum(1 << i for i, row in enumerate(evaluable) if row.states[j] == present)
    # open: conjunction (terms sorted by factor) -> (mask, precision), impure with at least one hit.
    open_: dict[tuple[tuple[int, bool], ...], tuple[int, float]] = {(): (-1, -1.0)}
    best: list[PredictiveRule] = []
    for length in range(1, (max_size or size) + 1):
        found: list[PredictiveRule] = []
        grown: dict[tuple[tuple[int, bool], ...], tuple[int, float]] = {}
        for terms, (mask, _) in open_.items():
            last = terms[-1][0] if terms else -1
            for j in range(last + 1, size):
                for present in (True, False):
                    new = (*terms, (j, present))
                    subs = [new[:k] + new[k + 1 :] for k in range(len(new))]
                    if length > 1 and not all(sub in open_ for sub in subs):
                        continue  # a shorter conjunction inside it is exact, or matches no tumour with the outcome
                    narrowed = mask & literal[j, present]
                    matched, hits = narrowed.bit_count(), (narrowed & target).bit_count()
                    if not hits:
                        continue
                    precision = hits / matched
                    if length > 1 and any(open_[sub][1] >= precision for sub in subs):
                        continue
                    rule = PredictiveRule(
                        treatment, outcome, tuple((cohort.factors[k], p) for k, p in new), matched, hits, total
                    )
                    found.append(rule)
                    if precision < 1:
                        grown[new] = (narrowed, precision)
        exact = [rule for rule in found if rule.precision == 1]
        if exact:
            exact.sort(key=lambda rule: -rule.coverage)
            return exact[:top]
        best = sorted([*best, *found], key=lambda rule: (-rule.precision, -rule.coverage, len(rule.terms)))[:top]
        if not grown:
            break
        open_ = grown
    return best
