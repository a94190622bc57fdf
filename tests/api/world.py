"""A tiny, hand-written world for the API tests (independent of the demo seed).

On top of the reference data (regions, municipalities, offices) of a migrated database,
staff of the København and Næstved offices; four consultants:

- c1 (København office, female): ar-IQ native, da fluent; 2 cases max, 37 h/week
- c2 (København office, male): ar-SY native; 3 cases max
- c3 (Næstved office, female): ti native, da fluent
- c4 (Næstved office, female): uk native; 1 case max (the "last capacity" consultant)

Two coordinators (one per office) and two cases: k1 (ar-IQ, København, requested) and
k2 (ti, Næstved, active, assigned to c3). Fictional staff numbers, no real person.

The world is set on `TODAY` (Monday 2 March 2026): it records that date as the book's
planning date, so every route and service plans on it whatever the real date is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from data.models import (
    PLANNING_DATE_KEY,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    BookSetting,
    Case,
    CaseLanguage,
    CaseStatus,
    Consultant,
    ConsultantLanguage,
    Coordinator,
    Gender,
    InterventionType,
    LanguageLevel,
    Office,
    PersonGroup,
)

TODAY = dt.date(2026, 3, 2)


@dataclass
class World:
    office_kbh: int
    office_naestved: int
    consultants: dict[str, int]
    coordinators: dict[str, int]
    cases: dict[str, int]
    assignment_k2: int


def _consultant(
    ref: str,
    office_id: int,
    municipality: int,
    lat: float,
    lon: float,
    gender: Gender,
    max_cases: int,
) -> Consultant:
    return Consultant(
        employee_ref=ref,
        display_name=f"Testperson {ref}",
        office_id=office_id,
        home_municipality_code=municipality,
        home_lat=lat,
        home_lon=lon,
        gender=gender,
        qualifications=["socialraadgiver"],
        intervention_types=[t.value for t in InterventionType],
        cultural_countries=[],
        competence_tags=[],
        contracted_hours_per_week=37,
        max_cases=max_cases,
        takes_night_shifts=True,
        active_from=dt.date(2020, 1, 1),
    )


def _id(row: Consultant | Case) -> int:
    assert row.id is not None
    return row.id


def build_world(session: Session) -> World:
    """Add the world's staff and cases to a database that holds the reference data."""
    offices = {o.name: o for o in session.exec(select(Office)).all()}
    kbh, naestved = offices["København"], offices["Næstved"]
    assert kbh.id is not None and naestved.id is not None

    consultants = {
        "c1": _consultant("T-001", kbh.id, 101, 55.67, 12.56, Gender.FEMALE, 2),
        "c2": _consultant("T-002", kbh.id, 147, 55.68, 12.53, Gender.MALE, 3),
        "c3": _consultant("T-003", naestved.id, 370, 55.23, 11.76, Gender.FEMALE, 3),
        "c4": _consultant("T-004", naestved.id, 370, 55.24, 11.77, Gender.FEMALE, 1),
    }
    for consultant in consultants.values():
        session.add(consultant)
    session.flush()
    languages = {
        "c1": [("ar-IQ", LanguageLevel.NATIVE), ("da", LanguageLevel.FLUENT)],
        "c2": [("ar-SY", LanguageLevel.NATIVE)],
        "c3": [("ti", LanguageLevel.NATIVE), ("da", LanguageLevel.FLUENT)],
        "c4": [("uk", LanguageLevel.NATIVE)],
    }
    for key, skills in languages.items():
        for tag, level in skills:
            session.add(
                ConsultantLanguage(consultant_id=_id(consultants[key]), tag=tag, level=level)
            )

    coordinators = {
        "k_kbh": Coordinator(
            employee_ref="TK-1", display_name="Testkoordinator 1", office_id=kbh.id, max_caseload=30
        ),
        "k_naestved": Coordinator(
            employee_ref="TK-2",
            display_name="Testkoordinator 2",
            office_id=naestved.id,
            max_caseload=30,
        ),
    }
    for coordinator in coordinators.values():
        session.add(coordinator)
    session.flush()

    k1 = Case(
        reference="TEST-K1",
        municipality_code=101,
        lat=55.69,
        lon=12.55,
        intervention_type=InterventionType.FAMILY_TREATMENT,
        hours_per_week=6,
        visits_per_week=2,
        requested_start=dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC),
        expected_end=dt.date(2026, 12, 1),
        status=CaseStatus.REQUESTED,
    )
    k2 = Case(
        reference="TEST-K2",
        municipality_code=370,
        lat=55.22,
        lon=11.75,
        intervention_type=InterventionType.FAMILY_TREATMENT,
        hours_per_week=5,
        visits_per_week=2,
        requested_start=dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC),
        expected_end=dt.date(2026, 10, 1),
        status=CaseStatus.ACTIVE,
    )
    session.add(k1)
    session.add(k2)
    session.flush()
    session.add(CaseLanguage(case_id=_id(k1), person_group=PersonGroup.PARENTS, tag="ar-IQ"))
    session.add(CaseLanguage(case_id=_id(k2), person_group=PersonGroup.PARENTS, tag="ti"))
    assignment = Assignment(
        case_id=_id(k2),
        consultant_id=consultants["c3"].id,
        role=AssignmentRole.PRIMARY,
        hours_per_week=5,
        start=dt.date(2026, 1, 5),
        status=AssignmentStatus.CONFIRMED,
    )
    session.add(assignment)
    session.add(BookSetting(key=PLANNING_DATE_KEY, value=TODAY.isoformat()))
    session.commit()
    assert assignment.id is not None
    return World(
        office_kbh=kbh.id,
        office_naestved=naestved.id,
        consultants={k: c.id for k, c in consultants.items() if c.id is not None},
        coordinators={k: c.id for k, c in coordinators.items() if c.id is not None},
        cases={"k1": k1.id or 0, "k2": k2.id or 0},
        assignment_k2=assignment.id,
    )
