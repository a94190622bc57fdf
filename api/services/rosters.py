"""Døgnindsats rosters: database → `roster.RosterProblem` → solve / repair → stored rows.

The request's parameters (cases, horizon, template, cover, rules) are kept on the
`Roster` row, so a repair rebuilds the same problem from today's data (absences,
other rosters, contracts) and re-plans against the published shifts.

Times: a horizon starts at midnight (Danish time) of `start_date`; shift times are
wall-clock starts converted to UTC, durations added in UTC (correct across DST).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, delete, select

from api.audit import record
from api.problems import conflict, invalid_field
from api.services.jobs import Report, reproducible, solve_with_progress
from data.models import (
    Absence,
    Assignment,
    AssignmentStatus,
    Case,
    CaseLanguage,
    Consultant,
    ConsultantLanguage,
    InterventionType,
    PersonGroup,
)
from data.ops_models import AuditAction, Roster, RosterShift, RosterStatus, utcnow
from solving.status import SolveStatus

DANISH_TIME = ZoneInfo("Europe/Copenhagen")

#: Rule overrides accepted in hours (request) → `RosterRules` fields in minutes.
RULE_HOURS = {
    "min_rest_hours": "min_rest_minutes",
    "weekly_rest_hours": "weekly_rest_minutes",
    "max_average_weekly_hours": "max_average_weekly_minutes",
    "max_shift_hours": "max_shift_minutes",
}
RULE_COUNTS = ("max_consecutive_nights", "max_consecutive_working_days")


# ------------------------------------------------------------------ time


def shift_times(
    start_date: dt.date, day: int, start_minute: int, minutes: int
) -> tuple[dt.datetime, dt.datetime]:
    """UTC start and end of a shift worked on `day` of a horizon from `start_date`."""
    date = start_date + dt.timedelta(days=day)
    local = dt.datetime.combine(date, dt.time(0), tzinfo=DANISH_TIME) + dt.timedelta(
        minutes=start_minute
    )
    start = local.replace(tzinfo=None).replace(tzinfo=DANISH_TIME).astimezone(dt.UTC)
    return start, start + dt.timedelta(minutes=minutes)


def day_index(start_date: dt.date, moment: dt.datetime) -> int:
    """The horizon day a shift starting at `moment` belongs to."""
    return (moment.astimezone(DANISH_TIME).date() - start_date).days


def horizon_minutes(start_date: dt.date, moment: dt.datetime) -> int:
    origin = dt.datetime.combine(start_date, dt.time(0), tzinfo=DANISH_TIME).astimezone(dt.UTC)
    return int((moment.astimezone(dt.UTC) - origin).total_seconds() // 60)


# ------------------------------------------------------------------ problem


def build_problem(session: Session, params: dict[str, Any], exclude_roster_ids: set[int]) -> Any:
    """The roster problem for `params` from today's database."""
    from roster.problem import Case as RosterCase
    from roster.problem import CoverDemand, Employee, RosterProblem, RosterRules
    from roster.templates import template

    start = dt.date.fromisoformat(params["start_date"])
    days = int(params["days"])
    end = start + dt.timedelta(days=days - 1)
    shifts = template(params["template"])
    case_ids: list[int] = params["case_ids"]

    consultants = session.exec(
        select(Consultant)
        .where(col(Consultant.office_id).in_(params["office_ids"]))
        .where(Consultant.active_from <= end)
        .where(col(Consultant.active_to).is_(None) | (col(Consultant.active_to) >= start))
        .order_by(col(Consultant.id))
    ).all()
    pool = [c for c in consultants if InterventionType.DOGNINDSATS.value in c.intervention_types]
    if params.get("consultant_ids"):
        wanted = set(params["consultant_ids"])
        pool = [c for c in pool if c.id in wanted]
    ids = [c.id for c in pool if c.id is not None]
    languages: dict[int, list[str]] = {i: [] for i in ids}
    for row in session.exec(
        select(ConsultantLanguage).where(col(ConsultantLanguage.consultant_id).in_(ids))
    ):
        languages[row.consultant_id].append(row.tag)
    absent: dict[int, set[int]] = {i: set() for i in ids}
    for absence in session.exec(
        select(Absence).where(
            col(Absence.consultant_id).in_(ids), Absence.start <= end, Absence.end >= start
        )
    ):
        first = max(absence.start, start)
        last = min(absence.end, end)
        absent[absence.consultant_id] |= {
            (first - start).days + k for k in range((last - first).days + 1)
        }
    committed: dict[int, float] = {i: 0.0 for i in ids}
    for assignment in session.exec(
        select(Assignment).where(
            col(Assignment.consultant_id).in_(ids),
            col(Assignment.status) != AssignmentStatus.ENDED,
            col(Assignment.case_id).not_in(case_ids),
        )
    ):
        if assignment.end is None or assignment.end >= start:
            committed[assignment.consultant_id or 0] += assignment.hours_per_week
    busy: dict[int, list[tuple[int, int]]] = {i: [] for i in ids}
    other_rosters = [
        r.id
        for r in session.exec(select(Roster).where(Roster.status == RosterStatus.PUBLISHED))
        if r.id not in exclude_roster_ids and not set(r.case_ids) & set(case_ids)
    ]
    if other_rosters:
        for shift in session.exec(
            select(RosterShift).where(
                col(RosterShift.roster_id).in_(other_rosters),
                col(RosterShift.consultant_id).in_(ids),
            )
        ):
            busy[shift.consultant_id or 0].append(
                (horizon_minutes(start, shift.start), horizon_minutes(start, shift.end))
            )

    employees = tuple(
        Employee(
            id=str(c.id),
            contract_minutes_per_week=round(c.contracted_hours_per_week * 60),
            committed_minutes=round(committed[c.id or 0] * 60 * days / 7),
            busy=tuple(sorted(busy[c.id or 0])),
            absences=frozenset(absent[c.id or 0]),
            works_nights=c.takes_night_shifts,
            languages=tuple(languages[c.id or 0]),
            gender=str(c.gender.value) if c.gender else None,
        )
        for c in pool
    )
    cases = tuple(
        RosterCase(id=str(case_id), language=_family_language(session, case_id))
        for case_id in case_ids
    )
    per_shift = int(params.get("consultants_per_shift", 1))
    cover = tuple(
        CoverDemand(case=str(case_id), day=d, shift=s.id, required=per_shift)
        for case_id in case_ids
        for d in range(days)
        for s in shifts
    )
    rules = RosterRules(
        **{
            field: value * 60
            for name, field in RULE_HOURS.items()
            if (value := params.get(name)) is not None
        },
        **{name: value for name in RULE_COUNTS if (value := params.get(name)) is not None},
    )
    return RosterProblem(
        start_date=start,
        days=days,
        shift_types=shifts,
        employees=employees,
        cases=cases,
        cover=cover,
        rules=rules,
    )


