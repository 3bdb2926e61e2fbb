"""BooleanNetwork: the nodes, their rules, the inputs with their default context, and the signed graph.

The model is an immutable value: its rules, name, source, drugs and contexts
are given to the constructor (reading files is :mod:`igfnet.formats`' job),
and a changed model is a new one (:meth:`BooleanNetwork.with_rules`). The
dynamics and perturbations are one-line calls into :mod:`igfnet.dynamics` and
:mod:`igfnet.perturb`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from igfnet.errors import InputFileError, RuleSyntaxError, UnknownNodeError
from igfnet.logic import Expr, variables
from igfnet.rules import Rule
from igfnet.types import EMPTY, FrozenMap

if TYPE_CHECKING:
    from pathlib import Path

    import networkx

    from igfnet.perturb import Intervention, Perturbation, Treatment
    from igfnet.types import Attractors, Space


class BooleanNetwork:
    """A Boolean network: one rule per node, in a stable order, with its named drugs and contexts.

    Parameters
    ----------
    rules : iterable of Rule
        One rule per node. A node defined twice, or a regulator without a
        rule, is an error.
    name : str
        A name for reports.
    source : str
        Where the model was read from, for messages.
    drugs, contexts : mapping of name to Intervention
        Its named drugs and tumour contexts (``drugs.txt``, ``contexts.txt``);
        every node they name must be a node of the model.
    directory : str or path, optional
        The directory the model was read from, where its ``claims.csv`` lives.

    Examples
    --------
    >>> from igfnet.rules import parse_rules
    >>> toggle = BooleanNetwork(parse_rules("A = not B\\nB = not A\\n"), name="toggle")
    >>> [str(attractor) for attractor in toggle.attractors()]
    ['01', '10']
    """

    def __init__(
        self,
        rules: Iterable[Rule],
        name: str = "model",
        source: str = "<model>",
        *,
        drugs: Mapping[str, Intervention] = EMPTY,
        contexts: Mapping[str, Intervention] = EMPTY,
        directory: str | os.PathLike[str] | None = None,
    ):
        by_node: dict[str, Rule] = {}
        for rule in rules:
            if rule.target in by_node:
                first = by_node[rule.target].source
                raise RuleSyntaxError(
                    f"node {rule.target!r} is defined twice (first at {first})", *_split_source(rule.source)
                )
            by_node[rule.target] = rule
        for rule in by_node.values():
            for regulator in sorted(variables(rule.expression)):
                if regulator not in by_node:
                    raise RuleSyntaxError(
                        f"{regulator!r} (in the rule of {rule.target!r}) has no rule; "
                        f"declare it as an input with '{regulator} = input' (or '{regulator}, {regulator}' in .bnet)",
                        *_split_source(rule.source),
                    )
        for intervention in (*drugs.values(), *contexts.values()):
            for node in intervention.nodes:
                if node not in by_node:
                    raise InputFileError(
                        f"{intervention.kind} {intervention.name!r} names {node!r}, which is not a node of the model",
                        *_split_source(intervention.source),
                    )
        self._rules: Mapping[str, Rule] = FrozenMap(by_node)
        self._name = name
        self._source = source
        self._drugs: Mapping[str, Intervention] = FrozenMap(drugs)
        self._contexts: Mapping[str, Intervention] = FrozenMap(contexts)
        # Kept as text: pathlib is not needed to answer the main job, and it costs start-up time.
        self._directory = None if directory is None else os.fspath(directory)

    @property
    def rules(self) -> Mapping[str, Rule]:
        """Each node's rule, in model order (read-only: :meth:`with_rules` makes a changed model)."""
        return self._rules

    @property
    def name(self) -> str:
        return self._name

    @property
    def source(self) -> str:
        return self._source

    @property
    def drugs(self) -> Mapping[str, Intervention]:
        """The model's named drugs (``drugs.txt``), by name."""
        return self._drugs

    @property
    def contexts(self) -> Mapping[str, Intervention]:
        """The model's named tumour contexts (``contexts.txt``), by name."""
        return self._contexts

    @property
    def directory(self) -> Path | None:
        """Where the model's files (drugs.txt, contexts.txt, claims.csv) live, if anywhere."""
        from pathlib import Path

        return None if self._directory is None else Path(self._directory)

    def with_rules(self, rules: Iterable[Rule]) -> BooleanNetwork:
        """The same model (name, source, drugs and contexts) with other rules: a perturbed or edited copy."""
        return BooleanNetwork(
            rules,
            name=self._name,
            source=self._source,
            drugs=self._drugs,
            contexts=self._contexts,
            directory=self._directory,
        )

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
        treatment: Treatment | None = None,
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
        treatment : Treatment, optional
            Drugs, knockouts and overexpressions given together
            (:func:`igfnet.perturb.parse_treatment` reads one from 'A+B' text).

        Returns
        -------
        Attractors
            Every attractor, with its exact number of states and its pattern.
        """
        from igfnet.dynamics.attractors import attractors_of_model

        if deprecated:
            settings = _deprecated_set(settings, deprecated)
        perturbation = self.perturbation(
            knockout=knockout,
            overexpress=overexpress,
            settings=settings or {},
            drugs=drugs,
            context=context,
            cut=cut,
            treatment=treatment,
        )
        return attractors_of_model(self, perturbation, free_inputs=free_inputs, initial=initial)

    def perturbation(self, **options: Any) -> Perturbation:
        """Build and check a Perturbation from CLI-like options (see :meth:`attractors`)."""
        from igfnet.perturb import build_perturbation

        return build_perturbation(self, **options)

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


def _deprecated_set(settings: Mapping[str, int] | None, deprecated: dict[str, Mapping[str, int]]) -> Mapping[str, int]:
    """``attractors(set=...)``, the old name of ``settings=``: accepted with a warning."""
    import warnings

    unknown = sorted(name for name in deprecated if name != "set")
    if unknown or settings is not None:
        raise TypeError(f"attractors() got unexpected keyword arguments: {', '.join(unknown) or 'set with settings'}")
    warnings.warn("attractors(set=...) is now attractors(settings=...)", DeprecationWarning, stacklevel=3)
    return deprecated["set"]
