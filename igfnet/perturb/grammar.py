"""The perturbation notations as text, read in one place: ``NODE=0|1``, ``SOURCE:TARGET`` and ``A+B``.

Syntax only: what a piece of text says, or a PerturbationError naming what is
wrong with it. Whether a node or a drug exists is checked against a model by
:mod:`igfnet.perturb.perturbation`. Options (``--set``, ``--initial``), drug,
context, mapping and biomarker files, treatments and combinations all read
their settings and cuts here, and word their own errors around a None.

A treatment (or a screen's combination) is items joined by ``+``: ``NODE=0``
(knockout), ``NODE=1`` (overexpression) or a drug name. Spaces around ``+``
are allowed; any other separator (``,`` ``;`` ``|`` ``&``), a space inside an
item, an empty item or a repeated item is an error naming the item: users of
other tools lost whole screens to a silently ignored separator.
"""

from __future__ import annotations

import re

from igfnet.errors import PerturbationError

# Patterns, compiled by re on first use: the main job parses no setting and no cut.
SETTING = r"^([A-Za-z0-9_]+)\s*=\s*([01])$"
"""``NODE=0|1``."""
CUT = r"^([A-Za-z0-9_]+)\s*(?::|->)\s*([A-Za-z0-9_]+)(?:\s*=\s*([01]))?$"
"""``SOURCE:TARGET`` or ``SOURCE->TARGET``, optionally ``=0|1``."""

NO_TREATMENT = ("none", "untreated")
"""What a treatment of no item is written as (any case)."""


def match_setting(text: str) -> tuple[str, int] | None:
    """``NODE=0`` or ``NODE=1`` (spaces around ``=`` allowed) -> (node, value); None for anything else.

    >>> match_setting("AKT = 0"), match_setting("AKT=2"), match_setting("=1")
    (('AKT', 0), None, None)
    """
    match = re.match(SETTING, text.strip())
    return None if match is None else (match.group(1), int(match.group(2)))


def parse_setting(text: str) -> tuple[str, int]:
    """``NODE=0`` or ``NODE=1`` -> (node, value); raise PerturbationError otherwise."""
    setting = match_setting(text)
    if setting is None:
        raise PerturbationError(f"expected NODE=0 or NODE=1, got {text!r}")
    return setting


def match_cut(text: str) -> tuple[str, str, int | None] | None:
    """``SOURCE:TARGET`` or ``SOURCE->TARGET``, optionally ``=0|1`` -> (source, target, value or None); else None.

    >>> match_cut("HER2:PI3K"), match_cut("IGF1 -> IGF1R = 1"), match_cut("HER2")
    (('HER2', 'PI3K', None), ('IGF1', 'IGF1R', 1), None)
    """
    match = re.match(CUT, text.strip())
    if match is None:
        return None
    source, target, value = match.groups()
    return source, target, None if value is None else int(value)


def is_no_treatment(text: str) -> bool:
    """'none' or 'untreated' (any case, spaces around): a treatment of no item."""
    return text.strip().lower() in NO_TREATMENT


def treatment_items(text: str) -> list[str]:
    """The items of ``A+B`` in the order written, stripped; an empty text is an error, an empty item is ''."""
    return [raw.strip() for raw in text.split("+")]


def read_item(text: str, context: str = "") -> tuple[str, int] | str:
    """One item: ``NODE=0|1`` -> (node, value); anything else -> the text, a drug name to look up.

    ``context`` says where the item was written (" in combination 'A+B'"),
    for the messages of the items that cannot be read.
    """
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
        return setting
    return text
