"""Running a screen: chunks of combinations, in this process or in worker processes (local or Dask)."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from igfnet.analysis.screen.journal import Journal, read_journal
from igfnet.analysis.screen.plan import Question, ScreenPlan, model_fingerprint
from igfnet.analysis.screen.results import ScreenResult, ScreenRow, with_synergy
from igfnet.analysis.screen.solver import ScreenSolver
from igfnet.combinations import (
    Combination,
)
from igfnet.errors import IgfnetError

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from distributed import Client

    from igfnet.model import BooleanNetwork


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
