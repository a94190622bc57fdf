"""Follow-ups: each case's plan (regenerated when its course changes), done marks,
scoped lists, overdue counts, the weekly load per coordinator and a calendar feed.

The plan comes from `data.follow_ups.plan_follow_ups` and the case's type's cadence;
its owner is the case's running coordinator. Regenerating replaces the open follow-ups
and keeps the done ones (a done follow-up with the same kind and due date is not planned
again). Scope: an admin reads every follow-up, a team leader those of their offices'
coordinators; reception places families and does not read the coordinators' calendar.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, true
from sqlmodel import Session, col, delete, select, update

from api.audit import record
from api.auth import Principal
from api.schemas.follow_ups import FollowUpDone, FollowUpPublic
from api.services.errors import Conflict, Forbidden, Invalid, NotFound
from api.services.ics import CalendarEvent
from data.follow_ups import PlannedFollowUp, load_cadences, plan_follow_ups
from data.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseStatus,
    Coordinator,
    FollowUp,
    FollowUpKind,
)
from data.ops_models import AuditAction, Role
from data.settings import get_settings

KIND_LABELS = {
    FollowUpKind.MUNICIPAL_FOLLOW_UP: "Follow-up with the municipality",
    FollowUpKind.STATUS_REPORT: "Status report due",
    FollowUpKind.NETWORK_MEETING: "Network meeting",
    FollowUpKind.AFTER_END_CALL: "Follow-up call after the end",
}


# ------------------------------------------------------------------ the plan


def course_start(session: Session, case: Case) -> dt.date:
    """The course's first day: its earliest assignment, else the requested start."""
    first = session.exec(
        select(func.min(Assignment.start)).where(col(Assignment.case_id) == case.id)
    ).one()
    return first if first is not None else case.requested_start.date()


def course_end(session: Session, case: Case) -> dt.date | None:
    """An ended case's last day (its assignments' last end, else its expected end); a
    running one's expected end."""
    if case.status is CaseStatus.ENDED:
        last = session.exec(
            select(func.max(Assignment.end)).where(col(Assignment.case_id) == case.id)
        ).one()
        return last if last is not None else case.expected_end
    return case.expected_end


def case_coordinator(session: Session, case: Case) -> int | None:
    """The coordinator of the case's latest coordinator assignment (running first)."""
    rows = session.exec(
        select(col(Assignment.coordinator_id), col(Assignment.status), col(Assignment.start)).where(
            col(Assignment.case_id) == case.id,
            col(Assignment.role) == AssignmentRole.COORDINATOR,
        )
    ).all()
    if not rows:
        return None
    running = case.status is not CaseStatus.ENDED
    latest = max(rows, key=lambda row: (running and row[1] is not AssignmentStatus.ENDED, row[2]))
    owner: int | None = latest[0]
    return owner


def case_plan(session: Session, case: Case) -> list[PlannedFollowUp]:
    cadences = load_cadences(get_settings().follow_up_cadences)
    return plan_follow_ups(
        cadences.of(case.intervention_type),
        cadences.course,
        course_start(session, case),
        course_end(session, case),
    )


