"""One seam for running many independent solves: in this process, on a local process
pool, or on Ray (a laptop's ``ray.init()`` or a cluster), with the same results.

A `Task` is a picklable, module-level function, its frozen arguments and the CPUs it
uses (the CP-SAT workers it is given). `Executor.run(tasks)` yields a `Finished` for
each task as it finishes, in whatever order they finish; the caller matches them up by
`Finished.key`. A task's value depends only on its function and arguments, so a
reproducible search (deterministic CP-SAT) returns the same value on every executor.

Cancellation: `run(..., should_stop=...)` is polled while tasks run; once it holds, the
tasks not yet started never start, the running ones are stopped (their worker processes
ended, or `ray.cancel(force=True)`), and the iteration ends. The inline executor can
only stop between tasks.

Ray is optional (``pip install famplan[ray]``): it is imported only when a
`RayExecutor` runs, and a missing installation is `ExecutorUnavailable`, not an
ImportError deep in a sweep.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar, get_args

R = TypeVar("R")

#: How often a waiting executor looks at `should_stop` (seconds).
POLL_SECONDS = 0.1

__all__ = [
    "EXECUTOR_NAMES",
    "Executor",
    "ExecutorName",
    "ExecutorUnavailable",
    "Finished",
    "InlineExecutor",
    "LocalExecutor",
    "RayExecutor",
    "Task",
    "available_cpus",
]

#: The names front ends accept (``--executor``, ``FAMPLAN_EXECUTOR``, a sweep job's).
ExecutorName = Literal["inline", "local", "ray"]
EXECUTOR_NAMES: tuple[str, ...] = get_args(ExecutorName)


class ExecutorUnavailable(RuntimeError):
    """The chosen executor cannot run here (Ray not installed, no cluster at the address)."""


@dataclass(frozen=True)
class Task(Generic[R]):
    """One unit of work: ``function(*args)`` using `cpus` CPUs.

    `function` must be importable by name (a module-level function) and `args` picklable:
    both travel to another process or machine. Arguments shared by several tasks (the
    same object) are shipped once where the executor can (Ray's object store)."""

    key: str
    function: Callable[..., R]
    args: tuple[Any, ...] = ()
    cpus: int = 1

    def __post_init__(self) -> None:
        if self.cpus < 1:
            raise ValueError(f"task {self.key}: cpus must be ≥ 1, got {self.cpus}")


@dataclass(frozen=True)
class Finished(Generic[R]):
    """A task's outcome: its value, or the error it raised (as text: the exception may
    not survive the trip back from another process)."""

    key: str
    value: R | None = None
    error: str | None = None
    #: Wall seconds from submission to the result's arrival (queueing included).
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


class Executor(Protocol):
    name: str

    def run(
        self, tasks: Sequence[Task[R]], should_stop: Callable[[], bool] | None = None
    ) -> Iterator[Finished[R]]:
        """Run `tasks`, yielding each result as it finishes (see the module docstring)."""
        ...


def available_cpus() -> int:
    """CPUs this process may use (the affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _check_keys(tasks: Sequence[Task[R]]) -> None:
    repeated = [key for key, n in Counter(t.key for t in tasks).items() if n > 1]
    if repeated:
        raise ValueError(f"task keys must be unique; repeated: {', '.join(sorted(repeated))}")


# ------------------------------------------------------------------ inline


@dataclass
class InlineExecutor:
    """Runs the tasks one after another in this process (tests, debugging, one CPU)."""

    name: str = "inline"

    def run(
        self, tasks: Sequence[Task[R]], should_stop: Callable[[], bool] | None = None
    ) -> Iterator[Finished[R]]:
        _check_keys(tasks)
        for task in tasks:
            if should_stop is not None and should_stop():
                return
            started = time.perf_counter()
            try:
                value = task.function(*task.args)
            except Exception as error:
                yield Finished(task.key, error=_describe(error))
            else:
                yield Finished(task.key, value, seconds=time.perf_counter() - started)


# ------------------------------------------------------------------ local process pool


@dataclass
class LocalExecutor:
    """A `concurrent.futures.ProcessPoolExecutor` on this machine, filled up to `cpus`
    CPUs: a task is started only while the CPUs of the running tasks plus its own fit
    (a task needing more than all of them runs alone).

    Workers are started with ``spawn`` (a fresh interpreter, as on a Ray worker): forking
    a process that runs threads (a server, a solver's callbacks) can deadlock the child.
    """

    cpus: int = field(default_factory=available_cpus)
    name: str = "local"
    start_method: str = "spawn"

    def run(
        self, tasks: Sequence[Task[R]], should_stop: Callable[[], bool] | None = None
    ) -> Iterator[Finished[R]]:
        _check_keys(tasks)
        if not tasks:
            return
        budget = max(1, self.cpus)
        workers = min(len(tasks), budget // max(1, min(t.cpus for t in tasks)) or 1)
        context = multiprocessing.get_context(self.start_method)
        pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=context)
        waiting = list(tasks)
        running: dict[cf.Future[R], tuple[Task[R], float]] = {}
        stopped = False
        try:
            while waiting or running:
                used = sum(task.cpus for task, _ in running.values())
                while waiting and (not running or used + waiting[0].cpus <= budget):
                    task = waiting.pop(0)
                    future = pool.submit(task.function, *task.args)
                    running[future] = (task, time.perf_counter())
                    used += task.cpus
                done, _ = cf.wait(running, timeout=POLL_SECONDS, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    task, started = running.pop(future)
                    seconds = time.perf_counter() - started
                    error = future.exception()
                    if error is None:
                        yield Finished(task.key, future.result(), seconds=seconds)
                    else:
                        yield Finished(task.key, error=_describe(error), seconds=seconds)
                if should_stop is not None and should_stop():
                    stopped = True
                    return
        finally:
            if stopped or running:
                _terminate(pool)
            pool.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: cf.ProcessPoolExecutor) -> None:
    """End the pool's worker processes: a running solve in another process cannot be
    interrupted otherwise (`ProcessPoolExecutor.terminate_workers` arrives in 3.14)."""
    processes: dict[int, Any] = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()


# ------------------------------------------------------------------ Ray


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as error:
        raise ExecutorUnavailable(
            "the Ray executor needs Ray: pip install 'famplan[ray]' (or choose --executor local)"
        ) from error
    return ray


#: Arguments too small to be worth the object store.
_SCALARS = (int, float, str, bool, bytes, type(None))


def _call(function: Callable[..., R], *args: Any) -> R:
    """What runs on a Ray worker: the task's function on its (resolved) arguments."""
    return function(*args)


@dataclass
class RayExecutor:
    """Tasks as Ray remote functions with ``num_cpus`` = the task's CPUs, results
    streamed with ``ray.wait``.

    `address` is Ray's: None starts (or joins) a local instance, ``"auto"`` joins the
    cluster this machine belongs to, ``"ray://host:10001"`` connects through the Ray
    client. If Ray is already initialised (a test's ``ray.init(num_cpus=2)``), that
    instance is used. Arguments shared by several tasks are put in the object store
    once."""

    address: str | None = None
    name: str = "ray"
    #: CPUs of a local instance this executor starts (None: all of them).
    local_cpus: int | None = None

    def _ray(self) -> Any:
        ray = _import_ray()
        if not ray.is_initialized():
            try:
                if self.address:
                    ray.init(address=self.address, log_to_driver=False)
                else:
                    ray.init(num_cpus=self.local_cpus, include_dashboard=False, log_to_driver=False)
            except ConnectionError as error:
                raise ExecutorUnavailable(f"no Ray cluster at {self.address!r}: {error}") from error
        return ray

    def run(
        self, tasks: Sequence[Task[R]], should_stop: Callable[[], bool] | None = None
    ) -> Iterator[Finished[R]]:
        _check_keys(tasks)
        if not tasks:
            return
        ray = self._ray()
        remote = ray.remote(_call)
        uses = Counter(i for task in tasks for i in {id(arg) for arg in task.args})
        shared: dict[int, Any] = {}
        pending: dict[Any, tuple[Task[R], float]] = {}
        for task in tasks:
            args = []
            for arg in task.args:
                if uses[id(arg)] > 1 and not isinstance(arg, _SCALARS):
                    if id(arg) not in shared:
                        shared[id(arg)] = ray.put(arg)
                    args.append(shared[id(arg)])
                else:
                    args.append(arg)
            ref = remote.options(num_cpus=task.cpus, max_retries=0).remote(task.function, *args)
            pending[ref] = (task, time.perf_counter())
        try:
            while pending:
                done, _ = ray.wait(list(pending), num_returns=1, timeout=POLL_SECONDS)
                for ref in done:
                    task, started = pending.pop(ref)
                    seconds = time.perf_counter() - started
                    try:
                        value = ray.get(ref)
                    except Exception as error:
                        cause = getattr(error, "cause", None) or error
                        yield Finished(task.key, error=_describe(cause), seconds=seconds)
                    else:
                        yield Finished(task.key, value, seconds=seconds)
                if should_stop is not None and should_stop():
                    return
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)
