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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, col, delete, func, select

from api.audit import record
from api.auth import Principal
from api.jobs.params import RepairParams, RosterParams
from api.problems import conflict, invalid_field
from api.schemas.rosters import (
    END_NOTICE_DAYS,
    CaseEnd,
    CaseEndResult,
    DiffEntryOut,
    ExtendRepair,
    RepairCreate,
    RepairJobResult,
    SickRepair,
)
from api.services.assignments import bump_version, lock_consultants
from api.services.cases import case_family_language
from api.services.errors import Invalid, NotFound
from api.services.follow_ups import regenerate as regenerate_follow_ups
from api.services.invariants import overload_problem, running_assignments
from api.services.jobs import (
    Report,
    SolutionCounter,
    Wake,
    reproducible,
    submit_job,
)
from api.services.scope import within_office_scope
from api.services.stored_shifts import shift_kind, shifts_with_template, worked_minutes
from api.services.teams import team_roles
from data.models import (
    Absence,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseStatus,
    Consultant,
    ConsultantLanguage,
    InterventionType,
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
    as_utc,
    utcnow,
)

if TYPE_CHECKING:
    from roster.problem import Assignment as RosterAssignment
    from roster.problem import RosterProblem, RosterRules
    from roster.repair import Change, RepairResult
    from roster.result import RosterResult
from solving.status import SolveStatus

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


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


