"""Matching and confirming through the API, including races for the last capacity."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.config import ApiSettings
from api.main import create_app
from data.models import (
    Absence,
    AbsenceReason,
    Assignment,
    AssignmentStatus,
    Case,
    CaseStatus,
    Consultant,
    ConsultantLanguage,
    Coordinator,
    Gender,
    LanguageLevel,
)
from data.ops_models import AuditAction, AuditEvent
from tests.api.conftest import Keys
from tests.api.live import live_server
from tests.api.world import World

UKRAINIAN_CASE: dict[str, Any] = {
    "municipality_code": 370,
    "intervention_type": "family_treatment",
    "hours_per_week": 4,
    "visits_per_week": 1,
    "requested_start": "2026-03-03T10:00:00",
    "languages": [{"person_group": "parents", "tag": "uk"}],
}


def _new_case(client: TestClient | httpx.Client, keys: Keys, reference: str) -> int:
    response = client.post(
        "/v1/cases",
        json={**UKRAINIAN_CASE, "reference": reference},
        headers=keys.headers("reception"),
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_match_ranks_the_arabic_speakers_with_reasons(
    client: TestClient, keys: Keys, world: World
) -> None:
    response = client.post(
        f"/v1/cases/{world.cases['k1']}/match",
        json={"top": 5, "as_of": "2026-03-02"},
        headers=keys.headers("reception"),
    )
    assert response.status_code == 200, response.text
    result = response.json()
    ids = [c["consultant_id"] for c in result["candidates"]]
    # c1 speaks the family's exact dialect (ar-IQ). c2 speaks Syrian Arabic (Levantine),
    # another dialect group than the family's Iraqi (Mesopotamian): not offered without a
    # coordinator's sign-off. c3 (ti, da) and c4 (uk) are not candidates either.
    assert ids == [world.consultants["c1"]]
    assert result["feasible"] is True
    assert result["candidates"][0]["reasons"]
    primary_exclusions = next(e for e in result["exclusions"] if e["role"] == "primary")
    assert primary_exclusions["counts"].get("language") == 3


def test_match_offers_another_dialect_group_once_the_case_is_signed_off(
    client: TestClient, keys: Keys, world: World
) -> None:
    case_url = f"/v1/cases/{world.cases['k1']}"
    signed = client.patch(
        case_url, json={"allow_related_language": True}, headers=keys.headers("reception")
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["allow_related_language"] is True
    response = client.post(
        f"{case_url}/match",
        json={"top": 5, "as_of": "2026-03-02"},
        headers=keys.headers("reception"),
    )
    assert response.status_code == 200, response.text
    candidates = response.json()["candidates"]
    # c1 (exact) first, then c2 (Syrian Arabic, a related variety, with the sign-off).
    assert [c["consultant_id"] for c in candidates] == [
        world.consultants["c1"],
        world.consultants["c2"],
    ]
    assert candidates[0]["breakdown"]["language"] > candidates[1]["breakdown"]["language"]
    assert any("sign-off" in reason for reason in candidates[1]["reasons"])


def test_confirm_creates_a_confirmed_assignment_and_activates_the_case(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    c1 = world.consultants["c1"]
    response = client.post(
        f"/v1/cases/{world.cases['k1']}/assignments",
        json={"seats": [{"consultant_id": c1, "consultant_version": 0}], "start": "2026-03-02"},
        headers=keys.headers("reception"),
    )
    assert response.status_code == 201, response.text
    # The consultant, and in the same transaction the coordinator the match proposes.
    assignment, coordinator = response.json()
    assert assignment["consultant_id"] == c1 and assignment["status"] == "confirmed"
    assert assignment["hours_per_week"] == 6  # the case's hours
    assert coordinator["role"] == "coordinator"
    assert coordinator["coordinator_id"] == world.coordinators["k_kbh"]
    with Session(api_engine) as session:
        case = session.get(Case, world.cases["k1"])
        assert case is not None and case.status is CaseStatus.ACTIVE
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action != AuditAction.KEY_CREATE)
        ).all()
    assert [(e.action, e.entity_ids) for e in events] == [
        (AuditAction.ASSIGNMENT_CONFIRM, [assignment["id"]]),
        (AuditAction.ASSIGNMENT_CONFIRM, [coordinator["id"]]),
    ]
    assert events[0].related_ids == {"case_id": world.cases["k1"], "consultant_id": c1}
    # The seat is taken now: a second confirmation for it is a conflict.
    again = client.post(
        f"/v1/cases/{world.cases['k1']}/assignments",
        json={"seats": [{"consultant_id": world.consultants["c2"]}], "start": "2026-03-02"},
        headers=keys.headers("reception"),
    )
    assert again.status_code == 409 and "already has a primary" in again.json()["detail"]


def test_confirm_refuses_a_consultant_who_is_not_a_candidate(
    client: TestClient, keys: Keys, world: World
) -> None:
    response = client.post(
        f"/v1/cases/{world.cases['k1']}/assignments",
        json={"seats": [{"consultant_id": world.consultants["c4"]}], "start": "2026-03-02"},
        headers=keys.headers("reception"),
    )
    assert response.status_code == 409
    assert "not a candidate" in response.json()["detail"]


def test_confirm_with_a_stale_consultant_version_is_a_409(
    client: TestClient, keys: Keys, world: World
) -> None:
    response = client.post(
        f"/v1/cases/{world.cases['k1']}/assignments",
        json={"seats": [{"consultant_id": world.consultants["c1"], "consultant_version": 5}]},
        headers=keys.headers("reception"),
    )
    assert response.status_code == 409 and "changed since the match" in response.json()["detail"]


def test_a_contract_cut_after_the_match_makes_its_quote_stale(
    client: TestClient, keys: Keys, world: World
) -> None:
    headers = keys.headers("reception")
    c1 = world.consultants["c1"]
    matched = client.post(
        f"/v1/cases/{world.cases['k1']}/match", json={"as_of": "2026-03-02"}, headers=headers
    ).json()
    quoted = next(c for c in matched["candidates"] if c["consultant_id"] == c1)
    cut = client.patch(
        f"/v1/consultants/{c1}",
        json={"contracted_hours_per_week": 20},
        headers=keys.headers("admin"),
    )
    assert cut.status_code == 200 and cut.json()["version"] == quoted["consultant_version"] + 1
    body = {
        "seats": [{"consultant_id": c1, "consultant_version": quoted["consultant_version"]}],
        "start": "2026-03-02",
    }
    stale = client.post(f"/v1/cases/{world.cases['k1']}/assignments", json=body, headers=headers)
    assert stale.status_code == 409 and "changed since the match" in stale.json()["detail"]


def test_the_last_capacity_goes_to_the_first_and_the_second_gets_the_reason(
    client: TestClient, keys: Keys, world: World
) -> None:
    c4 = world.consultants["c4"]  # max 1 case
    first, second = _new_case(client, keys, "UK-1"), _new_case(client, keys, "UK-2")
    body = {"seats": [{"consultant_id": c4}], "start": "2026-03-03"}
    ok = client.post(f"/v1/cases/{first}/assignments", json=body, headers=keys.headers("reception"))
    assert ok.status_code == 201, ok.text
    full = client.post(
        f"/v1/cases/{second}/assignments", json=body, headers=keys.headers("reception")
    )
    assert full.status_code == 409
    assert full.json()["detail"] == f"consultant {c4} already has the maximum of 1 cases"


def test_ending_a_case_ends_its_assignments_and_frees_the_consultant(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    c4 = world.consultants["c4"]  # max 1 case
    headers = keys.headers("reception")
    first, second = _new_case(client, keys, "UK-1"), _new_case(client, keys, "UK-2")
    body = {"seats": [{"consultant_id": c4}], "start": "2026-03-03"}
    confirmed = client.post(f"/v1/cases/{first}/assignments", json=body, headers=headers)
    assert confirmed.status_code == 201, confirmed.text
    ended = client.patch(
        f"/v1/cases/{first}",
        json={"status": "ended", "expected_end": "2026-03-10"},
        headers=headers,
    )
    assert ended.status_code == 200, ended.text
    with Session(api_engine) as session:
        assignment = session.get(Assignment, confirmed.json()[0]["id"])
        assert assignment is not None
        # ended on the case's last day, not left running
        assert (assignment.status, assignment.end) == (AssignmentStatus.ENDED, dt.date(2026, 3, 10))
    # c4's one case is over: the second family can have her.
    again = client.post(f"/v1/cases/{second}/assignments", json=body, headers=headers)
    assert again.status_code == 201, again.text


def test_match_proposes_a_reshuffle_when_nobody_is_free(
    client: TestClient, keys: Keys, world: World
) -> None:
    # c3 is the only Tigrinya speaker and has room for 3 cases; she already has k2, so
    # two more Tigrinya cases fill her and a third finds nobody. The API must pass the
    # "nobody fits" answer through with the exclusion counts and c3 as the near miss.
    headers = keys.headers("reception")
    tigrinya = {**UKRAINIAN_CASE, "languages": [{"person_group": "parents", "tag": "ti"}]}
    for reference in ("TI-1", "TI-2", "TI-3"):
        created = client.post(
            "/v1/cases", json={**tigrinya, "reference": reference}, headers=headers
        )
        case_id = created.json()["id"]
        if reference != "TI-3":
            confirmed = client.post(
                f"/v1/cases/{case_id}/assignments",
                json={"seats": [{"consultant_id": world.consultants["c3"]}], "start": "2026-03-03"},
                headers=headers,
            )
            assert confirmed.status_code == 201, confirmed.text
    result = client.post(
        f"/v1/cases/{case_id}/match", json={"as_of": "2026-03-03"}, headers=headers
    ).json()
    assert result["feasible"] is False and result["candidates"] == []
    primary = next(e for e in result["exclusions"] if e["role"] == "primary")
    assert primary["counts"].get("capacity_cases") == 1  # c3 is full
    assert [m["consultant_id"] for m in primary["nearest_misses"]] == [world.consultants["c3"]]


@pytest.fixture
def server(api_engine: Engine, world: World) -> Iterator[str]:
    app = create_app(ApiSettings(run_worker=False), api_engine)
    with live_server(app) as url:
        yield url


def test_parallel_confirmations_of_the_last_capacity_one_wins(
    server: str, keys: Keys, world: World, api_engine: Engine
) -> None:
    """Two receptionists, one consultant with one free case slot, the same moment."""
    c4 = world.consultants["c4"]
    rounds = 4
    with httpx.Client(base_url=server, timeout=60) as setup:
        cases = [
            (_new_case(setup, keys, f"RACE-{r}-A"), _new_case(setup, keys, f"RACE-{r}-B"))
            for r in range(rounds)
        ]
    for first, second in cases:
        barrier = threading.Barrier(2)
        answers: dict[int, httpx.Response] = {}

        def confirm(
            case_id: int, barrier: threading.Barrier, answers: dict[int, httpx.Response]
        ) -> None:
            with httpx.Client(base_url=server, timeout=60) as client:
                barrier.wait()
                answers[case_id] = client.post(
                    f"/v1/cases/{case_id}/assignments",
                    json={"seats": [{"consultant_id": c4}], "start": "2026-03-03"},
                    headers=keys.headers("reception"),
                )

        threads = [
            threading.Thread(target=confirm, args=(case_id, barrier, answers))
            for case_id in (first, second)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        statuses = sorted(answer.status_code for answer in answers.values())
        assert statuses == [201, 409], [a.text for a in answers.values()]
        loser = next(a for a in answers.values() if a.status_code == 409)
        assert loser.json()["detail"] == f"consultant {c4} already has the maximum of 1 cases"
        # Free the slot again for the next round.
        with Session(api_engine) as session:
            rows = session.exec(
                select(Assignment).where(
                    Assignment.consultant_id == c4, Assignment.status == AssignmentStatus.CONFIRMED
                )
            ).all()
            assert len(rows) == 1  # exactly one confirmation was written
            rows[0].status = AssignmentStatus.ENDED
            rows[0].end = rows[0].start
            session.add(rows[0])
            session.commit()


def test_matching_an_ended_case_is_a_409(client: TestClient, keys: Keys, world: World) -> None:
    headers = keys.headers("reception")
    ended = client.patch(
        f"/v1/cases/{world.cases['k1']}", json={"status": "ended"}, headers=headers
    )
    assert ended.status_code == 200
    response = client.post(f"/v1/cases/{world.cases['k1']}/match", json={}, headers=headers)
    assert response.status_code == 409 and "has ended" in response.json()["detail"]


def test_a_proposed_reshuffle_is_applied_with_the_confirmation(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    """c3 is the only Tigrinya speaker (max 3 cases). She carries k2 (ti), TI-A (ti) and a
    Danish family DA-A. A second Tigrinya family finds nobody free; the smallest
    reshuffle moves DA-A to c5, a Danish speaker of the same office, which frees c3."""
    headers = keys.headers("reception")
    with Session(api_engine) as session:
        c5 = Consultant(
            employee_ref="T-005",
            display_name="Testperson T-005",
            office_id=world.office_naestved,
            home_municipality_code=370,
            home_lat=55.24,
            home_lon=11.75,
            gender=Gender.MALE,
            qualifications=["socialraadgiver"],
            intervention_types=["family_treatment"],
            contracted_hours_per_week=37,
            max_cases=3,
            active_from=dt.date(2020, 1, 1),
        )
        session.add(c5)
        session.flush()
        assert c5.id is not None
        session.add(ConsultantLanguage(consultant_id=c5.id, tag="da", level=LanguageLevel.NATIVE))
        session.commit()
        c5_id = c5.id
    c3 = world.consultants["c3"]

    def new_case(reference: str, tag: str) -> int:
        body = {**UKRAINIAN_CASE, "reference": reference}
        body["languages"] = [{"person_group": "parents", "tag": tag}]
        created = client.post("/v1/cases", json=body, headers=headers)
        assert created.status_code == 201, created.text
        return int(created.json()["id"])

    seats = {"seats": [{"consultant_id": c3}], "start": "2026-03-03"}
    danish, tigrinya = new_case("DA-A", "da"), new_case("TI-A", "ti")
    for case_id in (danish, tigrinya):
        assert (
            client.post(f"/v1/cases/{case_id}/assignments", json=seats, headers=headers).status_code
            == 201
        )
    waiting = new_case("TI-B", "ti")
    result = client.post(
        f"/v1/cases/{waiting}/match", json={"as_of": "2026-03-03"}, headers=headers
    ).json()
    assert result["candidates"] == [] and result["reshuffle"] is not None
    reshuffle = result["reshuffle"]
    assert reshuffle["freed_consultant_id"] == c3
    assert [(m["case_id"], m["to_consultant_id"]) for m in reshuffle["moves"]] == [(danish, c5_id)]

    body = {
        "seats": [{"consultant_id": c3}],
        "moves": [
            {"assignment_id": m["assignment_id"], "to_consultant_id": m["to_consultant_id"]}
            for m in reshuffle["moves"]
        ],
        "start": "2026-03-03",
    }
    applied = client.post(f"/v1/cases/{waiting}/assignments", json=body, headers=headers)
    assert applied.status_code == 201, applied.text
    created = {(a["case_id"], a["consultant_id"]) for a in applied.json() if a["consultant_id"]}
    assert created == {(waiting, c3), (danish, c5_id)}
    with Session(api_engine) as session:
        moved = session.get(Assignment, reshuffle["moves"][0]["assignment_id"])
        assert moved is not None and moved.status is AssignmentStatus.ENDED
        actions = {
            e.action
            for e in session.exec(select(AuditEvent)).all()
            if e.action is not AuditAction.KEY_CREATE
        }
    assert AuditAction.RESHUFFLE_APPLY in actions


def test_a_repeated_match_is_answered_from_memory_until_a_write(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    headers = keys.headers("reception")
    url = f"/v1/cases/{world.cases['k1']}/match"
    body = {"top": 5, "as_of": "2026-03-02"}
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 200, first.text
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(api_engine, "before_cursor_execute", count)
    try:
        again = client.post(url, json=body, headers=headers)
        # Same snapshot, same key: the same answer, with no query but the key's check
        # (every request reads its key, so a revocation anywhere applies at once).
        assert again.status_code == 200
        assert again.headers["content-type"] == "application/json"
        assert again.json() == first.json()
        assert len(statements) == 1 and "FROM api_key" in statements[0]
        # A write through the API (confirming c1 for another family bumps c1's version)
        # drops the snapshot: the next answer is re-read and quotes the new version.
        c1 = world.consultants["c1"]
        k1 = client.get(f"/v1/cases/{world.cases['k1']}", headers=headers).json()
        arabic = {
            **UKRAINIAN_CASE,
            "municipality_code": k1["municipality_code"],
            "languages": [{"person_group": "parents", "tag": "ar-IQ"}],
        }
        other = client.post("/v1/cases", json={**arabic, "reference": "R-2"}, headers=headers)
        assert other.status_code == 201, other.text
        confirmed = client.post(
            f"/v1/cases/{other.json()['id']}/assignments",
            json={"seats": [{"consultant_id": c1}], "start": "2026-03-02"},
            headers=headers,
        )
        assert confirmed.status_code == 201, confirmed.text
        statements.clear()
        after = client.post(url, json=body, headers=headers)
        assert after.status_code == 200 and statements != []
    finally:
        event.remove(api_engine, "before_cursor_execute", count)
    version = {c["consultant_id"]: c["consultant_version"] for c in after.json()["candidates"]}
    before = {c["consultant_id"]: c["consultant_version"] for c in first.json()["candidates"]}
    assert version[c1] == before[c1] + 1


def test_confirm_counts_family_hours_after_the_reserved_share_and_absences(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    c1 = world.consultants["c1"]  # 37 h contracted, no running work
    url = f"/v1/cases/{world.cases['k1']}/assignments"
    headers = keys.headers("reception")

    def confirm(hours: float) -> httpx2.Response:
        seat = {"consultant_id": c1, "hours_per_week": hours}
        return client.post(url, json={"seats": [seat], "start": "2026-03-02"}, headers=headers)

    # 15 % of 37 h is reserved for travel, documentation and supervision: 31.45 h left.
    reserved = confirm(32)
    assert reserved.status_code == 409 and "reserved share" in reserved.text
    # Absent Wednesday to Friday of the first week: 2 of 5 days, 31.45 × 0.4 ≈ 12.6 h.
    with Session(api_engine) as session:
        start, end = dt.date(2026, 3, 4), dt.date(2026, 3, 6)
        session.add(Absence(consultant_id=c1, start=start, end=end, reason=AbsenceReason.OTHER))
        session.commit()
    assert confirm(13).status_code == 409
    fits = confirm(12)
    assert fits.status_code == 201, fits.text


def test_match_proposes_the_coordinator_and_confirm_takes_the_one_asked_for(
    client: TestClient, keys: Keys, world: World
) -> None:
    headers = keys.headers("reception")
    case_url = f"/v1/cases/{world.cases['k1']}"
    match = client.post(f"{case_url}/match", json={"as_of": "2026-03-02"}, headers=headers)
    assert match.status_code == 200, match.text
    proposal = match.json()["coordinator"]
    # k1 is in København's region: its coordinator, not Næstved's, is proposed.
    assert proposal["coordinator_id"] == world.coordinators["k_kbh"]
    assert proposal["current"] is False and proposal["reasons"]
    # Reception may name another coordinator; an unknown id names the field.
    seat = {"consultant_id": world.consultants["c1"]}
    unknown = client.post(
        f"{case_url}/assignments",
        json={"seats": [seat], "start": "2026-03-02", "coordinator_id": 9999},
        headers=headers,
    )
    assert unknown.status_code == 422 and "coordinator_id" in unknown.text
    chosen = client.post(
        f"{case_url}/assignments",
        json={
            "seats": [seat],
            "start": "2026-03-02",
            "coordinator_id": world.coordinators["k_naestved"],
        },
        headers=headers,
    )
    assert chosen.status_code == 201, chosen.text
    roles = {a["role"]: a for a in chosen.json()}
    assert roles["coordinator"]["coordinator_id"] == world.coordinators["k_naestved"]
    # Matched again, the case keeps its coordinator.
    again = client.post(f"{case_url}/match", json={"as_of": "2026-03-03"}, headers=headers)
    assert again.json()["coordinator"]["coordinator_id"] == world.coordinators["k_naestved"]
    assert again.json()["coordinator"]["current"] is True


def test_confirm_places_the_family_without_a_coordinator_when_every_caseload_is_full(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    with Session(api_engine) as session:
        for coordinator in session.exec(select(Coordinator)):
            coordinator.max_caseload = 0
            session.add(coordinator)
        session.commit()
    headers = keys.headers("reception")
    url = f"/v1/cases/{world.cases['k1']}/assignments"
    seat = {"consultant_id": world.consultants["c1"]}
    asked = client.post(
        url,
        json={
            "seats": [seat],
            "start": "2026-03-02",
            "coordinator_id": world.coordinators["k_kbh"],
        },
        headers=headers,
    )
    assert asked.status_code == 409 and "maximum of 0 cases" in asked.text
    placed = client.post(url, json={"seats": [seat], "start": "2026-03-02"}, headers=headers)
    assert placed.status_code == 201, placed.text
    assert [a["role"] for a in placed.json()] == ["primary"]
