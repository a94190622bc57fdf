"""End and renewal: cases due for a decision at their aim, extensions (audited, version
bumped, seats resized under the capacity invariant), and the course figures.

The world is set on 2 March 2026. k2 (family treatment, aim 9 months) is moved to start
on 10 June 2025: its aim is 10 March 2026, within the 30-day decision window.
"""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.services.course import course_figures
from data.models import Assignment, Case, CaseStatus, InterventionType
from data.ops_models import AuditAction, AuditEvent
from tests.api.conftest import Keys
from tests.api.world import World


def _start_k2_on(api_engine: Engine, world: World, start: dt.date) -> None:
    with Session(api_engine) as session:
        assignment = session.get(Assignment, world.assignment_k2)
        assert assignment is not None
        assignment.start = start
        session.add(assignment)
        session.commit()


def _due(
    client: TestClient, keys: Keys, role: str = "admin", **params: str | int | float | bool | None
) -> list[int]:
    response = client.get("/v1/cases/due-for-decision", params=params, headers=keys.headers(role))
    assert response.status_code == 200, response.text
    return [row["case_id"] for row in response.json()["data"]]


def test_a_case_is_listed_for_a_decision_near_its_aim_and_not_before(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    # k2 starts 5 January 2026: aim 5 October, far beyond the 30-day window
    assert _due(client, keys) == []
    assert _due(client, keys, within_days=230) == [world.cases["k2"]]  # 2 March + 230 > aim
    _start_k2_on(api_engine, world, dt.date(2025, 6, 10))
    rows = client.get("/v1/cases/due-for-decision", headers=keys.headers("admin")).json()["data"]
    assert [(r["case_id"], r["aim"], r["decision_due"]) for r in rows] == [
        (world.cases["k2"], "2026-03-10", "2026-03-10")
    ]
    assert rows[0]["options"] == ["end", "extend", "convert"]
    # scoped as cases: the Næstved team leader sees k2, the København one does not
    assert _due(client, keys, "team_leader_naestved") == [world.cases["k2"]]
    assert _due(client, keys, "team_leader_kbh") == []


def test_an_extension_is_its_own_audited_change_and_moves_the_decision(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    _start_k2_on(api_engine, world, dt.date(2025, 6, 10))
    case_id = world.cases["k2"]
    extended = client.post(
        f"/v1/cases/{case_id}/extend",
        json={"expected_end": "2026-12-01", "hours_per_week": 3, "version": 0},
        headers=keys.headers("reception"),
    )
    assert extended.status_code == 200, extended.text
    body = extended.json()
    assert (body["version"], body["extensions"], body["expected_end"]) == (1, 1, "2026-12-01")
    assert body["resized_assignment_ids"] == [world.assignment_k2]
    assert body["follow_ups_planned"] > 0
    # the next decision is due at the new end, not at the passed aim
    assert _due(client, keys) == []
    with Session(api_engine) as session:
        assignment = session.get(Assignment, world.assignment_k2)
        assert assignment is not None and assignment.hours_per_week == 3
        event = session.exec(
            select(AuditEvent).where(col(AuditEvent.action) == AuditAction.CASE_EXTEND)
        ).one()
        assert event.entity_ids == [case_id] and event.related_ids["extensions"] == 1
    stale = client.post(
        f"/v1/cases/{case_id}/extend",
        json={"expected_end": "2027-01-01", "version": 0},
        headers=keys.headers("reception"),
    )
    assert stale.status_code == 409


def test_an_extension_that_breaks_capacity_changes_nothing(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    case_id = world.cases["k2"]
    too_many = client.post(
        f"/v1/cases/{case_id}/extend",
        # c3 has 31.45 family hours (37 contracted); k2 is in week 9 of its course, whose
        # second phase plans 60 % of the ordered hours: 60 h ordered are 36 h today
        json={"expected_end": "2026-12-01", "hours_per_week": 60},
        headers=keys.headers("reception"),
    )
    assert too_many.status_code == 409 and "consultant" in too_many.json()["detail"]
    earlier = client.post(
        f"/v1/cases/{case_id}/extend",
        json={"expected_end": "2026-09-01"},  # before its expected end (1 October)
        headers=keys.headers("reception"),
    )
    assert earlier.status_code == 422 and "body.expected_end" in earlier.text
    with Session(api_engine) as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert (case.version, case.extensions, case.expected_end) == (0, 0, dt.date(2026, 10, 1))
        assignment = session.get(Assignment, world.assignment_k2)
        assert assignment is not None and assignment.hours_per_week == 5


def test_converting_a_course_changes_its_type_and_cadence(
    client: TestClient, keys: Keys, world: World
) -> None:
    converted = client.post(
        f"/v1/cases/{world.cases['k2']}/extend",
        json={"expected_end": "2027-06-01", "intervention_type": "coordinating_consultant"},
        headers=keys.headers("reception"),
    )
    assert converted.status_code == 200
    assert converted.json()["intervention_type"] == "coordinating_consultant"
    to_team = client.post(
        f"/v1/cases/{world.cases['k2']}/extend",
        json={"expected_end": "2027-09-01", "intervention_type": "dognindsats"},
        headers=keys.headers("reception"),
    )
    assert to_team.status_code == 422


def test_course_figures_count_ends_at_the_aim_early_and_late(
    api_engine: Engine, world: World
) -> None:
    """k2 (started 5 January 2026, aim 5 October, tolerance 45 days) ended on three
    different days: at the aim, early, late."""
    with Session(api_engine) as session:
        case = session.get(Case, world.cases["k2"])
        assignment = session.get(Assignment, world.assignment_k2)
        assert case is not None and assignment is not None
        case.status = CaseStatus.ENDED
        session.add(case)
        for end, expected in (
            (dt.date(2026, 10, 20), (1, 0, 0)),
            (dt.date(2026, 6, 1), (0, 1, 0)),
            (dt.date(2026, 12, 1), (0, 0, 1)),
        ):
            assignment.end = end
            session.add(assignment)
            session.flush()
            figures = course_figures(session)[InterventionType.FAMILY_TREATMENT]
            assert (figures.ended, (figures.at_aim, figures.early, figures.late)) == (1, expected)
        session.rollback()
