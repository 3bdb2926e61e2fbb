"""A screen's rows and result: one row per (context, combination), synergy, ranking, tables."""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from igfnet.analysis.screen.mechanism import Mechanism, ReadoutChange
from igfnet.analysis.screen.plan import ScreenPlan
from igfnet.errors import IgfnetError
from igfnet.perturb.grammar import treatment_items

if TYPE_CHECKING:
    import pandas


# -- one row ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScreenRow:
    """One context under the base treatment plus one combination.

    Attributes
    ----------
    verdict : str
        "responds" (every attractor reached from the untreated cell meets the
        response), "resists" (none does) or "mixed".
    responding, reached : int
        How many of the reached attractors respond, of how many.
    base_verdict : str
        The verdict of the base treatment alone in this context.
    readouts : tuple of (node, value)
        Each readout over the reached attractors: '0'/'1', or '*' if it varies.
    mechanism : Mechanism
        The readouts that differ from the base alone and, for each, shortest
        signed paths from a perturbed node (as text in :meth:`record`:
        ``changed`` "Proliferation:1>0;AKT:1>0" and ``mechanism``).
    synergy : bool or None
        Set when the whole screen is known: a hit where no part of the
        combination responds on its own (None before).
    probability : float or None
        The probability of response, when the screen scores by it (None when by share).
    method : str
        How ``probability`` was obtained: "exact" or "monte-carlo" ("" when by share).
    hsa, bliss : float or None
        Set when the whole screen is known, for combinations of two or more
        items whose singles were screened: the score minus the best single's
        (highest single agent excess) and minus the Bliss independence
        expectation ``1 - prod(1 - single)`` (Bliss excess).
    """

    context: str
    combination: str
    size: int
    verdict: str
    responding: int
    reached: int
    base_verdict: str
    readouts: tuple[tuple[str, str], ...]
    mechanism: Mechanism
    synergy: bool | None = field(default=None, compare=True)
    probability: float | None = None
    method: str = ""
    hsa: float | None = None
    bliss: float | None = None

    @property
    def share(self) -> float:
        return self.responding / self.reached if self.reached else 0.0

    @property
    def score(self) -> float:
        """The probability of response when computed, else the share."""
        return self.share if self.probability is None else self.probability

    @property
    def hit(self) -> bool:
        """The base alone does not respond here, the base plus the combination does."""
        return self.base_verdict != "responds" and self.verdict == "responds"

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.combination

    @property
    def changed(self) -> str:
        """The readouts that differ from the base alone, as text: "Proliferation:1>0;AKT:1>0"."""
        return self.mechanism.changed_text()

    def record(self) -> dict[str, str]:
        """The row as CSV fields (strings); :meth:`from_record` reads it back."""
        return {
            "context": self.context,
            "combination": self.combination,
            "size": str(self.size),
            "verdict": self.verdict,
            "responding_share": f"{self.share:.4f}",
            "responding": str(self.responding),
            "reached": str(self.reached),
            "base_verdict": self.base_verdict,
            "hit": str(self.hit).lower(),
            "synergy": "" if self.synergy is None else str(self.synergy).lower(),
            # repr: the journal gives back the very float, so a resumed screen equals an uninterrupted one.
            "score": repr(self.score),
            "score_method": self.method or "share",
            "hsa_excess": "" if self.hsa is None else f"{self.hsa:.6f}",
            "bliss_excess": "" if self.bliss is None else f"{self.bliss:.6f}",
            **dict(self.readouts),
            "changed": self.mechanism.changed_text(),
            "mechanism": self.mechanism.text(),
        }

    @classmethod
    def from_record(cls, record: dict[str, str], readouts: Sequence[str]) -> ScreenRow:
        """A row from :meth:`record`'s fields with ``mechanism_data`` (:meth:`Mechanism.to_json`), as the journal keeps it."""
        return cls(
            record["context"],
            record["combination"],
            int(record["size"]),
            record["verdict"],
            int(record["responding"]),
            int(record["reached"]),
            record["base_verdict"],
            tuple((readout, record[readout]) for readout in readouts),
            Mechanism.from_json(record["mechanism_data"]),
            None if record.get("synergy", "") == "" else record["synergy"] == "true",
            None if record.get("score_method", "share") == "share" else float(record["score"]),
            "" if record.get("score_method", "share") == "share" else record["score_method"],
        )


