"""What a screen asks: the base treatment, the combinations, the contexts, the question each row answers."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from igfnet.analysis.outcome import READOUTS
from igfnet.errors import IgfnetError, InputFileError, PerturbationError
from igfnet.perturb import (
    Item,
    Treatment,
    canonical_combination,
    conflicting_items,
    parse_combination,
    parse_item,
)

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork


SCORES = ("share", "probability")
"""How a row is scored: the share of reachable attractors that respond, or the probability of response."""


# -- what is screened ---------------------------------------------------------------


def parse_base(model: BooleanNetwork, text: str) -> Treatment:
    """The base treatment ('IGF1R=0', 'figitumumab', 'none'), with the strict combination syntax."""
    if text.strip().lower() == "none":
        return Treatment(())
    return parse_combination(model, text, where="the base treatment")


def read_combinations(model: BooleanNetwork, path: str | Path, base: Treatment | None = None) -> list[Treatment]:
    """Combinations from a file, one per line ('#' starts a comment); errors name the file and line."""
    from igfnet.rules import read_text

    combinations = []
    for number, line in enumerate(read_text(Path(path)).splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            combinations.append(parse_combination(model, text, base))
        except IgfnetError as error:
            raise InputFileError(str(error), str(path), number) from None
    return combinations


def perturbation_universe(
    model: BooleanNetwork,
    base: Treatment | None = None,
    *,
    knockouts_only: bool = False,
    candidates: Sequence[str] | None = None,
    response_node: str | None = None,
) -> list[Item]:
    """The single perturbations a screen adds to the base treatment.

    By default: the knockout and the overexpression of every non-input node
    that the base leaves free, then every drug that does not contradict the
    base. Phenotype nodes (``kind: phenotype``) and the ``response_node``
    are outcomes, not targets: knocking out Proliferation to stop
    proliferation says nothing, so they are left out (``candidates`` can
    name them). ``knockouts_only`` keeps the knockouts; ``candidates``
    (items as in a combination) replaces the whole list.

    Examples
    --------
    >>> from igfnet.formats import load_model
    >>> model = load_model()
    >>> items = perturbation_universe(model, parse_base(model, "IGF1R=0"), response_node="Proliferation")
    >>> len(items), items[0].text, items[-1].text
    (95, 'IRS1=0', 'letrozole')
    """
    base_fixed = base.fixed if base is not None else {}
    if candidates is not None:
        if knockouts_only:
            raise PerturbationError("give either --candidates or --knockouts-only, not both")
        items: list[Item] = []
        for text in candidates:
            item = parse_item(model, text.strip(), "--candidates")
            if any(known.text == item.text for known in items):
                raise PerturbationError(f"candidate {item.text!r} is listed twice")
            conflict = conflicting_items([item], base)
            if conflict:
                raise PerturbationError(f"candidate {conflict}")
            items.append(item)
        return items
    free = [
        node
        for node, rule in model.rules.items()
        if not rule.is_input
        and node not in base_fixed
        and node != response_node
        and rule.annotation("kind") != "phenotype"
    ]
    items = [Item(f"{node}=0", ((node, 0),)) for node in free]
    if knockouts_only:
        return items
    items += [Item(f"{node}=1", ((node, 1),)) for node in free]
    for name, drug in model.drugs.items():
        item = Item(name, tuple(drug.fixed.items()), tuple(drug.cuts))
        if not conflicting_items([item], base):
            items.append(item)
    return items


def combinations_of(items: Sequence[Item], size: int = 2, base: Treatment | None = None) -> list[Treatment]:
    """Every combination of up to ``size`` items: singles first, then pairs, then triples.

    Left out: combinations that fix a node at both 0 and 1, and combinations
    that add nothing to one of their parts (erlotinib + EGFR=0 is erlotinib;
    two anti-IGF-1R antibodies are one): their rows would repeat that part's.
    """
    if size not in (1, 2, 3):
        raise PerturbationError(f"combination size {size}: choose 1, 2 or 3")
    base_fixed = base.fixed if base is not None else {}

    def effect(items: Iterable[Item]) -> frozenset[tuple[str, int]]:
        fixed = {node: value for item in items for node, value in item.fixed if base_fixed.get(node) != value}
        return frozenset(fixed.items())

    combinations = [canonical_combination([item]) for item in items]
    for count in range(2, size + 1):
        for group in itertools.combinations(items, count):
            if conflicting_items(group, None):
                continue
            if not any(item.cuts for item in group):
                whole = effect(group)
                if any(effect(part) == whole for part in itertools.combinations(group, count - 1)):
                    continue
            combinations.append(canonical_combination(group))
    return combinations


def close_under_parts(combinations: Sequence[Treatment]) -> list[Treatment]:
    """The combinations with every part they lack (the singles of a pair), parts first; duplicates are an error."""
    seen: dict[str, Treatment] = {}
    for combination in combinations:
        if combination.name in seen:
            raise PerturbationError(f"combination {combination.name!r} is listed twice")
        seen[combination.name] = combination
    closed: dict[str, Treatment] = {}
    for combination in sorted(seen.values(), key=lambda c: c.size):
        for part in combination.parts():
            closed.setdefault(part.name, part)
    for combination in seen.values():
        closed.setdefault(combination.name, combination)
    return sorted(closed.values(), key=lambda c: c.size)


@dataclass(frozen=True, slots=True)
class ScreenPlan:
    """What a screen computes: every context under the base treatment plus every combination."""

    base: Treatment
    contexts: tuple[str, ...]
    combinations: tuple[Treatment, ...]
    readouts: tuple[str, ...] = READOUTS
    response: tuple[str, str] = ("Proliferation", "0")
    model: str = ""
    """A fingerprint of the model's rules, drugs and contexts (see :func:`model_fingerprint`)."""
    score: str = "share"
    """'share' or 'probability' (see :data:`SCORES`)."""

    @property
    def size(self) -> int:
        return len(self.contexts) * len(self.combinations)

    def keys(self) -> Iterator[tuple[str, str]]:
        """(context, combination) in canonical order: by context, then by combination."""
        for context in self.contexts:
            for combination in self.combinations:
                yield context, combination.name

    @property
    def question(self) -> Question:
        return Question(self.base, self.readouts, self.response, self.score)

    def signature(self) -> str:
        """What makes two runs' rows interchangeable (checked on --resume): the question and the model."""
        return f"{self.question.signature()} model={self.model}"


