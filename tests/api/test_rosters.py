"""Rosters through the API: solve in the worker, publish, calendar feed, repair."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import time
from typing import Any

import icalendar
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.config import ApiSettings
from api.jobs.context import JobContext
from api.main import create_app
from api.services.rosters import work_per_second
from data.ops_models import AuditAction, AuditEvent, Roster
from roster.clock import WORK_PER_SECOND
from tests.api.conftest import Keys
from tests.api.dognindsats import (
    START,
    add_dognindsats,
    add_homes,
    add_pool,
    post_roster,
    wait_roster,
)
from tests.api.world import World


@pytest.fixture
def dognindsats(api_engine: Engine, world: World) -> int:
    """A Danish-speaking døgnindsats in Næstved and six døgnindsats consultants there."""
    _, (case_id,) = add_homes(api_engine, world.office_naestved, 6)
    return case_id


def _sick_on_the_first_day(
    client: TestClient, roster_id: int, member: int, headers: dict[str, str], **when: str
) -> Response:
    """Ask for the repair of `roster_id` with `member` sick on its first day (START);
    `when`: the repair's ``now`` or ``as_of``."""
    day = START.isoformat()
    return client.post(
        f"/v1/rosters/{roster_id}/repair",
        json={"kind": "sick", "consultant_id": member, "start": day, "end": day, **when},
        headers=headers,
    )


def test_roster_lifecycle_solve_publish_calendar_repair(
    worker_client: TestClient, keys: Keys, world: World, dognindsats: int, api_engine: Engine
) -> None:
    client = worker_client
    headers = keys.headers("team_leader_naestved")
    created = post_roster(client, headers, dognindsats, time_limit_seconds=10)
    assert created.json()["status"] == "pending"
    assert created.json()["office_ids"] == [world.office_naestved]
    roster = wait_roster(client, created.json()["id"], headers)
    assert roster["status"] == "draft", roster
    assert roster["solver_status"] in ("optimal", "feasible")
    # solved: its bound has a source, in the roster and in its job's result alike
    assert roster["bound"] is not None and roster["bound_by"] in ("cp-sat", "terms")
    solved = client.get(f"/v1/jobs/{roster['job']['id']}", headers=headers).json()
    assert solved["result"]["bound_by"] == roster["bound_by"]
    assert roster["violations"] == []  # the independent validator found nothing
    assert roster["uncovered"] == []
    # 7 days × 3 shifts, one consultant each; a 37 h contract allows 4 shifts of 8 h a
    # week, so at least ⌈21 / 4⌉ = 6 people are needed.
    assert len(roster["shifts"]) == 21
    assert len(roster["team"]) >= 6
    assert all(s["consultant_id"] in roster["team"] for s in roster["shifts"])
    first = roster["shifts"][0]
    assert first["shift_code"] == "D" and first["start"].startswith("2030-03-04T06:00:00")

    published = client.post(f"/v1/rosters/{roster['id']}/publish", headers=headers)
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = client.post(f"/v1/rosters/{roster['id']}/publish", headers=headers)
    assert again.status_code == 409

    member = first["consultant_id"]
    ics = client.get(
        f"/v1/rosters/{roster['id']}.ics", params={"consultant": member}, headers=headers
    )
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    own_shifts = [s for s in roster["shifts"] if s["consultant_id"] == member]
    events = icalendar.Calendar.from_ical(ics.text).events
    assert [e.start for e in events] == [
        dt.datetime.fromisoformat(s["start"]).astimezone(dt.UTC) for s in own_shifts
    ]
    assert events[0].start == dt.datetime(2030, 3, 4, 6, tzinfo=dt.UTC)

    late = _sick_on_the_first_day(
        client, roster["id"], member, headers, now="2030-03-05T08:00:00+01:00"
    )
    # a sick day before the repair's now: the past is not rewritten
    assert late.status_code == 422 and "body.end" in late.text, late.text
    sick = _sick_on_the_first_day(client, roster["id"], member, headers, as_of=START.isoformat())
    # a repair is a job like a roster: the repaired roster is pending until it is solved
    # (this app's worker may claim the job before the response is written)
    assert sick.status_code == 202, sick.text
    assert sick.json()["status"] == "pending"
    assert sick.json()["job"]["status"] in ("queued", "running")
    assert sick.headers["location"] == f"/v1/rosters/{sick.json()['id']}"
    child = wait_roster(client, sick.json()["id"], headers)
    job = client.get(f"/v1/jobs/{child['job']['id']}", headers=headers).json()
    assert job["kind"] == "repair" and job["status"] == "succeeded"
    assert job["progress"]["solutions_found"] >= 1  # progress, as a roster job reports it
    repaired = job["result"]
    assert child["parent_id"] == roster["id"] and child["status"] == "draft"
    # a repair's bound is the search's own (the per-term bound holds for new rosters)
    assert repaired["bound_by"] == child["bound_by"] == "cp-sat"
    assert child["violations"] == []
    assert not any(
        s["consultant_id"] == member and s["start"].startswith("2030-03-04")
        for s in child["shifts"]
    )
    removed = [(d["date"], d["removed"]) for d in repaired["diff"] if member in d["removed"]]
    assert removed and all(date == "2030-03-04" for date, _ in removed)
    assert child["uncovered"] == []  # an unused pool member takes the shift
    assert repaired["changed_assignments"] >= 2  # one removal, at least one replacement
    # now is the start of the day (as_of): every change that day is under 24 hours'
    # notice, the day is frozen but for the sick member's shift, and each added shift
    # pays its 8 h at 100 %
    assert repaired["notice_changes"] == {
        "under_24_hours": repaired["changed_assignments"],
        "under_4_weeks": 0,
        "later": 0,
    }
    added = sum(len(d["added"]) for d in repaired["diff"])
    assert added >= 1 and repaired["notice_supplement_hours"] == 8 * added
    client.post(f"/v1/rosters/{child['id']}/publish", headers=headers)
    assert (
        client.get(f"/v1/rosters/{roster['id']}", headers=headers).json()["status"] == "superseded"
    )

    with Session(api_engine) as session:
        actions = [
            (e.action, e.entity_ids)
            for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
            if e.action is not AuditAction.KEY_CREATE
        ]
    assert actions == [
        (AuditAction.ROSTER_PUBLISH, [roster["id"]]),
        (AuditAction.ROSTER_REPAIR, [child["id"]]),
        (AuditAction.ROSTER_PUBLISH, [child["id"]]),
    ]

    outsider = client.get(f"/v1/rosters/{roster['id']}", headers=keys.headers("team_leader_kbh"))
    assert outsider.status_code == 403


