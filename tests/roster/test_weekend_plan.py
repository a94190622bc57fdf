"""The weekend plan (`roster.weekend_plan`): each rule it keeps fires where it binds and
not where it does not, and the programme's first pass holds employees to the plan."""

from __future__ import annotations

import dataclasses
import time

import pytest

from roster import best_responses
from roster.problem import RosterProblem, ShiftRequest
from roster.read_nrp import parse_nrp
from roster.validate import validate
from roster.weekend_plan import applicable, build_seconds, plan_weekends, worth_bounding
from tests.roster.test_cover_bound import _daily, _instance

#: Two weeks: the weekend days are 5, 6, 12 and 13.
WEEKEND_DAYS = {5: 1, 6: 1, 12: 1, 13: 1}
#: A week, two staff alike who may work one weekend, one person demanded on Saturday.
SATURDAY_FOR_ONE = _instance(7, ["A,D=7,3360,0,7,1,1,1", "B,D=7,3360,0,7,1,1,1"], _daily(7, {5: 1}))


def _day_and_night(staff: str, cannot_follow_night: str, cover: list[str]) -> str:
    """A week's Curtois–Qu text: shift types D and N (`cannot_follow_night` may not follow
    N), one employee `staff`, the `cover` lines."""
    shifts = ["D,480,", f"N,480,{cannot_follow_night}"]
    lines = ["SECTION_HORIZON", "7", "", "SECTION_SHIFTS", *shifts, "", "SECTION_STAFF", staff]
    return "\n".join([*lines, "", "SECTION_COVER", *cover, ""])


def _worked(plan: dict[tuple[str, int], str | None], employee: str) -> set[int]:
    return {d for (e, d), s in plan.items() if e == employee and s is not None}


def _plan(text: str) -> dict[tuple[str, int], str | None]:
    plan = plan_weekends(parse_nrp(text), time_limit=10, seed=1)
    assert plan is not None and plan.days is not None
    return dict(plan.days)


def _bound(text: str) -> int | None:
    plan = plan_weekends(parse_nrp(text), time_limit=10, seed=1)
    assert plan is not None
    return plan.bound


def test_two_staff_with_one_weekend_each_take_one_whole_weekend_each() -> None:
    # One person on each weekend day, two staff who may work one weekend each: the only
    # plan with nobody short gives each of them both days of a different weekend.
    staff = ["A,D=14,6720,0,14,1,1,1", "B,D=14,6720,0,14,1,1,1"]
    plan = _plan(_instance(14, staff, _daily(14, WEEKEND_DAYS)))
    assert {frozenset(_worked(plan, "A")), frozenset(_worked(plan, "B"))} == {
        frozenset({5, 6}),
        frozenset({12, 13}),
    }
    assert set(plan.values()) == {"D", None}


def test_the_weekend_maximum_leaves_one_weekend_unstaffed() -> None:
    # One employee, one weekend allowed (fires): two of the four days; two allowed (does
    # not fire): all four.
    daily = _daily(14, WEEKEND_DAYS)
    assert _worked(_plan(_instance(14, ["A,D=14,6720,0,14,1,1,1"], daily)), "A") in (
        {5, 6},
        {12, 13},
    )
    assert _worked(_plan(_instance(14, ["A,D=14,6720,0,14,1,1,2"], daily)), "A") == {5, 6, 12, 13}


def test_a_type_maximum_holds_on_the_weekend_days() -> None:
    # D at most once (fires): one weekend day of two demanded.
    plan = _plan(_instance(7, ["A,D=1,3360,0,7,1,1,1"], _daily(7, {5: 1, 6: 1})))
    assert len(_worked(plan, "A")) == 1


def test_a_forbidden_succession_splits_saturday_and_sunday() -> None:
    # N on Saturday may not be followed by D on Sunday (fires): one employee covers one
    # of the two; with the rule gone (does not fire) both.
    staff, cover = "A,D=7|N=7,3360,0,7,1,1,1", ["5,N,1,100,1", "6,D,1,100,1"]
    assert len(_worked(_plan(_day_and_night(staff, "D", cover)), "A")) == 1
    assert _plan(_day_and_night(staff, "", cover)) == {("A", 5): "N", ("A", 6): "D"}


def test_no_weekend_day_off_is_planned() -> None:
    # A is off on Sunday (day 6): only Saturday is planned, B takes Sunday.
    text = _instance(7, ["A,D=7,3360,0,7,1,1,1", "B,D=7,3360,0,7,1,1,1"], _daily(7, {5: 1, 6: 1}))
    plan = _plan(text + "SECTION_DAYS_OFF\nA,6\nB,5\n")
    assert plan == {("A", 5): "D", ("A", 6): None, ("B", 5): None, ("B", 6): "D"}


@pytest.mark.parametrize(
    ("requests", "saturday"),
    [
        ("SECTION_SHIFT_ON_REQUESTS\nB,5,D,2\n", "B"),
        ("SECTION_SHIFT_OFF_REQUESTS\nA,5,D,2\n", "B"),
        ("SECTION_SHIFT_OFF_REQUESTS\nB,5,D,2\n", "A"),
    ],
)
def test_the_weekend_requests_decide_who_works(requests: str, saturday: str) -> None:
    # One person demanded on Saturday, nobody on Sunday, two staff alike: the one who
    # asked for it, or not the one who asked to be off.
    plan = _plan(SATURDAY_FOR_ONE + requests)
    assert [e for e in "AB" if plan[(e, 5)] is not None] == [saturday]
    assert plan[("A", 6)] is None and plan[("B", 6)] is None


