"""Write the demo book of business (`data.scenario`) into a migrated database.

Bulk inserts through SQLAlchemy Core, one transaction: either the whole book is
written or nothing. Ids of new consultants, coordinators and cases come back from
``INSERT … RETURNING`` (SQLite ≥ 3.35 and PostgreSQL both support it), so the book can
be added next to existing rows without guessing ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlalchemy.engine import Engine

from data.models import (
    PLANNING_DATE_KEY,
    Absence,
    Assignment,
    BookSetting,
    Case,
    CaseLanguage,
    Consultant,
    ConsultantLanguage,
    Coordinator,
    FollowUp,
    Office,
)
from data.scenario import DEFAULT_SEED, Scenario, demo_book
from data.scenario_follow_ups import demo_follow_ups

#: Progress callback: (step name, rows written in this call, total rows of the step).
Progress = Callable[[str, int, int], None]
CHUNK = 2000


class SeedError(RuntimeError):
    pass


def table(model: Any) -> Table:
    return model.__table__


def business_row_count(engine: Engine) -> int:
    """Consultants + coordinators + cases already in the database."""
    with engine.connect() as connection:
        return sum(
            connection.execute(select(func.count()).select_from(table(m))).scalar_one()
            for m in (Consultant, Coordinator, Case)
        )


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert(
    connection: Connection,
    model: Any,
    rows: Sequence[dict[str, Any]],
    step: str,
    progress: Progress | None,
    key: str | None = None,
) -> dict[str, int]:
    """Insert `rows`; with `key`, return {row[key]: new id}."""
    target = table(model)
    ids: dict[str, int] = {}
    for chunk in _chunks(rows):
        if key is None:
            connection.execute(insert(target), list(chunk))
        else:
            statement = insert(target).returning(
                target.c.id, target.c[key], sort_by_parameter_order=True
            )
            for new_id, value in connection.execute(statement, list(chunk)):
                ids[value] = new_id
        if progress is not None:
            progress(step, len(chunk), len(rows))
    return ids


def write_scenario(
    connection: Connection, scenario: Scenario, progress: Progress | None = None
) -> dict[str, int]:
    """Insert every object of `scenario`; return the number of rows per table."""
    offices = dict(connection.execute(select(table(Office).c.name, table(Office).c.id)).all())
    missing = {c.office for c in scenario.consultants} - set(offices)
    if missing:
        raise SeedError(f"offices missing (run `famplan db upgrade` first): {sorted(missing)}")

    consultant_ids = _insert(
        connection,
        Consultant,
        [
            {
                "employee_ref": c.ref,
                "display_name": c.display_name,
                "office_id": offices[c.office],
                "home_municipality_code": c.home_municipality_code,
                "home_lat": c.home_lat,
                "home_lon": c.home_lon,
                "gender": c.gender,
                "qualifications": [q.value for q in c.qualifications],
                "intervention_types": [t.value for t in c.intervention_types],
                "cultural_countries": list(c.cultural_countries),
                "competence_tags": list(c.competence_tags),
                "contracted_hours_per_week": c.contracted_hours_per_week,
                "max_cases": c.max_cases,
                "takes_night_shifts": c.takes_night_shifts,
                "has_driving_licence": c.has_driving_licence,
                "active_from": c.active_from,
                "active_to": c.active_to,
                "version": 0,
            }
            for c in scenario.consultants
        ],
        "consultants",
        progress,
        key="employee_ref",
    )
    consultant_languages = [
        {"consultant_id": consultant_ids[c.ref], "tag": tag, "level": level}
        for c in scenario.consultants
        for tag, level in c.languages
    ]
    _insert(connection, ConsultantLanguage, consultant_languages, "languages", progress)
    absences = [
        {
            "consultant_id": consultant_ids[a.consultant_ref],
            "start": a.start,
            "end": a.end,
            "reason": a.reason,
        }
        for a in scenario.absences
    ]
    _insert(connection, Absence, absences, "absences", progress)
    coordinator_ids = _insert(
        connection,
        Coordinator,
        [
            {
                "employee_ref": c.ref,
                "display_name": c.display_name,
                "office_id": offices[c.office],
                "max_caseload": c.max_caseload,
                "version": 0,
            }
            for c in scenario.coordinators
        ],
        "coordinators",
        progress,
        key="employee_ref",
    )
    case_ids = _insert(
        connection,
        Case,
        [
            {
                "reference": c.reference,
                "municipality_code": c.municipality_code,
                "lat": c.lat,
                "lon": c.lon,
                "intervention_type": c.intervention_type,
                "needs_support_person": c.needs_support_person,
                "support_hours_per_week": c.support_hours_per_week,
                "cultural_countries": list(c.cultural_countries),
                "hours_per_week": c.hours_per_week,
                "visits_per_week": c.visits_per_week,
                "requested_start": c.requested_start,
                "expected_end": c.expected_end,
                "priority": c.priority,
                "gender": c.gender,
                "gender_rule": c.gender_rule,
                "preferred_consultant_id": consultant_ids.get(c.preferred_consultant or ""),
                "excluded_consultant_ids": [consultant_ids[r] for r in c.excluded_consultants],
                "required_qualifications": [q.value for q in c.required_qualifications],
                "allow_related_language": c.allow_related_language,
                "status": c.status,
                "version": 0,
            }
            for c in scenario.cases
        ],
        "cases",
        progress,
        key="reference",
    )
    case_languages = [
        {"case_id": case_ids[c.reference], "person_group": group, "tag": tag}
        for c in scenario.cases
        for group, tag in c.languages
    ]
    _insert(connection, CaseLanguage, case_languages, "case languages", progress)
    assignments = [
        {
            "case_id": case_ids[a.case_ref],
            "consultant_id": consultant_ids[a.consultant_ref] if a.consultant_ref else None,
            "coordinator_id": coordinator_ids[a.coordinator_ref] if a.coordinator_ref else None,
            "role": a.role,
            "hours_per_week": a.hours_per_week,
            "start": a.start,
            "end": a.end,
            "status": a.status,
            "locked": a.locked,
            "version": 0,
        }
        for a in scenario.assignments
    ]
    _insert(connection, Assignment, assignments, "assignments", progress)
    follow_ups = [
        {
            "case_id": case_ids[f.case_ref],
            "coordinator_id": coordinator_ids[f.coordinator_ref] if f.coordinator_ref else None,
            "kind": f.kind,
            "due": f.due,
            "done_on": f.done_on,
            "version": 0,
        }
        for f in demo_follow_ups(scenario)
    ]
    _insert(connection, FollowUp, follow_ups, "follow-ups", progress)
    record_planning_date(connection, scenario.today)
    return {
        "consultants": len(consultant_ids),
        "consultant languages": len(consultant_languages),
        "absences": len(absences),
        "coordinators": len(coordinator_ids),
        "cases": len(case_ids),
        "case languages": len(case_languages),
        "assignments": len(assignments),
        "follow-ups": len(follow_ups),
    }


def record_planning_date(connection: Connection, day: dt.date) -> None:
    """Record `day` as the date the book is set on (`api.services.planning_date` reads it):
    the demo book is a snapshot of one day, so it is planned on that day."""
    target = table(BookSetting)
    connection.execute(delete(target).where(target.c.key == PLANNING_DATE_KEY))
    connection.execute(insert(target), [{"key": PLANNING_DATE_KEY, "value": day.isoformat()}])


def load_demo(
    engine: Engine,
    seed: int = DEFAULT_SEED,
    scale: int = 1,
    progress: Progress | bool | None = None,
    scenario: Scenario | None = None,
) -> dict[str, int]:
    """Generate (unless given) and write the demo book in one transaction."""
    book = scenario or demo_book(seed=seed, scale=scale)
    callback = progress if callable(progress) else None
    with engine.begin() as connection:
        return write_scenario(connection, book, callback)


def clear_business_data(engine: Engine) -> None:
    """Delete consultants, coordinators, cases and everything hanging off them."""
    from sqlalchemy import delete, inspect
    from sqlmodel import SQLModel

    reference = {"region", "municipality", "office", "alembic_version"}
    existing = set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        for target in reversed(SQLModel.metadata.sorted_tables):
            if target.name not in reference and target.name in existing:
                connection.execute(delete(target))
