"""Read models of the web pages: the reception inbox, a case with its people, pickers,
and a team leader's rosters. Queries only; the pages never touch the database.

The 24-hour clock: the inbox shows how long each open request has waited. A case keeps
no separate "received at" time, so a request counts from its ``requested_start`` (the
time the municipality asked for; the demo book's open requests start on its planning
day). "Now" is the planning date at the current Danish time of day, so a book pinned to
a date (``FAMPLAN_AS_OF``, the demo's recorded day) shows the same clock whatever the
real date is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from api.auth import Principal
from api.services.cases import languages_of
from api.services.errors import Forbidden
from api.services.planning_date import DANISH_TIME
from api.services.references import get_or_404
from api.services.rosters import list_visible_rosters
from api.services.waiting import waiting_list
from data.languages import display_name
from data.models import (
    Assignment,
    AssignmentStatus,
    Case,
    Consultant,
    ConsultantLanguage,
    Coordinator,
    Municipality,
    Office,
)
from data.ops_models import Roster, RosterShift, as_utc

#: An open request older than this is overdue (the reception's promise).
RESPONSE_HOURS = 24


def clock_now(planning_day: dt.date, instant: dt.datetime) -> dt.datetime:
    """ "Now" of the inbox: `planning_day` at `instant`'s Danish time of day."""
    local = instant.astimezone(DANISH_TIME)
    return dt.datetime.combine(planning_day, local.time(), tzinfo=DANISH_TIME)


@dataclass(frozen=True)
class InboxRow:
    case_id: int
    reference: str
    municipality: str
    intervention_type: str
    priority: int
    languages: list[str]
    requested_start: dt.datetime
    #: Hours since the request came in (negative: it starts later).
    hours_waiting: float

    @property
    def overdue(self) -> bool:
        return self.hours_waiting > RESPONSE_HOURS


def open_requests(session: Session, now: dt.datetime, locale: str = "da") -> list[InboxRow]:
    """Every requested case in the waiting list's order (`api.services.waiting`: urgent
    first, then the deadline that runs out first)."""
    towns = dict(session.exec(select(Municipality.code, Municipality.name)).all())
    rows = [(case, towns[case.municipality_code]) for _, case in waiting_list(session, now)]
    ids = [case.id for case, _ in rows if case.id is not None]
    languages = languages_of(session, ids)
    result = []
    for case, municipality in rows:
        assert case.id is not None
        waited = (now - as_utc(case.requested_start)).total_seconds() / 3600
        result.append(
            InboxRow(
                case_id=case.id,
                reference=case.reference,
                municipality=municipality,
                intervention_type=str(case.intervention_type),
                priority=case.priority,
                languages=[display_name(lang.tag, locale) for lang in languages[case.id]],
                requested_start=case.requested_start,
                hours_waiting=round(waited, 1),
            )
        )
    return result


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def municipality_choices(session: Session) -> list[Choice]:
    rows = session.exec(select(Municipality.code, Municipality.name).order_by(Municipality.name))
    return [Choice(str(code), name) for code, name in rows]


def language_choices(session: Session, locale: str = "da") -> list[Choice]:
    """The language tags the staff speak, named in `locale` (dialect tags included)."""
    tags = session.exec(select(ConsultantLanguage.tag).distinct()).all()
    choices = [Choice(tag, f"{display_name(tag, locale)} ({tag})") for tag in tags]
    return sorted(choices, key=lambda c: c.label.casefold())


@dataclass(frozen=True)
class AssignmentLine:
    assignment_id: int
    role: str
    person: str
    person_ref: str
    hours_per_week: float
    start: dt.date
    end: dt.date | None
    status: str


@dataclass(frozen=True)
class CaseView:
    case: Case
    municipality: str
    languages: list[str]
    assignments: list[AssignmentLine] = field(default_factory=list)

    @property
    def coordinator(self) -> AssignmentLine | None:
        running = [a for a in self.assignments if a.role == "coordinator" and a.status != "ended"]
        return running[0] if running else None


