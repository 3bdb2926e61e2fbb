"""Mutation testing of a model's claims: which single-rule mutants of the model do the claims catch?

Every rule of a non-input node is mutated one small change at a time (made
constant, a literal dropped or negated, an ``and`` swapped for an ``or``),
and every claim is checked on each mutant, as ``igfnet validate`` checks it
on the model. A mutant is *killed* when some claim that holds on the model
fails on it; claims that kill nothing another claim does not kill add no
evidence for the rules. A mutant whose rule is logically equal to the
original (the same truth table) is *equivalent*: no claim could kill it, so
it is left out of the kill rate.

>>> from igfnet.model import BooleanNetwork
>>> from igfnet.rules import parse_rules
>>> model = BooleanNetwork(parse_rules("A = input 1\\nB = input 0\\nC = A and B\\n"))
>>> [mutant.description for mutant in mutants(model, kinds=["drop", "swap"])]
['C: drop A (A and B -> B)', 'C: drop B (A and B -> A)', 'C: swap and -> or (A and B -> A or B)']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from igfnet.analysis.parallel import Job, check_jobs, run_tasks
from igfnet.analysis.validate import Claim, setup_check
from igfnet.errors import IgfnetError
from igfnet.logic import Expr, conjunction, disjunction, exclusive_or, negate, substitute, to_text, variables
from igfnet.model import BooleanNetwork
from igfnet.rules import Rule

KINDS = ("constant0", "constant1", "drop", "flip", "swap")
"""The kinds of mutant, in the order they are generated for each rule."""

STATUSES = ("killed", "error", "survived", "equivalent")

TRUTH_TABLE_LIMIT = 20
"""Rules over more variables than this are compared as BDDs instead of truth tables."""

CSV_COLUMNS = ("id", "node", "kind", "description", "status", "killing_claims", "mutated_rule", "duplicates", "error")

Path = tuple[int, ...]
"""A place in an expression tree: the indices of the arguments that lead to it."""


@dataclass(frozen=True, slots=True)
class Mutant:
    """One single change to one node's rule.

    Attributes
    ----------
    id : str
        Stable: ``NODE:kind`` for constants, ``NODE:kind:N`` for the N-th
        literal (``drop``, ``flip``) or junction (``swap``) in reading order.
    node : str
        The node whose rule changes.
    kind : str
        One of :data:`KINDS`.
    description : str
        ``AKT: drop MTORC2 (PDK1 and MTORC2 -> PDK1)``.
    expression : Expr
        The mutated rule.
    equivalent : bool
        The mutated rule is logically equal to the original (same truth table).
    duplicates : tuple of str
        Ids of other mutants of the same node whose rules are logically equal
        to this one: merged into it, not run.
    """

    id: str
    node: str
    kind: str
    description: str
    expression: Expr
    equivalent: bool = False
    duplicates: tuple[str, ...] = ()

    def rule(self, original: Rule) -> Rule:
        """The node's rule with this mutation (evidence and source kept: they say where it came from)."""
        return replace(original, expression=self.expression, text=to_text(self.expression))


@dataclass(frozen=True, slots=True)
class MutantResult:
    """What the claims made of one mutant.

    ``status`` is ``killed`` (a claim that holds on the model fails),
    ``error`` (the mutant could not be analysed, e.g. too many attractors:
    counted as killed, reported apart), ``survived`` or ``equivalent`` (not
    run). ``observed`` has the readout of each checked claim, in the order of
    :attr:`MutationReport.claims`.
    """

    mutant: Mutant
    status: str
    killing: tuple[str, ...] = ()
    observed: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True, slots=True)
class RedundantClaim:
    """A claim that kills no mutant that another claim does not also kill.

    ``covered_by`` is a claim whose kill set contains this one's (None when
    it kills nothing); ``same`` says the two kill sets are equal.
    """

    claim: Claim
    kills: int
    covered_by: str | None
    same: bool


