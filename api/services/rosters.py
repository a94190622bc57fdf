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
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, delete, func, select

from api.audit import record
from api.auth import Principal
from api.jobs.params import RepairParams, RosterParams
from api.problems import conflict, invalid_field
from api.schemas.rosters import (
    DiffEntryOut,
    ExtendRepair,
    RepairCreate,
    RepairJobResult,
    SickRepair,
)
from api.services.errors import NotFound
from api.services.jobs import (
    Report,
    SolutionCounter,
    Wake,
    reproducible,
    submit_job,
)
from api.services.scope import within_office_scope
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
from data.ops_models import (
    AuditAction,
    Job,
    JobKind,
    JobStatus,
    Roster,
    RosterCaseLink,
    RosterOfficeLink,
    RosterShift,
    RosterStatus,
    utcnow,
)

if TYPE_CHECKING:
    from roster.problem import RosterProblem
    from roster.repair import Change, RepairResult
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
    sharing_a_case = select(RosterCaseLink.roster_id).where(
        col(RosterCaseLink.case_id).in_(case_ids)
    )
    other_rosters = session.exec(
        select(Roster.id).where(
            Roster.status == RosterStatus.PUBLISHED,
            col(Roster.id).not_in(exclude_roster_ids),
            col(Roster.id).not_in(sharing_a_case),
        )
    ).all()
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
    # a search stopped on request says so (its roster, if any, is the best found by then)
    status = SolveStatus.CANCELLED if result.cancelled else SolveStatus(result.status)
    roster.solver_status = status.value
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
    session: Session,
    job_id: int,
    params: RosterParams,
    report: Report,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """The worker's roster runner: solve and store the roster created with the job. A
    cancelled search (`should_stop`) stores its best roster as a draft whose
    `solver_status` says "cancelled"."""
    from roster.solve import SearchParameters, solve

    roster = session.exec(select(Roster).where(Roster.job_id == job_id)).one()
    assert roster.id is not None
    stored = params.stored()
    problem = build_problem(session, stored, {roster.id})
    search = SearchParameters(
        deterministic=params.reproducible, work_per_second=work_per_second(stored)
    )
    progress = SolutionCounter(report)
    result = solve(
        problem,
        time_limit=params.time_limit_seconds,
        seed=params.seed,
        num_workers=2,
        parameters=search,
        on_solution=progress,
        should_stop=should_stop,
    )
    # forced: the throttle may have swallowed the last solutions' writes
    report(result.objective, result.bound, progress.solutions, force=True)
    store_result(session, roster, problem, result)
    session.commit()
    return {
        "roster_id": roster.id,
        "status": roster.solver_status,
        "cancelled": result.cancelled,
        "objective": result.objective,
        "bound": result.bound,
        "uncovered_shifts": len(result.uncovered),
        "violations": len(roster.violations),
        "message": None if result.found else _nothing_found(result),
    }


def work_per_second(params: Mapping[str, Any]) -> float:
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


def repair_change(
    session: Session, roster: Roster, change: RepairCreate
) -> tuple[RosterProblem, Change, dict[str, Any]]:
    """The problem of published `roster` from today's data, `change` in the solver's
    terms (`roster.repair`), and the params of the repaired roster. Raises `Invalid`
    naming the field when the change does not fit the roster."""
    from roster.repair import ExtendHorizon, LeavesTeam, SickDays

    assert roster.id is not None
    params = dict(roster.params)
    start = dt.date.fromisoformat(params["start_date"])
    problem = build_problem(session, params, {roster.id})
    if isinstance(change, ExtendRepair):
        params["days"] = int(params["days"]) + change.extra_days
        return problem, ExtendHorizon(extra_days=change.extra_days), params
    employee = str(change.consultant_id)
    if employee not in problem.employee:
        raise invalid_field("body.consultant_id", "not in this roster's pool")
    if isinstance(change, SickRepair):
        first = max((change.start - start).days, 0)
        last = min((change.end - start).days, problem.days - 1)
        if first > last:
            raise invalid_field("body.start", "the sick days lie outside the roster's horizon")
        return problem, SickDays(employee=employee, days=tuple(range(first, last + 1))), params
    from_day = (change.from_date - start).days
    if not 0 <= from_day < problem.days:
        raise invalid_field("body.from_date", "outside the roster's horizon")
    return problem, LeavesTeam(employee=employee, from_day=from_day), params


