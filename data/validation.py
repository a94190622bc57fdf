"""Validation at the boundary: records coming from files, forms or the API.

Reusable annotated types (`LanguageTag`, `MunicipalityCode`, `CountryCode`, `Hours`)
check one value each; `ConsultantRecord` and `CaseRecord` check a whole imported row
(including cross-field rules such as an end before a start). `check_record` turns any
failure into `Issue`s that name the record (e.g. ``"row 7"`` or a reference) and the
field, so that a person can fix the file.

Nothing here touches the database: references to other records (an office name, a
consultant's staff number) are resolved by the importer against what exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from data.geography import is_municipality_code
from data.languages import InvalidLanguageTag, normalize_tag
from data.models import (
    CaseStatus,
    Gender,
    GenderRule,
    InterventionType,
    LanguageLevel,
    PersonGroup,
    Qualification,
)

# ------------------------------------------------------------------------ issues


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem with one field of one record."""

    record: str  # "row 7", "case K-2023-0012", …
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.record}, {self.field}: {self.reason}"


class RecordError(ValueError):
    """One or more records are invalid; `issues` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        shown = "; ".join(str(i) for i in issues[:5])
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        super().__init__(f"{len(issues)} invalid field(s): {shown}{more}")


# ------------------------------------------------------------ single-value checks


def check_language_tag(value: str) -> str:
    try:
        return normalize_tag(value)
    except InvalidLanguageTag as error:
        raise ValueError(str(error)) from None


def check_municipality_code(value: int) -> int:
    if not is_municipality_code(value):
        raise ValueError(f"{value!r} is not a Danish municipality code (kommunekode)")
    return value


def check_country_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _split_list(value: Any) -> Any:
    """Accept ``"a;b"`` (files) as well as a list; empty cells become ``[]``."""
    if value is None:
        return []
    if isinstance(value, float) and value != value:  # NaN from pandas
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _blank_to_none(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


LanguageTag = Annotated[str, AfterValidator(check_language_tag)]
MunicipalityCode = Annotated[int, AfterValidator(check_municipality_code)]
CountryCode = Annotated[str, AfterValidator(check_country_code)]
#: Hours per week: never negative; more than a week has no meaning.
Hours = Annotated[float, Field(ge=0, le=168)]
StrList = Annotated[list[str], BeforeValidator(_split_list)]
CountryList = Annotated[list[CountryCode], BeforeValidator(_split_list)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_blank_to_none)]
OptionalStr = Annotated[str | None, BeforeValidator(_blank_to_none)]


def _end_not_before_start(start: dt.date, end: dt.date | None, field: str) -> None:
    if end is not None and end < start:
        raise ValueError(f"{field}: {end.isoformat()} is before the start {start.isoformat()}")


# ------------------------------------------------------------------ languages


class LanguageSkill(BaseModel):
    model_config = ConfigDict(frozen=True)

    tag: LanguageTag
    level: LanguageLevel


class CaseLanguageNeed(BaseModel):
    model_config = ConfigDict(frozen=True)

    person_group: PersonGroup
    tag: LanguageTag


def _pairs(value: Any, column: str) -> list[tuple[str, str]]:
    if not isinstance(value, str):
        raise ValueError(f"expected text like {column}")
    pairs = []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        left, sep, right = part.partition(":")
        if not sep:
            raise ValueError(f"{part!r}: expected {column}")
        pairs.append((left.strip(), right.strip()))
    return pairs


def parse_consultant_languages(value: Any) -> Any:
    """``"ar-IQ:native;da:fluent"`` → skills (lists of dicts/skills pass through)."""
    if isinstance(value, str):
        skills = []
        for tag, level in _pairs(value, '"ar-IQ:native;da:fluent"'):
            if level not in {lv.value for lv in LanguageLevel}:
                allowed = ", ".join(lv.value for lv in LanguageLevel)
                raise ValueError(f"{tag}: level {level!r} is not one of {allowed}")
            skills.append({"tag": tag, "level": level})
        return skills
    return value


def parse_case_languages(value: Any) -> Any:
    """``"parents:ar-IQ;child:da"`` → needs (lists of dicts/needs pass through)."""
    if isinstance(value, str):
        needs = []
        for group, tag in _pairs(value, '"parents:ar-IQ;child:da"'):
            if group not in {g.value for g in PersonGroup}:
                raise ValueError(f"{group!r} is not a person group (parents, child)")
            needs.append({"person_group": group, "tag": tag})
        return needs
    return value


def format_consultant_languages(skills: list[tuple[str, str]]) -> str:
    return ";".join(f"{tag}:{level}" for tag, level in skills)


def format_case_languages(needs: list[tuple[str, str]]) -> str:
    return ";".join(f"{group}:{tag}" for group, tag in needs)


# -------------------------------------------------------------------- records


class ConsultantRecord(BaseModel):
    """A consultant as imported or exported; the office is referenced by name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    employee_ref: str = Field(min_length=1, max_length=32)
    display_name: str = Field(min_length=1, max_length=120)
    office: str = Field(min_length=1)
    home_municipality_code: MunicipalityCode
    home_lat: float | None = Field(default=None, ge=54.0, le=58.0)
    home_lon: float | None = Field(default=None, ge=7.5, le=15.5)
    gender: Gender
    languages: Annotated[list[LanguageSkill], BeforeValidator(parse_consultant_languages)]
    qualifications: Annotated[list[Qualification], BeforeValidator(_split_list)] = []
    intervention_types: Annotated[list[InterventionType], BeforeValidator(_split_list)] = []
    cultural_countries: CountryList = []
    competence_tags: StrList = []
    contracted_hours_per_week: Annotated[float, Field(ge=0, le=60)]
    max_cases: Annotated[int, Field(ge=0, le=40)]
    takes_night_shifts: bool = False
    has_driving_licence: bool = True
    active_from: dt.date
    active_to: OptionalDate = None

    @field_validator("languages")
    @classmethod
    def _one_level_per_language(cls, skills: list[LanguageSkill]) -> list[LanguageSkill]:
        if not skills:
            raise ValueError("at least one language is required")
        tags = [s.tag for s in skills]
        duplicates = sorted({t for t in tags if tags.count(t) > 1})
        if duplicates:
            raise ValueError(f"language listed twice: {', '.join(duplicates)}")
        return skills

    @model_validator(mode="after")
    def _active_period(self) -> ConsultantRecord:
        _end_not_before_start(self.active_from, self.active_to, "active_to")
        return self


