"""Rosters see each other: a consultant's shifts in other rosters block the same time,
and publishing re-checks the published rosters so nobody is booked twice."""

from __future__ import annotations

import datetime as dt
import itertools

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.services.errors import Invalid
from api.services.invariants import consultant_load
from api.services.roster_problem import build_problem
from api.services.roster_publishing import publish_roster
from data.models import Assignment, AssignmentStatus, Case, CaseStatus
from data.ops_models import AuditAction, AuditEvent, Roster, RosterShift, RosterStatus
from tests.api.conftest import Keys
from tests.api.dognindsats import (
    START,
    add_homes,
    draft_roster,
    post_roster,
    refused_publication,
    roster_params,
    wait_roster,
)
from tests.api.world import World


def test_publishing_refuses_a_consultant_booked_in_another_published_roster(
    api_engine: Engine, world: World
) -> None:
    (a, b), (case_1, case_2) = add_homes(api_engine, world.office_naestved, 2, cases=2)
    with Session(api_engine) as session:
        first = draft_roster(session, case_1, world.office_naestved, [(a, 0, "D")])
        publish_roster(session, first, None)
        # a's day shift on day 0 again, in the other home: refused, naming the person
        clash = draft_roster(session, case_2, world.office_naestved, [(a, 0, "D"), (b, 0, "E")])
        reason = refused_publication(session, clash)
        assert f"consultant {a}" in reason and "shift D" in reason and "overlaps" in reason
        # the evening after a's day shift leaves 0 h rest: refused as well
        no_rest = draft_roster(session, case_2, world.office_naestved, [(a, 0, "E")])
        reason = refused_publication(session, no_rest)
        assert f"consultant {a}" in reason and "rest" in reason
        # b alone, and a a day later with 16 h rest: published
        fine = draft_roster(session, case_2, world.office_naestved, [(b, 0, "D"), (a, 1, "D")])
        assert publish_roster(session, fine, None).status is RosterStatus.PUBLISHED
        assert session.get(Roster, clash.id).status is RosterStatus.DRAFT  # type: ignore[union-attr]


def test_a_new_roster_is_blocked_by_drafts_and_published_rosters_of_other_cases(
    api_engine: Engine, world: World
) -> None:
    (a, b, c), (case_1, case_2) = add_homes(api_engine, world.office_naestved, 3, cases=2)
    with Session(api_engine) as session:
        draft_roster(session, case_1, world.office_naestved, [(a, 0, "D")])
        draft_roster(session, case_1, world.office_naestved, [(b, 1, "N")], RosterStatus.PUBLISHED)
        draft_roster(session, case_1, world.office_naestved, [(c, 0, "N")], RosterStatus.SUPERSEDED)
        params = roster_params(case_2, world.office_naestved, days=2)
        problem = build_problem(session, params, set())
        busy = {int(e.id): e.busy for e in problem.employees}
        assert busy[a] == ((7 * 60, 15 * 60),)  # the draft holds a
        assert busy[b] == ((1440 + 23 * 60, 2 * 1440 + 7 * 60),)  # the published one holds b
        assert busy[c] == ()  # a superseded roster holds nobody
        # the draft's 8 h count as hours used (a published roster's count through the
        # assignments it wrote back)
        committed = {int(e.id): e.committed_minutes for e in problem.employees}
        assert [committed[k] for k in (a, b, c)] == [480, 0, 0]
        # a re-plan of case 1 itself is not blocked by case 1's own rosters
        again = build_problem(session, {**params, "case_ids": [case_1]}, set())
        assert all(e.busy == () for e in again.employees)


def _overlapping_bookings(shifts: list[RosterShift]) -> list[tuple[int, int, int]]:
    by_consultant: dict[int, list[RosterShift]] = {}
    for shift in shifts:
        by_consultant.setdefault(shift.consultant_id or 0, []).append(shift)
    return [
        (consultant, one.id or 0, other.id or 0)
        for consultant, own in by_consultant.items()
        for one, other in itertools.combinations(own, 2)
        if one.roster_id != other.roster_id and one.start < other.end and other.start < one.end
    ]


