"""The bridge from the database to the pure matcher: `load_match_problem(session, as_of)`.

Reads the tables once (a handful of SELECTs, no per-row queries) and returns an
immutable `matcher.problem.MatchProblem`:

- consultants active on `as_of`, with languages, absences not yet over, office;
- cases that are requested (open) or active, with their languages, region (from the
  municipality), and previous consultants (from ended assignments);
- running assignments: not ended and not finished before `as_of`, of cases and people
  in the snapshot (an assignment of someone who has left is dropped, so its seat is
  open again);
- all offices and coordinators;
- the phase plans of the intervention types (``data/reference/phases.toml``): running
  hours count in the phase their course is in at the date in question.

Nothing personal is logged; names are not loaded at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Protocol

from sqlmodel import Session, col, select

from api.services.phases import phase_table
from api.services.planning_date import planning_date
from data.models import (
    Absence,
    Assignment,
    AssignmentStatus,
    Case,
    CaseLanguage,
    CaseStatus,
    Consultant,
    ConsultantLanguage,
    Coordinator,
    Municipality,
    Office,
)
from data.travel import Point, TravelModel
from matcher.problem import (
    CaseData,
    ConsultantData,
    CoordinatorData,
    DateRange,
    LanguageSkill,
    Level,
    MatchProblem,
    MatchSettings,
    OfficeData,
    Role,
    RunningAssignment,
)
from matcher.problem import CaseLanguage as MatchCaseLanguage


def load_match_problem(
    session: Session,
    as_of: dt.date | None = None,
    settings: MatchSettings | None = None,
    travel: TravelModel | None = None,
) -> MatchProblem:
    """Snapshot of everything the matcher needs on `as_of` (default: the planning date)."""
    as_of = as_of or planning_date(session)
    offices = tuple(
        OfficeData(
            id=_id(o),
            location=Point(o.lat, o.lon),
            serves_regions=frozenset(o.serves_regions),
            name=o.name,
        )
        for o in session.exec(select(Office).order_by(col(Office.id)))
    )
    region_of = {m.code: m.region_code for m in session.exec(select(Municipality))}

    consultants = _consultants(session, as_of)
    consultant_ids = {c.id for c in consultants}
    coordinators = tuple(
        CoordinatorData(
            id=_id(c),
            office_id=c.office_id,
            max_caseload=c.max_caseload,
            ref=c.employee_ref,
        )
        for c in session.exec(select(Coordinator).order_by(col(Coordinator.id)))
    )
    coordinator_ids = {c.id for c in coordinators}

    case_rows = list(
        session.exec(select(Case).where(Case.status != CaseStatus.ENDED).order_by(col(Case.id)))
    )
    case_ids = {c.id for c in case_rows}
    languages: dict[int, list[MatchCaseLanguage]] = defaultdict(list)
    for row in session.exec(select(CaseLanguage).order_by(col(CaseLanguage.id))):
        if row.case_id in case_ids:
            languages[row.case_id].append(MatchCaseLanguage(row.tag, str(row.person_group)))

    running: list[RunningAssignment] = []
    previous: dict[int, set[int]] = defaultdict(set)
    for a in session.exec(select(Assignment).order_by(col(Assignment.id))):
        if a.case_id not in case_ids:
            continue
        over = a.status == AssignmentStatus.ENDED or (a.end is not None and a.end < as_of)
        if over:
            if a.consultant_id is not None:
                previous[a.case_id].add(a.consultant_id)
            continue
        role = Role(str(a.role))
        if role == Role.COORDINATOR:
            if a.coordinator_id not in coordinator_ids:
                continue
        elif a.consultant_id not in consultant_ids:
            continue
        running.append(
            RunningAssignment(
                id=_id(a),
                case_id=a.case_id,
                role=role,
                hours=a.hours_per_week,
                consultant_id=a.consultant_id if role != Role.COORDINATOR else None,
                coordinator_id=a.coordinator_id if role == Role.COORDINATOR else None,
                locked=a.locked,
                end=a.end,
            )
        )

    cases = tuple(
        CaseData(
            id=_id(c),
            location=Point(c.lat, c.lon),
            region=region_of.get(c.municipality_code, ""),
            intervention_type=str(c.intervention_type),
            hours_per_week=c.hours_per_week,
            visits_per_week=c.visits_per_week,
            requested_start=c.requested_start,
            expected_end=c.expected_end,
            languages=tuple(languages.get(_id(c), ())),
            needs_support_person=c.needs_support_person,
            support_hours_per_week=c.support_hours_per_week,
            cultural_countries=frozenset(c.cultural_countries),
            gender=str(c.gender) if c.gender else None,
            gender_rule=str(c.gender_rule) if c.gender_rule else None,
            preferred_consultant_id=c.preferred_consultant_id,
            previous_consultant_ids=frozenset(previous.get(_id(c), ())),
            excluded_consultant_ids=frozenset(c.excluded_consultant_ids),
            required_qualifications=frozenset(c.required_qualifications),
            priority=c.priority,
            allow_related_language=c.allow_related_language,
            is_open=c.status == CaseStatus.REQUESTED,
            municipality_code=c.municipality_code,
            ref=c.reference,
        )
        for c in case_rows
    )
    kwargs = {} if travel is None else {"travel": travel}
    return MatchProblem(
        consultants=consultants,
        cases=cases,
        offices=offices,
        coordinators=coordinators,
        assignments=tuple(running),
        as_of=as_of,
        settings=settings or MatchSettings(),
        phases=phase_table(),
        **kwargs,
    )


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def _id(row: _Row) -> int:
    """Rows read from the database always have an id."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__}: row without id")
    return int(row.id)


def _consultants(session: Session, as_of: dt.date) -> tuple[ConsultantData, ...]:
    rows = [
        c
        for c in session.exec(select(Consultant).order_by(col(Consultant.id)))
        if c.active_from <= as_of and (c.active_to is None or c.active_to >= as_of)
    ]
    ids = {c.id for c in rows}
    skills: dict[int, list[LanguageSkill]] = defaultdict(list)
    for row in session.exec(select(ConsultantLanguage).order_by(col(ConsultantLanguage.id))):
        if row.consultant_id in ids:
            skills[row.consultant_id].append(LanguageSkill(row.tag, Level(str(row.level))))
    absences: dict[int, list[DateRange]] = defaultdict(list)
    for absence in session.exec(select(Absence).where(Absence.end >= as_of)):
        if absence.consultant_id in ids:
            absences[absence.consultant_id].append(DateRange(absence.start, absence.end))
    return tuple(
        ConsultantData(
            id=_id(c),
            home=Point(c.home_lat, c.home_lon),
            office_id=c.office_id,
            capacity_hours=c.contracted_hours_per_week,
            max_cases=c.max_cases,
            languages=tuple(skills.get(_id(c), ())),
            gender=str(c.gender) if c.gender else None,
            qualifications=frozenset(c.qualifications),
            intervention_types=frozenset(c.intervention_types),
            cultural_countries=frozenset(c.cultural_countries),
            competences=frozenset(c.competence_tags),
            absences=tuple(sorted(absences.get(_id(c), ()), key=lambda r: r.start)),
            active_to=c.active_to,
            ref=c.employee_ref,
        )
        for c in rows
    )
