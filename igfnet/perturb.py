"""Perturbations: knockouts, overexpression, edge cuts, named drugs and tumour contexts.

A perturbation has two parts: the *context* (the tumour: input values and
mutations, the cell before treatment) and the *treatment* (knockouts,
overexpression, drugs, edge cuts). Where both fix the same node, the
treatment wins: a drug acts on the tumour it is given to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.errors import PerturbationError
from igfnet.logic import Expr, substitute
from igfnet.rules import Rule
from igfnet.types import EMPTY, FrozenMap

if TYPE_CHECKING:
    from igfnet.interventions import Intervention
    from igfnet.model import BooleanNetwork

Cut = tuple[str, str]


# Patterns, compiled by re on first use: the main job parses no setting and no cut.
SETTING = r"^([A-Za-z0-9_]+)\s*=\s*([01])$"
"""``NODE=0|1``."""
CUT = r"^([A-Za-z0-9_]+)\s*(?::|->)\s*([A-Za-z0-9_]+)(?:\s*=\s*([01]))?$"
"""``SOURCE:TARGET`` or ``SOURCE->TARGET``, optionally ``=0|1``."""


@dataclass(frozen=True, slots=True)
class Perturbation:
    """Fixed node values and removed interactions, split into context and treatment.

    Attributes
    ----------
    context : Mapping[str, int]
        Values fixed by the tumour context (``--context``, ``--set``).
    treatment : Mapping[str, int]
        Values fixed by the treatment (``--knockout``, ``--overexpress``, ``--drug``).
    cuts : Mapping[tuple[str, str], int]
        Removed interactions (source, target), with the value the source is
        replaced by in the target's rule.
    labels : tuple of str
        What was applied, for reports.
    """

    context: Mapping[str, int] = EMPTY
    treatment: Mapping[str, int] = EMPTY
    cuts: Mapping[Cut, int] = EMPTY
    labels: tuple[str, ...] = ()

    @property
    def fixed(self) -> dict[str, int]:
        """Every fixed node, the treatment written over the context."""
        return {**self.context, **self.treatment}

    @property
    def untreated(self) -> Perturbation:
        """The context alone: the tumour cell before treatment."""
        return Perturbation(
            context=self.context, labels=tuple(label for label in self.labels if label.startswith("context"))
        )

    @property
    def is_empty(self) -> bool:
        return not (self.context or self.treatment or self.cuts)


def match_setting(text: str) -> tuple[str, int] | None:
    """``NODE=0`` or ``NODE=1`` (spaces around ``=`` allowed) -> (node, value); None for anything else.

    The one reading of the notation: options, combinations, drug, context,
    mapping and biomarker files all parse a setting here, and word their own errors.

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


def build_perturbation(
    model: BooleanNetwork,
    *,
    knockout: Iterable[str] = (),
    overexpress: Iterable[str] = (),
    settings: Mapping[str, int] | None = None,
    drugs: Iterable[str] = (),
    context: str | None = None,
    cut: Iterable[str] = (),
) -> Perturbation:
    """Check the options against the model and combine them into one Perturbation.

    Raises
    ------
    UnknownNodeError
        A node, drug or context the model does not have.
    PerturbationError
        The same node both knocked out and overexpressed, or a bad cut.
    """
    knockout, overexpress, drugs, cut = _names(knockout), _names(overexpress), _names(drugs), _names(cut)
    if settings is not None and not isinstance(settings, Mapping):
        raise PerturbationError(f"set={settings!r}: give a mapping of node to 0 or 1, e.g. {{'EGF': 1}}")
    settings = dict(settings or {})
    model.check_nodes([*knockout, *overexpress, *settings])
    for node, value in settings.items():
        if value not in (0, 1):
            raise PerturbationError(f"set[{node!r}] = {value!r}: the value must be the integer 0 or 1")
    labels: list[str] = []
    context_values: dict[str, int] = {}
    cut_specs: list[str] = list(cut)
    if context is not None and context != "default":
        named = _named(model.contexts, context, "context")
        context_values.update(named.fixed)
        cut_specs.extend(named.cuts)
        labels.append(f"context {context}")
    for node, value in settings.items():
        context_values[node] = value
        labels.append(f"set {node}={value}")

    treatment: dict[str, int] = {}
    conflicts = sorted(set(knockout) & set(overexpress))
    if conflicts:
        raise PerturbationError(f"{conflicts[0]} is both knocked out and overexpressed")
    for name in drugs:
        named = _named(model.drugs, name, "drug")
        for node, value in named.fixed.items():
            if treatment.get(node, value) != value:
                raise PerturbationError(
                    f"drug {name!r} fixes {node}={value}, which another treatment fixes at {treatment[node]}"
                )
            treatment[node] = value
        cut_specs.extend(named.cuts)
        labels.append(f"drug {name}")
    for node in knockout:
        if treatment.get(node, 0) != 0:
            raise PerturbationError(f"{node} is knocked out, but a drug activates it")
        treatment[node] = 0
        labels.append(f"knockout {node}")
    for node in overexpress:
        if treatment.get(node, 1) != 1:
            raise PerturbationError(f"{node} is overexpressed, but a drug inhibits it")
        treatment[node] = 1
        labels.append(f"overexpress {node}")
    cuts = {}
    for spec in cut_specs:
        source, target, value = resolve_cut(model, spec)
        cuts[(source, target)] = value
        if spec in cut:
            labels.append(f"cut {source}:{target}")
    return Perturbation(FrozenMap(context_values), FrozenMap(treatment), FrozenMap(cuts), tuple(labels))


