"""Loading the capacity records from the tables (a hand-built in-memory database)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, SQLModel, create_engine

from api.report_data import load_capacity
from data.capacity import DemandStatus
from data.languages import family_language
from data.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseLanguage,
    CaseStatus,
    Consultant,
    ConsultantLanguage,
    Gender,
    InterventionType,
    LanguageLevel,
    Municipality,
    Office,
    PersonGroup,
    Region,
)

AS_OF = dt.date(2026, 1, 5)


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session


def _case(reference: str, status: CaseStatus, end: dt.date | None) -> Case:
    return Case(
        reference=reference,
        municipality_code=370,
        lat=55.23,
        lon=11.76,
        intervention_type=InterventionType.FAMILY_TREATMENT,
        hours_per_week=6,
        support_hours_per_week=4,
        visits_per_week=2,
        requested_start=dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC),
        expected_end=end,
        status=status,
    )


@pytest.fixture
def small_book(session):
    """One Næstved office serving Sjælland, one active Tigrinya/Danish consultant with a
    running 10 h case ending 1 March, one consultant who left in 2025, a new Tigrinya
    request, and a case that ended before `AS_OF`."""
    session.add(Region(code="DK-85", name="Sjælland"))
    session.add(Municipality(code=370, name="Næstved", region_code="DK-85", lat=55.23, lon=11.76))
    session.add(
        Office(
            id=1,
            name="Næstved",
            municipality_code=370,
            lat=55.23,
            lon=11.76,
            serves_regions=["DK-85"],
        )
    )
    for cid, active_to in ((1, None), (2, dt.date(2025, 12, 31))):
        session.add(
            Consultant(
                id=cid,
                employee_ref=f"E{cid}",
                display_name="x",
                office_id=1,
                home_municipality_code=370,
                home_lat=55.2,
                home_lon=11.7,
                gender=Gender.FEMALE,
                contracted_hours_per_week=37,
                max_cases=5,
                active_from=dt.date(2024, 1, 1),
                active_to=active_to,
            )
        )
        session.add(ConsultantLanguage(consultant_id=cid, tag="ti", level=LanguageLevel.NATIVE))
    running = _case("R-1", CaseStatus.ACTIVE, dt.date(2026, 3, 1))
    request = _case("R-2", CaseStatus.REQUESTED, None)
    ended = _case("R-3", CaseStatus.ACTIVE, dt.date(2025, 12, 1))
    session.add_all([running, request, ended])
    session.flush()
    assert running.id is not None and request.id is not None and ended.id is not None
    session.add(CaseLanguage(case_id=running.id, person_group=PersonGroup.PARENTS, tag="ti"))
    session.add(CaseLanguage(case_id=request.id, person_group=PersonGroup.CHILD, tag="da"))
    session.add(CaseLanguage(case_id=request.id, person_group=PersonGroup.PARENTS, tag="ti-ER"))
    for case_id in (running.id, ended.id):
        session.add(
            Assignment(
                case_id=case_id,
                consultant_id=1,
                role=AssignmentRole.PRIMARY,
                hours_per_week=10,
                start=dt.date(2025, 6, 1),
                status=AssignmentStatus.CONFIRMED,
            )
        )
    session.commit()
    return session


def test_load_capacity_keeps_active_consultants_and_open_cases(small_book):
    snapshot = load_capacity(small_book, AS_OF)
    (consultant,) = snapshot.consultants  # the one who left is not counted
    assert consultant.regions == ("Sjælland",)
    assert consultant.contracted_hours == 37
    # The ended case's assignment no longer binds; the running one ends with its case.
    assert [(c.hours_per_week, c.end) for c in consultant.commitments] == [
        (10, dt.date(2026, 3, 1))
    ]
    demands = sorted((d.language, d.status, d.hours_per_week) for d in snapshot.demands)
    assert demands == [("ti", DemandStatus.RUNNING, 10), ("ti-ER", DemandStatus.REQUESTED, 10)]
    assert {d.region for d in snapshot.demands} == {"Sjælland"}


def test_family_language_prefers_the_parents_non_danish_language():
    parents, child = PersonGroup.PARENTS, PersonGroup.CHILD
    assert family_language([(child, "ar-SY"), (parents, "ckb")]) == "ckb"
    assert family_language([(child, "ar-SY"), (parents, "da")]) == "ar-SY"
    assert family_language([(parents, "da"), (parents, "tr")]) == "tr"
    assert family_language([(parents, "da")]) == "da"
    assert family_language([(child, "da-DK"), (parents, "da")]) == "da"
    # no language asked for: no language cover (the report counts such a case as Danish)
    assert family_language([]) is None


def test_persisted_roster_rows_become_a_view():
    from api.report_data import roster_view_from_rows
    from data.ops_models import Roster, RosterShift

    roster = Roster(
        id=7,
        case_ids=[3],
        horizon_start=dt.datetime(2026, 1, 5, 7),
        days=1,
        template="3x8",
        solver_status="OPTIMAL",
    )
    # Stored as naive UTC: 06:00 UTC is 07:00 in Copenhagen in January.
    day = dt.datetime(2026, 1, 5) - dt.timedelta(hours=1)

    def row(case_id: int, hour: int, code: str, consultant: int | None) -> RosterShift:
        start = day + dt.timedelta(hours=hour)
        end = start + dt.timedelta(hours=8)
        return RosterShift(
            roster_id=7,
            case_id=case_id,
            consultant_id=consultant,
            shift_code=code,
            start=start,
            end=end,
        )

    rows = [row(3, 23, "N", 12), row(3, 7, "D", 11), row(3, 15, "E", None), row(4, 7, "D", 99)]
    view = roster_view_from_rows(roster, rows, {11: 37.0, 12: 30.0})
    assert [(c.code, c.consultants) for c in view.shifts] == [
        ("D", ("11",)),
        ("E", ()),
        ("N", ("12",)),
    ]  # case 4's shift is left out, the uncovered evening stays
    assert view.shifts[2].is_night and not view.shifts[0].is_night
    assert view.shifts[0].start == dt.datetime(2026, 1, 5, 7)  # Danish wall clock
    assert view.contract_hours == {"11": 37.0, "12": 30.0}
    assert view.label == "#7 (3x8)"
