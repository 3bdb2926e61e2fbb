"""Combination screens: which added perturbation turns a resistant tumour context into a responding one.

Every combination (a knockout, an overexpression or a drug, alone, in pairs,
or in triples) is added to a base treatment (by default IGF-1R blockade,
``IGF1R=0``) and applied, in every tumour context, to a cell sitting in the
context's untreated attractors, as in ``igfnet compare``. A *hit* turns a
context in which the base alone does not respond into one that responds; a
hit is *synergistic* when no part of the combination (neither single, on top
of the base) responds there. Each hit comes with its mechanism: the readouts
that change against the base alone and, for each, a shortest signed path in
the regulatory graph from a perturbed node.

>>> from igfnet.model import load_model
>>> model = load_model()
>>> plan = plan_screen(model, contexts=["pten_loss"], combinations=["PI3K=0", "AKT=0"])
>>> [(row.combination, row.verdict, row.base_verdict) for row in run_screen(model, plan, jobs=1).rows]
[('PI3K=0', 'resists', 'resists'), ('AKT=0', 'responds', 'resists')]

Combination syntax (strict, checked before any work starts): items joined
by ``+``; an item is ``NODE=0`` (knockout), ``NODE=1`` (overexpression) or a
drug name of the model. Spaces around ``+`` are allowed; any other separator
(``,`` ``;`` a space inside an item), an empty item, an unknown node or drug,
a repeated item or a node fixed at both 0 and 1 is an error naming the item.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from igfnet.analysis import outcome
from igfnet.analysis.outcome import READOUTS, VERDICTS
from igfnet.combinations import (
    Combination,
    Item,
    canonical_combination,
    conflicting_items,
    parse_combination,
    parse_item,
)
from igfnet.errors import IgfnetError, PerturbationError, RuleSyntaxError, excerpt
from igfnet.logic import Expr

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    import networkx
    import pandas
    from distributed import Client

    from igfnet.analysis.response import Response
    from igfnet.dynamics.reachability import Percolation
    from igfnet.model import BooleanNetwork

DEFAULT_BASE = "IGF1R=0"
"""IGF-1R blockade as the knockout of the receptor, as in ``igfnet attractors --knockout IGF1R``.

