"""`roster.across`: a consultant's shifts in several rosters checked as one, blaming the
new roster only for what it adds."""

from __future__ import annotations

import dataclasses
import datetime as dt

from roster import RosterRules, template
from roster.across import Booking, broken_across
from tests.roster.instances import MONDAY

D12, N12 = template("2x12")  # 07–19, 19–07
D8 = template("3x8")[0]  # 07–15


def _bookings(roster: str, shift: object, days: range, employee: str = "A") -> list[Booking]:
    return [
        Booking(roster, employee, MONDAY + dt.timedelta(days=d), shift)  # type: ignore[arg-type]
        for d in days
    ]


def _rules(**on: object) -> RosterRules:
    return dataclasses.replace(RosterRules(), **on)  # type: ignore[arg-type]


def test_nights_in_another_roster_make_a_night_worker_of_the_new_one() -> None:
    # a 14-day reference period (a night worker: 8 h × 12 days = 96 h in it; the
    # 48-hour average off). Roster 7 had six 12 h nights on days 0..5 (72 h); the new
    # roster's three 12 h day shifts on days 7..9 make 108 h in days 0..13
    # (the weekly rest off; the six nights in a row were roster 7's own breach)
    rules = _rules(
        max_average_weekly_minutes=None, reference_period_days=14, weekly_rest_minutes=None
    )
    nights = _bookings("7", N12, range(6))
    new = _bookings("new", D12, range(7, 10))
    broken = broken_across(new, nights, rules)
    # the periods ending on days 9..13 hold all of it
    assert [b.violation.rule for b in broken] == ["night_worker_reference_period"] * 5
    assert [b.date for b in broken] == [MONDAY + dt.timedelta(days=d) for d in range(9, 14)]
    assert {(b.violation.employee, b.others) for b in broken} == {("A", ("7",))}
    # after six day shifts instead: no night worker, nothing to hold
    days = _bookings("7", D12, range(6))
    assert broken_across(new, days, rules) == []
    # two day shifts: 96 h, the limit exactly
    assert broken_across(new[:2], nights, rules) == []


def test_what_the_other_rosters_broke_alone_is_not_the_new_ones_doing() -> None:
    # roster 7 alone has seven day shifts in a row (days 0..6: no weekly rest, a run of
    # 7); a new shift two weeks later changes neither
    rules = _rules()
    broken_before = _bookings("7", D8, range(7))
    later = _bookings("new", D8, range(20, 21))
    assert broken_across(later, broken_before, rules) == []
    # a shift on day 7 makes the run 8 days long and the weeks to day 7 rest-less
    on_day_7 = _bookings("new", D8, range(7, 8))
    assert {b.violation.rule for b in broken_across(on_day_7, broken_before, rules)} == {
        "weekly_rest",
        "max_consecutive_working_days",
    }


def test_what_the_new_roster_breaks_alone_past_its_end_is_left_to_its_own_check() -> None:
    # nights 23–07 on days 1..6 of its week: its own week keeps 47 h free before day 1,
    # but the 7 days from day 1 hold only 17 h after the last night (a window past its
    # end, judged when the next roster is planned). Another roster a month later does
    # not make it an across-rosters breach; one with a night on day 7 does
    n8 = template("3x8")[2]
    rules = _rules(max_consecutive_nights=None)
    own = _bookings("new", n8, range(1, 7))
    assert broken_across(own, _bookings("7", D8, range(30, 31)), rules) == []
    next_night = broken_across(own, _bookings("7", n8, range(7, 8)), rules)
    assert "weekly_rest" in {b.violation.rule for b in next_night}
