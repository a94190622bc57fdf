"""Cases (a family and its intervention; never a name or a CPR number) and their languages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, model_validator
from sqlmodel import SQLModel

from api.schemas.common import (
    CountryCode,
    DbId,
    LanguageTag,
    Latitude,
    LocalDateTime,
    Longitude,
    MunicipalityCode,
    PlanningDate,
    RequestModel,
    Version,
    with_examples,
)
from data.models import CaseStatus, Gender, GenderRule, InterventionType, PersonGroup, Qualification

#: A case reference: letters, digits and - _ / . only (never a CPR number, see below).
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$"


class CaseLanguageIn(RequestModel):
    """A language one person group of the family needs."""

    model_config = with_examples({"person_group": "parents", "tag": "ar-IQ"})

    person_group: PersonGroup
    tag: LanguageTag


def _check_reference(reference: str | None) -> None:
    # A Danish CPR number is ten digits, optionally DDMMYY-XXXX: refuse anything like it.
    if reference is None:
        return
    digits = reference.replace("-", "")
    if digits.isdigit() and len(digits) == 10:
        raise ValueError("reference: looks like a CPR number; use a case reference instead")


def _check_languages(languages: list[CaseLanguageIn] | None) -> None:
    if languages is None:
        return
    keys = [(language.person_group, language.tag) for language in languages]
    if len(keys) != len(set(keys)):
        raise ValueError("languages: a (person_group, tag) pair is listed twice")


def _check_gender(gender: Gender | None, rule: GenderRule | None) -> None:
    if rule is not None and gender is None:
        raise ValueError("gender: required when gender_rule is set")


_CASE_EXAMPLE: dict[str, Any] = {
    "reference": "KBH-2026-0042",
    "municipality_code": 101,
    "lat": 55.68,
    "lon": 12.57,
    "intervention_type": "family_treatment",
    "needs_support_person": False,
    "support_hours_per_week": 0,
    "cultural_countries": ["IQ"],
    "hours_per_week": 6,
    "visits_per_week": 2,
    "requested_start": "2026-03-02T09:00:00",
    "expected_end": "2026-12-01",
    "priority": 1,
    "gender": "female",
    "gender_rule": "preferred",
    "preferred_consultant_id": None,
    "excluded_consultant_ids": [],
    "required_qualifications": [],
    "languages": [{"person_group": "parents", "tag": "ar-IQ"}],
}


class CaseCreate(RequestModel):
    model_config = with_examples(_CASE_EXAMPLE)

    reference: str = Field(pattern=REFERENCE_PATTERN, examples=["KBH-2026-0042"])
    municipality_code: MunicipalityCode
    #: The family's location; defaults to the municipality's centroid.
    lat: Latitude | None = None
    lon: Longitude | None = None
    intervention_type: InterventionType
    needs_support_person: bool = False
    support_hours_per_week: float = Field(default=0, ge=0, le=60)
    cultural_countries: list[CountryCode] = Field(default_factory=list, max_length=10)
    hours_per_week: float = Field(ge=0, le=168)
    visits_per_week: float = Field(ge=0, le=21)
    requested_start: LocalDateTime
    expected_end: PlanningDate | None = None
    priority: int = Field(default=2, ge=1, le=3)
    gender: Gender | None = None
    gender_rule: GenderRule | None = None
    preferred_consultant_id: DbId | None = None
    excluded_consultant_ids: list[DbId] = Field(default_factory=list, max_length=50)
    required_qualifications: list[Qualification] = Field(default_factory=list, max_length=6)
    #: A coordinator's sign-off that a related language (Dari for Persian, Arabic of
    #: another dialect group) may serve the family.
    allow_related_language: bool = False
    languages: list[CaseLanguageIn] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _check(self) -> CaseCreate:
        _check_reference(self.reference)
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lon: give both lat and lon, or neither")
        if self.expected_end is not None and self.expected_end < self.requested_start.date():
            raise ValueError("expected_end: ends before requested_start")
        _check_gender(self.gender, self.gender_rule)
        _check_languages(self.languages)
        return self


class CaseUpdate(RequestModel):
    model_config = with_examples({"status": "ended", "expected_end": "2026-11-30"})

    municipality_code: MunicipalityCode | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    intervention_type: InterventionType | None = None
    needs_support_person: bool | None = None
    support_hours_per_week: float | None = Field(default=None, ge=0, le=60)
    cultural_countries: list[CountryCode] | None = Field(default=None, max_length=10)
    hours_per_week: float | None = Field(default=None, ge=0, le=168)
    visits_per_week: float | None = Field(default=None, ge=0, le=21)
    requested_start: LocalDateTime | None = None
    expected_end: PlanningDate | None = None
    priority: int | None = Field(default=None, ge=1, le=3)
    gender: Gender | None = None
    gender_rule: GenderRule | None = None
    preferred_consultant_id: DbId | None = None
    excluded_consultant_ids: list[DbId] | None = Field(default=None, max_length=50)
    required_qualifications: list[Qualification] | None = Field(default=None, max_length=6)
    allow_related_language: bool | None = None
    status: CaseStatus | None = None
    languages: list[CaseLanguageIn] | None = Field(default=None, max_length=10)
    #: The version you read; when given, a concurrent change answers 409.
    version: Version | None = None

    @model_validator(mode="after")
    def _check(self) -> CaseUpdate:
        _check_languages(self.languages)
        return self


class CasePublic(SQLModel):
    """A case as reception and team leaders see it: everything matching and planning
    need, but not where the family lives (`lat`/`lon` stay inside the solver)."""

    model_config = with_examples(
        {
            "id": 42,
            "version": 0,
            "status": "requested",
            **{k: v for k, v in _CASE_EXAMPLE.items() if k not in ("lat", "lon")},
        }
    )

    id: int
    version: int
    reference: str
    municipality_code: MunicipalityCode
    intervention_type: InterventionType
    needs_support_person: bool
    support_hours_per_week: float
    cultural_countries: list[str]
    hours_per_week: float
    visits_per_week: float
    requested_start: dt.datetime
    expected_end: dt.date | None
    priority: int
    gender: Gender | None
    gender_rule: GenderRule | None
    preferred_consultant_id: int | None
    excluded_consultant_ids: list[int]
    required_qualifications: list[str]
    allow_related_language: bool
    status: CaseStatus
    languages: list[CaseLanguageIn]


class CaseAdmin(CasePublic):
    """A case as an admin sees it: with the family's location."""

    model_config = with_examples({"id": 42, "version": 0, "status": "requested", **_CASE_EXAMPLE})

    lat: float
    lon: float


#: A case as the caller may see it: `CaseAdmin` for admins, `CasePublic` for the others
#: (tried in that order, so an admin's answer keeps its coordinates).
CaseView = Annotated[CaseAdmin | CasePublic, Field(union_mode="left_to_right")]