An antibody (``--base figitumumab``) also blocks the IGF-1R/IR hybrid
receptor; the knockout is the plainest reading of "IGF-1R blockade".
"""

SCORES = ("share", "probability")
"""How a row is scored: the share of reachable attractors that respond, or the probability of response."""
JOURNAL_SUFFIX = ".partial.csv"


# -- what is screened ---------------------------------------------------------------


def parse_base(model: BooleanNetwork, text: str) -> Combination:
    """The base treatment ('IGF1R=0', 'figitumumab', 'none'), with the strict combination syntax."""
    if text.strip().lower() == "none":
        return Combination(())
    return parse_combination(model, text, where="the base treatment")


def read_combinations(model: BooleanNetwork, path: str | Path, base: Combination | None = None) -> list[Combination]:
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
            raise RuleSyntaxError(str(error), str(path), number) from None
    return combinations


def perturbation_universe(
    model: BooleanNetwork,
    base: Combination | None = None,
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
    >>> from igfnet.model import load_model
    >>> model = load_model()
    >>> items = perturbation_universe(model, parse_base(model, "IGF1R=0"), response_node="Proliferation")
    >>> len(items), items[0].text, items[-1].text
    (91, 'IRS1=0', 'letrozole')
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


def combinations_of(items: Sequence[Item], size: int = 2, base: Combination | None = None) -> list[Combination]:
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


def close_under_parts(combinations: Sequence[Combination]) -> list[Combination]:
    """The combinations with every part they lack (the singles of a pair), parts first; duplicates are an error."""
    seen: dict[str, Combination] = {}
    for combination in combinations:
        if combination.name in seen:
            raise PerturbationError(f"combination {combination.name!r} is listed twice")
        seen[combination.name] = combination
    closed: dict[str, Combination] = {}
    for combination in sorted(seen.values(), key=lambda c: c.size):
        for part in combination.parts():
            closed.setdefault(part.name, part)
    for combination in seen.values():
        closed.setdefault(combination.name, combination)
    return sorted(closed.values(), key=lambda c: c.size)


@dataclass(frozen=True)
class ScreenPlan:
    """What a screen computes: every context under the base treatment plus every combination."""

    base: Combination
    contexts: tuple[str, ...]
    combinations: tuple[Combination, ...]
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
    for table in (model.drugs, model.contexts):
        for name, item in table.items():
            parts.append(f"{name}:{sorted(item.fixed.items())}:{sorted(item.cuts)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Question:
    """What each row answers, apart from its context and combination: small enough to send with every task."""

    base: Combination
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
    base: str = DEFAULT_BASE,
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
        The base treatment, as a combination ("IGF1R=0", "figitumumab", "none").
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


# -- one row ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenRow:
    """One context under the base treatment plus one combination.

    Attributes
    ----------
    verdict : str
        "responds" (every attractor reached from the untreated cell meets the
        response), "resists" (none does) or "mixed".
    responding, reached : int
        How many of the reached attractors respond, of how many.
    base_verdict : str
        The verdict of the base treatment alone in this context.
    readouts : tuple of (node, value)
        Each readout over the reached attractors: '0'/'1', or '*' if it varies.
    changed : str
        Readouts that differ from the base alone, "Proliferation:1>0;AKT:1>0".
    mechanism : str
        For each changed readout, a shortest signed path from a perturbed node.
    synergy : bool or None
        Set when the whole screen is known: a hit where no part of the
        combination responds on its own (None before).
    probability : float or None
        The probability of response, when the screen scores by it (None when by share).
    method : str
        How ``probability`` was obtained: "exact" or "monte-carlo" ("" when by share).
    hsa, bliss : float or None
        Set when the whole screen is known, for combinations of two or more
        items whose singles were screened: the score minus the best single's
        (highest single agent excess) and minus the Bliss independence
        expectation ``1 - prod(1 - single)`` (Bliss excess).
    """

    context: str
    combination: str
    size: int
    verdict: str
    responding: int
    reached: int
    base_verdict: str
    readouts: tuple[tuple[str, str], ...]
    changed: str
    mechanism: str
    synergy: bool | None = field(default=None, compare=True)
    probability: float | None = None
    method: str = ""
    hsa: float | None = None
    bliss: float | None = None

    @property
    def share(self) -> float:
        return self.responding / self.reached if self.reached else 0.0

    @property
    def score(self) -> float:
        """The probability of response when computed, else the share."""
        return self.share if self.probability is None else self.probability

    @property
    def hit(self) -> bool:
        """The base alone does not respond here, the base plus the combination does."""
        return self.base_verdict != "responds" and self.verdict == "responds"

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.combination

    def record(self) -> dict[str, str]:
        """The row as CSV fields (strings); :meth:`from_record` reads it back."""
        return {
            "context": self.context,
            "combination": self.combination,
            "size": str(self.size),
            "verdict": self.verdict,
            "responding_share": f"{self.share:.4f}",
            "responding": str(self.responding),
            "reached": str(self.reached),
            "base_verdict": self.base_verdict,
            "hit": str(self.hit).lower(),
            "synergy": "" if self.synergy is None else str(self.synergy).lower(),
            # repr: the journal gives back the very float, so a resumed screen equals an uninterrupted one.
            "score": repr(self.score),
            "score_method": self.method or "share",
            "hsa_excess": "" if self.hsa is None else f"{self.hsa:.6f}",
            "bliss_excess": "" if self.bliss is None else f"{self.bliss:.6f}",
            **dict(self.readouts),
            "changed": self.changed,
            "mechanism": self.mechanism,
        }

    @classmethod
    def from_record(cls, record: dict[str, str], readouts: Sequence[str]) -> ScreenRow:
        return cls(
            record["context"],
            record["combination"],
            int(record["size"]),
            record["verdict"],
            int(record["responding"]),
            int(record["reached"]),
            record["base_verdict"],
            tuple((readout, record[readout]) for readout in readouts),
            record["changed"],
            record["mechanism"],
            None if record.get("synergy", "") == "" else record["synergy"] == "true",
            None if record.get("score_method", "share") == "share" else float(record["score"]),
            "" if record.get("score_method", "share") == "share" else record["score_method"],
        )


def columns(readouts: Sequence[str]) -> list[str]:
    return [
        "context",
        "combination",
        "size",
        "verdict",
        "responding_share",
        "responding",
        "reached",
        "base_verdict",
        "hit",
        "synergy",
        "score",
        "score_method",
        "hsa_excess",
        "bliss_excess",
        *readouts,
        "changed",
        "mechanism",
    ]


# -- mechanism: shortest signed paths ----------------------------------------------------

_ARROWS = {"activation": "->", "inhibition": "-|", "dual": "-?"}


def signed_path(
    graph: networkx.DiGraph, sources: Sequence[str], target: str, avoid: Iterable[str] = ()
) -> tuple[list[str], str] | None:
    """A shortest path from any of ``sources`` to ``target`` in the signed regulatory graph, and its sign.

    The sign is the product of the edge signs ("activation" +, "inhibition"
    -), "dual" if any edge is dual. Paths do not pass through ``avoid``
    (nodes the treatment holds constant relay nothing). Breadth-first, with
    neighbours in graph order, so the answer is deterministic.

    Examples
    --------
    >>> import networkx
    >>> graph = networkx.DiGraph()
    >>> graph.add_edge("A", "B", sign="inhibition"); graph.add_edge("B", "C", sign="inhibition")
    >>> signed_path(graph, ["A"], "C")
    (['A', 'B', 'C'], 'activation')
    """
    blocked = set(avoid) - set(sources)
    previous: dict[str, str | None] = {}
    frontier = [source for source in sources if source in graph]
    for source in frontier:
        previous.setdefault(source, None)
    while frontier and target not in previous:
        following = []
        for node in frontier:
            for successor in graph.successors(node):
                if successor not in previous and successor not in blocked:
                    previous[successor] = node
                    following.append(successor)
        frontier = following
    if target not in previous:
        return None
    path = [target]
    while previous[path[-1]] is not None:
        path.append(previous[path[-1]])  # type: ignore[arg-type]
    path.reverse()
    sign = "activation"
    for source, successor in zip(path, path[1:]):
        edge = graph.edges[source, successor]["sign"]
        if edge == "dual" or sign == "dual":
            sign = "dual"
        elif edge == "inhibition":
            sign = "inhibition" if sign == "activation" else "activation"
    return path, sign


def describe_path(graph: networkx.DiGraph, path: list[str], sign: str) -> str:
    """'MTORC1 -> S6K -| IRS1 (-)'."""
    text = path[0]
    for source, target in zip(path, path[1:]):
        text += f" {_ARROWS[graph.edges[source, target]['sign']]} {target}"
    return f"{text} ({ {'activation': '+', 'inhibition': '-', 'dual': '±'}[sign] })"


def mechanism(
    graph: networkx.DiGraph,
    sources: Sequence[Sequence[str]],
    base_readouts: dict[str, str],
    readouts: dict[str, str],
    held: Iterable[str] = (),
) -> tuple[str, str]:
    """What changed against the base alone, and through which nodes.

    Parameters
    ----------
    sources : sequence of sequences of str
        Per item of the combination, the nodes it perturbs.
    held : iterable of str
        Nodes the treatment holds constant: paths do not pass through them.

    Returns
    -------
    changed : str
        "Proliferation:1>0;AKT:1>0".
    mechanism : str
        For each changed readout, a shortest signed path from each item that
        reaches it, shortest first and joined by '&' (in a synergy both
        members act): "Proliferation 1>0: AKT -| CDKN1B -| Proliferation (+)
        & ERK -> Proliferation (+); ...".
    """
    changed, paths = [], []
    for readout, value in readouts.items():
        before = base_readouts[readout]
        if value == before:
            continue
        changed.append(f"{readout}:{before}>{value}")
        if any(readout in group for group in sources):
            paths.append(f"{readout} {before}>{value}: {readout} fixed by the combination")
            continue
        routes = []
        for group in sources:
            found = signed_path(graph, group, readout, avoid=held)
            if found is not None:
                routes.append((len(found[0]), describe_path(graph, *found)))
        text = " & ".join(dict.fromkeys(route for _, route in sorted(routes, key=lambda r: r[0])))
        paths.append(f"{readout} {before}>{value}: {text or 'no path from a perturbed node'}")
    return ";".join(changed), "; ".join(paths)


# -- the solver: shared work across the combinations of one context ---------------------


@dataclass
class _Prepared:
    """One context under the base treatment, solved once and reused by every combination."""

    functions: dict[str, Expr]  # the context's update functions (without the base)
    percolated: Percolation  # under the base alone, from the untreated cell
    base: Response
    base_readouts: dict[str, str]
    base_verdict: str
    # Under the base plus one item, for the combinations that undo a value the base percolated.
    with_item: dict[str, Percolation] = field(default_factory=dict)


class ScreenSolver:
    """Answers a screen's questions on one model, sharing work across them.

    Per context, the untreated attractors and the percolation of the base
    treatment are computed once; a combination then only propagates its own
    fixed values from there (percolation reaches the same fixed point in any
    order; see :class:`~igfnet.dynamics.reachability.Reachability`). A
    combination that undoes a value the base percolated (knocks out a node
    the base leaves on) continues from the percolation of the base plus one
    of its items instead, also computed once.
    """

    def __init__(self, model: BooleanNetwork, question: Question):
        from igfnet.analysis.response import ResponseSolver

        self.model = model
        self.question = question
        self.responses = ResponseSolver(model)
        self.reachability = self.responses.reachability
        self._prepared: dict[str, _Prepared] = {}

    def prepare(self, context: str) -> _Prepared:
        prepared = self._prepared.get(context)
        if prepared is not None:
            return prepared
        from igfnet.perturb import apply_perturbation

        start = self.responses.untreated(context).states
        perturbation = self.model.perturbation(context=context)
        functions = apply_perturbation(self.model, perturbation, free_inputs=False).functions
        percolated = self.reachability.percolate(functions, start, self.question.base.fixed)
        base = self._reach(context, self.question.base, percolated)
        base_readouts = {readout: base.readout(readout) for readout in self.question.readouts}
        node, value = self.question.response
        responding = sum(attractor.pattern[node] == value for attractor in base.reached)
        verdict = outcome.verdict(responding, len(base.reached))
        prepared = _Prepared(functions, percolated, base, base_readouts, verdict)
        self._prepared[context] = prepared
        return prepared

    def response(self, context: str, combination: Combination) -> Response:
        """The attractors the context's untreated cell reaches under base + combination."""
        prepared = self.prepare(context)
        if combination.has_cuts:
            # Cuts rewrite rules rather than fix values: the general path.
            treatment = "+".join(name for name in (self.question.base.name, combination.name) if name)
            return self.responses.response(context, treatment)
        fixed = combination.fixed
        if prepared.percolated.admits(fixed):
            return self._reach(context, combination, prepared.percolated)
        for item in combination.items:
            percolated = self._with_item(prepared, item)
            if percolated.admits(fixed):
                return self._reach(context, combination, percolated)
        start = prepared.percolated.start
        afresh = self.reachability.percolate(prepared.functions, start, {**self.question.base.fixed, **fixed})
        return self._reach(context, combination, afresh)

    def _with_item(self, prepared: _Prepared, item: Item) -> Percolation:
        percolated = prepared.with_item.get(item.text)
        if percolated is None:
            settings = {**self.question.base.fixed, **dict(item.fixed)}
            percolated = self.reachability.percolate(prepared.functions, prepared.percolated.start, settings)
            prepared.with_item[item.text] = percolated
        return percolated

    def _reach(self, context: str, combination: Combination, percolated: Percolation) -> Response:
        from igfnet.analysis.response import Response

        found = self.reachability.attractors_reached(self.reachability.further(percolated, combination.fixed))
        untreated = self.responses.untreated(context).attractors
        return Response(context, combination.name, untreated, found)

    @staticmethod
    def _sources(prepared: _Prepared, combination: Combination) -> list[list[str]]:
        """Per item, the nodes it perturbs, without those it sets to the value they already hold under the base.

        Knocking out ERK where the base alone already turns ERK off changes
        nothing at ERK: a path from ERK would explain nothing. (An item that
        changes nothing at all keeps its nodes, so that every item is heard.)
        """
        fixed = combination.fixed
        groups = []
        for item in combination.items:
            acting = [n for n in item.sources if n not in fixed or prepared.base.readout(n) != str(fixed[n])]
            if acting:
                groups.append(acting)
        return groups or [[node for item in combination.items for node in item.sources]]

    def row(self, context: str, combination: Combination) -> ScreenRow:
        prepared = self.prepare(context)
        result = self.response(context, combination)
        node, value = self.question.response
        responding = sum(attractor.pattern[node] == value for attractor in result.reached)
        readouts = {readout: result.readout(readout) for readout in self.question.readouts}
        held = {**self.question.base.fixed, **combination.fixed}
        changed, how = mechanism(
            self.model.graph, self._sources(prepared, combination), prepared.base_readouts, readouts, held
        )
        verdict = outcome.verdict(responding, len(result.reached))
        probability, method = None, ""
        if self.question.score == "probability":
            probability, method = self._probability(context, combination, verdict)
        return ScreenRow(
            context,
            combination.name,
            combination.size,
            verdict,
            responding,
            len(result.reached),
            prepared.base_verdict,
            tuple(readouts.items()),
            changed,
            how,
            None,
            probability,
            method,
        )

    def _probability(self, context: str, combination: Combination, verdict: str) -> tuple[float, str]:
        """The probability of response under base + combination, and how it was obtained.

        The chain ends, with probability one, in the attractors it can reach,
        each with positive probability: when all of them respond (or none
        does) the probability is exactly 1 (or 0), and only mixed rows need
        the chain solved.
        """
        if verdict != "mixed":
            return (1.0 if verdict == "responds" else 0.0), "exact"
        node, value = self.question.response
        treatment = "+".join(name for name in (self.question.base.name, combination.name) if name) or "none"
        result = self.responses.probability(context, treatment, response={node: int(value)})
        return result.value, result.method


