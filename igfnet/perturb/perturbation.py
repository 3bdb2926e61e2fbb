"""The perturbation values: a Treatment (what is given), a Perturbation (everything fixed or cut), applied to a model.

A perturbation has two parts: the *context* (the tumour: input values and
mutations, the cell before treatment) and the *treatment* (knockouts,
overexpression, drugs, edge cuts). Where both fix the same node, the
treatment wins: a drug acts on the tumour it is given to.

A :class:`Treatment` is what compare, validate, predict, biomarkers and the
screen give a tumour cell: items (``NODE=0``, ``NODE=1``, a drug name)
applied together, read from text by :func:`parse_treatment` (and
:func:`parse_combination`, a screen's canonical order) and checked against
the model before any work starts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.errors import PerturbationError, UnknownInterventionError
from igfnet.logic import Expr, substitute
from igfnet.perturb.grammar import is_no_treatment, match_cut, read_item, treatment_items
from igfnet.rules import Rule
from igfnet.types import EMPTY, FrozenMap

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork
    from igfnet.perturb.interventions import Intervention

Cut = tuple[str, str]
_NAME_ITEM = r"[A-Za-z0-9_.-]+"


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
        What was applied, for reports ("drug figitumumab", "knockout AKT", ...).
    fixed_by : Mapping[str, tuple[str, ...]]
        Per fixed node, the labels of what fixed it (a context, a drug, a knockout).
    """

    context: Mapping[str, int] = EMPTY
    treatment: Mapping[str, int] = EMPTY
    cuts: Mapping[Cut, int] = EMPTY
    labels: tuple[str, ...] = ()
    fixed_by: Mapping[str, tuple[str, ...]] = EMPTY

    @property
    def fixed(self) -> dict[str, int]:
        """Every fixed node, the treatment written over the context."""
        return {**self.context, **self.treatment}

    @property
    def untreated(self) -> Perturbation:
        """The context alone: the tumour cell before treatment."""
        labels = tuple(label for label in self.labels if label.startswith("context"))
        fixed_by = {node: tuple(by for by in labels_of if by in labels) for node, labels_of in self.fixed_by.items()}
        return Perturbation(
            context=self.context, labels=labels, fixed_by=FrozenMap({node: by for node, by in fixed_by.items() if by})
        )

    @property
    def is_empty(self) -> bool:
        return not (self.context or self.treatment or self.cuts)


def build_perturbation(
    model: BooleanNetwork,
    *,
    knockout: Iterable[str] = (),
    overexpress: Iterable[str] = (),
    settings: Mapping[str, int] | None = None,
    drugs: Iterable[str] = (),
    context: str | None = None,
    cut: Iterable[str] = (),
    treatment: Treatment | None = None,
) -> Perturbation:
    """Check the options against the model and combine them into one Perturbation.

    ``treatment`` adds its drugs, knockouts and overexpressions to those given one by one.

    Raises
    ------
    UnknownNodeError
        A node, drug or context the model does not have.
    PerturbationError
        The same node both knocked out and overexpressed, or a bad cut.
    """
    knockout, overexpress, drugs, cut = _names(knockout), _names(overexpress), _names(drugs), _names(cut)
    if treatment is not None:
        drugs += treatment.drugs
        knockout += treatment.knockouts
        overexpress += treatment.overexpressed
    if settings is not None and not isinstance(settings, Mapping):
        raise PerturbationError(f"set={settings!r}: give a mapping of node to 0 or 1, e.g. {{'EGF': 1}}")
    settings = dict(settings or {})
    model.check_nodes([*knockout, *overexpress, *settings])
    for node, value in settings.items():
        if value not in (0, 1):
            raise PerturbationError(f"set[{node!r}] = {value!r}: the value must be the integer 0 or 1")
    labels: list[str] = []
    fixed_by: dict[str, list[str]] = {}

    def applied(label: str, nodes: Iterable[str]) -> None:
        labels.append(label)
        for node in nodes:
            fixed_by.setdefault(node, []).append(label)

    context_values: dict[str, int] = {}
    cut_specs: list[str] = list(cut)
    if context is not None and context != "default":
        named = _named(model.contexts, context, "context")
        context_values.update(named.fixed)
        cut_specs.extend(named.cuts)
        applied(f"context {context}", named.fixed)
    for node, value in settings.items():
        context_values[node] = value
        applied(f"set {node}={value}", [node])

    treated: dict[str, int] = {}
    conflicts = sorted(set(knockout) & set(overexpress))
    if conflicts:
        raise PerturbationError(f"{conflicts[0]} is both knocked out and overexpressed")
    for name in drugs:
        named = _named(model.drugs, name, "drug")
        for node, value in named.fixed.items():
            if treated.get(node, value) != value:
                raise PerturbationError(
                    f"drug {name!r} fixes {node}={value}, which another treatment fixes at {treated[node]}"
                )
            treated[node] = value
        cut_specs.extend(named.cuts)
        applied(f"drug {name}", named.fixed)
    for node in knockout:
        if treated.get(node, 0) != 0:
            raise PerturbationError(f"{node} is knocked out, but a drug activates it")
        treated[node] = 0
        applied(f"knockout {node}", [node])
    for node in overexpress:
        if treated.get(node, 1) != 1:
            raise PerturbationError(f"{node} is overexpressed, but a drug inhibits it")
        treated[node] = 1
        applied(f"overexpress {node}", [node])
    cuts = {}
    for spec in cut_specs:
        source, target, value = resolve_cut(model, spec)
        cuts[(source, target)] = value
        if spec in cut:
            labels.append(f"cut {source}:{target}")
    by = FrozenMap({node: tuple(labels_of) for node, labels_of in fixed_by.items()})
    return Perturbation(FrozenMap(context_values), FrozenMap(treated), FrozenMap(cuts), tuple(labels), by)


