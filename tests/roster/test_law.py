"""The working-time law as named rules: each fires in the validator, is held by the
model, and is switched off by ``None`` / ``False``.

Horizons are one week (7 days) from Monday; every other rule is off (`rules`), so each
test sees one rule at work.
"""

from __future__ import annotations

import dataclasses

import pytest

from roster import (
    Assignment,
    Employee,
    ProblemError,
    Roster,
    RosterProblem,
    RosterRules,
    ShiftType,
    template,
    validate,
)
from roster.eligibility import Ineligible, why_not
from roster.heuristic import greedy
from roster.problem import night_minutes
from roster.templates import MINUTES_PER_DAY
from tests.roster.instances import D, N, problem, rules, solved

D12, N12 = template("2x12")  # 07–19, 19–07
SLEEP_IN = template("sleep-in")[2]  # 22–07, 9 h on site, counted 3 h
WEEK = 7


def _roster(shift: str, days: range, employee: str = "A") -> tuple[Assignment, ...]:
    return tuple(Assignment(d, shift, "K1", employee) for d in days)


def _broken(p: RosterProblem, roster: Roster) -> set[str]:
    return {v.rule for v in validate(p, roster)}


# ------------------------------------------------------------ on site counts in full


def _sleep_in_week(**on: object) -> RosterProblem:
    return problem(
        WEEK,
        [(d, "S") for d in range(WEEK)],
        shift_types=(SLEEP_IN,),
        rule_set=rules(max_average_weekly_minutes=48 * 60, **on),
    )


def test_sleep_in_nights_count_in_full_for_the_48_hour_average() -> None:
    p = _sleep_in_week()
    # 6 sleep-ins: 54 h on site (only 18 h by the contract count) > 48 h
    assert "max_average_weekly_on_site" in _broken(p, _roster("S", range(6)))
    # 5 sleep-ins: 45 h on site
    assert _broken(p, _roster("S", range(5))) == set()
    # switched off (the one-third count for the legal limit, as before): 18 h is fine
    weighted = _sleep_in_week(on_site_counts_in_full=False)
    assert _broken(weighted, _roster("S", range(6))) == set()


def test_the_model_holds_the_48_hours_on_site() -> None:
    # one person, a sleep-in every night: 48 h / 9 h → at most 5 of the 7 nights
    assert len(solved(_sleep_in_week()).roster) == 5
    assert len(solved(_sleep_in_week(on_site_counts_in_full=False)).roster) == 7


# ------------------------------------------------------------ the length of a sleep-in

LONG_SLEEP_IN = ShiftType("S", 20 * 60, 14 * 60, night=True, sleep_in=True, counted_minutes=300)
LONGEST_SLEEP_IN = ShiftType("S", 20 * 60, 13 * 60, night=True, sleep_in=True, counted_minutes=300)


def _one_sleep_in(shift: ShiftType, **on: object) -> RosterProblem:
    limit = on.pop("max_sleep_in_minutes", 13 * 60)
    return problem(
        1, [(0, "S")], shift_types=(shift,), rule_set=rules(max_sleep_in_minutes=limit, **on)
    )


def test_a_sleep_in_may_not_eat_the_daily_rest() -> None:
    # 14 h on site leaves 10 h of the 24: less than the 11 h daily rest
    too_long = _one_sleep_in(LONG_SLEEP_IN)
    assert _broken(too_long, _roster("S", range(1))) == {"max_sleep_in_length"}
    assert why_not(too_long, too_long.employees[0], 0, LONG_SLEEP_IN) is (
        Ineligible.SLEEP_IN_TOO_LONG
    )
    assert solved(too_long).roster == ()  # nobody may be put on it
    longest = _one_sleep_in(LONGEST_SLEEP_IN)
    assert _broken(longest, _roster("S", range(1))) == set()
    assert len(solved(longest).roster) == 1
    off = _one_sleep_in(LONG_SLEEP_IN, max_sleep_in_minutes=None)
    assert _broken(off, _roster("S", range(1))) == set()


def test_the_default_maximum_sleep_in_keeps_11_hours_of_rest() -> None:
    assert RosterRules().max_sleep_in_minutes == 24 * 60 - 11 * 60


# ------------------------------------------------------------ minimum rest, 8 h at least


def test_a_minimum_rest_below_8_hours_is_refused_naming_the_field() -> None:
    with pytest.raises(ProblemError, match=r"rules\.min_rest_minutes"):
        problem(1, [(0, "D")], rule_set=rules(min_rest_minutes=8 * 60 - 1))
    assert problem(1, [(0, "D")], rule_set=rules(min_rest_minutes=8 * 60)).days == 1
    assert problem(1, [(0, "D")], rule_set=rules(min_rest_minutes=None)).days == 1


