"""BooleanNetwork: the nodes, their rules, the inputs with their default context, and the signed graph."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from igfnet.errors import RuleSyntaxError, UnknownNodeError
from igfnet.logic import Expr, variables
from igfnet.rules import MAX_SIZE, Rule

if TYPE_CHECKING:
    from pathlib import Path

    import networkx

    from igfnet.interventions import Intervention
    from igfnet.perturb import Perturbation
    from igfnet.types import Attractors, Space


class BooleanNetwork:
    """A Boolean network: one rule per node, in a stable order.

    Parameters
    ----------
    rules : iterable of Rule
        One rule per node. A node defined twice, or a regulator without a
        rule, is an error.
    name : str
        A name for reports.
    source : str
        Where the model was read from, for messages.

    Examples
    --------
    >>> from igfnet.rules import parse_rules
    >>> toggle = BooleanNetwork(parse_rules("A = not B\\nB = not A\\n"), name="toggle")
    >>> [str(attractor) for attractor in toggle.attractors()]
    ['01', '10']
    """

    def __init__(self, rules: Iterable[Rule], name: str = "model", source: str = "<model>"):
        self.name = name
        self.source = source
        self._directory: str | None = None
        self.rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.target in self.rules:
                first = self.rules[rule.target].source
                raise RuleSyntaxError(
                    f"node {rule.target!r} is defined twice (first at {first})", *_split_source(rule.source)
                )
            self.rules[rule.target] = rule
        for rule in self.rules.values():
            for regulator in sorted(variables(rule.expression)):
                if regulator not in self.rules:
                    raise RuleSyntaxError(
                        f"{regulator!r} (in the rule of {rule.target!r}) has no rule; "
                        f"declare it as an input with '{regulator} = input' (or '{regulator}, {regulator}' in .bnet)",
                        *_split_source(rule.source),
                    )

    @property
    def directory(self) -> Path | None:
        """Where drugs.txt, contexts.txt and claims.csv live, if anywhere."""
        # Kept as text: pathlib is not needed to answer the main job, and it costs start-up time.
        from pathlib import Path

        return None if self._directory is None else Path(self._directory)

    @directory.setter
    def directory(self, value: str | os.PathLike[str] | None) -> None:
        self._directory = None if value is None else os.fspath(value)

    def with_rules(self, rules: Iterable[Rule]) -> BooleanNetwork:
        """The same model (name, source, drugs and contexts) with other rules: a perturbed or edited copy."""
        derived = BooleanNetwork(rules, name=self.name, source=self.source)
        derived._directory = self._directory
        if derived.rules.keys() == self.rules.keys():
            # Drugs and contexts name nodes, not rules: a parse already made holds for the copy too.
            for parsed in ("drugs", "contexts"):
                if parsed in self.__dict__:
                    derived.__dict__[parsed] = self.__dict__[parsed]
        return derived

    # -- the model's parts ---------------------------------------------------

    @property
    def nodes(self) -> list[str]:
        return list(self.rules)

    @property
    def functions(self) -> dict[str, Expr]:
        """Each node's update function (an input's is the node itself)."""
        return {node: rule.expression for node, rule in self.rules.items()}

    @property
    def inputs(self) -> list[str]:
        return [node for node, rule in self.rules.items() if rule.is_input]

    @property
    def default_context(self) -> Space:
        """The inputs' default values: the context the model is analysed in unless told otherwise."""
        return {node: rule.default for node, rule in self.rules.items() if rule.is_input and rule.default is not None}  # type: ignore[misc]

    def check_nodes(self, nodes: Iterable[str], what: str = "node") -> None:
        """Raise UnknownNodeError naming the first node the model does not have."""
        for node in nodes:
            if node not in self.rules:
                close = close_matches(node, self.rules)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise UnknownNodeError(f"unknown {what} {node!r} in model {self.name!r}{hint}")

    def __repr__(self) -> str:
        return f"<BooleanNetwork {self.name!r}: {len(self.rules)} nodes, {len(self.inputs)} inputs>"

    def __len__(self) -> int:
        return len(self.rules)

    # -- the signed interaction graph ---------------------------------------

    @cached_property
    def graph(self) -> networkx.DiGraph:
        """The regulatory graph: a node per species, a signed edge per regulation.

        Each edge's ``sign`` is "activation", "inhibition" or "dual",
        derived from the rule's logic (monotonicity), not from its text.
        An input's self-loop is left out.
        """
        import networkx

        from igfnet.dynamics.signs import regulation_signs

        graph = networkx.DiGraph(name=self.name)
        for node, rule in self.rules.items():
            graph.add_node(
                node,
                rule=rule.text,
                is_input=rule.is_input,
                default=rule.default,
                **{key: "; ".join(values) for key, values in rule.annotations.items()},
            )
        for (source, target), sign in regulation_signs(self.functions).items():
            if self.rules[target].is_input:
                continue
            graph.add_edge(source, target, sign=sign)
        return graph

    # -- derived models --------------------------------------------------------

    def perturbed(self, perturbation: Perturbation) -> BooleanNetwork:
        """The network with a perturbation's fixed values and edge cuts written into its rules."""
        from igfnet.perturb import apply_perturbation

        return apply_perturbation(self, perturbation)

    def attractors(
        self,
        knockout: Iterable[str] = (),
        overexpress: Iterable[str] = (),
        settings: Mapping[str, int] | None = None,
        *,
        drugs: Iterable[str] = (),
        context: str | None = None,
        cut: Iterable[str] = (),
        free_inputs: bool = False,
        initial: Mapping[str, int] | str | None = None,
        **deprecated: Mapping[str, int],
    ) -> Attractors:
        """The attractors of the network under fully asynchronous dynamics.

        Parameters
        ----------
        knockout, overexpress : iterable of str
            Nodes fixed at 0 / at 1.
        settings : mapping of str to 0 or 1
            Nodes (usually inputs) fixed at a value; overrides the default context.
            (``set=``, its old name, still works, with a DeprecationWarning: it shadowed a builtin.)
        drugs : iterable of str
            Named drugs of the model (``rules/drugs.txt``).
        context : str
            A named tumour context (``rules/contexts.txt``).
        cut : iterable of str
            Interactions ``SOURCE:TARGET`` to remove.
        free_inputs : bool
            Leave every input free (all contexts at once) instead of taking
            the default context.
        initial : mapping, "untreated", or None
            With a mapping or "untreated": only the attractors reachable from
            the initial states. The initial states are the attractors of the
            unperturbed model (in its context), with the mapping's values
            written over them; the perturbation then acts on those states.
            A free input the mapping sets is the untreated cell's context too
            (inputs keep their values); a complete state is the only start.

        Returns
        -------
        Attractors
            Every attractor, with its exact number of states and its pattern.
        """
        from igfnet.dynamics.attractors import attractors_of_model

        if deprecated:
            settings = _deprecated_set(settings, deprecated)
        perturbation = self.perturbation(
            knockout=knockout, overexpress=overexpress, settings=settings or {}, drugs=drugs, context=context, cut=cut
        )
        return attractors_of_model(self, perturbation, free_inputs=free_inputs, initial=initial)

    def perturbation(self, **options: Any) -> Perturbation:
        """Build and check a Perturbation from CLI-like options (see :meth:`attractors`)."""
        from igfnet.perturb import build_perturbation

        return build_perturbation(self, **options)

    # -- drugs and contexts ------------------------------------------------------

    @cached_property
    def drugs(self) -> dict[str, Intervention]:
        from igfnet.interventions import load_interventions

        return load_interventions(self, "drug")

    @cached_property
    def contexts(self) -> dict[str, Intervention]:
        from igfnet.interventions import load_interventions

        return load_interventions(self, "context")

    def to_bnet(self) -> str:
        from igfnet.formats.bnet import write_bnet

        return write_bnet(self)