# -- the worker ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """A chunk of work: contiguous combinations of one context (so a worker's caches serve them all)."""

    model_path: str | None
    question: Question
    context: str
    combinations: tuple[Combination, ...]
    fingerprint: str = ""


_WORKER_SOLVERS: dict[tuple[str | None, Question], ScreenSolver] = {}


def solve_task(task: Task) -> list[ScreenRow]:
    """Run one chunk in a worker process: the model is loaded once per process and plan, not per task."""
    key = (task.model_path, task.question)
    solver = _WORKER_SOLVERS.get(key)
    if solver is None:
        from igfnet.model import load_model

        model = load_model(task.model_path, max_size=None)  # the main process checked its size
        if task.fingerprint and model_fingerprint(model) != task.fingerprint:
            raise IgfnetError(
                f"the model at {task.model_path or 'the bundled rules'} differs from the one the screen was planned "
                "on (edited since, or changed in memory): save it and screen the file, or run with jobs=1"
            )
        solver = ScreenSolver(model, task.question)
        _WORKER_SOLVERS.clear()  # one screen at a time: keep memory bounded
        _WORKER_SOLVERS[key] = solver
    return [solver.row(task.context, combination) for combination in task.combinations]


def _ignore_interrupts(parent: int | None = None) -> None:
    # Ctrl-C reaches every process of the terminal's group: the main process
    # alone decides what to keep, and the workers must not print tracebacks.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(os.getppid() if parent is None else parent)


