"""Follow-ups through the API: planned at the confirm, scoped reads, done marks (audited),
overdue counts in the KPIs, regeneration at the end, the coordinator's calendar feed.

The world is set on Monday 2 March 2026 (tests/api/world.py). k1 (family treatment,
København, 2 March – 1 December 2026) is confirmed in the tests; its cadence (the shipped
data/reference/follow_up_cadences.toml) is a municipal follow-up every 42 days from the
start, a status report 7 days before each, a network meeting every 182 days and a call
91 days after the end. Over 274 days that is 6 follow-ups (13 Apr … 16 Nov), 6 reports,
1 network meeting (31 Aug) and the call (2 March 2027): 14.
"""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from data.models import Assignment, AssignmentRole, AssignmentStatus
from data.ops_models import AuditAction, AuditEvent
from tests.api.conftest import Keys
from tests.api.world import World


def _confirm_k1(client: TestClient, keys: Keys, world: World) -> None:
    response = client.post(
        f"/v1/cases/{world.cases['k1']}/assignments",
        json={"seats": [{"consultant_id": world.consultants["c1"]}]},
        headers=keys.headers("reception"),
    )
    assert response.status_code == 201, response.text


def _list(
    client: TestClient, keys: Keys, role: str, **params: str | int | float | bool | None
) -> dict[str, object]:
    response = client.get("/v1/follow-ups", params=params, headers=keys.headers(role))
    assert response.status_code == 200, response.text
    page: dict[str, object] = response.json()
    return page


def _give_k2_a_coordinator(api_engine: Engine, world: World) -> None:
    with Session(api_engine) as session:
        session.add(
            Assignment(
                case_id=world.cases["k2"],
                coordinator_id=world.coordinators["k_naestved"],
                role=AssignmentRole.COORDINATOR,
                start=dt.date(2026, 1, 5),
                status=AssignmentStatus.CONFIRMED,
            )
        )
        session.commit()


def test_the_confirm_plans_the_course_for_its_coordinator(
    client: TestClient, keys: Keys, world: World
) -> None:
    assert _list(client, keys, "admin")["count"] == 0  # a requested case has no plan
    _confirm_k1(client, keys, world)
    page = _list(client, keys, "admin", limit=200)
    rows = page["data"]
    assert isinstance(rows, list) and page["count"] == 14
    kinds = [(row["kind"], row["due"]) for row in rows]
    assert kinds[0] == ("status_report", "2026-04-06")
    assert kinds[1] == ("municipal_follow_up", "2026-04-13")
    assert ("network_meeting", "2026-08-31") in kinds
    assert kinds[-1] == ("after_end_call", "2027-03-02")
    assert {row["coordinator_id"] for row in rows} == {world.coordinators["k_kbh"]}
    assert {row["office_id"] for row in rows} == {world.office_kbh}
    assert not any(row["overdue"] for row in rows)
    due_before = _list(client, keys, "admin", due_before="2026-04-13")
    assert due_before["count"] == 1  # only the status report of 6 April


def test_reads_are_scoped_by_the_coordinators_office(
    client: TestClient, keys: Keys, world: World
) -> None:
    _confirm_k1(client, keys, world)
    assert _list(client, keys, "team_leader_kbh")["count"] == 14
    assert _list(client, keys, "team_leader_naestved")["count"] == 0
    assert _list(client, keys, "admin", office=world.office_naestved)["count"] == 0
    assert _list(client, keys, "admin", office=world.office_kbh)["count"] == 14
    other = client.get(
        "/v1/follow-ups",
        params={"office": world.office_kbh},
        headers=keys.headers("team_leader_naestved"),
    )
    assert other.status_code == 403 and str(world.office_kbh) in other.json()["detail"]
    # reception places families; the coordinators' calendar is not its to read
    assert client.get("/v1/follow-ups", headers=keys.headers("reception")).status_code == 403


def test_marking_done_is_scoped_audited_and_once(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    _confirm_k1(client, keys, world)
    first = _list(client, keys, "admin")["data"]
    assert isinstance(first, list)
    follow_up = first[0]["id"]
    url = f"/v1/follow-ups/{follow_up}/done"
    outside = client.post(url, json={}, headers=keys.headers("team_leader_naestved"))
    assert outside.status_code == 403
    future = client.post(url, json={"done_on": "2026-03-03"}, headers=keys.headers("admin"))
    assert future.status_code == 422 and "body.done_on" in future.text
    done = client.post(url, json={"version": 0}, headers=keys.headers("team_leader_kbh"))
    assert done.status_code == 200, done.text
    assert done.json()["done_on"] == "2026-03-02" and done.json()["version"] == 1
    again = client.post(url, json={}, headers=keys.headers("team_leader_kbh"))
    assert again.status_code == 409
    assert _list(client, keys, "admin")["count"] == 13
    assert _list(client, keys, "admin", include_done=True)["count"] == 14
    with Session(api_engine) as session:
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.action) == AuditAction.FOLLOW_UP_DONE)
        ).all()
        assert [(e.entity_ids, e.related_ids["case_id"]) for e in events] == [
            ([follow_up], world.cases["k1"])
        ]


