"""Publishing a døgnindsats roster and withdrawing it: the re-checks against the
other published rosters, and the team written back as the cases' assignments (ended
again when the roster is withdrawn).
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.audit import record
from api.problems import conflict
from api.services.assignments import bump_version, lock_consultants
from api.services.invariants import overload_problem, running_assignments
from api.services.planning_date import DANISH_TIME
from api.services.roster_problem import StoredRosterParams, other_roster_shifts
from api.services.stored_shifts import worked_minutes
from api.services.teams import team_roles
from data.models import Assignment, AssignmentRole, AssignmentStatus, Case, CaseStatus, Consultant
from data.ops_models import AuditAction, Roster, RosterShift, RosterStatus, as_utc, utcnow


def double_booking(session: Session, roster: Roster) -> str | None:
    """Why publishing `roster` would book a consultant twice, or None: one of its shifts
    overlaps a shift of another published roster (other cases; the parent it supersedes
    excepted), or leaves less than the minimum rest before or after one. Fresh reads,
    inside the publishing transaction after the team's rows are locked."""
    assert roster.id is not None
    rest = dt.timedelta(hours=int(roster.params.get("min_rest_hours") or 11))
    own = session.exec(
        select(RosterShift)
        .where(RosterShift.roster_id == roster.id, col(RosterShift.consultant_id).is_not(None))
        .order_by(col(RosterShift.start))
    ).all()
    team = sorted({s.consultant_id for s in own if s.consultant_id is not None})
    if not team:
        return None
    excluded = {roster.id} | ({roster.parent_id} if roster.parent_id is not None else set())
    others: dict[int, list[RosterShift]] = {}
    for shift in other_roster_shifts(
        session, team, list(roster.case_ids), excluded, (RosterStatus.PUBLISHED,)
    ):
        others.setdefault(shift.consultant_id or 0, []).append(shift)
    for mine in own:
        start, end = as_utc(mine.start), as_utc(mine.end)
        for theirs in others.get(mine.consultant_id or 0, []):
            other_start, other_end = as_utc(theirs.start), as_utc(theirs.end)
            if start < other_end and other_start < end:
                why = "overlaps"
            elif start < other_end + rest and other_start < end + rest:
                why = f"leaves less than {rest.total_seconds() / 3600:g} h rest before or after"
            else:
                continue
            return (
                f"consultant {mine.consultant_id} would be booked twice: shift "
                f"{mine.shift_code} at {start.isoformat()} {why} shift {theirs.shift_code} at "
                f"{other_start.isoformat()} of published roster {theirs.roster_id}"
            )
    return None


def _broken_across_rosters(session: Session, roster: Roster) -> str | None:
    """`roster_across.broken_with_published` with the roster's rules and horizon."""
    from api.services.roster_across import broken_with_published
    from roster.problem import RosterRules

    try:
        rules = StoredRosterParams.model_validate(roster.params).rules(RosterRules())
    except ValidationError:
        rules = RosterRules()  # stored without its parameters (made by hand): the defaults
    start = as_utc(roster.horizon_start).astimezone(DANISH_TIME).date()
    return broken_with_published(session, roster, rules, start, roster.days)


def publish_roster(session: Session, roster: Roster, actor_key_id: int | None) -> Roster:
    """Publish a draft and write its team back as the cases' assignments, all in one
    transaction. The cases and then the team's consultant rows are locked first (the
    order every capacity write takes), and the roster is re-checked against the other
    published rosters, so two rosters planned at the same time never both book one
    person, nor together break a rule that reaches across rosters (weekly rest, the
    averages over the reference period, runs of days and nights)."""
    if roster.status is not RosterStatus.DRAFT:
        raise conflict(
            f"roster {roster.id} is {roster.status.value}; only a draft can be published"
        )
    if roster.violations:
        raise conflict(
            f"roster {roster.id} breaks {len(roster.violations)} working-time rule(s); "
            "it cannot be published"
        )
    try:
        for case_id in sorted(roster.case_ids):
            bump_version(session, Case, case_id)
        lock_consultants(session, roster.team, "team")
        reason = double_booking(session, roster) or _broken_across_rosters(session, roster)
        if reason is not None:
            raise conflict(f"roster {roster.id} cannot be published: {reason}")
        written, ended = write_team_assignments(session, roster)
    except BaseException:
        session.rollback()
        raise
    roster.status = RosterStatus.PUBLISHED
    roster.published_at = utcnow()
    roster.version += 1
    session.add(roster)
    superseded: list[int] = []
    if roster.parent_id is not None:
        parent = session.get(Roster, roster.parent_id)
        if parent is not None and parent.status is RosterStatus.PUBLISHED:
            parent.status = RosterStatus.SUPERSEDED
            parent.version += 1
            session.add(parent)
            superseded.append(roster.parent_id)
    assert roster.id is not None
    record(
        session,
        actor_key_id,
        AuditAction.ROSTER_PUBLISH,
        "roster",
        [roster.id],
        superseded_roster_ids=superseded or None,
        assignment_ids=written or None,
        ended_assignment_ids=ended or None,
    )
    session.commit()
    session.refresh(roster)
    return roster