def _exit_with_parent(parent: int) -> None:
    """End this worker when the process that started it ends, even by SIGKILL (no orphan keeps computing).

    Linux delivers SIGKILL at the parent's death (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere, and as a second line, a daemon thread polls the parent's id.
    ``parent`` is the pid the parent had before it started this process: if
    it has died already, this process is an orphan from the start.
    """
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="igfnet-parent-watch", daemon=True).start()


# -- the journal: finished rows survive an interrupted screen -------------------------------

JOURNAL_FORMAT = 2
"""Bumped when the journal's layout changes; a journal of another format is another screen's."""


def journal_path(output: str | Path) -> Path:
    return Path(str(output) + JOURNAL_SUFFIX)


def fallback_journal_path(journal: str | Path) -> Path:
    """Where a journal goes when its directory disappears mid-screen: the user's cache directory (else /tmp)."""
    import hashlib
    import tempfile

    from igfnet.model_cache import cache_directory

    absolute = os.path.abspath(journal)
    tag = hashlib.blake2b(absolute.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    base = cache_directory() or tempfile.gettempdir()
    return Path(base) / "screen-journals" / f"{tag}-{os.path.basename(absolute)}"


def _journal_header(plan: ScreenPlan) -> str:
    from igfnet import __version__

    return f"# igfnet screen journal {JOURNAL_FORMAT} igfnet={__version__} {plan.signature()}\n"


def describe_selection(plan: ScreenPlan) -> str:
    """The contexts and combinations of a plan, as a journal records them (for a person reading a resume's message)."""
    import hashlib

    names = "\n".join(combination.name for combination in plan.combinations).encode("utf-8")
    digest = hashlib.blake2b(names, digest_size=4).hexdigest()
    return f"contexts {','.join(plan.contexts)}; {len(plan.combinations)} combinations ({digest})"


def _row_check(header: str, line: str) -> str:
    import hashlib

    # Keyed by the header: a row is valid only in a journal of the screen that computed it.
    key = hashlib.blake2b(header.encode("utf-8"), digest_size=32).digest()
    return hashlib.blake2b(line.encode("utf-8"), key=key, digest_size=8).hexdigest()


@dataclass(frozen=True)
class JournalContents:
    """What a journal holds for a plan: its valid rows, and how many lines were dropped and why."""

    rows: tuple[ScreenRow, ...]
    damaged: int
    """Lines dropped as damaged: torn, not UTF-8, NUL bytes, a wrong checksum or a field that does not read."""
    outside: int
    """Valid rows of contexts or combinations this plan does not have (another --context, --size, ...)."""
    selection: str
    """The contexts and combinations the journal was written for (:func:`describe_selection`)."""


def inspect_journal(path: str | Path, plan: ScreenPlan) -> JournalContents:
    """Read a journal without changing it: every row whose checksum and fields are valid, in file order.

    Raises IgfnetError if the journal belongs to a different screen (other
    base treatment, response, readouts, model or igfnet version, or an older
    journal format).
    """
    with open(path, "rb") as stream:
        data = stream.read()
    header = _journal_header(plan)
    first, newline, rest = data.partition(b"\n")
    if not newline:
        return JournalContents((), 0, 0, "")  # killed before its first line was complete: nothing was kept
    found = first.decode("utf-8", "replace")
    if found + "\n" != header:
        raise IgfnetError(
            f"{path} holds another screen's rows ({excerpt(found)!r}; this screen: {header.strip()!r}); "
            "use --force to start over"
        )
    lines = rest.split(b"\n")
    selection = ""
    if lines and lines[0].startswith(b"# selection "):
        selection = lines.pop(0)[len(b"# selection ") :].decode("utf-8", "replace")
    names = columns(plan.readouts)
    if lines and lines[0].decode("utf-8", "replace") == ",".join(names):
        lines.pop(0)
    if lines and lines[-1] == b"":
        lines.pop()  # after the last newline
    keys = set(plan.keys())
    rows: dict[tuple[str, str], ScreenRow] = {}
    damaged = outside = 0
    for raw in lines:
        row = _read_row(raw, header, names, plan.readouts)
        if row is None:
            damaged += 1
        elif row.key not in keys:
            outside += 1
        else:
            rows.setdefault(row.key, row)
    return JournalContents(tuple(rows.values()), damaged, outside, selection)


def _read_row(raw: bytes, header: str, names: Sequence[str], readouts: Sequence[str]) -> ScreenRow | None:
    """A journal line as a row, or None if anything about it is wrong."""
    try:
        text = raw.decode("utf-8")
        line, comma, check = text.rpartition(",")
        if not comma or "\0" in text or _row_check(header, line) != check:
            return None
        [fields] = list(csv.reader([line]))
        if len(fields) != len(names):
            return None
        row = ScreenRow.from_record(dict(zip(names, fields, strict=True)), readouts)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError):
        return None
    if row.verdict not in VERDICTS or row.base_verdict not in VERDICTS or not 0 <= row.responding <= row.reached:
        return None
    return row


