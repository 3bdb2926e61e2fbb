"""Running a screen: chunks of combinations, in this process or on workers (local or Dask), journaled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from igfnet.analysis.parallel import Job, check_jobs, run_tasks
from igfnet.analysis.screen.journal import Journal, read_journal
from igfnet.analysis.screen.plan import Question, ScreenPlan
from igfnet.analysis.screen.results import ScreenResult, ScreenRow, with_synergy
from igfnet.analysis.screen.solver import ScreenSolver
from igfnet.perturb import Treatment

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork


@dataclass(frozen=True, slots=True)
class Task:
    """A chunk of work: contiguous combinations of one context (so a worker's caches serve them all)."""

    context: str
    combinations: tuple[Treatment, ...]


def solve_task(solver: ScreenSolver, task: Task) -> list[ScreenRow]:
    """One chunk's rows, on a worker's solver (built once per worker from the model and the question)."""
    return [solver.row(task.context, combination) for combination in task.combinations]


def _tasks(plan: ScreenPlan, done: set[tuple[str, str]], jobs: int, chunk_size: int | None) -> list[Task]:
    todo = {context: [c for c in plan.combinations if (context, c.name) not in done] for context in plan.contexts}
    total = sum(len(combinations) for combinations in todo.values())
    if chunk_size is None:
        # Enough chunks to keep every worker busy to the end, large enough to reuse each worker's caches.
        chunk_size = max(8, min(256, -(-total // (max(jobs, 1) * 8))))
    tasks = []
    for context, combinations in todo.items():
        for start in range(0, len(combinations), chunk_size):
            tasks.append(Task(context, tuple(combinations[start : start + chunk_size])))
    return tasks


def run_screen(
    model: BooleanNetwork,
    plan: ScreenPlan,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    journal: str | Path | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScreenResult:
    """Run a screen: every context of the plan under the base treatment plus every combination.

    Parameters
    ----------
    model : BooleanNetwork
        The model the plan was made for; worker processes receive it (pickled).
    jobs : int, optional
        Worker processes (default: every core). With 1 and no scheduler the
        screen runs in this process.
    scheduler : str, optional
        The address of a Dask scheduler ("tcp://host:8786"): the chunks run
        on its workers, through the same executor interface as local processes
        (see :mod:`igfnet.analysis.parallel`).
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
    jobs = check_jobs(jobs)
    rows: dict[tuple[str, str], ScreenRow] = {}
    fresh = True
    if journal is not None and resume and Path(journal).exists():
        for row in read_journal(journal, plan):  # rewritten: the header, then exactly these rows
            rows[row.key] = row
        fresh = False
    writer = Journal(journal, plan, fresh=fresh) if journal is not None else None
    try:
        tasks = _tasks(plan, set(rows), jobs, chunk_size)
        total = plan.size
        if progress:
            progress(len(rows), total)

        def finished(index: int, chunk: list[ScreenRow]) -> None:
            if writer is not None:
                writer.write(chunk)
            for row in chunk:
                rows[row.key] = row
            if progress:
                progress(len(rows), total)

        if tasks:
            job: Job[ScreenSolver, Task, list[ScreenRow]] = Job(_solver, (model, plan.question), solve_task)
            run_tasks(job, tasks, finished, jobs=jobs, scheduler=scheduler)
    finally:
        if writer is not None:
            writer.close()
    ordered = tuple(rows[key] for key in plan.keys())
    return ScreenResult(plan, tuple(with_synergy(ordered)))


def _solver(model: BooleanNetwork, question: Question) -> ScreenSolver:
    return ScreenSolver(model, question)
