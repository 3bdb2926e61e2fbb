"""Reading and writing models: format sniffing, loading, and one registry of every format's reader and writer.

A model is read whole here (its rules, and beside a directory of ``.rules``
files its named drugs and contexts) and handed to
:class:`~igfnet.model.BooleanNetwork` as values: the model never reads a file.
Each format's module is imported only when a file of that format is read or
written, so reading a ``.rules`` directory never loads libsbml.

Examples
--------
>>> model = load_model()
>>> "IGF1R" in model.nodes, "figitumumab" in model.drugs
(True, True)
>>> FORMATS["bnet"].write(model).splitlines()[1].split()
['targets,', 'factors']
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from igfnet.errors import RuleSyntaxError
from igfnet.model import BooleanNetwork
from igfnet.rules import MAX_SIZE, read_text

if TYPE_CHECKING:
    from pathlib import Path

    import networkx

    from igfnet.rules import Rule

BUNDLED_NAME = "igfnet IGF-1R model"
"""The bundled model's name in reports."""


@dataclass(frozen=True, slots=True)
class Format:
    """An exchange format: its name, file suffixes, and where its reader and writer live.

    Attributes
    ----------
    name : str
        As ``--format`` takes it: "bnet", "sbml", "sif", ...
    description : str
        What the format is, for messages.
    suffixes : tuple of str
        File extensions that name it (the first is the usual one).
    module : str
        The module of its reader and writer, imported on first use.
    writer : str
        The writer's name in ``module``: a model -> text, or for a graph
        format an annotated graph (:func:`igfnet.formats.cytoscape.annotated_graph`) -> text.
    reader : str or None
        The reader's name in ``module``, ``(text, source) -> (rules, model name or None)``;
        None for a graph format, which has no rules to read.
    graph : bool
        True for a graph format (SIF, GraphML, Cytoscape.js, CX2).
    carries_defaults : bool
        The format can write an input's default-context value, so inputs stay inputs.
    """

    name: str
    description: str
    suffixes: tuple[str, ...]
    module: str
    writer: str
    reader: str | None = None
    graph: bool = False
    carries_defaults: bool = False

    def read(self, text: str, source: str) -> tuple[list[Rule], str | None]:
        """The rules in ``text`` and the model's name if the file gives one."""
        if self.reader is None:
            raise RuleSyntaxError(_GRAPH_ONLY.format(what=self.description), source)
        parse: Callable[[str, str], tuple[list[Rule], str | None]] = getattr(import_module(self.module), self.reader)
        return parse(text, source)

    def write(self, value: BooleanNetwork | networkx.DiGraph) -> str:
        """``value`` (a model, or for a graph format an annotated graph) as this format's text."""
        write: Callable[[Any], str] = getattr(import_module(self.module), self.writer)
        return write(value)


_CYTOSCAPE = "igfnet.formats.cytoscape.writers"
FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("bnet", "BoolNet .bnet", (".bnet",), "igfnet.formats.bnet", "write_bnet", reader="parse_bnet"),
        Format(
            "sbml",
            "SBML-qual",
            (".sbml", ".xml"),
            "igfnet.formats.sbml",
            "write_sbml",
            reader="parse_sbml",
            carries_defaults=True,
        ),
        Format(
            "booleannet",
            "BooleanNet",
            (".booleannet",),
            "igfnet.formats.booleannet",
            "write_booleannet",
            reader="parse_booleannet",
            carries_defaults=True,
        ),
        Format(
            "rules",
            "igfnet rules",
            (".rules",),
            "igfnet.formats.rules_text",
            "write_rules",
            reader="parse_rules_file",
            carries_defaults=True,
        ),
        Format("sif", "SIF network", (".sif",), _CYTOSCAPE, "write_sif", graph=True),
        Format("graphml", "GraphML network", (".graphml",), _CYTOSCAPE, "write_graphml", graph=True),
        Format("cyjs", "Cytoscape.js network", (".cyjs",), _CYTOSCAPE, "write_cyjs", graph=True),
        Format("cx2", "Cytoscape/NDEx network (CX2)", (".cx2",), _CYTOSCAPE, "write_cx2", graph=True),
    )
}
"""Every format igfnet reads or writes, by name: the models first, then the graphs."""

MODEL_FORMATS = [name for name, format in FORMATS.items() if not format.graph]
GRAPH_FORMATS = [name for name, format in FORMATS.items() if format.graph]
SUFFIXES = {suffix: format for format in FORMATS.values() for suffix in format.suffixes}
"""The format a file's extension names."""

# Graph files igfnet does not write but recognises, to say why it cannot read them.
_OTHER_GRAPH_SUFFIXES = {".cx": "Cytoscape/NDEx network (CX)", ".json": "Cytoscape/NDEx network"}
_GRAPH_ONLY = "this is a {what}: a graph without rules; igfnet reads .bnet, SBML-qual, BooleanNet and .rules models"