def test_overdue_fires_for_a_past_due_date_and_not_for_a_later_one(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    """k2 started on 5 January: its first follow-up (16 February) and report (9 February)
    are past on 2 March, the next report (23 March) is not."""
    _give_k2_a_coordinator(api_engine, world)
    patched = client.patch(
        f"/v1/cases/{world.cases['k2']}",
        json={"expected_end": "2026-10-01"},  # a course change re-plans the follow-ups
        headers=keys.headers("reception"),
    )
    assert patched.status_code == 200
    overdue = _list(client, keys, "admin", overdue=True)["data"]
    assert isinstance(overdue, list)
    assert [(row["kind"], row["due"], row["overdue"]) for row in overdue] == [
        ("status_report", "2026-02-09", True),
        ("municipal_follow_up", "2026-02-16", True),
    ]
    later = _list(client, keys, "admin")["data"]
    assert isinstance(later, list) and later[2]["due"] == "2026-03-23"
    assert later[2]["overdue"] is False
    kpis = client.get("/v1/kpis", headers=keys.headers("reception")).json()
    assert kpis["follow_ups"]["overdue"] == 2
    assert kpis["follow_ups"]["due_within_14_days"] == 0  # 2–15 March: nothing due


def test_ending_the_case_drops_later_follow_ups_and_keeps_done_ones(
    client: TestClient, keys: Keys, world: World
) -> None:
    _confirm_k1(client, keys, world)
    first = _list(client, keys, "admin")["data"]
    assert isinstance(first, list)
    client.post(f"/v1/follow-ups/{first[0]['id']}/done", json={}, headers=keys.headers("admin"))
    ended = client.patch(
        f"/v1/cases/{world.cases['k1']}",
        json={"status": "ended", "expected_end": "2026-05-01"},
        headers=keys.headers("reception"),
    )
    assert ended.status_code == 200, ended.text
    rows = _list(client, keys, "admin", include_done=True)["data"]
    assert isinstance(rows, list)
    # the done report of 6 April, the follow-up of 13 April, the call 91 days after 1 May
    assert [(row["kind"], row["due"], row["done_on"]) for row in rows] == [
        ("status_report", "2026-04-06", "2026-03-02"),
        ("municipal_follow_up", "2026-04-13", None),
        ("after_end_call", "2026-07-31", None),
    ]


def test_the_calendar_feed_has_all_day_events_without_family_detail(
    client: TestClient, keys: Keys, world: World
) -> None:
    _confirm_k1(client, keys, world)
    url = f"/v1/follow-ups/coordinators/{world.coordinators['k_kbh']}.ics"
    feed = client.get(url, headers=keys.headers("team_leader_kbh"))
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text.count("BEGIN:VEVENT") == 14
    assert "DTSTART;VALUE=DATE:20260413" in feed.text
    assert "TEST-K1" not in feed.text  # the case reference stays out of phones
    assert client.get(url, headers=keys.headers("team_leader_naestved")).status_code == 403
    assert client.get(url, headers=keys.headers("reception")).status_code == 403


def _coordinator_assignment(api_engine: Engine, case_id: int, coordinator_id: int) -> Assignment:
    with Session(api_engine) as session:
        row = session.exec(
            select(Assignment).where(
                col(Assignment.case_id) == case_id,
                col(Assignment.coordinator_id) == coordinator_id,
            )
        ).one()
        session.expunge(row)
        return row


def _owners(client: TestClient, keys: Keys) -> set[object]:
    rows = _list(client, keys, "admin", limit=200)["data"]
    assert isinstance(rows, list)
    return {row["coordinator_id"] for row in rows}


def test_ending_the_coordinators_assignment_hands_the_follow_ups_on(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    # k1 is confirmed with k_kbh as coordinator; k_naestved takes over from 9 March (added
    # as the batch would), and k_kbh's assignment is then ended through PATCH: the open
    # follow-ups follow the running coordinator.
    _confirm_k1(client, keys, world)
    case_id, old, new = (
        world.cases["k1"],
        world.coordinators["k_kbh"],
        world.coordinators["k_naestved"],
    )
    assert _owners(client, keys) == {old}
    with Session(api_engine) as session:
        session.add(
            Assignment(
                case_id=case_id,
                coordinator_id=new,
                role=AssignmentRole.COORDINATOR,
                start=dt.date(2026, 3, 9),
                status=AssignmentStatus.CONFIRMED,
            )
        )
        session.commit()
    ended = _coordinator_assignment(api_engine, case_id, old)
    response = client.patch(
        f"/v1/assignments/{ended.id}",
        json={"status": "ended", "end": "2026-03-08", "version": ended.version},
        headers=keys.headers("admin"),
    )
    assert response.status_code == 200, response.text
    assert _owners(client, keys) == {new}


def test_locking_the_coordinators_assignment_keeps_the_owner(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    _confirm_k1(client, keys, world)
    owner = world.coordinators["k_kbh"]
    row = _coordinator_assignment(api_engine, world.cases["k1"], owner)
    response = client.patch(
        f"/v1/assignments/{row.id}",
        json={"locked": True, "version": row.version},
        headers=keys.headers("admin"),
    )
    assert response.status_code == 200, response.text
    assert _owners(client, keys) == {owner}
    assert _list(client, keys, "admin")["count"] == 14  # the same plan, not a second one
