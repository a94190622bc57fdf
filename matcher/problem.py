"""Immutable problem data for matching: one snapshot of consultants, cases and settings.

A `MatchProblem` is validated once on construction (unknown ids, negative hours,
bad language tags → `ValueError` naming the id and field) and then carries the
indices every solver needs (consultant by id, load per consultant, running
assignments per case, cached travel minutes and language closeness).

The string values of levels, roles, genders and intervention types are the same as in
`data.models`, so the DB bridge (`api/services/snapshot.py`) passes `.value` through;
this package never imports the database layer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from data.languages import Closeness, InvalidLanguageTag, closeness
from data.languages import normalize_tag as _normalize_tag
from data.travel import GeodesicTravel, Point, TravelModel
from matcher.phases import PhaseTable


class Level(StrEnum):
    """How well a consultant speaks a language (same values as `data.models.LanguageLevel`)."""

    NATIVE = "native"
    FLUENT = "fluent"
    WORKING = "working"


#: Higher is better; the language rule compares against `MatchSettings.min_language_level`.
LEVEL_RANK = {Level.WORKING: 1, Level.FLUENT: 2, Level.NATIVE: 3}


class Role(StrEnum):
    """Which seat of a case an assignment fills (same values as `data.models.AssignmentRole`)."""

    PRIMARY = "primary"
    SUPPORT = "support"
    COORDINATOR = "coordinator"


#: Intervention types a support person must take (the case's own type is for the primary).
SUPPORT_INTERVENTION_TYPES = frozenset({"support_person", "contact_person"})


@dataclass(frozen=True, slots=True)
class LanguageSkill:
    tag: str
    level: Level = Level.NATIVE


@dataclass(frozen=True, slots=True)
class CaseLanguage:
    """A language a person group of the family needs ("parents" or "child")."""

    tag: str
    person_group: str = "parents"


@dataclass(frozen=True, slots=True)
class DateRange:
    """An inclusive range of dates (an absence)."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class OfficeData:
    id: int
    location: Point
    serves_regions: frozenset[str] = frozenset()
    name: str = ""


@dataclass(frozen=True, slots=True)
class ConsultantData:
    """A family consultant as the matcher sees them (no name needed)."""

    id: int
    home: Point
    office_id: int
    capacity_hours: float
    max_cases: int
    languages: tuple[LanguageSkill, ...] = ()
    gender: str | None = None
    qualifications: frozenset[str] = frozenset()
    intervention_types: frozenset[str] = frozenset()
    cultural_countries: frozenset[str] = frozenset()
    competences: frozenset[str] = frozenset()
    absences: tuple[DateRange, ...] = ()
    #: Last day of employment, if it is known to end.
    active_to: dt.date | None = None
    ref: str = ""  # staff number, for display only


@dataclass(frozen=True, slots=True)
class CaseData:
    """A case: an open request (``is_open``) or a running one whose assignments may move."""

    id: int
    location: Point
    region: str
    intervention_type: str
    hours_per_week: float
    visits_per_week: float
    requested_start: dt.datetime
    #: When the course is expected to end, if known.
    expected_end: dt.date | None = None
    languages: tuple[CaseLanguage, ...] = ()
    needs_support_person: bool = False
    support_hours_per_week: float = 0.0
    cultural_countries: frozenset[str] = frozenset()
    needed_competences: frozenset[str] = frozenset()
    gender: str | None = None
    gender_rule: str | None = None  # "required" | "preferred" | None
    preferred_consultant_id: int | None = None
    previous_consultant_ids: frozenset[int] = frozenset()
    excluded_consultant_ids: frozenset[int] = frozenset()
    required_qualifications: frozenset[str] = frozenset()
    priority: int = 2
    #: A coordinator has signed off that a related language (Dari for Persian, Arabic of
    #: another dialect group) may serve this family; off by default.
    allow_related_language: bool = False
    is_open: bool = True
    municipality_code: int | None = None
    ref: str = ""

    def hours_for(self, role: Role) -> float:
        return self.support_hours_per_week if role == Role.SUPPORT else self.hours_per_week

    @property
    def roles(self) -> tuple[Role, ...]:
        """The consultant seats this case needs."""
        return (Role.PRIMARY, Role.SUPPORT) if self.needs_support_person else (Role.PRIMARY,)


