"""Each working-time rule: a tiny instance where it fires and one where it does not.

One employee "A" unless said otherwise; cover only (an uncovered 8 h shift costs 800).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from roster import Employee, ShiftType, SolveStatus
from tests.roster.instances import D, N, problem, rules, solved, worked

UNCOVERED_8H = 800


# --------------------------------------------------------------------- minimum rest


def test_min_rest_fires_between_evening_and_next_morning() -> None:
    # E day 0 ends 23:00, D day 1 starts 07:00: 8 h < 11 h, so A takes only one of them.
    p = problem(2, [(0, "E"), (1, "D")], rule_set=rules(min_rest_minutes=11 * 60))
    result = solved(p)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == UNCOVERED_8H
    assert len(result.roster) == 1
    assert len(result.uncovered) == 1
    assert "working-time rules" in result.uncovered[0].reason


def test_min_rest_does_not_fire_without_the_rule() -> None:
    p = problem(2, [(0, "E"), (1, "D")])
    result = solved(p)
    assert result.objective == 0
    assert worked(result, "A") == {0: "E", 1: "D"}


def test_night_shift_rest_counts_from_next_morning() -> None:
    # N day 0 is 23:00–07:00 and ends on day 1: E day 1 (15:00) leaves 8 h → forbidden,
    # N day 1 (23:00) leaves 16 h → allowed. Optimum: both nights, E uncovered.
    p = problem(2, [(0, "N"), (1, "E"), (1, "N")], rule_set=rules(min_rest_minutes=11 * 60))
    result = solved(p)
    assert result.objective == UNCOVERED_8H
    assert worked(result, "A") == {0: "N", 1: "N"}


def test_night_then_day_needs_a_full_day_between() -> None:
    # N day 0 ends 07:00 day 1, so D on day 1 overlaps nothing but leaves 0 h rest; D on
    # day 2 starts 24 h later and is fine.
    p = problem(3, [(0, "N"), (1, "D"), (2, "D")], rule_set=rules(min_rest_minutes=11 * 60))
    result = solved(p)
    assert result.objective == UNCOVERED_8H
    assert worked(result, "A") in ({0: "N", 2: "D"}, {1: "D", 2: "D"})


# --------------------------------------------------------------------- weekly rest


def test_weekly_rest_fires_and_the_rest_day_is_inside_the_week() -> None:
    # D (07–15) on all 7 days. Working 7 days leaves at most 16 h off; dropping day 0
    # leaves 31 h (00:00–07:00 day 1), dropping day 6 leaves 33 h (15:00 day 5 – 24:00
    # day 6): both < 35 h. Dropping a day 1..5 leaves 40 h. So exactly one uncovered day,
    # and it is not the first or the last.
    p = problem(7, [(d, "D") for d in range(7)], rule_set=rules(weekly_rest_minutes=35 * 60))
    result = solved(p)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == UNCOVERED_8H
    off = set(range(7)) - set(worked(result, "A"))
    assert len(off) == 1 and off <= {1, 2, 3, 4, 5}


def test_weekly_rest_does_not_fire_without_the_rule() -> None:
    p = problem(7, [(d, "D") for d in range(7)])
    assert solved(p).objective == 0


def test_weekly_rest_holds_in_every_sliding_window() -> None:
    # 14 days of D: 8 windows (starting days 0..7). A single day off d between two
    # worked days gives 40 h (15:00 day d-1 – 07:00 day d+1), inside windows d-5..d-1
    # only: 5 windows each, so 2 days off are needed (e.g. days 5 and 10).
    p = problem(14, [(d, "D") for d in range(14)], rule_set=rules(weekly_rest_minutes=35 * 60))
    result = solved(p)
    assert result.objective == 2 * UNCOVERED_8H


# --------------------------------------------------------------------- hours


def test_max_average_weekly_hours_fires() -> None:
    # 12 h day shifts on 7 days; 48 h/week on average allows 4 of them.
    day12 = ShiftType("D", 7 * 60, 12 * 60)
    p = problem(
        7,
        [(d, "D") for d in range(7)],
        shift_types=(day12,),
        rule_set=rules(max_average_weekly_minutes=48 * 60),
    )
    result = solved(p)
    assert len(result.roster) == 4
    assert result.objective == 3 * 1200


def test_max_average_weekly_hours_does_not_fire_below_the_limit() -> None:
    day12 = ShiftType("D", 7 * 60, 12 * 60)
    p = problem(
        7,
        [(d, "D") for d in range(4)],
        shift_types=(day12,),
        rule_set=rules(max_average_weekly_minutes=48 * 60),
    )
    assert solved(p).objective == 0


def test_within_contract_fires() -> None:
    # 24 h/week contract, 8 h shifts: 3 of 7 days.
    p = problem(
        7,
        [(d, "D") for d in range(7)],
        employees=[Employee("A", contract_minutes_per_week=24 * 60)],
        rule_set=rules(within_contract=True),
    )
    result = solved(p)
    assert len(result.roster) == 3
    assert result.objective == 4 * UNCOVERED_8H


def test_within_contract_with_overtime_allowance() -> None:
    # 24 h/week + 50 % = 36 h: 4 shifts of 8 h.
    p = problem(
        7,
        [(d, "D") for d in range(7)],
        employees=[Employee("A", contract_minutes_per_week=24 * 60)],
        rule_set=rules(within_contract=True, contract_overtime_percent=50),
    )
    assert len(solved(p).roster) == 4


def test_committed_minutes_reduce_what_is_left() -> None:
    # 37 h contract, 21 h already committed to other cases: 16 h left = 2 shifts.
    p = problem(
        7,
        [(d, "D") for d in range(7)],
        employees=[Employee("A", committed_minutes=21 * 60)],
        rule_set=rules(within_contract=True),
    )
    assert len(solved(p).roster) == 2


def test_sleep_in_counts_only_its_counted_minutes() -> None:
    # A sleep-in night of 9 h counting 3 h: with a 24 h/week contract A can take all 7
    # (21 h), where 7 plain 9 h nights would not fit.
    sleep_in = ShiftType("S", 22 * 60, 9 * 60, night=True, sleep_in=True, counted_minutes=180)
    p = problem(
        7,
        [(d, "S") for d in range(7)],
        shift_types=(sleep_in,),
        employees=[Employee("A", contract_minutes_per_week=24 * 60)],
        rule_set=rules(within_contract=True),
    )
    assert len(solved(p).roster) == 7


# --------------------------------------------------------------------- shift length


def test_max_shift_length_fires_for_long_shifts() -> None:
    long = ShiftType("L", 7 * 60, 13 * 60)
    p = problem(1, [(0, "L")], shift_types=(long,), rule_set=rules(max_shift_minutes=12 * 60))
    result = solved(p)
    assert result.roster == ()
    assert "maximum shift length" in result.uncovered[0].reason


def test_max_shift_length_exempts_sleep_in() -> None:
    long = ShiftType("L", 19 * 60, 13 * 60, sleep_in=True)
    p = problem(1, [(0, "L")], shift_types=(long,), rule_set=rules(max_shift_minutes=12 * 60))
    assert len(solved(p).roster) == 1


# --------------------------------------------------------------------- consecutive


def test_max_consecutive_nights_fires() -> None:
    # 5 nights, at most 2 in a row: days 0,1,3,4 → 4 nights, day 2 uncovered.
    p = problem(5, [(d, "N") for d in range(5)], rule_set=rules(max_consecutive_nights=2))
    result = solved(p)
    assert set(worked(result, "A")) == {0, 1, 3, 4}


def test_max_consecutive_nights_does_not_fire_on_day_shifts() -> None:
    p = problem(5, [(d, "D") for d in range(5)], rule_set=rules(max_consecutive_nights=2))
    assert len(solved(p).roster) == 5


def test_max_consecutive_working_days_fires() -> None:
    p = problem(5, [(d, "D") for d in range(5)], rule_set=rules(max_consecutive_working_days=2))
    assert set(worked(solved(p), "A")) == {0, 1, 3, 4}


def test_max_consecutive_working_days_does_not_fire_at_the_limit() -> None:
    p = problem(5, [(d, "D") for d in range(2)], rule_set=rules(max_consecutive_working_days=2))
    assert len(solved(p).roster) == 2


def test_min_consecutive_shifts_inside_horizon() -> None:
    # Days 0..4, demand only on day 2; a run of 1 not touching an edge is too short for
    # a minimum of 2, so A cannot take it alone... unless the run reaches an edge. With
    # cover forbidding over-cover, day 2 stays uncovered.
    p = problem(5, [(2, "D")], employees=[Employee("A", min_consecutive_shifts=2)])
    result = solved(p)
    assert result.roster == ()


def test_min_consecutive_shifts_runs_touching_the_edge_are_exempt() -> None:
    p = problem(5, [(0, "D"), (4, "D")], employees=[Employee("A", min_consecutive_shifts=2)])
    assert len(solved(p).roster) == 2


def test_min_consecutive_days_off() -> None:
    # Demand on days 0, 2, 4 with at least 2 days off in a row: {0,2,4} leaves single days
    # off 1 and 3; {0,2} leaves day 1 alone; {2,4} leaves day 3 alone (days 0-1 touch the
    # edge and are exempt). Only {0,4} (days 1-3 off) works with two shifts.
    p = problem(
        5, [(0, "D"), (2, "D"), (4, "D")], employees=[Employee("A", min_consecutive_days_off=2)]
    )
    result = solved(p)
    assert worked(result, "A") == {0: "D", 4: "D"}
    p_off = problem(5, [(0, "D"), (2, "D"), (4, "D")])
    assert len(solved(p_off).roster) == 3


def test_max_weekends() -> None:
    # Two weekends (days 5,6 and 12,13), demand on both Saturdays; max 1 weekend.
    p = problem(14, [(5, "D"), (12, "D")], employees=[Employee("A", max_weekends=1)])
    assert len(solved(p).roster) == 1
    p2 = problem(14, [(5, "D"), (6, "D")], employees=[Employee("A", max_weekends=1)])
    assert len(solved(p2).roster) == 2  # one weekend, both days


def test_max_shifts_per_type() -> None:
    p = problem(
        3, [(d, "D") for d in range(3)], employees=[Employee("A", max_shifts_per_type={"D": 2})]
    )
    assert len(solved(p).roster) == 2


# --------------------------------------------------------------------- availability


def test_absence_and_night_willingness() -> None:
    p = problem(
        2,
        [(0, "D"), (1, "N")],
        employees=[Employee("A", absences=frozenset({0}), works_nights=False)],
    )
    result = solved(p)
    assert result.roster == ()
    reasons = {u.day: u.reason for u in result.uncovered}
    assert "absent" in reasons[0]
    assert "does not work nights" in reasons[1]


def test_busy_elsewhere_blocks_overlapping_and_too_close_shifts() -> None:
    # A is busy 09:00–13:00 on day 1 (another roster): D day 1 overlaps; E day 0 ends
    # 23:00, 10 h before → too close with 11 h rest; N day 1 starts 23:00, 10 h after.
    busy = ((1440 + 9 * 60, 1440 + 13 * 60),)
    p = problem(
        3,
        [(0, "E"), (1, "D"), (1, "N"), (2, "E")],
        employees=[Employee("A", busy=busy)],
        rule_set=rules(min_rest_minutes=11 * 60),
    )
    result = solved(p)
    assert worked(result, "A") == {2: "E"}


def test_public_holidays_are_marked() -> None:
    # 24 Dec 2026 is a Thursday and no public holiday; 25 and 26 December are.
    christmas = dataclasses.replace(problem(3, [(0, "D")]), start_date=dt.date(2026, 12, 24))
    assert set(christmas.holidays) == {1, 2}
    assert christmas.weekend_like_days == {1, 2}  # the 26th is a Saturday anyway


def test_night_shift_template_crosses_midnight() -> None:
    assert N.crosses_midnight and not D.crosses_midnight
    assert N.span(0) == (23 * 60, 31 * 60)
