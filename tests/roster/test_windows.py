"""Time windows (`roster.windows`): sub-problems, the rolling horizon, the window LNS,
and `solve` decomposing a problem too big to build in its time limit."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

import roster.clock as clock_module
import roster.forecasts as forecasts_module
import roster.groups as groups_module
import roster.stages as stages_module
import roster.windows as windows_module
from roster import (
    Assignment,
    Employee,
    ShiftRequest,
    SolveStatus,
    template,
    total,
    validate,
)
from roster.clock import Deadline
from roster.decomposed import KnownBound
from roster.examples import dognindsats_problem
from roster.forecasts import too_big_to_build
from roster.heuristic import greedy
from roster.nrp import solve_nrp
from roster.parameters import SearchParameters
from roster.problem import Roster, RosterProblem
from roster.read_nrp import parse_nrp
from roster.result import RosterResult
from roster.solve import part_solver, solve, solve_in_windows
from roster.templates import MINUTES_PER_DAY
from roster.windows import (
    WindowResult,
    WindowSolver,
    cut_days,
    first_roster,
    improve,
    margin_days,
    short_cost_per_day,
    sub_problem,
)
from tests.roster.instances import nrp_roster, problem, rules


def generated_nrp(
    weeks: int,
    staff: int,
    *,
    cover: int = 2,
    max_consecutive: int = 4,
    min_consecutive: int = 2,
    min_days_off: int = 2,
    max_weekends: int | None = None,
    max_minutes: int | None = None,
) -> RosterProblem:
    """A Curtois–Qu instance: shifts D (8 h) and L (10 h, no D the day after), `cover`
    of each a day at 100 per missing person, one shift-on request a week for each
    person. No minimum minutes, so the roster with nobody working is legal: a search
    can always answer."""
    days = 7 * weeks
    weekends = weeks // 2 if max_weekends is None else max_weekends
    minutes = 480 * days if max_minutes is None else max_minutes
    lines = ["SECTION_HORIZON", str(days), "", "SECTION_SHIFTS", "D,480,", "L,600,D", ""]
    lines.append("SECTION_STAFF")
    for i in range(staff):
        lines.append(
            f"E{i},D={days}|L={days},{minutes},0,{max_consecutive},{min_consecutive},"
            f"{min_days_off},{weekends}"
        )
    lines += ["", "SECTION_DAYS_OFF"]
    lines += [f"E{i},{(3 * i) % days}" for i in range(staff)]
    lines += ["", "SECTION_SHIFT_ON_REQUESTS"]
    lines += [f"E{i},{7 * w + i % 7},{'DL'[i % 2]},2" for i in range(staff) for w in range(weeks)]
    lines += ["", "SECTION_SHIFT_OFF_REQUESTS", "", "SECTION_COVER"]
    lines += [f"{d},{s},{cover},100,1" for d in range(days) for s in "DL"]
    return parse_nrp("\n".join(lines) + "\n", name="generated")


def test_sub_problem_takes_the_rest_of_the_roster_off_each_total() -> None:
    # Two weeks; E0 works D on days 0, 1, 2 and L on Saturday 5: 3 × 480 + 600 = 2040
    # minutes, 3 D, 1 L and one weekend, all before the window of days 7-13.
    p = generated_nrp(2, 2, max_weekends=2, max_minutes=5000)
    roster = nrp_roster({"E0": "DDD--L-"})
    sub = sub_problem(p, roster, 7, 14)
    a = sub.employee["E0"]
    assert sub.days == 7 and sub.start_date == p.date(7)
    assert a.max_minutes == 5000 - 2040
    assert dict(a.max_shifts_per_type) == {"D": 14 - 3, "L": 14 - 1}
    assert a.max_weekends == 1
    # E1's day off 3 lies before the window; E0's day 0 too: none is left in it
    assert a.absences == frozenset() and sub.employee["E1"].max_minutes == 5000
    # cover and requests of days 7-13 only, shifted to start at 0
    assert sorted({c.day for c in sub.cover}) == list(range(7))
    assert all(0 <= r.day < 7 for r in sub.requests) and len(sub.requests) == 2


def test_windows_start_on_mondays_and_margins_cover_the_run_rules() -> None:
    p = generated_nrp(4, 2, max_consecutive=9, min_days_off=3)
    assert cut_days(p) == [0, 7, 14, 21, 28]
    # the longest run rule: 9 worked days in a row and then one more is the 10th
    assert margin_days(p) == 10


#: Work (CP-SAT deterministic time, in seconds at `WORK_PER_SECOND`) of each window of
#: the reproducible rolling horizon below; a window's sub-problem (5 people, 2 shifts,
#: 7 days and a margin) finds its roster in a fraction of it.
WINDOW_WORK_SECONDS = 1.0


def _reproducible_window_solver(monkeypatch: pytest.MonkeyPatch) -> WindowSolver:
    """Each window searched for `WINDOW_WORK_SECONDS` of CP-SAT's work, whatever the
    load: the same windows, the same roster. The time limit `first_roster` offers
    (its share of the wall-clock time left) is not used, and the wall guard that would
    cut a slow search short is lifted, so nothing here depends on the wall clock."""
    monkeypatch.setattr(clock_module, "WALL_GUARD_SECONDS", 3600.0)
    params = SearchParameters(greedy_hint=False, decompose=False, deterministic=True)
    solve_part = part_solver(0, params)

    def solve_window(sub: RosterProblem, time_limit: float, **kwargs: object) -> WindowResult:
        return solve_part(sub, WINDOW_WORK_SECONDS, **kwargs)

    return solve_window


def _capped(solve_window: WindowSolver, windows: int) -> WindowSolver:
    """`solve_window` for its first `windows` calls, CANCELLED after (which ends
    `improve`): a cap on the windows searched in place of a wall-clock deadline."""
    calls = 0

    def capped(sub: RosterProblem, time_limit: float, **kwargs: object) -> WindowResult:
        nonlocal calls
        calls += 1
        if calls > windows:
            return RosterResult.no_roster(0.0, "the test's cap", status=SolveStatus.CANCELLED)
        return solve_window(sub, time_limit, **kwargs)

    return capped


def reproducible_window_sweeps(monkeypatch: pytest.MonkeyPatch, windows: int = 2) -> None:
    """`solve`'s time-window LNS made reproducible: each sweep (`improve`) searches its
    first `windows` windows on the work clock (`_reproducible_window_solver`) and then
    stops, whatever its deadline; no employee groups (`roster.groups`, which search on
    the wall clock). The windows' search then ends when a round of best responses no
    longer gains (`roster.decomposed.solve_by_windows`), not at the time limit: give the
    solve one it never reaches."""
    window_solver = _reproducible_window_solver(monkeypatch)
    sweep = windows_module.improve

    def capped_sweep(
        problem: RosterProblem,
        roster: Roster,
        value: int,
        deadline: Deadline,
        solve_window: WindowSolver,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[Roster, int, int]:
        capped = _capped(window_solver, windows)
        return sweep(problem, roster, value, Deadline(600), capped, *args, **kwargs)

    monkeypatch.setattr(windows_module, "improve", capped_sweep)
    monkeypatch.setattr(groups_module, "MIN_GROUP_SIZE", 10**9)


def solved_in_windows(
    monkeypatch: pytest.MonkeyPatch, p: RosterProblem, time_limit: float
) -> RosterResult:
    """`solve(p)` forced through windows by pretending the build is slow, its sweeps
    reproducible (`reproducible_window_sweeps`)."""
    solve_module = importlib.import_module("roster.solve")
    monkeypatch.setattr(solve_module, "too_big_to_build", lambda problem, limit: True)
    reproducible_window_sweeps(monkeypatch)
    return solve(p, time_limit=time_limit)


def test_rolling_horizon_of_one_week_windows_gives_a_legal_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Six weeks planned one week at a time: every run, rotation and day-off rule that
    # crosses a week boundary is checked by the independent validator on the whole.
    # Reproducible windows (work-unit limits) and a deadline the six windows never
    # reach, so that a loaded machine gives the same roster, only later.
    p = generated_nrp(6, 5, max_consecutive=3, min_consecutive=2, min_days_off=2)
    window_solver = _reproducible_window_solver(monkeypatch)
    roster, reason = first_roster(p, Deadline(600), window_solver, window_days=7)
    assert roster is not None, reason
    assert validate(p, roster) == []
    # 5 people, at most 3 days in a row and 2 days off after: someone works every day
    assert {a.day for a in roster} == set(range(p.days))


def test_window_lns_never_makes_the_roster_worse_and_keeps_it_legal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One sweep of two-week windows over six weeks (three windows), each searched on
    # the work clock, then the cap cancels the fourth: the same roster under any load.
    p = generated_nrp(6, 5)
    start = ()  # nobody works: legal, every shift missing
    value = total(p, start)
    assert value == 6 * 7 * 2 * 2 * 100 + 6 * 5 * 2
    window_solver = _capped(_reproducible_window_solver(monkeypatch), windows=3)
    roster, better, searched = improve(
        p, start, value, Deadline(600), window_solver, total, window_days=14
    )
    assert searched == 4  # three searched, the fourth cancelled
    assert validate(p, roster) == []
    assert better == total(p, roster) < value


def test_solve_decomposes_a_problem_too_big_for_its_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Forced through windows by pretending the build is slow: the same entry point,
    # a legal roster, FEASIBLE with no bound (the windows prove none), and it says so.
    # The windows search reproducibly, a capped number of them: the same roster under
    # any load.
    p = generated_nrp(8, 5)
    assert not too_big_to_build(p, 30)
    result = solved_in_windows(monkeypatch, p, time_limit=600)
    assert result.status is SolveStatus.FEASIBLE
    assert result.bound is None and "windows" in result.message
    assert validate(p, result.roster) == []
    assert result.objective == total(p, result.roster)
    # far better than nobody working (2 people a shift are enough for 5 staff)
    assert result.objective < total(p, ()) // 2


def test_the_windows_report_a_bound_found_before_them_never_above_their_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The windows prove no bound; one known before them (the capacities' bound, in
    # `roster.nrp`) is the result's, named in its message. A "bound" above the roster
    # found cannot be one: it is capped at the roster's objective.
    p = generated_nrp(8, 5)
    reproducible_window_sweeps(monkeypatch)
    low = solve_in_windows(p, time_limit=600, known_bound=KnownBound(1, "a bound from before"))
    assert low.objective is not None and low.objective > 1
    assert low.bound == 1 and low.message.endswith("; a bound from before")
    high = solve_in_windows(p, time_limit=600, known_bound=KnownBound(10**9, "too high"))
    assert high.objective is not None and high.bound == high.objective
    unknown = solve_in_windows(p, time_limit=600)
    assert unknown.bound is None and unknown.message.endswith("; no bound")


def test_a_year_with_no_time_left_says_so_instead_of_guessing_a_roster() -> None:
    # A year for 40 people given a millisecond: far too big to build whole, so the
    # windows path; its deadline has passed before the programme's first employee and
    # before the rolling horizon's first window, so neither starts: whatever the
    # machine's speed, the answer is no roster with the reason, never a roster reported
    # as something it is not. (The decomposed path's roster: the reproducible
    # `test_solve_decomposes_a_problem_too_big_for_its_time` above.)
    p = generated_nrp(52, 40, cover=6)
    assert too_big_to_build(p, 0.001)
    result = solve_nrp(p, time_limit=0.001)
    assert result.status is SolveStatus.UNKNOWN
    assert result.roster == () and result.objective is None
    assert "no roster within the time limit" in result.message


# ------------------------------------------------------------ the past across window edges

D12 = template("2x12")[0]  # 07–19
N8 = template("3x8")[2]  # 23–07


def test_a_window_carries_the_shifts_before_it_as_history() -> None:
    # three weeks; A worked a night on day -1 (history), and the roster has D on days
    # 3, 4, 5 and N on day 6. The window of days 7..13 sees all of them before it, and
    # the runs up to day 6: 4 days worked, 1 night
    history = (N8.span(-1),)
    p = problem(
        21,
        [(d, s) for d in range(21) for s in ("D", "N")],
        employees=[Employee("A", history=history, worked_days_before=1, nights_before=1)],
        shift_types=(D12, N8),
        rule_set=rules(max_average_weekly_minutes=48 * 60, reference_period_days=14),
    )
    roster = (*_days("D", range(3, 6)), Assignment(6, "N", "K1", "A"))
    a = sub_problem(p, roster, 7, 14).employee["A"]
    week = 7 * MINUTES_PER_DAY
    assert a.history == tuple(
        sorted(
            [(s - week, e - week) for s, e in [N8.span(-1), N8.span(6), *map(D12.span, (3, 4, 5))]]
        )
    )
    assert (a.worked_days_before, a.nights_before) == (4, 1)
    # the window starting on day 0 keeps the original past as it was
    assert sub_problem(p, roster, 0, 7).employee["A"].history == history
    # a run reaching back to day 0 continues the original one: 1 before + days 0..6
    every_day = _days("D", range(7))
    assert sub_problem(p, every_day, 7, 14).employee["A"].worked_days_before == 8


def _days(shift: str, days: range) -> tuple[Assignment, ...]:
    return tuple(Assignment(d, shift, "K1", "A") for d in days)


def test_rolling_horizon_keeps_the_48_hours_over_the_reference_period_of_the_past(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One person, a 12 h day shift asked every day of two weeks, 84 h worked on the 7
    # days before them; the 48-hour average over a 14-day reference period allows 96 h.
    # The periods ending on days 0..6 hold all 84 h: one shift in the first week; the
    # period of days 0..13 allows 8 shifts (and the fortnight's own 48-hour average, 96 h,
    # too): the optimum is one shift in the first week and all seven of the second.
    # A wishes to work the first week (1 per unmet wish, 1200 per uncovered shift):
    # planned one week at a time, a first window without the past would fill that week.
    p = problem(
        14,
        [(d, "D") for d in range(14)],
        employees=[Employee("A", history=tuple(D12.span(d) for d in range(-7, 0)))],
        shift_types=(D12,),
        rule_set=rules(max_average_weekly_minutes=48 * 60, reference_period_days=14),
        requests=tuple(ShiftRequest("A", d, "D", on=True) for d in range(7)),
    )
    window_solver = _reproducible_window_solver(monkeypatch)
    roster, reason = first_roster(p, Deadline(600), window_solver, window_days=7)
    assert roster is not None, reason
    assert validate(p, roster) == []
    days = [a.day for a in roster]
    assert len([d for d in days if d < 7]) == 1
    assert [d for d in days if d >= 7] == list(range(7, 14))


def _covered_but(p: RosterProblem, short_days: range) -> tuple[Assignment, ...]:
    """Two on each shift every day but `short_days`, where nobody works (not legal:
    the order of windows is all the test below looks at)."""
    return tuple(
        Assignment(d, shift, "ward", f"E{i + 2 * j}")
        for d in range(p.days)
        if d not in short_days
        for j, shift in enumerate("DL")
        for i in range(2)
    )


@pytest.mark.parametrize("short_days", [range(35, 56), range(21)])
def test_a_sweep_searches_the_window_with_the_most_under_cover_first(
    short_days: range,
) -> None:
    # Eight weeks, four-week windows: a sweep holds two of them (from a random offset).
    # Only `short_days` miss cover, and of the sweep's two windows the one holding more
    # of them is searched first, whichever the offset (the search is cancelled after
    # the second; the windows' own searches find nothing)
    p = generated_nrp(8, 5)
    assert p.date(0).weekday() == 0
    start = _covered_but(p, short_days)
    short = short_cost_per_day(p, start)
    assert [d for d in range(p.days) if short[d]] == list(short_days)
    searched: list[range] = []

    def cancelled_after_one(sub: RosterProblem, time_limit: float, **kwargs: object) -> object:
        free: range = kwargs["free_days"]  # type: ignore[assignment]
        first = (sub.start_date - p.start_date).days  # the window's margin before it
        searched.append(range(first + free.start, first + free.stop))
        status = SolveStatus.CANCELLED if len(searched) == 2 else SolveStatus.UNKNOWN
        return RosterResult.no_roster(0.0, "the test's stand-in", status=status)

    differ = 0
    for seed in range(8):
        searched.clear()
        improve(p, start, total(p, start), Deadline(600), cancelled_after_one, total, seed=seed)  # type: ignore[arg-type]
        first, second = (len(set(window) & set(short_days)) for window in searched)
        assert first >= second
        differ += first > second
    assert differ >= 4  # most offsets put more of them in one window than the other


def test_a_decomposed_dognindsats_starts_from_the_greedy_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One case, 4 weeks, pool 12, forced through windows: the greedy roster (legal by
    # construction) is the start, and the windows never make it worse. How many sweeps
    # run in the 10 s depends on the load; what is asserted does not.
    p = dognindsats_problem(cases=1, pool_size=12, weeks=4)
    start = greedy(p)
    assert validate(p, start) == []
    result = solved_in_windows(monkeypatch, p, time_limit=10)
    assert result.status is SolveStatus.FEASIBLE
    assert "a first roster by the greedy roster" in result.message
    assert validate(p, result.roster) == []
    assert result.objective == total(p, result.roster) <= total(p, start)


def test_a_decomposed_dognindsats_without_time_for_the_greedy_rolls_the_horizon(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same case when the greedy's forecast is past its share of the time: the
    # rolling horizon finds the first roster, as for any other problem.
    p = dognindsats_problem(cases=1, pool_size=12, weeks=4)
    monkeypatch.setattr(forecasts_module, "GREEDY_SECONDS_PER_PAIR", 10.0)  # 10 s a pair
    result = solved_in_windows(monkeypatch, p, time_limit=10)
    assert "greedy" not in result.message
    assert "rolling horizon" in result.message


def test_a_windows_solve_spends_no_time_on_the_bound_of_all_levels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A window (`free_days`) of a lexicographic døgnindsats: its bound is never read, so
    # the per-term bound over all levels is not computed (the per-level one that cuts
    # a level's search short still is); the whole problem's solve computes it.
    solve_module = importlib.import_module("roster.solve")  # `roster.solve` is the function
    original = solve_module.lexicographic_bound
    asked: list[int] = []

    def counted(
        problem: RosterProblem,
        held: dict[int, int],
        levels: list[int],
        floors: dict[int, int] | None = None,
        *,
        rhythm: bool = True,
    ) -> int | None:
        asked.append(len(levels))
        return original(problem, held, levels, floors, rhythm=rhythm)

    # asked for per level by `roster.solve._solve`, for all levels by `stages.bound_given`
    monkeypatch.setattr(solve_module, "lexicographic_bound", counted)
    monkeypatch.setattr(stages_module, "lexicographic_bound", counted)
    p = dognindsats_problem(cases=1, pool_size=12, weeks=2)
    start = greedy(p)
    window = solve(p, time_limit=5, hint=start, free_days=range(7))
    assert window.found
    assert asked and max(asked) == 1  # only the per-level bounds
    asked.clear()
    whole = solve(p, time_limit=5, hint=start)
    assert whole.found
    assert max(asked) > 1  # the bound of all levels too