@dataclass(frozen=True, slots=True)
class CoordinatorData:
    id: int
    office_id: int
    max_caseload: int
    ref: str = ""


@dataclass(frozen=True, slots=True)
class RunningAssignment:
    """A running relationship: a consultant (primary/support) or coordinator on a case."""

    id: int
    case_id: int
    role: Role
    hours: float = 0.0
    consultant_id: int | None = None
    coordinator_id: int | None = None
    locked: bool = False
    #: Planned end, if known (used to say when a full consultant frees up).
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Weights:
    """Weight of each soft term; every term is in [0, 1] before weighting."""

    language: float = 30.0
    culture: float = 10.0
    travel: float = 20.0
    office: float = 5.0
    continuity: float = 15.0
    workload: float = 10.0
    start: float = 5.0
    preference: float = 5.0

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Weights, thresholds and solver knobs. Scores are scaled by `score_scale` to integers."""

    weights: Weights = field(default_factory=Weights)
    #: One-way minutes from home (or office, whichever is nearer) to the family.
    max_travel_minutes: float = 75.0
    min_language_level: Level = Level.WORKING
    #: Capacity must hold in each of the first `horizon_weeks` weeks of the intervention.
    horizon_weeks: int = 2
    #: Share of contracted hours kept for travel, documentation and supervision, never
    #: planned as family hours (default 15 %: about 5.5 of 37 hours a week). Ranking,
    #: batch and confirm all plan with `family_hours`.
    reserved_share: float = 0.15
    #: If True, a consultant whose employment ends before the case's expected end is not
    #: a candidate; if False (default) it is only shown as a reason.
    employment_end_is_hard: bool = False
    #: Score points lost for breaking a running relationship (high: continuity matters most).
    stability_cost: float = 60.0
    #: Score points lost per unfilled consultant seat (must exceed any single score).
    unplaced_penalty: float = 200.0
    #: Score points lost per case left without a coordinator.
    coordinator_unplaced_penalty: float = 100.0
    #: The batch places waiting families first: an open request's unplaced penalty grows
    #: by this share for each full day it has waited before the planning date (up to
    #: `waiting_days_cap` days), so when not every request fits, the longest-waiting go
    #: first (default 0.1: a week's wait weighs 1.7 times a request made today).
    waiting_weight: float = 0.1
    waiting_days_cap: int = 7
    score_scale: int = 10
    hours_scale: int = 10
    #: Batch keeps at most this many best-scoring consultants per seat (None = all feasible).
    max_candidates_per_seat: int | None = None

    def waiting_factor(self, case: CaseData, as_of: dt.date) -> float:
        """Weight of an open request's unplaced penalty for the days it has waited."""
        if not case.is_open:
            return 1.0
        days = min(max(0, (as_of - case.requested_start.date()).days), self.waiting_days_cap)
        return 1.0 + self.waiting_weight * days

    def family_hours(self, contracted_hours: float) -> float:
        """Contracted hours a week less the share reserved for travel, documentation and
        supervision: what may be planned as family work."""
        return contracted_hours * (1.0 - self.reserved_share)

    def __post_init__(self) -> None:
        for name in (
            "max_travel_minutes",
            "stability_cost",
            "unplaced_penalty",
            "coordinator_unplaced_penalty",
            "waiting_weight",
            "waiting_days_cap",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"MatchSettings.{name}: must be ≥ 0, got {getattr(self, name)}")
        if not 0.0 <= self.reserved_share < 1.0:
            raise ValueError(
                f"MatchSettings.reserved_share: must be in [0, 1), got {self.reserved_share}"
            )
        if self.horizon_weeks < 1:
            raise ValueError(f"MatchSettings.horizon_weeks: must be ≥ 1, got {self.horizon_weeks}")
        if self.score_scale < 1 or self.hours_scale < 1:
            raise ValueError("MatchSettings.score_scale/hours_scale: must be ≥ 1")
        for name, value in self.weights.as_dict().items():
            if value < 0:
                raise ValueError(f"MatchSettings.weights.{name}: must be ≥ 0, got {value}")


