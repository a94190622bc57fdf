"""The write invariants of issue 21, one defect at a time: each test failed before its fix.

The tiny world (tests/api/world.py) is on Monday 2 March 2026; c4 (Næstved) takes one
case at most, k1 (København, requested) is expected to end on 1 December 2026.
"""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.services.invariants import running_assignments, seat_problem
from api.services.optimization import BatchPlan, PlannedMove
from data.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseStatus,
    Consultant,
    InterventionType,
)
from data.ops_models import Job, JobKind, JobStatus
from solving.status import SolveStatus
from tests.api.conftest import Keys
from tests.api.world import World


def _add_case(session: Session, reference: str, municipality: int, **fields: object) -> int:
    values: dict[str, object] = {
        "reference": reference,
        "municipality_code": municipality,
        "lat": 55.2,
        "lon": 11.7,
        "intervention_type": InterventionType.FAMILY_TREATMENT,
        "hours_per_week": 4,
        "visits_per_week": 1,
        "requested_start": dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC),
        "expected_end": dt.date(2026, 12, 1),
        "status": CaseStatus.ACTIVE,
        **fields,
    }
    case = Case.model_validate(values)
    session.add(case)
    session.flush()
    assert case.id is not None
    return case.id


def _assign(session: Session, case_id: int, consultant_id: int, **fields: object) -> int:
    values: dict[str, object] = {
        "case_id": case_id,
        "consultant_id": consultant_id,
        "role": AssignmentRole.PRIMARY,
        "hours_per_week": 4,
        "start": dt.date(2026, 1, 5),
        "status": AssignmentStatus.CONFIRMED,
        **fields,
    }
    row = Assignment.model_validate(values)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def _running_cases(session: Session, consultant_id: int, on: dt.date) -> set[int]:
    return set(
        session.exec(
            select(Assignment.case_id).where(
                col(Assignment.consultant_id) == consultant_id, running_assignments(on)
            )
        ).all()
    )


