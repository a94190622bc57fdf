"""Several searches at once, the best kept (`roster.portfolio`): in real processes."""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from roster import RosterProblem, SolveStatus, portfolio, validate
from roster.nrp import solve_nrp
from roster.portfolio import Search, best_of, can_spawn, seeds_for
from roster.read_nrp import read_nrp
from roster.result import RosterResult, roster_result
from tests.roster.instances import nrp_roster

TINY = Path(__file__).with_name("tiny_nrp.txt")
#: The tiny instance's optimum (100: day 0 needs D and L, B is off, A works one shift).
OPTIMUM = {"A": "LL-DDD-", "B": "-DDD--D"}
#: The same without B's day-6 D: one more person short (200).
SHORT = {"A": "LL-DDD-", "B": "-DDD---"}


# The searches below answer at once: the limits of 120 s only leave a loaded machine
# time to start their processes (the portfolio waits for an answer until the limit).


def _short_here_optimum_elsewhere(
    problem: RosterProblem, time_limit: float, seed: int
) -> RosterResult:
    """A search whose first seed ends at the short roster with a weak bound (50) and
    every other seed at the optimum with its proof (100): the portfolio's answer needs
    both processes' results."""
    if seed == 0:
        return roster_result(problem, nrp_roster(SHORT), seconds=0.0, bound=50)
    return roster_result(problem, nrp_roster(OPTIMUM), seconds=0.0, bound=100)


def _fails_elsewhere(problem: RosterProblem, time_limit: float, seed: int) -> RosterResult:
    if seed != 0:
        raise ValueError("a spawned search that fails")
    return roster_result(problem, nrp_roster(SHORT), seconds=0.0, bound=50)


def _proven_here_slow_elsewhere(
    problem: RosterProblem, time_limit: float, seed: int
) -> RosterResult:
    if seed == 0:
        found = roster_result(problem, nrp_roster(OPTIMUM), seconds=0.0, bound=100)
        return dataclasses.replace(found, status=SolveStatus.OPTIMAL)
    time.sleep(60)
    return roster_result(problem, nrp_roster(OPTIMUM), seconds=60.0, bound=100)


def test_the_best_roster_and_the_best_bound_are_kept_from_other_processes() -> None:
    p = read_nrp(TINY)
    result = best_of(_short_here_optimum_elsewhere, p, 120.0, seeds_for(0, 2))
    # the spawned seed's optimum (100) beats this process's 200, and its bound 100
    # meets it: proven optimal although the search here proved nothing
    assert result.objective == 100 and result.bound == 100
    assert result.status == SolveStatus.OPTIMAL
    assert set(result.roster) == set(nrp_roster(OPTIMUM))
    assert "best of 2 searches" in result.message and "(2 answered)" in result.message


def test_a_failed_process_loses_only_its_own_answer() -> None:
    p = read_nrp(TINY)
    result = best_of(_fails_elsewhere, p, 120.0, seeds_for(0, 3))
    assert result.objective == 200 and result.bound == 50
    assert result.status == SolveStatus.FEASIBLE
    assert "best of 3 searches" in result.message
    assert "(1 answered; none from: ValueError, ValueError)" in result.message


def _report_can_spawn(sender: Connection) -> None:
    sender.send(can_spawn())


def test_a_daemonic_process_runs_its_search_alone() -> None:
    # a portfolio's member (daemonic) may not start members of its own
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    member = context.Process(target=_report_can_spawn, args=(sender,), daemon=True)
    member.start()
    assert receiver.recv() is False
    member.join()
    assert can_spawn() is True


def test_the_seeds_differ_and_start_with_the_one_given() -> None:
    seeds = seeds_for(7, 3)
    assert seeds[0] == 7 and len(set(seeds)) == 3


def test_a_proven_optimum_here_ends_the_other_searches() -> None:
    # seed 0's answer is proven optimal: the spawned search (which would answer only
    # after a minute) is ended, and the answer is seed 0's as it is, with no note
    p = read_nrp(TINY)
    result = best_of(_proven_here_slow_elsewhere, p, 30.0, seeds_for(0, 2))
    assert result.status == SolveStatus.OPTIMAL and result.objective == 100
    assert result.message == ""


def test_solve_nrp_with_two_workers_runs_a_portfolio_of_two_seeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two workers and a limit of 10 s: two single-worker searches, on seed 1 here and
    # on another seed in a process of its own; the tiny optimum 100 (see test_nrp).
    seen: list[list[int]] = []

    def spy(search: Search, problem: RosterProblem, limit: float, seeds: list[int]) -> Any:
        seen.append(list(seeds))
        return best_of(search, problem, limit, seeds)

    monkeypatch.setattr(portfolio, "best_of", spy)
    p = read_nrp(TINY)
    result = solve_nrp(p, time_limit=10, seed=1, num_workers=2)
    assert seen == [seeds_for(1, 2)] and seen[0][0] == 1
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 100 and result.bound == 100
    assert validate(p, result.roster) == []


def test_one_worker_or_a_reproducible_search_runs_alone() -> None:
    p = read_nrp(TINY)
    for result in (
        solve_nrp(p, time_limit=10, seed=1, num_workers=1),
        solve_nrp(p, time_limit=10, seed=1, num_workers=2, deterministic=True),
    ):
        assert result.objective == 100
        assert "searches" not in result.message


def test_only_column_generation_s_path_runs_a_portfolio(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tiny instance takes column generation's path (fires); a horizon of 18 weeks
    # the long horizons' (`LONG_HORIZON_DAYS`, 120) and a pool counted big (the
    # threshold lowered to its 2 staff) the big pool's: one search each (does not).
    from roster import columns, nrp
    from tests.roster.test_windows import generated_nrp

    tiny = read_nrp(TINY)
    assert nrp._warm_started_by_columns(tiny, 60.0)
    assert not nrp._warm_started_by_columns(generated_nrp(weeks=18, staff=3), 60.0)
    monkeypatch.setattr(columns, "PROGRAMME_PRICING_STAFF", 2)
    assert not nrp._warm_started_by_columns(tiny, 60.0)
