"""Random sequences of API writes keep the invariants (issue 21), on every backend.

A Hypothesis state machine drives confirmations, assignment changes (end, lock,
unlock, re-activate, resize), contract changes, absences and case endings through the
HTTP API on the tiny world (tests/api/world.py, plus two open cases), and after every
step checks, with its own queries:

- no answer is a 5xx, and every refusal is a 409 or a 422;
- **capacity**: no step adds load to a consultant beyond their contract on any day from
  the planning date on (a contract cut itself is a fact the API records, and may leave
  someone overloaded until a plan moves work; no write may make it worse);
- **one running consultant per seat** (primary, support) of a case on every day;
- **the course**: no assignment starts after its case's expected end, an ended case has
  no running assignment;
- **locks**: a locked assignment is unchanged by every step but unlocking it or ending
  its case;
- **versions**: a contract change or an absence bumps the consultant's version, ending a
  case bumps the case's.

The steps run are counted and printed (``-s``) for the issue's closing note.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.auth import create_key
from api.config import ApiSettings
from api.main import create_app
from data.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseLanguage,
    CaseStatus,
    Consultant,
    InterventionType,
    PersonGroup,
)
from data.ops_models import Role
from tests.api.world import TODAY, build_world
from tests.conftest import _empty_business_tables

CONSULTANTS = ("c1", "c2", "c3", "c4")
CASES = ("k1", "k2", "k3", "k4")
ACTIONS = ("end", "lock", "unlock", "reactivate", "resize")
#: Days after the planning date a confirmation may start on.
START_OFFSETS = (0, 7, 60, 400)


@dataclass
class Counts:
    examples: int = 0
    steps: int = 0
    refused: int = 0


def _open_cases(session: Session) -> dict[str, int]:
    """Two more open cases: Syrian Arabic in København, Ukrainian in Næstved."""
    added = {}
    for key, municipality, tag, end in (
        ("k3", 147, "ar-SY", dt.date(2026, 6, 30)),
        ("k4", 370, "uk", dt.date(2027, 1, 31)),
    ):
        case = Case(
            reference=f"STATE-{key.upper()}",
            municipality_code=municipality,
            lat=55.5,
            lon=12.0,
            intervention_type=InterventionType.FAMILY_TREATMENT,
            hours_per_week=10,
            visits_per_week=2,
            requested_start=dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC),
            expected_end=end,
            status=CaseStatus.REQUESTED,
        )
        session.add(case)
        session.flush()
        assert case.id is not None
        session.add(CaseLanguage(case_id=case.id, person_group=PersonGroup.PARENTS, tag=tag))
        added[key] = case.id
    session.commit()
    return added


def _load(session: Session) -> dict[str, Any]:
    """What the invariants look at, read fresh."""
    assignments = session.exec(select(Assignment)).all()
    return {
        "assignments": {a.id: a.model_dump() for a in assignments},
        "consultants": {c.id: c.model_dump() for c in session.exec(select(Consultant)).all()},
        "cases": {c.id: c.model_dump() for c in session.exec(select(Case)).all()},
    }


def _running_on(row: dict[str, Any], day: dt.date) -> bool:
    return (
        row["status"] is not AssignmentStatus.ENDED
        and row["start"] <= day
        and (row["end"] is None or row["end"] >= day)
    )


def _days(state: dict[str, Any]) -> list[dt.date]:
    """The planning date and every later day an assignment starts: loads only rise there."""
    starts = {a["start"] for a in state["assignments"].values() if a["start"] > TODAY}
    return [TODAY, *sorted(starts)]


def _loads(state: dict[str, Any]) -> dict[tuple[int, dt.date], tuple[float, int]]:
    """(consultant, day) → (hours per week, cases) of the assignments running that day."""
    hours: dict[tuple[int, dt.date], float] = defaultdict(float)
    cases: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    for day in _days(state):
        for row in state["assignments"].values():
            if row["consultant_id"] is not None and _running_on(row, day):
                hours[(row["consultant_id"], day)] += row["hours_per_week"]
                cases[(row["consultant_id"], day)].add(row["case_id"])
    return {key: (hours[key], len(cases[key])) for key in hours}


class WriteMachine(RuleBasedStateMachine):
    engine: Engine
    counts: Counts

    def __init__(self) -> None:
        super().__init__()
        _empty_business_tables(self.engine)
        with Session(self.engine) as session:
            world = build_world(session)
            extra = _open_cases(session)
            _, self.reception = create_key(session, Role.RECEPTION, label="state reception")
            _, self.admin = create_key(session, Role.ADMIN, label="state admin")
            session.commit()
        self.consultants = world.consultants
        self.cases = {**world.cases, **extra}
        app = create_app(ApiSettings(run_worker=False), self.engine)
        self._client_context = TestClient(app)
        self.client = self._client_context.__enter__()
        self.counts.examples += 1
        self.before = self._state()
        self.ended_cases: set[int] = set()
        self.unlocked: set[int] = set()

    def teardown(self) -> None:
        self._client_context.__exit__(None, None, None)

    # ------------------------------------------------------------------ helpers

    def _state(self) -> dict[str, Any]:
        with Session(self.engine) as session:
            return _load(session)

    def _call(self, method: str, url: str, key: str, body: object) -> Any:
        response = self.client.request(method, url, json=body, headers={"X-API-Key": key})
        assert response.status_code < 500, (method, url, body, response.text)
        if response.status_code >= 400:
            assert response.status_code in (409, 422), (method, url, body, response.text)
            self.counts.refused += 1
        self.counts.steps += 1
        return response

    # ------------------------------------------------------------------ rules

    @rule(
        case=st.sampled_from(CASES),
        consultant=st.sampled_from(CONSULTANTS),
        support=st.booleans(),
        offset=st.sampled_from(START_OFFSETS),
    )
    def confirm(self, case: str, consultant: str, support: bool, offset: int) -> None:
        seat: dict[str, object] = {"consultant_id": self.consultants[consultant]}
        if support:
            seat["role"] = "support"
        start = TODAY + dt.timedelta(days=offset)
        self._call(
            "POST",
            f"/v1/cases/{self.cases[case]}/assignments",
            self.reception,
            {"seats": [seat], "start": start.isoformat()},
        )

    @precondition(lambda self: bool(self.before["assignments"]))
    @rule(
        pick=st.integers(min_value=0, max_value=50),
        action=st.sampled_from(ACTIONS),
        days=st.sampled_from((0, 30, 200)),
        hours=st.sampled_from((1.0, 8.0, 30.0)),
    )
    def change_assignment(self, pick: int, action: str, days: int, hours: float) -> None:
        ids = sorted(self.before["assignments"])
        assignment_id = ids[pick % len(ids)]
        row = self.before["assignments"][assignment_id]
        body: dict[str, object] = {"version": row["version"]}
        end = max(row["start"], TODAY) + dt.timedelta(days=days)
        if action == "end":
            body |= {"status": "ended", "end": end.isoformat()}
        elif action == "lock":
            body["locked"] = True
        elif action == "unlock":
            body["locked"] = False
        elif action == "reactivate":
            body |= {"status": "confirmed", "end": end.isoformat()}
        else:
            body["hours_per_week"] = hours
        response = self._call("PATCH", f"/v1/assignments/{assignment_id}", self.admin, body)
        if action == "unlock" and response.status_code == 200:
            self.unlocked.add(assignment_id)

    @rule(
        consultant=st.sampled_from(CONSULTANTS),
        max_cases=st.integers(min_value=0, max_value=3),
        hours=st.sampled_from((4.0, 12.0, 37.0)),
    )
    def change_contract(self, consultant: str, max_cases: int, hours: float) -> None:
        consultant_id = self.consultants[consultant]
        response = self._call(
            "PATCH",
            f"/v1/consultants/{consultant_id}",
            self.admin,
            {"max_cases": max_cases, "contracted_hours_per_week": hours},
        )
        assert response.status_code == 200, response.text
        before = self.before["consultants"][consultant_id]["version"]
        assert response.json()["version"] > before

    @rule(consultant=st.sampled_from(CONSULTANTS), offset=st.sampled_from((0, 5, 30)))
    def add_absence(self, consultant: str, offset: int) -> None:
        consultant_id = self.consultants[consultant]
        start = TODAY + dt.timedelta(days=offset)
        end = start + dt.timedelta(days=2)
        response = self._call(
            "POST",
            f"/v1/consultants/{consultant_id}/absences",
            self.admin,
            {"start": start.isoformat(), "end": end.isoformat(), "reason": "sick"},
        )
        assert response.status_code == 201, response.text
        with Session(self.engine) as session:
            now = session.get(Consultant, consultant_id)
            assert now is not None
            assert now.version > self.before["consultants"][consultant_id]["version"]

    @rule(case=st.sampled_from(CASES))
    def end_case(self, case: str) -> None:
        case_id = self.cases[case]
        response = self._call("PATCH", f"/v1/cases/{case_id}", self.reception, {"status": "ended"})
        if response.status_code == 200:
            assert response.json()["version"] > self.before["cases"][case_id]["version"]
            self.ended_cases.add(case_id)

    # ------------------------------------------------------------------ invariants

    @invariant()
    def invariants_hold(self) -> None:
        before, after = self.before, self._state()
        loads_before, loads_after = _loads(before), _loads(after)
        for (consultant_id, day), (hours, cases) in loads_after.items():
            contract = after["consultants"][consultant_id]
            old_hours, old_cases = loads_before.get((consultant_id, day), (0.0, 0))
            if hours > contract["contracted_hours_per_week"] + 1e-9:
                assert hours <= old_hours + 1e-9, ("hours", consultant_id, day, hours)
            if cases > contract["max_cases"]:
                assert cases <= old_cases, ("cases", consultant_id, day, cases)
        for day in _days(after):
            seats: dict[tuple[int, AssignmentRole], int] = defaultdict(int)
            for row in after["assignments"].values():
                if row["consultant_id"] is not None and _running_on(row, day):
                    seats[(row["case_id"], row["role"])] += 1
            assert all(n <= 1 for n in seats.values()), (day, seats)
        for row in after["assignments"].values():
            case = after["cases"][row["case_id"]]
            if case["expected_end"] is not None:
                assert row["start"] <= case["expected_end"], row
            if case["status"] is CaseStatus.ENDED:
                assert row["status"] is AssignmentStatus.ENDED, row
        for assignment_id, row in before["assignments"].items():
            if not row["locked"] or assignment_id in self.unlocked:
                continue
            if row["case_id"] in self.ended_cases:
                continue
            # Locking it again is a (harmless) change of the assignment: only its version.
            now = {k: v for k, v in after["assignments"][assignment_id].items() if k != "version"}
            assert now == {k: v for k, v in row.items() if k != "version"}, assignment_id
        self.before = after
        self.unlocked.clear()
        self.ended_cases.clear()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_random_writes_keep_the_invariants(api_engine: Engine, backend: str) -> None:
    counts = Counts()
    WriteMachine.engine = api_engine
    WriteMachine.counts = counts
    run_state_machine_as_test(
        WriteMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    print(
        f"\n[{backend}] invariant test: {counts.examples} examples, {counts.steps} API writes "
        f"({counts.refused} refused with 409/422), 0 violations"
    )
    assert counts.steps >= 100