def read_journal(path: str | Path, plan: ScreenPlan) -> list[ScreenRow]:
    """The finished rows of an interrupted screen, in the order they were written.

    Every valid row of the plan is kept; damaged lines (a torn last line, bytes
    that are not UTF-8, a wrong checksum: see :func:`inspect_journal`) and rows
    of keys the plan does not contain are dropped, and the journal is rewritten
    with the kept rows only, so new rows append cleanly. A repeated key keeps
    its first row.

    Raises IgfnetError if the journal belongs to a different screen.
    """
    contents = inspect_journal(path, plan)
    # Rewritten beside it, then renamed: a kill during the rewrite leaves the old journal whole.
    rewritten = Path(str(path) + ".rewrite")
    with Journal(rewritten, plan, fresh=True) as journal:
        journal.write(contents.rows)
    os.replace(rewritten, path)
    return list(contents.rows)


class Journal:
    """Appends finished rows to a CSV file, each with a checksum, flushed and synced to disk after each batch.

    The first lines name the screen (:func:`_journal_header`), the contexts and
    combinations, and the columns. If the file is removed while the screen runs
    (its directory deleted), the journal moves to :func:`fallback_journal_path`
    with every row written so far; ``path`` then says where it is.
    """

    def __init__(self, path: str | Path, plan: ScreenPlan, fresh: bool):
        self.path = Path(path)
        self.columns = columns(plan.readouts)
        self.header = _journal_header(plan)
        self.lines: list[str] = []
        if fresh:
            self.lines = [self.header, f"# selection {describe_selection(plan)}\n", ",".join(self.columns) + "\n"]
        try:
            self.stream = open(self.path, "w" if fresh else "a", encoding="utf-8")
            if fresh:
                self.stream.write("".join(self.lines))
                self._sync()
            else:
                with open(self.path, encoding="utf-8", errors="replace") as existing:
                    self.lines = existing.readlines()
        except OSError as error:
            raise IgfnetError(f"cannot write the journal {self.path}: {error.strerror or error}") from None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def write(self, rows: Sequence[ScreenRow]) -> None:
        lines = []
        for row in rows:
            buffer = io.StringIO()
            csv.DictWriter(buffer, self.columns, lineterminator="").writerow(row.record())
            line = buffer.getvalue()
            lines.append(f"{line},{_row_check(self.header, line)}\n")
        self.lines.extend(lines)
        try:
            self.stream.write("".join(lines))
            self._sync()
            if os.fstat(self.stream.fileno()).st_nlink == 0:
                self._move()
        except OSError as error:  # a full disk: the rows written before this batch are safe
            raise IgfnetError(
                f"cannot write the journal {self.path}: {error.strerror or error}; "
                "the rows it holds are kept: free some space and continue with --resume"
            ) from None

    def _move(self) -> None:
        # Our file was unlinked (its directory removed): its rows would vanish with the last descriptor.
        target = fallback_journal_path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.stream.close()
        self.stream = open(target, "w", encoding="utf-8")
        self.stream.write("".join(self.lines))
        self._sync()
        self.path = target

    def _sync(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())

    def close(self) -> None:
        self.stream.close()


