"""One row's answer, sharing work across the combinations of one context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from igfnet.analysis import outcome
from igfnet.analysis.screen.mechanism import mechanism
from igfnet.analysis.screen.plan import Question
from igfnet.analysis.screen.results import ScreenRow
from igfnet.logic import Expr
from igfnet.perturb import (
    Item,
    Treatment,
)

if TYPE_CHECKING:
    from igfnet.analysis.response import Response
    from igfnet.dynamics.reachability import Percolation
    from igfnet.model import BooleanNetwork


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

    def response(self, context: str, combination: Treatment) -> Response:
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

    def _reach(self, context: str, combination: Treatment, percolated: Percolation) -> Response:
        from igfnet.analysis.response import Response

        found = self.reachability.attractors_reached(self.reachability.further(percolated, combination.fixed))
        untreated = self.responses.untreated(context).attractors
        return Response(context, combination.name, untreated, found)

    @staticmethod
    def _sources(prepared: _Prepared, combination: Treatment) -> list[list[str]]:
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

    def row(self, context: str, combination: Treatment) -> ScreenRow:
        prepared = self.prepare(context)
        result = self.response(context, combination)
        node, value = self.question.response
        responding = sum(attractor.pattern[node] == value for attractor in result.reached)
        readouts = {readout: result.readout(readout) for readout in self.question.readouts}
        held = {**self.question.base.fixed, **combination.fixed}
        how = mechanism(self.model.graph, self._sources(prepared, combination), prepared.base_readouts, readouts, held)
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
            how,
            None,
            probability,
            method,
        )

    def _probability(self, context: str, combination: Treatment, verdict: str) -> tuple[float, str]:
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
