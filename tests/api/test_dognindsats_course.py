"""A døgnindsats over its course: published, withdrawn, ended — and what matching sees.

Publishing writes the roster's team back as the case's assignments; unpublishing the
roster or ending the case ends them again, and the freed hours show in matching.
"""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.services.invariants import consultant_load
from api.services.roster_publishing import publish_roster
from data.models import Assignment, AssignmentStatus
from data.ops_models import AuditAction, AuditEvent, Roster, RosterStatus
from tests.api.conftest import Keys
from tests.api.dognindsats import add_dognindsats, draft_roster, wait_roster
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
        other = add_dognindsats(session, "TEST-DOGN-OTHER")
        session.commit()
        # native0 works two 8 h day shifts a week in the other home: 16 h of 31.45
        roster = draft_roster(
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


def test_a_dognindsats_walks_from_request_to_team_to_roster_to_assignments_to_its_end(
    worker_client: TestClient,
    keys: Keys,
    world: World,
    api_engine: Engine,
) -> None:
    """Issue 19's "done when", through the API on the demo-like world: a døgnindsats is
    registered, matched as a team, its roster planned with that team and published, the
    team appears as the case's assignments, and ending the case cuts the roster and ends
    them."""
    client = worker_client
    with Session(api_engine) as session:
        people = team_world(session, world)
    reception, leader = keys.headers("reception"), keys.headers("team_leader_naestved")
    created = client.post(
        "/v1/cases",
        json={
            "reference": "NAE-2026-DOGN",
            "municipality_code": 370,
            "intervention_type": "dognindsats",
            "hours_per_week": 168,
            "visits_per_week": 7,
            "requested_start": "2026-03-09T08:00:00+01:00",
            "languages": [{"person_group": "parents", "tag": "da"}],
        },
        headers=reception,
    )
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]

    match = client.post(f"/v1/cases/{case_id}/match", json={}, headers=reception).json()
    team = match["team"]
    assert team["feasible"] and team["team_size"] == 6
    request = team["roster_request"]
    assert sorted(request["consultant_ids"]) == sorted(
        people[k] for k in ("native0", "native1", "native2", "native3", "working", "light")
    )

    planned = client.post(
        "/v1/rosters", json={**request, "days": 7, "time_limit_seconds": 10}, headers=leader
    )
    assert planned.status_code == 202, planned.text
    roster = wait_roster(client, planned.json()["id"], leader)
    assert roster["status"] == "draft" and roster["violations"] == [], roster
    assert roster["uncovered"] == [] and set(roster["team"]) <= set(request["consultant_ids"])
    published = client.post(f"/v1/rosters/{roster['id']}/publish", headers=leader)
    assert published.status_code == 200, published.text

    rows = client.get(f"/v1/cases/{case_id}/assignments", headers=reception).json()["data"]
    members = [r for r in rows if r["consultant_id"] is not None]
    assert sorted(r["consultant_id"] for r in members) == roster["team"]
    assert [r["role"] for r in members].count("primary") == 1
    # each member's hours are their shifts' average week: together the 168 h of cover
    assert round(sum(r["hours_per_week"] for r in members), 6) == 168.0
    assert client.get(f"/v1/cases/{case_id}", headers=reception).json()["status"] == "active"

    # the municipality ends it after Wednesday 11 March, 9 days ahead: no reason needed
    ended = client.post(
        f"/v1/cases/{case_id}/end", json={"end_date": "2026-03-11"}, headers=reception
    )
    # the roster is cut by a repair job (202); publishing the cut ends the assignments
    assert ended.status_code == 202, ended.text
    (cut_id,) = ended.json()["roster_ids"]
    cut = wait_roster(client, cut_id, leader)
    assert cut["status"] == "published", cut
    before = {
        (s["consultant_id"], s["shift_code"], s["start"])
        for s in published.json()["shifts"]
        if s["start"] < "2026-03-11T23"
    }
    # the repair kept every shift up to the last day (the night of the 11th ends on the
    # 12th) and dropped the rest
    assert {(s["consultant_id"], s["shift_code"], s["start"]) for s in cut["shifts"]} == before
    with Session(api_engine) as session:
        running = session.exec(
            select(Assignment).where(
                Assignment.case_id == case_id,
                Assignment.consultant_id.is_not(None),  # type: ignore[union-attr]
            )
        ).all()
        after = dt.date(2026, 3, 12)
        freed = [consultant_load(session, a.consultant_id or 0, after) for a in running]
    # who still works up to the last day ends then; who had shifts only after it left the
    # team at the cut (its assignment ended without a day worked)
    still = {s["consultant_id"] for s in cut["shifts"]}
    assert still and {a.consultant_id for a in running if a.end == dt.date(2026, 3, 11)} >= still
    assert all(a.status is AssignmentStatus.ENDED for a in running if a.consultant_id not in still)
    # after it, no member carries the case: their hours are free (one keeps her 3 h on k2)
    assert all(case_id not in cases for _, cases in freed)
    assert [hours for hours, _ in freed] == [
        3.0 if a.consultant_id == people["light"] else 0.0 for a in running
    ]