@dataclass(frozen=True, slots=True)
class MutationReport:
    """Every mutant's fate, and what it says about the claims.

    Attributes
    ----------
    results : tuple of MutantResult
        One per (de-duplicated) mutant, in generation order.
    claims : tuple of Claim
        The claims that can kill a mutant: they hold on the model and are not set-up checks.
    setup_checks : tuple of Claim
        Claims that read back a node their own context or treatment fixes:
        they hold on every mutant, so they test no rule.
    failing : tuple of Claim
        Claims that already fail on the model: left out, since failing on a
        mutant then says nothing about the mutation.
    baseline : tuple of str
        Each checked claim's readout on the model itself.
    seconds : float
        Wall-clock time of the run.
    jobs : int
        Worker processes used (1: in this process).
    """

    results: tuple[MutantResult, ...]
    claims: tuple[Claim, ...]
    setup_checks: tuple[Claim, ...]
    failing: tuple[Claim, ...]
    baseline: tuple[str, ...] = field(repr=False)
    seconds: float = 0.0
    jobs: int = 1

    def count(self, status: str, kind: str | None = None) -> int:
        return sum(r.status == status and (kind is None or r.mutant.kind == kind) for r in self.results)

    def non_equivalent(self, kind: str | None = None) -> int:
        return sum(r.status != "equivalent" and (kind is None or r.mutant.kind == kind) for r in self.results)

    def killed(self, kind: str | None = None) -> int:
        """Mutants killed by a claim or by an error."""
        return self.count("killed", kind) + self.count("error", kind)

    def kill_rate(self, kind: str | None = None) -> float | None:
        """Killed (by a claim or an error) / non-equivalent mutants (of one kind); None when there are none."""
        relevant = self.non_equivalent(kind)
        return self.killed(kind) / relevant if relevant else None

    @property
    def survivors(self) -> list[MutantResult]:
        return [r for r in self.results if r.status == "survived"]

    def kill_sets(self) -> dict[str, frozenset[str]]:
        """Each checked claim's id -> the ids of the mutants it kills (errors are no claim's kill)."""
        kills: dict[str, set[str]] = {claim.id: set() for claim in self.claims}
        for result in self.results:
            for claim_id in result.killing:
                kills[claim_id].add(result.mutant.id)
        return {claim_id: frozenset(ids) for claim_id, ids in kills.items()}

    def redundant_claims(self) -> list[RedundantClaim]:
        """Claims whose kill set is empty or contained in another claim's (preferring a strictly larger one)."""
        kills = self.kill_sets()
        redundant = []
        for claim in self.claims:
            own = kills[claim.id]
            if not own:
                redundant.append(RedundantClaim(claim, 0, None, False))
                continue
            others = [other.id for other in self.claims if other.id != claim.id and own <= kills[other.id]]
            if others:
                larger = [other for other in others if own < kills[other]]
                cover = (larger or others)[0]
                redundant.append(RedundantClaim(claim, len(own), cover, not larger))
        return redundant

    def duplicate_claims(self) -> list[tuple[Claim, ...]]:
        """Groups of claims with the same expected value and the same readout on the model and on every mutant run.

        Such claims have identical kill sets too: the same evidence written twice.
        """
        run = [r for r in self.results if r.status in ("killed", "survived")]
        groups: dict[tuple[str, ...], list[Claim]] = {}
        for index, claim in enumerate(self.claims):
            signature = (claim.expected, self.baseline[index], *(r.observed[index] for r in run))
            groups.setdefault(signature, []).append(claim)
        return [tuple(group) for group in groups.values() if len(group) > 1]

    def to_csv(self) -> str:
        """One row per mutant: :data:`CSV_COLUMNS`."""
        from igfnet.io import csv_text

        rows = []
        for r in self.results:
            m = r.mutant
            rows.append(
                [
                    m.id,
                    m.node,
                    m.kind,
                    m.description,
                    r.status,
                    ";".join(r.killing),
                    f"{m.node} = {to_text(m.expression)}",
                    ";".join(m.duplicates),
                    r.error,
                ]
            )
        return csv_text(CSV_COLUMNS, rows)


