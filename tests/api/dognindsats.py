"""Døgnindsats set-ups the roster tests share: a pool of døgnindsats consultants, a
Danish-speaking døgnindsats case (both at once: `add_homes`), a stored (hand-made)
roster, a publication refused, and asking the API for a roster and waiting for it. All
in Næstved's municipality (370) of the tiny world."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.services.errors import Conflict
from api.services.planning_date import DANISH_TIME
from api.services.roster_problem import shift_times
from api.services.roster_publishing import publish_roster
from data.models import (
    Case,
    CaseLanguage,
    Consultant,
    ConsultantLanguage,
    Gender,
    InterventionType,
    LanguageLevel,
    PersonGroup,
)
from data.ops_models import Roster, RosterShift, RosterStatus
from roster.templates import template

#: A Monday in the future: a repair freezes the days already worked (before today).
START = dt.date(2030, 3, 4)

#: When `add_dognindsats`'s case is requested: just before START.
REQUESTED = dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC)


def add_pool(
    session: Session,
    office_id: int,
    size: int,
    first: int = 0,
    active_from: dt.date = dt.date(2020, 1, 1),
) -> list[int]:
    """`size` Danish-speaking døgnindsats consultants of `office_id` who work nights
    (37 h, at most 2 cases, women and men by turns); their ids. `first` numbers them
    (``T-D{first:02d}``…), so that a test may add a second pool."""
    ids = []
    for k in range(first, first + size):
        consultant = Consultant(
            employee_ref=f"T-D{k:02d}",
            display_name=f"Testperson D{k:02d}",
            office_id=office_id,
            home_municipality_code=370,
            home_lat=55.23,
            home_lon=11.76,
            gender=Gender.FEMALE if k % 2 else Gender.MALE,
            intervention_types=[InterventionType.DOGNINDSATS.value],
            contracted_hours_per_week=37,
            max_cases=2,
            takes_night_shifts=True,
            active_from=active_from,
        )
        session.add(consultant)
        session.flush()
        assert consultant.id is not None
        session.add(
            ConsultantLanguage(consultant_id=consultant.id, tag="da", level=LanguageLevel.NATIVE)
        )
        ids.append(consultant.id)
    return ids


def add_dognindsats(session: Session, reference: str, requested: dt.datetime = REQUESTED) -> int:
    """A requested døgnindsats (168 h a week) whose parents speak Danish; its id."""
    case = Case(
        reference=reference,
        municipality_code=370,
        lat=55.23,
        lon=11.76,
        intervention_type=InterventionType.DOGNINDSATS,
        hours_per_week=168,
        visits_per_week=7,
        requested_start=requested,
    )
    session.add(case)
    session.flush()
    assert case.id is not None
    session.add(CaseLanguage(case_id=case.id, person_group=PersonGroup.PARENTS, tag="da"))
    return case.id


def add_homes(
    engine: Engine, office_id: int, consultants: int, cases: int = 1
) -> tuple[list[int], list[int]]:
    """`consultants` døgnindsats consultants of `office_id` (`add_pool`) and `cases`
    requested døgnindsats TEST-DOGN-1, TEST-DOGN-2, … (`add_dognindsats`), committed:
    their ids."""
    with Session(engine) as session:
        pool = add_pool(session, office_id, consultants)
        case_ids = [add_dognindsats(session, f"TEST-DOGN-{k}") for k in range(1, cases + 1)]
        session.commit()
    return pool, case_ids


def roster_params(
    case_id: int, office_id: int, days: int, start: dt.date = START, **extra: Any
) -> dict[str, Any]:
    """A roster's stored params (as `build_problem` reads them): a 3x8 roster of one case."""
    return {
        "case_ids": [case_id],
        "office_ids": [office_id],
        "start_date": start.isoformat(),
        "days": days,
        "template": "3x8",
        **extra,
    }


def draft_roster(
    session: Session,
    case_id: int,
    office_id: int,
    shifts: list[tuple[int, int, str]],
    status: RosterStatus = RosterStatus.DRAFT,
    *,
    start: dt.date = START,
    days: int = 7,
    template_name: str = "3x8",
    **rules: Any,
) -> Roster:
    """A stored roster of `case_id` (a week of 3x8 from START unless told) with
    (consultant, day, shift) rows; `rules`: stored rule overrides (reference_period_days…)."""
    kinds = {s.id: s for s in template(template_name)}
    roster = Roster(
        status=status,
        case_ids=[case_id],
        office_ids=[office_id],
        horizon_start=dt.datetime.combine(start, dt.time(0), tzinfo=DANISH_TIME),
        days=days,
        template=template_name,
        params=roster_params(case_id, office_id, days, start, template=template_name, **rules),
        team=sorted({c for c, _, _ in shifts}),
    )
    session.add(roster)
    session.flush()
    assert roster.id is not None
    for consultant, day, code in shifts:
        kind = kinds[code]
        first, end = shift_times(start, day, kind.start_minute, kind.duration_minutes)
        session.add(
            RosterShift(
                roster_id=roster.id,
                case_id=case_id,
                consultant_id=consultant,
                shift_code=code,
                start=first,
                end=end,
            )
        )
    session.commit()
    session.refresh(roster)
    return roster


def refused_publication(session: Session, roster: Roster) -> str:
    """Publishing `roster` is refused and it stays a draft: the refusal's reason."""
    with pytest.raises(Conflict) as refused:
        publish_roster(session, roster, None)
    assert session.get(Roster, roster.id).status is RosterStatus.DRAFT  # type: ignore[union-attr]
    return refused.value.detail


def post_roster(
    client: TestClient,
    headers: dict[str, str],
    case_id: int,
    time_limit_seconds: int,
    days: int = 7,
    **options: Any,
) -> Response:
    """Ask for a `days`-day 3x8 roster of one døgnindsats case from START; 202 expected."""
    created = client.post(
        "/v1/rosters",
        json={
            "case_ids": [case_id],
            "start_date": START.isoformat(),
            "days": days,
            "template": "3x8",
            "time_limit_seconds": time_limit_seconds,
            **options,
        },
        headers=headers,
    )
    assert created.status_code == 202, created.text
    return created


def wait_roster(client: TestClient, roster_id: int, headers: dict[str, str]) -> dict[str, Any]:
    """The roster once its job has ended (a generous real-time bound: a worker thread
    solves it; the test fails, rather than hangs, if it never does)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        roster = client.get(f"/v1/rosters/{roster_id}", headers=headers).json()
        if roster["status"] != "pending":
            return roster
        time.sleep(0.1)
    raise AssertionError("the roster job did not finish")
