"""Consultants: register one, change the contract or the details, languages, absences.

A change locks the consultant's row by bumping its `version` (as a confirmation does),
so a confirmation that quotes the version of an earlier match is refused (409) after a
contract cut, and a plan applied afterwards re-checks the new capacity.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, delete

from api.auth import Principal
from api.schemas.consultants import (
    AbsenceCreate,
    ConsultantAdmin,
    ConsultantCreate,
    ConsultantUpdate,
    LanguageSkill,
)
from api.services.assignments import bump_version
from api.services.errors import Forbidden, Invalid, NotFound
from api.services.references import (
    children_by_parent,
    get_or_404,
    require_municipality,
    require_office,
)
from data.models import Absence, Consultant, ConsultantLanguage

#: Columns a change may not set to null.
_NOT_NULL = (
    "display_name",
    "office_id",
    "home_municipality_code",
    "home_lat",
    "home_lon",
    "gender",
    "qualifications",
    "intervention_types",
    "cultural_countries",
    "competence_tags",
    "contracted_hours_per_week",
    "max_cases",
    "takes_night_shifts",
    "has_driving_licence",
    "active_from",
)


def languages_of(session: Session, ids: Sequence[int]) -> dict[int, list[LanguageSkill]]:
    """The languages of each consultant, one query for a whole page."""
    return children_by_parent(
        session,
        ConsultantLanguage,
        "consultant_id",
        ids,
        lambda row: LanguageSkill(tag=row.tag, level=row.level),
    )


def to_public(consultant: Consultant, languages: list[LanguageSkill]) -> ConsultantAdmin:
    return ConsultantAdmin.model_validate(
        {**consultant.model_dump(), "languages": [skill.model_dump() for skill in languages]}
    )


def _write_languages(session: Session, consultant_id: int, languages: list[LanguageSkill]) -> None:
    session.exec(
        delete(ConsultantLanguage).where(col(ConsultantLanguage.consultant_id) == consultant_id)
    )
    for skill in languages:
        session.add(
            ConsultantLanguage(consultant_id=consultant_id, tag=skill.tag, level=skill.level)
        )


def register_consultant(session: Session, body: ConsultantCreate) -> ConsultantAdmin:
    require_office(session, body.office_id, "body.office_id")
    require_municipality(session, body.home_municipality_code, "body.home_municipality_code")
    consultant = Consultant.model_validate(body.model_dump(exclude={"languages"}))
    session.add(consultant)
    session.flush()
    assert consultant.id is not None
    _write_languages(session, consultant.id, body.languages)
    session.commit()
    session.refresh(consultant)
    return to_public(consultant, body.languages)


def update_consultant(
    session: Session, consultant_id: int, body: ConsultantUpdate
) -> ConsultantAdmin:
    """Change a consultant (the contract, the details, the languages); the row's version
    moves on, so matches quoted before the change are stale."""
    consultant = get_or_404(session, Consultant, consultant_id, "consultant")
    changes = body.model_dump(exclude_unset=True, exclude={"languages"})
    for required in _NOT_NULL:
        if required in changes and changes[required] is None:
            raise Invalid.field(f"body.{required}", "may not be null")
    if "office_id" in changes:
        require_office(session, changes["office_id"], "body.office_id")
    if "home_municipality_code" in changes:
        require_municipality(
            session, changes["home_municipality_code"], "body.home_municipality_code"
        )
    active_from = changes.get("active_from", consultant.active_from)
    active_to = changes.get("active_to", consultant.active_to)
    if active_to is not None and active_to < active_from:
        raise Invalid.field("body.active_to", "ends before active_from")
    bump_version(session, Consultant, consultant_id)
    session.refresh(consultant)
    consultant.sqlmodel_update(changes)
    session.add(consultant)
    if body.languages is not None:
        _write_languages(session, consultant_id, body.languages)
    session.commit()
    session.refresh(consultant)
    return to_public(consultant, languages_of(session, [consultant_id])[consultant_id])


def replace_languages(
    session: Session, consultant_id: int, languages: list[LanguageSkill]
) -> list[LanguageSkill]:
    """Replace the languages a consultant speaks; a tag may appear once."""
    get_or_404(session, Consultant, consultant_id, "consultant")
    tags = [skill.tag for skill in languages]
    if len(tags) != len(set(tags)):
        raise Invalid.field("body", "a tag is listed twice")
    bump_version(session, Consultant, consultant_id)
    _write_languages(session, consultant_id, languages)
    session.commit()
    return languages


def _check_absence_scope(principal: Principal, consultant: Consultant) -> None:
    if not principal.may_act_for_offices({consultant.office_id}):
        raise Forbidden("the consultant belongs to an office outside your scope")


def register_absence(
    session: Session, principal: Principal, consultant_id: int, body: AbsenceCreate
) -> Absence:
    """An absence (team leaders: of their offices' consultants only)."""
    consultant = get_or_404(session, Consultant, consultant_id, "consultant")
    _check_absence_scope(principal, consultant)
    # An absence changes what the consultant can take: matches read before it are stale.
    bump_version(session, Consultant, consultant_id)
    absence = Absence(consultant_id=consultant_id, **body.model_dump())
    session.add(absence)
    session.commit()
    session.refresh(absence)
    return absence


def delete_absence(
    session: Session, principal: Principal, consultant_id: int, absence_id: int
) -> None:
    consultant = get_or_404(session, Consultant, consultant_id, "consultant")
    _check_absence_scope(principal, consultant)
    absence = session.get(Absence, absence_id)
    if absence is None or absence.consultant_id != consultant_id:
        raise NotFound(f"absence {absence_id} of consultant", consultant_id)
    bump_version(session, Consultant, consultant_id)
    session.delete(absence)
    session.commit()