# ------------------------------------------------------------ night workers


def test_night_time_is_counted_between_22_and_05() -> None:
    assert [night_minutes(s) for s in template("3x8")] == [0, 60, 360]
    assert [night_minutes(s) for s in (D12, N12, SLEEP_IN)] == [0, 420, 420]


def _two_by_twelve(shifts: str, **on: object) -> RosterProblem:
    on = {"night_worker_average_minutes_per_24h": 8 * 60, **on}
    return problem(
        WEEK, [(d, shifts) for d in range(WEEK)], shift_types=(D12, N12), rule_set=rules(**on)
    )


def test_a_night_worker_works_8_hours_per_24_on_average() -> None:
    # a week less its weekly rest day: 6 × 8 h = 48 h; five 12 h nights are 60 h
    nights = _two_by_twelve("N")
    assert _broken(nights, _roster("N", range(5))) == {"night_worker_average"}
    assert _broken(nights, _roster("N", range(4))) == set()
    # five 12 h days: no night time, so not a night worker (the 48 h rule is off here)
    days = _two_by_twelve("D")
    assert _broken(days, _roster("D", range(5))) == set()
    off = _two_by_twelve("N", night_worker_average_minutes_per_24h=None)
    assert _broken(off, _roster("N", range(5))) == set()


def test_hours_elsewhere_count_for_a_night_worker() -> None:
    busy_elsewhere = problem(
        WEEK,
        [(d, "N") for d in range(WEEK)],
        employees=[Employee("A", committed_minutes=12 * 60)],
        shift_types=(D12, N12),
        rule_set=rules(night_worker_average_minutes_per_24h=8 * 60),
    )
    assert _broken(busy_elsewhere, _roster("N", range(4))) == {"night_worker_average"}
    assert _broken(busy_elsewhere, _roster("N", range(3))) == set()


def test_the_model_holds_the_night_worker_limit() -> None:
    # one person, a 12 h night every day: 48 h → four nights; without the rule seven
    assert len(solved(_two_by_twelve("N")).roster) == 4
    off = _two_by_twelve("N", night_worker_average_minutes_per_24h=None)
    assert len(solved(off).roster) == 7


# ------------------------------------------------------------ history carried over


def test_consecutive_days_and_nights_carry_on_from_before_the_horizon() -> None:
    p = problem(
        4,
        [(k, s) for k in range(4) for s in ("D", "N")],
        employees=[Employee("A", worked_days_before=4, nights_before=3)],
        rule_set=rules(max_consecutive_working_days=6, max_consecutive_nights=4),
    )
    # 4 days before + 3 more = 7 in a row > 6; 4 + 2 = 6 is allowed
    assert "max_consecutive_working_days" in _broken(p, _roster("D", range(3)))
    assert _broken(p, _roster("D", range(2))) == set()
    # 3 nights before + 2 = 5 > 4
    assert _broken(p, _roster("N", range(2))) == {"max_consecutive_nights"}
    assert _broken(p, _roster("N", range(1))) == set()
    fresh = problem(
        4,
        [(k, "D") for k in range(4)],
        rule_set=rules(max_consecutive_working_days=6, max_consecutive_nights=4),
    )
    assert _broken(fresh, _roster("D", range(3))) == set()


def test_the_model_continues_a_run_that_began_before_the_horizon() -> None:
    # 5 days worked before, at most 6 in a row: days 0 and 1 cannot both be worked, so
    # one person covers 3 of the 4 day shifts (without the history, all 4)
    def week(before: int) -> RosterProblem:
        return problem(
            4,
            [(k, "D") for k in range(4)],
            employees=[Employee("A", worked_days_before=before)],
            rule_set=rules(max_consecutive_working_days=6),
        )

    days = sorted(a.day for a in solved(week(5)).roster)
    assert len(days) == 3 and not {0, 1} <= set(days)
    assert len(solved(week(0)).roster) == 4


# ------------------------------------------------------------ the past across the boundary


def _history(days: range, shift: ShiftType = D12) -> tuple[tuple[int, int], ...]:
    """`shift` worked on each of `days` (negative: before the horizon)."""
    return tuple(shift.span(d) for d in days)


def _reference_week(history: tuple[tuple[int, int], ...], **on: object) -> RosterProblem:
    # a 14-day reference period allows 96 h on site; the week's own average 48 h
    on = {"max_average_weekly_minutes": 48 * 60, "reference_period_days": 14, **on}
    return problem(
        WEEK,
        [(d, "D") for d in range(WEEK)],
        employees=[Employee("A", history=history)],
        shift_types=(D12, N12),
        rule_set=rules(**on),
    )