def _family_language(session: Session, case_id: int) -> str | None:
    rows = session.exec(
        select(CaseLanguage).where(CaseLanguage.case_id == case_id).order_by(col(CaseLanguage.id))
    ).all()
    parents = [r.tag for r in rows if r.person_group is PersonGroup.PARENTS]
    tags = parents or [r.tag for r in rows]
    return tags[0] if tags else None


# ------------------------------------------------------------------ storing


def store_result(session: Session, roster: Roster, problem: Any, result: Any) -> None:
    """Write a solver result onto `roster` (shifts, team, KPIs, validator verdict)."""
    from roster.validate import validate

    session.exec(delete(RosterShift).where(col(RosterShift.roster_id) == roster.id))
    roster.solver_status = SolveStatus(result.status).value
    roster.objective = result.objective
    roster.bound = result.bound
    roster.runtime_seconds = round(result.seconds, 3)
    roster.days = problem.days
    roster.uncovered = [dataclasses.asdict(u) for u in result.uncovered]
    if not result.found:
        roster.status = RosterStatus.FAILED
        roster.team, roster.kpis, roster.violations = [], {}, []
        session.add(roster)
        return
    roster.status = RosterStatus.DRAFT
    roster.violations = [dataclasses.asdict(v) for v in validate(problem, result.roster)]
    roster.kpis = dataclasses.asdict(result.kpis) if result.kpis is not None else {}
    roster.team = sorted({int(a.employee) for a in result.roster})
    assert roster.id is not None
    for a in result.roster:
        shift = problem.shift[a.shift]
        start, end = shift_times(
            problem.start_date, a.day, shift.start_minute, shift.duration_minutes
        )
        session.add(
            RosterShift(
                roster_id=roster.id,
                case_id=int(a.case),
                consultant_id=int(a.employee),
                shift_code=a.shift,
                start=start,
                end=end,
            )
        )
    session.add(roster)


def solve_roster_job(
    session: Session, job_id: int, params: dict[str, Any], report: Report
) -> dict[str, Any]:
    """The worker's roster runner: solve and store the roster created with the job."""
    from roster.solve import SearchParameters, solve

    roster = session.exec(select(Roster).where(Roster.job_id == job_id)).one()
    assert roster.id is not None
    problem = build_problem(session, params, {roster.id})
    search = SearchParameters(
        deterministic=reproducible(params), work_per_second=work_per_second(params)
    )
    result = solve_with_progress(partial(solve, parameters=search), problem, params, report)
    store_result(session, roster, problem, result)
    session.commit()
    return {
        "roster_id": roster.id,
        "status": roster.solver_status,
        "objective": result.objective,
        "bound": result.bound,
        "uncovered_shifts": len(result.uncovered),
        "violations": len(roster.violations),
        "message": None if result.found else _nothing_found(result),
    }


