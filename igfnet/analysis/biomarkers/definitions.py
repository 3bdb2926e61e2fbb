"""Biomarker definitions: the value, the parser of ``biomarkers.txt`` blocks, treatment classes, checks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from igfnet.analysis.review import OTHER, review_defaults
from igfnet.errors import IgfnetError, InputFileError, excerpt
from igfnet.model import BooleanNetwork
from igfnet.types import EMPTY, FrozenMap

if TYPE_CHECKING:
    from igfnet.rules import Block


DIRECTIONS = ("response", "resistance", "no effect")


@dataclass(frozen=True, slots=True)
class Biomarker:
    """A candidate biomarker: the model settings of its two states and what the review says of it.

    Attributes
    ----------
    key, label : str
        A short identifier and a name for reports.
    present, absent : Mapping[str, int]
        Node values fixed in a tumour that has / lacks the biomarker (empty:
        the nodes follow their rules). Inputs not named keep the model's
        default context.
    expected : Mapping[str, str]
        The review's direction ("response", "resistance", "no effect") per
        treatment class ("antibody", "kinase inhibitor"), "*" for any class.
        Empty: the review states no direction.
    source : str
        "Table 3" or "text" (the review's body text, not its Table 3).
    references : str
        The review's reference numbers, as the review prints them.
    statement : str
        What the review says, abridged.
    alias_of : str, optional
        The key of the biomarker whose model settings this one shares (the
        Boolean model cannot tell the two apart); an alias is not a separate
        factor of the cohort.
    note : str
        How the model expresses it, and what it cannot.
    inferred : bool
        True when ``expected`` is the modeller's inference from the review's
        text (a mechanism it describes), not a direction the review states.
    """

    key: str
    label: str
    present: Mapping[str, int] = EMPTY
    absent: Mapping[str, int] = EMPTY
    expected: Mapping[str, str] = EMPTY
    source: str = "Table 3"
    references: str = ""
    statement: str = ""
    alias_of: str | None = None
    note: str = ""
    inferred: bool = False

    def expectation(self, treatment_class: str) -> str:
        """The review's direction for this class of treatment ('' when it states none)."""
        if treatment_class == OTHER:
            return ""
        return self.expected.get(treatment_class, self.expected.get("*", ""))


BIOMARKER_FILE = "biomarkers.txt"
CLASSES = (*review_defaults().classes, "*")
"""The treatment classes of ``rules/screen.txt`` ('antibody', 'kinase inhibitor'), and '*' for any."""
_SINGLE_KEYS = ("label", "present", "absent", "source", "references", "statement", "alias_of", "note", "inferred")


def read_biomarkers(path: str | Path) -> tuple[Biomarker, ...]:
    """The biomarker blocks of a file in the syntax of ``drugs.txt`` (see ``rules/biomarkers.txt``).

    Raises
    ------
    InputFileError
        Naming the file and line: an unknown or repeated key, a setting that
        is not NODE=0|1, an unknown class or direction, a key defined twice,
        an alias of no biomarker of the file.
    """
    from igfnet.rules import read_text

    return parse_biomarkers(read_text(Path(path)), str(path))


def parse_biomarkers(text: str, source: str) -> tuple[Biomarker, ...]:
    """:func:`read_biomarkers` on text; ``source`` names it in errors."""
    from igfnet.rules import read_blocks

    found: dict[str, Biomarker] = {}
    where: dict[str, int] = {}
    for block in read_blocks(text, source):
        biomarker = _biomarker_of(block, source)
        if biomarker.key in found:
            raise InputFileError(f"biomarker {biomarker.key!r} is defined twice", source, block.line)
        found[biomarker.key] = biomarker
        where[biomarker.key] = block.lines.get("alias_of", [block.line])[0]
    for biomarker in found.values():
        if biomarker.alias_of is not None and biomarker.alias_of not in found:
            raise InputFileError(
                f"biomarker {biomarker.key!r} is an alias of {biomarker.alias_of!r}, which the file does not define",
                source,
                where[biomarker.key],
            )
    return tuple(found.values())


def _biomarker_of(block: Block, source: str) -> Biomarker:
    words = block.header.split()
    if len(words) != 2 or words[0] != "biomarker" or not re.fullmatch(r"[A-Za-z0-9_.-]+", words[1]):
        raise InputFileError(f"expected 'biomarker KEY', got {excerpt(block.header.strip())!r}", source, block.line)
    key = words[1]
    for name, lines in block.lines.items():
        if name not in (*_SINGLE_KEYS, "expected"):
            raise InputFileError(f"biomarker {key!r}: unknown key {name!r}", source, lines[0])
        if name in _SINGLE_KEYS and len(lines) > 1:
            raise InputFileError(f"biomarker {key!r}: {name!r} given twice", source, lines[1])

    def value(name: str, default: str = "") -> str:
        return block.annotations.get(name, [default])[0]

    def line(name: str) -> int:
        return block.lines.get(name, [block.line])[0]

    inferred = value("inferred", "no").lower()
    if inferred not in ("yes", "no"):
        raise InputFileError(f"biomarker {key!r}: inferred is yes or no, got {inferred!r}", source, line("inferred"))
    return Biomarker(
        key,
        value("label", key),
        _settings(value("present"), key, source, line("present")),
        _settings(value("absent"), key, source, line("absent")),
        _expected(block.annotations.get("expected", []), block.lines.get("expected", []), key, source),
        value("source", "Table 3"),
        value("references"),
        value("statement"),
        value("alias_of") or None,
        value("note"),
        inferred == "yes",
    )


def _settings(text: str, key: str, source: str, line: int) -> Mapping[str, int]:
    from igfnet.perturb import match_setting
    from igfnet.rules import split_list

    settings: dict[str, int] = {}
    for item in split_list(text):
        setting = match_setting(item)
        if setting is None:
            raise InputFileError(f"biomarker {key!r}: expected NODE=0 or NODE=1, got {excerpt(item)!r}", source, line)
        node, bit = setting
        if settings.get(node, bit) != bit:
            raise InputFileError(f"biomarker {key!r} fixes {node} at both 0 and 1", source, line)
        settings[node] = bit
    return FrozenMap(settings)


def _expected(texts: Sequence[str], lines: Sequence[int], key: str, source: str) -> Mapping[str, str]:
    expected: dict[str, str] = {}
    for text, line in zip(texts, lines):
        treatment_class, equals, direction = (part.strip() for part in text.partition("="))
        if not equals or treatment_class not in CLASSES or direction not in DIRECTIONS:
            raise InputFileError(
                f"biomarker {key!r}: expected 'CLASS = DIRECTION' with CLASS one of {', '.join(CLASSES)} and "
                f"DIRECTION one of {', '.join(DIRECTIONS)}, got {excerpt(text)!r}",
                source,
                line,
            )
        if treatment_class in expected:
            raise InputFileError(f"biomarker {key!r}: a second direction for {treatment_class!r}", source, line)
        expected[treatment_class] = direction
    return FrozenMap(expected)


def _bundled_biomarkers() -> tuple[Biomarker, ...]:
    from igfnet.formats import bundled_rules_path

    return read_biomarkers(bundled_rules_path() / BIOMARKER_FILE)


BIOMARKERS: tuple[Biomarker, ...] = _bundled_biomarkers()
"""The candidate biomarkers of Table 3 and of the review's text, in the bundled model's terms (``rules/biomarkers.txt``)."""


def treatment_class(model: BooleanNetwork, treatment: str) -> str:
    """The class (``rules/screen.txt``) of the treatment's drugs: 'kinase inhibitor' for an IGF-1R/IR TKI,
    else 'antibody' for an anti-IGF-1R antibody, else 'other'."""
    from igfnet.analysis.review import review_defaults
    from igfnet.perturb import parse_treatment

    drug_classes = [model.drugs[drug].annotation("class") for drug in parse_treatment(model, treatment).drugs]
    return review_defaults().treatment_class(drug_classes)


def check_biomarkers(model: BooleanNetwork, biomarkers: Sequence[Biomarker]) -> None:
    """Raise on a biomarker naming an unknown node, a bad direction, or an alias of nothing."""
    keys = {b.key for b in biomarkers}
    for biomarker in biomarkers:
        model.check_nodes([*biomarker.present, *biomarker.absent], what=f"node (biomarker {biomarker.key!r})")
        for direction in biomarker.expected.values():
            if direction not in DIRECTIONS:
                raise IgfnetError(f"biomarker {biomarker.key!r}: unknown direction {direction!r}")
        if biomarker.alias_of is not None and biomarker.alias_of not in keys:
            raise IgfnetError(f"biomarker {biomarker.key!r} is an alias of {biomarker.alias_of!r}, which is not listed")
        if dict(biomarker.present) == dict(biomarker.absent):
            raise IgfnetError(f"biomarker {biomarker.key!r}: present and absent are the same settings")
