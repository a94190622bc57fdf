"""The follow-up plan of a course and the course's end against its aim (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from data.follow_ups import (
    CourseEnd,
    PlannedFollowUp,
    aim_date,
    course_end_against_aim,
    load_cadences,
    parse_cadences,
    plan_follow_ups,
)
from data.models import FollowUpKind, InterventionType

CADENCES = load_cadences()
COURSE = CADENCES.course
START = dt.date(2026, 3, 2)


def test_family_treatment_follows_up_every_six_weeks_with_a_report_a_week_before() -> None:
    plan = plan_follow_ups(
        CADENCES.of(InterventionType.FAMILY_TREATMENT), COURSE, START, dt.date(2026, 6, 1)
    )
    # 91 days: follow-ups on day 42 and 84, reports 7 days earlier, no network meeting
    # (day 182 is past the end), the call 91 days after the end.
    assert plan == [
        PlannedFollowUp(dt.date(2026, 4, 6), FollowUpKind.STATUS_REPORT),
        PlannedFollowUp(dt.date(2026, 4, 13), FollowUpKind.MUNICIPAL_FOLLOW_UP),
        PlannedFollowUp(dt.date(2026, 5, 18), FollowUpKind.STATUS_REPORT),
        PlannedFollowUp(dt.date(2026, 5, 25), FollowUpKind.MUNICIPAL_FOLLOW_UP),
        PlannedFollowUp(dt.date(2026, 8, 31), FollowUpKind.AFTER_END_CALL),
    ]


def test_a_support_person_every_three_months_and_a_network_meeting_at_six() -> None:
    plan = plan_follow_ups(
        CADENCES.of(InterventionType.SUPPORT_PERSON), COURSE, START, dt.date(2026, 9, 1)
    )
    follow_ups = [p.due for p in plan if p.kind is FollowUpKind.MUNICIPAL_FOLLOW_UP]
    assert follow_ups == [dt.date(2026, 6, 1), dt.date(2026, 8, 31)]  # days 91 and 182
    meetings = [p.due for p in plan if p.kind is FollowUpKind.NETWORK_MEETING]
    assert meetings == [dt.date(2026, 8, 31)]


def test_a_dognindsats_is_followed_up_weekly() -> None:
    plan = plan_follow_ups(
        CADENCES.of(InterventionType.DOGNINDSATS), COURSE, START, dt.date(2026, 3, 30)
    )
    follow_ups = [p.due for p in plan if p.kind is FollowUpKind.MUNICIPAL_FOLLOW_UP]
    assert follow_ups == [START + dt.timedelta(days=7 * k) for k in range(1, 5)]
    reports = [p.due for p in plan if p.kind is FollowUpKind.STATUS_REPORT]
    assert reports == [day - dt.timedelta(days=1) for day in follow_ups]


def test_the_call_after_the_end_fires_only_once_an_end_is_known() -> None:
    cadence = CADENCES.of(InterventionType.FAMILY_TREATMENT)
    open_course = plan_follow_ups(cadence, COURSE, START, None)
    assert not any(p.kind is FollowUpKind.AFTER_END_CALL for p in open_course)
    # planned open_course_days (365) ahead: follow-ups on days 42 … 336, network
    # meetings on days 182 and 364
    follow_ups = [p.due for p in open_course if p.kind is FollowUpKind.MUNICIPAL_FOLLOW_UP]
    assert max(follow_ups) == START + dt.timedelta(days=336)
    assert max(p.due for p in open_course) == START + dt.timedelta(days=364)
    ended = plan_follow_ups(cadence, COURSE, START, dt.date(2026, 4, 1))
    assert [p for p in ended if p.kind is FollowUpKind.AFTER_END_CALL] == [
        PlannedFollowUp(dt.date(2026, 7, 1), FollowUpKind.AFTER_END_CALL)
    ]


def test_the_cadences_are_data_and_are_checked() -> None:
    text = """
[course]
open_course_days = 100
aim_tolerance_days = 10
decision_window_days = 5
""" + "".join(
        f"""
[[cadence]]
intervention_type = "{kind.value}"
municipal_follow_up_every_days = 10
status_report_days_before = 0
network_meeting_every_days = 0
call_after_end_days = 0
aim_months = 0
"""
        for kind in InterventionType
    )
    cadences = parse_cadences(text)
    plan = plan_follow_ups(
        cadences.of(InterventionType.FAMILY_TREATMENT), cadences.course, START, None
    )
    assert len(plan) == 10 and {p.kind for p in plan} == {FollowUpKind.MUNICIPAL_FOLLOW_UP}
    with pytest.raises(ValueError, match="one \\[\\[cadence\\]\\] per intervention type"):
        parse_cadences("[[cadence]]".join(text.split("[[cadence]]")[:-1]))  # one type short


def test_a_course_ends_at_its_aim_early_or_late() -> None:
    cadence = CADENCES.of(InterventionType.FAMILY_TREATMENT)
    start = dt.date(2025, 1, 31)
    assert aim_date(cadence, start) == dt.date(2025, 10, 31)  # 9 calendar months
    tolerance = dt.timedelta(days=COURSE.aim_tolerance_days)  # 45 days either side
    aim = dt.date(2025, 10, 31)
    assert course_end_against_aim(cadence, COURSE, start, aim) is CourseEnd.AT_AIM
    assert course_end_against_aim(cadence, COURSE, start, aim + tolerance) is CourseEnd.AT_AIM
    late = aim + tolerance + dt.timedelta(days=1)
    assert course_end_against_aim(cadence, COURSE, start, late) is CourseEnd.LATE
    early = aim - tolerance - dt.timedelta(days=1)
    assert course_end_against_aim(cadence, COURSE, start, early) is CourseEnd.EARLY
    dogn = CADENCES.of(InterventionType.DOGNINDSATS)
    assert course_end_against_aim(dogn, COURSE, start, aim) is CourseEnd.NO_AIM
