"""The Curtois–Qu reader and the engine on benchmark-style problems."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest

from roster import Assignment, ProblemError, RosterProblem, SolveStatus, total, validate
from roster.columns import applicable
from roster.nrp import solve_nrp
from roster.nrp_columns import mend_cover
from roster.nrp_stages import raised_bound
from roster.read_nrp import parse_nrp, read_nrp
from roster.result import RosterResult
from roster.solve import solve
from tests.roster.instances import REPRODUCIBLE, bench_nrp, nrp_roster

TINY = Path(__file__).with_name("tiny_nrp.txt")


def test_reader_maps_every_field() -> None:
    p = read_nrp(TINY)
    assert p.days == 7 and p.start_date.weekday() == 0
    assert [s.id for s in p.shift_types] == ["D", "L"]
    assert p.shift["L"].forbidden_next == ("D",) and p.shift["L"].duration_minutes == 600
    a = p.employee["A"]
    assert (a.max_minutes, a.min_minutes) == (3000, 960)
    assert (a.max_consecutive_shifts, a.min_consecutive_shifts) == (3, 2)
    assert (a.min_consecutive_days_off, a.max_weekends) == (1, 1)
    assert dict(a.max_shifts_per_type) == {"D": 7, "L": 2}
    assert a.absences == {6} and p.employee["B"].absences == {0}
    assert len(p.requests) == 3 and len(p.cover) == 14
    assert p.weekends == ((5, 6),)


def test_objective_of_a_hand_roster() -> None:
    # A: L L - D D - -   B: - D D D D - -   (legal: runs, days off, rotation, minutes)
    # cover: day 0 D missing (100), day 4 D has 2 for 1 (over 1), days 5 and 6 D missing
    # (200) → 301; requests: A gets L on day 0, B D on day 3, A is off on day 2 → 0.
    p = read_nrp(TINY)
    roster = nrp_roster({"A": "LL-DD--", "B": "-DDDD--"})
    assert validate(p, roster) == []
    assert total(p, roster) == 301


def test_tiny_instance_solved_to_its_optimum() -> None:
    # Day 0 needs D and L, B is off that day and A works one shift a day: at least one
    # missing (100). Brute force over all legal rosters (82 × 33 per-employee schedules)
    # confirms 100 is reachable, e.g. A: L L - D D D -, B: - D D D - - D.
    p = read_nrp(TINY)
    result = solve_nrp(p, time_limit=10, seed=1, deterministic=True)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 100 and result.bound == 100
    assert validate(p, result.roster) == []
    assert total(p, result.roster) == 100
    day0 = {a.shift for a in result.roster if a.day == 0}
    assert len(day0) == 1


def test_reader_errors_name_the_place() -> None:
    with pytest.raises(ProblemError, match="SECTION_HORIZON"):
        parse_nrp("SECTION_SHIFTS\nD,480,\n")
    with pytest.raises(ProblemError, match="not an integer"):
        parse_nrp("SECTION_HORIZON\nseven\n")


def test_instance1_to_its_known_optimum() -> None:
    # Published optimum 607 (BOUNDS.md: UB = LB = 607).
    p = bench_nrp("Instance1")
    result = solve_nrp(p, time_limit=30, seed=1, deterministic=True)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 607
    assert validate(p, result.roster) == []
    assert total(p, result.roster) == 607


def test_sequence_automaton_encoding_keeps_the_optimum() -> None:
    # The automaton restates rotation, run lengths and days off; it must not cut off
    # legal rosters (optimum stays 100) nor admit illegal ones (validator).
    from ortools.sat.python import cp_model

    from roster.model import RosterModel

    p = read_nrp(TINY)
    rm = RosterModel(p, sequence_automaton=True)
    rm.model.minimize(rm.total_expression())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    assert solver.objective_value == 100
    roster = tuple(
        Assignment(d, s, c, e) for (e, d, s, c), v in rm.x.items() if solver.boolean_value(v)
    )
    assert validate(p, roster) == []


def test_solve_takes_a_lower_bound_from_elsewhere() -> None:
    # The tiny optimum is 100. A bound of 100 keeps it (and is reported). The bound is
    # stated to CP-SAT as the objective's domain, so a wrong one (101) cuts the optimum
    # off: the caller must pass a proven bound.
    p = read_nrp(TINY)
    params = dataclasses.replace(REPRODUCIBLE, greedy_hint=False)
    kept = solve(p, time_limit=10, seed=1, parameters=params, lower_bound=100)
    assert kept.status == SolveStatus.OPTIMAL
    assert kept.objective == 100 and kept.bound == 100
    wrong = solve(p, time_limit=10, seed=1, parameters=params, lower_bound=101)
    assert wrong.objective is not None and wrong.objective >= 101


def test_solve_nrp_without_column_generation_uses_the_cover_only_start() -> None:
    # A fairness term (zero here: the tiny instance has no night shift) couples the
    # employees, so column generation does not apply; the cover-only warm start and the
    # full search still reach the optimum 100 and prove it.
    p = read_nrp(TINY)
    coupled = dataclasses.replace(p, weights=dataclasses.replace(p.weights, night_spread=1))
    assert not applicable(coupled)
    result = solve_nrp(coupled, time_limit=10, seed=1, deterministic=True)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 100
    assert validate(coupled, result.roster) == []


def _optimum_and_short() -> tuple[tuple[Assignment, ...], tuple[Assignment, ...]]:
    """The tiny instance's optimum (100), and the same without B's day-6 D (200)."""
    optimum = nrp_roster({"A": "LL-DDD-", "B": "-DDD--D"})
    return optimum, tuple(sorted(a for a in optimum if (a.employee, a.day) != ("B", 6)))


def test_mend_cover_adds_back_the_one_missing_shift() -> None:
    # The tiny optimum A: L L - D D D -, B: - D D D - - D leaves 1 person short (day 0
    # D: A works L, B is off). Without B's day-6 D it is 2 short. The least under-cover
    # is 1 short again, and of the rosters that reach it the closest adds back exactly
    # that shift: day 6's D can only be B's (A is off that day), and any other change
    # covers nothing more. So: cover level 100, then 1 change, the optimum itself.
    p = read_nrp(TINY)
    optimum, short = _optimum_and_short()
    assert validate(p, short) == [] and total(p, short) == 200  # 2 short, requests met
    mended = mend_cover(p, short, time_limit=10, seed=1, parameters=REPRODUCIBLE)
    assert mended.status == SolveStatus.OPTIMAL
    assert [s.objective for s in mended.stages] == [100, 1]
    assert mended.roster == tuple(sorted(optimum))
    assert total(p, mended.roster) == 100


def test_good_enough_stops_the_first_level_at_the_target() -> None:
    # The short roster of the test above is 200 on the cover level (2 short); 100 is the
    # least. With 200 as good enough, the cover level stops at the hint itself (one
    # worker: CP-SAT reports the complete hint as its first solution), unproven, and the
    # closest roster at that cover is the hint: 0 changes.
    p = read_nrp(TINY)
    optimum, short = _optimum_and_short()
    one_worker = dataclasses.replace(REPRODUCIBLE, greedy_hint=False)
    mended = mend_cover(p, short, time_limit=10, seed=1, parameters=one_worker, good_enough=200)
    assert [s.objective for s in mended.stages] == [200, 0]
    assert mended.stages[0].status == SolveStatus.FEASIBLE
    assert mended.roster == short
    # a target below the least cover (100) is never reached: the level searches on
    # until it proves 100, as without a target
    mended = mend_cover(p, short, time_limit=10, seed=1, parameters=one_worker, good_enough=50)
    assert [s.objective for s in mended.stages] == [100, 1]
    assert mended.roster == tuple(sorted(optimum))


def test_good_enough_ends_a_weighted_sum_search_at_the_target() -> None:
    # One weighted sum (with LNS): the short roster (200) is good enough, so the first
    # CP-SAT run stops at that hint and neither the LNS nor the last run starts; 100
    # (the optimum) when the target lies below every roster.
    p = read_nrp(TINY)
    _, short = _optimum_and_short()
    one_worker = dataclasses.replace(REPRODUCIBLE, greedy_hint=False)
    stopped = solve(p, time_limit=10, seed=1, hint=short, parameters=one_worker, good_enough=200)
    assert stopped.status == SolveStatus.FEASIBLE and stopped.objective == 200
    assert stopped.roster == short
    full = solve(p, time_limit=10, seed=1, hint=short, parameters=one_worker, good_enough=50)
    assert full.status == SolveStatus.OPTIMAL and full.objective == 100


def test_level_shares_give_the_first_level_its_share(monkeypatch: pytest.MonkeyPatch) -> None:
    # Lexicographic tiny instance: two levels (cover, requests). By default the first
    # level gets half of the 8 s; with level_shares=(0.75,) it gets three quarters. On
    # the work clock (reproducible) the model build costs no work: exactly 4 s and 6 s.
    import importlib

    solve_module = importlib.import_module("roster.solve")
    p = read_nrp(TINY)
    p = dataclasses.replace(p, weights=dataclasses.replace(p.weights, lexicographic=True))
    budgets: list[float] = []
    real_stage = solve_module.solve_stage

    def spy(rm: Any, budget: float, *args: Any, **kwargs: Any) -> Any:
        budgets.append(budget)
        return real_stage(rm, budget, *args, **kwargs)

    monkeypatch.setattr(solve_module, "solve_stage", spy)
    for shares in ((), (0.75,)):
        params = dataclasses.replace(REPRODUCIBLE, greedy_hint=False, level_shares=shares)
        result = solve(p, time_limit=8, seed=1, parameters=params)
        assert result.status is SolveStatus.OPTIMAL and result.objective == 100
    assert len(budgets) == 4
    assert budgets[0] == 4.0  # default: an equal part
    assert budgets[2] == 6.0  # 0.75 of the remaining time


def _spy_on_solve_nrp(
    monkeypatch: pytest.MonkeyPatch, dive_roster: tuple[Assignment, ...]
) -> list[tuple[bool, tuple[Assignment, ...] | None]]:
    """Make column generation return `dive_roster` (LP: 1 person short, bound 100, as
    on the tiny instance) and record each search `solve_nrp` starts: (cover-only?, hint)."""
    from roster import columns, nrp_columns

    def dive(problem: object, *args: object, **kwargs: object) -> columns.ColumnResult:
        return columns.ColumnResult(dive_roster, 100, 100.0, 1.0, 100.0, 1, 1, 0.0)

    calls: list[tuple[bool, tuple[Assignment, ...] | None]] = []
    real_solve = solve  # what `roster.nrp_columns` calls, until replaced below

    def spy(problem: RosterProblem, **kwargs: Any) -> RosterResult:
        calls.append((not problem.requests, kwargs.get("hint")))
        return real_solve(problem, **kwargs)

    monkeypatch.setattr(columns, "generate", dive)
    monkeypatch.setattr(nrp_columns, "solve", spy)
    return calls


def test_a_dive_roster_short_of_cover_is_repaired_first(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tiny optimum (100) leaves 1 person short, as its LP does. A dive roster with
    # A on D days 1-2 and B on D day 3 (legal) leaves more short: `mend_cover` runs first,
    # on the cover-only problem hinted with it, then the full search reaches the optimum.
    p = read_nrp(TINY)
    poor = tuple(sorted(Assignment(d, "D", "ward", e) for e, d in (("A", 1), ("A", 2), ("B", 3))))
    assert validate(p, poor) == []
    calls = _spy_on_solve_nrp(monkeypatch, poor)
    result = solve_nrp(p, time_limit=10, seed=1, deterministic=True)
    assert calls[0] == (True, poor)  # fires: cover-only, hinted with the dive
    assert calls[-1][0] is False  # the real problem last
    assert result.status == SolveStatus.OPTIMAL and result.objective == 100


def test_one_worker_searches_from_a_short_dive_roster_without_mending_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same short dive roster as above, with one CP-SAT worker: no cover-only mend
    # (`MEND_MIN_WORKERS`), the full search starts from the dive's roster and still
    # reaches the tiny optimum 100 (bound 100 from the dive's LP).
    p = read_nrp(TINY)
    poor = tuple(sorted(Assignment(d, "D", "ward", e) for e, d in (("A", 1), ("A", 2), ("B", 3))))
    calls = _spy_on_solve_nrp(monkeypatch, poor)
    result = solve_nrp(p, time_limit=10, seed=1, num_workers=1, deterministic=True)
    assert calls == [(False, poor)]
    assert result.status == SolveStatus.OPTIMAL and result.objective == 100


def test_a_dive_roster_as_short_as_the_lp_goes_straight_to_the_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The optimal roster is 1 person short, no more than the LP: no cover-only search;
    # the full search starts from it and stops at once at the bound 100.
    p = read_nrp(TINY)
    best = solve(
        p, time_limit=10, seed=1, parameters=dataclasses.replace(REPRODUCIBLE, greedy_hint=False)
    )
    assert best.status is SolveStatus.OPTIMAL and best.objective == 100
    calls = _spy_on_solve_nrp(monkeypatch, best.roster)
    result = solve_nrp(p, time_limit=10, seed=1, deterministic=True)
    assert calls == [(False, best.roster)]  # does not fire
    assert result.status == SolveStatus.OPTIMAL and result.objective == 100


def _first_roster_asked(monkeypatch: pytest.MonkeyPatch, problem: RosterProblem) -> dict[str, Any]:
    """The keyword arguments `solve_nrp` hands the programme's first roster of
    `problem`, its pool counted big (the threshold lowered to its staff)."""
    from roster import best_responses, columns

    class Started(Exception):
        pass

    asked: list[dict[str, Any]] = []

    def spy(problem: RosterProblem, deadline: float, **kwargs: Any) -> None:
        asked.append({"deadline": deadline, **kwargs})
        raise Started

    monkeypatch.setattr(columns, "PROGRAMME_PRICING_STAFF", len(problem.employees))
    monkeypatch.setattr(best_responses, "first_roster", spy)
    with pytest.raises(Started):
        solve_nrp(problem, time_limit=5.0, num_workers=1)
    (kwargs,) = asked
    return kwargs


@pytest.mark.parametrize(("weeks", "minimised"), [(2, True), (8, False)])
def test_a_big_pool_starts_over_the_minimised_automaton_only_on_a_short_horizon(
    monkeypatch: pytest.MonkeyPatch, weeks: int, minimised: bool
) -> None:
    # A pool counted big: its first roster runs the programmes over the minimised
    # automaton on 14 days, not on 56 (from `MINIMISED_START_DAYS` on, where the band of
    # minutes did better on Instance20).
    from tests.roster.test_windows import generated_nrp

    asked = _first_roster_asked(monkeypatch, generated_nrp(weeks=weeks, staff=3))
    assert asked["minimised"] is minimised


def test_a_big_pool_s_first_pass_may_finish_past_its_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The first roster's rounds stop at `POOL_START_SHARE` of the time left, but its first
    # pass may run on to `POOL_START_LATEST` of it on a loaded machine: without a first
    # roster a big pool has no groups to run.
    from roster import nrp_pool
    from tests.roster.test_windows import generated_nrp

    asked = _first_roster_asked(monkeypatch, generated_nrp(weeks=2, staff=3))
    assert nrp_pool.POOL_START_SHARE < nrp_pool.POOL_START_LATEST
    assert asked["finish_by"] > asked["deadline"]


@pytest.mark.parametrize("limited", [True, False])
def test_a_big_pool_plans_its_weekends_before_its_first_roster(
    monkeypatch: pytest.MonkeyPatch, limited: bool
) -> None:
    # A pool counted big, two weeks: where each may work one weekend (fires), the first
    # roster's first pass is held to a weekend plan (`roster.weekend_plan`) of every
    # employee's four weekend days, that keeps the limit; where no weekend is limited
    # (does not fire), to none.
    from tests.roster.test_windows import generated_nrp

    p = generated_nrp(weeks=2, staff=3)
    if not limited:
        p = dataclasses.replace(
            p, employees=tuple(dataclasses.replace(e, max_weekends=None) for e in p.employees)
        )
    fixed = _first_roster_asked(monkeypatch, p)["fixed"]
    if not limited:
        assert fixed is None
        return
    assert set(fixed) == {(e.id, d) for e in p.employees for d in (5, 6, 12, 13)}
    for e in p.employees:
        worked = {d for d in (5, 6, 12, 13) if fixed[(e.id, d)] is not None}
        assert worked <= {5, 6} or worked <= {12, 13}


@pytest.mark.parametrize(
    ("weeks", "plan"), [(4, (6.0, 0.7, 1)), (7, (6.0, 0.5, 1)), (8, (8.0, 0.25, 2))]
)
def test_a_long_horizon_gives_column_generation_more_time_and_two_dives(
    monkeypatch: pytest.MonkeyPatch, weeks: int, plan: tuple[float, float, int]
) -> None:
    # 28 days (CP-SAT's pricing): column generation gets `COLUMN_SHARE` (0.6) of 10 s,
    # its root `ROOT_SHARE` (0.7) of that, and one dive; 49 days (the programme's
    # pricing, from `columns.PROGRAMME_PRICING_DAYS`, 42) the same but the root
    # `PROGRAMME_ROOT_SHARE` (0.5); from `LONG_ROOT_DAYS` (56) on it gets
    # `LONG_COLUMN_SHARE` (0.8), the root `LONG_ROOT_SHARE` (0.25) of it and
    # up to `LONG_DIVES` (2) dives. Limits of 6 and 8 s from about 10 s (the capacities'
    # bound took a little of the time first).
    from roster import columns
    from tests.roster.test_windows import generated_nrp

    class Started(Exception):
        pass

    asked: list[tuple[float, object, object]] = []

    def spy(problem: RosterProblem, time_limit: float, **kwargs: object) -> None:
        asked.append((time_limit, kwargs.get("root_share"), kwargs.get("dives")))
        raise Started

    monkeypatch.setattr(columns, "generate", spy)
    with pytest.raises(Started):
        solve_nrp(generated_nrp(weeks=weeks, staff=3), time_limit=10.0, num_workers=1)
    ((limit, root, dives),) = asked
    assert limit == pytest.approx(plan[0], abs=0.5)
    assert (root, dives) == plan[1:]


def _big_pool(monkeypatch: pytest.MonkeyPatch, start: tuple[Assignment, ...]) -> list[str]:
    """Count TINY's 2 staff as a big pool whose groups are single employees, make the
    programme's first roster `start`, and record which warm starts `solve_nrp` runs."""
    from roster import best_responses, columns, groups

    ran: list[str] = []
    real_generate, real_improve = columns.generate, groups.improve

    def generate(*args: Any, **kwargs: Any) -> columns.ColumnResult:
        ran.append("columns")
        return real_generate(*args, **kwargs)

    def improve(*args: Any, **kwargs: Any) -> Any:
        ran.append("groups")
        return real_improve(*args, **kwargs)

    monkeypatch.setattr(columns, "PROGRAMME_PRICING_STAFF", 2)
    monkeypatch.setattr(groups, "MIN_GROUP_SIZE", 1)
    monkeypatch.setattr(best_responses, "first_roster", lambda *args, **kwargs: start)
    monkeypatch.setattr(columns, "generate", generate)
    monkeypatch.setattr(groups, "improve", improve)
    return ran