def columns(readouts: Sequence[str]) -> list[str]:
    return [
        "context",
        "combination",
        "size",
        "verdict",
        "responding_share",
        "responding",
        "reached",
        "base_verdict",
        "hit",
        "synergy",
        "score",
        "score_method",
        "hsa_excess",
        "bliss_excess",
        *readouts,
        "changed",
        "mechanism",
    ]


# -- running a screen ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """Every row of a screen in canonical order (by context, then combination), with synergy set."""

    plan: ScreenPlan
    rows: tuple[ScreenRow, ...]

    def hits(self) -> list[ScreenRow]:
        return [row for row in self.rows if row.hit]

    def ranked(self) -> list[RankedHit]:
        return rank_hits(self.rows, by_score=self.plan.score == "probability")

    def graded(self) -> list[GradedCombination]:
        return rank_graded(self.rows)

    def to_frame(self) -> pandas.DataFrame:
        """A pandas DataFrame, one row per (context, combination)."""
        import pandas

        frame = pandas.DataFrame([row.record() for row in self.rows], columns=columns(self.plan.readouts))
        for column in ("size", "responding", "reached"):
            frame[column] = frame[column].astype(int)
        for column in ("responding_share", "score"):
            frame[column] = frame[column].astype(float)
        for column in ("hsa_excess", "bliss_excess"):
            frame[column] = pandas.to_numeric(frame[column], errors="coerce")  # '' (not defined) -> NaN
        for column in ("hit", "synergy"):
            frame[column] = frame[column] == "true"
        return frame

    def to_csv(self) -> str:
        from igfnet.io import records_csv

        return records_csv([row.record() for row in self.rows], columns(self.plan.readouts))

    def to_parquet(self) -> bytes:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise IgfnetError("writing Parquet needs pyarrow: pip install 'igfnet[parquet]' (or write .csv)") from None
        buffer = io.BytesIO()
        self.to_frame().to_parquet(buffer, index=False)
        return buffer.getvalue()


# -- synergy and ranking ----------------------------------------------------------------------


def with_synergy(rows: Sequence[ScreenRow]) -> list[ScreenRow]:
    """Set ``synergy``: a hit where no part of the combination (no single of a pair) responds on its own.

    A combination whose parts are not all in the screen gets ``synergy=False``
    (the claim cannot be checked); explicit screens include the parts.
    """
    verdict = {row.key: row.verdict for row in rows}
    score = {row.key: row.score for row in rows}
    result = []
    for row in rows:
        synergy = False
        if row.hit and row.size > 1:
            items = treatment_items(row.combination)
            parts = [
                "+".join(subset) for size in range(1, len(items)) for subset in itertools.combinations(items, size)
            ]
            known = [verdict.get((row.context, part)) for part in parts]
            synergy = all(v is not None and v != "responds" for v in known)
        hsa = bliss = None
        if row.size > 1:
            singles = [score.get((row.context, item)) for item in treatment_items(row.combination)]
            if all(single is not None for single in singles):
                hsa, bliss = graded_synergy(row.score, [single for single in singles if single is not None])
        result.append(replace(row, synergy=synergy, hsa=hsa, bliss=bliss))
    return result


def graded_synergy(combined: float, singles: Sequence[float]) -> tuple[float, float]:
    """Highest-single-agent and Bliss excess of a combination's score over its singles' scores.

    HSA excess: ``combined - max(singles)``. Bliss excess: ``combined - (1 - prod(1 - single))``,
    the response the singles would give if they acted independently. Both
    are positive when the combination does better than expected.

    Examples
    --------
    >>> graded_synergy(0.9, [0.5, 0.6])  # Bliss expects 1 - 0.5 * 0.4 = 0.8
    (0.30000000000000004, 0.09999999999999998)
    """
    expected = 1.0
    for single in singles:
        expected *= 1.0 - single
    return combined - max(singles), combined - (1.0 - expected)


