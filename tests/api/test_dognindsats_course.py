"""A døgnindsats over its course: published, withdrawn, ended — and what matching sees.

Publishing writes the roster's team back as the case's assignments; unpublishing the
roster or ending the case ends them again, and the freed hours show in matching.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.services.rosters import publish_roster
from data.models import Assignment, AssignmentStatus
from data.ops_models import AuditAction, AuditEvent, Roster, RosterStatus
from tests.api.conftest import Keys
from tests.api.test_roster_bookings import _draft
from tests.api.test_rosters import _add_dognindsats
from tests.api.test_team_match import team_world
from tests.api.world import World


def _team(client: TestClient, keys: Keys, case_id: int) -> dict[str, object]:
    answer = client.post(f"/v1/cases/{case_id}/match", json={}, headers=keys.headers("reception"))
    assert answer.status_code == 200, answer.text
    team: dict[str, object] = answer.json()["team"]
    return team


def _member_ids(team: dict[str, object]) -> set[int]:
    members = team["members"]
    assert isinstance(members, list)
    return {m["consultant_id"] for m in members}


def test_unpublishing_a_roster_ends_its_team_and_frees_the_hours_for_matching(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    with Session(api_engine) as session:
        people = team_world(session, world)
        other = _add_dognindsats(session, "TEST-DOGN-OTHER")
        session.commit()
        # native0 works two 8 h day shifts a week in the other home: 16 h of 31.45
        roster = _draft(
            session,
            other,
            world.office_naestved,
            [(people["native0"], 0, "D"), (people["native0"], 2, "D")],
        )
        publish_roster(session, roster, None)
        assert roster.id is not None
        written = session.exec(select(Assignment).where(Assignment.case_id == other)).one()
        assert (written.consultant_id, written.hours_per_week) == (people["native0"], 16.0)
    # 15.45 h free < the 28 h share: native0 is no member, and the team is one short
    busy = _team(client, keys, people["case"])
    assert people["native0"] not in _member_ids(busy) and busy["missing"] == 1

    leader = keys.headers("team_leader_naestved")
    withdrawn = client.post(f"/v1/rosters/{roster.id}/unpublish", headers=leader)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "draft"
    again = client.post(f"/v1/rosters/{roster.id}/unpublish", headers=leader)
    assert again.status_code == 409  # a draft is not published

    freed = _team(client, keys, people["case"])
    assert people["native0"] in _member_ids(freed) and freed["feasible"] is True
    with Session(api_engine) as session:
        ended = session.exec(select(Assignment).where(Assignment.case_id == other)).one()
        assert ended.status is AssignmentStatus.ENDED
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.ROSTER_UNPUBLISH)
        ).one()
        assert event.entity_ids == [roster.id]
        assert event.related_ids["ended_assignment_ids"] == [ended.id]
        # published again, the team is written back anew
        stored = session.get(Roster, roster.id)
        assert stored is not None
        assert publish_roster(session, stored, None).status is RosterStatus.PUBLISHED
        running = session.exec(
            select(Assignment).where(
                Assignment.case_id == other, Assignment.status != AssignmentStatus.ENDED
            )
        ).all()
        assert [(a.consultant_id, a.hours_per_week) for a in running] == [(people["native0"], 16.0)]
