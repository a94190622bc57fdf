"""The domain tables (SQLModel).

Families are vulnerable: a case stores a reference, a municipality, needs and
preferences — never a name or a CPR number. Lists that are only ever read with their
owner (qualifications, intervention types, country codes, exclusions) are JSON columns;
languages get their own rows because the API filters on them.

Each table follows the ``XBase`` (shared fields) / ``X(XBase, table=True)`` pattern so
that the API can derive ``XCreate`` / ``XUpdate`` / ``XPublic`` from the base.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

# --------------------------------------------------------------------------- enums


class InterventionType(StrEnum):
    FAMILY_TREATMENT = "family_treatment"
    INTENSIVE_FAMILY_TREATMENT = "intensive_family_treatment"
    SUPPORT_PERSON = "support_person"
    CONTACT_PERSON = "contact_person"
    COORDINATING_CONSULTANT = "coordinating_consultant"
    DOGNINDSATS = "dognindsats"


class LanguageLevel(StrEnum):
    NATIVE = "native"
    FLUENT = "fluent"
    WORKING = "working"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"


class GenderRule(StrEnum):
    REQUIRED = "required"
    PREFERRED = "preferred"


class Qualification(StrEnum):
    SOCIALRAADGIVER = "socialraadgiver"
    PAEDAGOG = "paedagog"
    PSYKOLOG = "psykolog"
    FAMILIETERAPEUT = "familieterapeut"
    SYGEPLEJERSKE = "sygeplejerske"
    LAERER = "laerer"


class PersonGroup(StrEnum):
    PARENTS = "parents"
    CHILD = "child"


class AbsenceReason(StrEnum):
    VACATION = "vacation"
    SICK = "sick"
    TRAINING = "training"
    OTHER = "other"


class CaseStatus(StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    ENDED = "ended"


class AssignmentRole(StrEnum):
    PRIMARY = "primary"
    SUPPORT = "support"
    COORDINATOR = "coordinator"


class AssignmentStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    ENDED = "ended"


class FollowUpKind(StrEnum):
    """What a coordinator owes a case on a due date (cadences: `data.follow_ups`)."""

    MUNICIPAL_FOLLOW_UP = "municipal_follow_up"
    STATUS_REPORT = "status_report"
    NETWORK_MEETING = "network_meeting"
    AFTER_END_CALL = "after_end_call"


def _json_list() -> Column:
    return Column(JSON, nullable=False, default=list)


# ----------------------------------------------------------------------- geography


class Region(SQLModel, table=True):
    """One of the five Danish regions; `code` is the ISO 3166-2 code (DK-84 …)."""

    code: str = Field(primary_key=True, max_length=5)
    name: str = Field(unique=True)


class Municipality(SQLModel, table=True):
    """A kommune; `code` is the official three-digit municipality code (101 = København)."""

    code: int = Field(primary_key=True)
    name: str = Field(unique=True, index=True)
    region_code: str = Field(foreign_key="region.code", index=True)
    lat: float
    lon: float


class OfficeBase(SQLModel):
    name: str = Field(unique=True, index=True)
    municipality_code: int = Field(foreign_key="municipality.code")
    lat: float
    lon: float
    #: ISO 3166-2 codes of the regions this office serves.
    serves_regions: list[str] = Field(default_factory=list, sa_column=_json_list())


class Office(OfficeBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


# --------------------------------------------------------------------- consultants


class ConsultantBase(SQLModel):
    #: A staff number, not a CPR number.
    employee_ref: str = Field(unique=True, index=True, max_length=32)
    display_name: str = Field(max_length=120)
    office_id: int = Field(foreign_key="office.id", index=True)
    home_municipality_code: int = Field(foreign_key="municipality.code")
    home_lat: float
    home_lon: float
    gender: Gender
    qualifications: list[str] = Field(default_factory=list, sa_column=_json_list())
    intervention_types: list[str] = Field(default_factory=list, sa_column=_json_list())
    #: ISO 3166-1 alpha-2 country codes of cultures the consultant knows well.
    cultural_countries: list[str] = Field(default_factory=list, sa_column=_json_list())
    #: Free competence tags, e.g. "trauma", "autism", "domestic-violence".
    competence_tags: list[str] = Field(default_factory=list, sa_column=_json_list())
    contracted_hours_per_week: float = Field(ge=0, le=60)
    max_cases: int = Field(ge=0, le=40)
    takes_night_shifts: bool = False
    has_driving_licence: bool = True
    active_from: dt.date
    active_to: dt.date | None = None


class Consultant(ConsultantBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: Bumped whenever capacity is committed to the consultant (optimistic locking).
    version: int = Field(default=0)


class ConsultantLanguage(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("consultant_id", "tag"),)

    id: int | None = Field(default=None, primary_key=True)
    consultant_id: int = Field(foreign_key="consultant.id", index=True, ondelete="CASCADE")
    #: BCP 47 tag, e.g. "ar-IQ", "ckb", "prs".
    tag: str = Field(index=True, max_length=35)
    level: LanguageLevel


class AbsenceBase(SQLModel):
    consultant_id: int = Field(foreign_key="consultant.id", index=True, ondelete="CASCADE")
    start: dt.date
    end: dt.date
    reason: AbsenceReason


class Absence(AbsenceBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class CoordinatorBase(SQLModel):
    employee_ref: str = Field(unique=True, index=True, max_length=32)
    display_name: str = Field(max_length=120)
    office_id: int = Field(foreign_key="office.id", index=True)
    max_caseload: int = Field(ge=0, le=200)


class Coordinator(CoordinatorBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=0)


# --------------------------------------------------------------------------- cases


class CaseBase(SQLModel):
    #: The municipality's or the provider's case reference; never a CPR number.
    reference: str = Field(unique=True, index=True, max_length=40)
    municipality_code: int = Field(foreign_key="municipality.code", index=True)
    lat: float
    lon: float
    intervention_type: InterventionType
    #: A second, different consultant as support or contact person beside the primary.
    needs_support_person: bool = False
    support_hours_per_week: float = Field(default=0, ge=0, le=60)
    cultural_countries: list[str] = Field(default_factory=list, sa_column=_json_list())
    hours_per_week: float = Field(ge=0, le=168)
    visits_per_week: float = Field(ge=0, le=21)
    requested_start: dt.datetime
    expected_end: dt.date | None = None
    priority: int = Field(default=2, ge=1, le=3)  # 1 = urgent
    gender: Gender | None = None
    gender_rule: GenderRule | None = None
    preferred_consultant_id: int | None = Field(default=None, foreign_key="consultant.id")
    #: Consultant ids that must not be sent (conflict of interest, earlier breakdown).
    excluded_consultant_ids: list[int] = Field(default_factory=list, sa_column=_json_list())
    required_qualifications: list[str] = Field(default_factory=list, sa_column=_json_list())
    #: A coordinator's sign-off that a related language (Dari for Persian, Arabic of
    #: another dialect group) may serve this family; matching never offers one without it.
    allow_related_language: bool = False
    status: CaseStatus = CaseStatus.REQUESTED


class Case(CaseBase, table=True):
    # "case" is an SQL keyword.
    __tablename__ = "family_case"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=0)
    #: How many times the course was extended past its aim or its expected end (each an
    #: audited change, `api.services.course.extend_case`); 0: never.
    extensions: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class CaseLanguage(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("case_id", "person_group", "tag"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="family_case.id", index=True, ondelete="CASCADE")
    person_group: PersonGroup
    tag: str = Field(index=True, max_length=35)


class AssignmentBase(SQLModel):
    case_id: int = Field(foreign_key="family_case.id", index=True)
    consultant_id: int | None = Field(default=None, foreign_key="consultant.id", index=True)
    coordinator_id: int | None = Field(default=None, foreign_key="coordinator.id", index=True)
    role: AssignmentRole
    hours_per_week: float = Field(default=0, ge=0, le=168)
    start: dt.date
    end: dt.date | None = None
    status: AssignmentStatus = AssignmentStatus.PROPOSED
    #: A locked assignment is never moved by re-optimisation.
    locked: bool = False


class Assignment(AssignmentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=0)


# ----------------------------------------------------------------------- follow-ups


class FollowUpBase(SQLModel):
    case_id: int = Field(foreign_key="family_case.id", index=True, ondelete="CASCADE")
    #: The case's coordinator when the plan was made (None: the case has none yet).
    coordinator_id: int | None = Field(default=None, foreign_key="coordinator.id", index=True)
    kind: FollowUpKind
    due: dt.date = Field(index=True)
    #: The planning date it was marked done on; None: still open (overdue once past due).
    done_on: dt.date | None = None


class FollowUp(FollowUpBase, table=True):
    """One follow-up of a case's plan. Open ones are replaced whenever the plan is
    regenerated (confirm, end, extension); done ones stay as the course's record."""

    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=0)


# --------------------------------------------------------------------------- the book


#: `BookSetting` key of the date the book of business is set on (ISO format). The demo
#: seed records its scenario's "today" there, so the demo plans on its own day.
PLANNING_DATE_KEY = "planning_date"


class BookSetting(SQLModel, table=True):
    """A fact about the whole book of business, stored as text under a key."""

    __tablename__ = "book_setting"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)
