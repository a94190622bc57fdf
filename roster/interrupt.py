"""Stopping a roster search from outside (a cancelled job): `Interrupt`.

CP-SAT stops a running search when asked from another thread (`CpSolver.stop_search`),
but only a search that has started. A watcher thread polls `should_stop` and, once it
holds, stops every registered solver on each poll until the search ends — so a solver
that was about to start when the request came is stopped on the next poll — while the
search loops (`roster.solve` between stages, `roster.lns` between sub-problems) check
`stopped` and start nothing new. The best roster found so far is kept.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from ortools.sat.python import cp_model

#: How often `should_stop` is polled: well inside the second a cancel may take.
POLL_SECONDS = 0.05


class Interrupt:
    """A search's stop switch; a context manager running the watcher while inside it.

    Without `should_stop` it never fires and starts no thread."""

    def __init__(
        self, should_stop: Callable[[], bool] | None = None, poll_seconds: float = POLL_SECONDS
    ) -> None:
        self._should_stop = should_stop
        self._poll = poll_seconds
        self._stopped = threading.Event()
        self._done = threading.Event()
        self._solvers: set[cp_model.CpSolver] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def stopped(self) -> bool:
        """Whether the search was asked to stop (checked between its steps)."""
        return self._stopped.is_set()

    def __enter__(self) -> Interrupt:
        if self._should_stop is not None:
            self._thread = threading.Thread(
                target=self._watch, name="roster-interrupt", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()

    @contextlib.contextmanager
    def watching(self, solver: cp_model.CpSolver) -> Iterator[cp_model.CpSolver]:
        """Register `solver` for the duration of its `solve` call."""
        with self._lock:
            self._solvers.add(solver)
        try:
            yield solver
        finally:
            with self._lock:
                self._solvers.discard(solver)

    def _watch(self) -> None:
        assert self._should_stop is not None
        while not self._done.wait(self._poll):
            if not self._stopped.is_set() and self._should_stop():
                self._stopped.set()
            if self._stopped.is_set():
                with self._lock:
                    solvers = list(self._solvers)
                for solver in solvers:
                    solver.stop_search()


#: The switch of a search nobody can stop.
NEVER = Interrupt()