def unpublish_roster(
    session: Session, roster: Roster, actor_key_id: int | None, today: dt.date
) -> Roster:
    """Withdraw a published roster: it becomes a draft again (it can be changed and
    published anew; as a draft it still holds its consultants for other rosters), and the
    team assignments its publication wrote end — so matching, the batch and the
    capacity figures see their hours free again. One transaction; the cases and the
    team are locked first, as publishing locks them."""
    if roster.status is not RosterStatus.PUBLISHED:
        raise conflict(
            f"roster {roster.id} is {roster.status.value}; only a published roster is unpublished"
        )
    assert roster.id is not None
    try:
        for case_id in sorted(roster.case_ids):
            bump_version(session, Case, case_id)
        lock_consultants(session, roster.team, "team")
        ended = end_team_assignments(session, roster, today - dt.timedelta(days=1))
    except BaseException:
        session.rollback()
        raise
    roster.status = RosterStatus.DRAFT
    roster.published_at = None
    roster.version += 1
    session.add(roster)
    record(
        session,
        actor_key_id,
        AuditAction.ROSTER_UNPUBLISH,
        "roster",
        [roster.id],
        ended_assignment_ids=ended or None,
    )
    session.commit()
    session.refresh(roster)
    return roster


def end_team_assignments(session: Session, roster: Roster, last_day: dt.date) -> list[int]:
    """End the running assignments of the roster's team on its cases — the ones its
    publication wrote (`write_team_assignments`) — on `last_day` (on their start if they
    start later: then they never ran). Returns their ids."""
    rows = session.exec(
        select(Assignment)
        .where(
            col(Assignment.case_id).in_(roster.case_ids),
            col(Assignment.consultant_id).in_(roster.team),
            running_assignments(last_day),
        )
        .order_by(col(Assignment.id))
    ).all()
    for assignment in rows:
        assignment.status = AssignmentStatus.ENDED
        assignment.end = max(assignment.start, last_day)
        assignment.version += 1
        session.add(assignment)
    return [a.id for a in rows if a.id is not None]


def team_hours(session: Session, roster: Roster) -> dict[int, dict[int, float]]:
    """Case → consultant → average hours per week the roster gives them there (the
    contract count: a sleep-in night counts its counted minutes, not its length)."""
    from roster.templates import template

    counted = {s.id: s.minutes for s in template(roster.template)}
    days = int(roster.params.get("days", roster.days))
    minutes: dict[int, dict[int, int]] = {case_id: {} for case_id in roster.case_ids}
    for shift in session.exec(
        select(RosterShift).where(
            RosterShift.roster_id == roster.id, col(RosterShift.consultant_id).is_not(None)
        )
    ):
        worked = minutes.setdefault(shift.case_id, {})
        consultant = shift.consultant_id or 0
        duration = worked_minutes(shift)
        worked[consultant] = worked.get(consultant, 0) + counted.get(shift.shift_code, duration)
    return {
        case_id: {c: round(m * 7 / days / 60, 2) for c, m in worked.items()}
        for case_id, worked in minutes.items()
    }


def write_team_assignments(session: Session, roster: Roster) -> tuple[list[int], list[int]]:
    """Make each case's running consultant assignments the roster's team: one per
    member with the member's average weekly hours (updated when it exists, created
    from the roster's start otherwise), the one with most hours primary unless a
    member already is; a consultant no longer on the team has the assignment ended the
    day before the roster starts. Capacity is re-checked with fresh reads (a `Conflict`
    names the consultant). Returns the ids written and the ids ended."""
    start = dt.date.fromisoformat(roster.params["start_date"])
    written: list[int] = []
    ended: list[int] = []
    for case_id, hours in sorted(team_hours(session, roster).items()):
        running = list(
            session.exec(
                select(Assignment)
                .where(
                    col(Assignment.case_id) == case_id,
                    col(Assignment.consultant_id).is_not(None),
                    running_assignments(start),
                )
                .order_by(col(Assignment.id))
            ).all()
        )
        by_consultant = {a.consultant_id: a for a in running}
        primary = next((a.consultant_id for a in running if a.role is AssignmentRole.PRIMARY), None)
        # the running primary stays; otherwise the member with most hours
        roles = team_roles(sorted(hours, key=lambda c: (-hours[c], c)), primary)
        for assignment in running:
            if assignment.consultant_id in hours:
                continue
            assignment.status = AssignmentStatus.ENDED
            assignment.end = max(assignment.start, start - dt.timedelta(days=1))
            assignment.version += 1
            session.add(assignment)
            ended.append(assignment.id or 0)
        for consultant_id in sorted(hours):
            role = roles[consultant_id]
            row = by_consultant.get(consultant_id)
            if row is None:
                row = Assignment(
                    case_id=case_id,
                    consultant_id=consultant_id,
                    role=role,
                    hours_per_week=hours[consultant_id],
                    start=start,
                    status=AssignmentStatus.CONFIRMED,
                )
            else:
                row.hours_per_week = hours[consultant_id]
                row.role = role
                row.status = AssignmentStatus.CONFIRMED
                row.version += 1
            session.add(row)
            session.flush()
            written.append(row.id or 0)
        session.flush()
        for consultant_id in sorted(hours):
            consultant = session.get(Consultant, consultant_id)
            assert consultant is not None
            session.refresh(consultant)
            # Held to the contract, as the roster plans it (see `overload_problem`).
            reason = overload_problem(session, consultant, start, reserve=False)
            if reason is not None:
                raise conflict(f"roster {roster.id} cannot be published: {reason}")
        case = session.get(Case, case_id)
        if case is not None and case.status is CaseStatus.REQUESTED:
            case.status = CaseStatus.ACTIVE
            session.add(case)
    return written, ended