# -- running a screen ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenResult:
    """Every row of a screen in canonical order (by context, then combination), with synergy set."""

    plan: ScreenPlan
    rows: tuple[ScreenRow, ...]

    def hits(self) -> list[ScreenRow]:
        return [row for row in self.rows if row.hit]

    def ranked(self) -> list[RankedHit]:
        return rank_hits(self.rows, by_score=self.plan.score == "probability")

    def graded(self) -> list[GradedCombination]:
        return rank_graded(self.rows)

    def to_frame(self) -> pandas.DataFrame:
        """A pandas DataFrame, one row per (context, combination)."""
        import pandas

        frame = pandas.DataFrame([row.record() for row in self.rows], columns=columns(self.plan.readouts))
        for column in ("size", "responding", "reached"):
            frame[column] = frame[column].astype(int)
        for column in ("responding_share", "score"):
            frame[column] = frame[column].astype(float)
        for column in ("hsa_excess", "bliss_excess"):
            frame[column] = pandas.to_numeric(frame[column], errors="coerce")  # '' (not defined) -> NaN
        for column in ("hit", "synergy"):
            frame[column] = frame[column] == "true"
        return frame

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, columns(self.plan.readouts), lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow(row.record())
        return buffer.getvalue()

    def to_parquet(self) -> bytes:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise IgfnetError("writing Parquet needs pyarrow: pip install 'igfnet[parquet]' (or write .csv)") from None
        buffer = io.BytesIO()
        self.to_frame().to_parquet(buffer, index=False)
        return buffer.getvalue()


