"""What every analysis reads off the attractors a treated cell reaches: readouts and one verdict.

compare, screen, predict and biomarkers all judge a treatment the same way:
it *responds* when every reachable attractor shows the response (by default
Proliferation=0), *resists* when none does, and is *mixed* otherwise.
"""

from __future__ import annotations

READOUTS = ("AKT", "ERK", "MTORC1", "Proliferation", "Survival", "Apoptosis")
"""The nodes an analysis reports by default, in this order."""

VERDICTS = ("responds", "mixed", "resists")


def verdict(responding: int, reached: int) -> str:
    """'responds' when all ``reached`` attractors respond, 'resists' when none does, else 'mixed'.

    >>> verdict(2, 2), verdict(1, 2), verdict(0, 2)
    ('responds', 'mixed', 'resists')
    """
    if responding == reached:
        return "responds"
    return "resists" if responding == 0 else "mixed"
