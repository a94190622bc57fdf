"""GET /v1/waiting-list: the waiting list's order, the 24-hour clock and its figures."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.api.world import TODAY, World


def _get(client: TestClient, keys: Keys, at: str, role: str = "reception"):
    return client.get("/v1/waiting-list", params={"at": at}, headers=keys.headers(role))


def test_urgent_first_then_the_deadline_with_the_clock(
    client: TestClient, keys: Keys, world: World
) -> None:
    # k1 (priority 2) was asked for at 08:00 on 2 March; an urgent request (priority 1)
    # comes at 09:00 and goes first although its deadline is later.
    urgent = client.post(
        "/v1/cases",
        json={
            "reference": "K-URGENT",
            "municipality_code": 370,
            "intervention_type": "family_treatment",
            "hours_per_week": 4,
            "visits_per_week": 1,
            "requested_start": "2026-03-02T09:00:00Z",
            "priority": 1,
            "languages": [{"person_group": "parents", "tag": "uk"}],
        },
        headers=keys.headers("reception"),
    )
    assert urgent.status_code == 201, urgent.text
    response = _get(client, keys, "2026-03-02T10:00:00Z")
    assert response.status_code == 200, response.text
    entries = response.json()["entries"]
    assert [e["case_id"] for e in entries] == [urgent.json()["id"], world.cases["k1"]]
    # 10:00: k1's 24 hours run to 08:00 next day — 22 h left.
    assert entries[1]["hours_left"] == 22.0 and entries[1]["overdue"] is False


def test_figures_count_a_request_past_24_hours_as_late(
    client: TestClient, keys: Keys, world: World
) -> None:
    # k2 was placed the day it was asked for (waited 0 h). On 2 March at 10:00 k1 has
    # waited 2 h (not decided yet): 1 of 1 decided in time. A day later, at 10:00 on
    # 3 March, k1 has waited 26 h: overdue, and 1 of 2 decided in time (fires).
    before = _get(client, keys, "2026-03-02T10:00:00Z").json()["figures"]
    assert before["share_placed_within_24h"] == 1.0
    assert (before["placed"], before["waiting"], before["overdue"]) == (1, 1, 0)
    assert before["p50_wait_hours"] == 0.0
    after = _get(client, keys, "2026-03-03T10:00:00Z").json()
    assert after["entries"][0]["overdue"] is True
    assert after["entries"][0]["hours_left"] == -2.0
    assert after["figures"]["share_placed_within_24h"] == 0.5
    assert after["figures"]["overdue"] == 1


def test_only_reception_and_admins_read_the_waiting_list(
    client: TestClient, keys: Keys, world: World
) -> None:
    assert _get(client, keys, "2026-03-02T10:00:00Z", "team_leader_kbh").status_code == 403
    naive = client.get(
        "/v1/waiting-list", params={"at": "2026-03-02T10:00:00"}, headers=keys.headers("admin")
    )
    assert naive.status_code == 422 and "at" in naive.text


def test_the_report_section_counts_as_the_route(api_engine, world: World) -> None:
    from sqlmodel import Session

    from api.report_builder import report_moment, waiting_section

    # Midday (Danish time, 11:00 UTC) of 2 March: k1 asked at 08:00 UTC waits 3 h, not yet
    # decided; k2 placed the day it was asked: 1 of 1 in time.
    with Session(api_engine) as session:
        section = waiting_section(session, TODAY)
    assert report_moment(TODAY).hour == 12
    assert "100.0% of decided requests placed within 24 hours" in section.paragraphs[0]
    assert "1 placed, 1 waiting, of which 0 past their 24 hours" in section.paragraphs[0]
    waiting, phases = section.tables
    assert [row[0] for row in waiting.rows] == ["TEST-K1"]
    # Deadline 08:00 UTC on 3 March, 21 h after 11:00 UTC.
    assert waiting.rows[0][3] == pytest.approx(21.0)
    assert {row[0] for row in phases.rows} == {
        "family treatment",
        "intensive family treatment",
        "coordinating consultant",
    }
