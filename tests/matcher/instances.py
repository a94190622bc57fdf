"""Tiny named matching instances (PyVRP style): small enough to solve by hand.

Geography: Copenhagen (CPH), Roskilde (~30 km west), Aarhus (~155 km away). With the
default travel model a trip inside Copenhagen takes about 5–10 min, CPH→Roskilde about
40 min, CPH→Aarhus well over 75 min (the default limit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from data.travel import Point
from matcher.problem import (
    CaseData,
    CaseLanguage,
    ConsultantData,
    CoordinatorData,
    LanguageSkill,
    Level,
    MatchProblem,
    MatchSettings,
    OfficeData,
    Role,
    RunningAssignment,
)

CPH = Point(55.6761, 12.5683)
CPH_NORTH = Point(55.7000, 12.5500)
ROSKILDE = Point(55.6415, 12.0803)
AARHUS = Point(56.1629, 10.2039)
MONDAY = dt.datetime(2026, 3, 2, 9, 0)  # a Monday
HOVEDSTADEN = "DK-84"
MIDTJYLLAND = "DK-82"

FT = "family_treatment"
ALL_TYPES = frozenset({FT, "support_person", "contact_person"})


def office(
    id: int = 1, location: Point = CPH, regions: tuple[str, ...] = (HOVEDSTADEN,)
) -> OfficeData:
    return OfficeData(id=id, location=location, serves_regions=frozenset(regions))


def consultant(
    id: int,
    *langs: str,
    home: Point = CPH,
    hours: float = 30,
    max_cases: int = 5,
    office_id: int = 1,
    level: Level = Level.NATIVE,
    **kw: object,
) -> ConsultantData:
    return ConsultantData(
        id=id,
        home=home,
        office_id=office_id,
        capacity_hours=hours,
        max_cases=max_cases,
        languages=tuple(LanguageSkill(t, level) for t in langs),
        intervention_types=kw.pop("types", ALL_TYPES),  # type: ignore[arg-type]
        gender=kw.pop("gender", "female"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def case(
    id: int,
    *langs: str,
    at: Point = CPH,
    hours: float = 10,
    region: str = HOVEDSTADEN,
    is_open: bool = True,
    **fields: Any,
) -> CaseData:
    """A case at `at` asking for `langs`; `fields`: any other `CaseData` field."""
    return CaseData(
        id=id,
        location=at,
        region=region,
        intervention_type=FT,
        hours_per_week=hours,
        visits_per_week=2,
        requested_start=MONDAY,
        languages=tuple(CaseLanguage(t) for t in langs),
        is_open=is_open,
        **fields,
    )


def problem(
    consultants,
    cases,
    assignments=(),
    coordinators=(),
    offices=None,
    settings: MatchSettings | None = None,
) -> MatchProblem:
    return MatchProblem(
        consultants=tuple(consultants),
        cases=tuple(cases),
        offices=tuple(offices if offices is not None else (office(),)),
        coordinators=tuple(coordinators),
        assignments=tuple(assignments),
        as_of=MONDAY.date(),
        # Hand-computed hours: the whole contract is family hours unless a test reserves a
        # share (`MatchSettings.reserved_share`).
        settings=settings or MatchSettings(reserved_share=0.0),
    )


def running(
    id: int,
    case_id: int,
    consultant_id: int,
    hours: float = 10,
    role: Role = Role.PRIMARY,
    locked: bool = False,
    end: dt.date | None = None,
) -> RunningAssignment:
    return RunningAssignment(
        id=id,
        case_id=case_id,
        role=role,
        hours=hours,
        consultant_id=consultant_id,
        locked=locked,
        end=end,
    )


def coordinator(id: int, office_id: int = 1, max_caseload: int = 10) -> CoordinatorData:
    return CoordinatorData(id=id, office_id=office_id, max_caseload=max_caseload)
