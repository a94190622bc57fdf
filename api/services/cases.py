"""Cases: register one, change it (optimistic locking), end it, replace its languages.

Ending a case (its status becomes ``ended``) also ends its running assignments, in the
same transaction: otherwise its consultants would stay loaded with a case the matcher
no longer sees, and a confirmation would refuse capacity a match had offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session, col, delete, select, update

from api.audit import record
from api.schemas.cases import CaseAdmin, CaseCreate, CaseLanguageIn, CaseUpdate
from api.services.assignments import bump_version
from api.services.errors import Conflict, Invalid
from api.services.follow_ups import regenerate as regenerate_follow_ups
from api.services.invariants import running_assignments
from api.services.references import (
    children_by_parent,
    get_or_404,
    require_consultants,
    require_municipality,
)
from data.languages import family_language
from data.models import (
    Assignment,
    AssignmentStatus,
    Case,
    CaseLanguage,
    CaseStatus,
)
from data.ops_models import AuditAction

#: Columns a change may not set to null.
_NOT_NULL = (
    "municipality_code",
    "lat",
    "lon",
    "intervention_type",
    "needs_support_person",
    "support_hours_per_week",
    "cultural_countries",
    "hours_per_week",
    "visits_per_week",
    "requested_start",
    "priority",
    "excluded_consultant_ids",
    "required_qualifications",
    "allow_related_language",
    "status",
)


#: Fields whose change moves a case's follow-up plan (its start, end or cadence).
_COURSE_FIELDS = {"expected_end", "requested_start", "intervention_type", "status"}


def languages_of(session: Session, ids: Sequence[int]) -> dict[int, list[CaseLanguageIn]]:
    """The languages of each case, one query for a whole page."""
    return children_by_parent(
        session,
        CaseLanguage,
        "case_id",
        ids,
        lambda row: CaseLanguageIn(person_group=row.person_group, tag=row.tag),
    )


def case_family_language(session: Session, case_id: int) -> str | None:
    """`family_language` of one stored case."""
    rows = session.exec(
        select(CaseLanguage).where(CaseLanguage.case_id == case_id).order_by(col(CaseLanguage.id))
    ).all()
    return family_language([(row.person_group, row.tag) for row in rows])


def to_public(case: Case, languages: list[CaseLanguageIn]) -> CaseAdmin:
    return CaseAdmin.model_validate(
        {**case.model_dump(), "languages": [language.model_dump() for language in languages]}
    )


def _write_languages(session: Session, case_id: int, languages: list[CaseLanguageIn]) -> None:
    session.exec(delete(CaseLanguage).where(col(CaseLanguage.case_id) == case_id))
    for language in languages:
        session.add(
            CaseLanguage(case_id=case_id, person_group=language.person_group, tag=language.tag)
        )


def _check_consultant_refs(
    session: Session, preferred: int | None, excluded: Sequence[int] | None
) -> None:
    if preferred is not None:
        require_consultants(session, [preferred], "body.preferred_consultant_id")
    if excluded:
        require_consultants(session, excluded, "body.excluded_consultant_ids")


def register_case(session: Session, body: CaseCreate) -> CaseAdmin:
    """A new case (requested); without a location it sits at its municipality's centre."""
    municipality = require_municipality(session, body.municipality_code, "body.municipality_code")
    _check_consultant_refs(session, body.preferred_consultant_id, body.excluded_consultant_ids)
    values = body.model_dump(exclude={"languages"})
    if values["lat"] is None:
        values["lat"], values["lon"] = municipality.lat, municipality.lon
    case = Case.model_validate(values)
    session.add(case)
    session.flush()
    assert case.id is not None
    _write_languages(session, case.id, body.languages)
    session.commit()
    session.refresh(case)
    return to_public(case, body.languages)


def update_case(
    session: Session, case_id: int, body: CaseUpdate, actor_key_id: int | None, today: dt.date
) -> CaseAdmin:
    """Change a case; with `body.version`, a concurrent change is a `Conflict`.

    Ending it ends its running assignments on its `expected_end` (the one sent, else
    the one it has if already past, else `today`).
    """
    case = get_or_404(session, Case, case_id, "case")
    changes = body.model_dump(exclude_unset=True, exclude={"languages", "version"})
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise Invalid.field(f"body.{name}", "may not be null")
    if "municipality_code" in changes:
        require_municipality(session, changes["municipality_code"], "body.municipality_code")
    _check_consultant_refs(
        session, changes.get("preferred_consultant_id"), changes.get("excluded_consultant_ids")
    )
    requested_start: dt.datetime = changes.get("requested_start", case.requested_start)
    expected_end: dt.date | None = changes.get("expected_end", case.expected_end)
    if expected_end is not None and expected_end < requested_start.date():
        raise Invalid.field("body.expected_end", "ends before requested_start")
    gender = changes.get("gender", case.gender)
    if changes.get("gender_rule", case.gender_rule) is not None and gender is None:
        raise Invalid.field("body.gender", "required when gender_rule is set")
    ending = changes.get("status") is CaseStatus.ENDED and case.status is not CaseStatus.ENDED
    expected_version = body.version if body.version is not None else case.version
    updated = session.exec(
        update(Case)
        .where(col(Case.id) == case_id, col(Case.version) == expected_version)
        .values(**changes, version=col(Case.version) + 1)
    )
    if updated.rowcount != 1:
        session.rollback()
        raise Conflict(
            f"case {case_id} changed since you read it (you sent version {expected_version})"
        )
    if body.languages is not None:
        _write_languages(session, case_id, body.languages)
    if ending:
        last_day = _last_day(changes.get("expected_end"), case.expected_end, today)
        _end_running_assignments(session, case_id, last_day, actor_key_id)
    if ending or _COURSE_FIELDS & changes.keys():
        regenerate_follow_ups(session, case_id)
    session.commit()
    session.refresh(case)
    return to_public(case, languages_of(session, [case_id])[case_id])


def _last_day(sent: dt.date | None, stored: dt.date | None, today: dt.date) -> dt.date:
    """The day an ended case's assignments end: the end date sent with the change; else
    the case's own end if already past; else `today`."""
    if sent is not None:
        return sent
    if stored is not None and stored <= today:
        return stored
    return today


def _end_running_assignments(
    session: Session, case_id: int, last_day: dt.date, actor_key_id: int | None
) -> None:
    """End the case's assignments still running on `last_day` (on that day, or on their
    start if they start later)."""
    running = session.exec(
        select(Assignment).where(col(Assignment.case_id) == case_id, running_assignments(last_day))
    ).all()
    for assignment in running:
        assignment.status = AssignmentStatus.ENDED
        assignment.end = max(assignment.start, min(assignment.end or last_day, last_day))
        assignment.version += 1
        session.add(assignment)
    if running:
        record(
            session,
            actor_key_id,
            AuditAction.ASSIGNMENT_UPDATE,
            "assignment",
            [a.id for a in running if a.id is not None],
            case_id=case_id,
        )


def replace_languages(
    session: Session, case_id: int, languages: list[CaseLanguageIn]
) -> list[CaseLanguageIn]:
    """Replace a case's languages; a (person group, tag) pair may appear once."""
    get_or_404(session, Case, case_id, "case")
    keys = [(language.person_group, language.tag) for language in languages]
    if len(keys) != len(set(keys)):
        raise Invalid.field("body", "a (person_group, tag) pair is listed twice")
    bump_version(session, Case, case_id)
    _write_languages(session, case_id, languages)
    session.commit()
    return languages