class StoredRosterParams(BaseModel):
    """What `build_problem` reads of a roster's stored parameters (`Roster.params`, the
    job's `RosterParams` plus what later changes added, e.g. `case_ends`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    start_date: dt.date
    days: int = Field(ge=1)
    template: str
    case_ids: list[int]
    office_ids: list[int] = Field(default_factory=list)
    consultant_ids: list[int] = Field(default_factory=list)
    consultants_per_shift: int = 1
    #: An ended case (`end_case`) needs nobody after its last day.
    case_ends: dict[int, dt.date] = Field(default_factory=dict)
    min_rest_hours: int | None = None
    weekly_rest_hours: int | None = None
    max_average_weekly_hours: int | None = None
    reference_period_days: int | None = None
    max_shift_hours: int | None = None
    max_sleep_in_hours: int | None = None
    max_consecutive_nights: int | None = None
    max_consecutive_working_days: int | None = None

    def rules(self, defaults: RosterRules) -> RosterRules:
        """`defaults` with this roster's overrides (hours in the request, minutes in the
        rules); an override left out keeps the default."""

        def minutes(hours: int | None, default: int | None) -> int | None:
            return default if hours is None else hours * 60

        return dataclasses.replace(
            defaults,
            min_rest_minutes=minutes(self.min_rest_hours, defaults.min_rest_minutes),
            weekly_rest_minutes=minutes(self.weekly_rest_hours, defaults.weekly_rest_minutes),
            max_average_weekly_minutes=minutes(
                self.max_average_weekly_hours, defaults.max_average_weekly_minutes
            ),
            reference_period_days=self.reference_period_days or defaults.reference_period_days,
            max_shift_minutes=minutes(self.max_shift_hours, defaults.max_shift_minutes),
            max_sleep_in_minutes=minutes(self.max_sleep_in_hours, defaults.max_sleep_in_minutes),
            max_consecutive_nights=(
                defaults.max_consecutive_nights
                if self.max_consecutive_nights is None
                else self.max_consecutive_nights
            ),
            max_consecutive_working_days=(
                defaults.max_consecutive_working_days
                if self.max_consecutive_working_days is None
                else self.max_consecutive_working_days
            ),
        )


def build_problem(
    session: Session, params: Mapping[str, object], exclude_roster_ids: set[int]
) -> RosterProblem:
    """The roster problem for `params` from today's database."""
    from roster.problem import Case as RosterCase
    from roster.problem import CoverDemand, Employee, ProblemError, RosterProblem, RosterRules
    from roster.templates import template

    try:
        stored = StoredRosterParams.model_validate(params)
    except ValidationError as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
        raise Invalid.field("params", "stored roster parameters: " + ", ".join(fields)) from None
    start = stored.start_date
    days = stored.days
    end = start + dt.timedelta(days=days - 1)
    shifts = template(stored.template)
    case_ids = stored.case_ids

    consultants = session.exec(
        select(Consultant)
        .where(col(Consultant.office_id).in_(stored.office_ids))
        .where(Consultant.active_from <= end)
        .where(col(Consultant.active_to).is_(None) | (col(Consultant.active_to) >= start))
        .order_by(col(Consultant.id))
    ).all()
    pool = [c for c in consultants if InterventionType.DOGNINDSATS.value in c.intervention_types]
    if stored.consultant_ids:
        wanted = set(stored.consultant_ids)
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
    for shift in other_roster_shifts(session, ids, case_ids, exclude_roster_ids):
        busy[shift.consultant_id or 0].append(
            (horizon_minutes(start, shift.start), horizon_minutes(start, shift.end))
        )
    rules = stored.rules(RosterRules())
    reach = max(HISTORY_DAYS, rules.reference_period_days or 0)
    history = _history(session, ids, exclude_roster_ids, start, reach)
    # A draft's team has no assignments yet (publishing writes them): its shifts in this
    # horizon count as hours already used, as a published roster's assignments do.
    for consultant_id, minutes in draft_minutes(
        session, ids, case_ids, exclude_roster_ids, start, end
    ):
        committed[consultant_id] += minutes * 7 / days / 60

    employees = tuple(
        Employee(
            id=str(c.id),
            contract_minutes_per_week=round(c.contracted_hours_per_week * 60),
            committed_minutes=round(committed[c.id or 0] * 60 * days / 7),
            busy=tuple(sorted(busy[c.id or 0])),
            history=history.shifts.get(c.id or 0, ()),
            worked_days_before=history.worked_days.get(c.id or 0, 0),
            nights_before=history.nights.get(c.id or 0, 0),
            absences=frozenset(absent[c.id or 0]),
            works_nights=c.takes_night_shifts,
            languages=tuple(languages[c.id or 0]),
            gender=str(c.gender.value) if c.gender else None,
        )
        for c in pool
    )
    cases = tuple(
        RosterCase(id=str(case_id), language=case_family_language(session, case_id))
        for case_id in case_ids
    )
    per_shift = stored.consultants_per_shift
    # an ended case (`end_case`) needs nobody after its last day
    last_day = {case_id: (date - start).days for case_id, date in stored.case_ends.items()}
    cover = tuple(
        CoverDemand(case=str(case_id), day=d, shift=s.id, required=per_shift)
        for case_id in case_ids
        for d in range(days)
        for s in shifts
        if d <= last_day.get(case_id, days)
    )
    try:
        return RosterProblem(
            start_date=start,
            days=days,
            shift_types=shifts,
            employees=employees,
            cases=cases,
            cover=cover,
            rules=rules,
        )
    except ProblemError as error:
        # e.g. a roster stored before the 8 h floor on the daily rest, now repaired
        field = "body.min_rest_hours" if "min_rest" in str(error) else "params"
        raise Invalid.field(field, str(error)) from None


#: Rosters whose shifts hold their consultants: published ones, and drafts (planned,
#: awaiting publication) — a pending roster has no shifts until its job stores them.
HOLDING_STATUSES = (RosterStatus.PUBLISHED, RosterStatus.DRAFT)


def other_roster_shifts(
    session: Session,
    consultant_ids: list[int],
    case_ids: list[int],
    exclude_roster_ids: set[int],
    statuses: tuple[RosterStatus, ...] = HOLDING_STATUSES,
) -> list[RosterShift]:
    """The shifts of `consultant_ids` in every other roster that holds them (published or
    draft) — except rosters of the same cases, which the new roster replaces — so two
    rosters planned for two cases of one office never book one person twice."""
    sharing_a_case = select(RosterCaseLink.roster_id).where(
        col(RosterCaseLink.case_id).in_(case_ids)
    )
    other_rosters = select(Roster.id).where(
        col(Roster.status).in_(statuses),
        col(Roster.id).not_in(exclude_roster_ids),
        col(Roster.id).not_in(sharing_a_case),
    )
    return list(
        session.exec(
            select(RosterShift)
            .where(
                col(RosterShift.roster_id).in_(other_rosters),
                col(RosterShift.consultant_id).in_(consultant_ids),
            )
            .order_by(col(RosterShift.id))
        ).all()
    )


