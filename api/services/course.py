"""End and renewal of a course: cases due for a decision, an extension (audited), and
how ended courses ended against their aim (9 months for family treatment).

A course's aim and the decision window are data (`data/reference/follow_up_cadences.toml`).
A case is due for a decision from `decision_window_days` before its aim; once extended,
its next decision is due at its new expected end.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select, update

from api.audit import record
from api.auth import Principal
from api.schemas.follow_ups import CaseExtension, CaseExtensionResult, CourseDecision
from api.services.errors import Conflict, Invalid, NotFound
from api.services.follow_ups import course_end, course_start, regenerate
from api.services.invariants import consultant_problem, running_assignments
from api.services.scope import case_in_scope
from data.follow_ups import CourseEnd, aim_date, course_end_against_aim, load_cadences
from data.models import Assignment, AssignmentRole, Case, CaseStatus, InterventionType
from data.ops_models import AuditAction
from data.settings import get_settings

#: What a decision may be: end the course, extend it with new hours, convert its type.
OPTIONS = ["end", "extend", "convert"]


def decision_due(case: Case, aim: dt.date) -> dt.date:
    """The aim; after an extension, the expected end it was extended to."""
    if case.extensions and case.expected_end is not None:
        return case.expected_end
    return aim


def due_for_decision(
    session: Session, principal: Principal, today: dt.date, within_days: int | None = None
) -> list[CourseDecision]:
    """Running cases the caller may read whose decision falls due by `today` +
    `within_days` (default: the configured window), earliest first."""
    cadences = load_cadences(get_settings().follow_up_cadences)
    window = cadences.course.decision_window_days if within_days is None else within_days
    horizon = today + dt.timedelta(days=window)
    decisions = []
    for case in session.exec(
        select(Case)
        .where(col(Case.status) == CaseStatus.ACTIVE, case_in_scope(session, principal))
        .order_by(col(Case.id))
    ).all():
        start = course_start(session, case)
        aim = aim_date(cadences.of(case.intervention_type), start)
        if aim is None or case.id is None:
            continue
        due = decision_due(case, aim)
        if due > horizon:
            continue
        decisions.append(
            CourseDecision(
                case_id=case.id,
                intervention_type=case.intervention_type,
                start=start,
                aim=aim,
                decision_due=due,
                expected_end=case.expected_end,
                extensions=case.extensions,
                hours_per_week=case.hours_per_week,
                options=OPTIONS,
            )
        )
    return sorted(decisions, key=lambda d: (d.decision_due, d.case_id))


def extend_case(
    session: Session, case_id: int, body: CaseExtension, actor_key_id: int | None, today: dt.date
) -> CaseExtensionResult:
    try:
        result = _extend(session, case_id, body, actor_key_id, today)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return result


def _extend(
    session: Session, case_id: int, body: CaseExtension, actor_key_id: int | None, today: dt.date
) -> CaseExtensionResult:
    """Extend (and maybe resize or convert) a running course, all or nothing: the case's
    version is bumped (a stale `body.version` is a `Conflict`), its running seats take the
    new hours under the capacity and lock invariants, the follow-ups are replanned, and
    the change is audited as ``case.extend``."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("case", case_id)
    session.refresh(case)
    if case.status is not CaseStatus.ACTIVE:
        raise Conflict(f"case {case_id} is {case.status.value}: only a running course is extended")
    if case.intervention_type is InterventionType.DOGNINDSATS and body.intervention_type:
        raise Invalid.field("body.intervention_type", "a døgnindsats is not converted")
    floor = max(today, case.expected_end or today)
    if body.expected_end <= floor:
        raise Invalid.field("body.expected_end", f"must be after {floor.isoformat()}")
    if body.support_hours_per_week and not case.needs_support_person:
        raise Invalid.field("body.support_hours_per_week", "this case has no support person")
    expected = body.version if body.version is not None else case.version
    changes = {
        "expected_end": body.expected_end,
        "hours_per_week": body.hours_per_week,
        "support_hours_per_week": body.support_hours_per_week,
        "visits_per_week": body.visits_per_week,
        "intervention_type": body.intervention_type,
    }
    values = {name: value for name, value in changes.items() if value is not None}
    changed = session.exec(
        update(Case)
        .where(col(Case.id) == case_id, col(Case.version) == expected)
        .values(**values, version=col(Case.version) + 1, extensions=col(Case.extensions) + 1)
    )
    if changed.rowcount != 1:
        raise Conflict(f"case {case_id} changed since you read it (you sent version {expected})")
    resized = _resize_seats(session, case_id, body, today)
    planned = regenerate(session, case_id)
    session.refresh(case)
    record(
        session,
        actor_key_id,
        AuditAction.CASE_EXTEND,
        "case",
        [case_id],
        resized_assignment_ids=resized or None,
        extensions=case.extensions,
    )
    return CaseExtensionResult(
        case_id=case_id,
        version=case.version,
        extensions=case.extensions,
        expected_end=body.expected_end,
        intervention_type=case.intervention_type,
        resized_assignment_ids=resized,
        follow_ups_planned=planned,
    )


def _resize_seats(session: Session, case_id: int, body: CaseExtension, today: dt.date) -> list[int]:
    """Give the running primary and support seats their new hours (a locked seat is not
    resized: unlock it first); then every consultant touched must still fit."""
    hours = {
        AssignmentRole.PRIMARY: body.hours_per_week,
        AssignmentRole.SUPPORT: body.support_hours_per_week,
    }
    resized: list[int] = []
    for row in session.exec(
        select(Assignment)
        .where(col(Assignment.case_id) == case_id, running_assignments(today))
        .order_by(col(Assignment.id))
    ).all():
        new = hours.get(row.role)
        if new is None or row.consultant_id is None or new == row.hours_per_week:
            continue
        if row.locked:
            raise Conflict(f"assignment {row.id} is locked and cannot be resized; unlock it first")
        row.hours_per_week = new
        row.version += 1
        session.add(row)
        session.flush()
        reason = consultant_problem(session, row.consultant_id, today)
        if reason is not None:
            raise Conflict(reason)
        resized.append(row.id or 0)
    return resized


# ------------------------------------------------------------------ course figures


@dataclass(frozen=True, slots=True)
class CourseFigures:
    """Ended courses of types with an aim, by how they ended against it."""

    ended: int
    at_aim: int
    early: int
    late: int
    extended: int

    @property
    def share_at_aim(self) -> float:
        return self.at_aim / self.ended if self.ended else 0.0


def course_figures(session: Session) -> dict[InterventionType, CourseFigures]:
    """Per intervention type with an aim (9 months for family treatment), its ended
    courses by how they ended against the aim; types without ended courses are left out."""
    cadences = load_cadences(get_settings().follow_up_cadences)
    counts: dict[InterventionType, Counter[CourseEnd]] = {}
    extended: Counter[InterventionType] = Counter()
    for case in session.exec(select(Case).where(col(Case.status) == CaseStatus.ENDED)).all():
        end = course_end(session, case)
        if end is None:
            continue
        kind = case.intervention_type
        how = course_end_against_aim(
            cadences.of(kind), cadences.course, course_start(session, case), end
        )
        if how is CourseEnd.NO_AIM:
            continue
        counts.setdefault(kind, Counter())[how] += 1
        extended[kind] += case.extensions > 0
    return {
        kind: CourseFigures(
            ended=sum(per.values()),
            at_aim=per[CourseEnd.AT_AIM],
            early=per[CourseEnd.EARLY],
            late=per[CourseEnd.LATE],
            extended=extended[kind],
        )
        for kind, per in sorted(counts.items())
    }
