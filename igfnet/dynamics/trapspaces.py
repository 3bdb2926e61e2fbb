"""Trap spaces: subspaces that the asynchronous dynamics never leaves.

A subspace (some nodes fixed, the others free) is a trap space when no
transition leaves it: every fixed node's update function takes the node's
value everywhere in the subspace. Every attractor lies in a minimal trap
space, and every minimal trap space holds at least one attractor (under
asynchronous update an attractor may also lie outside all of them).

The trap spaces are the answers of a small logic program, solved with clingo
(as mpbn and trappist do; measured faster than a BDD over 2n variables, as
aeon's, on the hardest published models). For each node ``v``, ``p(v)``
says the subspace has a state with ``v = 1``, ``n(v)`` one with ``v = 0``.
Each function is written as a disjunction of cubes (the paths of its BDD),
and so is its negation; the subspace has a state satisfying ``f_v`` exactly
when some cube's literals are all allowed in it (a subspace is a product of
its nodes' values), and then it must allow ``v = 1``. Minimal and maximal
trap spaces are the subset-minimal and -maximal answers over ``p`` and
``n`` (clasp's domain heuristic in ``domRec`` enumeration).

Examples
--------
A toggle switch and a node that, once on, stays on:

>>> network = {"A": ("not", "B"), "B": ("not", "A"), "C": ("or", "A", "C")}
>>> [sorted(space.items()) for space in minimal_trap_spaces(network)]
[[('A', 0), ('B', 1), ('C', 0)], [('A', 0), ('B', 1), ('C', 1)], [('A', 1), ('B', 0), ('C', 1)]]
>>> [sorted(space.items()) for space in maximal_trap_spaces(network)]
[[('A', 0), ('B', 1)], [('A', 1), ('B', 0)], [('C', 1)]]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from igfnet.dynamics.reduction import percolate
from igfnet.logic import Expr
from igfnet.types import Space

if TYPE_CHECKING:
    from igfnet.dynamics._symbolic import Function, SymbolicSpace

Cube = dict[int, bool]
"""A conjunction of literals: node index -> the value it requires."""


def minimal_trap_spaces(functions: Mapping[str, Expr], limit: int | None = None) -> list[Space]:
    """The minimal trap spaces, each as its fixed nodes' values, in a stable order.

    Parameters
    ----------
    functions : Mapping[str, Expr]
        Update functions (inputs: ``f(X) = X``).
    limit : int, optional
        Stop after this many.
    """
    return _sorted(trap_spaces(functions, "minimal", limit))


def maximal_trap_spaces(functions: Mapping[str, Expr], limit: int | None = None) -> list[Space]:
    """The maximal trap spaces other than the whole space, in a stable order.

    A network whose whole space is its only trap space has none.
    """
    return _sorted(trap_spaces(functions, "maximal", limit))


def trap_spaces(
    functions: Mapping[str, Expr], kind: Literal["minimal", "maximal"], limit: int | None = None
) -> Iterator[Space]:
    """The minimal or maximal trap spaces, as the solver finds them.

    Minimal trap spaces lie inside the subspace that percolation fixes (itself
    a trap space), so only the percolated network goes to the solver.
    """
    if kind == "minimal":
        values, residual = percolate(functions)
    else:
        values, residual = {}, dict(functions)
    fixed: Space = {node: int(value) for node, value in values.items()}  # type: ignore[misc]
    if not residual:
        if kind == "minimal":
            yield fixed
        return  # maximal: every node is constant, the only proper trap spaces are below the whole one
    yield from _solve(residual, fixed, kind, limit)


def _solve(functions: Mapping[str, Expr], fixed: Space, kind: str, limit: int | None) -> Iterator[Space]:
    import clingo

    nodes = list(functions)
    program = _program(nodes, functions, exclude_whole_space=kind == "maximal")
    # Domain modifier 5 (false) or 3 (true) on the shown atoms: subset-minimal or -maximal answers over p and n.
    preference = "5,16" if kind == "minimal" else "3,16"
    options = [f"--models={limit or 0}", "--heuristic=Domain", "--enum-mode=domRec", f"--dom-mod={preference}"]
    control = clingo.Control(options)
    control.add("base", [], program)
    control.ground([("base", [])])
    with control.solve(yield_=True) as handle:
        for model in handle:
            ones: set[int] = set()
            zeros: set[int] = set()
            for symbol in model.symbols(shown=True):
                (ones if symbol.name == "p" else zeros).add(symbol.arguments[0].number)
            space = dict(fixed)
            for index, node in enumerate(nodes):
                if index not in zeros:
                    space[node] = 1
                elif index not in ones:
                    space[node] = 0
            yield space


def _program(nodes: Sequence[str], functions: Mapping[str, Expr], exclude_whole_space: bool) -> str:
    from igfnet.dynamics._symbolic import SymbolicSpace

    space = SymbolicSpace(nodes)
    index = {space.name(node): position for position, node in enumerate(nodes)}
    lines = [f"node(0..{len(nodes) - 1}).", "{p(I); n(I)} :- node(I).", ":- node(I), not p(I), not n(I)."]
    for position, node in enumerate(nodes):
        function = space.expression(functions[node])
        for value, atom in ((function, "p"), (~function, "n")):
            for cube in _cubes(space, value, index):
                body = [f"{'p' if bit else 'n'}({regulator})" for regulator, bit in sorted(cube.items())]
                lines.append(f":- {', '.join([*body, f'not {atom}({position})'])}.")
    if exclude_whole_space:
        lines += ["fixed :- node(I), not p(I).", "fixed :- node(I), not n(I).", ":- not fixed."]
    lines += ["#show p/1.", "#show n/1."]
    return "\n".join(lines)


def _cubes(space: SymbolicSpace, function: Function, index: Mapping[str, int]) -> list[Cube]:
    """The paths of a BDD to true, each a cube; together they cover the function exactly."""
    from igfnet.dynamics._symbolic import cofactors

    levels = {level: index[name] for name, level in space.bdd.var_levels.items()}
    memo: dict[int, list[Cube]] = {}

    def paths(node: Function) -> list[Cube]:
        if node == space.true:
            return [{}]
        if node == space.false:
            return []
        key = int(node)
        if key not in memo:
            low, high = cofactors(node)
            variable = levels[node.level]
            memo[key] = [{**cube, variable: False} for cube in paths(low)] + [
                {**cube, variable: True} for cube in paths(high)
            ]
        return memo[key]

    return paths(function)


def _sorted(spaces: Iterator[Space]) -> list[Space]:
    return sorted(spaces, key=lambda space: sorted(space.items()))


def is_trap_space(functions: Mapping[str, Expr], space: Mapping[str, int]) -> bool:
    """Whether no transition leaves the subspace: each fixed node's function keeps its value there.

    Checked with BDDs, independently of the solver (tests and scripts use it as a cross-check).
    """
    from igfnet.dynamics._symbolic import SymbolicSpace

    symbolic = SymbolicSpace(list(functions))
    subspace = symbolic.cube(space)
    for node, value in space.items():
        function = symbolic.expression(functions[node])
        if (subspace & (~function if value else function)) != symbolic.false:
            return False
    return True
