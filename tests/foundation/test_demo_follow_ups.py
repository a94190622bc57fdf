"""The demo book's follow-up plans: every started case has one, owned by its
coordinator, a few recent ones overdue on the book's day, and the seed's plan is the one
the services would regenerate."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, func, select

from api.services.follow_ups import follow_up_counts, regenerate
from data.models import Assignment, AssignmentRole, Case, CaseStatus, FollowUp
from data.scenario import TODAY


def test_every_started_case_has_a_plan_owned_by_its_coordinator(
    seeded_session: Session,
) -> None:
    planned = set(seeded_session.exec(select(FollowUp.case_id).distinct()).all())
    started = set(
        seeded_session.exec(select(Case.id).where(col(Case.status) != CaseStatus.REQUESTED)).all()
    )
    assert planned == started
    owner = dict(
        seeded_session.exec(
            select(Assignment.case_id, Assignment.coordinator_id).where(
                col(Assignment.role) == AssignmentRole.COORDINATOR
            )
        ).all()
    )
    mismatched = seeded_session.exec(
        select(func.count()).select_from(FollowUp).where(col(FollowUp.coordinator_id).is_(None))
    ).one()
    assert mismatched == 0
    sample = seeded_session.exec(select(FollowUp).order_by(col(FollowUp.id)).limit(50)).all()
    assert all(row.coordinator_id == owner[row.case_id] for row in sample)


def test_some_recent_follow_ups_are_overdue_on_the_books_day(seeded_session: Session) -> None:
    counts = follow_up_counts(seeded_session, TODAY)
    assert 10 <= counts.overdue <= 100
    oldest_open = seeded_session.exec(
        select(func.min(FollowUp.due)).where(col(FollowUp.done_on).is_(None))
    ).one()
    assert oldest_open is not None and TODAY - oldest_open <= dt.timedelta(weeks=4)


def test_the_seeded_plan_is_the_one_the_services_regenerate(seeded_session: Session) -> None:
    case_ids = seeded_session.exec(
        select(Case.id).where(col(Case.status) == CaseStatus.ACTIVE).order_by(col(Case.id))
    ).all()[:5]
    for case_id in case_ids:
        assert case_id is not None

        def plan(case: int = case_id) -> list[tuple[str, dt.date]]:
            rows = seeded_session.exec(select(FollowUp).where(col(FollowUp.case_id) == case))
            return sorted((row.kind.value, row.due) for row in rows)

        before = plan()
        regenerate(seeded_session, case_id)
        assert plan() == before


def test_about_80_percent_of_ended_family_treatment_ended_at_9_months(
    seeded_session: Session,
) -> None:
    """DESIGN.md: family treatment aims to end after 9 months, reached in about 80 % of
    cases; the demo's ended courses ran 270–305 days (at the aim) or broke off early."""
    from api.services.course import course_figures
    from data.models import InterventionType

    figures = course_figures(seeded_session)[InterventionType.FAMILY_TREATMENT]
    assert figures.ended >= 50
    assert 0.7 <= figures.share_at_aim <= 0.9
    assert figures.late == 0 and figures.at_aim + figures.early == figures.ended
