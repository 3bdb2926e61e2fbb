"""What a treated tumour cell reaches: the attractors reachable from its untreated attractors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from igfnet.dynamics.markov import MAX_STATES, SAMPLES, ResponseProbability
from igfnet.dynamics.reachability import Reachability, Untreated
from igfnet.model import BooleanNetwork
from igfnet.perturb import Perturbation, Treatment, apply_perturbation, parse_treatment
from igfnet.types import Attractor

DEFAULT_RESPONSE: Mapping[str, int] = {"Proliferation": 0}
"""What a responding attractor holds unless told otherwise: the cells stop proliferating."""


@dataclass(frozen=True, slots=True)
class Response:
    """The attractors a context's untreated cell reaches under a treatment."""

    context: str
    treatment: str
    untreated: tuple[Attractor, ...]
    reached: tuple[Attractor, ...]

    def readout(self, node: str) -> str:
        """'0' or '1' when every reached attractor agrees and holds the node fixed; else '*'."""
        values = {attractor.pattern[node] for attractor in self.reached}
        return values.pop() if len(values) == 1 else "*"


class ResponseSolver:
    """Answers many (context, treatment) questions on one model, sharing one :class:`Reachability`.

    The untreated attractors of each context are computed once; a treatment
    then acts on every state of them (its fixed nodes take their values at
    once) and the asynchronous dynamics is followed to every attractor it
    can reach.
    """

    def __init__(self, model: BooleanNetwork, *, free_inputs: bool = False):
        self.model = model
        self.free_inputs = free_inputs  # inputs no context sets stay free: every value at once
        self.reachability = Reachability(model.nodes)
        self._untreated: dict[tuple[str, tuple[tuple[str, int], ...]], Untreated] = {}

    def untreated(self, context: str, settings: Mapping[str, int] | None = None) -> Untreated:
        """The untreated attractors of a context, and their states.

        ``settings`` fixes further nodes on top of the named context (like
        ``--set``): a tumour described by its biomarker states rather than by
        a named context.
        """
        key = (context, tuple(sorted((settings or {}).items())))
        if key not in self._untreated:
            perturbation = self.model.perturbation(context=context, settings=settings)
            functions = apply_perturbation(self.model, perturbation, free_inputs=self.free_inputs).functions
            self._untreated[key] = self.reachability.untreated(functions)
        return self._untreated[key]

    def response(self, context: str, treatment: str | Treatment, settings: Mapping[str, int] | None = None) -> Response:
        """What the untreated cell of ``context`` (with ``settings`` fixed on top) reaches under ``treatment``.

        ``treatment`` is a :class:`~igfnet.perturb.Treatment`, or its text ('figitumumab+MTORC1=0', 'none').
        """
        perturbation = self._perturbation(context, treatment, settings)
        untreated = self.untreated(context, settings)
        functions = apply_perturbation(self.model, perturbation, free_inputs=self.free_inputs).functions
        reached = self.reachability.reached(functions, untreated.states, perturbation.treatment)
        label = treatment if isinstance(treatment, str) else treatment.name or "none"
        return Response(context, label, untreated.attractors, reached)

    def _perturbation(
        self, context: str, treatment: str | Treatment, settings: Mapping[str, int] | None
    ) -> Perturbation:
        if isinstance(treatment, str):
            treatment = parse_treatment(self.model, treatment)
        return self.model.perturbation(context=context, settings=settings, treatment=treatment)

    def probability(
        self,
        context: str,
        treatment: str | Treatment,
        settings: Mapping[str, int] | None = None,
        *,
        response: Mapping[str, int] | None = None,
        max_states: int = MAX_STATES,
        samples: int = SAMPLES,
        seed: int = 0,
    ) -> ResponseProbability:
        """The probability that the treated cell ends in a responding attractor.

        The asynchronous dynamics read as a Markov chain (each node that can
        change does so with equal probability), started uniformly over the
        states of the context's untreated attractors, each with the
        treatment's fixed values written over it; see
        :mod:`igfnet.dynamics.markov`.

        Parameters
        ----------
        context, treatment, settings
            As for :meth:`response`.
        response : Mapping[str, int], optional
            The node values a responding attractor holds fixed (default: Proliferation=0).
        max_states : int
            Reachable states beyond which the probability is estimated by simulation.
        samples, seed : int
            The simulation's trajectories and random seed.

        Raises
        ------
        UnknownNodeError
            When ``response`` names a node the model does not have.
        """
        criterion = {node: str(value) for node, value in (DEFAULT_RESPONSE if response is None else response).items()}
        self.model.check_nodes(criterion, what="response node")
        perturbation = self._perturbation(context, treatment, settings)
        start = self.untreated(context, settings).states
        functions = apply_perturbation(self.model, perturbation, free_inputs=self.free_inputs).functions

        def responds(attractor: Attractor) -> bool:
            return all(attractor.pattern[node] == value for node, value in criterion.items())

        return self.reachability.probability(
            functions, start, perturbation.treatment, responds, max_states=max_states, samples=samples, seed=seed
        )

    def forget_untreated(self) -> None:
        """Drop the cached untreated states (a long run over many tumours needs each only once)."""
        self._untreated.clear()

    def check(self, contexts: Sequence[str], treatments: Sequence[str]) -> None:
        """Raise on any unknown context or malformed treatment, before any work starts."""
        for context in contexts:
            self.model.perturbation(context=context)
        for treatment in treatments:
            parse_treatment(self.model, treatment)