# -- generating mutants -----------------------------------------------------------------------


def check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """The kinds, checked: raise IgfnetError naming an unknown one."""
    chosen = tuple(kinds)
    for kind in chosen:
        if kind not in KINDS:
            raise IgfnetError(f"unknown mutant kind {kind!r} (known: {', '.join(KINDS)})")
    if not chosen:
        raise IgfnetError(f"no mutant kind chosen (known: {', '.join(KINDS)})")
    return chosen


def mutants(
    model: BooleanNetwork, kinds: Iterable[str] = KINDS, *, truth_table_limit: int = TRUTH_TABLE_LIMIT
) -> list[Mutant]:
    """Every single-rule mutant of the model's non-input nodes, equivalent ones flagged, duplicates merged.

    Parameters
    ----------
    model : BooleanNetwork
        The model; inputs are settings, not rules, and are not mutated.
    kinds : iterable of str
        Which of :data:`KINDS` to generate.
    truth_table_limit : int
        Rules over more variables are compared as BDDs (dd) instead of truth tables.

    Returns
    -------
    list of Mutant
        Per node, in model order: the first mutant of each distinct Boolean
        function (later ones listed in its ``duplicates``), each marked
        ``equivalent`` when its function is the original rule's.
    """
    chosen = check_kinds(kinds)
    found: list[Mutant] = []
    for node, rule in model.rules.items():
        if not rule.is_input:
            found.extend(
                _distinct(node, rule.expression, _candidates(node, rule.expression, chosen), truth_table_limit)
            )
    return found


def _candidates(node: str, expression: Expr, kinds: Sequence[str]) -> Iterator[Mutant]:
    """Every mutant of one rule, in a stable order, before equivalence and de-duplication."""
    before = to_text(expression)

    def mutant(id_: str, kind: str, what: str, mutated: Expr) -> Mutant:
        mutated = substitute(mutated, {})  # fold constants, flatten nested junctions of one operator
        return Mutant(id_, node, kind, f"{node}: {what} ({before} -> {to_text(mutated)})", mutated)

    for value in (0, 1):
        if f"constant{value}" in kinds:
            yield mutant(f"{node}:constant{value}", f"constant{value}", f"constant {value}", bool(value))
    literals = list(_literals(expression))
    if "drop" in kinds:
        for number, place in enumerate(literals, start=1):
            parent = place[:-1]
            junction = _at(expression, parent) if place else None
            if not (isinstance(junction, tuple) and junction[0] in ("and", "or", "xor")):
                continue  # a literal that is the whole rule (or under a double negation): nothing to drop it from
            rest = [argument for index, argument in enumerate(junction[1:], start=1) if index != place[-1]]
            # An emptied junction takes its neutral value (and: 1, or and xor: 0), as substitute() folds it.
            joiners = {"and": conjunction, "or": disjunction, "xor": exclusive_or}
            joined = joiners[junction[0]](*rest)
            literal = to_text(_at(expression, place))
            yield mutant(f"{node}:drop:{number}", "drop", f"drop {literal}", _replace(expression, parent, joined))
    if "flip" in kinds:
        for number, place in enumerate(literals, start=1):
            flipped = _replace(expression, place, negate(_at(expression, place)))
            yield mutant(f"{node}:flip:{number}", "flip", f"flip {to_text(_at(expression, place))}", flipped)
    if "swap" in kinds:
        for number, place in enumerate(_junctions(expression), start=1):
            junction = cast(tuple[Any, ...], _at(expression, place))
            other = "or" if junction[0] == "and" else "and"
            swapped = _replace(expression, place, cast(Expr, (other, *junction[1:])))
            yield mutant(f"{node}:swap:{number}", "swap", f"swap {junction[0]} -> {other}", swapped)