#: How far back the history of earlier rosters is read at least (rest, consecutive
#: days); the 48-hour average reads back over its reference period.
HISTORY_DAYS = 14


@dataclasses.dataclass(frozen=True)
class History:
    """Per consultant: the shifts worked before a horizon (minutes from its start), and
    the consecutive days, and nights, worked up to the day before it."""

    shifts: dict[int, tuple[tuple[int, int], ...]]
    worked_days: dict[int, int]
    nights: dict[int, int]


def _history(
    session: Session,
    consultant_ids: list[int],
    exclude_roster_ids: set[int],
    start: dt.date,
    reach_days: int,
) -> History:
    """Carry the past over: the shifts of `consultant_ids` in every roster that holds them
    (any case, the same cases included: a new roster does not replace them before its
    start) starting in the `reach_days` before `start`. The problem counts them for the
    48-hour average over the reference period and holds the daily and weekly rest
    around them; the runs of days and nights worked up to the day before `start`
    continue into the consecutive-day limits."""
    from roster.templates import template

    origin = dt.datetime.combine(start, dt.time(0), tzinfo=DANISH_TIME).astimezone(dt.UTC)
    rows = shifts_with_template(
        session,
        HOLDING_STATUSES,
        consultant_ids,
        exclude_roster_ids,
        col(RosterShift.start) < origin,
        col(RosterShift.start) >= origin - dt.timedelta(days=reach_days),
    )
    shifts: dict[int, set[tuple[int, int]]] = {}
    worked: dict[int, set[int]] = {}
    nights: dict[int, set[int]] = {}
    for shift, template_name in rows:
        consultant = shift.consultant_id or 0
        day = day_index(start, as_utc(shift.start))
        worked.setdefault(consultant, set()).add(day)
        if any(s.night for s in template(template_name) if s.id == shift.shift_code):
            nights.setdefault(consultant, set()).add(day)
        shifts.setdefault(consultant, set()).add(
            (horizon_minutes(start, shift.start), horizon_minutes(start, shift.end))
        )
    return History(
        shifts={c: tuple(sorted(s)) for c, s in shifts.items()},
        worked_days={c: _run_before(days) for c, days in worked.items()},
        nights={c: _run_before(days) for c, days in nights.items()},
    )


def _run_before(days: set[int]) -> int:
    run = 0
    while -(run + 1) in days:
        run += 1
    return run


def draft_minutes(
    session: Session,
    consultant_ids: list[int],
    case_ids: list[int],
    exclude_roster_ids: set[int],
    first: dt.date,
    last: dt.date,
) -> list[tuple[int, int]]:
    """(consultant, counted minutes) of each shift in another draft roster that starts
    between `first` and `last` (the contract count of its template)."""
    sharing_a_case = select(RosterCaseLink.roster_id).where(
        col(RosterCaseLink.case_id).in_(case_ids)
    )
    rows = shifts_with_template(
        session,
        (RosterStatus.DRAFT,),
        consultant_ids,
        exclude_roster_ids,
        col(Roster.id).not_in(sharing_a_case),
    )
    out = []
    for shift, template_name in rows:
        if not 0 <= day_index(first, as_utc(shift.start)) <= (last - first).days:
            continue
        kind = shift_kind(shift, template_name)
        out.append((shift.consultant_id or 0, kind.minutes if kind else worked_minutes(shift)))
    return out


# ------------------------------------------------------------------ storing


