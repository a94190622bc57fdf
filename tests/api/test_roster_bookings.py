"""Rosters see each other: a consultant's shifts in other rosters block the same time,
and publishing re-checks the published rosters so nobody is booked twice."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.services.errors import Conflict
from api.services.rosters import DANISH_TIME, build_problem, publish_roster, shift_times
from data.ops_models import Roster, RosterShift, RosterStatus
from tests.api.conftest import Keys
from tests.api.test_rosters import (
    START,
    _add_dognindsats,
    _add_pool,
    _wait_roster,
    worker_client,  # noqa: F401 - a fixture
)
from tests.api.world import World


def _draft(
    session: Session,
    case_id: int,
    office_id: int,
    shifts: list[tuple[int, int, str]],
    status: RosterStatus = RosterStatus.DRAFT,
) -> Roster:
    """A stored 3x8 roster of `case_id` from START with (consultant, day, shift) rows."""
    starts = {"D": 7 * 60, "E": 15 * 60, "N": 23 * 60}
    roster = Roster(
        status=status,
        case_ids=[case_id],
        office_ids=[office_id],
        horizon_start=dt.datetime.combine(START, dt.time(0), tzinfo=DANISH_TIME),
        days=2,
        template="3x8",
        params={
            "case_ids": [case_id],
            "office_ids": [office_id],
            "start_date": START.isoformat(),
            "days": 2,
            "template": "3x8",
        },
        team=sorted({c for c, _, _ in shifts}),
    )
    session.add(roster)
    session.flush()
    assert roster.id is not None
    for consultant, day, code in shifts:
        start, end = shift_times(START, day, starts[code], 8 * 60)
        session.add(
            RosterShift(
                roster_id=roster.id,
                case_id=case_id,
                consultant_id=consultant,
                shift_code=code,
                start=start,
                end=end,
            )
        )
    session.commit()
    session.refresh(roster)
    return roster


def test_publishing_refuses_a_consultant_booked_in_another_published_roster(
    api_engine: Engine, world: World
) -> None:
    with Session(api_engine) as session:
        a, b = _add_pool(session, world.office_naestved, 2)
        case_1 = _add_dognindsats(session, "TEST-DOGN-1")
        case_2 = _add_dognindsats(session, "TEST-DOGN-2")
        session.commit()
        first = _draft(session, case_1, world.office_naestved, [(a, 0, "D")])
        publish_roster(session, first, None)
        # a's day shift on day 0 again, in the other home: refused, naming the person
        clash = _draft(session, case_2, world.office_naestved, [(a, 0, "D"), (b, 0, "E")])
        try:
            publish_roster(session, clash, None)
        except Conflict as refused:
            assert f"consultant {a}" in refused.detail and "shift D" in refused.detail
            assert "overlaps" in refused.detail
        else:
            raise AssertionError("a double booking was published")
        # the evening after a's day shift leaves 0 h rest: refused as well
        no_rest = _draft(session, case_2, world.office_naestved, [(a, 0, "E")])
        try:
            publish_roster(session, no_rest, None)
        except Conflict as refused:
            assert f"consultant {a}" in refused.detail and "rest" in refused.detail
        else:
            raise AssertionError("a shift without rest was published")
        # b alone, and a a day later with 16 h rest: published
        fine = _draft(session, case_2, world.office_naestved, [(b, 0, "D"), (a, 1, "D")])
        assert publish_roster(session, fine, None).status is RosterStatus.PUBLISHED
        assert session.get(Roster, clash.id).status is RosterStatus.DRAFT  # type: ignore[union-attr]


def test_a_new_roster_is_blocked_by_drafts_and_published_rosters_of_other_cases(
    api_engine: Engine, world: World
) -> None:
    with Session(api_engine) as session:
        a, b, c = _add_pool(session, world.office_naestved, 3)
        case_1 = _add_dognindsats(session, "TEST-DOGN-1")
        case_2 = _add_dognindsats(session, "TEST-DOGN-2")
        session.commit()
        _draft(session, case_1, world.office_naestved, [(a, 0, "D")])
        _draft(session, case_1, world.office_naestved, [(b, 1, "N")], RosterStatus.PUBLISHED)
        _draft(session, case_1, world.office_naestved, [(c, 0, "N")], RosterStatus.SUPERSEDED)
        params: dict[str, Any] = {
            "case_ids": [case_2],
            "office_ids": [world.office_naestved],
            "start_date": START.isoformat(),
            "days": 2,
            "template": "3x8",
        }
        problem = build_problem(session, params, set())
        busy = {int(e.id): e.busy for e in problem.employees}
        assert busy[a] == ((7 * 60, 15 * 60),)  # the draft holds a
        assert busy[b] == ((1440 + 23 * 60, 2 * 1440 + 7 * 60),)  # the published one holds b
        assert busy[c] == ()  # a superseded roster holds nobody
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
    worker_client: TestClient,  # noqa: F811 - the fixture
    keys: Keys,
    world: World,
    api_engine: Engine,
) -> None:
    with Session(api_engine) as session:
        # 2 days of 3x8: a 37 h/week contract allows one 8 h shift in 2 days, so each
        # home needs 6 people and the 12 of the office are just enough for both.
        _add_pool(session, world.office_naestved, 12)
        cases = [_add_dognindsats(session, f"TEST-DOGN-{k}") for k in (1, 2)]
        session.commit()
    headers = keys.headers("team_leader_naestved")
    created = [
        worker_client.post(
            "/v1/rosters",
            json={
                "case_ids": [case_id],
                "start_date": START.isoformat(),
                "days": 2,
                "template": "3x8",
                "time_limit_seconds": 10,
            },
            headers=headers,
        )
        for case_id in cases
    ]
    assert [r.status_code for r in created] == [202, 202]
    rosters = [_wait_roster(worker_client, r.json()["id"], headers) for r in created]
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
            select(RosterShift).join(Roster).where(Roster.status == RosterStatus.PUBLISHED)  # type: ignore[arg-type]
        ).all()
    assert _overlapping_bookings(list(published)) == []
    assert {s.case_id for s in published} >= {cases[0]}