def test_the_48_hour_average_counts_the_shifts_before_the_horizon() -> None:
    # 72 h on site in the six days before: with 36 h more in the week the 14 days
    # hold 108 h > 96 h; with 24 h, 96 h
    p = _reference_week(_history(range(-6, 0)))
    assert _broken(p, _roster("D", range(3))) == {"max_average_weekly_reference_period"}
    assert _broken(p, _roster("D", range(2))) == set()
    # the same past outside every 14-day period that ends in the week (days -20..-15;
    # the earliest period starts on day -13): 36 h is fine
    before = _reference_week(_history(range(-20, -14)))
    assert _broken(before, _roster("D", range(3))) == set()
    # the rule switched off: the week's own 48 h only
    off = _reference_week(_history(range(-6, 0)), reference_period_days=None)
    assert _broken(off, _roster("D", range(4))) == set()


def test_the_reference_period_starts_exactly_reference_period_days_back() -> None:
    # 96 h in the eight days -13..-6, all inside the 14 days ending on day 0: day 0
    # adds 12 h over the limit; moved one day back (-14..-7), day -14 falls outside the
    # period ending on day 0 (84 h) and 12 h more make exactly 96 h
    inside = _reference_week(_history(range(-13, -5)))
    assert _broken(inside, _roster("D", range(1))) == {"max_average_weekly_reference_period"}
    outside = _reference_week(_history(range(-14, -6)))
    assert _broken(outside, _roster("D", range(1))) == set()


def test_the_model_holds_the_48_hours_over_the_reference_period() -> None:
    # one person, a 12 h day shift every day of the week: the week's own average allows
    # four (48 h); after 72 h in the six days before, the 14 days allow two more (96 h)
    assert len(solved(_reference_week(())).roster) == 4
    assert len(solved(_reference_week(_history(range(-6, 0)))).roster) == 2
    assert len(solved(_reference_week(_history(range(-20, -14)))).roster) == 4


def _weekly_rest_week(history: tuple[tuple[int, int], ...]) -> RosterProblem:
    return problem(
        WEEK,
        [(d, "D") for d in range(WEEK)],
        employees=[Employee("A", history=history)],
        rule_set=rules(weekly_rest_minutes=35 * 60),
    )


def test_the_weekly_rest_carries_over_from_before_the_horizon() -> None:
    d8 = template("3x8")[0]  # 07–15
    # six day shifts before (days -6..-1) leave no 35 h rest in days -6..0 if day 0 is
    # worked too (16 h between shifts); day 1 after a free day 0 is fine (40 h)
    p = _weekly_rest_week(_history(range(-6, 0), d8))
    assert _broken(p, _roster("D", range(1))) == {"weekly_rest"}
    assert _broken(p, _roster("D", range(1, 2))) == set()
    fresh = _weekly_rest_week(())
    assert _broken(fresh, _roster("D", range(1))) == set()


def test_the_model_holds_the_weekly_rest_across_the_boundary() -> None:
    # one person, a day shift every day: without a past, six of seven (a free day in
    # the middle leaves 40 h); after six days worked, day 0 must be free, and the week
    # then needs a 35 h rest of its own (day 0 alone gives 31 h to day 1 at 07:00): five
    d8 = template("3x8")[0]
    assert len(solved(_weekly_rest_week(())).roster) == 6
    after = solved(_weekly_rest_week(_history(range(-6, 0), d8))).roster
    assert len(after) == 5 and 0 not in {a.day for a in after}


def test_history_must_lie_before_the_horizon() -> None:
    with pytest.raises(ProblemError, match=r"employees\[A\]\.history"):
        _reference_week(((0, MINUTES_PER_DAY),))


def test_history_blocks_like_a_shift_elsewhere() -> None:
    # a night 23–07 before the horizon: a day shift at 07:00 on day 0 overlaps its rest
    p = problem(
        1,
        [(0, "D")],
        employees=[Employee("A", history=(N.span(-1),))],
        rule_set=rules(min_rest_minutes=11 * 60),
    )
    assert p.employee["A"].busy == (N.span(-1),)
    assert why_not(p, p.employee["A"], 0, D) is Ineligible.BUSY


def test_a_week_the_past_filled_leaves_the_first_days_free() -> None:
    # days -4..-2 a day shift, day -1 a night to 07:00 on day 0: the longest rests
    # before the horizon in the windows ending on days 1 and 2 are 31 h and 32 h, so the
    # 35 h must come after 07:00 on day 0. Any shift on day 0 leaves at most 33 h of it
    # before the start of day 2; on day 1 only the night (from 23:00, 40 h after 07:00
    # on day 0) does; day 2 takes one shift (one a day): the optimum is two shifts
    history = (*_history(range(-4, -1), D), N.span(-1))
    p = problem(
        3,
        [(d, s) for d in range(3) for s in ("D", "E", "N")],
        employees=[Employee("A", history=history)],
        rule_set=rules(weekly_rest_minutes=35 * 60),
    )
    assert _broken(p, _roster("N", range(1))) == {"weekly_rest"}
    assert _broken(p, _roster("N", range(1, 2))) == set()
    roster = solved(p).roster
    assert [a.day for a in roster] == [1, 2] and roster[0].shift == "N"


