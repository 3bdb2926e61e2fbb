"""What the analyses take from the review beyond the model: ``rules/screen.txt``, read once.

The screen's default base treatment, the combinations ``igfnet compare`` adds
as columns, and the treatment classes of the biomarker table are data with
their evidence, beside the bundled model, not constants in the code.

Examples
--------
>>> defaults = review_defaults()
>>> defaults.base, defaults.base_requires
('IGF1R=0', ('IGF1R',))
>>> "figitumumab+erlotinib" in defaults.combinations
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.errors import InputFileError, excerpt
from igfnet.types import FrozenMap

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from igfnet.model import BooleanNetwork

REVIEW_FILE = "screen.txt"
OTHER = "other"
"""The treatment class of a treatment with no drug of a listed class."""


@dataclass(frozen=True, slots=True)
class ReviewDefaults:
    """The contents of ``rules/screen.txt``.

    Attributes
    ----------
    base : str
        The screen's default base treatment, as items joined by '+'.
    base_requires : tuple of str
        The nodes a model must have for ``base`` to be its default (else none).
    combinations : tuple of str
        The combinations the review discusses, as items joined by '+'.
    classes : Mapping[str, tuple[str, ...]]
        Per treatment class, in priority order, the fragments a drug's
        ``class:`` must all contain (any case) to belong to it.
    """

    base: str
    base_requires: tuple[str, ...]
    combinations: tuple[str, ...]
    classes: Mapping[str, tuple[str, ...]]

    def default_base(self, model: BooleanNetwork) -> str:
        """The base treatment for ``model``: :attr:`base` if it has the nodes it requires, else 'none'."""
        return self.base if all(node in model.rules for node in self.base_requires) else "none"

    def treatment_class(self, drug_classes: Sequence[str]) -> str:
        """The first class (in file order) that one of the drugs' classes matches, else :data:`OTHER`."""
        lowered = [text.lower() for text in drug_classes]
        for name, fragments in self.classes.items():
            if any(all(fragment in text for fragment in fragments) for text in lowered):
                return name
        return OTHER


def read_review_defaults(path: str | Path) -> ReviewDefaults:
    """Read a file in the syntax of ``rules/screen.txt``; errors name the file and line."""
    from igfnet.rules import read_blocks, read_text, split_list

    source = str(path)
    base: tuple[str, tuple[str, ...]] | None = None
    combinations: list[str] = []
    classes: dict[str, tuple[str, ...]] = {}
    for block in read_blocks(read_text(path), source):
        kind, _, name = block.header.strip().partition(" ")
        name = name.strip()
        if not block.annotations.get("evidence"):
            raise InputFileError(f"{kind} {name!r} has no evidence", source, block.line)
        if kind == "base" and name:
            treatment = block.annotations.get("treatment", [])
            if base is not None or len(treatment) != 1:
                raise InputFileError("expected one base with one 'treatment:' line", source, block.line)
            base = (
                treatment[0],
                tuple(node for value in block.annotations.get("requires", []) for node in split_list(value)),
            )
        elif kind == "combination" and name:
            combinations.append(name)
        elif kind == "class" and name:
            fragments = tuple(
                f.lower() for value in block.annotations.get("class_contains", []) for f in split_list(value)
            )
            if not fragments:
                raise InputFileError(f"class {name!r} has no 'class_contains:'", source, block.line)
            classes[name] = fragments
        else:
            raise InputFileError(
                f"expected 'base NAME', 'combination A+B' or 'class NAME', got {excerpt(block.header.strip())!r}",
                source,
                block.line,
            )
    if base is None:
        raise InputFileError("no 'base' block", source)
    return ReviewDefaults(base[0], base[1], tuple(combinations), FrozenMap(classes))


@functools.cache
def review_defaults() -> ReviewDefaults:
    """The bundled model's ``rules/screen.txt``."""
    from igfnet.formats import bundled_rules_path

    return read_review_defaults(bundled_rules_path() / REVIEW_FILE)