def store_result(
    session: Session, roster: Roster, problem: RosterProblem, result: RosterResult
) -> None:
    """Write a solver result onto `roster` (shifts, team, KPIs, validator verdict)."""
    from roster.validate import validate

    session.exec(delete(RosterShift).where(col(RosterShift.roster_id) == roster.id))
    # a search stopped on request says so (its roster, if any, is the best found by then)
    status = SolveStatus.CANCELLED if result.cancelled else SolveStatus(result.status)
    roster.solver_status = status.value
    roster.objective = result.objective
    roster.bound = result.bound
    roster.bound_by = result.bound_by
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
) -> dict[str, object]:
    """The worker's roster runner: solve and store the roster created with the job. A
    cancelled search (`should_stop`) stores its best roster as a draft whose
    `solver_status` says "cancelled"."""
    from roster.parameters import SearchParameters
    from roster.solve import solve

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
        "bound_by": result.bound_by,
        "uncovered_shifts": len(result.uncovered),
        "violations": len(roster.violations),
        "message": None if result.found else _nothing_found(result),
    }


def _seed(params: Mapping[str, object]) -> int:
    seed = params.get("seed", 0)
    return seed if isinstance(seed, int) else 0


def work_per_second(params: Mapping[str, object]) -> float:
    """The work rate a roster's reproducible searches count their limit at: the one it
    was planned with, the engine's default for rosters stored before the setting."""
    from roster.clock import WORK_PER_SECOND

    rate = params.get("work_per_second")
    return float(rate) if isinstance(rate, int | float) and rate > 0 else WORK_PER_SECOND


def _nothing_found(result: RosterResult) -> str:
    if result.status is SolveStatus.INFEASIBLE:
        return "the working-time rules cannot all hold with this pool; widen the pool or the rules"
    return "no roster was found within the time limit; allow more time"


# ------------------------------------------------------------------ repair


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
        seed=_seed(roster_params),
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
        message=None if result.found else _nothing_found(result),
    ).model_dump(mode="json")


def job_ended_without_roster(job: Job | None) -> bool:
    """Whether a pending roster's job ended without storing it (failed, or cancelled
    before it started)."""
    return job is not None and job.status in (JobStatus.FAILED, JobStatus.CANCELLED)


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