@dataclass(frozen=True, slots=True)
class RankedHit:
    """A combination that rescues at least one context, with where and how."""

    combination: str
    size: int
    rescued: tuple[str, ...]
    synergy: tuple[str, ...]
    example: str
    """The context ``mechanism`` was read in: the first synergistic one, else the first rescued."""
    mechanism: Mechanism
    mean_score: float = 0.0
    """The mean score (share or probability of response) over the contexts where the base alone does not respond."""

    @property
    def minimal(self) -> bool:
        """A single, or a combination that rescues some context none of its parts rescues (a synergy)."""
        return self.size == 1 or bool(self.synergy)

    def explanation(self, readout: str) -> ReadoutChange | None:
        """How the combination changed one readout in :attr:`example` (None if it did not change)."""
        return self.mechanism.change(readout)


def rank_hits(rows: Sequence[ScreenRow], by_score: bool = False) -> list[RankedHit]:
    """Combinations by the number of contexts they rescue (most first), then drugs before node
    perturbations (fewer NODE=0|1 items first), then size (smaller first), then name.

    ``by_score`` puts, among combinations that rescue as many contexts, those
    with the higher mean score over the base-resistant contexts first (where
    they do not rescue, a probability of response still tells them apart).
    """
    by_combination: dict[str, list[ScreenRow]] = {}
    resistant: dict[str, list[float]] = {}
    for row in rows:
        if row.hit:
            by_combination.setdefault(row.combination, []).append(row)
        if row.base_verdict != "responds":
            resistant.setdefault(row.combination, []).append(row.score)
    ranked = []
    for name, hits in by_combination.items():
        # Explain where the combination matters most: a context only the whole combination rescues.
        example = next((row for row in hits if row.synergy), hits[0])
        ranked.append(
            RankedHit(
                name,
                hits[0].size,
                tuple(row.context for row in hits),
                tuple(row.context for row in hits if row.synergy),
                example.context,
                example.mechanism,
                sum(resistant[name]) / len(resistant[name]),
            )
        )
    if by_score:
        return sorted(ranked, key=lambda hit: (-len(hit.rescued), -hit.mean_score, *_tie(hit)))
    return sorted(ranked, key=lambda hit: (-len(hit.rescued), *_tie(hit)))


def _tie(hit: RankedHit) -> tuple[int, int, str]:
    """Among equals: drugs before node perturbations (what a clinic can give), then fewer items, then the name."""
    node_items = sum("=" in item for item in treatment_items(hit.combination))
    return node_items, hit.size, hit.combination


@dataclass(frozen=True, slots=True)
class GradedCombination:
    """A combination's graded synergy across the contexts where it is defined."""

    combination: str
    size: int
    contexts: int
    """Contexts where its singles were screened too (the means are over these)."""
    mean_bliss: float
    mean_hsa: float
    best_context: str
    """The context of its largest Bliss excess."""
    best_bliss: float


def rank_graded(rows: Sequence[ScreenRow]) -> list[GradedCombination]:
    """Combinations of two or more items by mean Bliss excess across contexts (largest first), then HSA, then name."""
    by_combination: dict[str, list[ScreenRow]] = {}
    for row in rows:
        if row.bliss is not None and row.hsa is not None:
            by_combination.setdefault(row.combination, []).append(row)
    graded = []
    for name, scored in by_combination.items():
        best = max(scored, key=lambda row: row.bliss or 0.0)
        graded.append(
            GradedCombination(
                name,
                scored[0].size,
                len(scored),
                sum(row.bliss or 0.0 for row in scored) / len(scored),
                sum(row.hsa or 0.0 for row in scored) / len(scored),
                best.context,
                best.bliss or 0.0,
            )
        )
    return sorted(graded, key=lambda g: (-g.mean_bliss, -g.mean_hsa, g.combination))