def work_per_second(params: dict[str, Any]) -> float:
    """The work rate a roster's reproducible searches count their limit at: the one it
    was planned with, the engine's default for rosters stored before the setting."""
    from roster.clock import WORK_PER_SECOND

    return float(params.get("work_per_second") or WORK_PER_SECOND)


def _nothing_found(result: Any) -> str:
    if result.status is SolveStatus.INFEASIBLE:
        return "the working-time rules cannot all hold with this pool; widen the pool or the rules"
    return "no roster was found within the time limit; allow more time"


# ------------------------------------------------------------------ repair


def published_assignments(session: Session, roster: Roster) -> tuple[Any, ...]:
    from roster.problem import Assignment as RosterAssignment

    start = dt.date.fromisoformat(roster.params["start_date"])
    rows = session.exec(select(RosterShift).where(RosterShift.roster_id == roster.id)).all()
    return tuple(
        sorted(
            RosterAssignment(
                day=day_index(start, row.start),
                shift=row.shift_code,
                case=str(row.case_id),
                employee=str(row.consultant_id),
            )
            for row in rows
            if row.consultant_id is not None
        )
    )


def repair_roster(
    session: Session,
    roster: Roster,
    change: dict[str, Any],
    time_limit: float,
    actor_key_id: int | None,
    today: dt.date | None = None,
) -> tuple[Roster, Any]:
    """Re-plan a published roster after `change`; the repaired roster is a new draft."""
    from roster.repair import ExtendHorizon, LeavesTeam, SickDays, repair

    if roster.status is not RosterStatus.PUBLISHED:
        raise conflict(
            f"roster {roster.id} is {roster.status.value}; only a published roster is repaired"
        )
    assert roster.id is not None
    params = dict(roster.params)
    start = dt.date.fromisoformat(params["start_date"])
    problem = build_problem(session, params, {roster.id})
    kind = change["kind"]
    repair_change: Any
    if kind == "extend":
        repair_change = ExtendHorizon(extra_days=int(change["extra_days"]))
        params["days"] = int(params["days"]) + int(change["extra_days"])
    else:
        employee = str(change["consultant_id"])
        if employee not in problem.employee:
            raise invalid_field("body.consultant_id", "not in this roster's pool")
        if kind == "sick":
            first = max((dt.date.fromisoformat(change["start"]) - start).days, 0)
            last = min((dt.date.fromisoformat(change["end"]) - start).days, problem.days - 1)
            if first > last:
                raise invalid_field("body.start", "the sick days lie outside the roster's horizon")
            repair_change = SickDays(employee=employee, days=tuple(range(first, last + 1)))
        else:
            from_day = (dt.date.fromisoformat(change["from_date"]) - start).days
            if not 0 <= from_day < problem.days:
                raise invalid_field("body.from_date", "outside the roster's horizon")
            repair_change = LeavesTeam(employee=employee, from_day=from_day)
    worked_days = max(0, min(((today or dt.date.today()) - start).days, problem.days))
    outcome = repair(
        problem,
        published_assignments(session, roster),
        repair_change,
        time_limit=time_limit,
        seed=int(params.get("seed", 0)),
        num_workers=2,
        freeze_before_day=worked_days,
        deterministic=reproducible(params),
        work_per_second=work_per_second(params),
    )
    child = Roster(
        parent_id=roster.id,
        status=RosterStatus.PENDING,
        case_ids=list(roster.case_ids),
        office_ids=list(roster.office_ids),
        horizon_start=roster.horizon_start,
        days=outcome.problem.days,
        template=roster.template,
        params=params,
    )
    session.add(child)
    session.flush()
    store_result(session, child, outcome.problem, outcome.result)
    assert child.id is not None
    record(
        session,
        actor_key_id,
        AuditAction.ROSTER_REPAIR,
        "roster",
        [child.id],
        parent_roster_id=roster.id,
        consultant_id=change.get("consultant_id"),
    )
    session.commit()
    session.refresh(child)
    return child, outcome


def publish_roster(session: Session, roster: Roster, actor_key_id: int | None) -> Roster:
    if roster.status is not RosterStatus.DRAFT:
        raise conflict(
            f"roster {roster.id} is {roster.status.value}; only a draft can be published"
        )
    if roster.violations:
        raise conflict(
            f"roster {roster.id} breaks {len(roster.violations)} working-time rule(s); "
            "it cannot be published"
        )
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
    )
    session.commit()
    session.refresh(roster)
    return roster


def case_rows(session: Session, case_ids: list[int]) -> list[Case]:
    return list(session.exec(select(Case).where(col(Case.id).in_(case_ids))).all())