class CaseRecord(BaseModel):
    """A case as imported or exported; consultants are referenced by staff number."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reference: str = Field(min_length=1, max_length=40)
    municipality_code: MunicipalityCode
    lat: float | None = Field(default=None, ge=54.0, le=58.0)
    lon: float | None = Field(default=None, ge=7.5, le=15.5)
    intervention_type: InterventionType
    languages: Annotated[list[CaseLanguageNeed], BeforeValidator(parse_case_languages)]
    needs_support_person: bool = False
    support_hours_per_week: Hours = 0
    cultural_countries: CountryList = []
    hours_per_week: Hours
    visits_per_week: Annotated[float, Field(ge=0, le=21)]
    requested_start: dt.datetime
    expected_end: OptionalDate = None
    priority: Annotated[int, Field(ge=1, le=3)] = 2
    gender: Annotated[Gender | None, BeforeValidator(_blank_to_none)] = None
    gender_rule: Annotated[GenderRule | None, BeforeValidator(_blank_to_none)] = None
    preferred_consultant: OptionalStr = None
    excluded_consultants: StrList = []
    required_qualifications: Annotated[list[Qualification], BeforeValidator(_split_list)] = []
    #: A coordinator's sign-off that a related language may serve the family
    #: (`Case.allow_related_language`); a blank cell keeps a stored case's sign-off.
    allow_related_language: bool = False
    status: CaseStatus = CaseStatus.REQUESTED

    @field_validator("languages")
    @classmethod
    def _at_least_one_language(cls, needs: list[CaseLanguageNeed]) -> list[CaseLanguageNeed]:
        if not needs:
            raise ValueError("at least one language is required")
        pairs = [f"{n.person_group.value}:{n.tag}" for n in needs]
        duplicates = sorted({p for p in pairs if pairs.count(p) > 1})
        if duplicates:
            raise ValueError(f"language listed twice: {', '.join(duplicates)}")
        return needs

    @field_validator("requested_start")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        # Times without an offset are Danish local time.
        if value.tzinfo is None:
            from zoneinfo import ZoneInfo

            return value.replace(tzinfo=ZoneInfo("Europe/Copenhagen"))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CaseRecord:
        _end_not_before_start(self.requested_start.date(), self.expected_end, "expected_end")
        if self.gender_rule is not None and self.gender is None:
            raise ValueError("gender_rule: set without a gender")
        if self.needs_support_person and self.support_hours_per_week <= 0:
            raise ValueError("support_hours_per_week: must be > 0 when a support person is needed")
        return self


class PeriodRecord(BaseModel):
    """A dated period (absence, assignment): the end may not precede the start."""

    model_config = ConfigDict(extra="ignore")

    start: dt.date
    end: OptionalDate = None

    @model_validator(mode="after")
    def _ordered(self) -> PeriodRecord:
        _end_not_before_start(self.start, self.end, "end")
        return self


# ---------------------------------------------------------------- conversion

M = TypeVar("M", bound=BaseModel)


def issues_from(error: ValidationError, record: str) -> list[Issue]:
    """One `Issue` per pydantic error, naming the top-level field."""
    issues = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        message = str(item["msg"]).removeprefix("Value error, ")
        field = loc[0] if loc else ""
        if not field and ": " in message:  # model-level check: "field: reason"
            field, message = message.split(": ", 1)
        if len(loc) > 1:  # e.g. languages.1.tag
            message = f"{'.'.join(loc[1:])}: {message}"
        issues.append(Issue(record, field or "(record)", message))
    return issues


def check_record(model: type[M], data: dict[str, Any], record: str) -> M:
    """Validate `data` as `model`; raise `RecordError` naming `record` and each field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RecordError(issues_from(error, record)) from None