def case_view(session: Session, case_id: int, locale: str = "da") -> CaseView:
    """A case, its languages and every assignment with the person's name (`NotFound`)."""
    case = get_or_404(session, Case, case_id, "case")
    municipality = session.get(Municipality, case.municipality_code)
    languages = languages_of(session, [case_id])[case_id]
    rows = session.exec(
        select(Assignment, Consultant, Coordinator)
        .join(Consultant, col(Consultant.id) == col(Assignment.consultant_id), isouter=True)
        .join(Coordinator, col(Coordinator.id) == col(Assignment.coordinator_id), isouter=True)
        .where(col(Assignment.case_id) == case_id)
        .order_by(col(Assignment.start), col(Assignment.id))
    ).all()
    lines = []
    for assignment, consultant, coordinator in rows:
        assert assignment.id is not None
        person = consultant or coordinator
        lines.append(
            AssignmentLine(
                assignment_id=assignment.id,
                role=str(assignment.role),
                person=person.display_name if person is not None else "—",
                person_ref=person.employee_ref if person is not None else "",
                hours_per_week=assignment.hours_per_week,
                start=assignment.start,
                end=assignment.end,
                status=str(assignment.status),
            )
        )
    return CaseView(
        case=case,
        municipality=municipality.name if municipality is not None else str(case.municipality_code),
        languages=[f"{display_name(lang.tag, locale)} ({lang.tag})" for lang in languages],
        assignments=lines,
    )


