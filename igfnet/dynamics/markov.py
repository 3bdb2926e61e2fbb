"""Where a cell ends, with what probability: the asynchronous dynamics read as a Markov chain.

From each state, every node whose update would change its value does so with
equal probability (1/k for k such nodes); a state where no node can change is
a fixed point. Started from a distribution over initial states, the chain is
absorbed, with probability one, by the attractors (terminal strongly connected
components) it can reach; this module computes with what probability by each.

Exactly, when the states reachable from the start are few (``max_states``):
they are enumerated (nodes fixed by percolation, and outputs, which never
steer the rest, are set aside), and the probability mass is pushed through the
condensation of the state graph in topological order. A trivial component
passes its mass on to its successors; a cyclic transient one is solved as a
linear system for the expected number of visits to each of its states, in
exact rationals when the reachable states are few (``exact_limit``) and in
float64 with a sparse LU factorisation beyond, whose residual is reported as
the error. Beyond ``max_states``, trajectories are simulated (Monte-Carlo)
until each enters an attractor found symbolically, and the probability comes
with a 95% Wilson interval.

Examples
--------
A toggle switch started from 11 falls to either side with probability 1/2:

>>> toggle = {"A": ("not", "B"), "B": ("not", "A")}
>>> result = absorption(toggle, [({"A": 1, "B": 1}, 1)])
>>> [(str(attractor), probability) for attractor, probability in zip(result.attractors, result.exact or ())]
[('01', Fraction(1, 2)), ('10', Fraction(1, 2))]
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING, Literal, TypeVar

from igfnet.dynamics.reduction import eliminate_outputs, percolate
from igfnet.errors import IgfnetError
from igfnet.logic import Expr, compile_bits, evaluate, variables
from igfnet.types import Attractor, Value

if TYPE_CHECKING:
    import numpy
    import numpy.typing
    from scipy.sparse import csc_matrix

    from igfnet.dynamics.attractors import AttractorSolver

    States = numpy.typing.NDArray[numpy.int64]

MAX_STATES = 2**20
"""Reachable states beyond which the probability is estimated by simulation rather than computed."""

EXACT_LIMIT = 1000
"""Reachable states up to which the linear systems are solved in exact rationals (float64 beyond).

Rationals cost what their denominators cost: on a ring with a racing pair of latches, one cyclic
transient component of 768 states takes 0.6 s, 1536 states 3.4 s, 3072 states 53 s (float64: 0.2 s)."""

SAMPLES = 10_000
"""Simulated trajectories of a Monte-Carlo estimate: a 95% interval at most about +-0.01 wide."""

MAX_STEPS = 10_000_000
"""Steps after which a simulated trajectory that has not reached an attractor is a bug, not bad luck."""

MAX_REMEMBERED = 1_000_000
"""States whose attractor (or none) a simulation remembers: memory stays bounded on long trajectories."""

Cube = Mapping[str, int]
"""A set of states as a partial assignment: the nodes it leaves out take every value."""

WeightedCube = tuple[Cube, int]
"""A cube of initial states and its weight: the cube's share of the initial mass, spread evenly over its states."""

Method = Literal["exact", "monte-carlo"]

Z95 = 1.959963984540054
"""The 0.975 quantile of the standard normal distribution."""


@dataclass(frozen=True, slots=True)
class Absorption:
    """The attractors a chain reaches and the probability of ending in each.

    Attributes
    ----------
    attractors : tuple of Attractor
        Every attractor reachable from the initial states (over all nodes, in the functions' order).
    probabilities : tuple of float
        The probability of ending in each attractor, in the same order.
    exact : tuple of Fraction, or None
        The same probabilities as exact rationals, when they were computed so.
    method : "exact" or "monte-carlo"
        Computed (in rationals or in float64) or estimated by simulation.
    error : float
        Exact rationals: 0. Float64: the residual of the linear systems (the
        probability mass they may have misplaced). Monte-Carlo: 0 here; see
        :func:`wilson` for the sampling error.
    states : int
        Reachable states enumerated (after percolated nodes and outputs are set aside); 0 for Monte-Carlo.
    samples : int
        Simulated trajectories; 0 when computed.
    """

    attractors: tuple[Attractor, ...]
    probabilities: tuple[float, ...]
    exact: tuple[Fraction, ...] | None
    method: Method
    error: float
    states: int
    samples: int