def test_a_request_to_work_any_shift_counts_too() -> None:
    p = parse_nrp(SATURDAY_FOR_ONE)
    asked = dataclasses.replace(p, requests=(ShiftRequest("B", 5, None, on=True, weight=2),))
    plan = plan_weekends(asked, time_limit=10, seed=1)
    assert plan is not None and plan.days is not None
    assert plan.days[("B", 5)] == "D" and plan.days[("A", 5)] is None


def test_the_bound_counts_the_weekend_days_the_maximum_leaves_short() -> None:
    # One employee who may work one weekend, one person demanded on each of the four
    # weekend days (fires): two are short in every roster, 200. With two weekends
    # allowed (does not fire) nobody need be short: 0. The weekdays' demands are not in
    # it (three more persons on Wednesday change nothing).
    daily = _daily(14, {**WEEKEND_DAYS, 2: 3})
    assert _bound(_instance(14, ["A,D=14,6720,0,14,1,1,1"], daily)) == 200
    assert _bound(_instance(14, ["A,D=14,6720,0,14,1,1,2"], daily)) == 0


def test_the_bound_counts_the_weekend_requests_no_roster_grants() -> None:
    # A asks to work on Sunday (5), a day A has off (fires): no roster grants it, so
    # every roster pays 5, the bound (and here the optimum: B or A takes Saturday).
    # Asked for Saturday instead (does not fire), A takes it and the bound is 0.
    off_sunday = SATURDAY_FOR_ONE + "SECTION_DAYS_OFF\nA,6\n"
    assert _bound(off_sunday + "SECTION_SHIFT_ON_REQUESTS\nA,6,D,5\n") == 5
    assert _bound(off_sunday + "SECTION_SHIFT_ON_REQUESTS\nA,5,D,5\n") == 0


def test_no_plan_where_no_weekend_is_limited() -> None:
    p = parse_nrp(_instance(14, ["A,D=14,6720,0,14,1,1,1"], _daily(14, WEEKEND_DAYS)))
    free = dataclasses.replace(
        p, employees=tuple(dataclasses.replace(e, max_weekends=None) for e in p.employees)
    )
    assert applicable(p) and not applicable(free)
    assert plan_weekends(free, time_limit=10) is None


def test_a_bound_is_asked_for_only_where_its_time_is_four_builds() -> None:
    # The forecast grows with the staff, the weekend days and the shift types; a limit
    # of four forecast builds is worth a plan (does not fire), a little less is not
    # (fires), nor any limit where the plan does not apply.
    p = parse_nrp(_instance(14, ["A,D=14,6720,0,14,1,1,1"], _daily(14, WEEKEND_DAYS)))
    build = build_seconds(p)
    assert build == pytest.approx(2.5e-5 * 1 * 4 * 1)
    assert worth_bounding(p, 4 * build) and not worth_bounding(p, 3.9 * build)
    free = dataclasses.replace(
        p, employees=tuple(dataclasses.replace(e, max_weekends=None) for e in p.employees)
    )
    assert not worth_bounding(free, 1000.0)


def _first(p: RosterProblem, fixed: dict[tuple[str, int], str | None]) -> set[tuple[str, int]]:
    """(employee, day) worked after the programme's first pass (no rounds after it)."""
    search = best_responses.BestResponses(p)
    now = time.perf_counter()
    assert search.first_pass(now + 10, now + 10, fixed=fixed)
    roster = search.roster()
    assert validate(p, roster) == []
    return {(a.employee, a.day) for a in roster}


def test_the_first_pass_holds_an_employee_to_their_planned_weekend() -> None:
    # One weekend allowed, three weekend days demanded: alone, A's best schedule takes
    # the first weekend (two of them); held to the second weekend's Saturday (the plan
    # the pool might need), A works that day and not the first weekend. (The rounds
    # after the first pass are free of the plan.)
    p = parse_nrp(_instance(14, ["A,D=14,6720,0,14,1,1,1"], _daily(14, {5: 1, 6: 1, 12: 1})))
    assert _first(p, {}) == {("A", 5), ("A", 6)}
    held = {("A", 5): None, ("A", 6): None, ("A", 12): "D", ("A", 13): None}
    assert _first(p, held) == {("A", 12)}


def test_a_plan_the_rules_cannot_keep_is_dropped_for_that_employee() -> None:
    # Held to N on Saturday, which A may not work (N=0): no schedule keeps the plan, so
    # A takes their best schedule without it (D on both weekend days), a legal roster.
    text = _day_and_night("A,D=7|N=0,3360,0,7,1,1,1", "", ["5,D,1,100,1", "6,D,1,100,1"])
    worked = _first(parse_nrp(text), {("A", 5): "N", ("A", 6): None})
    assert {("A", 5), ("A", 6)} <= worked
