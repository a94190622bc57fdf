"""From the database to a `RosterProblem` for one døgnindsats case, and back.

The pool is every consultant active over the horizon whose office serves the case's
region and who takes døgnindsats work (all consultants of the serving offices when
nobody is marked for it). Hours already given to family-treatment cases are
`committed_minutes`; shifts in other published rosters are `busy` intervals; absences
become absent days. Results are stored in the API's roster tables (`data.ops_models`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from api.report_data import family_language
from data.models import (
    Absence,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseLanguage,
    Consultant,
    ConsultantLanguage,
    InterventionType,
    Municipality,
    Office,
)
from data.ops_models import Roster, RosterShift, RosterStatus
from roster.problem import Assignment as ShiftAssignment
from roster.problem import Case as RosterCase
from roster.problem import CoverDemand, Employee, RosterProblem
from roster.templates import MINUTES_PER_DAY, template


class RosterInputError(ValueError):
    """The case or horizon cannot be rostered; the message names what is wrong."""


@dataclass(frozen=True)
class RosterRequest:
    case_id: int
    start: dt.date
    days: int
    template: str = "3x8"
    per_shift: int = 1

    def __post_init__(self) -> None:
        if self.days <= 0:
            raise RosterInputError(f"days: {self.days} must be positive")
        if self.per_shift not in (1, 2):
            raise RosterInputError(f"per_shift: {self.per_shift} must be 1 or 2")
        template(self.template)  # raises ValueError naming the known templates

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)

    def params(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "start": self.start.isoformat(),
            "days": self.days,
            "template": self.template,
            "per_shift": self.per_shift,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> RosterRequest:
        return cls(
            int(params["case_id"]),
            dt.date.fromisoformat(params["start"]),
            int(params["days"]),
            str(params["template"]),
            int(params.get("per_shift", 1)),
        )


def build_roster_problem(session: Session, request: RosterRequest) -> RosterProblem:
    case = session.get(Case, request.case_id)
    if case is None:
        raise RosterInputError(f"case {request.case_id}: not found")
    region = session.get(Municipality, case.municipality_code)
    region_code = region.region_code if region else ""
    offices = [o.id for o in session.exec(select(Office)) if region_code in o.serves_regions]
    consultants = [
        c
        for c in session.exec(select(Consultant).where(col(Consultant.office_id).in_(offices)))
        if c.id is not None
        and c.active_from <= request.end
        and (c.active_to is None or c.active_to >= request.start)
    ]
    dedicated = [
        c for c in consultants if InterventionType.DOGNINDSATS.value in c.intervention_types
    ]
    pool = dedicated or consultants
    if not pool:
        raise RosterInputError(
            f"case {case.reference}: no consultant of an office serving "
            f"its region is active in the horizon"
        )
    ids = [c.id for c in pool if c.id is not None]
    languages: dict[int, list[str]] = defaultdict(list)
    for row in session.exec(
        select(ConsultantLanguage).where(col(ConsultantLanguage.consultant_id).in_(ids))
    ):
        languages[row.consultant_id].append(row.tag)
    committed = _committed_minutes(session, ids, request)
    absent = _absent_days(session, ids, request)
    busy = _busy_intervals(session, ids, request)
    employees = tuple(
        Employee(
            id=str(c.id),
            contract_minutes_per_week=round(c.contracted_hours_per_week * 60),
            committed_minutes=committed.get(c.id or 0, 0),
            busy=tuple(busy.get(c.id or 0, ())),
            absences=frozenset(absent.get(c.id or 0, ())),
            works_nights=c.takes_night_shifts,
            languages=tuple(languages[c.id or 0]),
            gender=str(c.gender) if c.gender else None,
        )
        for c in pool
    )
    tags = [
        (row.person_group, row.tag)
        for row in session.exec(select(CaseLanguage).where(CaseLanguage.case_id == case.id))
    ]
    shifts = template(request.template)
    cover = tuple(
        CoverDemand(case=str(case.id), day=day, shift=s.id, required=request.per_shift)
        for day in range(request.days)
        for s in shifts
    )
    return RosterProblem(
        start_date=request.start,
        days=request.days,
        shift_types=shifts,
        employees=employees,
        cases=(RosterCase(str(case.id), language=family_language(tags) if tags else None),),
        cover=cover,
    )


def _committed_minutes(session: Session, ids: list[int], request: RosterRequest) -> dict[int, int]:
    """Family-treatment hours in the horizon, pro rata per day the assignment runs."""
    minutes: dict[int, int] = defaultdict(int)
    rows = session.exec(
        select(Assignment).where(
            col(Assignment.consultant_id).in_(ids),
            Assignment.status != AssignmentStatus.ENDED,
            Assignment.role != AssignmentRole.COORDINATOR,
        )
    )
    for row in rows:
        first = max(row.start, request.start)
        last = min(row.end or request.end, request.end)
        if last < first or row.consultant_id is None:
            continue
        days = (last - first).days + 1
        minutes[row.consultant_id] += round(row.hours_per_week * 60 * days / 7)
    return minutes


def _absent_days(session: Session, ids: list[int], request: RosterRequest) -> dict[int, set[int]]:
    days: dict[int, set[int]] = defaultdict(set)
    for row in session.exec(select(Absence).where(col(Absence.consultant_id).in_(ids))):
        for offset in range(request.days):
            if row.start <= request.start + dt.timedelta(days=offset) <= row.end:
                days[row.consultant_id].add(offset)
    return days


def _busy_intervals(
    session: Session, ids: list[int], request: RosterRequest
) -> dict[int, list[tuple[int, int]]]:
    """Shifts in other published rosters, as minutes from the horizon start."""
    origin = dt.datetime.combine(request.start, dt.time())
    horizon = request.days * MINUTES_PER_DAY
    busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    published = select(Roster.id).where(Roster.status == RosterStatus.PUBLISHED)
    rows = session.exec(
        select(RosterShift).where(
            col(RosterShift.consultant_id).in_(ids),
            col(RosterShift.roster_id).in_(published),
            RosterShift.case_id != request.case_id,
        )
    )
    for row in rows:
        start = int((row.start - origin).total_seconds() // 60)
        end = int((row.end - origin).total_seconds() // 60)
        if end > 0 and start < horizon and row.consultant_id is not None:
            busy[row.consultant_id].append((start, end))
    return busy


# ------------------------------------------------------------------ persistence


def save_roster(
    session: Session,
    request: RosterRequest,
    problem: RosterProblem,
    result: Any,
    violations: list[Any],
    parent_id: int | None = None,
) -> Roster:
    """Store a solved roster as a draft (the API's tables); returns the row with its id."""
    case = session.get(Case, request.case_id)
    kpis: dict[str, Any] = {}
    if result.kpis is not None:
        kpis = {
            "team_size": result.kpis.total_team_size,
            "handovers_per_day": round(sum(result.kpis.handovers_per_day.values()), 3),
            "requests_met": result.kpis.requests_met,
            "requests_total": result.kpis.requests_total,
        }
    row = Roster(
        parent_id=parent_id,
        status=RosterStatus.DRAFT,
        case_ids=[request.case_id],
        office_ids=[],
        horizon_start=dt.datetime.combine(request.start, dt.time()),
        days=request.days,
        template=request.template,
        solver_status=str(result.status),
        objective=result.objective,
        bound=result.bound,
        runtime_seconds=round(result.seconds, 3),
        team=sorted({int(a.employee) for a in result.roster}),
        kpis=kpis,
        violations=[str(v) for v in violations],
        uncovered=[
            {"day": u.day, "shift": u.shift, "missing": u.missing, "reason": u.reason}
            for u in result.uncovered
        ],
        params=request.params(),
    )
    if case is not None:
        consultant_offices = {
            c.office_id
            for c in session.exec(
                select(Consultant).where(col(Consultant.id).in_(row.team or [-1]))
            )
        }
        row.office_ids = sorted(consultant_offices)
    session.add(row)
    session.flush()
    origin = dt.datetime.combine(request.start, dt.time())
    staffed: set[tuple[int, str]] = set()
    for a in result.roster:
        start, end = problem.shift[a.shift].span(a.day)
        staffed.add((a.day, a.shift))
        session.add(
            RosterShift(
                roster_id=row.id or 0,
                case_id=int(a.case),
                consultant_id=int(a.employee),
                shift_code=a.shift,
                start=origin + dt.timedelta(minutes=start),
                end=origin + dt.timedelta(minutes=end),
            )
        )
    for demand in problem.cover:
        if (demand.day, demand.shift) not in staffed and demand.required > 0:
            start, end = problem.shift[demand.shift].span(demand.day)
            session.add(
                RosterShift(
                    roster_id=row.id or 0,
                    case_id=int(demand.case),
                    consultant_id=None,
                    shift_code=demand.shift,
                    start=origin + dt.timedelta(minutes=start),
                    end=origin + dt.timedelta(minutes=end),
                )
            )
    session.flush()
    return row


def load_published_roster(
    session: Session, roster_id: int
) -> tuple[Roster, RosterRequest, tuple[ShiftAssignment, ...]]:
    row = session.get(Roster, roster_id)
    if row is None:
        raise RosterInputError(f"roster {roster_id}: not found")
    if not row.params or "case_id" not in row.params:
        raise RosterInputError(f"roster {roster_id}: has no stored request parameters")
    request = RosterRequest.from_params(row.params)
    origin = dt.datetime.combine(request.start, dt.time())
    shifts = session.exec(select(RosterShift).where(RosterShift.roster_id == roster_id)).all()
    assignments = tuple(
        sorted(
            ShiftAssignment(
                day=(s.start - origin).days,
                shift=s.shift_code,
                case=str(s.case_id),
                employee=str(s.consultant_id),
            )
            for s in shifts
            if s.consultant_id is not None
        )
    )
    return row, request, assignments
