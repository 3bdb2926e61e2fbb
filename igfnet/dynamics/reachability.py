"""What a treatment does to a cell sitting in its untreated attractors: the treated attractors it reaches.

A cell sits in the attractors of its context (the *untreated* states); a
treatment writes its fixed values over every one of those states, and the
fully asynchronous dynamics of the treated network is followed to every
attractor it can reach. Analyses (compare, validate, screen, biomarkers,
predict) ask this module, passing update functions and settings in and
getting :class:`~igfnet.types.Attractor` values back; the sets of states
stay inside, as opaque :class:`States`, so no analysis holds a BDD or
depends on how long one lives.

Many related questions (a screen adds thousands of combinations to one base
treatment) share their percolation: :meth:`Reachability.percolate` computes
the fixed point of a treatment once, :meth:`Reachability.further` continues
it with more fixed values (percolation reaches one fixed point in any
order), and :meth:`Reachability.attractors_reached` finishes the question.

>>> toggle = {"A": ("not", "B"), "B": ("not", "A"), "C": "A"}
>>> reach = Reachability(list(toggle))
>>> untreated = reach.untreated(toggle)
>>> [str(attractor) for attractor in untreated.attractors]
['010', '101']
>>> [str(attractor) for attractor in reach.reached({**toggle, "B": False}, untreated.states, {"B": 0})]
['101']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.dynamics.attractors import MAX_CACHED, AttractorSolver, sort_attractors
from igfnet.dynamics.reduction import percolate, readers
from igfnet.logic import Expr
from igfnet.types import Attractor

if TYPE_CHECKING:
    from collections.abc import Sequence

    from igfnet.dynamics._symbolic import Function
    from igfnet.dynamics.markov import ResponseProbability


@dataclass(frozen=True, slots=True, eq=False)
class States:
    """A set of states, opaque: meaningful only to the :class:`Reachability` that made it.

    It keeps its symbolic form alive as long as it is held, so it stays valid
    however long a caller keeps it (no cache keyed by a BDD's id can go stale).
    """

    owner: Reachability
    function: Function


@dataclass(frozen=True, slots=True)
class Untreated:
    """A network's attractors (sorted) and every state in them: where an untreated cell sits."""

    attractors: tuple[Attractor, ...]
    states: States


@dataclass(frozen=True, slots=True)
class Percolation:
    """A percolation fixed point of a network with ``settings`` fixed, from ``start`` with them written over it.

    ``values`` are the nodes percolation fixed (each holds its value in every
    initial state, so none of them ever changes), ``residual`` the update
    functions of the others, ``targets`` per node the nodes whose residual
    function reads it.
    """

    start: States
    settings: Mapping[str, int]
    values: Mapping[str, bool]
    residual: Mapping[str, Expr]
    targets: Mapping[str, frozenset[str]]

    def admits(self, fixed: Mapping[str, int]) -> bool:
        """Whether ``fixed`` leaves every percolated value as it is (then percolation can continue from here)."""
        return all(self.values.get(node, value) == value for node, value in fixed.items())


class Reachability:
    """Answers "untreated states -> treated attractors" on networks over one set of nodes.

    One instance shares its symbolic solver (and the cores it has solved)
    across all questions; the attractors it describes are cached, as many
    questions reach the same ones.

    Parameters
    ----------
    nodes : sequence of str
        Every node of the networks asked about, in the order of their patterns.
    """

    def __init__(self, nodes: Sequence[str]):
        self._solver = AttractorSolver(nodes)
        # The BDD stays in the entry beside its id: the id stays its own while the entry lives.
        self._described: dict[int, tuple[Function, Attractor]] = {}

    @property
    def nodes(self) -> tuple[str, ...]:
        return tuple(self._solver.space.nodes)

    def untreated(self, functions: Mapping[str, Expr]) -> Untreated:
        """Every attractor of the network and the union of their states."""
        found = self._solver.attractors(functions)
        space = self._solver.space
        states = space.false
        for attractor in found:
            states |= attractor
        return Untreated(sort_attractors(self._describe(attractor) for attractor in found), self._wrap(states))

    def reached(
        self, functions: Mapping[str, Expr], start: States, treatment: Mapping[str, int]
    ) -> tuple[Attractor, ...]:
        """The attractors of ``functions`` reachable from ``start`` with ``treatment`` written over every state.

        ``functions`` are the treated network's (the treatment's nodes are constants there).
        """
        initial = self._solver.space.overwrite(self._own(start), treatment)
        return self._sorted(self._solver.reachable_attractors(functions, initial))

    def percolate(self, functions: Mapping[str, Expr], start: States, settings: Mapping[str, int]) -> Percolation:
        """The percolation fixed point of ``functions`` with ``settings`` fixed, from ``start`` overwritten by them."""
        network = {**functions, **{node: bool(value) for node, value in settings.items()}}
        values, residual = percolate(network, accept=self._holds_everywhere(start, settings))
        targets = {node: frozenset(nodes) for node, nodes in readers(residual).items()}
        return Percolation(start, dict(settings), values, residual, targets)

    def further(self, percolation: Percolation, fixed: Mapping[str, int]) -> Percolation:
        """The fixed point with ``fixed`` added to the settings, continued from ``percolation``.

        Exact because percolation reaches one fixed point in any order: the
        values there stay accepted (a treatment written over the initial
        states changes no other node there), and only the new constants, and
        what they make constant, remain to be propagated. ``fixed`` must be
        admitted (see :meth:`Percolation.admits`).
        """
        if not percolation.admits(fixed):
            raise ValueError(f"{dict(fixed)} undoes a value the percolation fixed: percolate afresh")
        settings = {**percolation.settings, **fixed}
        accept = self._holds_everywhere(percolation.start, settings)
        # The residual no longer mentions the values fixed already: only the new constants can spread.
        constants = {node: bool(value) for node, value in fixed.items() if node not in percolation.values}
        values, residual = percolate({**percolation.residual, **constants}, accept, percolation.targets)
        return Percolation(percolation.start, settings, {**percolation.values, **values}, residual, percolation.targets)

    def attractors_reached(self, percolation: Percolation) -> tuple[Attractor, ...]:
        """The attractors reachable from the percolation's start with its settings written over it."""
        initial = self._solver.space.overwrite(self._own(percolation.start), percolation.settings)
        if initial == self._solver.space.false:
            return ()
        found = self._solver.reachable_after_percolation(dict(percolation.values), dict(percolation.residual), initial)
        return self._sorted(found)

    def probability(
        self,
        functions: Mapping[str, Expr],
        start: States,
        treatment: Mapping[str, int],
        responds: Callable[[Attractor], bool],
        *,
        max_states: int,
        samples: int,
        seed: int,
    ) -> ResponseProbability:
        """The probability of ending in an attractor that ``responds``, started uniformly over ``start``.

        Each state of ``start`` keeps its weight once ``treatment`` is written
        over it (the treated states are where those cells are); see
        :func:`igfnet.dynamics.markov.response_probability`.
        """
        from igfnet.dynamics.markov import response_probability

        everyone = len(self._solver.space.nodes)
        initial = [
            ({**cube, **treatment}, 1 << (everyone - len(cube))) for cube in self._solver.space.cubes(self._own(start))
        ]
        return response_probability(
            functions, initial, responds, max_states=max_states, samples=samples, seed=seed, solver=self._solver
        )

    # -- inside ------------------------------------------------------------------------

    def _wrap(self, function: Function) -> States:
        return States(self, function)

    def _own(self, states: States) -> Function:
        if states.owner is not self:
            raise ValueError("these states belong to another Reachability (another BDD space)")
        return states.function

    def _holds_everywhere(self, start: States, settings: Mapping[str, int]) -> Callable[[str, bool], bool]:
        initial = self._solver.space.overwrite(self._own(start), settings)
        return self._solver.holds_everywhere(initial)

    def _sorted(self, found: Sequence[Function]) -> tuple[Attractor, ...]:
        return sort_attractors(self._describe(states) for states in found)

    def _describe(self, states: Function) -> Attractor:
        # Many questions reach the same attractor: describe (and count) it once.
        key = int(states)
        cached = self._described.get(key)
        if cached is None:
            if len(self._described) > MAX_CACHED:
                self._described.clear()
            cached = self._described[key] = (states, self._solver.describe(states))
        return cached[1]