def _names(names: Iterable[str] | str) -> list[str]:
    """A list of names; one string is one name (``knockout="AKT"``), not its letters."""
    return [names] if isinstance(names, str) else list(names)


def _named(table: Mapping[str, Intervention], name: str, kind: str) -> Intervention:
    if name not in table:
        from igfnet.errors import UnknownInterventionError
        from igfnet.interventions import INTERVENTION_FILES

        if not table:
            raise UnknownInterventionError(
                f"unknown {kind} {name!r} (none: the model has no {INTERVENTION_FILES[kind]})"
            )
        from igfnet.model import close_matches

        close = close_matches(name, table)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise UnknownInterventionError(f"unknown {kind} {name!r} ({hint}known: {', '.join(sorted(table))})")
    return table[name]


def resolve_cut(model: BooleanNetwork, spec: str) -> tuple[str, str, int]:
    """``SOURCE:TARGET[=0|1]`` -> (source, target, value the source is replaced by in the target's rule).

    A cut interaction is lost: the target no longer senses the source, so the
    source reads as absent (0), whether it activated or inhibited the target.
    ``=1`` asks for the other reading (the target senses the source as always present).
    """
    match = re.match(CUT, spec.strip())
    if match is None:
        raise PerturbationError(f"expected a cut SOURCE:TARGET, got {spec!r}")
    source, target, value = match.groups()
    model.check_nodes([source, target])
    if not model.graph.has_edge(source, target):
        raise PerturbationError(f"cannot cut {source}:{target}: {source} does not regulate {target}")
    return source, target, int(value or 0)


def apply_perturbation(
    model: BooleanNetwork, perturbation: Perturbation, *, free_inputs: bool = True
) -> BooleanNetwork:
    """The network with fixed nodes made constant and cut interactions removed.

    With ``free_inputs=False``, inputs the perturbation leaves alone take their
    default-context values.
    """

    fixed = perturbation.fixed
    if not free_inputs:
        fixed = {**model.default_context, **fixed}
    cuts_by_target: dict[str, dict[str, bool]] = {}
    for (source, target), value in perturbation.cuts.items():
        cuts_by_target.setdefault(target, {})[source] = bool(value)
    rules = []
    for node, rule in model.rules.items():
        if node in fixed:
            expression: Expr = bool(fixed[node])
            rules.append(Rule(node, expression, False, None, rule.annotations, rule.source, str(fixed[node])))
        elif node in cuts_by_target:
            from igfnet.logic import to_text

            expression = substitute(rule.expression, cuts_by_target[node])
            rules.append(Rule(node, expression, False, None, rule.annotations, rule.source, to_text(expression)))
        else:
            rules.append(rule)
    return model.with_rules(rules)


def parse_treatment(model: BooleanNetwork, text: str) -> dict[str, list[str]]:
    """A treatment in the strict combination syntax (:func:`igfnet.combinations.parse_combination`), or 'none'.

    Every item is checked against the model before any work starts, so a
    typo or a stray separator cannot silently drop a drug from a screen.

    Examples
    --------
    >>> from igfnet.formats import load_model
    >>> parse_treatment(load_model(), "figitumumab + MTORC1=0")
    {'drugs': ['figitumumab'], 'knockout': ['MTORC1'], 'overexpress': []}
    """
    parts: dict[str, list[str]] = {"drugs": [], "knockout": [], "overexpress": []}
    stripped = text.strip()
    if not stripped:
        raise PerturbationError("empty treatment (write 'none' for no treatment)")
    if stripped.lower() in ("none", "untreated"):
        return parts
    from igfnet.combinations import parse_items

    for item in parse_items(model, stripped, where=f"treatment {text!r}"):
        if item.is_drug:
            parts["drugs"].append(item.text)
        else:
            ((node, value),) = item.fixed
            parts["knockout" if value == 0 else "overexpress"].append(node)
    return parts
