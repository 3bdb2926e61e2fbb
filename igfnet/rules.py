"""Text -> rules: the rule language of ``rules/`` and its expressions.

This is the only module that imports boolean.py. Names are checked and
replaced by safe placeholders before boolean.py sees the text, so a node
called ``NONE`` or ``1_5_phosphate`` is read correctly and every mistake is
reported as ``file:line: what is wrong``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from igfnet.errors import InputFileError, RuleSyntaxError, excerpt
from igfnet.logic import MAX_DEPTH, Expr, depth
from igfnet.types import EMPTY, FrozenMap

RESERVED_WORDS = frozenset({"and", "or", "not", "true", "false", "input"})
# Patterns are kept as text and compiled by re on first use (re caches them).
NAME = r"[A-Za-z0-9_]+"
_TOKEN = r"\s*(?:([A-Za-z0-9_]+)|(&&|\|\||[&|!~()])|(\S))"
_OPERATOR_WORDS = {"and": "&", "or": "|", "not": "~"}
_SYMBOLS = {"&&": "&", "||": "|", "&": "&", "|": "|", "!": "~", "~": "~", "(": "(", ")": ")"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One node's update rule, with the evidence and metadata written beside it.

    Attributes
    ----------
    target : str
        The node the rule updates.
    expression : Expr
        Its update function; for an input, the node itself.
    is_input : bool
        True for an input (a node that keeps its value).
    default : int or None
        An input's value in the model's default context (None: free).
    annotations : Mapping[str, tuple[str, ...]]
        ``key: value`` lines (``evidence`` may repeat).
    source : str
        Where the rule was read, as ``file:line``.
    text : str
        The expression as written.
    """

    target: str
    expression: Expr
    is_input: bool = False
    default: int | None = None
    annotations: Mapping[str, tuple[str, ...]] = EMPTY
    source: str = ""
    text: str = ""

    def annotation(self, key: str, default: str = "") -> str:
        values = self.annotations.get(key)
        return "; ".join(values) if values else default

    @property
    def evidence(self) -> tuple[str, ...]:
        return self.annotations.get("evidence", ())


def is_valid_name(name: str) -> bool:
    """Letters, digits and ``_``, not digits alone, and not a word of the rule language."""
    return re.fullmatch(NAME, name) is not None and not name.isdigit() and name.lower() not in RESERVED_WORDS


def check_name(name: str, source: str | None = None, line: int | None = None) -> str:
    """Return ``name`` if it is a valid node name, else raise RuleSyntaxError."""
    if name.lower() in RESERVED_WORDS:
        raise RuleSyntaxError(f"invalid node name {name!r}: {name.lower()!r} is a reserved word", source, line)
    if not is_valid_name(name):
        raise RuleSyntaxError(
            f"invalid node name {excerpt(name)!r}: use letters, digits and '_' (not digits alone)", source, line
        )
    return name


def parse_expression(text: str, source: str | None = None, line: int | None = None) -> Expr:
    """Parse a Boolean expression (``and/or/not``, ``& | !``, constants 0/1/true/false).

    Examples
    --------
    >>> parse_expression("PDK1 and not (PTEN | !PI3K)")
    ('and', 'PDK1', ('not', ('or', 'PTEN', ('not', 'PI3K'))))
    """
    tokens = _tokenize(text, source, line)
    _check_structure(tokens, text, source, line)
    placeholders: dict[str, str] = {}
    pieces = []
    for kind, value in tokens:
        if kind == "name":
            pieces.append(placeholders.setdefault(value, f"v{len(placeholders)}"))
        else:
            pieces.append(value)
    expression = _boolean_parse(" ".join(pieces), text, source, line)
    names = {placeholder: name for name, placeholder in placeholders.items()}
    converted = _from_boolean(expression, names)
    # Chains of one operator are flattened: published rules nest parentheses thousands deep
    # (bbm248: 10,192) in trees a few levels deep. The tree is what every walker recurses into.
    if depth(converted) > MAX_DEPTH:
        raise RuleSyntaxError(
            f"expression nested more than {MAX_DEPTH} levels deep (parentheses and 'not') in {excerpt(text.strip())!r}",
            source,
            line,
        )
    return converted