def model_source(model: BooleanNetwork) -> str | None:
    """Where worker processes can load ``model`` from: its directory or file; None for the bundled model."""
    from igfnet.model import bundled_rules_path

    if model.directory is not None:
        if model.directory.resolve() == bundled_rules_path().resolve():
            return None
        return str(model.directory.resolve())
    if Path(model.source).is_file():
        return str(Path(model.source).resolve())
    raise IgfnetError(
        f"model {model.name!r} exists only in memory: worker processes cannot load it; save it "
        "(model.to_bnet()) and screen the file, or run with jobs=1"
    )


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _tasks(
    model_path: str | None, plan: ScreenPlan, done: set[tuple[str, str]], jobs: int, chunk_size: int | None
) -> list[Task]:
    todo = {context: [c for c in plan.combinations if (context, c.name) not in done] for context in plan.contexts}
    total = sum(len(combinations) for combinations in todo.values())
    if chunk_size is None:
        # Enough chunks to keep every worker busy to the end, large enough to reuse each worker's caches.
        chunk_size = max(8, min(256, -(-total // (max(jobs, 1) * 8))))
    tasks = []
    for context, combinations in todo.items():
        for start in range(0, len(combinations), chunk_size):
            chunk = tuple(combinations[start : start + chunk_size])
            tasks.append(Task(model_path, plan.question, context, chunk, plan.model))
    return tasks


def _executor(jobs: int, scheduler: str | None) -> tuple[Executor, Client | None]:
    """A concurrent.futures executor: local processes, or a Dask cluster's workers (same interface)."""
    if scheduler is None:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupts, initargs=(os.getpid(),)), None
    try:
        from distributed import Client
    except ImportError:
        raise IgfnetError(
            f"--scheduler {scheduler} needs Dask: pip install 'igfnet[dask]' (dask[distributed])"
        ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except ValueError as error:  # "foo", "http://...": not an address Dask can use
        raise IgfnetError(
            f"--scheduler {scheduler!r} is not a Dask scheduler address (tcp://host:8786): {error}"
        ) from None
    except (OSError, TimeoutError) as error:
        raise IgfnetError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    return client.get_executor(pure=False), client


def run_screen(
    model: BooleanNetwork,
    plan: ScreenPlan,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    model_path: str | None = None,
    journal: str | Path | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScreenResult:
    """Run a screen: every context of the plan under the base treatment plus every combination.

    Parameters
    ----------
    model : BooleanNetwork
        The model the plan was made for.
    jobs : int, optional
        Worker processes (default: every core). With 1 and no scheduler the
        screen runs in this process.
    scheduler : str, optional
        The address of a Dask scheduler ("tcp://host:8786"): the chunks run
        on its workers, through the same executor interface as local processes.
    model_path : str, optional
        Where worker processes load the model from (default: where ``model``
        was read, see :func:`model_source`). Each worker loads it once and
        checks that it is the model the plan was made on; a model that
        exists only in memory runs with ``jobs=1`` and no scheduler.
    journal : path, optional
        Append every finished row here (flushed and synced per chunk). With
        ``resume``, rows already in it are kept and not computed again.
    chunk_size : int, optional
        Combinations per task (default: chosen from the screen size and jobs).
    progress : callable, optional
        Called as ``progress(rows_done, rows_total)`` as chunks finish.

    Returns
    -------
    ScreenResult
        Every row, in canonical order, with synergy set; identical whether
        the screen ran at once or was interrupted and resumed.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise IgfnetError(f"--jobs {jobs}: give at least 1")
    rows: dict[tuple[str, str], ScreenRow] = {}
    fresh = True
    if journal is not None and resume and Path(journal).exists():
        for row in read_journal(journal, plan):  # rewritten: the header, then exactly these rows
            rows[row.key] = row
        fresh = False
    writer = Journal(journal, plan, fresh=fresh) if journal is not None else None
    try:
        tasks = _tasks(model_path, plan, set(rows), jobs, chunk_size)
        here = scheduler is None and (jobs == 1 or len(tasks) == 1)  # a pool would only add its start-up
        if model_path is None and not here:
            tasks = [replace(task, model_path=model_source(model)) for task in tasks]
        total = plan.size
        if progress:
            progress(len(rows), total)

        def finished(chunk: list[ScreenRow]) -> None:
            if writer is not None:
                writer.write(chunk)
            for row in chunk:
                rows[row.key] = row
            if progress:
                progress(len(rows), total)

        if tasks and here:
            solver = ScreenSolver(model, plan.question)
            for task in tasks:
                finished([solver.row(task.context, combination) for combination in task.combinations])
        elif tasks:
            _run_parallel(tasks, jobs, scheduler, finished)
    finally:
        if writer is not None:
            writer.close()
    ordered = tuple(rows[key] for key in plan.keys())
    return ScreenResult(plan, tuple(with_synergy(ordered)))


def _run_parallel(
    tasks: list[Task], jobs: int, scheduler: str | None, finished: Callable[[list[ScreenRow]], None]
) -> None:
    from concurrent.futures import FIRST_COMPLETED, wait

    executor, client = _executor(jobs, scheduler)
    try:
        # Keep a bounded number of chunks in flight: an interrupt then loses little, and memory stays flat.
        pending = iter(tasks)
        running = set()
        workers = jobs if client is None else sum(w["nthreads"] for w in client.scheduler_info()["workers"].values())
        limit = 3 * max(workers, 1)
        for task in itertools.islice(pending, limit):
            running.add(executor.submit(solve_task, task))
        idle_since: float | None = None
        while running:
            done, running = wait(running, timeout=1.0, return_when=FIRST_COMPLETED)
            if client is not None and not done:
                idle_since = _check_workers(client, scheduler, idle_since)
            for future in done:
                finished(_result(future, scheduler))
                next_task = next(pending, None)
                if next_task is not None:
                    running.add(executor.submit(solve_task, next_task))
    except BaseException:
        for future in running:
            future.cancel()
        raise
    finally:
        if client is None:
            # Workers ignore Ctrl-C: after an interrupt they finish their current chunk (whose rows are
            # not journaled: they will be computed again on --resume) and exit.
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            executor.shutdown(wait=False)
            client.close()


NO_WORKERS_TIMEOUT = 60.0
"""Seconds a Dask cluster may have no worker at all before a screen gives up on it (and says so)."""


def _check_workers(client: Client, scheduler: str | None, idle_since: float | None) -> float | None:
    """None while the cluster has workers; else since when it has none. Raises IgfnetError past the timeout."""
    import time

    if client.scheduler_info()["workers"]:
        return None
    now = time.monotonic()
    if idle_since is None:
        return now
    if now - idle_since > NO_WORKERS_TIMEOUT:
        raise IgfnetError(
            f"the Dask cluster at {scheduler} has had no workers for {NO_WORKERS_TIMEOUT:.0f} s: start some "
            f"(dask worker {scheduler}) and continue with --resume"
        )
    return idle_since


def _result(future: Future[list[ScreenRow]], scheduler: str | None) -> list[ScreenRow]:
    """A chunk's rows; a chunk whose Dask workers kept dying is one IgfnetError naming the cause."""
    try:
        return future.result()
    except Exception as error:
        if type(error).__name__ != "KilledWorker":
            raise
        raise IgfnetError(
            f"Dask workers of {scheduler} died while computing a chunk ({str(error).split('. ')[0]}); "
            "with --output, --resume continues from the rows finished so far"
        ) from None


# -- synergy and ranking ----------------------------------------------------------------------


def with_synergy(rows: Sequence[ScreenRow]) -> list[ScreenRow]:
    """Set ``synergy``: a hit where no part of the combination (no single of a pair) responds on its own.

    A combination whose parts are not all in the screen gets ``synergy=False``
    (the claim cannot be checked); explicit screens include the parts.
    """
    verdict = {row.key: row.verdict for row in rows}
    score = {row.key: row.score for row in rows}
    result = []
    for row in rows:
        synergy = False
        if row.hit and row.size > 1:
            items = row.combination.split("+")
            parts = [
                "+".join(subset) for size in range(1, len(items)) for subset in itertools.combinations(items, size)
            ]
            known = [verdict.get((row.context, part)) for part in parts]
            synergy = all(v is not None and v != "responds" for v in known)
        hsa = bliss = None
        if row.size > 1:
            singles = [score.get((row.context, item)) for item in row.combination.split("+")]
            if all(single is not None for single in singles):
                hsa, bliss = graded_synergy(row.score, [single for single in singles if single is not None])
        result.append(replace(row, synergy=synergy, hsa=hsa, bliss=bliss))
    return result


def graded_synergy(combined: float, singles: Sequence[float]) -> tuple[float, float]:
    """Highest-single-agent and Bliss excess of a combination's score over its singles' scores.

    HSA excess: ``combined - max(singles)``. Bliss excess: ``combined - (1 - prod(1 - single))``,
    the response the singles would give if they acted independently. Both
    are positive when the combination does better than expected.

    Examples
    --------
    >>> graded_synergy(0.9, [0.5, 0.6])  # Bliss expects 1 - 0.5 * 0.4 = 0.8
    (0.30000000000000004, 0.09999999999999998)
    """
    expected = 1.0
    for single in singles:
        expected *= 1.0 - single
    return combined - max(singles), combined - (1.0 - expected)


@dataclass(frozen=True)
class RankedHit:
    """A combination that rescues at least one context, with where and how."""

    combination: str
    size: int
    rescued: tuple[str, ...]
    synergy: tuple[str, ...]
    example: str
    """The context ``mechanism`` was read in: the first synergistic one, else the first rescued."""
    mechanism: str
    mean_score: float = 0.0
    """The mean score (share or probability of response) over the contexts where the base alone does not respond."""

    @property
    def minimal(self) -> bool:
        """A single, or a combination that rescues some context none of its parts rescues (a synergy)."""
        return self.size == 1 or bool(self.synergy)

    def explanation(self, readout: str) -> str:
        """The mechanism's path to one readout ('' if that readout did not change)."""
        for part in self.mechanism.split("; "):
            if part.startswith(readout + " "):
                return part
        return ""


def rank_hits(rows: Sequence[ScreenRow], by_score: bool = False) -> list[RankedHit]:
    """Combinations by the number of contexts they rescue (most first), then size (smaller first), then name.

    ``by_score`` puts, among combinations that rescue as many contexts, those
    with the higher mean score over the base-resistant contexts first (where
    they do not rescue, a probability of response still tells them apart).
    """
    by_combination: dict[str, list[ScreenRow]] = {}
    resistant: dict[str, list[float]] = {}
    for row in rows:
        if row.hit:
            by_combination.setdefault(row.combination, []).append(row)
        if row.base_verdict != "responds":
            resistant.setdefault(row.combination, []).append(row.score)
    ranked = []
    for name, hits in by_combination.items():
        # Explain where the combination matters most: a context only the whole combination rescues.
        example = next((row for row in hits if row.synergy), hits[0])
        ranked.append(
            RankedHit(
                name,
                hits[0].size,
                tuple(row.context for row in hits),
                tuple(row.context for row in hits if row.synergy),
                example.context,
                example.mechanism,
                sum(resistant[name]) / len(resistant[name]),
            )
        )
    if by_score:
        return sorted(ranked, key=lambda hit: (-len(hit.rescued), -hit.mean_score, hit.size, hit.combination))
    return sorted(ranked, key=lambda hit: (-len(hit.rescued), hit.size, hit.combination))


@dataclass(frozen=True)
class GradedCombination:
    """A combination's graded synergy across the contexts where it is defined."""

    combination: str
    size: int
    contexts: int
    """Contexts where its singles were screened too (the means are over these)."""
    mean_bliss: float
    mean_hsa: float
    best_context: str
    """The context of its largest Bliss excess."""
    best_bliss: float


def rank_graded(rows: Sequence[ScreenRow]) -> list[GradedCombination]:
    """Combinations of two or more items by mean Bliss excess across contexts (largest first), then HSA, then name."""
    by_combination: dict[str, list[ScreenRow]] = {}
    for row in rows:
        if row.bliss is not None and row.hsa is not None:
            by_combination.setdefault(row.combination, []).append(row)
    graded = []
    for name, scored in by_combination.items():
        best = max(scored, key=lambda row: row.bliss or 0.0)
        graded.append(
            GradedCombination(
                name,
                scored[0].size,
                len(scored),
                sum(row.bliss or 0.0 for row in scored) / len(scored),
                sum(row.hsa or 0.0 for row in scored) / len(scored),
                best.context,
                best.bliss or 0.0,
            )
        )
    return sorted(graded, key=lambda g: (-g.mean_bliss, -g.mean_hsa, g.combination))