@dataclass(frozen=True, slots=True)
class ResponseProbability:
    """The probability that a treated cell ends in a responding attractor.

    Attributes
    ----------
    value : float
        The probability (exact, up to float rounding, or estimated).
    method : "exact" or "monte-carlo"
        How it was obtained.
    low, high : float
        Bounds: equal to ``value`` when computed in rationals; ``value`` minus
        and plus the stated error of a float64 solution; the 95% Wilson
        interval of a Monte-Carlo estimate.
    states : int
        Reachable states enumerated (0 for Monte-Carlo).
    samples : int
        Simulated trajectories (0 when computed).
    absorption : tuple of (Attractor, float)
        Each reachable attractor and the probability of ending in it.
    exact : Fraction or None
        The probability as an exact rational, when computed so.
    """

    value: float
    method: Method
    low: float
    high: float
    states: int
    samples: int
    absorption: tuple[tuple[Attractor, float], ...] = ()
    exact: Fraction | None = None


class SimulationError(IgfnetError):
    """A simulated trajectory that never reached an attractor (an engine bug, reported rather than hung on)."""


def response_probability(
    functions: Mapping[str, Expr],
    initial: Sequence[WeightedCube],
    responds: Callable[[Attractor], bool],
    *,
    max_states: int = MAX_STATES,
    exact_limit: int = EXACT_LIMIT,
    samples: int = SAMPLES,
    seed: int = 0,
    solver: AttractorSolver | None = None,
) -> ResponseProbability:
    """The probability of ending in an attractor for which ``responds`` holds.

    Parameters as for :func:`absorption`.

    Examples
    --------
    >>> toggle = {"A": ("not", "B"), "B": ("not", "A")}
    >>> result = response_probability(toggle, [({"A": 1, "B": 1}, 1)], lambda attractor: attractor["A"] == "0")
    >>> result.value, result.method, result.exact
    (0.5, 'exact', Fraction(1, 2))
    """
    found = absorption(
        functions, initial, max_states=max_states, exact_limit=exact_limit, samples=samples, seed=seed, solver=solver
    )
    chosen = [responds(attractor) for attractor in found.attractors]
    value = sum(p for p, yes in zip(found.probabilities, chosen) if yes)
    exact = None
    if found.exact is not None:
        exact = sum((p for p, yes in zip(found.exact, chosen) if yes), Fraction(0))
        value = float(exact)
    if found.method == "monte-carlo":
        hits = round(value * found.samples)
        low, high = wilson(hits, found.samples)
    else:
        low, high = max(0.0, value - found.error), min(1.0, value + found.error)
    return ResponseProbability(
        value,
        found.method,
        low,
        high,
        found.states,
        found.samples,
        tuple(zip(found.attractors, found.probabilities)),
        exact,
    )


