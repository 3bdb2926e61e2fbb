"""The review's testable claims, checked against the model's exact attractors."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from igfnet.analysis.response import ResponseSolver
from igfnet.errors import InputFileError
from igfnet.model import BooleanNetwork

CLAIM_COLUMNS = ("id", "claim", "context", "treatment", "readout", "expected", "reference")


@dataclass(frozen=True, slots=True)
class Claim:
    """One testable claim: in this context, under this treatment, this readout takes this value."""

    id: str
    claim: str
    context: str
    treatment: str
    readout: str
    expected: str
    reference: str
    source: str


@dataclass(frozen=True, slots=True)
class Verdict:
    claim: Claim
    observed: str

    @property
    def passed(self) -> bool:
        return self.observed == self.claim.expected


def read_claims(path: str | Path, model: BooleanNetwork) -> list[Claim]:
    """Read a claims CSV (columns: id, claim, context, treatment, readout, expected, reference)."""
    from igfnet.rules import read_text

    path = Path(path)
    rows = list(csv.reader(read_text(path).splitlines()))
    header = [column.strip() for column in rows[0]]
    if tuple(header) != CLAIM_COLUMNS:
        raise InputFileError(f"expected the columns {','.join(CLAIM_COLUMNS)}, got {','.join(header)}", str(path), 1)
    claims = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CLAIM_COLUMNS):
            raise InputFileError(f"expected {len(CLAIM_COLUMNS)} columns, got {len(row)}", str(path), number)
        # The row has exactly the claim's columns (checked above), none of them the source.
        claim = Claim(*(cell.strip() for cell in row), source=f"{path}:{number}")  # type: ignore[misc]
        if claim.expected not in ("0", "1", "*"):
            raise InputFileError(
                f"claim {claim.id!r}: expected must be 0, 1 or *, got {claim.expected!r}", str(path), number
            )
        if claim.readout not in model.rules:
            raise InputFileError(
                f"claim {claim.id!r}: readout {claim.readout!r} is not a node of the model", str(path), number
            )
        claims.append(claim)
    return claims


def setup_check(model: BooleanNetwork, claim: Claim) -> bool:
    """Whether a claim only reads back a value its own context or treatment sets.

    True when the readout is a node the claim's treatment or context fixes
    (``IGF1R=0`` read at ``IGF1R``, a drug read at a node it inhibits, a
    context's ``set:``), or an input (its value is a setting in every
    context, never the outcome of a rule). Such a claim holds whatever the
    rules say: it checks the set-up, not the model.
    """
    from igfnet.perturb import parse_treatment

    if model.rules[claim.readout].is_input:
        return True
    perturbation = model.perturbation(context=claim.context, treatment=parse_treatment(model, claim.treatment))
    return claim.readout in perturbation.fixed


def validate(model: BooleanNetwork, claims: list[Claim]) -> Iterator[Verdict]:
    """Each claim with the readout's value in every attractor reached from the untreated context."""
    solver = ResponseSolver(model)
    solver.check([claim.context for claim in claims], [claim.treatment for claim in claims])
    for claim in claims:
        yield Verdict(claim, solver.response(claim.context, claim.treatment).readout(claim.readout))