def _literals(expression: Expr, place: Path = ()) -> Iterator[Path]:
    """Where each literal (a name, or ``not`` a name) sits, in reading order."""
    if isinstance(expression, str):
        yield place
    elif isinstance(expression, tuple):
        if expression[0] == "not" and isinstance(expression[1], str):
            yield place
            return
        for index, argument in enumerate(expression[1:], start=1):
            yield from _literals(argument, (*place, index))


def _junctions(expression: Expr, place: Path = ()) -> Iterator[Path]:
    """Where each ``and``/``or`` sits, outermost first (swapping is not defined for ``xor``)."""
    if isinstance(expression, tuple):
        if expression[0] in ("and", "or"):
            yield place
        for index, argument in enumerate(expression[1:], start=1):
            yield from _junctions(argument, (*place, index))


def _at(expression: Expr, place: Path) -> Expr:
    for index in place:
        expression = cast(tuple[Expr, ...], expression)[index]
    return expression


def _replace(expression: Expr, place: Path, new: Expr) -> Expr:
    if not place:
        return new
    parts = list(cast(tuple[Any, ...], expression))
    parts[place[0]] = _replace(parts[place[0]], place[1:], new)
    return cast(Expr, tuple(parts))


def _distinct(node: str, original: Expr, candidates: Iterable[Mutant], truth_table_limit: int) -> list[Mutant]:
    """The first mutant of each Boolean function, the others merged into it; equivalent ones flagged."""
    key = _function_key(sorted(variables(original)), truth_table_limit)
    original_key = key(original)
    firsts: dict[object, Mutant] = {}
    merged: dict[object, list[str]] = {}
    for candidate in candidates:
        function = key(candidate.expression)
        if function in firsts:
            merged[function].append(candidate.id)
        else:
            firsts[function] = candidate
            merged[function] = []
    return [
        Mutant(m.id, m.node, m.kind, m.description, m.expression, function == original_key, tuple(merged[function]))
        for function, m in firsts.items()
    ]


def _function_key(names: Sequence[str], truth_table_limit: int) -> Callable[[Expr], object]:
    """A canonical key of an expression's Boolean function over ``names`` (a mutant adds no variable)."""
    if len(names) <= truth_table_limit:
        return lambda expression: truth_table(expression, names)
    from dd.autoref import BDD

    manager = BDD()
    manager.declare(*names)
    # With one manager and one variable order, a BDD is canonical: equal functions are the same node.
    return lambda expression: int(_bdd(manager, expression))


def truth_table(expression: Expr, names: Sequence[str]) -> int:
    """The truth table over ``names`` as an integer: bit ``j`` is the value where name ``i`` is bit ``i`` of ``j``.

    Examples
    --------
    >>> bin(truth_table(("and", "A", "B"), ["A", "B"])), bin(truth_table(("or", "A", "B"), ["A", "B"]))
    ('0b1000', '0b1110')
    """
    rows = 1 << len(names)
    everything = (1 << rows) - 1
    columns = {name: _column(index, rows) for index, name in enumerate(names)}

    def table(e: Expr) -> int:
        if isinstance(e, bool):
            return everything if e else 0
        if isinstance(e, str):
            return columns[e]
        if e[0] == "not":
            return everything & ~table(e[1])
        tables = [table(argument) for argument in e[1:]]
        result = tables[0]
        for other in tables[1:]:
            if e[0] == "xor":
                result ^= other
            else:
                result = result & other if e[0] == "and" else result | other
        return result

    return table(expression)


def _column(index: int, rows: int) -> int:
    """The truth-table column of variable ``index``: runs of 2^index zeros, then 2^index ones, repeated."""
    run = 1 << index
    pattern = ((1 << run) - 1) << run
    length = 2 * run
    while length < rows:
        pattern |= pattern << length
        length *= 2
    return pattern