def test_reactivating_an_ended_assignment_checks_capacity(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    c4 = world.consultants["c4"]  # max_cases 1
    with Session(api_engine) as session:
        old = _add_case(session, "INV-OLD", 370)
        ended = _assign(session, old, c4, end=dt.date(2026, 2, 20), status=AssignmentStatus.ENDED)
        current = _add_case(session, "INV-NOW", 370)
        _assign(session, current, c4)
        session.commit()
    response = client.patch(
        f"/v1/assignments/{ended}",
        json={"version": 0, "status": "confirmed", "end": "2026-06-30"},
        headers=keys.headers("team_leader_naestved"),
    )
    assert response.status_code == 409, response.text
    assert "maximum" in response.json()["detail"] or "cases of 1" in response.json()["detail"]
    with Session(api_engine) as session:
        assert _running_cases(session, c4, dt.date(2026, 3, 2)) == {current}


def test_extending_an_ended_assignment_within_capacity_is_allowed(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    c3 = world.consultants["c3"]  # 3 cases max, one running (k2)
    with Session(api_engine) as session:
        old = _add_case(session, "INV-OLD", 370)
        ended = _assign(session, old, c3, end=dt.date(2026, 2, 20), status=AssignmentStatus.ENDED)
        session.commit()
    response = client.patch(
        f"/v1/assignments/{ended}",
        json={"version": 0, "status": "confirmed", "end": "2026-06-30"},
        headers=keys.headers("team_leader_naestved"),
    )
    assert response.status_code == 200, response.text
    with Session(api_engine) as session:
        assert _running_cases(session, c3, dt.date(2026, 3, 2)) == {old, world.cases["k2"]}


def test_a_locked_assignment_is_not_changed_until_unlocked(
    client: TestClient, keys: Keys, world: World
) -> None:
    url, headers = f"/v1/assignments/{world.assignment_k2}", keys.headers("team_leader_naestved")
    assert (
        client.patch(url, json={"version": 0, "locked": True}, headers=headers).status_code == 200
    )
    resized = client.patch(url, json={"version": 1, "hours_per_week": 3}, headers=headers)
    assert resized.status_code == 409 and "locked" in resized.json()["detail"]
    unlocked = client.patch(
        url, json={"version": 1, "locked": False, "hours_per_week": 3}, headers=headers
    )
    assert unlocked.status_code == 200 and unlocked.json()["hours_per_week"] == 3


def _optimisation(api_engine: Engine, world: World, as_of: dt.date) -> int:
    """A finished optimisation whose only move gives k1 (open) to c1."""
    plan = BatchPlan(
        status=SolveStatus.OPTIMAL,
        objective=0.0,
        bound=0.0,
        gap=0.0,
        runtime_seconds=0.1,
        as_of=as_of,
        cases=1,
        consultants=2,
        moves=(
            PlannedMove(
                index=0,
                case_id=world.cases["k1"],
                role=AssignmentRole.PRIMARY,
                kind="new",
                from_id=None,
                to_id=world.consultants["c1"],
                hours_per_week=6,
                assignment_id=None,
                assignment_version=None,
            ),
        ),
        unplaced=(),
        kpis=None,
    )
    with Session(api_engine) as session:
        job = Job(
            kind=JobKind.OPTIMIZATION,
            status=JobStatus.SUCCEEDED,
            office_ids=[world.office_kbh],
            result=plan.model_dump(mode="json"),
        )
        session.add(job)
        session.commit()
        assert job.id is not None
        return job.id


def test_apply_refuses_a_placement_after_the_cases_expected_end(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    # k1 is expected to end on 1 December 2026; the plan is for 5 December.
    job_id = _optimisation(api_engine, world, dt.date(2026, 12, 5))
    response = client.post(
        f"/v1/optimizations/{job_id}/apply", json={}, headers=keys.headers("team_leader_kbh")
    )
    assert response.status_code == 409, response.text
    assert "expected to end" in response.json()["detail"]
    with Session(api_engine) as session:
        created = session.exec(
            select(Assignment).where(Assignment.case_id == world.cases["k1"])
        ).all()
        assert created == []
        job = session.get(Job, job_id)
        assert job is not None and job.applied_at is None


def test_apply_with_no_move_selected_is_refused_and_the_plan_stays_appliable(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    job_id = _optimisation(api_engine, world, dt.date(2026, 3, 2))
    url, headers = f"/v1/optimizations/{job_id}/apply", keys.headers("team_leader_kbh")
    empty = client.post(url, json={"moves": []}, headers=headers)
    assert empty.status_code == 422, empty.text
    assert empty.json()["errors"][0]["field"] == "body.moves"
    everything = client.post(url, json={"moves": None}, headers=headers)
    assert everything.status_code == 200, everything.text
    assert len(everything.json()["created_assignment_ids"]) == 1


def test_a_contract_change_makes_an_earlier_match_stale(
    client: TestClient, keys: Keys, world: World
) -> None:
    c1, k1 = world.consultants["c1"], world.cases["k1"]
    before = client.get(f"/v1/consultants/{c1}", headers=keys.headers("reception")).json()
    changed = client.patch(
        f"/v1/consultants/{c1}", json={"max_cases": 3}, headers=keys.headers("admin")
    )
    assert changed.status_code == 200 and changed.json()["version"] == before["version"] + 1
    stale = client.post(
        f"/v1/cases/{k1}/assignments",
        json={"seats": [{"consultant_id": c1, "consultant_version": before["version"]}]},
        headers=keys.headers("reception"),
    )
    assert stale.status_code == 409 and "changed since the match" in stale.json()["detail"]


def test_an_absence_and_a_case_language_change_bump_versions(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    c3, k2 = world.consultants["c3"], world.cases["k2"]
    absent = client.post(
        f"/v1/consultants/{c3}/absences",
        json={"start": "2026-03-10", "end": "2026-03-12", "reason": "sick"},
        headers=keys.headers("team_leader_naestved"),
    )
    assert absent.status_code == 201, absent.text
    languages = client.put(
        f"/v1/cases/{k2}/languages",
        json=[{"person_group": "parents", "tag": "ti"}, {"person_group": "child", "tag": "da"}],
        headers=keys.headers("reception"),
    )
    assert languages.status_code == 200, languages.text
    with Session(api_engine) as session:
        consultant, case = session.get(Consultant, c3), session.get(Case, k2)
        assert consultant is not None and consultant.version == 1
        assert case is not None and case.version == 1


def test_a_team_leader_cannot_roster_another_offices_case(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    # A døgnindsats in Næstved staffed by Næstved's c3: København serves the region too,
    # but the case is Næstved's.
    with Session(api_engine) as session:
        case = _add_case(session, "INV-DOGN", 370, intervention_type=InterventionType.DOGNINDSATS)
        _assign(session, case, world.consultants["c3"])
        session.commit()
    body = {"case_ids": [case], "start_date": "2026-03-09", "days": 7}
    other = client.post("/v1/rosters", json=body, headers=keys.headers("team_leader_kbh"))
    assert other.status_code == 403, other.text
    own = client.post("/v1/rosters", json=body, headers=keys.headers("team_leader_naestved"))
    assert own.status_code == 202, own.text


def test_a_plan_may_relieve_a_consultant_left_over_a_cut_contract(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    """A contract cut below the load is recorded (a fact); a move that takes work away
    from that consultant is not refused for the overload it reduces."""
    c3, c4 = world.consultants["c3"], world.consultants["c4"]
    cut = client.patch(
        f"/v1/consultants/{c3}",
        json={"contracted_hours_per_week": 2},
        headers=keys.headers("admin"),
    )
    assert cut.status_code == 200  # c3 now works 5 h/week of 2 on k2
    plan = BatchPlan(
        status=SolveStatus.OPTIMAL,
        objective=0.0,
        bound=0.0,
        gap=0.0,
        runtime_seconds=0.1,
        as_of=dt.date(2026, 3, 9),
        cases=1,
        consultants=2,
        moves=(
            PlannedMove(
                index=0,
                case_id=world.cases["k2"],
                role=AssignmentRole.PRIMARY,
                kind="move",
                from_id=c3,
                to_id=c4,
                hours_per_week=5,
                assignment_id=world.assignment_k2,
                assignment_version=0,
            ),
        ),
        unplaced=(),
        kpis=None,
    )
    with Session(api_engine) as session:
        job = Job(
            kind=JobKind.OPTIMIZATION,
            status=JobStatus.SUCCEEDED,
            office_ids=[world.office_naestved],
            result=plan.model_dump(mode="json"),
        )
        session.add(job)
        session.commit()
        job_id = job.id
    applied = client.post(
        f"/v1/optimizations/{job_id}/apply", json={}, headers=keys.headers("team_leader_naestved")
    )
    assert applied.status_code == 200, applied.text
    with Session(api_engine) as session:
        assert _running_cases(session, c4, dt.date(2026, 3, 9)) == {world.cases["k2"]}
        assert _running_cases(session, c3, dt.date(2026, 3, 9)) == set()


def test_a_dognindsats_team_has_several_support_members_but_one_primary(
    world: World, api_engine: Engine
) -> None:
    # A published døgnindsats roster writes its whole team back as the case's assignments
    # (issue 19): one primary and the rest support. Any other case keeps one of each.
    c1, c2, c3, c4 = (world.consultants[name] for name in ("c1", "c2", "c3", "c4"))
    today = dt.date(2026, 3, 2)
    with Session(api_engine) as session:
        team = _add_case(session, "INV-TEAM", 370, intervention_type=InterventionType.DOGNINDSATS)
        plain = _add_case(session, "INV-PLAIN", 370)
        for case_id in (team, plain):
            _assign(session, case_id, c1, hours_per_week=1)
            _assign(session, case_id, c2, role=AssignmentRole.SUPPORT, hours_per_week=1)
            _assign(session, case_id, c3, role=AssignmentRole.SUPPORT, hours_per_week=1)
        assert seat_problem(session, team, today) is None
        assert seat_problem(session, plain, today) == (
            f"case {plain} would have 2 running supports "
            f"({', '.join(str(i) for i in sorted(_running_ids(session, plain, 'support')))}) "
            "on 2026-03-02"
        )
        _assign(session, team, c4, hours_per_week=1)  # a second primary: still refused
        problem = seat_problem(session, team, today)
        assert problem is not None and "2 running primarys" in problem
        session.rollback()


def _running_ids(session: Session, case_id: int, role: str) -> list[int]:
    rows = session.exec(
        select(Assignment.id).where(
            col(Assignment.case_id) == case_id, col(Assignment.role) == AssignmentRole(role)
        )
    ).all()
    return [i for i in rows if i is not None]


def test_overload_counts_family_hours_after_the_reserved_share(
    api_engine: Engine, world: World
) -> None:
    from api.services.invariants import overload_problem

    # c3 (37 h contract: 31.45 family hours after the 15 % reserve) on k2 with 33 h, in
    # k2's first week (its intensive phase: all 33 h count).
    first_week = dt.date(2026, 1, 6)
    with Session(api_engine) as session:
        row = session.get(Assignment, world.assignment_k2)
        assert row is not None
        row.hours_per_week = 33
        session.add(row)
        session.flush()
        consultant = session.get(Consultant, world.consultants["c3"])
        assert consultant is not None
        reason = overload_problem(session, consultant, first_week)
        assert reason is not None and "31.4 family hours of a 37-hour contract" in reason
        # Does not fire: a roster's write-back is held to the contract; an apply lets a
        # consultant keep the load they had before its moves; and in k2's regular phase
        # (from week 6: 60 %) the same course takes 19.8 h.
        assert overload_problem(session, consultant, first_week, reserve=False) is None
        assert overload_problem(session, consultant, first_week, allowed_hours=33) is None
        assert overload_problem(session, consultant, dt.date(2026, 3, 2)) is None
        session.rollback()
