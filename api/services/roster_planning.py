"""A team leader plans a døgnindsats roster: the cases they may plan, the plan itself (a
queued roster job, as ``POST /v1/rosters``) and its progress.

The pages call these; the job worker solves the roster in the background
(`api.services.rosters.solve_roster_job`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from api.auth import Principal
from api.schemas.rosters import RosterCreate
from api.services.errors import Forbidden
from api.services.jobs import resolve_office_scope
from api.services.planning_date import DANISH_TIME
from api.services.references import get_or_404
from api.services.roster_params import offices_serving, roster_params
from data.models import Case, CaseStatus, Consultant, InterventionType, Municipality, Office
from data.ops_models import Job, JobKind, JobStatus, Roster

DOGNINDSATS = InterventionType.DOGNINDSATS.value


@dataclass(frozen=True)
class PlannableCase:
    case_id: int
    reference: str
    municipality: str
    status: str


def plannable_cases(session: Session, principal: Principal) -> list[PlannableCase]:
    """Open døgnindsats cases (requested or active) that one of the caller's offices
    serves (every one for an admin)."""
    rows = session.exec(
        select(Case, Municipality.name)
        .join(Municipality, col(Municipality.code) == col(Case.municipality_code))
        .where(
            col(Case.intervention_type) == InterventionType.DOGNINDSATS,
            col(Case.status) != CaseStatus.ENDED,
        )
        .order_by(col(Case.reference))
    ).all()
    result = []
    for case, municipality in rows:
        assert case.id is not None
        if principal.is_admin or set(offices_serving(session, case.id)) & principal.office_ids:
            result.append(PlannableCase(case.id, case.reference, municipality, str(case.status)))
    return result


@dataclass(frozen=True)
class PoolOffice:
    """An office the caller may plan with, and its consultants who do døgnindsats."""

    office_id: int
    name: str
    #: (consultant id, display name), by name
    consultants: list[tuple[int, str]]


def pool_choices(session: Session, principal: Principal, today: dt.date) -> list[PoolOffice]:
    """What a roster's pool may be made of (`RosterCreate.office_ids`/`consultant_ids`):
    the caller's offices (every office for an admin), each with the consultants still
    employed on `today` who do døgnindsats, the pool the roster job reads."""
    offices = session.exec(select(Office).order_by(col(Office.name))).all()
    allowed = [o for o in offices if principal.is_admin or o.id in principal.office_ids]
    ids = [o.id for o in allowed]
    people: dict[int, list[tuple[int, str]]] = {}
    for consultant in session.exec(
        select(Consultant)
        .where(col(Consultant.office_id).in_(ids))
        .where(col(Consultant.active_to).is_(None) | (col(Consultant.active_to) >= today))
        .order_by(col(Consultant.display_name))
    ):
        if consultant.id is not None and DOGNINDSATS in consultant.intervention_types:
            people.setdefault(consultant.office_id, []).append(
                (consultant.id, consultant.display_name)
            )
    return [PoolOffice(o.id, o.name, people.get(o.id, [])) for o in allowed if o.id is not None]


def plan_roster(
    session: Session,
    principal: Principal,
    body: RosterCreate,
    *,
    default_time_limit: float,
    work_per_second: float | None,
) -> Roster:
    """Queue the roster's job and store the pending roster (committed). The pool is the
    caller's offices unless the body names some of them (`resolve_office_scope`)."""
    office_ids = resolve_office_scope(session, principal, body.office_ids)
    params = roster_params(
        session,
        body,
        office_ids,
        default_time_limit=default_time_limit,
        work_per_second=work_per_second,
    )
    job = Job(kind=JobKind.ROSTER, params=params, office_ids=office_ids, created_by_key_id=None)
    session.add(job)
    session.flush()
    roster = Roster(
        job_id=job.id,
        case_ids=body.case_ids,
        office_ids=office_ids,
        horizon_start=dt.datetime.combine(body.start_date, dt.time(0), tzinfo=DANISH_TIME),
        days=body.days,
        template=body.template,
        params=params,
    )
    session.add(roster)
    session.commit()
    session.refresh(roster)
    return roster


@dataclass(frozen=True)
class Progress:
    roster_id: int
    roster_status: str
    job_status: str | None
    incumbent: float | None
    bound: float | None
    elapsed_seconds: float | None
    solutions_found: int
    error: str | None

    @property
    def finished(self) -> bool:
        return self.job_status in (None, JobStatus.SUCCEEDED.value, JobStatus.FAILED.value)


def roster_progress(session: Session, principal: Principal, roster_id: int) -> Progress:
    """How far the roster's job is (`NotFound`; `Forbidden` outside the caller's offices)."""
    roster = get_or_404(session, Roster, roster_id, "roster")
    if not principal.may_act_for_offices(set(roster.office_ids)):
        raise Forbidden("the roster belongs to offices outside your scope")
    job = session.get(Job, roster.job_id) if roster.job_id is not None else None
    return Progress(
        roster_id=roster_id,
        roster_status=str(roster.status),
        job_status=None if job is None else str(job.status),
        incumbent=None if job is None else job.incumbent,
        bound=None if job is None else job.bound,
        elapsed_seconds=None if job is None else job.elapsed_seconds,
        solutions_found=0 if job is None else job.solutions_found,
        error=None if job is None else job.error,
    )