def test_a_roster_shows_where_its_bound_comes_from(
    client: TestClient, keys: Keys, dognindsats: int, api_engine: Engine
) -> None:
    headers = keys.headers("team_leader_naestved")
    created = post_roster(client, headers, dognindsats, time_limit_seconds=3)  # no worker
    pending = created.json()
    # not solved yet: no bound, so no source
    assert pending["bound"] is None and pending["bound_by"] == ""
    with Session(api_engine) as session:
        stored = session.get(Roster, pending["id"])
        assert stored is not None
        stored.bound, stored.bound_by = 150.0, "terms"
        session.add(stored)
        session.commit()
    shown = client.get(f"/v1/rosters/{pending['id']}", headers=headers).json()
    assert (shown["bound"], shown["bound_by"]) == (150.0, "terms")
    listed = client.get("/v1/rosters", headers=headers).json()["data"]
    assert [r["bound_by"] for r in listed if r["id"] == pending["id"]] == ["terms"]


def test_roster_job_reports_each_better_roster_while_it_solves(
    worker_client: TestClient,
    keys: Keys,
    dognindsats: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writes: list[tuple[float | None, float | None, int | None]] = []
    write_progress = JobContext.report

    def recorded(
        context: JobContext,
        incumbent: float | None,
        bound: float | None,
        solutions_found: int | None = None,
        force: bool = False,
    ) -> None:
        writes.append((incumbent, bound, solutions_found))
        write_progress(context, incumbent, bound, solutions_found, force)

    monkeypatch.setattr(JobContext, "report", recorded)
    headers = keys.headers("team_leader_naestved")
    created = post_roster(worker_client, headers, dognindsats, time_limit_seconds=3)
    roster = wait_roster(worker_client, created.json()["id"], headers)
    assert roster["status"] == "draft", roster
    progress = roster["job"]["progress"]
    assert progress["incumbent"] == roster["objective"]
    assert progress["bound"] == roster["bound"]
    assert progress["solutions_found"] >= 1
    # live: one write per better roster while solving (counted 1, 2, ...), then the
    # closing write, forced past the throttle; a report only at the end would give [1]
    counted = [(incumbent, n) for incumbent, _bound, n in writes if n is not None]
    found = counted[-1][1]
    assert found is not None and found >= 1
    assert progress["solutions_found"] == found
    assert [n for _, n in counted] == [*range(1, found + 1), found]
    live = [incumbent for incumbent, _ in counted[:-1]]
    assert all(a is not None and b is not None and a > b for a, b in itertools.pairwise(live))
    assert live[-1] == roster["objective"]


def test_the_same_roster_request_gives_the_same_roster(
    worker_client: TestClient, keys: Keys, dognindsats: int, api_engine: Engine
) -> None:
    # reproducible by default: the solver's time limit counts work, not wall time, so two
    # identical requests give identical shifts (the pool of six has many equally good
    # rosters, which a time-limited parallel search would pick from at random)
    headers = keys.headers("team_leader_naestved")
    rosters = []
    for _ in range(2):
        created = post_roster(worker_client, headers, dognindsats, time_limit_seconds=2)
        rosters.append(wait_roster(worker_client, created.json()["id"], headers))
    assert all(r["status"] == "draft" for r in rosters)
    first, second = ([(s["start"], s["consultant_id"]) for s in r["shifts"]] for r in rosters)
    assert len(first) == 21 and first == second
    assert rosters[0]["objective"] == rosters[1]["objective"]
    # on request, exactly the time limit and a roster that may vary
    created = post_roster(
        worker_client, headers, dognindsats, time_limit_seconds=2, reproducible=False
    )
    with Session(api_engine) as session:
        stored = session.get(Roster, created.json()["id"])
        assert stored is not None and stored.params["reproducible"] is False
    assert wait_roster(worker_client, created.json()["id"], headers)["status"] == "draft"


def test_a_roster_keeps_the_work_rate_it_was_planned_with(
    api_engine: Engine, world: World, keys: Keys, dognindsats: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slower server set FAMPLAN_ROSTER_WORK_PER_SECOND=0.3: the roster's search counts
    # its limit at 0.3, the rate is stored with the roster, and its repair keeps it after
    # the setting has changed again (the same roster, the same repair).
    rates: list[tuple[str, float]] = []
    solve_module = importlib.import_module("roster.solve")
    repair_module = importlib.import_module("roster.repair")
    real_solve, real_repair = solve_module.solve, repair_module.repair

    def recorded_solve(*args: Any, parameters: Any, **kwargs: Any) -> Any:
        rates.append(("solve", parameters.work_per_second))
        return real_solve(*args, parameters=parameters, **kwargs)

    def recorded_repair(*args: Any, work_per_second: float, **kwargs: Any) -> Any:
        rates.append(("repair", work_per_second))
        return real_repair(*args, work_per_second=work_per_second, **kwargs)

    monkeypatch.setattr(solve_module, "solve", recorded_solve)
    monkeypatch.setattr(repair_module, "repair", recorded_repair)
    settings = ApiSettings(run_worker=True, worker_poll_seconds=0.05, roster_work_per_second=0.3)
    headers = keys.headers("team_leader_naestved")
    with TestClient(create_app(settings, api_engine)) as client:
        created = post_roster(client, headers, dognindsats, time_limit_seconds=2)
        roster = wait_roster(client, created.json()["id"], headers)
        assert roster["status"] == "draft", roster
        with Session(api_engine) as session:
            stored = session.get(Roster, roster["id"])
            assert stored is not None and stored.params["work_per_second"] == 0.3
        settings.roster_work_per_second = 0.5
        published = client.post(f"/v1/rosters/{roster['id']}/publish", headers=headers)
        assert published.status_code == 200
        member = roster["shifts"][0]["consultant_id"]
        sick = _sick_on_the_first_day(
            client, roster["id"], member, headers, as_of=START.isoformat()
        )
        assert sick.status_code == 202, sick.text
        assert wait_roster(client, sick.json()["id"], headers)["status"] == "draft"
    assert rates == [("solve", 0.3), ("repair", 0.3)]


def test_rosters_stored_before_the_work_rate_setting_use_the_default_rate() -> None:
    assert work_per_second({"reproducible": True}) == WORK_PER_SECOND
    assert work_per_second({"reproducible": True, "work_per_second": 0.3}) == 0.3


def test_the_work_rate_setting_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMPLAN_ROSTER_WORK_PER_SECOND", "0.25")
    assert ApiSettings().roster_work_per_second == 0.25
    with pytest.raises(ValidationError, match="roster_work_per_second"):
        ApiSettings(roster_work_per_second=0)


def test_roster_requests_are_validated(
    client: TestClient, keys: Keys, world: World, dognindsats: int
) -> None:
    headers = keys.headers("admin")
    not_dogn = client.post(
        "/v1/rosters",
        json={"case_ids": [world.cases["k1"]], "start_date": "2026-03-02"},
        headers=headers,
    )
    assert not_dogn.status_code == 422
    assert not_dogn.json()["errors"][0]["field"] == "body.case_ids.0"
    too_long = client.post(
        "/v1/rosters",
        json={"case_ids": [dognindsats], "start_date": "2026-03-02", "days": 365},
        headers=headers,
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "body.days"
    bad_repair = client.post(
        "/v1/rosters/1/repair", json={"kind": "sick", "consultant_id": 1}, headers=headers
    )
    # the discriminated union names the variant in the field's path
    assert bad_repair.status_code == 422
    assert [e["field"] for e in bad_repair.json()["errors"]] == ["body.sick.start", "body.sick.end"]
    unknown_kind = client.post(
        "/v1/rosters/1/repair", json={"kind": "flood", "consultant_id": 1}, headers=headers
    )
    assert unknown_kind.status_code == 422
    missing = client.get("/v1/rosters/424242", headers=headers)
    assert missing.status_code == 404


def test_a_pool_that_cannot_cover_gets_the_reasons_not_a_hang(
    worker_client: TestClient, keys: Keys, world: World, dognindsats: int
) -> None:
    headers = keys.headers("admin")
    created = worker_client.post(
        "/v1/rosters",
        json={
            "case_ids": [dognindsats],
            "start_date": START.isoformat(),
            "days": 2,
            "consultant_ids": [world.consultants["c4"]],  # speaks Ukrainian only
            "time_limit_seconds": 5,
        },
        headers=headers,
    )
    assert created.status_code == 202
    roster = wait_roster(worker_client, created.json()["id"], headers)
    # One person cannot cover 6 shifts in 2 days with 11 h rest, and never in Danish:
    # every gap is listed with its reason.
    assert roster["status"] == "draft" and roster["violations"] == []
    assert roster["uncovered"], roster
    assert all(gap["reason"] for gap in roster["uncovered"])
    assert any(gap["missing_language"] for gap in roster["uncovered"])


def _job_status(client: TestClient, job_id: int, headers: dict[str, str]) -> str:
    return str(client.get(f"/v1/jobs/{job_id}", headers=headers).json()["status"])


def _wait_job(client: TestClient, job_id: int, headers: dict[str, str], leaving: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = _job_status(client, job_id, headers)
        if status != leaving:
            return status
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} stayed {leaving}")


def test_cancelling_a_running_roster_job_stops_it_and_keeps_its_best_roster(
    worker_client: TestClient, keys: Keys, world: World, dognindsats: int, api_engine: Engine
) -> None:
    # Two døgnindsats over four weeks from a pool of 36: a search that uses all of its
    # 120 s (measured on the pure solver: 2 cases, pool 30, 4 weeks used all of 40 s,
    # no level proven), so the job is still solving when it is cancelled.
    with Session(api_engine) as session:
        add_pool(session, world.office_naestved, 30, first=6)
        second = add_dognindsats(session, "TEST-DOGN-2")
        session.commit()
    headers = keys.headers("team_leader_naestved")
    created = worker_client.post(
        "/v1/rosters",
        json={
            "case_ids": [dognindsats, second],
            "start_date": START.isoformat(),
            "days": 28,
            "time_limit_seconds": 120,
            "reproducible": False,
        },
        headers=headers,
    )
    assert created.status_code == 202, created.text
    job_id = created.json()["job"]["id"]
    assert _wait_job(worker_client, job_id, headers, leaving="queued") == "running"
    # Cancel once a first roster is known (under load that takes longer than on an idle
    # machine): the test is about keeping the best roster, not about the first one.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = worker_client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["progress"]["solutions_found"] >= 1:
            break
        time.sleep(0.1)
    assert job["status"] == "running" and job["progress"]["solutions_found"] >= 1, job

    cancelled = worker_client.post(f"/v1/jobs/{job_id}/cancel", headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    # The cancel took effect: the job ends cancelled, not succeeded at its 120 s limit.
    # How fast it stops is a benchmark figure, not asserted here.
    assert _wait_job(worker_client, job_id, headers, leaving="running") == "cancelled"

    roster = wait_roster(worker_client, created.json()["id"], headers)
    assert roster["status"] == "draft"  # the best roster so far, kept as a draft …
    assert roster["solver_status"] == "cancelled"  # … that says it was cancelled
    assert len(roster["shifts"]) == 2 * 28 * 3 and roster["violations"] == []
    assert roster["job"]["status"] == "cancelled"
    job = worker_client.get(f"/v1/jobs/{job_id}", headers=headers).json()
    assert job["result"]["cancelled"] is True and job["result"]["roster_id"] == roster["id"]
    # a finished job cannot be cancelled again
    again = worker_client.post(f"/v1/jobs/{job_id}/cancel", headers=headers)
    assert again.status_code == 409


def test_a_roster_whose_job_is_cancelled_before_it_starts_has_no_roster(
    client: TestClient, keys: Keys, dognindsats: int
) -> None:
    headers = keys.headers("team_leader_naestved")
    created = post_roster(client, headers, dognindsats, time_limit_seconds=2)
    job_id = created.json()["job"]["id"]
    assert created.json()["job"]["status"] == "queued"  # no worker in this app
    cancelled = client.post(f"/v1/jobs/{job_id}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    roster = client.get(f"/v1/rosters/{created.json()['id']}", headers=headers).json()
    assert roster["status"] == "failed" and roster["job"]["status"] == "cancelled"
    assert roster["shifts"] == []
    job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
    assert job["kind"] == "roster" and job["priority"] == 50 and job["attempts"] == 0