def model_fingerprint(model: BooleanNetwork) -> str:
    """A short hash of the rules, drugs and contexts: rows computed on an edited model are not resumed."""
    import hashlib

    parts = [model.to_bnet()]
    # .bnet leaves inputs free: the default context (edited, or set by 'screen --set') is part of the model too.
    parts.append(f"defaults:{sorted(model.default_context.items())}")
    for table in (model.drugs, model.contexts):
        for name, item in table.items():
            parts.append(f"{name}:{sorted(item.fixed.items())}:{sorted(item.cuts)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Question:
    """What each row answers, apart from its context and combination: small enough to send with every task."""

    base: Treatment
    readouts: tuple[str, ...]
    response: tuple[str, str]
    score: str = "share"

    def signature(self) -> str:
        node, value = self.response
        text = f"base={self.base.name or 'none'} response={node}={value} readouts={','.join(self.readouts)}"
        # Said only when not the default, so that journals of share screens written before stay resumable.
        return text if self.score == "share" else f"{text} score={self.score}"


def plan_screen(
    model: BooleanNetwork,
    *,
    base: str | None = None,
    contexts: Sequence[str] | None = None,
    combinations: Sequence[str] | None = None,
    size: int = 2,
    knockouts_only: bool = False,
    candidates: Sequence[str] | None = None,
    readouts: Sequence[str] = READOUTS,
    response: tuple[str, str] = ("Proliferation", "0"),
    score: str = "share",
) -> ScreenPlan:
    """Check every name and build the plan, before any work starts.

    Parameters
    ----------
    base : str
        The base treatment, as a combination ("IGF1R=0", "figitumumab", "none"); None: the base of
        ``rules/screen.txt`` (IGF1R=0, IGF-1R blockade) where the model has the nodes it needs, else none.
    contexts : sequence of str, optional
        Context names ("default" for the default context); by default all.
    combinations : sequence of str, optional
        An explicit list (each closed under its parts, so synergy is
        defined); by default every combination of up to ``size`` items of
        the universe (see :func:`perturbation_universe`).
    readouts : sequence of str
        Nodes reported in each row (those the model lacks are skipped).
    response : (node, value)
        The criterion of a responding attractor.
    score : str
        "share" (of the reachable attractors that respond) or "probability"
        (of ending in a responding attractor; see :meth:`ResponseSolver.probability`).
    """
    from igfnet.analysis.compare import default_contexts

    if score not in SCORES:
        raise IgfnetError(f"score {score!r}: choose one of {', '.join(SCORES)}")

    if base is None:
        from igfnet.analysis.review import review_defaults

        base = review_defaults().default_base(model)
    base_combination = parse_base(model, base)
    if base_combination.has_cuts:
        raise PerturbationError(f"base treatment {base!r} cuts interactions; give it as NODE=0|1 items")
    contexts = list(contexts or default_contexts(model))
    for context in contexts:
        model.perturbation(context=context)
    if len(set(contexts)) != len(contexts):
        raise PerturbationError("a context is listed twice")
    node, value = response
    model.check_nodes([node], what="response node")
    if combinations is not None:
        if knockouts_only or candidates is not None:
            raise PerturbationError("give either explicit combinations or --knockouts-only/--candidates, not both")
        parsed = [parse_combination(model, text, base_combination) for text in combinations]
        chosen = close_under_parts(parsed)
    else:
        items = perturbation_universe(
            model, base_combination, knockouts_only=knockouts_only, candidates=candidates, response_node=node
        )
        chosen = combinations_of(items, size, base_combination)
    return ScreenPlan(
        base_combination,
        tuple(contexts),
        tuple(chosen),
        tuple(readout for readout in readouts if readout in model.rules),
        (node, str(value)),
        model_fingerprint(model),
        score,
    )