def _tokenize(text: str, source: str | None, line: int | None) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    token = re.compile(_TOKEN)
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = token.match(text, position)
        if match is None:  # only trailing blanks remain
            break
        word, symbol, unknown = match.groups()
        if unknown is not None:
            raise RuleSyntaxError(f"unexpected character {unknown!r} in {excerpt(text.strip())!r}", source, line)
        if word is not None:
            lowered = word.lower()
            if lowered in _OPERATOR_WORDS:
                tokens.append(("op", _OPERATOR_WORDS[lowered]))
            elif lowered in ("true", "1"):
                tokens.append(("const", "1"))
            elif lowered in ("false", "0"):
                tokens.append(("const", "0"))
            elif word.isdigit():
                raise RuleSyntaxError(f"invalid node name {word!r}: digits alone are not a name", source, line)
            elif lowered in RESERVED_WORDS:
                raise RuleSyntaxError(f"{word!r} is a reserved word, not a node name", source, line)
            else:
                tokens.append(("name", word))
        else:
            tokens.append(("op", _SYMBOLS[symbol]))
        position = match.end()
    return tokens


MAX_PARENTHESES = 100_000
"""Parentheses open at once beyond which a rule is refused before parsing (the published models: 10,192)."""


def _check_structure(tokens: list[tuple[str, str]], text: str, source: str | None, line: int | None) -> None:
    """Catch the common mistakes with a message that says what is wrong."""
    shown = excerpt(text.strip())
    if not tokens:
        raise RuleSyntaxError("empty expression", source, line)
    depth = 0
    expect_operand = True
    # How deep the parse tree nests, bounded from the text: each 'not' still waiting for its
    # operand is a level (nots per parenthesis level). Parentheses are bounded apart, and far
    # higher: a chain of one operator flattens, and boolean.py's parser does not recurse.
    pending_nots = [0]
    waiting = 0  # sum(pending_nots), kept as it changes: summing per token made 100,000 '(' take 28 s
    for kind, value in tokens:
        if value in ("(", "~"):
            if value == "~":
                pending_nots[-1] += 1
                waiting += 1
            else:
                pending_nots.append(0)
            if waiting > MAX_DEPTH or len(pending_nots) > MAX_PARENTHESES:
                raise RuleSyntaxError(
                    f"expression nested more than {MAX_DEPTH} levels deep (parentheses and 'not') in {shown!r}",
                    source,
                    line,
                )
        elif kind != "op":
            waiting -= pending_nots[-1]
            pending_nots[-1] = 0
        elif value == ")" and len(pending_nots) > 1:  # an unmatched ')' is reported below
            waiting -= pending_nots.pop() + pending_nots[-1]
            pending_nots[-1] = 0
        if value == "(":
            if not expect_operand:
                raise RuleSyntaxError(f"missing operator before '(' in {shown!r}", source, line)
            depth += 1
        elif value == ")":
            if expect_operand:
                raise RuleSyntaxError(f"missing operand before ')' in {shown!r}", source, line)
            depth -= 1
            if depth < 0:
                raise RuleSyntaxError(f"unbalanced parenthesis: ')' without '(' in {shown!r}", source, line)
        elif value == "~":
            if not expect_operand:
                raise RuleSyntaxError(f"missing 'and'/'or' before 'not' in {shown!r}", source, line)
        elif kind == "op":
            if expect_operand:
                raise RuleSyntaxError(
                    f"operator {'and' if value == '&' else 'or'!r} without a left operand in {shown!r}", source, line
                )
            expect_operand = True
        else:
            if not expect_operand:
                raise RuleSyntaxError(
                    f"two operands without an operator between them in {shown!r} (near {value!r})", source, line
                )
            expect_operand = False
    if expect_operand:
        raise RuleSyntaxError(f"dangling operator at the end of {shown!r}", source, line)
    if depth > 0:
        raise RuleSyntaxError(f"unbalanced parenthesis: {depth} '(' not closed in {shown!r}", source, line)


_ALGEBRA: Any = None  # a boolean.BooleanAlgebra (boolean.py has no type hints)


def _boolean_parse(normalized: str, original: str, source: str | None, line: int | None) -> Any:
    global _ALGEBRA
    import boolean

    if _ALGEBRA is None:
        _ALGEBRA = boolean.BooleanAlgebra()
    try:
        return _ALGEBRA.parse(normalized, simplify=False)
    except boolean.ParseError as error:  # our own checks catch nearly all of these first
        raise RuleSyntaxError(f"cannot parse {excerpt(original.strip())!r}: {error}", source, line) from None