def _bdd(manager: Any, expression: Expr) -> Any:
    if isinstance(expression, bool):
        return manager.true if expression else manager.false
    if isinstance(expression, str):
        return manager.var(expression)
    if expression[0] == "not":
        return ~_bdd(manager, expression[1])
    result = _bdd(manager, expression[1])
    for argument in expression[2:]:
        value = _bdd(manager, argument)
        if expression[0] == "xor":
            result = manager.apply("xor", result, value)
        else:
            result = result & value if expression[0] == "and" else result | value
    return result


# -- running the claims on every mutant ---------------------------------------------------------


def observe(model: BooleanNetwork, claims: Sequence[Claim]) -> tuple[str, ...]:
    """Each claim's readout on ``model``: one solver, so each context's untreated attractors are found once."""
    from igfnet.analysis.response import ResponseSolver

    solver = ResponseSolver(model)
    return tuple(solver.response(c.context, c.treatment).readout(c.readout) for c in claims)


def mutated_model(model: BooleanNetwork, mutant: Mutant) -> BooleanNetwork:
    """The model with one rule mutated (same drugs, contexts and claims).

    Its regulatory graph (:attr:`BooleanNetwork.graph`) is the model's: a
    drug or context that cuts an interaction the mutant lost (by a drop or a
    constant) is then accepted, and changes nothing, as the target no longer
    senses the source anyway, instead of being refused as a cut of nothing.
    """
    rules = [mutant.rule(rule) if node == mutant.node else rule for node, rule in model.rules.items()]
    mutated = model.with_rules(rules)
    mutated.__dict__["graph"] = model.graph  # graph is a cached_property: this is its cache
    return mutated


def downstream(model: BooleanNetwork) -> dict[str, frozenset[str]]:
    """Each node with every node whose rule depends on it, directly or through others.

    A mutation of X can change a readout only there: the nodes that do not
    depend on X form a network that ignores the rest (its rules read only
    each other), the asynchronous dynamics projected on it is its own, and
    so are the attractors reached there and the readout's values in them.
    """
    targets: dict[str, set[str]] = {node: set() for node in model.rules}
    for node, rule in model.rules.items():
        if not rule.is_input:
            for regulator in variables(rule.expression):
                targets[regulator].add(node)
    reach: dict[str, frozenset[str]] = {}
    for node in model.rules:
        seen, pending = {node}, [node]
        while pending:
            for target in targets[pending.pop()] - seen:
                seen.add(target)
                pending.append(target)
        reach[node] = frozenset(seen)
    return reach


Task = tuple[Mutant, tuple[int, ...]]
"""A mutant and the indices of the claims whose readout it can change."""


def _run_one(model: BooleanNetwork, claims: Sequence[Claim], task: Task) -> tuple[tuple[str, ...], str]:
    mutant, indices = task
    if not indices:
        return (), ""
    try:
        return observe(mutated_model(model, mutant), [claims[index] for index in indices]), ""
    except IgfnetError as error:
        return (), str(error)


def _start_worker(model: BooleanNetwork, claims: tuple[Claim, ...]) -> tuple[BooleanNetwork, tuple[Claim, ...]]:
    return model, claims


def _run_in_worker(state: tuple[BooleanNetwork, tuple[Claim, ...]], task: Task) -> tuple[tuple[str, ...], str]:
    model, claims = state
    return _run_one(model, claims, task)


