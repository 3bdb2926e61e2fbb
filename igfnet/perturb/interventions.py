"""Named drugs and tumour contexts: the blocks of ``drugs.txt`` and ``contexts.txt`` beside a model.

Read with the model (:func:`igfnet.formats.load_model`) and held by it as values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from igfnet.errors import InputFileError, excerpt
from igfnet.perturb.grammar import match_cut, match_setting
from igfnet.rules import read_blocks, read_text, split_list
from igfnet.types import FrozenMap

INTERVENTION_FILES = {"drug": "drugs.txt", "context": "contexts.txt"}


@dataclass(frozen=True, slots=True)
class Intervention:
    """A named drug or tumour context from ``drugs.txt`` / ``contexts.txt``.

    Attributes
    ----------
    kind : str
        "drug" or "context".
    name : str
        The name used on the command line (``--drug NAME``, ``--context NAME``).
    fixed : Mapping[str, int]
        Nodes it fixes (inhibits/knockout -> 0, activates/overexpress -> 1, set).
    cuts : tuple of str
        Interactions it removes, as ``SOURCE:TARGET`` (optionally ``=0|1``).
    annotations : Mapping[str, tuple[str, ...]]
        Its ``key: value`` lines (name, class, evidence, ...).
    source : str
        ``file:line`` of its definition.
    """

    kind: str
    name: str
    fixed: Mapping[str, int]
    cuts: tuple[str, ...]
    annotations: Mapping[str, tuple[str, ...]]
    source: str

    def annotation(self, key: str, default: str = "") -> str:
        values = self.annotations.get(key)
        return "; ".join(values) if values else default

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every node it names: the nodes it fixes and both ends of the interactions it cuts."""
        ends = [node for cut in map(match_cut, self.cuts) if cut is not None for node in cut[:2]]
        return tuple(dict.fromkeys([*self.fixed, *ends]))

    def describe(self) -> str:
        """What it does, in one line: 'IGF1R=0, INSR=0; cuts IGF1:IGF1R'."""
        parts = [", ".join(f"{node}={value}" for node, value in self.fixed.items())]
        if self.cuts:
            parts.append("cuts " + ", ".join(self.cuts))
        return "; ".join(part for part in parts if part)


_FIXING_KEYS = {"inhibits": 0, "knockout": 0, "activates": 1, "overexpress": 1}


def parse_interventions(text: str, source: str, kind: str, nodes: Iterable[str]) -> dict[str, Intervention]:
    """Parse the blocks of ``drugs.txt`` or ``contexts.txt``; every node named must exist."""
    known = set(nodes)
    interventions: dict[str, Intervention] = {}
    for block in read_blocks(text, source):
        words = block.header.split()
        if len(words) != 2 or words[0] != kind:
            raise InputFileError(f"expected '{kind} NAME', got {excerpt(block.header.strip())!r}", source, block.line)
        name = words[1]
        if not re.fullmatch(r"[A-Za-z0-9_+.-]+", name) or "+" in name:
            raise InputFileError(
                f"invalid {kind} name {name!r}: use letters, digits, '_', '-', '.'", source, block.line
            )
        if name in interventions:
            raise InputFileError(f"{kind} {name!r} is defined twice", source, block.line)
        fixed: dict[str, int] = {}
        cuts: list[str] = []
        for key, values in block.annotations.items():
            for value, line in zip(values, block.lines[key]):
                items = split_list(value)
                if key in _FIXING_KEYS:
                    settings = [(node, _FIXING_KEYS[key]) for node in items]
                elif key == "set":
                    settings = []
                    for item in items:
                        setting = match_setting(item)
                        if setting is None:
                            raise InputFileError(
                                f"{kind} {name!r}: expected NODE=0 or NODE=1, got {item!r}", source, line
                            )
                        settings.append(setting)
                elif key in ("cuts", "cut"):
                    for item in items:
                        cut = match_cut(item)
                        if cut is None:
                            raise InputFileError(
                                f"{kind} {name!r}: expected a cut SOURCE:TARGET, got {item!r}", source, line
                            )
                        _check_known([cut[0], cut[1]], known, f"{kind} {name!r}", source, line)
                        cuts.append(item.replace(" ", ""))
                    continue
                else:
                    continue
                for node, node_value in settings:
                    _check_known([node], known, f"{kind} {name!r}", source, line)
                    if fixed.get(node, node_value) != node_value:
                        raise InputFileError(f"{kind} {name!r} fixes {node} at both 0 and 1", source, line)
                    fixed[node] = node_value
        if not fixed and not cuts:
            raise InputFileError(
                f"{kind} {name!r} changes nothing (no inhibits/activates/knockout/overexpress/set/cuts)",
                source,
                block.line,
            )
        interventions[name] = Intervention(
            kind, name, FrozenMap(fixed), tuple(cuts), block.frozen_annotations(), f"{source}:{block.line}"
        )
    return interventions


def _check_known(names: Iterable[str], known: set[str], owner: str, source: str, line: int) -> None:
    for node in names:
        if node not in known:
            raise InputFileError(f"{owner} names {node!r}, which is not a node of the model", source, line)


def read_interventions(directory: str, kind: str, nodes: Iterable[str]) -> dict[str, Intervention]:
    """The named drugs or contexts in a model directory's ``drugs.txt`` / ``contexts.txt`` (empty without one)."""
    import os

    path = os.path.join(directory, INTERVENTION_FILES[kind])
    if not os.path.exists(path):
        return {}
    return parse_interventions(read_text(path), path, kind, nodes)
