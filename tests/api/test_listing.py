"""GET /v1/rosters and GET /v1/optimizations filter and page in SQL: office scope, case,
status, limit/offset, total.

Rosters and jobs are written straight to the tables (no solver): a listing reads only
the page's rows and their case/office links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.auth import Principal
from api.services.roster_problem import build_problem
from api.services.rosters import list_visible_rosters
from data.ops_models import (
    Job,
    JobKind,
    JobStatus,
    Role,
    Roster,
    RosterCaseLink,
    RosterShift,
    RosterStatus,
)
from tests.api.conftest import Keys
from tests.api.world import World

MIDNIGHT = dt.datetime(2030, 3, 3, 23, tzinfo=dt.UTC)


@dataclass
class Rosters:
    """Ids of the stored rosters, by who may see them and what they cover."""

    kbh: list[int]  # office København only, case k1; every third one published
    naestved: list[int]  # office Næstved only, case k2
    both: int  # both offices, cases k1 and k2
    unscoped: int  # no office (only an admin sees it)

    @property
    def all(self) -> list[int]:
        return [*self.kbh, *self.naestved, self.both, self.unscoped]


def _roster(cases: list[int], offices: list[int], status: RosterStatus) -> Roster:
    return Roster(
        case_ids=cases,
        office_ids=offices,
        status=status,
        horizon_start=MIDNIGHT,
        days=7,
        template="3x8",
        params={"case_ids": cases, "office_ids": offices},
    )


@pytest.fixture
def rosters(api_engine: Engine, world: World) -> Rosters:
    k1, k2 = world.cases["k1"], world.cases["k2"]
    kbh, naestved = world.office_kbh, world.office_naestved
    with Session(api_engine) as session:
        rows = {
            "kbh": [
                _roster([k1], [kbh], RosterStatus.PUBLISHED if n % 3 == 0 else RosterStatus.DRAFT)
                for n in range(25)
            ],
            "naestved": [_roster([k2], [naestved], RosterStatus.DRAFT) for _ in range(4)],
            "both": [_roster([k2, k1], [naestved, kbh], RosterStatus.DRAFT)],
            "unscoped": [_roster([k1], [], RosterStatus.DRAFT)],
        }
        for group in rows.values():
            session.add_all(group)
        session.commit()
        ids = {name: [r.id for r in group if r.id is not None] for name, group in rows.items()}
    return Rosters(ids["kbh"], ids["naestved"], ids["both"][0], ids["unscoped"][0])


def _loads(model: type[Roster] | type[Job]) -> Iterator[list[int]]:
    """Ids of every `model` object the ORM builds from a row while the test runs."""
    loaded: list[int] = []

    def on_load(target: Roster | Job, _context: Any) -> None:
        loaded.append(target.id or 0)

    event.listen(model, "load", on_load)
    yield loaded
    event.remove(model, "load", on_load)


@pytest.fixture
def loaded_rosters() -> Iterator[list[int]]:
    yield from _loads(Roster)


@pytest.fixture
def loaded_jobs() -> Iterator[list[int]]:
    yield from _loads(Job)


def _list(
    client: TestClient, keys: Keys, role: str, path: str = "/v1/rosters", **query: Any
) -> dict[str, Any]:
    response = client.get(path, params=query, headers=keys.headers(role))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_page_holds_the_requested_slice_and_the_total_counts_every_match(
    client: TestClient, keys: Keys, rosters: Rosters, loaded_rosters: list[int]
) -> None:
    newest_first = sorted(rosters.all, reverse=True)
    assert len(newest_first) == 31

    page = _list(client, keys, "admin", skip=10, limit=10)

    assert page["count"] == 31
    assert [r["id"] for r in page["data"]] == newest_first[10:20]
    # Only the page's rows are read, not every roster.
    assert sorted(loaded_rosters) == sorted(newest_first[10:20])
    last = _list(client, keys, "admin", skip=30, limit=10)
    assert [r["id"] for r in last["data"]] == newest_first[30:]
    assert last["count"] == 31


def test_a_roster_lists_its_cases_and_offices(
    client: TestClient, keys: Keys, world: World, rosters: Rosters
) -> None:
    both = next(
        r for r in _list(client, keys, "admin", limit=100)["data"] if r["id"] == rosters.both
    )

    assert both["case_ids"] == sorted([world.cases["k1"], world.cases["k2"]])
    assert both["office_ids"] == sorted([world.office_kbh, world.office_naestved])
    assert both["shifts"] == []


def test_a_team_leader_sees_only_rosters_wholly_within_their_offices(
    client: TestClient, keys: Keys, rosters: Rosters
) -> None:
    naestved = _list(client, keys, "team_leader_naestved", limit=100)
    assert [r["id"] for r in naestved["data"]] == sorted(rosters.naestved, reverse=True)
    assert naestved["count"] == 4

    kbh = _list(client, keys, "team_leader_kbh", skip=5, limit=5)
    assert kbh["count"] == 25  # not the two-office roster, not the roster without offices
    assert [r["id"] for r in kbh["data"]] == sorted(rosters.kbh, reverse=True)[5:10]


def test_filters_by_case_and_status_combine_with_the_scope(
    client: TestClient, keys: Keys, world: World, rosters: Rosters
) -> None:
    k1, k2 = world.cases["k1"], world.cases["k2"]
    by_case = _list(client, keys, "admin", case_id=k2, limit=100)
    assert [r["id"] for r in by_case["data"]] == sorted(
        [*rosters.naestved, rosters.both], reverse=True
    )
    assert by_case["count"] == 5

    published = sorted(rosters.kbh[::3], reverse=True)
    scoped = _list(client, keys, "team_leader_kbh", case_id=k1, status="published", limit=3)
    assert scoped["count"] == len(published) == 9
    assert [r["id"] for r in scoped["data"]] == published[:3]

    assert _list(client, keys, "team_leader_kbh", case_id=k2)["count"] == 0
    assert _list(client, keys, "admin", case_id=999_999)["count"] == 0


def test_the_service_pages_for_a_team_leader_without_offices(
    session: Session, world: World, rosters: Rosters
) -> None:
    nobody = Principal(key_id=None, role=Role.TEAM_LEADER, office_ids=frozenset())
    assert list_visible_rosters(session, nobody) == ([], 0)
    reception = Principal(key_id=None, role=Role.RECEPTION)
    assert list_visible_rosters(session, reception) == ([], 0)
    admin = Principal(key_id=None, role=Role.ADMIN)
    rows, count = list_visible_rosters(session, admin, skip=29, limit=5)
    assert count == 31
    assert [r.id for r in rows] == sorted(rosters.all, reverse=True)[29:]


def test_a_deleted_roster_takes_its_links_along(session: Session, rosters: Rosters) -> None:
    roster = session.get(Roster, rosters.both)
    assert roster is not None
    session.delete(roster)
    session.commit()

    left = session.exec(
        select(RosterCaseLink).where(RosterCaseLink.roster_id == rosters.both)
    ).all()
    assert left == []


def test_a_new_roster_avoids_the_shifts_of_published_rosters_of_other_cases(
    session: Session, world: World
) -> None:
    """build_problem marks a consultant busy during the shifts of a published roster of
    another case, and ignores those of a roster of the same case (it is re-planned)."""
    k1, k2 = world.cases["k1"], world.cases["k2"]
    consultant = world.consultants["c3"]
    other = _roster([k2], [world.office_naestved], RosterStatus.PUBLISHED)
    same = _roster([k1], [world.office_naestved], RosterStatus.PUBLISHED)
    session.add_all([other, same])
    session.flush()
    for roster, hours in ((other, 6), (same, 14)):
        assert roster.id is not None
        session.add(
            RosterShift(
                roster_id=roster.id,
                case_id=roster.case_ids[0],
                consultant_id=consultant,
                shift_code="D",
                start=MIDNIGHT + dt.timedelta(hours=hours),
                end=MIDNIGHT + dt.timedelta(hours=hours + 8),
            )
        )
    session.commit()
    params = {
        "case_ids": [k1],
        "office_ids": [world.office_naestved],
        "start_date": "2030-03-04",
        "days": 2,
        "template": "3x8",
    }

    problem = build_problem(session, params, exclude_roster_ids=set())

    busy = {e.id: e.busy for e in problem.employees}
    # 06:00-14:00 Danish time on day 0 of the horizon, from the roster of case k2 only.
    assert busy[str(consultant)] == ((6 * 60, 14 * 60),)


# ------------------------------------------------------------------ optimisation jobs


def test_optimisation_jobs_page_in_sql_within_the_callers_offices(
    client: TestClient, api_engine: Engine, keys: Keys, world: World, loaded_jobs: list[int]
) -> None:
    kbh, naestved = world.office_kbh, world.office_naestved
    scopes = [[naestved]] * 12 + [[kbh]] * 3 + [[kbh, naestved]] * 2
    with Session(api_engine) as session:
        jobs = [
            Job(kind=JobKind.OPTIMIZATION, status=JobStatus.SUCCEEDED, office_ids=offices)
            for offices in scopes
        ]
        roster_job = Job(kind=JobKind.ROSTER, status=JobStatus.SUCCEEDED, office_ids=[naestved])
        session.add_all([*jobs, roster_job])
        session.commit()
        ids = [job.id for job in jobs if job.id is not None]
        assert len(ids) == len(jobs)  # every job saved
    newest_naestved = sorted(ids[:12], reverse=True)
    loaded_jobs.clear()

    page = _list(client, keys, "team_leader_naestved", "/v1/optimizations", skip=4, limit=5)

    assert page["count"] == 12  # not the København jobs, not the two-office ones
    assert [j["id"] for j in page["data"]] == newest_naestved[4:9]
    assert all(j["office_ids"] == [naestved] for j in page["data"])
    assert sorted(loaded_jobs) == sorted(newest_naestved[4:9])
    everything = _list(client, keys, "admin", "/v1/optimizations", limit=100)
    assert everything["count"] == 17  # optimisations only, not the roster job
    both = [j for j in everything["data"] if len(j["office_ids"]) == 2]
    assert [j["office_ids"] for j in both] == [sorted([kbh, naestved])] * 2