def wilson(hits: int, samples: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (95% by default).

    Examples
    --------
    >>> [round(bound, 4) for bound in wilson(50, 100)]
    [0.4038, 0.5962]
    """
    if samples == 0:
        return 0.0, 1.0
    share = hits / samples
    denominator = 1 + z * z / samples
    centre = (share + z * z / (2 * samples)) / denominator
    half = z * math.sqrt(share * (1 - share) / samples + z * z / (4 * samples * samples)) / denominator
    # At 0 or all hits the interval touches the bound exactly (rounding would leave it a hair short).
    low = 0.0 if hits == 0 else max(0.0, centre - half)
    high = 1.0 if hits == samples else min(1.0, centre + half)
    return low, high


# -- the reduced chain ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reduced:
    """The network left to enumerate: percolated constants, the core, and the outputs set aside."""

    order: tuple[str, ...]
    values: Mapping[str, bool]
    residual: Mapping[str, Expr]
    core: tuple[str, ...]
    outputs: tuple[str, ...]


def _reduce(functions: Mapping[str, Expr], initial: Sequence[WeightedCube]) -> _Reduced:
    """Percolate what every initial state already holds, and set aside the outputs.

    A node is fixed only where every initial state already holds its constant
    value (one that still has to change can trigger other transitions on its
    way). Outputs regulate no core node: the core's moves, and so its chain
    (read at its own moves), do not depend on them, and each attractor of the
    core is one attractor of the whole network. Setting them aside changes no
    absorption probability.
    """
    cubes = [cube for cube, _ in initial]

    def already_there(node: str, value: bool) -> bool:
        return all(cube.get(node) == value for cube in cubes)

    values, residual = percolate(functions, accept=already_there)
    held = {node: bool(cubes[0][node]) for node, function in residual.items() if function == node and node in cubes[0]}
    held = {node: value for node, value in held.items() if already_there(node, value)}
    if held:
        more, residual = percolate({**residual, **held}, accept=already_there)
        values = {**values, **more}
    core, outputs = eliminate_outputs(residual)
    return _Reduced(tuple(functions), values, residual, tuple(core), tuple(outputs))


def _updates(reduced: _Reduced) -> list[Callable[[object], object]]:
    """Per core node, its update function over core states."""
    index = {node: position for position, node in enumerate(reduced.core)}
    return [compile_bits(reduced.residual[node], index) for node in reduced.core]


def _initial_mass(reduced: _Reduced, initial: Sequence[WeightedCube], limit: int) -> dict[int, Fraction] | None:
    """The initial distribution over core states (None if it spreads over more than ``limit`` states)."""
    total = sum(weight for _, weight in initial)
    if total <= 0:
        raise ValueError("the initial states carry no weight")
    free_counts = [sum(node not in cube for node in reduced.core) for cube, _ in initial]
    if sum(1 << free for free in free_counts) > limit:
        return None
    mass: dict[int, Fraction] = {}
    for (cube, weight), free in zip(initial, free_counts):
        if weight == 0:
            continue
        share = Fraction(weight, total << free)
        base = sum(1 << position for position, node in enumerate(reduced.core) if cube.get(node) == 1)
        loose = [position for position, node in enumerate(reduced.core) if node not in cube]
        for bits in product((0, 1), repeat=len(loose)):
            state = base | sum(bit << position for bit, position in zip(bits, loose))
            mass[state] = mass.get(state, Fraction(0)) + share
    return mass


def absorption(
    functions: Mapping[str, Expr],
    initial: Sequence[WeightedCube],
    *,
    max_states: int = MAX_STATES,
    exact_limit: int = EXACT_LIMIT,
    samples: int = SAMPLES,
    seed: int = 0,
    solver: AttractorSolver | None = None,
) -> Absorption:
    """The probability of ending in each attractor reachable from the initial states.

    Parameters
    ----------
    functions : Mapping[str, Expr]
        Update functions of every node (after the perturbation: fixed nodes are constants).
    initial : sequence of (cube, weight)
        The initial distribution: each cube's weight (a non-negative integer,
        e.g. its number of states before a treatment was written over it)
        spread evenly over its states. Cubes may overlap; their masses add.
    max_states : int
        Reachable states (of the core) beyond which the probability is estimated by simulation.
    exact_limit : int
        Reachable states up to which the linear systems are solved in exact rationals.
    samples, seed : int
        Simulated trajectories of the Monte-Carlo estimate, and the seed of its random numbers.
    solver : AttractorSolver, optional
        For Monte-Carlo: the symbolic solver (over the same nodes) that finds the reachable attractors.

    Returns
    -------
    Absorption

    Examples
    --------
    A negative loop (a cycle of transient states, B = A, A = not B) with an
    output; C copies A. Started from 00 it never settles: one cyclic attractor.

    >>> result = absorption({"A": ("not", "B"), "B": "A", "C": "A"}, [({"A": 0, "B": 0, "C": 0}, 1)])
    >>> [str(attractor) for attractor in result.attractors], result.exact
    (['***'], (Fraction(1, 1),))
    """
    if not initial:
        raise ValueError("no initial states")
    reduced = _reduce(functions, initial)
    if len(reduced.core) <= 62:  # a state must fit a signed 64-bit integer
        mass = _initial_mass(reduced, initial, max_states)
        if mass is not None:
            updates = _updates(reduced)
            states = _reachable(updates, sorted(mass), max_states)
            if states is not None:
                return _solve_exactly(reduced, updates, states, mass, exact_limit)
    return _simulate(functions, reduced, initial, samples, seed, solver)


# -- exactly ------------------------------------------------------------------------------


def _movable(updates: Sequence[Callable[[object], object]], states: States) -> list[numpy.typing.NDArray[numpy.bool_]]:
    """Per core node, which of the states it can change in."""
    import numpy

    return [
        numpy.asarray(update(states), dtype=numpy.int64) != ((states >> position) & 1)
        for position, update in enumerate(updates)
    ]


def _reachable(updates: Sequence[Callable[[object], object]], starts: Sequence[int], limit: int) -> States | None:
    """Every core state reachable from the starts, sorted (None once more than ``limit``)."""
    import numpy

    seen = numpy.unique(numpy.asarray(starts, dtype=numpy.int64))
    frontier = seen
    while frontier.size:
        following = [
            frontier[movable] ^ (1 << position)
            for position, movable in enumerate(_movable(updates, frontier))
            if movable.any()
        ]
        if not following:
            break
        candidates = numpy.unique(numpy.concatenate(following))
        frontier = candidates[~numpy.isin(candidates, seen, assume_unique=True)]
        seen = numpy.union1d(seen, frontier)
        if seen.size > limit:
            return None
    return seen


@dataclass(frozen=True, slots=True)
class _Chain:
    """The transitions among the reachable states, by index into the sorted states."""

    sources: numpy.typing.NDArray[numpy.int64]
    targets: numpy.typing.NDArray[numpy.int64]
    degree: numpy.typing.NDArray[numpy.int64]
    """Per state, how many nodes can change there: each transition out of it has probability 1/degree."""


def _chain(updates: Sequence[Callable[[object], object]], states: States) -> _Chain:
    import numpy

    sources, targets = [], []
    degree = numpy.zeros(states.size, dtype=numpy.int64)
    for position, movable in enumerate(_movable(updates, states)):
        where = numpy.flatnonzero(movable)
        sources.append(where)
        targets.append(numpy.searchsorted(states, states[where] ^ (1 << position)))
        degree += movable
    empty = numpy.zeros(0, dtype=numpy.int64)
    return _Chain(
        numpy.concatenate(sources) if sources else empty, numpy.concatenate(targets) if targets else empty, degree
    )


def _components_in_order(chain: _Chain, size: int) -> tuple[list[list[int]], list[bool]]:
    """The strongly connected components, upstream first, and whether each is terminal."""
    import numpy
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    graph = csr_matrix((numpy.ones(chain.sources.size), (chain.sources, chain.targets)), shape=(size, size))
    count, labels = connected_components(graph, directed=True, connection="strong")
    crossing = labels[chain.sources] != labels[chain.targets]
    upstream, downstream = labels[chain.sources][crossing], labels[chain.targets][crossing]
    terminal = numpy.ones(count, dtype=bool)
    terminal[upstream] = False
    # Kahn's topological sort of the condensation.
    pairs = numpy.unique(numpy.stack([upstream, downstream]), axis=1) if upstream.size else numpy.zeros((2, 0), int)
    following: list[list[int]] = [[] for _ in range(count)]
    waiting = [0] * count
    for a, b in zip(pairs[0].tolist(), pairs[1].tolist()):
        following[a].append(b)
        waiting[b] += 1
    ready = [component for component in range(count) if waiting[component] == 0]
    order: list[int] = []
    while ready:
        component = ready.pop()
        order.append(component)
        for after in following[component]:
            waiting[after] -= 1
            if waiting[after] == 0:
                ready.append(after)
    members: list[list[int]] = [[] for _ in range(count)]
    for state, label in enumerate(labels.tolist()):
        members[label].append(state)
    return [members[component] for component in order], [bool(terminal[component]) for component in order]


def _solve_exactly(
    reduced: _Reduced,
    updates: Sequence[Callable[[object], object]],
    states: States,
    initial: Mapping[int, Fraction],
    exact_limit: int,
) -> Absorption:
    """Push the initial mass through the condensation, upstream first; what reaches a terminal component stays."""
    import numpy

    chain = _chain(updates, states)
    components, terminal = _components_in_order(chain, states.size)
    order = numpy.argsort(chain.sources, kind="stable")
    sources, targets = chain.sources[order], chain.targets[order]
    starts = numpy.searchsorted(sources, numpy.arange(states.size + 1)).tolist()
    flow = _Flow(
        components, terminal, [targets[a:b].tolist() for a, b in zip(starts, starts[1:])], chain.degree.tolist()
    )
    index = numpy.searchsorted(states, numpy.asarray(sorted(initial), dtype=numpy.int64)).tolist()
    exact: tuple[Fraction, ...] | None = None
    if states.size <= exact_limit:
        rational = [Fraction(0)] * states.size
        for position, state in zip(index, sorted(initial)):
            rational[position] = initial[state]
        exact, _ = flow.absorb(rational, Fraction(0), _visits_rational)
        probabilities, error = tuple(float(p) for p in exact), 0.0
    else:
        real = [0.0] * states.size
        for position, state in zip(index, sorted(initial)):
            real[position] = float(initial[state])
        probabilities, error = flow.absorb(real, 0.0, _visits_float)
        error = max(error, abs(1.0 - sum(probabilities)))
    attractors = [_describe(reduced, states[component].tolist()) for component in flow.terminals()]
    ranked = sorted(range(len(attractors)), key=lambda i: _order_key(attractors[i]))
    return Absorption(
        tuple(attractors[i] for i in ranked),
        tuple(probabilities[i] for i in ranked),
        None if exact is None else tuple(exact[i] for i in ranked),
        "exact",
        error,
        int(states.size),
        0,
    )


Number = TypeVar("Number", Fraction, float)

Visits = Callable[[list[int], Sequence[list[int]], Sequence[int], Sequence[Number]], tuple[dict[int, Number], float]]
"""Expected visits to the states of a cyclic transient component, and the error of their solution."""


@dataclass(frozen=True, slots=True)
class _Flow:
    """The condensation of the reachable state graph, upstream first, and each state's transitions."""

    components: list[list[int]]
    terminal: list[bool]
    successors: list[list[int]]
    degree: list[int]

    def terminals(self) -> list[list[int]]:
        return [component for component, end in zip(self.components, self.terminal) if end]

    def absorb(self, mass: list[Number], zero: Number, visits: Visits[Number]) -> tuple[tuple[Number, ...], float]:
        """The mass each terminal component receives (in :meth:`terminals` order), and the solutions' error.

        ``mass`` starts as the initial distribution and is updated in place: every
        component receives all its inflow before it passes mass on.
        """
        absorbed: list[Number] = []
        error = 0.0
        for component, end in zip(self.components, self.terminal):
            if end:
                absorbed.append(sum((mass[state] for state in component), zero))
                continue
            if len(component) == 1:  # no self-loops: a single state is left at once
                expected, residual = {component[0]: mass[component[0]]}, 0.0
            else:
                expected, residual = visits(component, self.successors, self.degree, mass)
            error += residual
            inside = set(component)
            for state, times in expected.items():
                for target in self.successors[state]:
                    if target not in inside:
                        mass[target] += times / self.degree[state]
        return tuple(absorbed), error


