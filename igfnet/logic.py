"""Boolean expressions as small immutable trees.

An expression is ``True``, ``False``, a node name (``str``), or a tuple
``("not", e)``, ``("and", e1, e2, ...)``, ``("or", e1, e2, ...)`` or
``("xor", e1, e2, ...)`` (true when an odd number of arguments is). The
parser (:mod:`igfnet.rules`, with boolean.py) builds them; everything else
works on this plain form, which is cheap to hash, substitute and evaluate.
``xor`` is its own operator because parity has no and/or/not formula smaller
than quadratic: SBML-qual's ``<xor/>`` of n arguments stays n arguments, and
only the text formats without xor (:func:`to_text`) write it out in full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeAlias, Union, cast

Expr: TypeAlias = Union[bool, str, tuple[str, "Expr", *tuple["Expr", ...]]]  # noqa: UP007 (recursive alias)

MAX_DEPTH = 100
"""How deep an expression may nest. The deepest rule of 263 published models nests 8 levels;
the walkers below recurse once per level, so the readers refuse anything deeper than this
(:func:`depth`) instead of letting Python's recursion limit end the process with a traceback."""


def variables(expression: Expr) -> set[str]:
    """The node names an expression mentions."""
    return set(_walk_names(expression))


def _walk_names(expression: Expr) -> Iterator[str]:
    # Iterative: a model is checked with this before anything else walks its rules.
    pending = [expression]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple):
            pending.extend(item[1:])


def depth(expression: Expr) -> int:
    """How many levels an expression nests (a name or a constant: 1), without recursion.

    Examples
    --------
    >>> depth(("and", "A", ("not", "B")))
    3
    """
    deepest = 0
    pending: list[tuple[Expr, int]] = [(expression, 1)]
    while pending:
        item, level = pending.pop()
        deepest = max(deepest, level)
        if isinstance(item, tuple):
            pending.extend((argument, level + 1) for argument in item[1:])
    return deepest


def evaluate(expression: Expr, state: Mapping[str, int]) -> bool:
    """The value of an expression in a state."""
    if isinstance(expression, bool):
        return expression
    if isinstance(expression, str):
        return bool(state[expression])
    operator = expression[0]
    if operator == "not":
        return not evaluate(expression[1], state)
    if operator == "and":
        return all(evaluate(argument, state) for argument in expression[1:])
    if operator == "xor":
        return sum(evaluate(argument, state) for argument in expression[1:]) % 2 == 1
    return any(evaluate(argument, state) for argument in expression[1:])


def compile_bits(expression: Expr, index: Mapping[str, int]) -> Callable[[Any], Any]:
    """The expression as a Python function of a state ``s`` (bit i: the node at index i), giving 0 or 1.

    Written with bit operators, so one function serves a Python int and a numpy array of states;
    it runs tens of times faster than :func:`evaluate` where the same rule is applied millions of times.

    Examples
    --------
    >>> update = compile_bits(("or", "A", ("not", "B")), {"A": 0, "B": 1})
    >>> [update(state) for state in range(4)]
    [1, 1, 0, 1]
    """
    source = _bit_source(expression, lambda name: f"((s >> {index[name]}) & 1)")
    return cast("Callable[[Any], Any]", eval(f"lambda s: {source}", {"__builtins__": {}}))  # noqa: S307 - built here


def compile_words(expression: Expr, index: Mapping[str, int]) -> Callable[[Any], Any]:
    """As :func:`compile_bits`, for states of any length held in 64-bit words: ``s[w]`` holds the nodes
    at indices 64w to 64w+63 (bit i mod 64), an int or a numpy array of words, one per state.

    Examples
    --------
    >>> update = compile_words(("and", "A", "B"), {"A": 0, "B": 64})
    >>> update([1, 1]), update([1, 0])
    (1, 0)
    """
    source = _bit_source(expression, lambda name: f"((s[{index[name] // 64}] >> {index[name] % 64}) & 1)")
    return cast("Callable[[Any], Any]", eval(f"lambda s: {source}", {"__builtins__": {}}))  # noqa: S307 - built here


def _bit_source(expression: Expr, read: Callable[[str], str]) -> str:
    if isinstance(expression, bool):
        return "1" if expression else "0"
    if isinstance(expression, str):
        return read(expression)
    operator, *arguments = expression
    if operator == "not":
        return f"(1 ^ {_bit_source(arguments[0], read)})"
    joiner = {"and": " & ", "or": " | ", "xor": " ^ "}[operator]
    return "(" + joiner.join(_bit_source(argument, read) for argument in arguments) + ")"


def negate(expression: Expr) -> Expr:
    if isinstance(expression, bool):
        return not expression
    if isinstance(expression, tuple) and expression[0] == "not":
        return expression[1]
    return ("not", expression)


def conjunction(*arguments: Expr) -> Expr:
    return _junction("and", arguments)


def disjunction(*arguments: Expr) -> Expr:
    return _junction("or", arguments)