def model_format_of(path: str | os.PathLike[str], text: str) -> Format:
    """The model format of a file: by extension, else by content.

    Raises RuleSyntaxError for a graph format (CX2, cyjs, GraphML, SIF), which has no rules to read.

    Examples
    --------
    >>> model_format_of("toggle.txt", "A, !B\\nB, !A\\n").name
    'bnet'
    """
    where = os.fspath(path)
    suffix = os.path.splitext(where)[1].lower()
    start = text.lstrip()[:2000]
    if suffix == ".xml" and "<graphml" in start:  # GraphML is often saved as .xml
        raise RuleSyntaxError(_GRAPH_ONLY.format(what="GraphML network"), where)
    if suffix in SUFFIXES and not SUFFIXES[suffix].graph:
        return SUFFIXES[suffix]
    if suffix in SUFFIXES or suffix in _OTHER_GRAPH_SUFFIXES or start.startswith(("[", "{")):
        what = SUFFIXES[suffix].description if suffix in SUFFIXES else _OTHER_GRAPH_SUFFIXES.get(suffix)
        raise RuleSyntaxError(_GRAPH_ONLY.format(what=what or "Cytoscape/NDEx network (JSON)"), where)
    if start.startswith("<"):
        if "<sbml" in start:
            return FORMATS["sbml"]
        if "<graphml" in start:
            raise RuleSyntaxError(_GRAPH_ONLY.format(what="GraphML network"), where)
        raise RuleSyntaxError("XML but not SBML: igfnet reads .bnet, SBML-qual, BooleanNet and .rules models", where)
    if _looks_like_booleannet(text):
        return FORMATS["booleannet"]
    if _looks_like_bnet(text):
        return FORMATS["bnet"]
    return FORMATS["rules"]


def _looks_like_booleannet(text: str) -> bool:
    import re

    rule = re.compile(r"^(\d+\s*:\s*)?[A-Za-z0-9_]+\s*\*\s*=")
    return any(rule.match(line.strip()) for line in text.splitlines())


def _looks_like_bnet(text: str) -> bool:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            return "," in line and "=" not in line
    return False


def load_model(path: str | Path | None = None, max_size: int | None = MAX_SIZE) -> BooleanNetwork:
    """Load a model: the bundled IGF-1R model, a ``.rules`` file or a directory of them, ``.bnet``, SBML-qual or BooleanNet.

    The format comes from the extension (``.rules``, ``.bnet``, ``.sbml``/``.xml``,
    ``.booleannet``) or, for any other, from the content. A directory's
    ``drugs.txt`` and ``contexts.txt``, when there, are read with it. A file
    larger than ``max_size`` bytes (None: no limit) is refused with InputFileError.

    Examples
    --------
    >>> load_model().name
    'igfnet IGF-1R model'
    """
    if path is None:
        return _load_directory(bundled_directory(), MAX_SIZE, BUNDLED_NAME)
    if os.path.isdir(path):
        return _load_directory(path, max_size)
    # os.path, not pathlib: its import would cost the main job more than the parse it follows.
    source = os.fspath(path)
    text = read_text(source, max_size)
    rules, name = model_format_of(source, text).read(text, source)
    return BooleanNetwork(rules, name=name or os.path.splitext(os.path.basename(source))[0], source=source)


def _load_directory(directory: str | os.PathLike[str], max_size: int | None, name: str | None = None) -> BooleanNetwork:
    from igfnet.perturb import read_interventions
    from igfnet.rules import parse_rules

    directory = os.fspath(directory)
    files = sorted(os.path.join(directory, name) for name in os.listdir(directory) if name.endswith(".rules"))
    if not files:
        raise RuleSyntaxError("no *.rules files in this directory", directory)
    rules: list[Rule] = []
    for file in files:
        rules.extend(parse_rules(read_text(file, max_size), file))
    nodes = [rule.target for rule in rules]
    return BooleanNetwork(
        rules,
        name=name or os.path.basename(os.path.normpath(directory)),
        source=directory,
        drugs=read_interventions(directory, "drug", nodes),
        contexts=read_interventions(directory, "context", nodes),
        directory=directory,
    )


def bundled_directory() -> str:
    """The directory of the bundled IGF-1R model: ``rules/``, installed as ``igfnet.bundled_model``."""
    from importlib.util import find_spec

    # Installed (pip install . or -e .), the package maps rules/ to igfnet.bundled_model;
    # run from a checkout without installing, rules/ sits beside the package.
    spec = find_spec("igfnet.bundled_model")
    if spec is not None and spec.submodule_search_locations:
        return str(next(iter(spec.submodule_search_locations)))
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))), "rules")


def bundled_rules_path() -> Path:
    """The directory of the bundled IGF-1R model, as a Path (see :func:`bundled_directory`)."""
    from pathlib import Path

    return Path(bundled_directory())
