"""Consultants, their languages and absences."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, model_validator
from sqlmodel import SQLModel

from api.schemas.common import (
    CompetenceTag,
    CountryCode,
    DbId,
    LanguageTag,
    Latitude,
    Longitude,
    MunicipalityCode,
    PlanningDate,
    RequestModel,
    with_examples,
)
from data.models import AbsenceReason, Gender, InterventionType, LanguageLevel, Qualification


class LanguageSkill(RequestModel):
    """One language a consultant speaks, at a level."""

    model_config = with_examples({"tag": "ar-IQ", "level": "native"})

    tag: LanguageTag
    level: LanguageLevel


def _unique_tags(languages: list[LanguageSkill] | None) -> None:
    if languages is None:
        return
    tags = [language.tag for language in languages]
    if len(tags) != len(set(tags)):
        raise ValueError("languages: a tag is listed twice")


_CONSULTANT_EXAMPLE: dict[str, Any] = {
    "employee_ref": "E-1042",
    "display_name": "Consultant 1042",
    "office_id": 1,
    "home_municipality_code": 101,
    "home_lat": 55.68,
    "home_lon": 12.57,
    "gender": "female",
    "qualifications": ["socialraadgiver"],
    "intervention_types": ["family_treatment", "support_person"],
    "cultural_countries": ["IQ", "SY"],
    "competence_tags": ["trauma"],
    "contracted_hours_per_week": 37,
    "max_cases": 6,
    "takes_night_shifts": True,
    "has_driving_licence": True,
    "active_from": "2024-01-01",
    "active_to": None,
    "languages": [{"tag": "ar-IQ", "level": "native"}, {"tag": "da", "level": "fluent"}],
}


class ConsultantCreate(RequestModel):
    model_config = with_examples(_CONSULTANT_EXAMPLE)

    employee_ref: str = Field(min_length=1, max_length=32)
    display_name: str = Field(min_length=1, max_length=120)
    office_id: DbId
    home_municipality_code: MunicipalityCode
    home_lat: Latitude
    home_lon: Longitude
    gender: Gender
    qualifications: list[Qualification] = Field(default_factory=list, max_length=10)
    intervention_types: list[InterventionType] = Field(default_factory=list, max_length=10)
    cultural_countries: list[CountryCode] = Field(default_factory=list, max_length=20)
    competence_tags: list[CompetenceTag] = Field(default_factory=list, max_length=20)
    contracted_hours_per_week: float = Field(ge=0, le=60)
    max_cases: int = Field(ge=0, le=40)
    takes_night_shifts: bool = False
    has_driving_licence: bool = True
    active_from: PlanningDate
    active_to: PlanningDate | None = None
    languages: list[LanguageSkill] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _check(self) -> ConsultantCreate:
        if self.active_to is not None and self.active_to < self.active_from:
            raise ValueError("active_to: ends before active_from")
        _unique_tags(self.languages)
        return self


class ConsultantUpdate(RequestModel):
    model_config = with_examples({"max_cases": 5, "active_to": "2026-12-31"})

    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    office_id: DbId | None = None
    home_municipality_code: MunicipalityCode | None = None
    home_lat: Latitude | None = None
    home_lon: Longitude | None = None
    gender: Gender | None = None
    qualifications: list[Qualification] | None = Field(default=None, max_length=10)
    intervention_types: list[InterventionType] | None = Field(default=None, max_length=10)
    cultural_countries: list[CountryCode] | None = Field(default=None, max_length=20)
    competence_tags: list[CompetenceTag] | None = Field(default=None, max_length=20)
    contracted_hours_per_week: float | None = Field(default=None, ge=0, le=60)
    max_cases: int | None = Field(default=None, ge=0, le=40)
    takes_night_shifts: bool | None = None
    has_driving_licence: bool | None = None
    active_from: PlanningDate | None = None
    active_to: PlanningDate | None = None
    languages: list[LanguageSkill] | None = Field(default=None, max_length=20)

    @model_validator(mode="after")
    def _check(self) -> ConsultantUpdate:
        _unique_tags(self.languages)
        return self


_HOME_FIELDS = ("home_municipality_code", "home_lat", "home_lon")


class ConsultantPublic(SQLModel):
    """A consultant as reception and team leaders see them: languages, office, contract
    and skills, but not where they live (their home stays inside the solver)."""

    model_config = with_examples(
        {
            "id": 7,
            "version": 0,
            **{k: v for k, v in _CONSULTANT_EXAMPLE.items() if k not in _HOME_FIELDS},
        }
    )

    id: int
    version: int
    employee_ref: str
    display_name: str
    office_id: DbId
    gender: Gender
    qualifications: list[str]
    intervention_types: list[str]
    cultural_countries: list[str]
    competence_tags: list[str]
    contracted_hours_per_week: float
    max_cases: int
    takes_night_shifts: bool
    has_driving_licence: bool
    active_from: dt.date
    active_to: dt.date | None
    languages: list[LanguageSkill]


class ConsultantAdmin(ConsultantPublic):
    """A consultant as an admin sees them: with their home."""

    model_config = with_examples({"id": 7, "version": 0, **_CONSULTANT_EXAMPLE})

    home_municipality_code: MunicipalityCode
    home_lat: float
    home_lon: float


#: A consultant as the caller may see them (`ConsultantAdmin` first: an admin's answer
#: keeps the home fields).
ConsultantView = Annotated[ConsultantAdmin | ConsultantPublic, Field(union_mode="left_to_right")]


class AbsenceCreate(RequestModel):
    model_config = with_examples({"start": "2026-03-02", "end": "2026-03-04", "reason": "sick"})

    start: PlanningDate
    end: PlanningDate
    reason: AbsenceReason

    @model_validator(mode="after")
    def _check(self) -> AbsenceCreate:
        if self.end < self.start:
            raise ValueError("end: ends before start")
        return self


class AbsencePublic(SQLModel):
    """An absence as reception sees it: when, not why ("absent" is enough to match)."""

    model_config = with_examples(
        {"id": 3, "consultant_id": 7, "start": "2026-03-02", "end": "2026-03-04"}
    )

    id: int
    consultant_id: int
    start: dt.date
    end: dt.date


class AbsenceDetail(AbsencePublic):
    """An absence with its reason: for admins and the consultant's own team leaders."""

    model_config = with_examples(
        {
            "id": 3,
            "consultant_id": 7,
            "start": "2026-03-02",
            "end": "2026-03-04",
            "reason": "sick",
        }
    )

    reason: AbsenceReason


AbsenceView = Annotated[AbsenceDetail | AbsencePublic, Field(union_mode="left_to_right")]
