"""Repairing a published døgnindsats roster after a change (sick days, a consultant
leaving the team, a longer horizon): the change is checked at once, a queued repair
job re-plans the roster against today's data and the published shifts, and stores the
result as a draft to publish in the published roster's place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from api.audit import record
from api.jobs.params import RepairParams
from api.problems import conflict, invalid_field
from api.schemas.rosters import (
    DiffEntryOut,
    ExtendRepair,
    RepairCreate,
    RepairJobResult,
    SickRepair,
)
from api.services.errors import Invalid, NotFound
from api.services.jobs import Report, SolutionCounter, Wake, reproducible, submit_job
from api.services.planning_date import DANISH_TIME
from api.services.roster_problem import (
    StoredRosterParams,
    build_problem,
    day_index,
    horizon_minutes,
)
from api.services.rosters import nothing_found, store_result, stored_seed, work_per_second
from data.ops_models import AuditAction, JobKind, Roster, RosterShift, RosterStatus

if TYPE_CHECKING:
    from roster.problem import Assignment as RosterAssignment
    from roster.problem import RosterProblem
    from roster.repair import Change, RepairResult


def published_assignments(session: Session, roster: Roster) -> tuple[RosterAssignment, ...]:
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
) -> tuple[RosterProblem, Change, dict[str, object]]:
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


def repair_now(change: RepairCreate, as_of: dt.date) -> dt.datetime:
    """The moment of a repair: the change's `now`, else the start of `as_of` (Danish)."""
    return change.now or dt.datetime.combine(as_of, dt.time(0), tzinfo=DANISH_TIME)


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
    now = repair_now(change, today)
    if isinstance(change, SickRepair) and change.end < now.astimezone(DANISH_TIME).date():
        raise invalid_field("body.end", "the sick days lie before now; a repair keeps the past")
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
        days=StoredRosterParams.model_validate(params).days,
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
    if params.change is None:  # a case's end is cut by `run_case_end_job`
        raise Invalid.field("change", "a repair job needs its change")
    problem, change, roster_params = repair_change(session, parent, params.change)
    worked_days = max(0, min((params.as_of - problem.start_date).days, problem.days))
    now = repair_now(params.change, params.as_of)
    progress = SolutionCounter(report)
    outcome = repair(
        problem,
        published_assignments(session, parent),
        change,
        time_limit=params.time_limit_seconds,
        seed=stored_seed(roster_params),
        num_workers=2,
        freeze_before_day=worked_days,
        now_minute=horizon_minutes(problem.start_date, now),
        freeze_minutes=round(params.change.freeze_hours * 60),
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


def repair_job_result(
    child: Roster, outcome: RepairResult, params: RepairParams
) -> dict[str, object]:
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
        bound_by=result.bound_by,
        uncovered_shifts=len(result.uncovered),
        violations=len(child.violations),
        changed_assignments=outcome.changed_assignments,
        changed_days=[start + dt.timedelta(days=d) for d in outcome.changed_days],
        notice_changes=(
            {str(k): v for k, v in outcome.notice.counts.items()} if outcome.notice else {}
        ),
        notice_supplement_hours=outcome.notice.supplement_hours if outcome.notice else 0.0,
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
        message=None if result.found else nothing_found(result),
    ).model_dump(mode="json")