@dataclass(frozen=True, slots=True)
class LanguageCover:
    """How one consultant covers one required tag of a family."""

    family_tag: str
    consultant_tag: str
    closeness: Closeness
    level: Level


@dataclass(frozen=True)
class MatchProblem:
    """One validated snapshot. Build it once per request or batch run and reuse it."""

    consultants: tuple[ConsultantData, ...]
    cases: tuple[CaseData, ...]
    offices: tuple[OfficeData, ...] = ()
    coordinators: tuple[CoordinatorData, ...] = ()
    assignments: tuple[RunningAssignment, ...] = ()
    #: The planning date: who is active, what is running, the earliest start. Required
    #: (by keyword): pure code does not read the clock, the caller says which day it is.
    as_of: dt.date = field(kw_only=True)
    settings: MatchSettings = field(default_factory=MatchSettings)
    travel: TravelModel = field(default_factory=GeodesicTravel)
    #: How each intervention type's hours fall by phase (empty: constant hours).
    phases: PhaseTable = field(default_factory=PhaseTable)

    # Indices, filled in __post_init__.
    consultant_by_id: dict[int, ConsultantData] = field(init=False, repr=False, compare=False)
    case_by_id: dict[int, CaseData] = field(init=False, repr=False, compare=False)
    office_by_id: dict[int, OfficeData] = field(init=False, repr=False, compare=False)
    coordinator_by_id: dict[int, CoordinatorData] = field(init=False, repr=False, compare=False)
    assignments_by_case: dict[int, tuple[RunningAssignment, ...]] = field(
        init=False, repr=False, compare=False
    )
    assignments_by_consultant: dict[int, tuple[RunningAssignment, ...]] = field(
        init=False, repr=False, compare=False
    )
    _cache: dict[Any, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        def index(items: tuple[Any, ...], kind: str) -> dict[int, Any]:
            out: dict[int, Any] = {}
            for item in items:
                if item.id in out:
                    raise ValueError(f"{kind} {item.id}: duplicate id")
                out[item.id] = item
            return out

        setattr_ = object.__setattr__
        setattr_(self, "consultant_by_id", index(self.consultants, "consultant"))
        setattr_(self, "case_by_id", index(self.cases, "case"))
        setattr_(self, "office_by_id", index(self.offices, "office"))
        setattr_(self, "coordinator_by_id", index(self.coordinators, "coordinator"))
        setattr_(self, "_cache", {})
        self._validate()
        by_case: dict[int, list[RunningAssignment]] = defaultdict(list)
        by_consultant: dict[int, list[RunningAssignment]] = defaultdict(list)
        for a in self.assignments:
            by_case[a.case_id].append(a)
            if a.consultant_id is not None:
                by_consultant[a.consultant_id].append(a)
        setattr_(self, "assignments_by_case", {k: tuple(v) for k, v in by_case.items()})
        setattr_(self, "assignments_by_consultant", {k: tuple(v) for k, v in by_consultant.items()})

    # ------------------------------------------------------------------ validation

    def _validate(self) -> None:
        for c in self.consultants:
            where = f"consultant {c.id}"
            if c.capacity_hours < 0:
                raise ValueError(f"{where}: capacity_hours must be ≥ 0, got {c.capacity_hours}")
            if c.max_cases < 0:
                raise ValueError(f"{where}: max_cases must be ≥ 0, got {c.max_cases}")
            if self.offices and c.office_id not in self.office_by_id:
                raise ValueError(f"{where}: office_id {c.office_id} is unknown")
            for skill in c.languages:
                _check_tag(skill.tag, f"{where}: languages")
                Level(skill.level)
            for absence in c.absences:
                if absence.end < absence.start:
                    raise ValueError(f"{where}: absence ends before it starts")
        for k in self.cases:
            where = f"case {k.id}"
            for name in ("hours_per_week", "visits_per_week", "support_hours_per_week"):
                if getattr(k, name) < 0:
                    raise ValueError(f"{where}: {name} must be ≥ 0, got {getattr(k, name)}")
            for lang in k.languages:
                _check_tag(lang.tag, f"{where}: languages")
            if k.gender_rule not in (None, "required", "preferred"):
                raise ValueError(f"{where}: gender_rule {k.gender_rule!r} is unknown")
            if k.gender_rule is not None and k.gender is None:
                raise ValueError(f"{where}: gender_rule set but gender missing")
        for co in self.coordinators:
            if co.max_caseload < 0:
                raise ValueError(f"coordinator {co.id}: max_caseload must be ≥ 0")
            if self.offices and co.office_id not in self.office_by_id:
                raise ValueError(f"coordinator {co.id}: office_id {co.office_id} is unknown")
        seen: set[int] = set()
        for a in self.assignments:
            where = f"assignment {a.id}"
            if a.id in seen:
                raise ValueError(f"{where}: duplicate id")
            seen.add(a.id)
            if a.case_id not in self.case_by_id:
                raise ValueError(f"{where}: case_id {a.case_id} is unknown")
            if a.hours < 0:
                raise ValueError(f"{where}: hours must be ≥ 0, got {a.hours}")
            role = Role(a.role)
            if role == Role.COORDINATOR:
                if a.coordinator_id not in self.coordinator_by_id:
                    raise ValueError(f"{where}: coordinator_id {a.coordinator_id} is unknown")
            elif a.consultant_id not in self.consultant_by_id:
                raise ValueError(f"{where}: consultant_id {a.consultant_id} is unknown")

    # ------------------------------------------------------------------ loads

    def seat_share(self, case: CaseData, role: Role, day: dt.date) -> float:
        """Share of the seat's ordered hours its phase plans on `day` (`matcher.phases`):
        the primary follows the case's course; a support or contact person keeps theirs.
        A running course began on its requested start; an open request's has not begun
        (however long it has waited), so it begins on its start day in its first phase."""
        start = case.requested_start.date()
        if case.is_open:
            start = max(start, self.as_of)
        return self.phases.seat_share(case.intervention_type, str(role), start, day)

    def seat_hours(self, case: CaseData, role: Role, day: dt.date) -> float:
        """Hours a week the seat needs on `day`, in the phase of the course then."""
        return case.hours_for(role) * self.seat_share(case, role, day)

    def running_hours(self, a: RunningAssignment, day: dt.date) -> float:
        """Hours a week a running assignment takes on `day` (its stored hours are the
        first phase's)."""
        if a.role == Role.COORDINATOR:
            return a.hours
        return a.hours * self.seat_share(self.case_by_id[a.case_id], Role(a.role), day)

    def load_hours(self, consultant_id: int, day: dt.date | None = None) -> float:
        """Hours per week the consultant works on running assignments on `day` (default:
        the planning date), each in its course's phase then."""
        on = self.as_of if day is None else day
        return sum(
            self.running_hours(a, on) for a in self.assignments_by_consultant.get(consultant_id, ())
        )

    def load_cases(self, consultant_id: int) -> int:
        """Distinct running cases of the consultant."""
        return len({a.case_id for a in self.assignments_by_consultant.get(consultant_id, ())})

    def coordinator_load(self, coordinator_id: int) -> int:
        key = ("coordinator_load",)
        loads = self._cache.get(key)
        if loads is None:
            loads = defaultdict(int)
            for a in self.assignments:
                if a.role == Role.COORDINATOR and a.coordinator_id is not None:
                    loads[a.coordinator_id] += 1
            self._cache[key] = loads
        return int(loads.get(coordinator_id, 0))

    def current_consultant(self, case_id: int, role: Role) -> RunningAssignment | None:
        for a in self.assignments_by_case.get(case_id, ()):
            if a.role == role:
                return a
        return None

    # ------------------------------------------------------------------ cached helpers

    def travel_minutes(self, consultant: ConsultantData, case: CaseData) -> float:
        """One-way minutes from the consultant's home or office, whichever is nearer."""
        return float(self.travel_row(case)[self.consultant_position[consultant.id]])

    @property
    def consultant_position(self) -> dict[int, int]:
        """Consultant id → position in `consultants` (and in travel rows)."""
        position = self._cache.get("position")
        if position is None:
            position = {c.id: k for k, c in enumerate(self.consultants)}
            self._cache["position"] = position
        return position

    def travel_row(self, case: CaseData) -> np.ndarray:
        """One-way minutes from every consultant (home or office, the nearer) to the case.

        For `GeodesicTravel` the distance is the spherical great-circle distance, computed
        for all consultants at once with numpy; it is within 0.5 % of the ellipsoidal
        geodesic and about a thousand times faster. Any other travel model is asked pair by
        pair. Rows are cached per case.
        """
        key = ("travel_row", case.id)
        row = self._cache.get(key)
        if row is None:
            row = self._compute_travel_row(case)
            self._cache[key] = row
        return row

    def _compute_travel_row(self, case: CaseData) -> np.ndarray:
        if isinstance(self.travel, GeodesicTravel):
            points = self._cache.get("points")
            if points is None:
                home = np.radians([[c.home.lat, c.home.lon] for c in self.consultants])
                office = np.radians(
                    [
                        [o.location.lat, o.location.lon]
                        if (o := self.office_by_id.get(c.office_id)) is not None
                        else [c.home.lat, c.home.lon]
                        for c in self.consultants
                    ]
                )
                points = (home.reshape(-1, 2), office.reshape(-1, 2))
                self._cache["points"] = points
            home, office = points
            km = np.minimum(
                _great_circle_km(home, case.location), _great_circle_km(office, case.location)
            )
            t = self.travel
            minutes = t.overhead_minutes + km * t.road_factor / t.speed_kmh * 60.0
            return np.where(km == 0.0, 0.0, minutes)
        values = np.empty(len(self.consultants))
        for k, c in enumerate(self.consultants):
            minutes = self.travel.minutes(c.home, case.location)
            base = self.office_by_id.get(c.office_id)
            if base is not None:
                minutes = min(minutes, self.travel.minutes(base.location, case.location))
            values[k] = minutes
        return values

    def closeness(self, family_tag: str, consultant_tag: str) -> Closeness:
        key = ("closeness", family_tag, consultant_tag)
        value = self._cache.get(key)
        if value is None:
            value = closeness(family_tag, consultant_tag)
            self._cache[key] = value
        return Closeness(value)

    def office_serves(self, office_id: int, region: str) -> bool:
        office = self.office_by_id.get(office_id)
        return office is not None and region in office.serves_regions


_EARTH_RADIUS_KM = 6371.0088


def _great_circle_km(points: np.ndarray, target: Point) -> np.ndarray:
    """Haversine distance from each (lat, lon) row in radians to `target`."""
    lat, lon = np.radians(target.lat), np.radians(target.lon)
    a = (
        np.sin((points[:, 0] - lat) / 2) ** 2
        + np.cos(lat) * np.cos(points[:, 0]) * np.sin((points[:, 1] - lon) / 2) ** 2
    )
    kilometres: np.ndarray = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return kilometres


def _check_tag(tag: str, where: str) -> None:
    try:
        _normalize_tag(tag)
    except InvalidLanguageTag as error:
        raise ValueError(f"{where}: {error}") from error