def _visits_rational(
    component: list[int], successors: Sequence[list[int]], degree: Sequence[int], mass: Sequence[Fraction]
) -> tuple[dict[int, Fraction], float]:
    """Expected visits to each state of a cyclic transient component, in exact rationals.

    The visits ``z`` solve ``z(x) = a(x) + sum over w in C of z(w) P(w, x)``, ``a`` the mass that
    enters the component at ``x``. ``I - P_CC^T`` is a non-singular M-matrix (mass leaks out of C),
    and so is every symmetric permutation of it: Gaussian elimination may take the diagonal pivots
    in any order, and takes them sparsest first (Markowitz) to keep the fill-in, and the rationals, small.
    """
    position = {state: i for i, state in enumerate(component)}
    size = len(component)
    rows: list[dict[int, Fraction]] = [{i: Fraction(1)} for i in range(size)]
    rhs = [mass[state] for state in component]
    for state in component:
        for target in successors[state]:
            if target in position:
                row, column = position[target], position[state]
                rows[row][column] = rows[row].get(column, Fraction(0)) - Fraction(1, degree[state])
    columns: list[set[int]] = [set() for _ in range(size)]
    for row, entries in enumerate(rows):
        for column in entries:
            columns[column].add(row)
    remaining = set(range(size))
    order: list[int] = []
    while remaining:
        pivot = min(remaining, key=lambda i: (len(rows[i]) - 1) * (len(columns[i]) - 1))
        remaining.discard(pivot)
        order.append(pivot)
        pivot_row = rows[pivot]
        for row in columns[pivot] - {pivot}:
            if row not in remaining:
                continue
            entries = rows[row]
            factor = entries.pop(pivot) / pivot_row[pivot]
            for column, value in pivot_row.items():
                if column == pivot:
                    continue
                updated = entries.get(column, Fraction(0)) - factor * value
                if updated:
                    entries[column] = updated
                    columns[column].add(row)
                else:
                    entries.pop(column, None)
                    columns[column].discard(row)
            rhs[row] -= factor * rhs[pivot]
        columns[pivot] = {row for row in columns[pivot] if row not in remaining}
    # Each pivot row now mentions only pivots taken after it: solve them last to first.
    solution = [Fraction(0)] * size
    for pivot in reversed(order):
        entries = rows[pivot]
        known = sum((value * solution[column] for column, value in entries.items() if column != pivot), Fraction(0))
        solution[pivot] = (rhs[pivot] - known) / entries[pivot]
    return {state: solution[position[state]] for state in component}, 0.0


