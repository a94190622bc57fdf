"""The DB → MatchProblem bridge on the seeded demo book (every configured backend)."""

from __future__ import annotations

from sqlmodel import Session, select

from api.services.snapshot import load_match_problem
from data.models import Assignment, AssignmentStatus, Case, CaseStatus
from data.scenario import TODAY
from matcher.problem import Role
from matcher.rank import rank


def test_snapshot_of_demo_book_matches_the_tables(seeded_engine):
    with Session(seeded_engine) as session:
        problem = load_match_problem(session, TODAY)
        open_ids = {
            c.id for c in session.exec(select(Case).where(Case.status == CaseStatus.REQUESTED))
        }
        live = session.exec(select(Case).where(Case.status != CaseStatus.ENDED)).all()
        running = [
            a
            for a in session.exec(select(Assignment))
            if a.status != AssignmentStatus.ENDED and (a.end is None or a.end >= TODAY)
        ]
    assert {c.id for c in problem.cases if c.is_open} == open_ids
    assert len(problem.cases) == len(live)
    # Every running assignment of a live case is in the snapshot (nobody has left).
    live_ids = {c.id for c in live}
    assert len(problem.assignments) == sum(1 for a in running if a.case_id in live_ids)
    assert all(c.region.startswith("DK-") for c in problem.cases)
    assert all(c.languages for c in problem.consultants)
    coordinated = {a.case_id for a in problem.assignments if a.role == Role.COORDINATOR}
    assert coordinated <= live_ids


def test_rank_runs_on_every_open_case_of_the_demo_book(seeded_engine):
    with Session(seeded_engine) as session:
        problem = load_match_problem(session, TODAY)
    open_cases = [c for c in problem.cases if c.is_open]
    assert open_cases
    for case in open_cases:
        ranking = rank(problem, case.id, propose_reshuffle=False)
        considered = ranking.excluded[Role.PRIMARY].considered
        excluded = sum(ranking.excluded[Role.PRIMARY].counts.values())
        # Everyone is either excluded for a counted reason or a candidate (or beyond top).
        assert excluded + len(ranking.candidates) <= considered
        for candidate in ranking.candidates:
            assert candidate.travel_minutes <= problem.settings.max_travel_minutes
            assert candidate.reasons and candidate.reasons[0].startswith("speaks ")
