"""BooleanNet (Albert et al., the ``booleannet`` Python package): ``A* = B and not C`` rules.

A file has update rules ``A* = expression`` and initial conditions
``A = True``, ``A = False`` or ``A = Random`` (several nodes may share one:
``A = B = False``); ``#`` starts a comment. A rank prefix ``1: A* = ...``
(BooleanNet's priority classes) is accepted and ignored: igfnet's dynamics
are fully asynchronous.

igfnet writes an input as ``X* = X`` with its default-context value as its
initial condition (``Random`` for a free input), a constant as
``X* = True``, and every other node's initial condition as ``Random``.
Reading, a rule ``X* = X`` or a node with an initial condition but no rule
is an input whose default is its initial condition (``Random``: free).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from igfnet.errors import RuleSyntaxError, excerpt
from igfnet.logic import to_text
from igfnet.rules import Rule, check_name, parse_expression

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork

_RANK = re.compile(r"^\d+\s*:\s*")
_RULE = re.compile(r"^([^\s*=]+)\s*\*\s*=(.*)$")
_VALUES = {"true": 1, "false": 0, "random": None}
_WRITTEN = {1: "True", 0: "False", None: "Random"}


def parse_booleannet(text: str, source: str = "<booleannet>") -> tuple[list[Rule], str | None]:
    """Parse BooleanNet text into rules; also return the model's name from a leading comment.

    Examples
    --------
    >>> rules, _ = parse_booleannet("S = True\\nA = B = Random\\nS* = S\\nA* = S and not B\\nB* = not A\\n")
    >>> [(rule.target, rule.is_input, rule.default, rule.text) for rule in rules]
    [('S', True, 1, 'input 1'), ('A', False, None, 'S and not B'), ('B', False, None, 'not A')]
    """
    name = None
    order: dict[str, None] = {}
    initial: dict[str, tuple[int | None, int]] = {}  # node -> (value, line)
    bodies: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            if name is None and raw.strip().startswith("#") and not order:
                name = raw.strip().lstrip("#").strip() or None
            continue
        line = _RANK.sub("", line)
        match = _RULE.match(line)
        if match:
            target = check_name(match.group(1), source, number)
            body = match.group(2).strip()
            if not body:
                raise RuleSyntaxError(f"rule for {target!r} has no expression after '*='", source, number)
            if target in bodies:
                raise RuleSyntaxError(
                    f"node {target!r} has two rules (first at {source}:{bodies[target][1]})", source, number
                )
            bodies[target] = (body, number)
            order.setdefault(target)
            continue
        parts = [part.strip() for part in line.split("=")]
        if len(parts) < 2 or parts[-1].lower() not in _VALUES:
            raise RuleSyntaxError(
                f"expected a rule 'NODE* = expression' or an initial condition 'NODE = True|False|Random', "
                f"got {excerpt(line)!r}",
                source,
                number,
            )
        value = _VALUES[parts[-1].lower()]
        for node in parts[:-1]:
            check_name(node, source, number)
            if node in initial and initial[node][0] != value:
                raise RuleSyntaxError(
                    f"node {node!r} has two initial conditions (first at {source}:{initial[node][1]})", source, number
                )
            initial[node] = (value, number)
            order.setdefault(node)
    rules: list[Rule] = []
    for node in order:
        default = initial.get(node, (None, 0))[0]
        if node not in bodies:
            # BooleanNet keeps a node without a rule at its initial value: an input.
            line_number = initial[node][1]
            rules.append(Rule(node, node, True, default, source=f"{source}:{line_number}", text=_input_text(default)))
            continue
        body, line_number = bodies[node]
        expression = parse_expression(body, source, line_number)
        where = f"{source}:{line_number}"
        if expression == node:
            rules.append(Rule(node, node, True, default, source=where, text=_input_text(default)))
        else:
            rules.append(Rule(node, expression, source=where, text=to_text(expression)))
    if not bodies:
        raise RuleSyntaxError("no rules found (expected lines 'NODE* = expression')", source)
    return rules, name


def _input_text(default: int | None) -> str:
    return "input" if default is None else f"input {default}"


def write_booleannet(network: BooleanNetwork) -> str:
    """The network as BooleanNet text: initial conditions, then one rule per node."""
    lines = [
        f"# {network.name}",
        "# Initial conditions: inputs at their default-context value (Random: free); the others Random.",
    ]
    for node, rule in network.rules.items():
        if rule.is_input:
            value = rule.default
        elif isinstance(rule.expression, bool):
            value = int(rule.expression)
        else:
            value = None
        lines.append(f"{node} = {_WRITTEN[value]}")
    lines.append("")
    lines.append("# Update rules (an input keeps its value: X* = X).")
    for node, rule in network.rules.items():
        lines.append(f"{node}* = {to_text(rule.expression, 'booleannet')}")
    return "\n".join(lines) + "\n"