LU_LIMIT = 5000
"""States of a cyclic transient component up to which its system is factorised (sparse LU); beyond,
GMRES with an incomplete-LU preconditioner. On a ring with a racing pair of latches, a component of
4096 states: LU 0.5 s, GMRES 0.3 s; of 16384 states: LU 130 s, GMRES 9 s (the fill-in of LU grows fast)."""


def _visits_float(
    component: list[int], successors: Sequence[list[int]], degree: Sequence[int], mass: Sequence[float]
) -> tuple[dict[int, float], float]:
    """Expected visits as :func:`_visits_rational`, in float64; and the residual's 1-norm (the mass it may misplace)."""
    import numpy
    from scipy.sparse import csc_matrix, identity

    position = {state: i for i, state in enumerate(component)}
    rows, columns, values = [], [], []
    for state in component:
        for target in successors[state]:
            if target in position:
                rows.append(position[target])
                columns.append(position[state])
                values.append(1.0 / degree[state])
    size = len(component)
    flow = csc_matrix((values, (rows, columns)), shape=(size, size))
    system = csc_matrix(identity(size) - flow)
    rhs = numpy.asarray([mass[state] for state in component])
    solution = _iterative(system, rhs) if size > LU_LIMIT else None
    if solution is None:
        from scipy.sparse.linalg import splu

        # Minimum degree on A^T + A: several times less fill-in than the default COLAMD on these graphs.
        solution = splu(system, permc_spec="MMD_AT_PLUS_A").solve(rhs)
    residual = float(numpy.abs(system @ solution - rhs).sum())
    return {state: float(solution[position[state]]) for state in component}, residual


