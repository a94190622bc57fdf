"""Ending a case's døgnindsats: each published roster of the case that runs past the
end is cut there by a repair job and the cut is published in its place; the case's
assignments end on its last day and its follow-ups are planned again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from api.audit import record
from api.jobs.params import RepairParams
from api.problems import conflict
from api.schemas.rosters import END_NOTICE_DAYS, CaseEnd, CaseEndResult
from api.services.assignments import bump_version
from api.services.errors import Invalid, NotFound
from api.services.follow_ups import regenerate as regenerate_follow_ups
from api.services.invariants import running_assignments
from api.services.jobs import Wake, reproducible, submit_job
from api.services.roster_problem import build_problem
from api.services.roster_publishing import write_team_assignments
from api.services.roster_repair import published_assignments
from api.services.rosters import (
    job_ended_without_roster,
    nothing_found,
    store_result,
    stored_seed,
    work_per_second,
)
from data.models import Assignment, Case, InterventionType
from data.ops_models import (
    AuditAction,
    Job,
    JobKind,
    Roster,
    RosterCaseLink,
    RosterStatus,
    utcnow,
)

if TYPE_CHECKING:
    from roster.repair import RepairResult


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
        seed=stored_seed(child.params),
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
            + nothing_found(outcome.result)
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