def _split_source(where: str) -> tuple[str | None, int | None]:
    path, _, line = where.rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return (where or None), None


def close_matches(name: str, candidates: Iterable[str]) -> list[str]:
    """Names a user may have meant: the same but for case and '-'/'_' first, then near spellings."""
    import difflib

    def plain(text: str) -> str:
        return text.lower().replace("-", "_")

    by_plain: dict[str, str] = {}
    for candidate in candidates:
        by_plain.setdefault(plain(candidate), candidate)
    if plain(name) in by_plain:
        return [by_plain[plain(name)]]
    matches = difflib.get_close_matches(plain(name), list(by_plain), n=3, cutoff=0.6)
    return [by_plain[match] for match in matches]


def bundled_rules_path() -> Path:
    """The directory of the bundled IGF-1R model: ``rules/``, installed as ``igfnet.bundled_model``."""
    # Installed (pip install . or -e .), the package maps rules/ to igfnet.bundled_model;
    # run from a checkout without installing, rules/ sits beside the package.
    from pathlib import Path

    return Path(_bundled_directory())


def _bundled_directory() -> str:
    from importlib.util import find_spec

    # Installed (pip install . or -e .), the package maps rules/ to igfnet.bundled_model;
    # run from a checkout without installing, rules/ sits beside the package.
    spec = find_spec("igfnet.bundled_model")
    if spec is not None and spec.submodule_search_locations:
        return str(next(iter(spec.submodule_search_locations)))
    return os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "rules")


def load_model(path: str | Path | None = None, max_size: int | None = MAX_SIZE) -> BooleanNetwork:
    """Load a model: the bundled IGF-1R model, a ``.rules`` file or a directory of them, ``.bnet``, SBML-qual or BooleanNet.

    The format comes from the extension (``.rules``, ``.bnet``, ``.sbml``/``.xml``,
    ``.booleannet``) or, for any other, from the content. A file larger than
    ``max_size`` bytes (None: no limit) is refused with InputFileError.

    Examples
    --------
    >>> model = load_model()
    >>> "IGF1R" in model.nodes
    True
    """
    from igfnet.model_cache import parse_cached
    from igfnet.rules import read_text

    if path is None:
        model = _load_directory(_bundled_directory())
        model.name = "igfnet IGF-1R model"
        return model
    if os.path.isdir(path):
        return _load_directory(path, max_size)
    # os.path, not pathlib: its import would cost a query more than the parse it follows.
    source = os.fspath(path)
    text = read_text(source, max_size)
    model_format = model_format_of(source, text)
    rules, name = parse_cached(_PARSERS[model_format], text, source)
    return BooleanNetwork(rules, name=name or os.path.splitext(os.path.basename(source))[0], source=source)