def run_mutants(
    model: BooleanNetwork,
    claims: Sequence[Claim],
    *,
    kinds: Iterable[str] = KINDS,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    start_method: str | None = None,
) -> MutationReport:
    """Check every claim on every non-equivalent mutant of the model.

    Set-up checks are set aside and claims that fail on the model are left
    out. A mutant of X is asked only the claims whose readout depends on X
    (see :func:`downstream`); the others read as on the model, exactly.
    Each mutant gets one :class:`~igfnet.analysis.response.ResponseSolver`, so each context's untreated
    attractors are computed once per mutant.

    Parameters
    ----------
    model : BooleanNetwork
        The model the claims were written for.
    claims : sequence of Claim
        As read by :func:`igfnet.analysis.validate.read_claims`.
    kinds : iterable of str
        Which of :data:`KINDS` to generate.
    jobs : int, optional
        Worker processes (default: every core); 1 runs in this process.
    progress : callable, optional
        Called as ``progress(mutants_done, mutants_total)``.
    start_method : str, optional
        How worker processes start ("fork", "spawn", "forkserver"; default: the platform's).

    Returns
    -------
    MutationReport

    Raises
    ------
    IgfnetError
        An unknown kind, context or treatment (before any work starts), or a
        model on which the claims cannot be evaluated.
    """
    started = time.monotonic()
    jobs = check_jobs(jobs)
    _check_unique_ids(claims)
    generated = mutants(model, kinds)
    setup = tuple(claim for claim in claims if setup_check(model, claim))
    candidates = [claim for claim in claims if claim not in setup]
    observed_on_model = observe(model, candidates)
    passing = [i for i, claim in enumerate(candidates) if observed_on_model[i] == claim.expected]
    checked = tuple(candidates[i] for i in passing)
    failing = tuple(claim for i, claim in enumerate(candidates) if i not in passing)
    baseline = tuple(observed_on_model[i] for i in passing)

    reach = downstream(model)
    todo = [
        (m, tuple(i for i, claim in enumerate(checked) if claim.readout in reach[m.node]))
        for m in generated
        if not m.equivalent
    ]
    outcomes, used = _run_all(model, checked, todo, jobs, progress, start_method)
    results = []
    affected = {mutant.id: indices for mutant, indices in todo}
    for mutant in generated:
        if mutant.equivalent:
            results.append(MutantResult(mutant, "equivalent"))
            continue
        changed, error = outcomes[mutant.id]
        if error:
            results.append(MutantResult(mutant, "error", error=error))
            continue
        # The claims whose readout does not depend on the mutated node read as on the model (see downstream()).
        observed = list(baseline)
        for index, value in zip(affected[mutant.id], changed, strict=True):
            observed[index] = value
        killing = tuple(c.id for c, value in zip(checked, observed) if value != c.expected)
        results.append(MutantResult(mutant, "killed" if killing else "survived", killing, tuple(observed)))
    return MutationReport(tuple(results), checked, setup, failing, baseline, time.monotonic() - started, used)


def _check_unique_ids(claims: Sequence[Claim]) -> None:
    # A kill set is known by its claim's id: two claims under one id would pool their kills.
    first: dict[str, Claim] = {}
    for claim in claims:
        if claim.id in first:
            raise IgfnetError(f"claim id {claim.id!r} is used twice ({first[claim.id].source} and {claim.source})")
        first[claim.id] = claim


def _run_all(
    model: BooleanNetwork,
    claims: tuple[Claim, ...],
    todo: Sequence[Task],
    jobs: int,
    progress: Callable[[int, int], None] | None,
    start_method: str | None,
) -> tuple[dict[str, tuple[tuple[str, ...], str]], int]:
    """Each mutant's changed readouts (or error), by mutant id; and the processes used."""
    outcomes: dict[str, tuple[tuple[str, ...], str]] = {}
    if progress:
        progress(0, len(todo))

    def finished(index: int, outcome: tuple[tuple[str, ...], str]) -> None:
        outcomes[todo[index][0].id] = outcome
        if progress:
            progress(len(outcomes), len(todo))

    # The model travels to each worker (pickled), with the claims: a mutant is a small change to it.
    job = Job(_start_worker, (model, claims), _run_in_worker)
    used = run_tasks(job, todo, finished, jobs=jobs, start_method=start_method)
    return outcomes, used
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context(start_method)
    with ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=(model, claims)) as executor:
        futures = {executor.submit(_run_in_worker, task): task[0].id for task in todo}
        try:
            for future in as_completed(futures):
                outcomes[futures[future]] = future.result()
                if progress:
                    progress(len(outcomes), len(todo))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return outcomes
