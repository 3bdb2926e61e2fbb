"""Genotype mappings: how the columns of a sample table become an untreated cell's node settings.

A mapping is text in the block syntax of ``drugs.txt`` and ``contexts.txt``:
a header names a column (a 0/1 column, applied when 1) or a column and a
value (applied when the cell equals it); indented lines say what it does::

    column PIK3CA_mut
        set: PIK3CA_mut=1
        evidence: ref 12; "..."
    column TISSUE_FACTOR = bone
        context: ewing_sarcoma

Keys: ``set: A=0, B=1``, ``knockout: A, B`` (0), ``overexpress: A, B`` (1),
``context: NAME`` (a named context of the model), ``evidence:`` and
``note:`` (kept, repeatable). Bundled mappings live in
``rules/mappings/NAME.txt``.

Examples
--------
>>> from igfnet.model import BooleanNetwork
>>> from igfnet.rules import parse_rules
>>> model = BooleanNetwork(parse_rules("M = input 0\\nG = M\\n"))
>>> mapping = parse_mapping("column M_mut\\n    set: M=1\\n", "<mapping>", model)
>>> mapping.settings_of({"M_mut": "1"}, "line 1")
SampleSettings(context='default', settings=(('M', 1),), entries=('M_mut',))
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.errors import IgfnetError, InputFileError
from igfnet.perturb import match_setting
from igfnet.rules import read_blocks, read_text, split_list
from igfnet.types import EMPTY, FrozenMap

if TYPE_CHECKING:
    from pathlib import Path

    from igfnet.model import BooleanNetwork

_HEADER = r"^column\s+(.+?)(?:\s+=\s+(.+?))?\s*$"
_FIXING_KEYS = {"knockout": 0, "overexpress": 1}
_KEPT_KEYS = {"evidence", "note", "name"}
_TRUE = {"1", "1.0", "true", "True", "TRUE"}
_FALSE = {"0", "0.0", "false", "False", "FALSE"}


@dataclass(frozen=True, slots=True)
class MappingEntry:
    """One block of a mapping: a column (and value) and the node settings it stands for.

    Attributes
    ----------
    column : str
        The sample table's column.
    value : str or None
        Applied when the cell equals this text; None: a 0/1 column, applied when 1.
    settings : Mapping[str, int]
        Nodes fixed in the untreated cell.
    context : str or None
        A named context of the model the sample is in.
    annotations : Mapping[str, tuple[str, ...]]
        Its ``key: value`` lines (evidence, note).
    source : str
        ``file:line`` of its header.
    """

    column: str
    value: str | None
    settings: Mapping[str, int]
    context: str | None
    annotations: Mapping[str, tuple[str, ...]] = EMPTY
    source: str = "<mapping>"

    @property
    def label(self) -> str:
        """``column`` or ``column = value``: how tables and messages name the entry."""
        return self.column if self.value is None else f"{self.column} = {self.value}"

    def applies(self, cell: str, sample: str) -> bool:
        """Whether the entry applies to a sample whose cell in ``column`` reads ``cell``.

        Raises IgfnetError for a 0/1 column holding anything else (a missing
        value included: a genotype is never guessed).
        """
        cell = cell.strip()
        if self.value is not None:
            return cell == self.value
        if cell in _TRUE:
            return True
        if cell in _FALSE:
            return False
        shown = repr(cell) if cell else "an empty cell"
        raise IgfnetError(
            f"sample {sample!r}: column {self.column!r} holds {shown}; the mapping "
            f"({self.source}) reads it as a 0/1 column"
        )


@dataclass(frozen=True, slots=True)
class SampleSettings:
    """What a mapping makes of one sample: its context, its node settings, the entries that applied.

    Samples with equal ``context`` and ``settings`` are the same question to
    the model; ``entries`` is the mapped genotype as the table wrote it.
    """

    context: str
    settings: tuple[tuple[str, int], ...]
    entries: tuple[str, ...]

    def describe(self) -> str:
        """'PIK3CA_mut=1, PTEN=0' (with 'context X; ' first when not the default); '(none)' for no setting."""
        text = ", ".join(f"{node}={value}" for node, value in self.settings)
        if self.context != "default":
            text = f"context {self.context}" + (f"; {text}" if text else "")
        return text or "(none)"


class ConflictError(IgfnetError):
    """A sample whose mapped columns fix one node at both 0 and 1 (or name two contexts)."""

    def __init__(self, sample: str, what: str, columns: tuple[str, ...]):
        self.sample = sample
        self.columns = columns
        super().__init__(f"sample {sample!r}: {what}, from columns {', '.join(repr(c) for c in columns)}")


@dataclass(frozen=True, slots=True)
class GenotypeMapping:
    """A parsed mapping: its entries in file order."""

    name: str
    entries: tuple[MappingEntry, ...]
    source: str

    @property
    def columns(self) -> tuple[str, ...]:
        """The table columns the mapping reads, each once, in file order."""
        return tuple(dict.fromkeys(entry.column for entry in self.entries))

    def settings_of(self, row: Mapping[str, str], sample: str) -> SampleSettings:
        """The context and node settings of one sample (a row: column -> cell text).

        Raises
        ------
        ConflictError
            Two applied entries fix a node at different values or name different contexts.
        IgfnetError
            A 0/1 column holding another value.
        """
        settings: dict[str, int] = {}
        setters: dict[str, list[str]] = {}
        context: str | None = None
        context_from = ""
        applied: list[str] = []
        for entry in self.entries:
            if not entry.applies(row[entry.column], sample):
                continue
            applied.append(entry.label)
            if entry.context is not None:
                if context is not None and context != entry.context:
                    raise ConflictError(
                        sample, f"contexts {context!r} and {entry.context!r}", (context_from, entry.label)
                    )
                context, context_from = entry.context, entry.label
            for node, value in entry.settings.items():
                if settings.get(node, value) != value:
                    raise ConflictError(
                        sample, f"{node} set to both 0 and 1", (*dict.fromkeys(setters[node]), entry.label)
                    )
                settings[node] = value
                setters.setdefault(node, []).append(entry.label)
        return SampleSettings(context or "default", tuple(sorted(settings.items())), tuple(applied))


def parse_mapping(text: str, source: str, model: BooleanNetwork, name: str = "") -> GenotypeMapping:
    """Parse a mapping's text; every node and context it names must be the model's.

    Raises
    ------
    InputFileError
        ``file:line``: a malformed header or setting, an unknown node or
        context, a node fixed at both values, a repeated column (and value),
        an entry that changes nothing.
    """
    known = set(model.nodes)
    contexts = {"default", *model.contexts}
    entries: list[MappingEntry] = []
    seen: set[tuple[str, str | None]] = set()
    for block in read_blocks(text, source):
        match = re.match(_HEADER, block.header.strip())
        if match is None:
            raise InputFileError(
                f"expected 'column NAME' or 'column NAME = VALUE', got {block.header.strip()!r}", source, block.line
            )
        column, value = match.group(1), match.group(2)
        if (column, value) in seen:
            what = column if value is None else f"{column} = {value}"
            raise InputFileError(f"column {what!r} is mapped twice", source, block.line)
        seen.add((column, value))
        settings: dict[str, int] = {}
        context: str | None = None
        for key, values in block.annotations.items():
            for item_text, line in zip(values, block.lines[key]):
                if key in _KEPT_KEYS:
                    continue
                if key == "context":
                    if context is not None or item_text not in contexts:
                        problem = (
                            "names two contexts"
                            if context is not None
                            else f"names context {item_text!r}, which the model does not have "
                            f"(it has: {', '.join(sorted(contexts))})"
                        )
                        raise InputFileError(f"column {column!r} {problem}", source, line)
                    context = item_text
                    continue
                for node, node_value in _settings(key, item_text, column, source, line):
                    if node not in known:
                        raise InputFileError(
                            f"column {column!r} names {node!r}, which is not a node of the model", source, line
                        )
                    if settings.get(node, node_value) != node_value:
                        raise InputFileError(f"column {column!r} sets {node} to both 0 and 1", source, line)
                    settings[node] = node_value
        if not settings and context is None:
            raise InputFileError(
                f"column {column!r} changes nothing (no set/knockout/overexpress/context)", source, block.line
            )
        entries.append(
            MappingEntry(
                column,
                value,
                FrozenMap(settings),
                context,
                block.frozen_annotations(),
                f"{source}:{block.line}",
            )
        )
    if not entries:
        raise InputFileError("no 'column' blocks found", source)
    return GenotypeMapping(name or os.path.splitext(os.path.basename(source))[0], tuple(entries), source)


def _settings(key: str, text: str, column: str, source: str, line: int) -> list[tuple[str, int]]:
    items = split_list(text)
    if key in _FIXING_KEYS:
        return [(item, _FIXING_KEYS[key]) for item in items]
    if key != "set":
        raise InputFileError(
            f"column {column!r}: unknown key {key!r} (set, knockout, overexpress, context, evidence, note)",
            source,
            line,
        )
    settings = []
    for item in items:
        setting = match_setting(item)
        if setting is None:
            raise InputFileError(f"column {column!r}: expected NODE=0 or NODE=1, got {item!r}", source, line)
        settings.append(setting)
    return settings


def bundled_mappings_path() -> Path:
    """The folder of the bundled mappings (``rules/mappings``)."""
    from igfnet.formats import bundled_rules_path

    return bundled_rules_path() / "mappings"


def bundled_mappings() -> list[str]:
    """The names of the bundled mappings (``igfnet predict --mapping NAME``)."""
    folder = bundled_mappings_path()
    return sorted(path.stem for path in folder.glob("*.txt")) if folder.is_dir() else []


def load_mapping(name_or_path: str, model: BooleanNetwork) -> GenotypeMapping:
    """A bundled mapping by name (``gdsc``) or a mapping file, checked against ``model``."""
    if os.path.exists(name_or_path):
        return parse_mapping(read_text(name_or_path), name_or_path, model)
    if re.fullmatch(r"[A-Za-z0-9_.-]+", name_or_path):
        path = bundled_mappings_path() / f"{name_or_path}.txt"
        if path.is_file():
            return parse_mapping(read_text(path), str(path), model, name=name_or_path)
    raise IgfnetError(
        f"mapping {name_or_path!r}: no such file, and not a bundled mapping "
        f"(bundled: {', '.join(bundled_mappings()) or 'none'})"
    )