def test_two_rosters_planned_together_for_two_cases_never_share_a_consultant(
    worker_client: TestClient,
    keys: Keys,
    world: World,
    api_engine: Engine,
) -> None:
    # 2 days of 3x8: a 37 h/week contract allows one 8 h shift in 2 days, so each
    # home needs 6 people and the 12 of the office are just enough for both.
    _, cases = add_homes(api_engine, world.office_naestved, 12, cases=2)
    headers = keys.headers("team_leader_naestved")
    created = [
        post_roster(worker_client, headers, case_id, time_limit_seconds=10, days=2)
        for case_id in cases
    ]
    rosters = [wait_roster(worker_client, r.json()["id"], headers) for r in created]
    assert [r["status"] for r in rosters] == ["draft", "draft"], rosters
    answers = [
        worker_client.post(f"/v1/rosters/{r['id']}/publish", headers=headers) for r in rosters
    ]
    assert answers[0].status_code == 200
    # the second either avoided the first while it was planned, or its publication is
    # refused with the reason
    assert answers[1].status_code in (200, 409), answers[1].text
    if answers[1].status_code == 409:
        assert "booked twice" in answers[1].json()["detail"]
    with Session(api_engine) as session:
        published = session.exec(
            select(RosterShift).join(Roster).where(Roster.status == RosterStatus.PUBLISHED)
        ).all()
    assert _overlapping_bookings(list(published)) == []
    assert {s.case_id for s in published} >= {cases[0]}


def _running(session: Session, case_id: int) -> dict[int, tuple[str, float]]:
    rows = session.exec(
        select(Assignment).where(
            Assignment.case_id == case_id, Assignment.status != AssignmentStatus.ENDED
        )
    ).all()
    return {a.consultant_id or 0: (a.role.value, a.hours_per_week) for a in rows}


def test_publishing_writes_the_team_back_as_the_cases_assignments(
    api_engine: Engine, world: World
) -> None:
    (a, b, c), (case_id,) = add_homes(api_engine, world.office_naestved, 3)
    with Session(api_engine) as session:
        assert _running(session, case_id) == {}
        # over the week a works two 8 h shifts (16 h/week on average), b one
        first = draft_roster(
            session, case_id, world.office_naestved, [(a, 0, "D"), (b, 0, "N"), (a, 2, "D")]
        )
        publish_roster(session, first, None)
        assert _running(session, case_id) == {a: ("primary", 16.0), b: ("support", 8.0)}
        assert consultant_load(session, a, START)[0] == 16.0  # capacity sees a as busy
        assert session.get(Case, case_id).status is CaseStatus.ACTIVE  # type: ignore[union-attr]
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.ROSTER_PUBLISH)
        ).one()
        assert len(event.related_ids["assignment_ids"]) == 2

        # a repair: b leaves, c joins; a keeps the primary seat with new hours
        child = draft_roster(session, case_id, world.office_naestved, [(a, 0, "D"), (c, 0, "N")])
        child.parent_id = first.id
        session.add(child)
        session.commit()
        publish_roster(session, child, None)
        assert _running(session, case_id) == {a: ("primary", 8.0), c: ("support", 8.0)}
        ended = session.exec(
            select(Assignment).where(Assignment.consultant_id == b, Assignment.case_id == case_id)
        ).one()
        assert ended.status is AssignmentStatus.ENDED and ended.end == START
        assert session.get(Roster, first.id).status is RosterStatus.SUPERSEDED  # type: ignore[union-attr]


