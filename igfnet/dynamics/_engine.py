"""Bottom strongly connected components (attractors) of asynchronous dynamics, symbolically.

Two stages, after Beneš, Brim, Pastva and Šafránek, "Computing bottom SCCs
symbolically using transition guided reduction" (CAV 2021):

1. :func:`transition_guided_reduction` removes, variable by variable, states
   that provably lie outside every attractor. For a variable ``v`` it follows
   the states where ``v`` can change forward; everything that reaches that
   forward set from outside it is transient, and so is everything that reaches
   the part of it from which ``v`` can never change again. The per-variable
   processes are interleaved, cheapest (smallest BDD) first, and every
   removal shrinks the space all of them work in.
2. :func:`xie_beerel` then takes pivots in what is left. The pivot's basin
   is computed inside the (small) remaining set only; the pivot's forward set
   is an attractor exactly when it never leaves that basin.

Every set operation here is exact; nothing is sampled or bounded.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from igfnet.dynamics._symbolic import AsyncDynamics, Flip, Function

_log = logging.getLogger(__name__)


class Closure:
    """A forward or backward closure, computed one saturation step at a time.

    Parameters
    ----------
    dynamics : AsyncDynamics
        The transitions.
    states : Function
        The starting set; the closure only grows from it.
    forward : bool
        Direction: successors (True) or predecessors (False).
    within : Function, optional
        Transitions are followed only between states of this set. ``None``
        means no bound, or (inside the reduction) its current remaining set.
        The bound given to a step may only shrink from one step to the next.

    Notes
    -----
    Variables are tried from the deepest BDD level up, and a step stops at the
    first variable that adds anything: cheap moves low in the diagram are
    exhausted before expensive ones, as in saturation. Restarting from the
    bottom after every growth would redo most images for nothing, so each
    variable remembers the set it last expanded: only states added since can
    give it new images, and a variable that cannot change in any of them is
    skipped without computing an image.
    """

    __slots__ = ("dynamics", "states", "forward", "within", "expanded", "_weight")

    def __init__(self, dynamics: AsyncDynamics, states: Function, forward: bool, within: Function | None = None):
        self.dynamics = dynamics
        self.states = states
        self.forward = forward
        self.within = within
        self.expanded: dict[str, Function] = {}
        self._weight: int | None = None

    def step(self, within: Function | None) -> Function:
        """The states one variable adds (inside ``within``), or the empty set at the fixpoint."""
        dynamics = self.dynamics
        false = dynamics.space.false
        let = dynamics.space.bdd.let
        states = self.states
        if within is not None and states == within:
            return false  # nothing left to add (a pointer comparison: BDDs are canonical)
        allowed = ~states if within is None else within & ~states
        expanded = self.expanded
        # Variables last expanded at the same time share their fresh states: compute each difference once.
        fresh_since: dict[int, Function] = {}
        fresh: Function | None
        for flip in dynamics.flips_by_depth():
            done = expanded.get(flip.name)
            if done is None:
                fresh = states
            else:
                fresh = fresh_since.get(int(done))
                if fresh is None:
                    fresh = fresh_since[int(done)] = states & ~done
            # A step negates the node: forward from where it can change, backward from where a change lands.
            sources = fresh & (flip.can_change if self.forward else flip.landing)
            expanded[flip.name] = states
            if sources == false:
                continue
            new = let(flip.negation, sources) & allowed
            if new != false:
                return new
        return false

    def advance(self, within: Function | None = None) -> bool:
        """Add one step's states; False once the closure is complete."""
        new = self.step(within)
        if new == self.dynamics.space.false:
            return False
        self.states |= new
        self._weight = None
        return True

    def run(self) -> Function:
        """The whole closure (inside the closure's own ``within``)."""
        while self.advance(self.within):
            pass
        return self.states

    def restrict(self, remaining: Function) -> None:
        """Forget the states outside ``remaining`` (what the closure already knows stays valid)."""
        self.states &= remaining
        if self.within is not None:
            self.within &= remaining
        self._weight = None

    @property
    def weight(self) -> int:
        """The BDD size of the set, the scheduling cost estimate (cached: counting nodes is not free)."""
        if self._weight is None:
            self._weight = self.states.dag_size
        return self._weight


class _Task:
    """One stage of the reduction for one variable.

    ``kind`` is ``"forward"`` (the forward set of the states where the
    variable can change), ``"extended"`` (the states of that forward set that
    can still change the variable, closed backward inside it),
    ``"forward-basin"`` or ``"bottom-basin"`` (the backward closure of a set
    whose strict basin is transient).
    """

    __slots__ = ("flip", "kind", "closure", "keep", "steps")

    def __init__(self, flip: Flip, kind: str, closure: Closure, keep: Function | None = None):
        self.flip = flip
        self.kind = kind
        self.closure = closure
        self.keep = keep  # basin tasks: the seed set, which is not discarded
        self.steps = 0

    def restrict(self, remaining: Function) -> None:
        self.closure.restrict(remaining)
        if self.keep is not None:
            self.keep &= remaining


