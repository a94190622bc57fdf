"""The executor seam: every executor runs the same tasks to the same results, streams
them as they finish, honours the CPUs a task declares, and stops when cancelled."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from api.executors import ExecutorSettings, make_executor
from solving.executor import (
    ExecutorUnavailable,
    Finished,
    InlineExecutor,
    LocalExecutor,
    RayExecutor,
    Task,
)


def power(base: int, exponent: int) -> int:
    return int(base**exponent)


def fail_on(value: int) -> int:
    if value == 3:
        raise ValueError("three is refused")
    return value


def sleep_then(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def alone(marks: Path, key: str) -> bool:
    """Whether no other task ran while this one did: each marks itself running in
    `marks` (and unmarks at its end), then looks for another's mark for 2 s."""
    mine = marks / key
    mine.touch()
    try:
        for _ in range(20):
            if any(mark != mine for mark in marks.iterdir()):
                return False
            time.sleep(0.1)
        return True
    finally:
        mine.unlink()


def met(marks: Path, key: str, others: int) -> bool:
    """Whether this task saw `others` other tasks running beside it: each marks itself
    running in `marks`, then waits (up to a minute) for the others' marks."""
    (marks / key).touch()
    for _ in range(600):
        if len(list(marks.iterdir())) > others:
            return True
        time.sleep(0.1)
    return False


def by_key(results: list[Finished[int]]) -> dict[str, int | None]:
    return {r.key: r.value for r in results}


TASKS = [Task(f"t{k}", power, (k, 3)) for k in range(6)]


@pytest.mark.parametrize("executor", [InlineExecutor(), LocalExecutor(cpus=2)], ids=str)
def test_every_executor_returns_each_tasks_value(executor):
    results = list(executor.run(TASKS))
    assert by_key(results) == {f"t{k}": k**3 for k in range(6)}


def test_an_error_is_the_tasks_outcome_not_the_runs():
    for executor in (InlineExecutor(), LocalExecutor(cpus=2)):
        results = {r.key: r for r in executor.run([Task(f"t{k}", fail_on, (k,)) for k in (2, 3)])}
        assert results["t2"].value == 2 and results["t2"].ok
        assert results["t3"].error == "ValueError: three is refused"


def test_results_stream_in_the_order_they_finish():
    tasks = [Task("slow", sleep_then, (3.0, 1)), Task("fast", sleep_then, (0.0, 2))]
    order = [r.key for r in LocalExecutor(cpus=2).run(tasks)]
    assert order == ["fast", "slow"]


def test_a_task_declaring_all_cpus_runs_alone(tmp_path: Path):
    # two 2-CPU tasks on a 2-CPU budget run one after the other: neither sees the
    # other's mark (side by side, the second would see the first's for half a second)
    alone_marks, side_marks = tmp_path / "alone", tmp_path / "side"
    alone_marks.mkdir()
    side_marks.mkdir()
    tasks = [Task(k, alone, (alone_marks, k), cpus=2) for k in ("a", "b")]
    assert [r.value for r in LocalExecutor(cpus=2).run(tasks)] == [True, True]
    # one CPU each: side by side, each sees the other's mark
    tasks = [Task(k, met, (side_marks, k, 1), cpus=1) for k in ("a", "b")]
    assert [r.value for r in LocalExecutor(cpus=2).run(tasks)] == [True, True]


def sleep_then_mark(seconds: float, value: int, done: Path) -> int:
    """Sleep, then leave a file in `done`: a task ended before its end leaves none."""
    time.sleep(seconds)
    (done / str(value)).touch()
    return value


def test_cancel_stops_running_and_waiting_tasks(tmp_path: Path):
    tasks = [Task("quick", sleep_then, (0.0, 1))] + [
        Task(f"long{k}", sleep_then_mark, (60.0, k, tmp_path)) for k in range(3)
    ]
    seen: list[str] = []
    for result in LocalExecutor(cpus=2).run(tasks, should_stop=lambda: bool(seen)):
        seen.append(result.key)
    assert seen == ["quick"]
    # `run` returns only once its pool is shut down: a long task left to run on would
    # have marked its end by then; none did, so they were ended, not waited for
    assert list(tmp_path.iterdir()) == []


def test_inline_cancel_starts_nothing_more():
    seen: list[str] = []
    for result in InlineExecutor().run(TASKS, should_stop=lambda: len(seen) >= 2):
        seen.append(result.key)
    assert seen == ["t0", "t1"]


def test_task_keys_are_unique_and_cpus_positive():
    with pytest.raises(ValueError, match="repeated: t"):
        list(InlineExecutor().run([Task("t", power, (1, 1)), Task("t", power, (2, 1))]))
    with pytest.raises(ValueError, match="cpus must be ≥ 1"):
        Task("t", power, (1, 1), cpus=0)


def test_executor_chosen_by_name_or_environment(monkeypatch):
    monkeypatch.setenv("FAMPLAN_EXECUTOR", "inline")
    assert make_executor().name == "inline"
    local = make_executor("local", ExecutorSettings(executor_cpus=3))
    assert isinstance(local, LocalExecutor) and local.cpus == 3


def test_choosing_ray_without_ray_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    with pytest.raises(ExecutorUnavailable, match="famplan\\[ray\\]"):
        make_executor("ray")
    with pytest.raises(ExecutorUnavailable, match="famplan\\[ray\\]"):
        list(RayExecutor().run(TASKS))