def submit_repair(
    session: Session,
    roster: Roster,
    change: RepairCreate,
    actor_key_id: int | None,
    today: dt.date,
    time_limit: float | None = None,
    wake: Wake = None,
    claimed_by: str | None = None,
) -> Roster:
    """Queue the repair of a published roster after `change` as a job (a repair's
    priority: ahead of new rosters and batch runs); return the repaired roster, pending
    until the job has stored it as a draft. `today`: shifts before it were worked and are
    kept. The change is checked against the roster now, so a bad one is refused at once.
    `claimed_by`: the job is created running for that worker id (the CLI runs it).
    """
    if roster.status is not RosterStatus.PUBLISHED:
        raise conflict(
            f"roster {roster.id} is {roster.status.value}; only a published roster is repaired"
        )
    assert roster.id is not None
    _problem, _change, params = repair_change(session, roster, change)
    job_params = RepairParams(
        roster_id=roster.id,
        change=change,
        time_limit_seconds=time_limit or change.time_limit_seconds,
        as_of=today,
    )
    job = submit_job(
        session,
        JobKind.REPAIR,
        job_params.stored(),
        list(roster.office_ids),
        actor_key_id,
        start=False,
        claimed_by=claimed_by,
    )
    child = Roster(
        job_id=job.id,
        parent_id=roster.id,
        status=RosterStatus.PENDING,
        case_ids=list(roster.case_ids),
        office_ids=list(roster.office_ids),
        horizon_start=roster.horizon_start,
        days=int(params["days"]),
        template=roster.template,
        params=params,
    )
    session.add(child)
    session.flush()
    assert child.id is not None
    record(
        session,
        actor_key_id,
        AuditAction.ROSTER_REPAIR,
        "roster",
        [child.id],
        parent_roster_id=roster.id,
        consultant_id=getattr(change, "consultant_id", None),
    )
    session.commit()
    session.refresh(child)
    if wake is not None:
        wake()
    return child


def run_repair_job(
    session: Session,
    job_id: int,
    params: RepairParams,
    report: Report,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[Roster, RepairResult]:
    """The repair job's work (the worker's runner and the CLI): re-plan the published
    roster against today's data and store the result on the roster created with the job.
    A cancelled search stores its best roster, its `solver_status` "cancelled"."""
    from roster.repair import repair

    child = session.exec(select(Roster).where(Roster.job_id == job_id)).first()
    if child is None or child.parent_id is None:
        raise NotFound("repaired roster of job", job_id)
    parent = session.get(Roster, child.parent_id)
    if parent is None:
        raise NotFound("roster", child.parent_id)
    if parent.status is not RosterStatus.PUBLISHED:
        raise conflict(
            f"roster {parent.id} is {parent.status.value}; only a published roster is repaired"
        )
    problem, change, roster_params = repair_change(session, parent, params.change)
    start = dt.date.fromisoformat(roster_params["start_date"])
    worked_days = max(0, min((params.as_of - start).days, problem.days))
    progress = SolutionCounter(report)
    outcome = repair(
        problem,
        published_assignments(session, parent),
        change,
        time_limit=params.time_limit_seconds,
        seed=int(roster_params.get("seed", 0)),
        num_workers=2,
        freeze_before_day=worked_days,
        deterministic=reproducible(roster_params),
        work_per_second=work_per_second(roster_params),
        on_solution=progress,
        should_stop=should_stop,
    )
    result = outcome.result
    report(result.objective, result.bound, progress.solutions, force=True)
    child.days = outcome.problem.days
    child.params = roster_params
    store_result(session, child, outcome.problem, result)
    session.commit()
    session.refresh(child)
    return child, outcome


def repair_job_result(child: Roster, outcome: RepairResult, params: RepairParams) -> dict[str, Any]:
    """The repair job's result (`RepairJobResult`, as JSON): the repaired roster, its
    figures and the diff against the published roster (dates, not day numbers)."""
    assert child.id is not None and child.parent_id is not None
    start = dt.date.fromisoformat(child.params["start_date"])
    result = outcome.result
    return RepairJobResult(
        roster_id=child.id,
        parent_id=child.parent_id,
        status=child.solver_status,
        cancelled=result.cancelled,
        objective=result.objective,
        bound=result.bound,
        uncovered_shifts=len(result.uncovered),
        violations=len(child.violations),
        changed_assignments=outcome.changed_assignments,
        changed_days=[start + dt.timedelta(days=d) for d in outcome.changed_days],
        diff=[
            DiffEntryOut(
                case_id=int(d.case),
                day=d.day,
                date=start + dt.timedelta(days=d.day),
                shift_code=d.shift,
                removed=[int(e) for e in d.removed],
                added=[int(e) for e in d.added],
            )
            for d in outcome.diff
        ],
        message=None if result.found else _nothing_found(result),
    ).model_dump(mode="json")


def job_ended_without_roster(job: Job | None) -> bool:
    """Whether a pending roster's job ended without storing it (failed, or cancelled
    before it started)."""
    return job is not None and job.status in (JobStatus.FAILED, JobStatus.CANCELLED)


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


# ------------------------------------------------------------------ listing


def list_visible_rosters(
    session: Session,
    principal: Principal,
    *,
    status: RosterStatus | None = None,
    case_id: int | None = None,
    skip: int = 0,
    limit: int = 20,
) -> tuple[list[Roster], int]:
    """One page of the rosters `principal` may see, newest first, and how many match."""
    conditions = [
        within_office_scope(
            principal,
            col(Roster.id),
            col(RosterOfficeLink.roster_id),
            col(RosterOfficeLink.office_id),
        )
    ]
    if status is not None:
        conditions.append(col(Roster.status) == status)
    if case_id is not None:
        conditions.append(
            select(RosterCaseLink.case_id)
            .where(
                col(RosterCaseLink.roster_id) == col(Roster.id),
                col(RosterCaseLink.case_id) == case_id,
            )
            .exists()
        )
    count = session.exec(select(func.count()).select_from(Roster).where(*conditions)).one()
    rows = session.exec(
        select(Roster).where(*conditions).order_by(col(Roster.id).desc()).offset(skip).limit(limit)
    ).all()
    return list(rows), count
