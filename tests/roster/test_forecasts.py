"""The forecasts that send a solve to time windows or start it from the greedy roster
(`roster.forecasts.build_seconds`, `too_big_to_build`, `greedy_seconds`): what they
count, never how long anything takes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from roster import forecasts
from roster.problem import Case, CoverDemand, Employee, RosterProblem, RosterRules
from roster.templates import MINUTES_PER_DAY, template

#: A reference period of one week, so that a few weeks hold many periods.
WEEKLY = RosterRules(reference_period_days=7)
#: A day shift (07-15) on the day before the horizon.
DAY_BEFORE = ((-MINUTES_PER_DAY + 420, -MINUTES_PER_DAY + 900),)


def problem(
    days: int,
    rules: RosterRules = WEEKLY,
    history: tuple[tuple[int, int], ...] = (),
    shifts: tuple[str, ...] = ("D",),
    cases: tuple[Case, ...] = (Case("K1"),),
) -> RosterProblem:
    """One consultant, each case's `shifts` every day."""
    return RosterProblem(
        start_date=dt.date(2026, 1, 5),
        days=days,
        shift_types=template("3x8"),
        employees=(Employee("A", history=history),),
        cases=cases,
        cover=tuple(CoverDemand(c.id, d, s, 1) for c in cases for d in range(days) for s in shifts),
        rules=rules,
    )


def test_period_terms_count_each_periods_days_times_the_shifts_of_a_day() -> None:
    # 14 days, periods of 7: those ending on days 7-14 lie inside the horizon, 8 of 7
    # days each (a 48-hour week allows 2,880 minutes, less than 7 shifts of 480)
    assert forecasts.period_terms(problem(14)) == 8 * 7
    # two shifts a day: twice the terms
    assert forecasts.period_terms(problem(14, shifts=("D", "N"))) == 2 * 8 * 7


def test_period_terms_count_the_periods_reaching_into_the_history() -> None:
    # a shift the day before leaves 2,400 minutes to the periods reaching back to it:
    # the one ending on day 6 (6 days of up to 480) needs a sum, those ending on days
    # 1-5 do not (even a shift each day fits)
    assert forecasts.period_terms(problem(14, history=DAY_BEFORE)) == 8 * 7 + 6


def test_period_terms_are_none_without_the_48_hour_average() -> None:
    off = dataclasses.replace(WEEKLY, max_average_weekly_minutes=None)
    assert forecasts.period_terms(problem(14, rules=off, history=DAY_BEFORE)) == 0


def test_the_periods_send_a_long_horizon_to_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    # 8 weeks (long enough for windows), 56 pairs and 50 periods of 7 days: at a tenth
    # of a second a term the periods alone forecast 35 s, past a quarter of 60 s
    monkeypatch.setattr(forecasts, "BUILD_SECONDS_PER_PERIOD_TERM", 0.1)
    p = problem(56)
    assert forecasts.period_terms(p) == 50 * 7
    assert forecasts.build_seconds(p) == pytest.approx(56 * forecasts.BUILD_SECONDS_PER_PAIR + 35.0)
    assert forecasts.too_big_to_build(p, time_limit=60)


def test_without_periods_the_same_horizon_is_built_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forecasts, "BUILD_SECONDS_PER_PERIOD_TERM", 0.1)
    off = dataclasses.replace(WEEKLY, max_average_weekly_minutes=None)
    assert not forecasts.too_big_to_build(problem(56, rules=off), time_limit=60)


def test_the_greedy_forecast_counts_shifts_not_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    # two cases with languages on the same day shifts: 14 shifts, not 28 demands, for
    # each of two rankings (`heuristic.greedy_runs`), one employee, a second each
    monkeypatch.setattr(forecasts, "GREEDY_SECONDS_PER_PAIR", 1.0)
    two = (Case("K1", language="uk"), Case("K2", language="ar"))
    assert forecasts.greedy_seconds(problem(14, cases=two)) == 14 * 2
    assert forecasts.greedy_seconds(problem(14)) == 14  # one case: one ranking


def test_reference_windows_sum_the_history_inside_each_period() -> None:
    # shifts on days -9, -3 and -1: each period's allowance is less what of them lies in it
    history = tuple((d * MINUTES_PER_DAY + 420, d * MINUTES_PER_DAY + 900) for d in (-9, -3, -1))
    p = problem(14, history=history)
    for w in p.reference_windows(p.employees[0]):
        first = w.end_day - 7
        before = sum(b - a for a, b in history if first * MINUTES_PER_DAY <= a < 0)
        assert w.limit == 2880 - before
    # the periods ending on day 6 (the shift of day -1 in it, six days after) and 7-14
    assert [w.end_day for w in p.reference_windows(p.employees[0])] == list(range(6, 15))


def test_the_build_forecast_counts_a_slots_pairs_once_and_its_further_cases_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # three cases on the day shift of 56 days, one consultant: 56 (employee, shift of a
    # day) pairs, and 2 * 56 x variables of the second and third cases; before, the
    # three cases counted as 168 pairs at the price of one
    monkeypatch.setattr(forecasts, "BUILD_SECONDS_PER_PAIR", 1.0)
    monkeypatch.setattr(forecasts, "BUILD_SECONDS_PER_EXTRA_CASE", 0.25)
    off = dataclasses.replace(WEEKLY, max_average_weekly_minutes=None)
    three = (Case("K1"), Case("K2"), Case("K3"))
    p = problem(56, rules=off, cases=three)
    assert forecasts.model_pairs(p) == (56, 2 * 56)
    assert forecasts.build_seconds(p) == pytest.approx(56 + 0.25 * 112)  # 84 s
    # 84 s is past a quarter of 300 s (75 s): windows; not past a quarter of 340 s (85 s)
    assert forecasts.too_big_to_build(p, time_limit=300)
    assert not forecasts.too_big_to_build(p, time_limit=340)
    # one case: the pairs alone, 56 s, built whole in 300 s
    assert forecasts.build_seconds(problem(56, rules=off)) == pytest.approx(56)
    assert not forecasts.too_big_to_build(problem(56, rules=off), time_limit=300)


def test_the_build_forecast_leaves_out_the_demands_that_make_no_variables() -> None:
    # a demand asking for nobody and forbidding over-cover makes no x (a short window's
    # demands that the others staff): of three cases, only K1's 14 days count
    off = dataclasses.replace(WEEKLY, max_average_weekly_minutes=None)
    three = (Case("K1"), Case("K2"), Case("K3"))
    p = problem(14, rules=off, cases=three)
    p = dataclasses.replace(
        p, cover=tuple(c if c.case == "K1" else dataclasses.replace(c, required=0) for c in p.cover)
    )
    assert forecasts.model_pairs(p) == (14, 0)
    # over-cover allowed: that demand makes variables again
    p = dataclasses.replace(
        p,
        cover=tuple(
            dataclasses.replace(c, over_weight=1) if c.case == "K2" else c for c in p.cover
        ),
    )
    assert forecasts.model_pairs(p) == (14, 14)
