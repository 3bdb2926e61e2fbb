"""Tables for people: attractors with the phenotype and readout nodes first, readable at 80 columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork
    from igfnet.types import Attractors

READOUTS = ("AKT", "ERK", "MTORC1", "S6K", "PI3K", "IRS1", "IGF1R", "INSR")
"""Signalling readouts shown right after the phenotypes, where a model has them."""


def display_order(model: BooleanNetwork) -> list[str]:
    """Phenotype nodes, then the signalling readouts, then the rest in model order.

    A model that marks no phenotype (``kind: phenotype``), a .bnet or SBML
    model of someone else, keeps its own order: our readouts mean nothing special there.
    """
    phenotypes = [node for node, rule in model.rules.items() if rule.annotation("kind").lower() == "phenotype"]
    if not phenotypes:
        return list(model.nodes)
    readouts = [node for node in READOUTS if node in model.rules and node not in phenotypes]
    first = phenotypes + readouts
    return first + [node for node in model.nodes if node not in first]


def attractor_table(attractors: Attractors, order: Sequence[str], width: int = 80) -> str:
    """Nodes as rows, attractors as columns (in blocks that fit ``width``), states in the last row."""
    count = len(attractors)
    lines = [f"{plural(count, 'attractor')} ({_kinds(attractors)}), fully asynchronous dynamics"]
    if not count:
        return "\n".join(lines) + "\n"
    name_width = max(len("states"), *(len(node) for node in order))
    states = [_states(attractor.states) for attractor in attractors]
    column = max(4, *(len(text) for text in states)) + 1
    per_block = max(1, (width - name_width - 2) // column)
    for start in range(0, count, per_block):
        block = range(start, min(count, start + per_block))
        lines.append("")
        lines.append(" " * (name_width + 2) + "".join(f"A{index + 1}".rjust(column) for index in block))
        for node in order:
            values = "".join(attractors[index].pattern[node].rjust(column) for index in block)
            lines.append(f"{node:<{name_width}}  {values}")
        lines.append(f"{'states':<{name_width}}  " + "".join(states[index].rjust(column) for index in block))
    return "\n".join(lines) + "\n"


def _kinds(attractors: Attractors) -> str:
    fixed = sum(attractor.is_fixed_point for attractor in attractors)
    cyclic = len(attractors) - fixed
    parts = []
    if fixed:
        parts.append(plural(fixed, "fixed point"))
    if cyclic:
        parts.append(f"{cyclic} complex")
    return ", ".join(parts)


def _states(count: int) -> str:
    # Exact counts stay exact: 67108864, not 6.71e+07.
    return str(count)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun in agreement: "1 context", "2 contexts", "0 contexts"."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
