"""The invariants every write keeps, in one place.

Every path that writes assignments — a confirmation (`api.services.assignments.confirm`),
a change of one (`update_assignment`, ``PATCH /v1/assignments/{id}``), an optimisation's
apply (`api.services.optimization.apply_plan`, the API and ``famplan optimize --apply``),
ending a case (`api.services.cases.update_case`) — checks these with fresh reads inside
its transaction, after its rows are locked, and rolls back with a `Conflict` (or an
`Invalid` naming the field) when one fails:

- **capacity**: a consultant's running assignments fit their contracted hours and their
  maximum number of cases (a new seat: their family hours, i.e. contracted hours less the
  reserved share, reduced by absences, as matching counts them); a coordinator's fit
  their caseload; a consultant who gets a seat is employed on its first day;
- **one running consultant per seat**: a case has at most one running primary (and one
  running support person, except a døgnindsats, whose team has several) at a time;
- **the case's course**: an assignment never starts after the case's expected end, nor
  on an ended case;
- **locks**: a locked assignment is never moved, ended or resized (unlock it first).

Any change to a consultant or a case bumps its `version` (`bump_version`), so a match or
a plan read before the change is refused when it is confirmed or applied.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from api.services.phases import phase_table
from data.models import (
    Absence,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseStatus,
    Consultant,
    Coordinator,
    InterventionType,
)
from matcher.problem import DateRange, MatchSettings
from matcher.rules import horizon_capacity

#: Tolerance of hour sums (floats).
_EPSILON = 1e-9


def running_assignments(on: dt.date) -> ColumnElement[bool]:
    """SQL condition: an assignment that is not ended on `on`."""
    return and_(
        col(Assignment.status) != AssignmentStatus.ENDED,
        or_(col(Assignment.end).is_(None), col(Assignment.end) >= on),
    )


def consultant_load(session: Session, consultant_id: int, on: dt.date) -> tuple[float, set[int]]:
    """Hours per week and the cases of the consultant's assignments not ended by `on`,
    each in the phase its course is in on `on` (`matcher.phases`; stored hours are the
    first phase's), as ranking and the batch count them.

    Assignments starting after `on` count too: the load of every day from `on` on is
    at most this (a course's hours only fall), so one check covers them all
    (conservatively)."""
    rows = session.exec(
        select(Assignment, Case)
        .join(Case, col(Case.id) == col(Assignment.case_id))
        .where(col(Assignment.consultant_id) == consultant_id, running_assignments(on))
    ).all()
    used_hours = sum(
        seat_hours(a.hours_per_week, case.intervention_type, a.role, case.requested_start, on)
        for a, case in rows
    )
    return float(used_hours), {a.case_id for a, _ in rows}


def seat_hours(
    hours: float,
    intervention_type: InterventionType,
    role: AssignmentRole,
    start: dt.datetime,
    on: dt.date,
) -> float:
    """The hours a week a seat of ordered `hours` takes on `on`, in its course's phase."""
    return hours * phase_table().seat_share(intervention_type.value, role.value, start.date(), on)


def employment_problem(consultant: Consultant, on: dt.date) -> str | None:
    if consultant.active_from > on or (
        consultant.active_to is not None and consultant.active_to < on
    ):
        return f"consultant {consultant.id} is not employed on {on.isoformat()}"
    return None


def capacity_problem(
    session: Session,
    consultant: Consultant,
    case: Case,
    role: AssignmentRole,
    hours: float,
    on: dt.date,
) -> str | None:
    """Why the consultant cannot take a `role` seat of `hours` ordered hours on `case`
    from `on` (fresh reads); the seat counts in the phase the course is in on `on`."""
    employment = employment_problem(consultant, on)
    if employment is not None:
        return employment
    assert consultant.id is not None and case.id is not None
    case_id = case.id
    if case.status is not CaseStatus.REQUESTED:
        # A running course's seat in the phase it has reached; a request's course begins
        # with this seat, in its first phase (the ordered hours).
        hours = seat_hours(hours, case.intervention_type, role, case.requested_start, on)
    used_hours, cases = consultant_load(session, consultant.id, on)
    free = family_capacity(session, consultant, on) - used_hours
    if free + _EPSILON < hours:
        return (
            f"consultant {consultant.id} has only {max(free, 0):.1f} h/week free "
            f"of the {hours:g} h needed (family hours after the reserved share and absences)"
        )
    if case_id not in cases and len(cases) >= consultant.max_cases:
        return f"consultant {consultant.id} already has the maximum of {consultant.max_cases} cases"
    return None


def family_capacity(session: Session, consultant: Consultant, on: dt.date) -> float:
    """Family hours a week the consultant can carry from `on`, counted as ranking and the
    batch count them (`matcher.rules.horizon_capacity`): contracted hours less the
    reserved share (`MatchSettings.reserved_share`), in the leanest week of the horizon
    given the absences."""
    settings = MatchSettings()
    horizon_end = on + dt.timedelta(weeks=settings.horizon_weeks)
    absences = tuple(
        DateRange(a.start, a.end)
        for a in session.exec(
            select(Absence).where(
                col(Absence.consultant_id) == consultant.id,
                col(Absence.end) >= on,
                col(Absence.start) < horizon_end,
            )
        )
    )
    return horizon_capacity(settings, consultant.contracted_hours_per_week, absences, on)


def overload_problem(
    session: Session,
    consultant: Consultant,
    on: dt.date,
    *,
    reserve: bool = True,
    allowed_hours: float | None = None,
) -> str | None:
    """Why the consultant's assignments from `on` on exceed their capacity, if they do.

    Capacity is family hours, as ranking, the batch and the confirm count it: the reserved
    share of the contract (travel, documentation, supervision) is never planned. Absences
    are not subtracted: a holiday does not make a running book of work an overload. A
    døgnindsats roster's publish passes ``reserve=False``: the roster plans working time
    against the whole contract under the working-time law (its shifts include handovers
    and the documentation done in the home), so its write-back is held to that. An
    optimisation's apply passes the load before its moves as `allowed_hours`: like the
    batch, it lets a consultant already over their family hours keep that load."""
    assert consultant.id is not None
    used_hours, cases = consultant_load(session, consultant.id, on)
    contract = consultant.contracted_hours_per_week
    limit = MatchSettings().family_hours(contract) if reserve else contract
    if allowed_hours is not None:
        limit = max(limit, allowed_hours)
    if used_hours > limit + _EPSILON:
        of = (
            f"the {limit:.1f} family hours of a {contract:g}-hour contract (after the reserved "
            "share)"
            if reserve
            else f"a {contract:g}-hour contract"
        )
        return f"consultant {consultant.id} would work {used_hours:.1f} h/week of {of}"
    if len(cases) > consultant.max_cases:
        return f"consultant {consultant.id} would have {len(cases)} cases of {consultant.max_cases}"
    return None


def coordinator_overload_problem(
    session: Session, coordinator: Coordinator, on: dt.date
) -> str | None:
    """Why the coordinator's running cases exceed their caseload, if they do."""
    load = len(
        session.exec(
            select(Assignment.case_id).where(
                col(Assignment.coordinator_id) == coordinator.id, running_assignments(on)
            )
        ).all()
    )
    if load > coordinator.max_caseload:
        return (
            f"coordinator {coordinator.id} would exceed the caseload of {coordinator.max_caseload}"
        )
    return None


def course_problem(case: Case, start: dt.date) -> str | None:
    """Why an assignment of `case` may not start on `start`: the case has ended, or its
    expected end is before `start`."""
    if case.status is CaseStatus.ENDED:
        return f"case {case.id} has ended"
    if case.expected_end is not None and start > case.expected_end:
        return (
            f"case {case.id} is expected to end on {case.expected_end.isoformat()}, "
            f"before {start.isoformat()}"
        )
    return None


def _rises_from(session: Session, condition: ColumnElement[bool], on: dt.date) -> list[dt.date]:
    """`on` and every later day a running assignment matching `condition` starts: the
    only days a seat can fill up, so checking them checks every day from `on` on."""
    later = session.exec(
        select(col(Assignment.start))
        .where(condition, running_assignments(on), col(Assignment.start) > on)
        .distinct()
    ).all()
    return [on, *sorted(later)]


def seat_problem(session: Session, case_id: int, on: dt.date) -> str | None:
    """Why the case has more than one running consultant in a seat on a day from `on`
    on, if it does. A døgnindsats is covered by a team: one primary and as many support
    members as its published roster writes back."""
    case = session.get(Case, case_id)
    team = case is not None and case.intervention_type is InterventionType.DOGNINDSATS
    roles = (AssignmentRole.PRIMARY,) if team else (AssignmentRole.PRIMARY, AssignmentRole.SUPPORT)
    for day in _rises_from(session, col(Assignment.case_id) == case_id, on):
        for role in roles:
            running = session.exec(
                select(Assignment.id).where(
                    col(Assignment.case_id) == case_id,
                    col(Assignment.role) == role,
                    col(Assignment.consultant_id).is_not(None),
                    running_assignments(day),
                    col(Assignment.start) <= day,
                )
            ).all()
            if len(running) > 1:
                ids = ", ".join(str(i) for i in sorted(i for i in running if i is not None))
                return (
                    f"case {case_id} would have {len(running)} running {role.value}s ({ids}) "
                    f"on {day.isoformat()}"
                )
    return None


def consultant_problem(session: Session, consultant_id: int, on: dt.date) -> str | None:
    """The capacity invariant of one consultant from `on` on (fresh reads)."""
    consultant = session.get(Consultant, consultant_id)
    if consultant is None:
        return f"consultant {consultant_id} no longer exists"
    session.refresh(consultant)
    return overload_problem(session, consultant, on)