def test_a_big_pool_improves_the_programme_roster_by_employee_groups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The programme's roster (A on D days 1-2, B on D day 3) costs 704: 7 of the 10
    # persons short, A's requests for L on day 0 (3) and to be off D on day 2 (1) unmet.
    # The employee-group LNS fires instead of column generation, with groups of one
    # employee, each re-planned alone against the other: A takes L day 0 and D days
    # 2-3, B D days 3-6; then neither alone does better (301: D days 0-1 and L day 1
    # short, A's day-2 request broken). The tiny optimum 100 needs both to move at once.
    p = read_nrp(TINY)
    start = tuple(sorted(Assignment(d, "D", "ward", e) for e, d in (("A", 1), ("A", 2), ("B", 3))))
    assert total(p, start) == 704
    ran = _big_pool(monkeypatch, start)
    result = solve_nrp(p, time_limit=10, seed=1, num_workers=1, deterministic=True)
    assert ran == ["groups"]
    assert result.status == SolveStatus.FEASIBLE and result.objective == 301
    # the weekend programme's bound is its bound: 0, since B may work the weekend; the
    # capacities' bound is not computed where the weekend programme proved one
    assert result.bound == 0 and "weekend programme's" in result.message
    assert validate(p, result.roster) == []
    assert {(a.employee, a.day, a.shift) for a in result.roster} == {
        ("A", 0, "L"),
        ("A", 2, "D"),
        ("A", 3, "D"),
        ("B", 3, "D"),
        ("B", 4, "D"),
        ("B", 5, "D"),
        ("B", 6, "D"),
    }