def regenerate(session: Session, case_id: int) -> int:
    """Replace the case's open follow-ups by its current plan (in the caller's
    transaction); a case not yet started has none. Returns the number planned."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("case", case_id)
    session.refresh(case)
    session.exec(
        delete(FollowUp).where(col(FollowUp.case_id) == case_id, col(FollowUp.done_on).is_(None))
    )
    if case.status is CaseStatus.REQUESTED:
        return 0
    done = {
        (kind, due)
        for kind, due in session.exec(
            select(col(FollowUp.kind), col(FollowUp.due)).where(col(FollowUp.case_id) == case_id)
        ).all()
    }
    owner = case_coordinator(session, case)
    planned = [item for item in case_plan(session, case) if (item.kind, item.due) not in done]
    for item in planned:
        session.add(FollowUp(case_id=case_id, coordinator_id=owner, kind=item.kind, due=item.due))
    session.flush()
    return len(planned)


# ------------------------------------------------------------------ scope and reads


def follow_up_in_scope(principal: Principal) -> ColumnElement[bool]:
    """SQL condition on `FollowUp`: admins all; team leaders their offices' coordinators'."""
    if principal.is_admin:
        return true()
    if principal.role is not Role.TEAM_LEADER or not principal.office_ids:
        return false()
    ours = select(Coordinator.id).where(
        col(Coordinator.office_id).in_(sorted(principal.office_ids))
    )
    return col(FollowUp.coordinator_id).in_(ours)


def _require_office_in_scope(principal: Principal, office_id: int) -> None:
    if not principal.may_act_for_offices({office_id}):
        raise Forbidden(f"office {office_id} is outside your scope")


def _public(rows: Sequence[FollowUp], session: Session, today: dt.date) -> list[FollowUpPublic]:
    ids = sorted({row.coordinator_id for row in rows if row.coordinator_id is not None})
    office_of = dict(
        session.exec(
            select(Coordinator.id, Coordinator.office_id).where(col(Coordinator.id).in_(ids))
        ).all()
    )
    return [
        FollowUpPublic.model_validate(
            {
                **row.model_dump(),
                "office_id": office_of.get(row.coordinator_id or 0),
                "overdue": row.done_on is None and row.due < today,
            }
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class FollowUpFilter:
    due_before: dt.date | None = None
    office_id: int | None = None
    coordinator_id: int | None = None
    case_id: int | None = None
    #: Only follow-ups not yet done.
    open_only: bool = True
    #: Only open follow-ups due before the planning date.
    overdue_only: bool = False


def list_follow_ups(
    session: Session,
    principal: Principal,
    wanted: FollowUpFilter,
    today: dt.date,
    skip: int = 0,
    limit: int = 50,
) -> tuple[list[FollowUpPublic], int]:
    """A page of the follow-ups the caller may read, by due date; an office outside a
    team leader's scope is `Forbidden`."""
    if wanted.office_id is not None:
        _require_office_in_scope(principal, wanted.office_id)
    query = select(FollowUp).where(follow_up_in_scope(principal))
    if wanted.due_before is not None:
        query = query.where(col(FollowUp.due) < wanted.due_before)
    if wanted.office_id is not None:
        of_office = select(Coordinator.id).where(col(Coordinator.office_id) == wanted.office_id)
        query = query.where(col(FollowUp.coordinator_id).in_(of_office))
    if wanted.coordinator_id is not None:
        query = query.where(col(FollowUp.coordinator_id) == wanted.coordinator_id)
    if wanted.case_id is not None:
        query = query.where(col(FollowUp.case_id) == wanted.case_id)
    if wanted.open_only or wanted.overdue_only:
        query = query.where(col(FollowUp.done_on).is_(None))
    if wanted.overdue_only:
        query = query.where(col(FollowUp.due) < today)
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(FollowUp.due), col(FollowUp.id)).offset(skip).limit(limit)
    ).all()
    return _public(rows, session, today), count


def mark_done(
    session: Session,
    principal: Principal,
    follow_up_id: int,
    body: FollowUpDone,
    today: dt.date,
) -> FollowUpPublic:
    """Mark a follow-up done on `body.done_on` (default `today`), audited."""
    row = session.get(FollowUp, follow_up_id)
    if row is None:
        raise NotFound("follow-up", follow_up_id)
    visible = session.exec(
        select(FollowUp.id).where(col(FollowUp.id) == follow_up_id, follow_up_in_scope(principal))
    ).first()
    if visible is None:
        raise Forbidden(f"follow-up {follow_up_id} belongs to offices outside your scope")
    done_on = body.done_on or today
    if done_on > today:
        raise Invalid.field("body.done_on", f"after the planning date {today.isoformat()}")
    expected = body.version if body.version is not None else row.version
    changed = session.exec(
        update(FollowUp)
        .where(
            col(FollowUp.id) == follow_up_id,
            col(FollowUp.version) == expected,
            col(FollowUp.done_on).is_(None),
        )
        .values(done_on=done_on, version=col(FollowUp.version) + 1)
    )
    if changed.rowcount != 1:
        session.rollback()
        raise Conflict(
            f"follow-up {follow_up_id} is already done or changed since you read it "
            f"(you sent version {expected})"
        )
    record(
        session,
        principal.key_id,
        AuditAction.FOLLOW_UP_DONE,
        "follow_up",
        [follow_up_id],
        case_id=row.case_id,
        coordinator_id=row.coordinator_id,
    )
    session.commit()
    session.refresh(row)
    return _public([row], session, today)[0]