def consultant_names(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(
        select(Consultant.id, Consultant.display_name).where(col(Consultant.id).in_(ids))
    )
    return {consultant_id: name for consultant_id, name in rows if consultant_id is not None}


def coordinator_names(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(
        select(Coordinator.id, Coordinator.display_name).where(col(Coordinator.id).in_(ids))
    )
    return {coordinator_id: name for coordinator_id, name in rows if coordinator_id is not None}


def case_references(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Case.id, Case.reference).where(col(Case.id).in_(ids)))
    return {case_id: reference for case_id, reference in rows if case_id is not None}


def is_running(status: AssignmentStatus) -> bool:
    return status is not AssignmentStatus.ENDED


# ------------------------------------------------------------------ rosters


@dataclass(frozen=True)
class RosterLine:
    roster_id: int
    status: str
    offices: list[str]
    case_ids: list[int]
    horizon_start: dt.datetime | None
    days: int


def office_names(session: Session) -> dict[int, str]:
    return {i: name for i, name in session.exec(select(Office.id, Office.name)) if i is not None}


def visible_rosters(session: Session, principal: Principal, limit: int = 50) -> list[RosterLine]:
    """The rosters `principal` may see (`list_visible_rosters`), newest first."""
    rows, _ = list_visible_rosters(session, principal, limit=limit)
    names = office_names(session)
    return [
        RosterLine(
            roster_id=row.id or 0,
            status=str(row.status),
            offices=[names.get(i, str(i)) for i in row.office_ids],
            case_ids=row.case_ids,
            horizon_start=row.horizon_start,
            days=row.days,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class GridRow:
    consultant: str
    #: None for the row of uncovered shifts.
    consultant_id: int | None
    #: day → shift codes that day
    shifts: dict[dt.date, list[str]]
    hours: float
    #: The contract's hours over the roster's days (None for uncovered shifts).
    contract_hours: float | None
    #: A repaired roster: the days whose shifts differ from the roster it repairs.
    changed: frozenset[dt.date] = frozenset()
    #: A repaired roster: day → the shift codes the repair took away that day.
    removed: dict[dt.date, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class RosterGrid:
    roster: Roster
    offices: list[str]
    days: list[dt.date]
    rows: list[GridRow]

    @property
    def uncovered(self) -> int:
        return len(self.roster.uncovered)

    @property
    def violations(self) -> int:
        return len(self.roster.violations)

    @property
    def changed_cells(self) -> int:
        return sum(len(row.changed) for row in self.rows)

    @property
    def team(self) -> list[GridRow]:
        """The rows of consultants (not the uncovered shifts), for pickers and calendars."""
        return [row for row in self.rows if row.consultant_id is not None]


def visible_roster(session: Session, principal: Principal, roster_id: int) -> Roster:
    """The roster (`NotFound`; `Forbidden` outside the caller's offices)."""
    roster = get_or_404(session, Roster, roster_id, "roster")
    if not principal.may_act_for_offices(set(roster.office_ids)):
        raise Forbidden("the roster belongs to offices outside your scope")
    return roster


Cells = dict[int | None, dict[dt.date, list[str]]]


def _cells(session: Session, roster: Roster) -> tuple[Cells, dict[int | None, float]]:
    """`roster`'s shift codes by consultant and Danish day, and each one's hours."""
    shifts = session.exec(
        select(RosterShift)
        .where(col(RosterShift.roster_id) == roster.id)
        .order_by(col(RosterShift.start))
    ).all()
    cells: Cells = {}
    hours: dict[int | None, float] = {}
    for shift in shifts:
        day = as_utc(shift.start).astimezone(DANISH_TIME).date()
        cells.setdefault(shift.consultant_id, {}).setdefault(day, []).append(shift.shift_code)
        length = (as_utc(shift.end) - as_utc(shift.start)).total_seconds() / 3600
        hours[shift.consultant_id] = hours.get(shift.consultant_id, 0.0) + length
    return cells, hours


def _removed(before: list[str], after: list[str]) -> list[str]:
    left = list(after)
    gone = []
    for code in before:
        if code in left:
            left.remove(code)
        else:
            gone.append(code)
    return gone


def roster_grid(session: Session, principal: Principal, roster_id: int) -> RosterGrid:
    """A roster as consultants × days with hours against contract (`NotFound`;
    `Forbidden` outside the caller's offices, as `GET /v1/rosters/{id}`). A repaired
    roster marks the days that differ from the roster it repairs."""
    roster = visible_roster(session, principal, roster_id)
    cells, hours = _cells(session, roster)
    parent = session.get(Roster, roster.parent_id) if roster.parent_id is not None else None
    # A pending repair has no shifts yet: nothing to compare.
    before: Cells = _cells(session, parent)[0] if parent is not None and cells else {}
    for consultant_id in before:  # whoever lost every shift keeps a row
        cells.setdefault(consultant_id, {})
    ids = sorted(i for i in cells if i is not None)
    consultants = {
        c.id: c for c in session.exec(select(Consultant).where(col(Consultant.id).in_(ids)))
    }
    first = as_utc(roster.horizon_start).astimezone(DANISH_TIME).date()
    days = [first + dt.timedelta(days=i) for i in range(roster.days)]
    rows = []
    for consultant_id, by_day in cells.items():
        consultant = consultants.get(consultant_id) if consultant_id is not None else None
        old = before.get(consultant_id, {})
        changed = frozenset(
            day
            for day in set(by_day) | set(old)
            if parent is not None
            and before
            and sorted(by_day.get(day, [])) != sorted(old.get(day, []))
        )
        rows.append(
            GridRow(
                consultant=consultant.display_name if consultant is not None else "—",
                consultant_id=consultant_id,
                shifts=by_day,
                hours=round(hours.get(consultant_id, 0.0), 1),
                contract_hours=None
                if consultant is None
                else round(consultant.contracted_hours_per_week * roster.days / 7, 1),
                changed=changed,
                removed={
                    day: gone
                    for day in changed
                    if (gone := _removed(old.get(day, []), by_day.get(day, [])))
                },
            )
        )
    rows.sort(key=lambda row: (row.contract_hours is None, row.consultant))
    all_offices = office_names(session)
    return RosterGrid(
        roster=roster,
        offices=[all_offices.get(i, str(i)) for i in roster.office_ids],
        days=days,
        rows=rows,
    )