def test_a_publication_that_would_overload_a_consultant_is_refused_and_writes_nothing(
    api_engine: Engine, world: World
) -> None:
    # a's max_cases is 2: the third case is one too many
    (a,), (case_1, case_2, case_3) = add_homes(api_engine, world.office_naestved, 1, cases=3)
    with Session(api_engine) as session:
        for case_id, day in ((case_1, 0), (case_2, 2)):
            publish_roster(
                session,
                draft_roster(session, case_id, world.office_naestved, [(a, day, "D")]),
                None,
            )
        third = draft_roster(session, case_3, world.office_naestved, [(a, 4, "D")])
        reason = refused_publication(session, third)
        assert f"consultant {a}" in reason and "cases" in reason
        assert _running(session, case_3) == {}


def test_a_minimum_rest_below_8_hours_is_refused_naming_the_field(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    _, (case_id,) = add_homes(api_engine, world.office_naestved, 0)
    headers = keys.headers("admin")
    body = {"case_ids": [case_id], "start_date": START.isoformat(), "days": 2}
    short = client.post("/v1/rosters", json={**body, "min_rest_hours": 7}, headers=headers)
    assert short.status_code == 422
    assert [e["field"] for e in short.json()["errors"]] == ["body.min_rest_hours"]
    agreed = client.post(
        "/v1/rosters",
        json={**body, "min_rest_hours": 8, "max_sleep_in_hours": 13},
        headers=headers,
    )
    assert agreed.status_code == 202, agreed.text
    with Session(api_engine) as session:
        stored = session.get(Roster, agreed.json()["id"])
        assert stored is not None
        rules = build_problem(session, stored.params, set()).rules
    assert (rules.min_rest_minutes, rules.max_sleep_in_minutes) == (8 * 60, 13 * 60)


def test_a_roster_starting_the_day_after_another_keeps_the_rest_and_the_run(
    api_engine: Engine, world: World
) -> None:
    from roster.eligibility import Ineligible, why_not
    from roster.problem import Assignment as RosterAssignment
    from roster.solve import solve
    from roster.validate import validate

    (a,), (case_id,) = add_homes(api_engine, world.office_naestved, 1)
    with Session(api_engine) as session:
        # the first week ends with four working days for a: D, D, D and a night 23–07
        first = draft_roster(
            session,
            case_id,
            world.office_naestved,
            [(a, 3, "D"), (a, 4, "D"), (a, 5, "D"), (a, 6, "N")],
        )
        publish_roster(session, first, None)
        following = roster_params(
            case_id,
            world.office_naestved,
            days=3,
            start=START + dt.timedelta(days=7),
            consultant_ids=[a],
        )
        problem = build_problem(session, following, set())
    member = problem.employee[str(a)]
    assert (member.worked_days_before, member.nights_before) == (4, 1)
    # the first week's shifts, the last one the night into the first morning
    assert len(member.busy) == 4 and member.busy[-1] == (-60, 7 * 60)
    day, evening, night = problem.shift_types
    assert why_not(problem, member, 0, day) is Ineligible.BUSY  # overlaps the night
    assert why_not(problem, member, 0, evening) is Ineligible.BUSY  # 8 h rest < 11 h
    assert why_not(problem, member, 0, night) is None  # 16 h rest
    result = solve(problem, time_limit=10, seed=1, num_workers=1)
    assert result.found and validate(problem, result.roster) == []
    assert not any(x.day == 0 and x.shift != "N" for x in result.roster)
    # 4 days worked before, at most 6 in a row: three more nights make 7
    nights = [RosterAssignment(d, "N", str(case_id), str(a)) for d in range(3)]
    assert "max_consecutive_working_days" in {v.rule for v in validate(problem, tuple(nights))}
    assert "max_consecutive_working_days" not in {
        v.rule for v in validate(problem, tuple(nights[:2]))
    }
    # stored and published, the planned roster passes the re-check across rosters (the
    # case's first week lies outside its horizon and counts): planner and check agree
    assert result.roster  # a works in it (cover comes first)
    with Session(api_engine) as session:
        planned = draft_roster(
            session,
            case_id,
            world.office_naestved,
            [(a, x.day, x.shift) for x in result.roster],
            start=START + dt.timedelta(days=7),
            days=3,
        )
        assert publish_roster(session, planned, None).status is RosterStatus.PUBLISHED


def test_the_history_of_any_case_reaches_back_over_the_reference_period(
    api_engine: Engine, world: World
) -> None:
    (a,), (other, case_id) = add_homes(api_engine, world.office_naestved, 1, cases=2)
    with Session(api_engine) as session:
        # another case's published week, three weeks before the new roster: D on days 0, 1
        publish_roster(
            session,
            draft_roster(session, other, world.office_naestved, [(a, 0, "D"), (a, 1, "D")]),
            None,
        )
        following = roster_params(
            case_id,
            world.office_naestved,
            days=7,
            start=START + dt.timedelta(days=21),
            consultant_ids=[a],
        )
        default = build_problem(session, following, set())
        short = build_problem(session, {**following, "reference_period_days": 20}, set())
    # 21 and 20 days before: inside the default 4 months, outside a 20-day period
    # (the first 20-day period, to day 0, starts on day -19)
    day = 7 * 60
    expected = (
        (-21 * 24 * 60 + day, -21 * 24 * 60 + day + 480),
        (-20 * 24 * 60 + day, -20 * 24 * 60 + day + 480),
    )
    assert default.employee[str(a)].history == expected
    assert default.rules.reference_period_days == 122
    assert short.rules.reference_period_days == 20
    assert short.employee[str(a)].history == expected[1:]


def test_a_roster_stored_with_a_rest_below_8_hours_is_refused_not_a_500(
    api_engine: Engine, world: World
) -> None:
    _, (case_id,) = add_homes(api_engine, world.office_naestved, 0)
    with Session(api_engine) as session:
        params = roster_params(case_id, world.office_naestved, days=2)
        assert build_problem(session, {**params, "min_rest_hours": 8}, set()).days == 2
        try:
            build_problem(session, {**params, "min_rest_hours": 6}, set())
        except Invalid as refused:
            assert [p.field for p in refused.problems] == ["body.min_rest_hours"]
        else:
            raise AssertionError("a 6 h daily rest was accepted")


def test_ending_a_dognindsats_cuts_its_roster_and_ends_its_team(
    worker_client: TestClient,
    keys: Keys,
    world: World,
    api_engine: Engine,
) -> None:
    client = worker_client
    (a, b), (case_id,) = add_homes(api_engine, world.office_naestved, 2)
    with Session(api_engine) as session:
        roster = draft_roster(
            session, case_id, world.office_naestved, [(a, 0, "D"), (a, 2, "D"), (b, 4, "D")]
        )
        publish_roster(session, roster, None)
        assert set(_running(session, case_id)) == {a, b}
    headers = keys.headers("reception")
    last_day = START + dt.timedelta(days=2)  # years ahead of the world's planning date
    ended = client.post(
        f"/v1/cases/{case_id}/end", json={"end_date": last_day.isoformat()}, headers=headers
    )
    # the cut is a repair job: the answer is pending, the job publishes the cut
    assert ended.status_code == 202, ended.text
    answer = ended.json()
    (cut_id,) = answer["roster_ids"]
    (job_id,) = answer["job_ids"]
    assert answer["pending"] is True and answer["ended_assignment_ids"] == []
    assert ended.headers["Location"] == f"/v1/jobs/{job_id}"
    leader = keys.headers("team_leader_naestved")
    cut = wait_roster(client, cut_id, leader)
    assert cut["status"] == "published" and cut["parent_id"] == roster.id
    job = client.get(f"/v1/jobs/{job_id}", headers=leader).json()
    assert (job["kind"], job["status"]) == ("repair", "succeeded")
    with Session(api_engine) as session:
        # a and b (and whoever the cut's repair added before the last day) end with it
        ended_rows = session.exec(
            select(Assignment).where(Assignment.case_id == case_id, Assignment.end == last_day)
        ).all()
        assert {a, b} <= {row.consultant_id for row in ended_rows}
        stored_case = session.get(Case, case_id)
        assert stored_case is not None and stored_case.expected_end == last_day
    # cut by a repair: a's two shifts up to the last day are kept (the fewest changes),
    # b's after it are gone, and nothing is planned after the last day; the repair also
    # covers the days the hand-made roster left open (cover comes first)
    kept = {(s["consultant_id"], s["shift_code"], s["start"][:10]) for s in cut["shifts"]}
    assert {(a, "D", "2030-03-04"), (a, "D", "2030-03-06")} <= kept
    assert (b, "D", "2030-03-08") not in kept
    assert max(s["start"][:10] for s in cut["shifts"]) <= "2030-03-06"
    assert cut["uncovered"] == [] and cut["violations"] == []
    assert client.get(f"/v1/rosters/{roster.id}", headers=leader).json()["status"] == ("superseded")
    with Session(api_engine) as session:
        after = last_day + dt.timedelta(days=1)
        assert consultant_load(session, a, last_day)[0] > 0
        assert consultant_load(session, a, after) == (0.0, set())  # the hours are free
        stored = session.get(Roster, cut_id)
        assert stored is not None
        # a repair of the cut roster plans nobody for the case after its last day
        problem = build_problem(session, stored.params, {cut_id})
        assert max(demand.day for demand in problem.cover) == 2


def test_ending_a_dognindsats_at_short_notice_needs_a_reason(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    _, (case_id,) = add_homes(api_engine, world.office_naestved, 0)
    headers = keys.headers("reception")
    # the world plans on Monday 2 March 2026; 6 days ahead is short notice, 7 is not
    soon = {"end_date": "2026-03-08"}
    refused = client.post(f"/v1/cases/{case_id}/end", json=soon, headers=headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.end_date"]
    with_reason = {**soon, "reason": "the family moved away"}
    accepted = client.post(f"/v1/cases/{case_id}/end", json=with_reason, headers=headers)
    # no roster to cut: the case ends at once (200), no job
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["pending"], accepted.json()["job_ids"]) == (False, [])
    week = client.post(f"/v1/cases/{case_id}/end", json={"end_date": "2026-03-09"}, headers=headers)
    assert week.status_code == 200, week.text
    with Session(api_engine) as session:
        notices = [
            (e.related_ids["notice_days"], e.related_ids.get("short_notice_reason"))
            for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()  # type: ignore[arg-type]
            if "notice_days" in e.related_ids
        ]
    # the short notice's reason is on record; a full week's notice needs none
    assert notices == [(6, "the family moved away"), (7, None)]


def test_ending_a_dognindsats_twice_while_its_cut_is_queued_is_a_conflict(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    # no worker here: the first end's cut job stays queued, its roster pending
    (a,), (case_id,) = add_homes(api_engine, world.office_naestved, 1)
    with Session(api_engine) as session:
        roster = draft_roster(session, case_id, world.office_naestved, [(a, 0, "D"), (a, 4, "D")])
        publish_roster(session, roster, None)
    headers = keys.headers("reception")
    body = {"end_date": (START + dt.timedelta(days=2)).isoformat()}
    first = client.post(f"/v1/cases/{case_id}/end", json=body, headers=headers)
    assert first.status_code == 202, first.text
    (cut_id,) = first.json()["roster_ids"]
    again = client.post(f"/v1/cases/{case_id}/end", json=body, headers=headers)
    assert again.status_code == 409, again.text
    assert f"roster {cut_id}" in again.json()["detail"]
    with Session(api_engine) as session:
        # nothing has ended yet: the job publishes the cut and ends the assignments
        assert set(_running(session, case_id)) == {a}
        stored = session.get(Roster, roster.id)
        assert stored is not None and stored.status is RosterStatus.PUBLISHED
