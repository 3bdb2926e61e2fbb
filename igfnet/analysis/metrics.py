"""How well a score ranks samples by a measured response: ROC-AUC, average precision, Spearman's rho.

Every figure is computed here from counts and ranks (numpy only), so that the
tests can check it against independent implementations (scipy's
Mann-Whitney U and Spearman). Scores and sensitivities are oriented one way:
higher means more likely to respond / more sensitive.

Examples
--------
>>> roc_auc([0.9, 0.8, 0.3, 0.1], [True, False, True, False])
0.75
>>> average_precision([0.9, 0.8, 0.3, 0.1], [True, False, True, False])
0.8333333333333333
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.errors import IgfnetError

if TYPE_CHECKING:
    import numpy
    from numpy.typing import ArrayLike, NDArray

    Floats = NDArray[numpy.float64]
    Bools = NDArray[numpy.bool_]


@dataclass(frozen=True, slots=True)
class Estimate:
    """A figure with its percentile-bootstrap 95% interval (nan where undefined)."""

    value: float
    low: float
    high: float

    def format(self, digits: int = 2) -> str:
        """'0.61 [0.55, 0.67]' ('-' for an undefined figure)."""

        def number(x: float) -> str:
            return "-" if math.isnan(x) else f"{x:.{digits}f}"

        return f"{number(self.value)} [{number(self.low)}, {number(self.high)}]"


@dataclass(frozen=True, slots=True)
class ScoreMetrics:
    """How one score ranks the samples against the observed sensitivity.

    Attributes
    ----------
    roc_auc : Estimate
        Probability that a positive (one of the most sensitive) scores above
        a negative, ties counting one half; 0.5 is chance.
    average_precision : Estimate
        PR-AUC as average precision: the mean, over positives, of the
        precision among samples scoring at least as high; chance is the
        positive rate.
    spearman : Estimate
        Spearman's rho between the score and the sensitivity (> 0: the model
        ranks sensitive samples higher).
    """

    roc_auc: Estimate
    average_precision: Estimate
    spearman: Estimate


def average_ranks(values: ArrayLike) -> Floats:
    """Ranks 1..n, ties sharing the mean of their ranks.

    >>> average_ranks([10, 30, 20, 30]).tolist()
    [1.0, 3.5, 2.0, 3.5]
    """
    import numpy

    array = numpy.asarray(values, dtype=float)
    order = numpy.argsort(array, kind="mergesort")
    ranks = numpy.empty(len(array), dtype=float)
    ordered = array[order]
    start = 0
    while start < len(array):
        end = start
        while end + 1 < len(array) and ordered[end + 1] == ordered[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def roc_auc(scores: ArrayLike, labels: ArrayLike) -> float:
    """Area under the ROC curve from ranks (the Mann-Whitney U of the positives over n1 n0); nan without both classes."""
    import numpy

    positive = numpy.asarray(labels, dtype=bool)
    n1 = int(positive.sum())
    n0 = len(positive) - n1
    if n1 == 0 or n0 == 0:
        return math.nan
    ranks = average_ranks(scores)
    u = float(ranks[positive].sum()) - n1 * (n1 + 1) / 2
    return u / (n1 * n0)


def average_precision(scores: ArrayLike, labels: ArrayLike) -> float:
    """Mean over positives of the precision among samples scoring at least as high (ties share a threshold)."""
    import numpy

    score = numpy.asarray(scores, dtype=float)
    positive = numpy.asarray(labels, dtype=bool)
    if not positive.any():
        return math.nan
    # Per distinct score (best first): how many samples, and how many positives, score at least as high.
    order = numpy.argsort(-score, kind="mergesort")
    distinct, first = numpy.unique(-score[order], return_index=True)
    at_least = numpy.append(first[1:], len(score))  # samples scoring >= each distinct score, best first
    positives_at_least = numpy.cumsum(positive[order])[at_least - 1]
    precision = positives_at_least / at_least
    index = numpy.searchsorted(distinct, -score[positive])
    return float(precision[index].mean())


def spearman(x: ArrayLike, y: ArrayLike) -> float:
    """Spearman's rho: Pearson's correlation of average ranks; nan when either side is constant."""

    rx, ry = average_ranks(x), average_ranks(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    denominator = math.sqrt(float((rx * rx).sum()) * float((ry * ry).sum()))
    return float((rx * ry).sum()) / denominator if denominator else math.nan


def roc_curve(scores: ArrayLike, labels: ArrayLike) -> tuple[list[float], list[float]]:
    """False and true positive rates at every distinct score threshold, from (0, 0) to (1, 1)."""
    import numpy

    score = numpy.asarray(scores, dtype=float)
    positive = numpy.asarray(labels, dtype=bool)
    n1, n0 = int(positive.sum()), int((~positive).sum())
    fpr, tpr = [0.0], [0.0]
    for threshold in sorted(set(score.tolist()), reverse=True):
        chosen = score >= threshold
        tpr.append(int((chosen & positive).sum()) / n1 if n1 else math.nan)
        fpr.append(int((chosen & ~positive).sum()) / n0 if n0 else math.nan)
    return fpr, tpr


def most_sensitive(sensitivity: ArrayLike, top: float) -> Bools:
    """The positives: the ``top`` fraction of samples with the highest sensitivity (at least one).

    The cut is the sensitivity of the ``max(1, round(top * n))``-th most
    sensitive sample; samples tied with it are positives too.

    >>> most_sensitive([0.1, 0.9, 0.5, 0.7], 0.5).tolist()
    [False, True, False, True]
    """
    import numpy

    if not 0 < top < 1:
        raise IgfnetError(f"the top fraction must be between 0 and 1 (exclusive), got {top}")
    values = numpy.asarray(sensitivity, dtype=float)
    if len(values) == 0:
        return numpy.zeros(0, dtype=bool)
    count = max(1, round(top * len(values)))
    cut = numpy.sort(values)[::-1][count - 1]
    result: Bools = values >= cut
    return result


def bootstrap(
    figure: Callable[[Floats, Floats], float],
    x: Floats,
    y: Floats,
    draws: Sequence[Sequence[int]] | NDArray[numpy.int64],
) -> Estimate:
    """``figure(x, y)`` with the 2.5 and 97.5 percentiles over resamples ``draws`` (rows of indices).

    Resamples where the figure is undefined (a class missing) are left out.
    """
    import numpy

    value = figure(x, y)
    values = [figure(x[draw], y[draw]) for draw in numpy.asarray(draws)]
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return Estimate(value, math.nan, math.nan)
    low, high = numpy.percentile(finite, [2.5, 97.5])
    return Estimate(value, float(low), float(high))


def bootstrap_draws(n: int, count: int, seed: int) -> NDArray[numpy.int64]:
    """``count`` resamples with replacement of ``n`` samples (rows of indices), from a seeded generator."""
    import numpy

    draws: NDArray[numpy.int64] = numpy.random.default_rng(seed).integers(0, n, size=(count, n))
    return draws


def score_metrics(
    scores: ArrayLike, sensitivity: ArrayLike, positives: ArrayLike, draws: NDArray[numpy.int64]
) -> ScoreMetrics:
    """ROC-AUC and average precision against ``positives``, Spearman against ``sensitivity``, each bootstrapped.

    The same ``draws`` for every score make their intervals comparable (a
    paired bootstrap).
    """
    import numpy

    score = numpy.asarray(scores, dtype=float)
    labels = numpy.asarray(positives, dtype=float)
    return ScoreMetrics(
        bootstrap(roc_auc, score, labels, draws),
        bootstrap(average_precision, score, labels, draws),
        bootstrap(spearman, score, numpy.asarray(sensitivity, dtype=float), draws),
    )


def lookup_baseline(keys: Sequence[Hashable], labels: ArrayLike, folds: int = 5, seed: int = 0) -> Floats:
    """Cross-validated lookup table: each sample's predicted positive rate, learnt without it.

    Samples are dealt at random (seeded) into ``folds`` folds; a held-out
    sample is predicted by the positive rate of the training samples with
    the same key (its mapped genotype), or by the training base rate when
    no training sample has that key.

    >>> lookup_baseline(["a", "a", "b", "b"], [1, 1, 0, 0], folds=2).tolist()
    [1.0, 1.0, 0.0, 0.0]
    """
    import numpy

    positive = numpy.asarray(labels, dtype=float)
    n = len(positive)
    if len(keys) != n:
        raise IgfnetError(f"{len(keys)} keys for {n} labels")
    if folds < 2 or folds > n:
        raise IgfnetError(f"--folds must be between 2 and the number of samples ({n}), got {folds}")
    fold_of = numpy.empty(n, dtype=int)
    fold_of[numpy.random.default_rng(seed).permutation(n)] = numpy.arange(n) % folds
    predicted = numpy.empty(n, dtype=float)
    for fold in range(folds):
        training = fold_of != fold
        totals: dict[Hashable, list[float]] = {}
        for key, label in zip((k for k, t in zip(keys, training) if t), positive[training]):
            totals.setdefault(key, []).append(float(label))
        base_rate = float(positive[training].mean())
        for i in numpy.flatnonzero(~training).tolist():
            seen = totals.get(keys[i])
            predicted[i] = sum(seen) / len(seen) if seen else base_rate
    return predicted
