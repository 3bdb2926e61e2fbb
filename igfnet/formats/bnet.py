"""The ``.bnet`` format (``targets, factors``) of PyBoolNet, BoolNet, biodivine-aeon, biobalm and mpbn.

An input is written ``X, X``; constants as ``0``/``1`` (``true``/``false``
are read too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from igfnet.errors import RuleSyntaxError, excerpt
from igfnet.logic import to_text
from igfnet.rules import Rule, check_name, parse_expression

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork


def parse_bnet(text: str, source: str = "<bnet>") -> tuple[list[Rule], str | None]:
    """Parse ``.bnet`` text into rules; also return the model's name from a leading comment.

    Examples
    --------
    >>> rules, _ = parse_bnet("targets, factors\\nA, A\\nB, A & !B\\n")
    >>> [(rule.target, rule.is_input) for rule in rules]
    [('A', True), ('B', False)]
    """
    rules: list[Rule] = []
    name = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            if name is None and raw.strip().startswith("#") and not rules:
                name = raw.strip().lstrip("#").strip() or None
            continue
        if "," not in line:
            raise RuleSyntaxError(
                f"expected 'target, factors', got {excerpt(line)!r} (no ',' separator)", source, number
            )
        target, body = (part.strip() for part in line.split(",", 1))
        if target.lower() == "targets" and body.lower() == "factors":
            continue
        check_name(target, source, number)
        if not body:
            raise RuleSyntaxError(f"rule for {target!r} has no expression after ','", source, number)
        expression = parse_expression(body, source, number)
        where = f"{source}:{number}"
        if expression == target:
            rules.append(Rule(target, target, True, None, source=where, text=body))
        else:
            rules.append(Rule(target, expression, source=where, text=body))
    if not rules:
        raise RuleSyntaxError("no rules found (expected lines 'target, factors')", source)
    return rules, name


def write_bnet(network: BooleanNetwork) -> str:
    """The network as ``.bnet`` text (inputs as ``X, X``; fixed inputs as constants)."""
    width = max(len(node) for node in network.nodes)
    lines = [f"# {network.name}", f"{'targets,':<{width + 1}} factors"]
    for node in network.nodes:
        rule = network.rules[node]
        lines.append(f"{node + ',':<{width + 1}} {to_text(rule.expression, 'bnet')}")
    return "\n".join(lines) + "\n"
