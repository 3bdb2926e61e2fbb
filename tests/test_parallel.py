"""The one parallel runner: the same results, order and failures whether tasks run here or in workers."""

from __future__ import annotations

import os

import pytest

from igfnet.analysis.parallel import Job, check_jobs, run_tasks
from igfnet.errors import IgfnetError


def setup(offset: int) -> dict[str, int]:
    return {"offset": offset, "pid": os.getpid()}


def work(state: dict[str, int], task: int) -> tuple[int, int]:
    if task < 0:
        raise IgfnetError(f"task {task} is negative")
    return task + state["offset"], state["pid"]


def collect(jobs: int, tasks: list[int]) -> tuple[list[int], set[int], int]:
    results: dict[int, tuple[int, int]] = {}
    used = run_tasks(Job(setup, (100,), work), tasks, results.__setitem__, jobs=jobs)
    return [results[i][0] for i in range(len(tasks))], {pid for _, pid in results.values()}, used


def test_workers_give_what_this_process_gives_each_result_under_its_task_index():
    tasks = list(range(20))
    here, pids_here, used_here = collect(1, tasks)
    there, pids_there, used_there = collect(2, tasks)
    assert here == there == [task + 100 for task in tasks]
    assert pids_here == {os.getpid()} and used_here == 1
    assert os.getpid() not in pids_there and used_there == 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_task_raises_its_own_error_here(jobs):
    with pytest.raises(IgfnetError, match="task -3 is negative"):
        collect(jobs, [1, 2, -3, 4, 5])


def test_jobs_below_one_are_refused():
    with pytest.raises(IgfnetError, match="--jobs 0"):
        check_jobs(0)
    assert check_jobs(None) >= 1