def transition_guided_reduction(dynamics: AsyncDynamics, universe: Function) -> Function:
    """A subset of ``universe`` that still holds every attractor lying inside ``universe``.

    ``universe`` need not be forward-closed; an attractor is meant globally.

    Why each removal is sound (``R`` the remaining set, which always holds
    every attractor ``A`` inside ``universe``; ``A`` is forward-closed, so any
    path from a state of ``A`` stays in ``A`` and so in ``R``):

    - forward: ``F`` is closed under transitions inside ``R`` and holds every
      state of ``R`` where ``v`` can change. A state of ``A`` that reaches
      ``F`` reaches it inside ``A``; then ``A`` lies in ``F``. So the states
      that reach ``F`` without being in it are transient.
    - bottom: ``E``, closed backward inside ``F``, holds the states of ``F``
      where ``v`` can change; ``F \\ E`` is the bottom. A state of ``A`` outside
      the bottom that reaches it does so inside ``A`` ⊆ ``F``, so some bottom
      state reaches a state of ``E`` inside ``F`` and would be in ``E``. So the
      states that reach the bottom without being in it are transient, and so
      are those that reach a state whose ``v``-successor has left ``R``.
    """
    space = dynamics.space
    false = space.false
    debug = _log.isEnabledFor(logging.DEBUG)
    remaining = universe
    tasks = [_Task(flip, "forward", Closure(dynamics, flip.can_change & universe, True)) for flip in dynamics.flips]
    tasks = [task for task in tasks if task.closure.states != false]
    discard = false
    while tasks:
        if discard != false:
            remaining &= ~discard
            discard = false
            if debug:
                _log.debug("remaining: %d nodes", remaining.dag_size)
            for task in tasks:
                task.restrict(remaining)
            if remaining == false:
                break
        if tasks[-1].kind not in ("forward-basin", "bottom-basin"):
            # Basins, once started, are finished first: they are what removes states.
            tasks.sort(key=lambda task: -task.closure.weight)
        task = tasks[-1]
        closure = task.closure
        if closure.advance(remaining if closure.within is None else closure.within):
            task.steps += 1
            continue
        tasks.pop()
        if debug:
            _log.debug("%s %s done: %d steps, %d nodes", task.kind, task.flip.name, task.steps, closure.weight)
        flip = task.flip
        if task.kind == "forward":
            forward = closure.states
            seeds = flip.can_change & remaining
            tasks.append(_Task(flip, "extended", Closure(dynamics, seeds, False, within=forward), keep=forward))
            if (remaining & ~forward) != false:
                tasks.append(_Task(flip, "forward-basin", Closure(dynamics, forward, False), keep=forward))
        elif task.kind == "extended":
            assert task.keep is not None  # extended and basin tasks always keep their seed set
            bottom = task.keep & ~closure.states
            # States of R whose v-successor is no longer in R cannot be in an attractor inside R.
            leaving = dynamics.predecessors(~remaining, flip) & remaining
            if bottom != false or leaving != false:
                tasks.append(_Task(flip, "bottom-basin", Closure(dynamics, bottom | leaving, False), keep=bottom))
        else:
            assert task.keep is not None
            discard = closure.states & ~task.keep
    if discard != false:
        remaining &= ~discard
    return remaining


def xie_beerel(dynamics: AsyncDynamics, candidates: Function) -> list[Function]:
    """Every attractor inside ``candidates``, a set that holds them all (not necessarily forward-closed).

    A pivot's basin is taken inside the candidates only. Its forward set (in
    the whole graph) is an attractor exactly when it stays in that basin:
    then every state it reaches reaches the pivot back. Either way the basin
    holds no other attractor (a state that reaches a non-attractor state, or
    an attractor, is in no other attractor) and is dropped. When the forward
    set escapes, the escaping states are good next pivots: they lie further
    down the graph.
    """
    space = dynamics.space
    false = space.false
    found: list[Function] = []
    remaining = candidates
    hint = false
    while remaining != false:
        pool = hint & remaining
        pivot = space.pick_state(pool if pool != false else remaining, dynamics.nodes)
        basin = Closure(dynamics, pivot, forward=False, within=remaining).run()
        reach = Closure(dynamics, pivot, forward=True)
        hint = false
        while True:
            new = reach.step(None)
            if new == false:
                found.append(reach.states)
                break
            escaped = new & ~basin
            if escaped != false:
                hint = escaped
                break
            reach.states |= new
        remaining &= ~basin
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug(
                "pivot: %s; basin %d nodes, remaining %d nodes",
                "attractor" if hint == false else "escaped",
                basin.dag_size,
                remaining.dag_size,
            )
    return found


def bottom_components(dynamics: AsyncDynamics, universe: Function) -> list[Function]:
    """The attractors inside ``universe``: reduction, then pivots."""
    return xie_beerel(dynamics, transition_guided_reduction(dynamics, universe))