# ------------------------------------------------------------------ figures


@dataclass(frozen=True, slots=True)
class FollowUpCounts:
    open: int
    overdue: int
    due_within_14_days: int


def follow_up_counts(session: Session, today: dt.date) -> FollowUpCounts:
    """Open follow-ups of the whole book: all, overdue, due in the next 14 days."""
    dues = session.exec(select(col(FollowUp.due)).where(col(FollowUp.done_on).is_(None))).all()
    soon = today + dt.timedelta(days=14)
    return FollowUpCounts(
        open=len(dues),
        overdue=sum(due < today for due in dues),
        due_within_14_days=sum(today <= due < soon for due in dues),
    )


def overdue_by_office(session: Session, today: dt.date) -> dict[int | None, int]:
    """Overdue follow-ups per coordinator's office (None: no coordinator)."""
    rows = session.exec(
        select(Coordinator.office_id, func.count())
        .select_from(FollowUp)
        .join(Coordinator, col(Coordinator.id) == col(FollowUp.coordinator_id), isouter=True)
        .where(col(FollowUp.done_on).is_(None), col(FollowUp.due) < today)
        .group_by(col(Coordinator.office_id))
    ).all()
    return {office: count for office, count in rows}


@dataclass(frozen=True, slots=True)
class WeeklyLoad:
    """Follow-ups due per coordinator per week: the weeks' Mondays and, per coordinator
    id, one count per week (open and done alike: the load the cadence puts on them)."""

    weeks: tuple[dt.date, ...]
    counts: dict[int, tuple[int, ...]]
    offices: dict[int, int]


def weekly_load(session: Session, first_day: dt.date, weeks: int) -> WeeklyLoad:
    monday = first_day - dt.timedelta(days=first_day.weekday())
    mondays = tuple(monday + dt.timedelta(weeks=k) for k in range(weeks))
    end = monday + dt.timedelta(weeks=weeks)
    per: Counter[tuple[int, int]] = Counter()
    for coordinator_id, due in session.exec(
        select(col(FollowUp.coordinator_id), col(FollowUp.due)).where(
            col(FollowUp.coordinator_id).is_not(None),
            col(FollowUp.due) >= monday,
            col(FollowUp.due) < end,
        )
    ).all():
        per[(coordinator_id or 0, (due - monday).days // 7)] += 1
    offices = {
        c.id: c.office_id
        for c in session.exec(select(Coordinator).order_by(col(Coordinator.id)))
        if c.id is not None
    }
    counts = {cid: tuple(per[(cid, k)] for k in range(weeks)) for cid in offices}
    return WeeklyLoad(mondays, counts, offices)


# ------------------------------------------------------------------ the calendar


def calendar_events(
    session: Session, principal: Principal, coordinator_id: int
) -> list[CalendarEvent]:
    """The coordinator's open follow-ups as all-day events (ids only: a feed ends up on
    phones). `Forbidden` for a coordinator of an office outside the caller's scope."""
    coordinator = session.get(Coordinator, coordinator_id)
    if coordinator is None:
        raise NotFound("coordinator", coordinator_id)
    _require_office_in_scope(principal, coordinator.office_id)
    rows = session.exec(
        select(FollowUp)
        .where(col(FollowUp.coordinator_id) == coordinator_id, col(FollowUp.done_on).is_(None))
        .order_by(col(FollowUp.due), col(FollowUp.id))
    ).all()
    return [
        CalendarEvent(
            uid=f"follow-up-{row.id}@famplan",
            start=row.due,
            end=row.due + dt.timedelta(days=1),
            summary=f"{KIND_LABELS[row.kind]}: case {row.case_id}",
            description=f"famplan follow-up {row.id}",
        )
        for row in rows
    ]
