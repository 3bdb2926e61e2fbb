"""Smallest predictive combinations: the fewest biomarker states that tell responders from non-responders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.analysis.biomarkers.cohort import Cohort
from igfnet.analysis.biomarkers.definitions import Biomarker
from igfnet.errors import IgfnetError

if TYPE_CHECKING:
    pass


# -- smallest predictive combinations -----------------------------------------------------


@dataclass(frozen=True, slots=True)
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