def exclusive_or(*arguments: Expr) -> Expr:
    """``xor`` of the arguments, folded: True flips the result, False drops out, a repeated pair cancels.

    Examples
    --------
    >>> exclusive_or("A", True, ("xor", "B", "C"), "B", False)
    ('not', ('xor', 'A', 'C'))
    >>> exclusive_or("A", "A"), exclusive_or()
    (False, False)
    """
    flipped = False
    # Insertion-ordered: x xor x is False, so only names seen an odd number of times stay.
    odd: dict[Expr, None] = {}
    pending = list(reversed(arguments))
    while pending:
        argument = pending.pop()
        if isinstance(argument, bool):
            flipped ^= argument
        elif isinstance(argument, tuple) and argument[0] == "xor":
            pending.extend(reversed(argument[1:]))
        elif argument in odd:
            del odd[argument]
        else:
            odd[argument] = None
    if not odd:
        return flipped
    if len(odd) == 1:
        result = next(iter(odd))
    else:
        result = cast(Expr, ("xor", *odd))  # two arguments or more
    return negate(result) if flipped else result


def expand_xor(expression: Expr) -> Expr:
    """The expression with every ``xor`` written with and/or/not (for formats that have no xor).

    Each xor is split in halves: O(log n) deep and O(n**2) names, the least
    an and/or/not formula of parity can have (a chain ``(a xor b) xor c ...``
    would double per argument). The halves are shared objects, so memory
    stays linear until the expression is printed.
    """
    if not isinstance(expression, tuple):
        return expression
    arguments = [expand_xor(argument) for argument in expression[1:]]
    if expression[0] == "xor":
        return _parity(arguments)
    # Rebuilt as written, not folded: an export keeps the rule's own shape (``!!A`` stays ``!!A``).
    return cast(Expr, (expression[0], *arguments))


def _parity(arguments: list[Expr]) -> Expr:
    if not arguments:
        return False
    if len(arguments) == 1:
        return arguments[0]
    middle = len(arguments) // 2
    left, right = _parity(arguments[:middle]), _parity(arguments[middle:])
    return disjunction(conjunction(left, negate(right)), conjunction(negate(left), right))


def _junction(operator: str, arguments: tuple[Expr, ...]) -> Expr:
    # The absorbing constant decides the whole junction; the neutral one drops out.
    absorbing = operator == "or"
    # An insertion-ordered dict de-duplicates in linear time (a list scan made large rules quadratic).
    kept: dict[Expr, None] = {}
    for argument in arguments:
        if isinstance(argument, bool):
            if argument is absorbing:
                return absorbing
            continue
        if isinstance(argument, tuple) and argument[0] == operator:
            kept.update(dict.fromkeys(argument[1:]))
        else:
            kept[argument] = None
    if not kept:
        return not absorbing
    if len(kept) == 1:
        return next(iter(kept))
    return cast(Expr, (operator, *kept))  # kept has two arguments or more


def substitute(expression: Expr, values: Mapping[str, Expr]) -> Expr:
    """Replace names by constants or expressions, folding constants as it goes."""
    if isinstance(expression, bool):
        return expression
    if isinstance(expression, str):
        return values.get(expression, expression)
    operator = expression[0]
    if operator == "not":
        return negate(substitute(expression[1], values))
    arguments = tuple(substitute(argument, values) for argument in expression[1:])
    if operator == "xor":
        return exclusive_or(*arguments)
    return _junction(operator, arguments)


def rename(expression: Expr, names: Callable[[str], str]) -> Expr:
    if isinstance(expression, bool):
        return expression
    if isinstance(expression, str):
        return names(expression)
    return cast(Expr, (expression[0], *(rename(argument, names) for argument in expression[1:])))


_SYNTAX: dict[str, dict[str | bool, str]] = {
    "bnet": {"not": "!", "and": " & ", "or": " | ", True: "1", False: "0"},
    "rules": {"not": "not ", "and": " and ", "or": " or ", True: "1", False: "0"},
    "booleannet": {"not": "not ", "and": " and ", "or": " or ", True: "True", False: "False"},
}


def to_text(expression: Expr, syntax: str = "rules", keep_xor: bool = False) -> str:
    """Write an expression with the fewest parentheses its precedence needs.

    None of the text formats has ``xor`` (the rules parser does not read it
    either), so it is written out with and/or/not (:func:`expand_xor`,
    quadratic) unless ``keep_xor``: then it is written ``A xor B``, linear,
    for people to read (it does not parse back).
    """
    words = _SYNTAX[syntax]
    if keep_xor:
        return _to_text(expression, {**words, "xor": " xor "}, parent=None)
    return _to_text(expand_xor(expression), words, parent=None)


def _to_text(expression: Expr, words: dict[str | bool, str], parent: str | None) -> str:
    if isinstance(expression, bool):
        return words[expression]
    if isinstance(expression, str):
        return expression
    operator = expression[0]
    if operator == "not":
        return words["not"] + _to_text(expression[1], words, parent="not")
    text = words[operator].join(_to_text(argument, words, parent=operator) for argument in expression[1:])
    # "and" binds tighter than "or"; only an "or" under an "and" or "not" needs parentheses.
    # "xor" has no agreed precedence: it and anything directly under it get them.
    mixes_xor = "xor" in (parent, operator) and parent not in (None, operator)
    needs_parentheses = parent == "not" or (parent == "and" and operator == "or") or mixes_xor
    return f"({text})" if needs_parentheses else text