_GRAPH_ONLY = "this is a {what}: a graph without rules; igfnet reads .bnet, SBML-qual, BooleanNet and .rules models"
_SUFFIXES = {".bnet": "bnet", ".rules": "rules", ".sbml": "sbml", ".xml": "sbml", ".booleannet": "booleannet"}
_GRAPH_SUFFIXES = {
    ".cx2": "Cytoscape/NDEx network (CX2)",
    ".cx": "Cytoscape/NDEx network (CX)",
    ".cyjs": "Cytoscape.js network",
    ".json": "Cytoscape/NDEx network",
    ".graphml": "GraphML network",
    ".sif": "SIF network",
}


def model_format_of(path: str | os.PathLike[str], text: str) -> str:
    """``"rules"``, ``"bnet"``, ``"sbml"`` or ``"booleannet"``: by extension, else by content.

    Raises RuleSyntaxError for a graph format (CX2, cyjs, GraphML, SIF), which has no rules to read.
    """
    where = os.fspath(path)
    suffix = os.path.splitext(where)[1].lower()
    start = text.lstrip()[:2000]
    if suffix == ".xml" and "<graphml" in start:  # GraphML is often saved as .xml
        raise RuleSyntaxError(_GRAPH_ONLY.format(what="GraphML network"), where)
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if suffix in _GRAPH_SUFFIXES or start.startswith(("[", "{")):
        what = _GRAPH_SUFFIXES.get(suffix, "Cytoscape/NDEx network (JSON)")
        raise RuleSyntaxError(_GRAPH_ONLY.format(what=what), where)
    if start.startswith("<"):
        if "<sbml" in start:
            return "sbml"
        if "<graphml" in start:
            raise RuleSyntaxError(_GRAPH_ONLY.format(what="GraphML network"), where)
        raise RuleSyntaxError("XML but not SBML: igfnet reads .bnet, SBML-qual, BooleanNet and .rules models", where)
    if _looks_like_booleannet(text):
        return "booleannet"
    if _looks_like_bnet(text):
        return "bnet"
    return "rules"


def _looks_like_booleannet(text: str) -> bool:
    import re

    rule = re.compile(r"^(\d+\s*:\s*)?[A-Za-z0-9_]+\s*\*\s*=")
    return any(rule.match(line.strip()) for line in text.splitlines())


def _parse_rules_file(text: str, source: str) -> tuple[list[Rule], str | None]:
    from igfnet.rules import parse_rules

    return parse_rules(text, source), None


def _parse_bnet(text: str, source: str) -> tuple[list[Rule], str | None]:
    from igfnet.formats.bnet import parse_bnet

    return parse_bnet(text, source)


def _parse_sbml(text: str, source: str) -> tuple[list[Rule], str | None]:
    from igfnet.formats.sbml import parse_sbml

    return parse_sbml(text, source)


def _parse_booleannet(text: str, source: str) -> tuple[list[Rule], str | None]:
    from igfnet.formats.booleannet import parse_booleannet

    return parse_booleannet(text, source)


_PARSERS = {"rules": _parse_rules_file, "bnet": _parse_bnet, "sbml": _parse_sbml, "booleannet": _parse_booleannet}


def _looks_like_bnet(text: str) -> bool:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            return "," in line and "=" not in line
    return False


def _load_directory(directory: str | os.PathLike[str], max_size: int | None = MAX_SIZE) -> BooleanNetwork:
    from igfnet.model_cache import parse_cached
    from igfnet.rules import read_text

    directory = os.fspath(directory)
    files = sorted(os.path.join(directory, name) for name in os.listdir(directory) if name.endswith(".rules"))
    if not files:
        raise RuleSyntaxError("no *.rules files in this directory", directory)
    rules: list[Rule] = []
    for file in files:
        rules.extend(parse_cached(_parse_rules_file, read_text(file, max_size), file)[0])
    name = os.path.basename(os.path.normpath(directory))
    model = BooleanNetwork(rules, name=name, source=directory)
    model.directory = directory
    return model


def _deprecated_set(settings: Mapping[str, int] | None, deprecated: dict[str, Mapping[str, int]]) -> Mapping[str, int]:
    """``attractors(set=...)``, the old name of ``settings=``: accepted with a warning."""
    import warnings

    unknown = sorted(name for name in deprecated if name != "set")
    if unknown or settings is not None:
        raise TypeError(f"attractors() got unexpected keyword arguments: {', '.join(unknown) or 'set with settings'}")
    warnings.warn("attractors(set=...) is now attractors(settings=...)", DeprecationWarning, stacklevel=3)
    return deprecated["set"]