def _iterative(
    system: csc_matrix, rhs: numpy.typing.NDArray[numpy.float64]
) -> numpy.typing.NDArray[numpy.float64] | None:
    """GMRES preconditioned by an incomplete LU factorisation; None if it does not converge."""
    import numpy
    from scipy.sparse.linalg import LinearOperator, gmres, spilu

    factors = spilu(system, drop_tol=1e-5, fill_factor=10)
    preconditioner = LinearOperator(factors.shape, factors.solve)
    scale = float(numpy.abs(rhs).sum()) or 1.0
    solution, info = gmres(system, rhs, M=preconditioner, rtol=1e-13, atol=1e-15 * scale, restart=50, maxiter=1000)
    return solution if info == 0 else None


def _describe(reduced: _Reduced, core_states: Sequence[int]) -> Attractor:
    """The attractor over every node: its core states, the constants, and the outputs read over them."""
    pattern = _core_pattern(reduced.core, core_states)
    outputs = _output_values(reduced, core_states)
    full: dict[str, Value] = {}
    for node in reduced.order:
        if node in reduced.values:
            full[node] = "1" if reduced.values[node] else "0"
        elif node in outputs:
            full[node] = outputs[node]
        else:
            full[node] = pattern[node]
    free_outputs = sum(value == "*" for value in outputs.values())
    return Attractor(full, len(core_states) << free_outputs)


def _core_pattern(core: Sequence[str], states: Sequence[int]) -> dict[str, Value]:
    pattern: dict[str, Value] = {}
    for position, node in enumerate(core):
        seen = {(state >> position) & 1 for state in states}
        pattern[node] = "*" if len(seen) == 2 else "1" if 1 in seen else "0"
    return pattern


def _output_values(reduced: _Reduced, core_states: Sequence[int]) -> dict[str, Value]:
    """Each output's value over an attractor of the core ('*' where its function takes both values).

    As :func:`igfnet.dynamics.explicit.output_values`, over an explicit list of core states:
    downstream outputs are read over every value of the free outputs upstream of them.
    """
    values: dict[str, Value] = {}
    fixed: dict[str, int] = {}
    for node in reversed(reduced.outputs):
        function = reduced.residual[node]
        free = sorted(name for name in variables(function) if values.get(name) == "*")
        seen: set[bool] = set()
        for state in core_states:
            assignment = {name: (state >> position) & 1 for position, name in enumerate(reduced.core)} | fixed
            for bits in product((0, 1), repeat=len(free)):
                seen.add(evaluate(function, assignment | dict(zip(free, bits))))
            if len(seen) == 2:
                break
        values[node] = "*" if len(seen) == 2 else "1" if True in seen else "0"
        if values[node] != "*":
            fixed[node] = int(values[node])
    return values


