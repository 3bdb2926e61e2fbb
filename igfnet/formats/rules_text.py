"""Writing a network back in igfnet's own rule language (``rules/README.md``), annotations included.

Reading is :func:`igfnet.rules.parse_rules` (:func:`parse_rules_file` for the
registry of :mod:`igfnet.formats`); writing is its inverse, so a
perturbed or imported model can be saved, read by a person and edited.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from igfnet.errors import IgfnetError
from igfnet.logic import to_text

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork
    from igfnet.rules import Rule

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_ -]*")


def write_rules(network: BooleanNetwork) -> str:
    """The network as a ``.rules`` file: one rule per node, then its ``key: value`` annotations.

    An input is written ``X = input 1`` (its default-context value) or
    ``X = input`` (free); a fixed node as ``X = 0`` or ``X = 1``.

    Examples
    --------
    >>> from igfnet.model import BooleanNetwork
    >>> from igfnet.rules import parse_rules
    >>> model = BooleanNetwork(parse_rules("S = input 1\\n    kind: ligand\\nA = S & !A\\n"))
    >>> print(write_rules(model), end="")
    # model
    S = input 1
        kind: ligand
    A = S & !A
    """
    lines = [f"# {network.name}"]
    for rule in network.rules.values():
        lines.append(f"{rule.target} = {_body(rule)}")
        for key, values in rule.annotations.items():
            if not _KEY.fullmatch(key):
                raise IgfnetError(f"annotation key {key!r} of node {rule.target!r} cannot be written in a .rules file")
            for value in values:
                lines.append(f"    {key}: {' '.join(value.split())}")
    return "\n".join(lines) + "\n"


def _body(rule: Rule) -> str:
    if rule.is_input:
        return "input" if rule.default is None else f"input {rule.default}"
    # Keep the modeller's own text (their parentheses, their '&' or 'and') when it still says the same.
    from igfnet.rules import parse_expression

    text = " ".join(rule.text.split())
    if text and "#" not in text:
        try:
            if parse_expression(text) == rule.expression:
                return text
        except IgfnetError:
            pass
    return to_text(rule.expression, "rules")


def parse_rules_file(text: str, source: str = "<rules>") -> tuple[list[Rule], str | None]:
    """A ``.rules`` file's rules, as every format's reader returns them (a .rules file names no model)."""
    from igfnet.rules import parse_rules

    return parse_rules(text, source), None
