"""The demo scenario's plain objects (`Scenario` and its specs) and the small helpers the
case, staff and assignment generators share (`data.scenario`, `data.scenario_staff`,
`data.scenario_assign` import them from here, so none of them imports another's caller).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TypeVar

import langcodes

from data import geography
from data.calibration import ORIGIN_COUNTRIES
from data.geography import MunicipalityRef
from data.models import (
    AbsenceReason,
    AssignmentRole,
    AssignmentStatus,
    CaseStatus,
    Gender,
    GenderRule,
    InterventionType,
    LanguageLevel,
    PersonGroup,
    Qualification,
)
from data.travel import GeodesicTravel

# ------------------------------------------------------------------ plain objects


@dataclass(frozen=True, slots=True)
class ConsultantSpec:
    ref: str
    display_name: str
    office: str
    home_municipality_code: int
    home_lat: float
    home_lon: float
    gender: Gender
    languages: tuple[tuple[str, LanguageLevel], ...]
    qualifications: tuple[Qualification, ...]
    intervention_types: tuple[InterventionType, ...]
    cultural_countries: tuple[str, ...]
    competence_tags: tuple[str, ...]
    contracted_hours_per_week: float
    max_cases: int
    takes_night_shifts: bool
    has_driving_licence: bool
    active_from: dt.date
    active_to: dt.date | None

    @property
    def native_tag(self) -> str:
        return self.languages[0][0]


@dataclass(frozen=True, slots=True)
class CoordinatorSpec:
    ref: str
    display_name: str
    office: str
    max_caseload: int


@dataclass(frozen=True, slots=True)
class CaseSpec:
    reference: str
    municipality_code: int
    lat: float
    lon: float
    intervention_type: InterventionType
    languages: tuple[tuple[PersonGroup, str], ...]
    needs_support_person: bool
    support_hours_per_week: float
    cultural_countries: tuple[str, ...]
    hours_per_week: float
    visits_per_week: float
    requested_start: dt.datetime
    expected_end: dt.date
    priority: int
    gender: Gender | None
    gender_rule: GenderRule | None
    preferred_consultant: str | None
    excluded_consultants: tuple[str, ...]
    required_qualifications: tuple[Qualification, ...]
    status: CaseStatus
    #: The office nearest to the family among those serving its region (not stored).
    home_office: str
    #: For ended cases, the day the course actually ended (not stored on the case;
    #: it is the end of its assignments). Some broke off before `expected_end`.
    ended_on: dt.date | None = None
    #: A coordinator signed off a related language for the family (set by the history
    #: for every case it placed with one, so the book agrees with the matcher's rule).
    allow_related_language: bool = False

    @property
    def parents_tag(self) -> str:
        return self.languages[0][1]

    @property
    def language(self) -> str:
        """The case's language: base language of the parents' tag."""
        return base_of(self.parents_tag)

    @property
    def region_code(self) -> str:
        return geography.municipality_by_code(self.municipality_code).region_code


@dataclass(frozen=True, slots=True)
class AssignmentSpec:
    case_ref: str
    consultant_ref: str | None
    coordinator_ref: str | None
    role: AssignmentRole
    hours_per_week: float
    start: dt.date
    end: dt.date | None
    status: AssignmentStatus
    locked: bool = False


@dataclass(frozen=True, slots=True)
class AbsenceSpec:
    consultant_ref: str
    start: dt.date
    end: dt.date
    reason: AbsenceReason


@dataclass(frozen=True, slots=True)
class Scenario:
    seed: int
    scale: int
    today: dt.date
    consultants: tuple[ConsultantSpec, ...]
    coordinators: tuple[CoordinatorSpec, ...]
    cases: tuple[CaseSpec, ...]
    assignments: tuple[AssignmentSpec, ...]
    absences: tuple[AbsenceSpec, ...]
    #: Assignments that had to exceed a consultant's hours or case limit (history).
    over_capacity: tuple[str, ...] = field(default=())

    def running_cases(self) -> tuple[CaseSpec, ...]:
        return tuple(c for c in self.cases if c.status is CaseStatus.ACTIVE)


# ----------------------------------------------------------------------- helpers

T = TypeVar("T")


def base_of(tag: str) -> str:
    return langcodes.Language.get(tag, normalize=False).language or tag


def apportion(total: int, weights: dict[T, float]) -> dict[T, int]:
    """Largest-remainder split of `total` proportional to `weights` (deterministic)."""
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    quotas = {k: total * w / weight_sum for k, w in weights.items()}
    result = {k: int(q) for k, q in quotas.items()}
    order = sorted(quotas, key=lambda k: (-(quotas[k] - result[k]), str(k)))
    for key in order[: total - sum(result.values())]:
        result[key] += 1
    return result


def origin_countries(tag: str, rng: random.Random) -> tuple[str, ...]:
    """The family's country of origin implied by its language tag."""
    language = langcodes.Language.get(tag, normalize=False)
    if language.territory:
        return (language.territory,)
    base = language.language or tag
    if base == "da":
        return ()
    if base in ORIGIN_COUNTRIES:
        return (rng.choice(ORIGIN_COUNTRIES[base]),)
    territory = language.maximize().territory
    return (territory,) if territory else ()


TRAVEL = GeodesicTravel()


def office_minutes(office: geography.OfficeRef, municipality: MunicipalityRef) -> float:
    return TRAVEL.minutes(office.point, municipality.point)


def home_office(municipality: MunicipalityRef) -> str:
    """The nearest office among those serving the municipality's region."""
    serving = [o for o in geography.offices() if municipality.region_code in o.serves_regions]
    return min(serving, key=lambda o: office_minutes(o, municipality)).name


# ---------------------------------------------------------------- municipalities

#: Relative size of the big cities against the town count of the extract.
CITY_WEIGHT: dict[int, float] = {101: 30, 147: 6, 751: 14, 461: 10, 851: 10, 370: 5, 621: 5}


def municipality_weight(ref: MunicipalityRef) -> float:
    towns = int(ref.source.split("mean of ")[1].split()[0]) if "mean of" in ref.source else 1
    return CITY_WEIGHT.get(ref.code, float(towns))