def _order_key(attractor: Attractor) -> str:
    # As igfnet.dynamics.attractors.sort_attractors: by pattern, 0 before 1 before *.
    order = {"0": "0", "1": "1", "*": "2"}
    return "".join(order[value] for value in attractor.pattern.values())


# -- by simulation --------------------------------------------------------------------------


def _simulate(
    functions: Mapping[str, Expr],
    reduced: _Reduced,
    initial: Sequence[WeightedCube],
    samples: int,
    seed: int,
    solver: AttractorSolver | None,
) -> Absorption:
    """Estimate by simulating ``samples`` trajectories until each enters an attractor found symbolically."""
    if samples <= 0:
        raise ValueError(f"samples must be positive, got {samples}")
    from igfnet.dynamics.attractors import AttractorSolver

    solver = solver or AttractorSolver(list(functions))
    space = solver.space
    start = space.false
    for cube, weight in initial:
        if weight:
            start |= space.cube(cube)
    found = solver.reachable_attractors(functions, start)
    attractors = [solver.describe(states) for states in found]
    # Each attractor as cubes over the core: a state is in it when it agrees with one of them.
    others = [node for node in space.nodes if node not in reduced.core]
    position = {node: index for index, node in enumerate(reduced.core)}
    members: list[list[tuple[int, int]]] = []
    for states in found:
        cubes = space.cubes(space.exist(others, states))
        members.append([_mask(cube, position) for cube in cubes])
    updates = _updates(reduced)
    targets = _targets(reduced)
    rng = random.Random(seed)
    weights = [weight for _, weight in initial]
    where: dict[int, int] = {}
    counts = [0] * len(found)
    for _ in range(samples):
        cube = initial[rng.choices(range(len(initial)), weights=weights)[0]][0]
        state = sum(
            (cube[node] if node in cube else rng.getrandbits(1)) << index for index, node in enumerate(reduced.core)
        )
        counts[_run(state, updates, targets, members, where, rng)] += 1
    ranked = sorted(zip(attractors, counts), key=lambda pair: _order_key(pair[0]))
    return Absorption(
        tuple(a for a, _ in ranked), tuple(c / samples for _, c in ranked), None, "monte-carlo", 0.0, 0, samples
    )


def _mask(cube: Cube, position: Mapping[str, int]) -> tuple[int, int]:
    """A cube over the core as (mask, value): a state agrees with it when ``state & mask == value``."""
    mask = sum(1 << position[node] for node in cube)
    value = sum(1 << position[node] for node, bit in cube.items() if bit)
    return mask, value


def _targets(reduced: _Reduced) -> list[list[int]]:
    """Per core node, the core nodes whose update reads it (itself included): what a flip can change."""
    index = {node: position for position, node in enumerate(reduced.core)}
    targets: list[list[int]] = [[position] for position in range(len(reduced.core))]
    for node in reduced.core:
        for regulator in variables(reduced.residual[node]):
            if regulator in index and index[regulator] != index[node]:
                targets[index[regulator]].append(index[node])
    return targets


def _run(
    state: int,
    updates: Sequence[Callable[[object], object]],
    targets: Sequence[list[int]],
    members: Sequence[list[tuple[int, int]]],
    where: dict[int, int],
    rng: random.Random,
) -> int:
    """Follow one trajectory from ``state`` until it enters an attractor; the attractor's index."""
    movable = {position for position, update in enumerate(updates) if update(state) != (state >> position) & 1}
    for _ in range(MAX_STEPS):
        found = where.get(state)
        if found is None:
            found = next(
                (index for index, cubes in enumerate(members) if any(state & m == v for m, v in cubes)),
                -1,
            )
            if len(where) < MAX_REMEMBERED:
                where[state] = found
        if found >= 0:
            return found
        if not movable:
            break  # a fixed point outside every attractor: impossible unless the attractors are wrong
        flipped = rng.choice(sorted(movable))
        state ^= 1 << flipped
        for target in targets[flipped]:
            if updates[target](state) != (state >> target) & 1:
                movable.add(target)
            else:
                movable.discard(target)
    raise SimulationError(f"a simulated trajectory reached no attractor (last state {state:b})")
