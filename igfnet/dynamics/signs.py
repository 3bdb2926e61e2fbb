"""The sign of each regulation, from the logic of the rule (monotonicity)."""

from __future__ import annotations

from collections.abc import Mapping

from igfnet.logic import Expr, variables


def regulation_signs(functions: Mapping[str, Expr]) -> dict[tuple[str, str], str]:
    """Each regulation (source, target) with its sign.

    A regulator is an *activation* when raising it can only raise the
    target's function, an *inhibition* when it can only lower it, and *dual*
    when it can do both. A name in a rule that never changes the function's
    value (``A or (A and B)`` for B) is not a regulation.

    Examples
    --------
    >>> regulation_signs({"A": "A", "B": ("and", "A", ("not", "B")), "C": ("or", ("and", "A", ("not", "B")), ("and", ("not", "A"), "B"))})
    {('A', 'A'): 'activation', ('A', 'B'): 'activation', ('B', 'B'): 'inhibition', ('A', 'C'): 'dual', ('B', 'C'): 'dual'}
    """
    from igfnet.dynamics._symbolic import SymbolicSpace

    space = SymbolicSpace(list(functions))
    signs: dict[tuple[str, str], str] = {}
    for target, expression in functions.items():
        function = space.expression(expression)
        for source in sorted(variables(expression), key=list(functions).index):
            name = space.name(source)
            when_off = space.bdd.let({name: space.false}, function)
            when_on = space.bdd.let({name: space.true}, function)
            if when_off == when_on:
                continue
            rises_only = (when_off & ~when_on) == space.false
            falls_only = (when_on & ~when_off) == space.false
            signs[(source, target)] = "activation" if rises_only else "inhibition" if falls_only else "dual"
    return signs
