"""Key figures: supply vs demand per language and region, and utilisation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field
from sqlmodel import Session, SQLModel, col, select

from api.deps import AS_OF_HELP, AnyUser, PlanningDateDep, SessionDep
from api.routers.common import NoNul
from api.schemas.common import PlanningDate, with_examples
from api.services.follow_ups import follow_up_counts
from api.services.invariants import running_assignments, seat_hours
from data.models import Assignment, Case, CaseStatus, Consultant, Office

router = APIRouter(tags=["key figures"])


class LanguageRegionKpi(SQLModel):
    language: str = Field(examples=["ti"])
    region: str = Field(examples=["Sjælland"])
    running_cases: int
    requested_cases: int
    running_hours: float
    requested_hours: float
    #: Free hours per week of consultants speaking the language whose office serves the region.
    free_hours: float
    speakers: int
    #: Requested hours the free hours of local speakers cannot cover.
    missing_hours: float


class OfficeUtilisation(SQLModel):
    office_id: int
    office: str
    consultants: int
    contracted_hours: float
    assigned_hours: float
    utilisation: float = Field(examples=[0.82])


class FollowUpKpi(SQLModel):
    """Open follow-ups of the whole book on the day (`api.services.follow_ups`)."""

    open: int
    #: Open and due before the day.
    overdue: int
    due_within_14_days: int


class KpisPublic(SQLModel):
    model_config = with_examples(
        {
            "as_of": "2026-03-02",
            "cases": {"requested": 12, "active": 431},
            "utilisation": 0.81,
            "follow_ups": {"open": 2210, "overdue": 14, "due_within_14_days": 160},
            "offices": [
                {
                    "office_id": 6,
                    "office": "Næstved",
                    "consultants": 25,
                    "contracted_hours": 900.0,
                    "assigned_hours": 741.0,
                    "utilisation": 0.82,
                }
            ],
            "supply_demand": [
                {
                    "language": "ti",
                    "region": "Sjælland",
                    "running_cases": 4,
                    "requested_cases": 1,
                    "running_hours": 24.0,
                    "requested_hours": 6.0,
                    "free_hours": 3.0,
                    "speakers": 2,
                    "missing_hours": 3.0,
                }
            ],
        }
    )

    as_of: dt.date
    cases: dict[str, int]
    #: Assigned hours ÷ contracted hours of every active consultant.
    utilisation: float
    offices: list[OfficeUtilisation]
    supply_demand: list[LanguageRegionKpi]
    follow_ups: FollowUpKpi


def office_utilisation(session: Session, on: dt.date) -> list[OfficeUtilisation]:
    consultants = session.exec(
        select(Consultant)
        .where(Consultant.active_from <= on)
        .where(col(Consultant.active_to).is_(None) | (col(Consultant.active_to) >= on))
    ).all()
    office_of = {c.id: c.office_id for c in consultants}
    contracted: dict[int, float] = defaultdict(float)
    headcount: dict[int, int] = defaultdict(int)
    for c in consultants:
        contracted[c.office_id] += c.contracted_hours_per_week
        headcount[c.office_id] += 1
    # Assigned hours in the phase each course is in on `on`, as capacity counts them.
    assigned: dict[int, float] = defaultdict(float)
    for a, case in session.exec(
        select(Assignment, Case)
        .join(Case, col(Case.id) == col(Assignment.case_id))
        .where(col(Assignment.consultant_id).is_not(None), running_assignments(on))
    ).all():
        if a.consultant_id in office_of:
            assigned[office_of[a.consultant_id]] += seat_hours(
                a.hours_per_week, case.intervention_type, a.role, case.requested_start, on
            )
    return [
        OfficeUtilisation(
            office_id=office.id or 0,
            office=office.name,
            consultants=headcount[office.id or 0],
            contracted_hours=round(contracted[office.id or 0], 1),
            assigned_hours=round(assigned[office.id or 0], 1),
            utilisation=round(assigned[office.id or 0] / contracted[office.id or 0], 3)
            if contracted[office.id or 0]
            else 0.0,
        )
        for office in session.exec(select(Office).order_by(col(Office.id))).all()
    ]


@router.get("/kpis", response_model=KpisPublic, summary="Supply vs demand and utilisation")
def kpis(
    session: SessionDep,
    _: AnyUser,
    planning_day: PlanningDateDep,
    as_of: Annotated[PlanningDate | None, Query(description=AS_OF_HELP)] = None,
    language: Annotated[
        str | None,
        Query(min_length=1, max_length=35, description="Only this base language."),
        NoNul,
    ] = None,
) -> KpisPublic:
    from api.report_data import load_capacity
    from data.capacity import balances

    day = as_of or planning_day
    snapshot = load_capacity(session, day)
    cells = balances(snapshot.consultants, snapshot.demands, on=day)
    counts = dict.fromkeys(("requested", "active"), 0)
    for status in session.exec(
        select(Case.status).where(col(Case.status).in_([CaseStatus.REQUESTED, CaseStatus.ACTIVE]))
    ).all():
        counts[CaseStatus(status).value] += 1
    offices = office_utilisation(session, day)
    contracted = sum(o.contracted_hours for o in offices)
    assigned = sum(o.assigned_hours for o in offices)
    follow_ups = follow_up_counts(session, day)
    return KpisPublic(
        as_of=day,
        follow_ups=FollowUpKpi(
            open=follow_ups.open,
            overdue=follow_ups.overdue,
            due_within_14_days=follow_ups.due_within_14_days,
        ),
        cases=counts,
        utilisation=round(assigned / contracted, 3) if contracted else 0.0,
        offices=offices,
        supply_demand=[
            LanguageRegionKpi(
                language=cell.language,
                region=cell.region,
                running_cases=cell.running_cases,
                requested_cases=cell.requested_cases,
                running_hours=round(cell.running_hours, 1),
                requested_hours=round(cell.requested_hours, 1),
                free_hours=round(cell.free_hours, 1),
                speakers=cell.speakers,
                missing_hours=round(cell.missing_hours, 1),
            )
            for cell in cells
            if language is None or cell.language == language
        ],
    )
