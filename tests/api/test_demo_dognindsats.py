"""Issue 19's "done when" on the demo book itself (seed 42), not a hand-made world, on
the book's own planning date (15 December 2023, no `as_of`): through the API a running
døgnindsats is matched as a full team, the roster request the match hands over is
planned (a short time limit), published, and its team appears as the case's
assignments; and a døgnindsats registered that day in Hovedstaden finds a full team of
its own (the København office's reserve, `data.scenario_assign.RESERVE_OFFICES`). On
SQLite and PostgreSQL (the db fixtures).

The running case is FB-2023-0114 (Danish, Hovedstaden). Two of its six members are on
Christmas leave from 22 December, so in the two-week capacity check they have no hours
free: the match proposes the four others and two of the reserve, and publishing makes
those six the case's assignments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import data.ops_models  # noqa: F401  (registers the API tables)
from api.auth import create_key
from api.config import ApiSettings
from api.main import create_app
from data.db import make_engine
from data.models import Assignment, AssignmentStatus, Case, Office
from data.ops_models import Role
from tests.api.dognindsats import wait_roster

CASE_REF = "FB-2023-0114"
BOOK_DATE = "2023-12-15"


@pytest.fixture(scope="module")
def demo_engine(new_database: Callable[[str], str]) -> Iterator[Engine]:
    """A seeded demo book of this module's own: the walk publishes into it (the shared
    `seeded_url` must stay untouched)."""
    from data.migrate import upgrade
    from data.seed import load_demo

    engine = make_engine(upgrade(new_database("demo_dognindsats")))
    load_demo(engine, seed=42, scale=1, progress=False)
    yield engine
    engine.dispose()


def _keys(engine: Engine) -> tuple[dict[str, str], dict[str, str]]:
    with Session(engine) as session:
        offices = [o.id for o in session.exec(select(Office)) if o.id is not None]
        _, reception = create_key(session, Role.RECEPTION, label="demo reception")
        _, leader = create_key(session, Role.TEAM_LEADER, offices, "demo team leader")
        session.commit()
    return {"X-API-Key": reception}, {"X-API-Key": leader}


def test_a_dognindsats_registered_on_the_books_date_finds_a_full_team(
    demo_engine: Engine,
) -> None:
    # before the walk below publishes a roster into this module's book (which takes two
    # of the reserve): the book as seeded
    at_reception, _ = _keys(demo_engine)
    body = {
        "reference": "KBH-2023-0901",
        "municipality_code": 101,  # København, Hovedstaden
        "intervention_type": "dognindsats",
        "hours_per_week": 168,
        "visits_per_week": 7,
        "requested_start": "2023-12-18T08:00:00",
        "languages": [{"person_group": "parents", "tag": "da"}],
    }
    with TestClient(create_app(ApiSettings(), demo_engine)) as client:
        created = client.post("/v1/cases", json=body, headers=at_reception)
        assert created.status_code == 201, created.text
        case_id = created.json()["id"]
        answer = client.post(f"/v1/cases/{case_id}/match", json={}, headers=at_reception)
        assert answer.status_code == 200, answer.text
    team = answer.json()["team"]
    # the København office keeps one team's share free: six night workers with 28 h of
    # family hours free and no leave in the first weeks
    assert (team["feasible"], team["team_size"], team["share_hours"]) == (True, 6, 28.0)
    assert len(team["members"]) == 6
    assert all(m["free_hours"] >= 28.0 for m in team["members"])
    assert team["roster_request"]["start_date"] == "2023-12-18"
    with Session(demo_engine) as session:
        copenhagen = session.exec(select(Office).where(Office.name == "København")).one()
    assert team["roster_request"]["office_ids"] == [copenhagen.id]


def test_a_demo_dognindsats_is_matched_as_a_team_rostered_published_and_assigned(
    demo_engine: Engine,
) -> None:
    with Session(demo_engine) as session:
        case = session.exec(select(Case).where(Case.reference == CASE_REF)).one()
        assert case.id is not None
        case_id = case.id
        current = {
            a.consultant_id
            for a in session.exec(select(Assignment).where(Assignment.case_id == case_id))
            if a.consultant_id is not None and a.status is not AssignmentStatus.ENDED
        }
    at_reception, at_leader = _keys(demo_engine)
    # the seed gives the running døgnindsats its team of six at 28 h each
    assert len(current) == 6
    settings = ApiSettings(run_worker=True, worker_poll_seconds=0.05)
    with TestClient(create_app(settings, demo_engine)) as client:
        # no as_of: the book's own planning date
        answer = client.post(f"/v1/cases/{case_id}/match", json={}, headers=at_reception)
        assert answer.status_code == 200, answer.text
        team = answer.json()["team"]
        # 3x8 covers 168 h a week; six members with 28 h free each (of 31.45 family
        # hours), each near, from an office serving Hovedstaden: the four of its team not
        # on Christmas leave and two of the København reserve
        assert (team["feasible"], team["team_size"], team["share_hours"]) == (True, 6, 28.0)
        request = team["roster_request"]
        assert len(set(request["consultant_ids"]) & current) == 4
        assert request["start_date"] == BOOK_DATE

        planned = client.post(
            "/v1/rosters", json={**request, "days": 7, "time_limit_seconds": 10}, headers=at_leader
        )
        assert planned.status_code == 202, planned.text
        roster = wait_roster(client, planned.json()["id"], at_leader)
        assert roster["status"] == "draft", roster
        assert roster["violations"] == [] and roster["uncovered"] == []
        assert set(roster["team"]) <= set(request["consultant_ids"])
        published = client.post(f"/v1/rosters/{roster['id']}/publish", headers=at_leader)
        assert published.status_code == 200, published.text

        rows = client.get(f"/v1/cases/{case_id}/assignments", headers=at_reception).json()
        members = [
            r for r in rows["data"] if r["consultant_id"] is not None and r["status"] != "ended"
        ]
    # the roster's team is the case's assignments now: one primary, each member with
    # their shifts' average week, together the 168 h of cover
    assert sorted(r["consultant_id"] for r in members) == sorted(roster["team"])
    assert [r["role"] for r in members].count("primary") == 1
    assert round(sum(r["hours_per_week"] for r in members), 6) == 168.0