def _from_boolean(expression: Any, names: Mapping[str, str]) -> Expr:
    """boolean.py's tree -> ours, without recursion.

    boolean.py nests a long chain ``a | b | c | ...`` one level per operand;
    published models have rules of hundreds of terms, deeper than Python's
    recursion limit. Same-operator chains are flattened on the way.
    """
    algebra = _ALGEBRA
    kinds = {algebra.AND: "and", algebra.OR: "or", algebra.NOT: "not"}
    converted: dict[int, Expr | list[Any]] = {}
    stack = [(expression, False)]
    while stack:
        node, children_done = stack.pop()
        if isinstance(node, algebra.Symbol):
            converted[id(node)] = names[str(node.obj)]
        elif node == algebra.TRUE:
            converted[id(node)] = True
        elif node == algebra.FALSE:
            converted[id(node)] = False
        elif not children_done:
            stack.append((node, True))
            stack.extend((argument, False) for argument in node.args)
        else:
            operator = next((name for kind, name in kinds.items() if isinstance(node, kind)), None)
            if operator is None:
                raise RuleSyntaxError(f"unsupported expression {node!r}")
            arguments = [converted.pop(id(argument)) for argument in node.args]
            if operator == "not":
                converted[id(node)] = ("not", _finish(arguments[0]))
                continue
            # Junctions stay mutable lists until the end, so a chain is flattened in linear time.
            flat: list[Any] = []
            for argument in arguments:
                if isinstance(argument, list) and argument[0] == operator:
                    if len(flat) == 0:
                        flat = argument
                    else:
                        flat.extend(argument[1:])
                else:
                    if not flat:
                        flat = [operator]
                    flat.append(argument)
            converted[id(node)] = flat
    return _finish(converted[id(expression)])


def _finish(expression: Expr | list[Any]) -> Expr:
    """Turn the converter's mutable junction lists into tuples, without recursion."""
    if not isinstance(expression, list):
        return expression
    pending = [expression]
    order = []
    while pending:
        junction = pending.pop()
        order.append(junction)
        pending.extend(argument for argument in junction[1:] if isinstance(argument, list))
    done: dict[int, Expr] = {}
    for junction in reversed(order):
        done[id(junction)] = cast(Expr, tuple(done[id(a)] if isinstance(a, list) else a for a in junction))
    return done[id(expression)]


# -- files -------------------------------------------------------------------

_RULE_LINE = r"^([^=\s]+)\s*=\s*(.*)$"
_INPUT = r"(?i)^input(?:\s+(\S+))?$"
_ANNOTATION = r"^([A-Za-z_][A-Za-z0-9_ -]*?)\s*:\s*(.*)$"


class Block:
    """A header line with its indented ``key: value`` lines (a rule, a drug, a context).

    A parser's scratch record, filled line by line; a plain class, because a
    dataclass would cost the start-up of every command a millisecond.
    """

    __slots__ = ("header", "line", "annotations", "lines")

    def __init__(self, header: str, line: int) -> None:
        self.header = header
        self.line = line
        self.annotations: dict[str, list[str]] = {}
        self.lines: dict[str, list[int]] = {}

    def frozen_annotations(self) -> Mapping[str, tuple[str, ...]]:
        return FrozenMap({key: tuple(values) for key, values in self.annotations.items()})


MAX_SIZE = 50 * 1024 * 1024
"""The default limit on a model file's size, in bytes: a hundred times the largest published model,
and small enough that a hostile file (a 100 MB XML comment) is refused at once instead of parsed for minutes."""


def read_text(path: str | os.PathLike[str], max_size: int | None = MAX_SIZE) -> str:
    """Read a model file as text, with a clear error for what cannot be read.

    Parameters
    ----------
    path : path
        The file (a pipe such as ``<(...)`` works too).
    max_size : int or None
        Refuse a file larger than this many bytes (None: no limit). At most
        this much is read, so ``/dev/zero`` is refused too.
    """
    where = os.fspath(path)
    try:
        with open(where, "rb") as stream:
            if max_size is not None and os.fstat(stream.fileno()).st_size > max_size:
                raise InputFileError(_too_large(max_size), where)
            data = stream.read() if max_size is None else stream.read(max_size + 1)
    except FileNotFoundError:
        raise InputFileError("no such file", where) from None
    except IsADirectoryError:
        raise InputFileError("is a directory, expected a file", where) from None
    except OSError as error:
        raise InputFileError(f"cannot read: {error.strerror}", where) from None
    if max_size is not None and len(data) > max_size:
        raise InputFileError(_too_large(max_size), where)
    if b"\0" in data:
        raise InputFileError("binary file, expected a text model", where)
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Windows editors write one) is not part of the text
    except UnicodeDecodeError as error:
        raise InputFileError(f"not UTF-8 text (byte {error.start})", where) from None
    if not text.strip():
        raise InputFileError("empty file", where)
    return text


