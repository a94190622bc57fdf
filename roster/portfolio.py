"""Several searches of one problem at once, one core each, and the best answer kept.

Where a search's answer depends more on its seed than on its time, the cores of a
machine are worth more as independent searches than as lanes of one: on the
Curtois–Qu instances the same search on another seed lands in another basin, and
twice the time in the same basin gains little (Instance15, one worker: seed 0 3,854
in 120 s, seed 1 3,958 in 120 s after 3,853 in 60 s; Instance18 4,656 and 4,666 in
120 s, where seeds of 60 s range 4,467-4,661). Two lanes of one search share its
incumbent, and so its basin: Instance18 with two workers 4,569 and 4,665.

`best_of` runs the first seed in this process and every other one in a process of
its own (spawned: a search runs threads, which a fork would copy mid-state), each
with one CP-SAT worker, all to the same deadline; the best roster wins, and the bound
is the best of their bounds (each holds for the problem).

Pure search: no I/O; a failed or late process only loses its own answer.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Protocol

from roster.problem import RosterProblem
from roster.result import RosterResult
from solving.status import SolveStatus

#: A portfolio needs this many seconds at least: a process takes about a second to
#: start (its imports), which a short search would miss.
MIN_SECONDS = 10.0
#: Seconds before the deadline at which a spawned search is told to end, to send its
#: roster back in time (a 364-day roster of 150 people pickles in well under this).
RETURN_SECONDS = 0.5
#: Seconds past the deadline the portfolio waits for a spawned search's answer before
#: it ends that process and keeps the answers it has.
GRACE_SECONDS = 2.0
#: The seeds of the other searches: `seed + k * SEED_STRIDE`, far from the seeds a
#: caller would try one after another.
SEED_STRIDE = 1_000_003


class Search(Protocol):
    """A search of `problem` within `time_limit` seconds on `seed`, one CP-SAT worker.
    It must be a module-level function: a spawned process receives it by name."""

    def __call__(self, problem: RosterProblem, time_limit: float, seed: int) -> RosterResult: ...


def can_spawn() -> bool:
    """Whether this process may start others: a daemonic one (a worker of
    `multiprocessing.Pool`, or a portfolio's own member) may not."""
    return not multiprocessing.current_process().daemon


def seeds_for(seed: int, searches: int) -> list[int]:
    return [seed + k * SEED_STRIDE for k in range(searches)]


def best_of(
    search: Search, problem: RosterProblem, time_limit: float, seeds: Sequence[int]
) -> RosterResult:
    """The best of `search` on each of `seeds`, run at once, within `time_limit`.

    The first seed runs here; each other in a spawned process. The result is the
    lowest objective found (the earliest seed on a tie), its bound raised to the best
    of all bounds (never above it), OPTIMAL once they meet; `message` says how many
    searches answered. When the search here proves its roster optimal, the others are
    ended and its result is the answer, as it is."""
    at = time.monotonic() + time_limit
    context = multiprocessing.get_context("spawn")
    running: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    for seed in seeds[1:]:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_search_until, args=(sender, search, problem, at, seed), daemon=True
        )
        process.start()
        sender.close()
        running.append((process, receiver))
    try:
        here = search(problem, time_limit, seeds[0])
    except BaseException:
        _end(running)
        raise
    if here.status is SolveStatus.OPTIMAL:
        _end(running)  # no answer can beat a proven optimum: no waiting for one
        return here
    answers = [_collect(member, receiver, at) for member, receiver in running]
    return _combine([here, *answers])


def _end(running: Sequence[tuple[multiprocessing.process.BaseProcess, Connection]]) -> None:
    for member, receiver in running:
        receiver.close()
        member.terminate()
        member.join()


def _search_until(
    sender: Connection, search: Search, problem: RosterProblem, at: float, seed: int
) -> None:
    """A spawned search: to `RETURN_SECONDS` before the shared deadline `at`
    (`time.monotonic` is the machine's, the same in every process)."""
    try:
        result = search(problem, max(0.1, at - time.monotonic() - RETURN_SECONDS), seed)
    except Exception as error:  # the parent keeps its own answer; it learns the type
        sender.send(type(error).__name__)
    else:
        sender.send(result)
    finally:
        sender.close()


def _collect(
    process: multiprocessing.process.BaseProcess, receiver: Connection, at: float
) -> RosterResult | str:
    """The spawned search's result, or why there is none: its error's type, "late" or
    "ended" (the process died without an answer)."""
    try:
        if receiver.poll(max(0.0, at - time.monotonic()) + GRACE_SECONDS):
            answer: RosterResult | str = receiver.recv()
            return answer
        return "late"
    except EOFError:
        return "ended"
    finally:
        receiver.close()
        process.join(timeout=GRACE_SECONDS)
        if process.is_alive():
            process.terminate()
            process.join()


def _combine(results: Sequence[RosterResult | str]) -> RosterResult:
    """The best of `results`: the first is this process's own, the others a spawned
    search's result or why there is none."""
    first = results[0]
    assert isinstance(first, RosterResult)
    answered = [r for r in results if isinstance(r, RosterResult)]
    missing = [r for r in results if isinstance(r, str)]
    found = [r for r in answered if r.found and r.objective is not None]
    if not found:
        return first
    best = min(found, key=lambda r: r.objective or 0)  # min keeps the earliest on a tie
    assert best.objective is not None
    bounded = [r for r in answered if r.bound is not None]
    strongest = max(bounded, key=lambda r: r.bound or 0, default=None)
    bound = None if strongest is None else min(strongest.bound or 0, best.objective)
    note = f"the best of {len(results)} searches, each on its own seed ({len(answered)} answered"
    note += f"; none from: {', '.join(missing)})" if missing else ")"
    return dataclasses.replace(
        best,
        bound=bound,
        bound_by=best.bound_by if strongest is None else strongest.bound_by,
        status=SolveStatus.OPTIMAL if bound == best.objective else best.status,
        message=f"{best.message}; {note}" if best.message else note,
    )