def test_the_greedy_warm_start_respects_the_past() -> None:
    # the greedy roster is the solver's hint: with a past it must stay legal, and it
    # takes as many shifts as the model's optimum in these instances
    cases = [
        (_reference_week(_history(range(-6, 0))), 2),
        (_weekly_rest_week(_history(range(-6, 0), template("3x8")[0])), None),
    ]
    for p, most in cases:
        roster = greedy(p)
        assert validate(p, roster) == []
        if most is not None:
            assert len(roster) == most
    runs = problem(
        4,
        [(k, "D") for k in range(4)],
        employees=[Employee("A", worked_days_before=5)],
        rule_set=rules(max_consecutive_working_days=6),
    )
    assert [a.day for a in greedy(runs)] == [0, 2, 3]


# ------------------------------------------------------------ night workers over time


def _night_worker_week(history: tuple[tuple[int, int], ...], shifts: str = "D") -> RosterProblem:
    # a 14-day reference period: a night worker may work 8 h × (14 − 2 rest days) = 96 h
    # in it; the week alone 8 h × 6 = 48 h. The 48-hour average is off: only the
    # night-worker rule is at work
    return problem(
        WEEK,
        [(d, s) for d in range(WEEK) for s in shifts],
        employees=[Employee("A", history=history)],
        shift_types=(D12, N12),
        rule_set=rules(night_worker_average_minutes_per_24h=8 * 60, reference_period_days=14),
    )


def test_nights_before_the_horizon_make_a_night_worker_over_the_reference_period() -> None:
    # six 12 h nights before (72 h): a night worker, though the week has day shifts only;
    # 36 h more make 108 h > 96 h in the 14 days ending on day 2, 24 h make 96 h
    after_nights = _night_worker_week(_history(range(-6, 0), N12))
    assert _broken(after_nights, _roster("D", range(3))) == {"night_worker_reference_period"}
    assert _broken(after_nights, _roster("D", range(2))) == set()
    # the same hours as day shifts: no night worker, nothing to hold
    after_days = _night_worker_week(_history(range(-6, 0), D12))
    assert _broken(after_days, _roster("D", range(7))) == set()
    # the nights outside every 14-day period ending in the week (days -20..-15)
    long_ago = _night_worker_week(_history(range(-20, -14), N12))
    assert _broken(long_ago, _roster("D", range(7))) == set()


def test_nights_before_the_horizon_hold_the_week_to_the_night_worker_average() -> None:
    # one night 20 days back — inside the 122-day reference period, outside every
    # 14-day one — keeps a night worker: five 12 h day shifts (60 h) > 6 × 8 h = 48 h
    once = _night_worker_week(_history(range(-20, -19), N12))
    once = dataclasses.replace(
        once, rules=dataclasses.replace(once.rules, reference_period_days=122)
    )
    assert "night_worker_average" in _broken(once, _roster("D", range(5)))
    assert _broken(once, _roster("D", range(4))) == set()
    fresh = dataclasses.replace(once, employees=(Employee("A"),))
    assert _broken(fresh, _roster("D", range(5))) == set()


def test_a_night_in_the_horizon_counts_the_days_before_it() -> None:
    # 72 h of day shifts before: one 12 h night on day 0 makes a night worker in the
    # periods that hold it: 84 h + 12 h on day 2 = 96 h fits, a third shift does not;
    # the same three shifts all by day are fine (no night worker)
    after_days = _night_worker_week(_history(range(-6, 0), D12), "DN")
    night_first = (Assignment(0, "N", "K1", "A"), Assignment(2, "D", "K1", "A"))
    assert _broken(after_days, night_first) == set()
    three = (*night_first, Assignment(3, "D", "K1", "A"))
    assert _broken(after_days, three) == {"night_worker_reference_period"}
    assert _broken(after_days, _roster("D", range(3))) == set()


def test_the_model_holds_the_night_worker_average_over_the_reference_period() -> None:
    # one person, a 12 h day shift every day: after 72 h of nights the 14 days allow
    # two more (96 h); after 72 h of day shifts, or with no past, all seven
    after_nights = solved(_night_worker_week(_history(range(-6, 0), N12))).roster
    assert len(after_nights) == 2
    assert len(solved(_night_worker_week(_history(range(-6, 0), D12))).roster) == 7
    assert len(solved(_night_worker_week(())).roster) == 7
