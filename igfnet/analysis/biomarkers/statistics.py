"""Per biomarker and treatment: the 2x2 table, odds ratio, Fisher's exact test, agreement with the review."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.analysis.biomarkers.cohort import Cohort
from igfnet.analysis.biomarkers.definitions import Biomarker

if TYPE_CHECKING:
    pass


# -- statistics -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