def _names(names: Iterable[str] | str) -> list[str]:
    """A list of names; one string is one name (``knockout="AKT"``), not its letters."""
    return [names] if isinstance(names, str) else list(names)


def _named(table: Mapping[str, Intervention], name: str, kind: str) -> Intervention:
    if name not in table:
        from igfnet.perturb.interventions import INTERVENTION_FILES

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
    cut = match_cut(spec)
    if cut is None:
        raise PerturbationError(f"expected a cut SOURCE:TARGET, got {spec!r}")
    source, target, value = cut
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


# -- treatments: what is given to a tumour cell -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """One part of a treatment: a knockout (``NODE=0``), an overexpression (``NODE=1``) or a drug.

    Attributes
    ----------
    text : str
        As written: "MTORC1=0", "erlotinib".
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
        nodes += [cut[1] for cut in map(match_cut, self.cuts) if cut is not None]
        return tuple(dict.fromkeys(nodes))


@dataclass(frozen=True, slots=True)
class Treatment:
    """Items given together: the one value for a treatment, a screen's base and its combinations.

    Written as its items joined by '+' (:attr:`name`); no item is no
    treatment. :func:`parse_treatment` keeps the order written,
    :func:`parse_combination` sorts the items (a screen's canonical name).
    """

    items: tuple[Item, ...] = ()

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

    @property
    def knockouts(self) -> list[str]:
        return [node for item in self.items if not item.is_drug for node, value in item.fixed if value == 0]

    @property
    def overexpressed(self) -> list[str]:
        return [node for item in self.items if not item.is_drug for node, value in item.fixed if value == 1]

    def parts(self) -> list[Treatment]:
        """Its proper, non-empty sub-combinations (for a pair: its two singles)."""
        return [
            Treatment(subset) for size in range(1, self.size) for subset in itertools.combinations(self.items, size)
        ]


def canonical_combination(items: Iterable[Item]) -> Treatment:
    """The items as a treatment in canonical order (sorted by their text), as a screen names it."""
    return Treatment(tuple(sorted(items, key=lambda item: item.text)))


def parse_item(model: BooleanNetwork, text: str, where: str = "") -> Item:
    """One item: ``NODE=0``, ``NODE=1`` or a drug name of the model; raise naming the item otherwise."""
    context = f" in {where}" if where else ""
    read = read_item(text, context)
    if isinstance(read, tuple):
        model.check_nodes([read[0]])
        return Item(text, (read,))
    if not re.fullmatch(_NAME_ITEM, text) or text not in model.drugs:
        hint = " (a node is perturbed as NODE=0 or NODE=1)" if text in model.rules else ""
        if not hint and model.drugs:
            from igfnet.model import close_matches

            close = close_matches(text, model.drugs)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        known = f" (known drugs: {', '.join(model.drugs)})" if model.drugs and not hint else ""
        raise UnknownInterventionError(f"unknown drug {text!r}{context}{hint}{known}")
    drug = model.drugs[text]
    return Item(text, tuple(drug.fixed.items()), tuple(drug.cuts))


def parse_items(model: BooleanNetwork, text: str, base: Treatment | None = None, where: str = "") -> list[Item]:
    """The items of ``A+B`` in the order written, each checked against the model; see :func:`parse_combination`."""
    label = f"combination {text!r}" + (f" ({where})" if where else "")
    if not text.strip():
        raise PerturbationError(f"empty combination{' (' + where + ')' if where else ''}")
    items: list[Item] = []
    for raw in treatment_items(text):
        item = parse_item(model, raw, where if raw == text.strip() else label)
        if any(known.text == item.text for known in items):
            raise PerturbationError(f"item {item.text!r} appears twice in {label}")
        items.append(item)
    conflict = conflicting_items(items, base)
    if conflict:
        raise PerturbationError(f"{label}: {conflict}")
    return items


def parse_combination(model: BooleanNetwork, text: str, base: Treatment | None = None, where: str = "") -> Treatment:
    """A combination written as items joined by '+', checked strictly against the model, in canonical order.

    Parameters
    ----------
    text : str
        "MTORC1=0+erlotinib".
    base : Treatment, optional
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


def conflicting_items(items: Sequence[Item], base: Treatment | None) -> str:
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


def parse_treatment(model: BooleanNetwork, text: str) -> Treatment:
    """A treatment as items joined by '+' (:func:`parse_combination`'s syntax, in the order written), or 'none'.

    Every item is checked against the model before any work starts, so a
    typo or a stray separator cannot silently drop a drug from a screen.

    Examples
    --------
    >>> from igfnet.formats import load_model
    >>> treatment = parse_treatment(load_model(), "figitumumab + MTORC1=0")
    >>> treatment.name, treatment.drugs, treatment.knockouts
    ('figitumumab+MTORC1=0', ['figitumumab'], ['MTORC1'])
    """
    if not text.strip():
        raise PerturbationError("empty treatment (write 'none' for no treatment)")
    if is_no_treatment(text):
        return Treatment()
    return Treatment(tuple(parse_items(model, text.strip(), where=f"treatment {text!r}")))
