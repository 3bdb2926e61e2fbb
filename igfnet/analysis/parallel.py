"""One parallel runner for the long analyses: screen, biomarkers, predict and mutation testing.

Work is a list of tasks; every worker builds its state once (``setup(*arguments)``:
a solver over the model, which travels with the job, pickled) and then calls
``work(state, task)`` per task. Tasks run in this process (``jobs=1``), in local
worker processes, or on the workers of a Dask cluster (``scheduler``), through
one executor interface. Every way fails alike: an error in a task is raised
here, as the task's own exception; Ctrl-C stops the main process, while the
workers ignore it, finish their current task and exit (and exit too if the
main process dies). A bounded number of tasks is in flight, so an interrupt
loses little and memory stays flat.
"""

from __future__ import annotations

import itertools
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from igfnet.errors import IgfnetError

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from distributed import Client

State = TypeVar("State")
Task = TypeVar("Task")
Result = TypeVar("Result")

NO_WORKERS_TIMEOUT = 60.0
"""Seconds a Dask cluster may have no worker at all before a run gives up on it (and says so)."""


@dataclass(frozen=True, slots=True)
class Job(Generic[State, Task, Result]):
    """What every worker builds once, ``setup(*arguments)``, and what it does per task, ``work(state, task)``.

    ``setup``, ``work`` and the arguments must pickle (module-level functions,
    the model itself, plain values).
    """

    setup: Callable[..., State]
    arguments: tuple[Any, ...]
    work: Callable[[State, Task], Result]


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def check_jobs(jobs: int | None) -> int:
    """``jobs``, or every core when None; an IgfnetError below 1."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise IgfnetError(f"--jobs {jobs}: give at least 1")
    return jobs


def run_tasks(
    job: Job[State, Task, Result],
    tasks: Sequence[Task],
    finished: Callable[[int, Result], None],
    *,
    jobs: int,
    scheduler: str | None = None,
    start_method: str | None = None,
) -> int:
    """Run every task; ``finished(index, result)`` hears each result as it arrives (in any order).

    Parameters
    ----------
    job : Job
        The workers' set-up and per-task work.
    tasks : sequence
        The tasks (each must pickle).
    finished : callable
        Called in this process with the task's index in ``tasks`` and its result.
    jobs : int
        Worker processes; with 1 (or one task) and no scheduler the tasks run in this process.
    scheduler : str, optional
        A Dask scheduler's address ("tcp://host:8786").
    start_method : str, optional
        How local workers start ("fork", "spawn", "forkserver"; default: the platform's).

    Returns
    -------
    int
        The processes used: 1 when the tasks ran here, else ``jobs`` (or the cluster's threads).
    """
    if scheduler is None and (jobs == 1 or len(tasks) <= 1):  # a pool would only add its start-up
        state = job.setup(*job.arguments)
        for index, task in enumerate(tasks):
            finished(index, job.work(state, task))
        return 1
    token = uuid.uuid4().hex
    executor, client = _executor(jobs, scheduler, start_method, token, job)
    running: dict[Future[Any], int] = {}
    try:
        workers = jobs if client is None else sum(w["nthreads"] for w in client.scheduler_info()["workers"].values())
        pending = iter(enumerate(tasks))

        # Local workers received the job once, when they started; Dask workers receive it with each task.
        shipped = None if client is None else job

        def submit(count: int) -> None:
            for index, task in itertools.islice(pending, count):
                running[executor.submit(_work_in_worker, token, shipped, task)] = index

        from concurrent.futures import FIRST_COMPLETED, wait

        submit(3 * max(workers, 1))
        idle_since: float | None = None
        while running:
            done, _ = wait(running, timeout=1.0, return_when=FIRST_COMPLETED)
            if client is not None and not done:
                idle_since = _check_workers(client, scheduler, idle_since)
            for future in done:
                index = running.pop(future)
                finished(index, _result(future, scheduler))
                submit(1)
    except BaseException:
        for future in running:
            future.cancel()
        raise
    finally:
        if client is None:
            # Workers ignore Ctrl-C: after an interrupt they finish their current task and exit.
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            executor.shutdown(wait=False)
            client.close()
    return workers


# -- in a worker -------------------------------------------------------------------------------

_JOB: dict[str, Job[Any, Any, Any]] = {}  # token -> the job a local worker was started for
_STATE: dict[str, Any] = {}  # token -> the state of the one job this worker serves


def _start_local_worker(parent: int, token: str, job: Job[Any, Any, Any]) -> None:
    _ignore_interrupts(parent)
    _JOB[token] = job  # set up at the first task: an error there is that task's, raised in the main process


def _work_in_worker(token: str, job: Job[Any, Task, Result] | None, task: Task) -> Result:
    """Build the job's state once per worker process and job (a worker serves one run at a time)."""
    state = _STATE.get(token)
    if state is None:
        job = job or _JOB[token]
        _STATE.clear()  # keep memory bounded: the previous run's state is done with
        state = _STATE[token] = job.setup(*job.arguments)
    return (job or _JOB[token]).work(state, task)


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


# -- executors ---------------------------------------------------------------------------------


def _executor(
    jobs: int, scheduler: str | None, start_method: str | None, token: str, job: Job[Any, Any, Any]
) -> tuple[Executor, Client | None]:
    """A concurrent.futures executor: local processes, or a Dask cluster's workers (same interface)."""
    if scheduler is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context(start_method)
        started = (os.getpid(), token, job)
        return ProcessPoolExecutor(jobs, context, initializer=_start_local_worker, initargs=started), None
    try:
        from distributed import Client
    except ImportError:
        raise IgfnetError(
            f"--scheduler {scheduler} needs Dask: pip install 'igfnet[dask]' (dask[distributed])"
        ) from None
    problem = _address_problem(scheduler)
    if problem:  # "foo", "http://...": not an address Dask can use
        raise IgfnetError(f"--scheduler {scheduler!r} is not a Dask scheduler address (tcp://host:8786): {problem}")
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        message = f"cannot reach the Dask scheduler at {scheduler}: {error}"
    else:
        return client.get_executor(pure=False), client
    # The Client that failed to start is garbage; finalised later by the garbage collector, its
    # close() can run inside another Dask thread's start and wait on that thread for ever.
    import gc

    gc.collect()
    raise IgfnetError(message)


def _address_problem(scheduler: str) -> str:
    """Why Dask cannot use ``scheduler`` as an address ('' when it can), checked without starting a Client."""
    from distributed.comm import registry
    from distributed.comm.addressing import get_address_host_port, parse_address

    try:
        scheme, _ = parse_address(scheduler)
        registry.get_backend(scheme)
        if scheme != "inproc":
            get_address_host_port(scheduler)
    except ValueError as error:
        return str(error)
    return ""


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


def _result(future: Future[Result], scheduler: str | None) -> Result:
    """A task's result; a task whose Dask workers kept dying is one IgfnetError naming the cause."""
    try:
        return future.result()
    except Exception as error:
        if type(error).__name__ != "KilledWorker":
            raise
        raise IgfnetError(
            f"Dask workers of {scheduler} died while computing a chunk ({str(error).split('. ')[0]}); "
            "with --output, --resume continues from the rows finished so far"
        ) from None
