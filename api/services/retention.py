"""Retention: anonymise cases that ended long ago.

Statistics survive (municipality, intervention type, languages, hours, dates); what could
identify or profile a family goes: the exact location (moved to the municipality's
centroid), the case reference (replaced by ``ANON-<id>``), cultural background and
preferences (gender wish, preferred and excluded consultants).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from api.audit import record
from api.services.errors import Invalid
from api.services.planning_date import planning_date
from data.models import Assignment, Case, CaseStatus, Municipality
from data.ops_models import AuditAction

ANONYMOUS_PREFIX = "ANON-"


@dataclass(frozen=True, slots=True)
class RetentionReport:
    cutoff: dt.date
    anonymised_case_ids: list[int]


def ended_on(case: Case, last_assignment_end: dt.date | None) -> dt.date:
    """The best estimate of when an ended case ended."""
    dates = [d for d in (case.expected_end, last_assignment_end) if d is not None]
    return max(dates) if dates else case.requested_start.date()


def anonymise_ended_cases(
    session: Session,
    older_than_days: int,
    today: dt.date | None = None,
    actor_key_id: int | None = None,
) -> RetentionReport:
    """Anonymise every ended case that ended more than `older_than_days` ago (idempotent)."""
    if older_than_days < 0:
        raise Invalid.field("older_than_days", "must be zero or more")
    cutoff = (today or planning_date(session)) - dt.timedelta(days=older_than_days)
    last_ends = dict(
        session.exec(
            select(Assignment.case_id, func.max(Assignment.end)).group_by(col(Assignment.case_id))
        ).all()
    )
    centroids = {m.code: (m.lat, m.lon) for m in session.exec(select(Municipality)).all()}
    anonymised: list[int] = []
    for case in session.exec(select(Case).where(Case.status == CaseStatus.ENDED)).all():
        assert case.id is not None
        if ended_on(case, last_ends.get(case.id)) >= cutoff:
            continue
        if case.reference.startswith(ANONYMOUS_PREFIX):
            continue
        case.lat, case.lon = centroids[case.municipality_code]
        case.reference = f"{ANONYMOUS_PREFIX}{case.id}"
        case.cultural_countries = []
        case.gender = None
        case.gender_rule = None
        case.preferred_consultant_id = None
        case.excluded_consultant_ids = []
        case.version += 1
        session.add(case)
        anonymised.append(case.id)
    if anonymised:
        record(session, actor_key_id, AuditAction.RETENTION_RUN, "case", anonymised)
    return RetentionReport(cutoff=cutoff, anonymised_case_ids=anonymised)
