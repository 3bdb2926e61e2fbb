"""Treatments and combinations as text: items joined by '+', read strictly.

An item is ``NODE=0`` (knockout), ``NODE=1`` (overexpression) or a drug name
of the model. Spaces around ``+`` are allowed; any other separator (``,``
``;`` ``|`` ``&``, a space inside an item), an empty item, an unknown node or
drug, a repeated item or a node fixed at both 0 and 1 is an error naming the
item, raised before any work starts: users of other tools lost whole screens
to a silently ignored separator.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.errors import PerturbationError, UnknownInterventionError
from igfnet.perturb import match_setting

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork

_NAME_ITEM = re.compile(r"[A-Za-z0-9_.-]+")


@dataclass(frozen=True, slots=True)
class Item:
    """One added perturbation: a knockout (``NODE=0``), an overexpression (``NODE=1``) or a drug.

    Attributes
    ----------
    text : str
        As written in a combination: "MTORC1=0", "erlotinib".
    fixed : tuple of (node, value)
        The nodes it fixes.
    cuts : tuple of str
        Interactions it removes (drugs such as trastuzumab), ``SOURCE:TARGET``.
    """

    text: str
    fixed: tuple[tuple[str, int], ...]
    cuts: tuple[str, ...] = ()

    @property
    def is_drug(self) -> bool:
        return "=" not in self.text

    @property
    def sources(self) -> tuple[str, ...]:
        """The nodes its effect starts from: the nodes it fixes, or the targets of the interactions it cuts."""
        nodes = [node for node, _ in self.fixed]
        nodes += [re.split(r":|->", cut)[1].split("=")[0] for cut in self.cuts]
        return tuple(dict.fromkeys(nodes))


@dataclass(frozen=True, slots=True)
class Combination:
    """Items added together on top of the base treatment; named by its items joined by '+', in canonical order."""

    items: tuple[Item, ...]

    @property
    def name(self) -> str:
        return "+".join(item.text for item in self.items)

    @property
    def size(self) -> int:
        return len(self.items)

    @property
    def fixed(self) -> dict[str, int]:
        return {node: value for item in self.items for node, value in item.fixed}

    @property
    def has_cuts(self) -> bool:
        return any(item.cuts for item in self.items)

    @property
    def drugs(self) -> list[str]:
        return [item.text for item in self.items if item.is_drug]

    def parts(self) -> list[Combination]:
        """Its proper, non-empty sub-combinations (for a pair: its two singles)."""
        return [
            Combination(subset) for size in range(1, self.size) for subset in itertools.combinations(self.items, size)
        ]


def canonical_combination(items: Iterable[Item]) -> Combination:
    return Combination(tuple(sorted(items, key=lambda item: item.text)))


def parse_item(model: BooleanNetwork, text: str, where: str = "") -> Item:
    """One item of a combination: ``NODE=0``, ``NODE=1`` or a drug name; raise naming the item otherwise."""
    context = f" in {where}" if where else ""
    if not text:
        raise PerturbationError(f"empty item{context} (items are joined by '+', e.g. MTORC1=0+erlotinib)")
    for separator, name in ((",", "','"), (";", "';'"), ("|", "'|'"), ("&", "'&'")):
        if separator in text:
            raise PerturbationError(
                f"{name} in item {text!r}{context}: items of a combination are joined by '+' "
                "(give several combinations as separate options, or one per line)"
            )
    if any(character.isspace() for character in text):
        raise PerturbationError(f"whitespace inside item {text!r}{context}: items are joined by '+'")
    if "=" in text:
        setting = match_setting(text)
        if setting is None:
            raise PerturbationError(f"item {text!r}{context}: expected NODE=0 or NODE=1")
        model.check_nodes([setting[0]])
        return Item(text, (setting,))
    if not _NAME_ITEM.fullmatch(text) or text not in model.drugs:
        hint = " (a node is perturbed as NODE=0 or NODE=1)" if text in model.rules else ""
        if not hint and model.drugs:
            from igfnet.model import close_matches

            close = close_matches(text, model.drugs)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        known = f" (known drugs: {', '.join(model.drugs)})" if model.drugs and not hint else ""
        raise UnknownInterventionError(f"unknown drug {text!r}{context}{hint}{known}")
    drug = model.drugs[text]
    return Item(text, tuple(drug.fixed.items()), tuple(drug.cuts))


def parse_combination(
    model: BooleanNetwork, text: str, base: Combination | None = None, where: str = ""
) -> Combination:
    """A combination written as items joined by '+', checked strictly against the model.

    Parameters
    ----------
    text : str
        "MTORC1=0+erlotinib".
    base : Combination, optional
        The base treatment: an item that fixes a node the base fixes at the
        other value is an error.
    where : str
        Where the text came from, for messages ("file.txt:3").

    Examples
    --------
    >>> from igfnet.formats import load_model
    >>> parse_combination(load_model(), "erlotinib + MTORC1=0").name
    'MTORC1=0+erlotinib'
    >>> parse_combination(load_model(), "MTORC1=0,AKT=0")
    Traceback (most recent call last):
    ...
    igfnet.errors.PerturbationError: ',' in item 'MTORC1=0,AKT=0': items of a combination are joined by '+' (give several combinations as separate options, or one per line)
    """
    return canonical_combination(parse_items(model, text, base, where))


def parse_items(model: BooleanNetwork, text: str, base: Combination | None = None, where: str = "") -> list[Item]:
    """The items of a combination in the order written; see :func:`parse_combination`."""
    label = f"combination {text!r}" + (f" ({where})" if where else "")
    if not text.strip():
        raise PerturbationError(f"empty combination{' (' + where + ')' if where else ''}")
    items: list[Item] = []
    for raw in text.split("+"):
        whole = raw.strip() == text.strip()
        item = parse_item(model, raw.strip(), where if whole else label)
        if any(known.text == item.text for known in items):
            raise PerturbationError(f"item {item.text!r} appears twice in {label}")
        items.append(item)
    conflict = conflicting_items(items, base)
    if conflict:
        raise PerturbationError(f"{label}: {conflict}")
    return items


def conflicting_items(items: Sequence[Item], base: Combination | None) -> str:
    """Why items cannot be given together (a node fixed at both 0 and 1), or ''."""
    fixed: dict[str, tuple[int, str]] = {}
    if base is not None:
        for node, value in base.fixed.items():
            fixed[node] = (value, f"the base treatment {base.name!r}")
    for item in items:
        for node, value in item.fixed:
            if node in fixed and fixed[node][0] != value:
                return f"{item.text!r} fixes {node}={value}, but {fixed[node][1]} fixes {node}={fixed[node][0]}"
            fixed.setdefault(node, (value, repr(item.text)))
    return ""