def test_a_big_pool_reports_the_weekend_programme_s_bound_where_it_is_higher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # TINY's weekend can be staffed (the weekend programme's bound and the capacities'
    # are 0, above), but A now asks to work D on Sunday, a day A is absent: every roster
    # pays its 5, which the weekend programme counts (fires) and the capacities' bound,
    # blind to requests, does not.
    from roster.problem import ShiftRequest

    tiny = read_nrp(TINY)
    p = dataclasses.replace(
        tiny, requests=(*tiny.requests, ShiftRequest("A", 6, "D", on=True, weight=5))
    )
    start = tuple(sorted(Assignment(d, "D", "ward", e) for e, d in (("A", 1), ("A", 2), ("B", 3))))
    ran = _big_pool(monkeypatch, start)
    result = solve_nrp(p, time_limit=10, seed=1, num_workers=1, deterministic=True)
    assert ran == ["groups"]
    assert result.bound == 5 and "weekend programme" in result.message
    assert result.objective is not None and result.objective >= 5
    assert validate(p, result.roster) == []


def test_a_big_pool_whose_weekends_prove_no_bound_reports_the_capacities(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The weekend programme found neither a plan nor a bound in its time (None): the
    # capacities' bound on cover (`roster.cover_bound`) is computed after it and
    # reported instead: 0 on TINY, whose two staff may cover every demand between them.
    # The first roster starts without a plan to hold to.
    from roster import best_responses, weekend_plan

    p = read_nrp(TINY)
    start = tuple(sorted(Assignment(d, "D", "ward", e) for e, d in (("A", 1), ("A", 2), ("B", 3))))
    ran = _big_pool(monkeypatch, start)
    held: list[object] = []

    def first_roster(*args: Any, **kwargs: Any) -> tuple[Assignment, ...]:
        held.append(kwargs["fixed"])
        return start

    monkeypatch.setattr(weekend_plan, "plan_weekends", lambda *args, **kwargs: None)
    monkeypatch.setattr(best_responses, "first_roster", first_roster)
    result = solve_nrp(p, time_limit=10, seed=1, num_workers=1, deterministic=True)
    assert ran == ["groups"] and held == [None]
    assert result.bound == 0 and "capacities'" in result.message


def test_a_pool_below_the_threshold_keeps_column_generation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same 2 staff, the threshold left at its 100: no programme roster, no groups;
    # column generation and the whole model's search reach the tiny optimum 100.
    from roster import columns

    ran = _big_pool(monkeypatch, ())
    monkeypatch.setattr(columns, "PROGRAMME_PRICING_STAFF", 100)
    result = solve_nrp(read_nrp(TINY), time_limit=10, seed=1, num_workers=1, deterministic=True)
    assert ran == ["columns"]
    assert result.status == SolveStatus.OPTIMAL and result.objective == 100


@pytest.mark.parametrize("deterministic", [True, False])
def test_a_reproducible_solve_nrp_splits_its_limit_fixed_and_searches_on_the_work_clock(
    monkeypatch: pytest.MonkeyPatch, deterministic: bool
) -> None:
    # The short dive roster of the tests above, 10 s, two workers: the cover bound is
    # given 0.4 s (`COVER_BOUND_SHARE`), column generation 0.6 × 9.6 = 5.76 s
    # (`COLUMN_SHARE`), the mend min(0.4 × 3.84, 0.15 × 10) = 1.5 s, and on the work
    # clock the last search the rest of the limit, 2.34 s, whatever the first
    # stages used (fires); on the wall clock the searches are not on the work clock
    # and the last one gets the time left (does not; not asserted: it is the machine's).
    from roster import columns, nrp_columns, portfolio

    p = read_nrp(TINY)
    poor = tuple(sorted(Assignment(d, "D", "ward", e) for e, d in (("A", 1), ("A", 2), ("B", 3))))
    asked: list[float] = []
    searches: list[bool] = []
    real_solve = solve

    def dive(problem: object, time_limit: float, **kwargs: object) -> columns.ColumnResult:
        asked.append(time_limit)
        return columns.ColumnResult(poor, 100, 100.0, 1.0, 100.0, 1, 1, 0.0)

    def spy(problem: RosterProblem, **kwargs: Any) -> RosterResult:
        asked.append(kwargs["time_limit"])
        searches.append(kwargs["parameters"].deterministic)
        return real_solve(problem, **kwargs)

    monkeypatch.setattr(columns, "generate", dive)
    monkeypatch.setattr(nrp_columns, "solve", spy)
    # one search of two workers, as a reproducible one always is: no portfolio
    monkeypatch.setattr(portfolio, "MIN_SECONDS", math.inf)
    result = solve_nrp(p, time_limit=10, seed=1, deterministic=deterministic)
    assert result.status == SolveStatus.OPTIMAL and result.objective == 100
    assert searches == [deterministic, deterministic]
    if deterministic:
        assert asked == pytest.approx([5.76, 1.5, 2.34])


def test_a_bound_found_before_the_search_raises_the_result_s_bound_to_its_objective() -> None:
    result = RosterResult.no_roster(0.0, "none")
    assert raised_bound(result, None) is None and raised_bound(result, 7) == 7
    found = dataclasses.replace(result, status=SolveStatus.FEASIBLE, objective=300, bound=120)
    assert raised_bound(found, None) == 120  # no floor: the search's own bound
    assert raised_bound(found, 90) == 120  # a lower floor changes nothing
    assert raised_bound(found, 250) == 250  # a higher floor raises it
    assert raised_bound(found, 400) == 300  # never above the roster's objective


def _sub_problem_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[list[tuple[bool, float, float]], Any]:
    """Column generation returns the short dive roster of the tests above; records each
    search `solve_nrp` starts as (cover-only?, its LNS sub-problem limit, its first
    CP-SAT run's share)."""
    from roster import columns, nrp_columns

    poor = tuple(sorted(Assignment(d, "D", "ward", e) for e, d in (("A", 1), ("A", 2), ("B", 3))))
    limits: list[tuple[bool, float, float]] = []
    real_solve = solve

    def dive(problem: object, *args: object, **kwargs: object) -> columns.ColumnResult:
        return columns.ColumnResult(poor, 100, 100.0, 1.0, 100.0, 1, 1, 0.0)

    def spy(problem: RosterProblem, **kwargs: Any) -> RosterResult:
        given = kwargs["parameters"]
        limits.append(
            (not problem.requests, given.lns_subsolve_seconds, given.lns_initial_fraction)
        )
        return real_solve(problem, **kwargs)

    monkeypatch.setattr(columns, "generate", dive)
    monkeypatch.setattr(nrp_columns, "solve", spy)
    return limits, nrp_columns


def test_the_last_search_of_a_large_roster_takes_the_short_lns_sub_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The tiny instance (2 staff x 7 days = 14 employee-days) counted as large: the
    # cover mend runs first (two workers) and keeps the engine's default sub-problem
    # limit (1 s; it runs no LNS anyway) and first run (`FIRST_RUN_SHARE`, 0.1), the
    # last search's LNS gets 0.5 s and its first run no share beyond its shortest
    # (`LARGE_FIRST_RUN_SHARE`, 0), and still reaches the tiny optimum 100 (bound 100
    # from the dive's LP).
    limits, nrp_columns = _sub_problem_limits(monkeypatch)
    monkeypatch.setattr(nrp_columns, "SHORT_SUBSOLVE_EMPLOYEE_DAYS", 14)
    result = solve_nrp(read_nrp(TINY), time_limit=10, seed=1, deterministic=True)
    assert nrp_columns.LNS_SUBSOLVE_SECONDS == 0.5
    assert limits == [(True, 1.0, 0.1), (False, 0.5, 0.0)]
    assert result.status == SolveStatus.OPTIMAL and result.objective == 100


def test_the_last_search_of_a_small_roster_keeps_the_default_sub_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One employee-day below the threshold: every search keeps the default 1 s and the
    # first run's `FIRST_RUN_SHARE` (0.1), and the optimum is the same 100.
    limits, nrp_columns = _sub_problem_limits(monkeypatch)
    monkeypatch.setattr(nrp_columns, "SHORT_SUBSOLVE_EMPLOYEE_DAYS", 15)
    result = solve_nrp(read_nrp(TINY), time_limit=10, seed=1, deterministic=True)
    assert limits == [(True, 1.0, 0.1), (False, 1.0, 0.1)]
    assert result.status == SolveStatus.OPTIMAL and result.objective == 100


def test_lns_initial_seconds_sets_the_shortest_first_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tiny instance's optimum (100, see above) on an 8 s budget: the first CP-SAT
    # run gets max(lns_initial_seconds, 8 x 0.01); on the work clock (reproducible) the
    # limits are exact: 1 s by default, 0.2 s when asked (a big pool's groups).
    import importlib

    stages_module = importlib.import_module("roster.stages")
    p = read_nrp(TINY)
    limits: list[float] = []
    real_configure = stages_module._configure

    def spy(params: Any, time_limit: float, *args: Any) -> Any:
        limits.append(time_limit)
        return real_configure(params, time_limit, *args)

    monkeypatch.setattr(stages_module, "_configure", spy)
    firsts = []
    for shortest in (None, 0.2):
        params = dataclasses.replace(REPRODUCIBLE, greedy_hint=False, lns_initial_fraction=0.01)
        if shortest is not None:
            params = dataclasses.replace(params, lns_initial_seconds=shortest)
        limits.clear()
        result = solve(p, time_limit=8, seed=1, parameters=params)
        assert result.status is SolveStatus.OPTIMAL and result.objective == 100
        firsts.append(limits[0])
    assert firsts == [1.0, 0.2]


def test_a_big_pools_groups_start_their_lns_after_a_short_first_run_and_are_larger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `improve_by_groups` hands the groups' solver GROUP_FIRST_RUN_SECONDS; the other
    # stages keep the default 1 s (the parameters it was given are left as they were)
    from roster import groups, nrp_pool
    from roster.clock import Deadline
    from roster.parameters import SearchParameters

    given: list[SearchParameters] = []
    slots: list[int | None] = []

    def spy_part_solver(seed: int, params: SearchParameters) -> Any:
        given.append(params)
        return None

    def no_search(
        problem: RosterProblem, roster: Any, value: int, *args: Any, **kwargs: Any
    ) -> Any:
        slots.append(kwargs.get("slots"))
        return roster, value, 0

    monkeypatch.setattr(nrp_pool, "part_solver", spy_part_solver)
    monkeypatch.setattr(groups, "improve", no_search)
    p = read_nrp(TINY)
    start = nrp_roster({"A": "LL-DDD-", "B": "-DDD--D"})
    params = SearchParameters(num_workers=1)
    result = nrp_pool.improve_by_groups(p, start, Deadline(1.0), 0, params)
    assert result.roster == start and result.objective == total(p, start)
    assert [g.lns_initial_seconds for g in given] == [nrp_pool.GROUP_FIRST_RUN_SECONDS]
    assert nrp_pool.GROUP_FIRST_RUN_SECONDS < params.lns_initial_seconds == 1.0
    # and groups of a big pool's size, larger than the long horizons' groups
    assert slots == [nrp_pool.POOL_GROUP_SLOTS] and nrp_pool.POOL_GROUP_SLOTS > groups.GROUP_SLOTS