def end_case(
    session: Session,
    case_id: int,
    body: CaseEnd,
    actor_key_id: int | None,
    today: dt.date,
    wake: Wake = None,
) -> CaseEndResult:
    """End a døgnindsats on `body.end_date`. Every published roster of the case that
    runs past that day is cut there by a repair job (`run_case_end_job`, the repair
    kind: the answer is pending, its `job_ids` to poll); publishing a cut ends the team's
    assignments that day, so the freed hours show in matching. A case without such a
    roster ends at once. Less than `END_NOTICE_DAYS` days' notice needs a reason, which
    is audited with the notice given."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("case", case_id)
    if case.intervention_type is not InterventionType.DOGNINDSATS:
        raise Invalid.field("case_id", "not a døgnindsats case")
    if body.end_date < today:
        raise Invalid.field("body.end_date", "in the past")
    short_notice = (body.end_date - today).days < END_NOTICE_DAYS
    if short_notice and not body.reason:
        raise Invalid.field(
            "body.end_date",
            f"less than {END_NOTICE_DAYS} days' notice; give the reason for a shorter one",
        )
    reason = body.reason if short_notice else None
    bump_version(session, Case, case_id)
    parents = [
        parent
        for parent in session.exec(
            select(Roster)
            .where(
                Roster.status == RosterStatus.PUBLISHED,
                col(Roster.id).in_(
                    select(RosterCaseLink.roster_id).where(RosterCaseLink.case_id == case_id)
                ),
            )
            .order_by(col(Roster.id))
        ).all()
        if _runs_past(session, parent, case_id, body.end_date)
    ]
    pending = session.exec(
        select(Roster).where(
            col(Roster.parent_id).in_([p.id for p in parents]),
            Roster.status == RosterStatus.PENDING,
        )
    ).first()
    if pending is not None and not job_ended_without_roster(
        session.get(Job, pending.job_id) if pending.job_id is not None else None
    ):
        raise conflict(
            f"roster {pending.parent_id} is already being repaired (roster {pending.id}); "
            "end the case when that job has finished"
        )
    if not parents:
        result = _end_case_now(session, case, body.end_date, reason, actor_key_id, today, [])
        session.commit()
        return result
    cuts: list[Roster] = []
    jobs: list[int] = []
    for parent in parents:
        child = _submit_cut(session, parent, case_id, body.end_date, reason, actor_key_id, today)
        cuts.append(child)
        jobs.append(child.job_id or 0)
    record(
        session,
        actor_key_id,
        AuditAction.ROSTER_REPAIR,
        "roster",
        [c.id or 0 for c in cuts],
        case_id=case_id,
        parent_roster_ids=[p.id or 0 for p in parents],
        notice_days=(body.end_date - today).days,
        # why a notice shorter than `END_NOTICE_DAYS` was accepted (reception's words;
        # `CaseEnd.reason` asks for no names)
        short_notice_reason=reason,
    )
    session.commit()
    if wake is not None:
        wake()
    return CaseEndResult(
        case_id=case_id,
        end_date=body.end_date,
        roster_ids=[c.id or 0 for c in cuts],
        ended_assignment_ids=[],
        job_ids=jobs,
        pending=True,
    )


def _runs_past(session: Session, parent: Roster, case_id: int, end_date: dt.date) -> bool:
    """Whether published `parent` has a shift of the case after `end_date`."""
    start = dt.date.fromisoformat(parent.params["start_date"])
    last_day = (end_date - start).days
    return any(
        a.case == str(case_id) and a.day > last_day for a in published_assignments(session, parent)
    )


def _end_case_now(
    session: Session,
    case: Case,
    end_date: dt.date,
    reason: str | None,
    actor_key_id: int | None,
    today: dt.date,
    cut_ids: list[int],
) -> CaseEndResult:
    """The case's running assignments end on `end_date`, its expected end moves there and
    its follow-ups are planned again; audited with the notice given (not committed)."""
    assert case.id is not None
    ended: list[int] = []
    for assignment in session.exec(
        select(Assignment)
        .where(col(Assignment.case_id) == case.id, running_assignments(end_date))
        .order_by(col(Assignment.id))
    ).all():
        assignment.end = max(assignment.start, end_date)
        assignment.version += 1
        session.add(assignment)
        ended.append(assignment.id or 0)
    case.expected_end = end_date
    case.version += 1
    session.add(case)
    session.flush()
    # The plan ends with the course: weekly follow-ups stop, the call after the end moves.
    regenerate_follow_ups(session, case.id)
    record(
        session,
        actor_key_id,
        AuditAction.ASSIGNMENT_UPDATE,
        "assignment",
        ended,
        case_id=case.id,
        cut_roster_ids=cut_ids or None,
        notice_days=(end_date - today).days,
        # why a notice shorter than `END_NOTICE_DAYS` was accepted (reception's words;
        # `CaseEnd.reason` asks for no names)
        short_notice_reason=reason,
    )
    return CaseEndResult(
        case_id=case.id, end_date=end_date, roster_ids=cut_ids, ended_assignment_ids=ended
    )


#: Solver seconds of the repair that cuts a roster at a case's end (`end_case`): the
#: published roster without the case's later shifts is legal and hinted, so the local
#: step finds it at once; the rest proves that nothing else need change.
CUT_TIME_LIMIT = 5.0


def _submit_cut(
    session: Session,
    parent: Roster,
    case_id: int,
    end_date: dt.date,
    reason: str | None,
    actor_key_id: int | None,
    today: dt.date,
) -> Roster:
    """Queue the repair job that cuts `parent` after the case's last day, and its pending
    roster (flushed, not committed)."""
    from api.jobs.params import CaseEndCut

    assert parent.id is not None
    params = dict(parent.params)
    params["case_ends"] = {**params.get("case_ends", {}), str(case_id): end_date.isoformat()}
    if reason is not None:
        params["short_notice_reasons"] = {
            **params.get("short_notice_reasons", {}),
            str(case_id): reason,
        }
    job_params = RepairParams(
        roster_id=parent.id,
        case_end=CaseEndCut(case_id=case_id, end_date=end_date, reason=reason),
        time_limit_seconds=CUT_TIME_LIMIT,
        as_of=today,
    )
    job = submit_job(
        session,
        JobKind.REPAIR,
        job_params.stored(),
        list(parent.office_ids),
        actor_key_id,
        start=False,
    )
    child = Roster(
        job_id=job.id,
        parent_id=parent.id,
        status=RosterStatus.PENDING,
        case_ids=list(parent.case_ids),
        office_ids=list(parent.office_ids),
        horizon_start=parent.horizon_start,
        days=parent.days,
        template=parent.template,
        params=params,
    )
    session.add(child)
    session.flush()
    return child


def run_case_end_job(
    session: Session,
    job_id: int,
    params: RepairParams,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[Roster, RepairResult]:
    """The case-end job's work: cut the published roster after the case's last day
    through the repair machinery (`roster.repair.repair` with a `CaseEnds` change: the
    case's later cover goes, the fewest changes count first, days already worked are
    frozen), publish the cut in the parent's place, write its team back, and end the
    case's assignments on its last day — one transaction. A parent no longer published
    (changed since the request) is a `Conflict`."""
    from roster.repair import CaseEnds, repair

    cut = params.case_end
    assert cut is not None
    child = session.exec(select(Roster).where(Roster.job_id == job_id)).first()
    if child is None or child.parent_id is None:
        raise NotFound("cut roster of job", job_id)
    parent = session.get(Roster, child.parent_id)
    case = session.get(Case, cut.case_id)
    if parent is None or case is None:
        raise NotFound("roster" if parent is None else "case", child.parent_id)
    if parent.status is not RosterStatus.PUBLISHED:
        raise conflict(
            f"roster {parent.id} is {parent.status.value}; only a published roster is cut"
        )
    start = dt.date.fromisoformat(parent.params["start_date"])
    problem = build_problem(session, parent.params, {parent.id or 0})
    outcome = repair(
        problem,
        published_assignments(session, parent),
        CaseEnds(case=str(cut.case_id), last_day=(cut.end_date - start).days),
        time_limit=params.time_limit_seconds,
        seed=_seed(child.params),
        num_workers=2,
        freeze_before_day=max(0, min((params.as_of - start).days, problem.days)),
        deterministic=reproducible(child.params),
        work_per_second=work_per_second(child.params),
        should_stop=should_stop,
    )
    store_result(session, child, outcome.problem, outcome.result)
    if child.status is not RosterStatus.DRAFT:
        raise conflict(
            f"roster {parent.id} could not be cut after {cut.end_date.isoformat()}: "
            + _nothing_found(outcome.result)
        )
    bump_version(session, Case, cut.case_id)
    child.status = RosterStatus.PUBLISHED
    child.published_at = utcnow()
    session.add(child)
    parent.status = RosterStatus.SUPERSEDED
    parent.version += 1
    session.add(parent)
    session.flush()
    # a repair may fill a gap before the end with someone new: the published team is
    # written back as a publication writes it (the case's then end with it)
    written, ended = write_team_assignments(session, child)
    assert child.id is not None
    record(
        session,
        None,
        AuditAction.ROSTER_PUBLISH,
        "roster",
        [child.id],
        superseded_roster_ids=[parent.id or 0],
        case_id=cut.case_id,
        changed_assignments=outcome.changed_assignments,
        assignment_ids=written or None,
        ended_assignment_ids=ended or None,
    )
    _end_case_now(session, case, cut.end_date, cut.reason, None, params.as_of, [child.id])
    session.commit()
    session.refresh(child)
    return child, outcome


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