def _too_large(max_size: int) -> str:
    return f"larger than the limit of {format_size(max_size)} on model files (raise it with --max-size)"


def format_size(size: int) -> str:
    """Bytes for a person: ``52428800`` -> ``'50 MB'`` (binary multiples, as ``--max-size`` reads them)."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def read_blocks(text: str, source: str, *, continuation: bool = False) -> list[Block]:
    """Split text into blocks: an unindented header, then indented annotation lines.

    With ``continuation``, a header whose expression ends in an operator or
    leaves a parenthesis open goes on over the following indented lines.
    """
    blocks: list[Block] = []
    open_header = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if open_header and raw[0] in " \t":
            blocks[-1].header += " " + _strip_comment(stripped)
            open_header = _incomplete(blocks[-1].header)
            continue
        if raw[0] in " \t":
            if not blocks:
                raise RuleSyntaxError("indented line before any rule", source, number)
            match = re.match(_ANNOTATION, stripped)
            if match is None:
                raise RuleSyntaxError(
                    f"expected an annotation 'key: value' under {excerpt(blocks[-1].header.split()[0])!r}, "
                    f"got {excerpt(stripped)!r}",
                    source,
                    number,
                )
            key, value = match.group(1).strip().lower(), match.group(2).strip()
            blocks[-1].annotations.setdefault(key, []).append(value)
            blocks[-1].lines.setdefault(key, []).append(number)
            continue
        blocks.append(Block(_strip_comment(raw), number))
        open_header = continuation and _incomplete(blocks[-1].header)
    return blocks


def _incomplete(header: str) -> bool:
    body = header.split("=", 1)[-1].rstrip()
    return body.count("(") > body.count(")") or bool(re.search(r"(\band|\bor|\bnot|[&|!~(])$", body, re.IGNORECASE))


def parse_rules(text: str, source: str = "<rules>") -> list[Rule]:
    """Parse the text of a ``.rules`` file into rules, in file order.

    Examples
    --------
    >>> rules = parse_rules("IGF1 = input 1\\nIGF1R = IGF1 and not IGFBP3\\nIGFBP3 = input 0\\n")
    >>> [(rule.target, rule.is_input, rule.default) for rule in rules]
    [('IGF1', True, 1), ('IGF1R', False, None), ('IGFBP3', True, 0)]
    """
    rules = []
    for block in read_blocks(text, source, continuation=True):
        match = re.match(_RULE_LINE, block.header)
        if match is None:
            raise RuleSyntaxError(
                f"expected 'NODE = expression', got {excerpt(block.header.strip())!r} (no '=' separator)",
                source,
                block.line,
            )
        target = check_name(match.group(1), source, block.line)
        body = match.group(2).strip()
        where = f"{source}:{block.line}"
        input_match = re.match(_INPUT, body)
        if input_match:
            default = _input_default(input_match.group(1), source, block.line)
            rules.append(Rule(target, target, True, default, block.frozen_annotations(), where, body))
            continue
        if not body:
            raise RuleSyntaxError(f"rule for {target!r} has no expression after '='", source, block.line)
        expression = parse_expression(body, source, block.line)
        rules.append(Rule(target, expression, False, None, block.frozen_annotations(), where, body))
    if not rules:
        raise RuleSyntaxError("no rules found (expected lines 'NODE = expression')", source)
    return rules


def _input_default(value: str | None, source: str, line: int) -> int | None:
    if value is None:
        return None
    if value not in ("0", "1"):
        raise RuleSyntaxError(f"an input's default must be 0 or 1, got {value!r}", source, line)
    return int(value)


def split_list(value: str) -> list[str]:
    """Split a comma-separated annotation value, dropping blanks."""
    return [item.strip() for item in value.split(",") if item.strip()]
