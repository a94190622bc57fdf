"""Supply vs demand per language and region, shortages, and free capacity ahead.

Pure functions over plain records (no database): the report and the notebooks load
`ConsultantLoad` and `Demand` records from wherever they like and get back the
balances, the shortage sentences ("needs about 2 more Tigrinya-speaking consultants
in Region Sjælland") and the expected free capacity over the coming weeks.

Conventions, chosen so that the figures are easy to explain to operations:

- Languages are compared on their base language (``ar-IQ`` and ``ar-SY`` both count
  as Arabic); dialect quality is the matcher's business, not capacity planning's.
- A consultant counts towards every language they speak and every region their office
  serves, so per-cell free hours are optimistic: a shortage reported here is a lower
  bound on what is really missing.
- A commitment without an end date never frees its hours.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from data.languages import base_language, language_label

#: Weekly hours one extra consultant brings when a shortage is turned into head count.
DEFAULT_HOURS_PER_CONSULTANT = 30.0
#: Smaller gaps are noise, not a reason to hire: about one family's weekly hours.
DEFAULT_MIN_MISSING_HOURS = 5.0


class DemandStatus(StrEnum):
    RUNNING = "running"  # staffed and running
    REQUESTED = "requested"  # ordered by the municipality, not yet staffed
    EXPECTED = "expected"  # forecast intake over the planning horizon (see expected_intake)


@dataclass(frozen=True, slots=True)
class Commitment:
    """Hours per week a consultant already gives to a case, until `end` (inclusive).

    `steps` are the hours a week from each date on as the course's phases lower them
    (`matcher.phases.PhaseTable.steps`, in date order); empty: `hours_per_week`
    throughout."""

    hours_per_week: float
    end: dt.date | None = None
    steps: tuple[tuple[dt.date, float], ...] = ()

    def __post_init__(self) -> None:
        if self.hours_per_week < 0:
            raise ValueError(f"hours_per_week: {self.hours_per_week} is negative")

    def active_on(self, day: dt.date) -> bool:
        return self.end is None or self.end >= day

    def hours_on(self, day: dt.date) -> float:
        """Hours a week on `day` (before the first step: the first step's hours)."""
        hours = self.steps[0][1] if self.steps else self.hours_per_week
        for since, step_hours in self.steps:
            if since > day:
                break
            hours = step_hours
        return hours


@dataclass(frozen=True, slots=True)
class ConsultantLoad:
    """What capacity planning needs to know about one consultant."""

    languages: tuple[str, ...]
    regions: tuple[str, ...]
    contracted_hours: float
    commitments: tuple[Commitment, ...] = ()

    def __post_init__(self) -> None:
        if self.contracted_hours < 0:
            raise ValueError(f"contracted_hours: {self.contracted_hours} is negative")

    def free_hours_on(self, day: dt.date) -> float:
        """Contracted hours not yet committed on `day` (never negative)."""
        committed = sum(c.hours_on(day) for c in self.commitments if c.active_on(day))
        return max(0.0, self.contracted_hours - committed)

    def base_languages(self) -> frozenset[str]:
        return frozenset(base_language(tag) for tag in self.languages)


@dataclass(frozen=True, slots=True)
class Demand:
    """One case's need for a language in a region, in hours per week."""

    language: str
    region: str
    hours_per_week: float
    status: DemandStatus

    def __post_init__(self) -> None:
        if self.hours_per_week < 0:
            raise ValueError(f"hours_per_week: {self.hours_per_week} is negative")


@dataclass(frozen=True, slots=True)
class LanguageRegionBalance:
    """Demand and supply of one base language in one region (hours per week)."""

    language: str
    region: str
    running_hours: float = 0.0
    requested_hours: float = 0.0
    free_hours: float = 0.0
    speakers: int = 0
    running_cases: int = 0
    requested_cases: int = 0
    #: Forecast new demand over the horizon (hours per week it adds), see `expected_intake`.
    expected_hours: float = 0.0
    #: Free hours of the same speakers at the horizon's end, once known cases have ended.
    free_hours_ahead: float | None = None

    @property
    def missing_hours(self) -> float:
        """Open and expected requests the free hours of local speakers cannot cover
        (free hours at the horizon's end when known, else today's)."""
        free = self.free_hours if self.free_hours_ahead is None else self.free_hours_ahead
        return max(0.0, self.requested_hours + self.expected_hours - free)


@dataclass(frozen=True, slots=True)
class Shortage:
    language: str
    region: str
    missing_hours: float
    consultants_needed: int

    def sentence(self) -> str:
        """E.g. "needs about 2 more Tigrinya-speaking consultants in Region Sjælland"."""
        name = language_label(self.language)
        noun = "consultant" if self.consultants_needed == 1 else "consultants"
        return (
            f"needs about {self.consultants_needed} more {name}-speaking {noun} in "
            f"{region_label(self.region)} ({self.missing_hours:.0f} h/week of open and "
            f"expected requests beyond the free hours of local speakers)"
        )


@dataclass(frozen=True, slots=True)
class CapacityOutlook:
    """Expected free hours per week, overall and per base language, from `week_starts`."""

    week_starts: tuple[dt.date, ...]
    total_free_hours: tuple[float, ...]
    free_hours_by_language: dict[str, tuple[float, ...]] = field(default_factory=dict)


def region_label(region: str) -> str:
    return region if region.lower().startswith("region") else f"Region {region}"


def balances(
    consultants: Iterable[ConsultantLoad],
    demands: Iterable[Demand],
    on: dt.date,
    ahead: dt.date | None = None,
) -> list[LanguageRegionBalance]:
    """Aggregate demand and free supply per (base language, region) on day `on` (and the
    free hours on day `ahead`, the horizon's end, when given).

    Every cell with any demand or any speaker is returned, sorted by language then region.
    """
    running_h: dict[tuple[str, str], float] = defaultdict(float)
    requested_h: dict[tuple[str, str], float] = defaultdict(float)
    expected_h: dict[tuple[str, str], float] = defaultdict(float)
    running_n: dict[tuple[str, str], int] = defaultdict(int)
    requested_n: dict[tuple[str, str], int] = defaultdict(int)
    free_h: dict[tuple[str, str], float] = defaultdict(float)
    free_ahead: dict[tuple[str, str], float] = defaultdict(float)
    speakers: dict[tuple[str, str], int] = defaultdict(int)
    for demand in demands:
        key = (base_language(demand.language), demand.region)
        if demand.status is DemandStatus.RUNNING:
            running_h[key] += demand.hours_per_week
            running_n[key] += 1
        elif demand.status is DemandStatus.REQUESTED:
            requested_h[key] += demand.hours_per_week
            requested_n[key] += 1
        else:
            expected_h[key] += demand.hours_per_week
    for consultant in consultants:
        free = consultant.free_hours_on(on)
        later = consultant.free_hours_on(ahead) if ahead is not None else free
        for language in consultant.base_languages():
            for region in set(consultant.regions):
                free_h[(language, region)] += free
                free_ahead[(language, region)] += later
                speakers[(language, region)] += 1
    keys = set(running_h) | set(requested_h) | set(expected_h) | set(free_h)
    return [
        LanguageRegionBalance(
            language=language,
            region=region,
            running_hours=running_h[(language, region)],
            requested_hours=requested_h[(language, region)],
            free_hours=free_h[(language, region)],
            speakers=speakers[(language, region)],
            running_cases=running_n[(language, region)],
            requested_cases=requested_n[(language, region)],
            expected_hours=expected_h[(language, region)],
            free_hours_ahead=free_ahead[(language, region)] if ahead is not None else None,
        )
        for language, region in sorted(keys)
    ]


@dataclass(frozen=True, slots=True)
class PastRequest:
    """A case as it arrived: language, region, weekly hours, the day it was requested."""

    language: str
    region: str
    hours_per_week: float
    requested_on: dt.date


def expected_intake(
    history: Iterable[PastRequest],
    as_of: dt.date,
    weeks: int = 12,
    lookback_days: int = 365,
) -> list[Demand]:
    """Forecast the new demand of the next `weeks` weeks from the last `lookback_days`.

    Per (base language, region): the weekly hours of requests that arrived in the
    look-back window, times the share of the window the horizon represents — the hours
    per week the horizon's new cases will add if intake continues at the same pace.
    Courses last 9–10 months, so next to none of them end within a 12-week horizon.
    """
    if weeks <= 0 or lookback_days <= 0:
        raise ValueError("weeks and lookback_days must be positive")
    start = as_of - dt.timedelta(days=lookback_days)
    hours: dict[tuple[str, str], float] = defaultdict(float)
    for request in history:
        if start < request.requested_on <= as_of:
            hours[(base_language(request.language), request.region)] += request.hours_per_week
    share = weeks * 7 / lookback_days
    return [
        Demand(language, region, total * share, DemandStatus.EXPECTED)
        for (language, region), total in sorted(hours.items())
    ]


def shortages(
    cells: Iterable[LanguageRegionBalance],
    hours_per_consultant: float = DEFAULT_HOURS_PER_CONSULTANT,
    min_missing_hours: float = 0.0,
) -> list[Shortage]:
    """The cells whose open (and expected) requests exceed the free hours of local
    speakers by at least `min_missing_hours` (and by something).

    The head count is the missing hours divided by `hours_per_consultant`, rounded up:
    any uncovered request needs somebody. Largest need first.
    """
    if hours_per_consultant <= 0:
        raise ValueError(f"hours_per_consultant: {hours_per_consultant} must be positive")
    if min_missing_hours < 0:
        raise ValueError(f"min_missing_hours: {min_missing_hours} must not be negative")
    found = [
        Shortage(
            language=cell.language,
            region=cell.region,
            missing_hours=cell.missing_hours,
            consultants_needed=math.ceil(cell.missing_hours / hours_per_consultant - 1e-9),
        )
        for cell in cells
        if cell.missing_hours > 1e-9 and cell.missing_hours >= min_missing_hours
    ]
    return sorted(found, key=lambda s: (-s.consultants_needed, -s.missing_hours, s.language))


def shortage_sentences(
    cells: Iterable[LanguageRegionBalance],
    hours_per_consultant: float = DEFAULT_HOURS_PER_CONSULTANT,
    limit: int | None = None,
    min_missing_hours: float = 0.0,
) -> list[str]:
    """Readable insights, e.g. "needs about 2 more Tigrinya-speaking consultants in …"."""
    found = shortages(cells, hours_per_consultant, min_missing_hours)
    return [shortage.sentence() for shortage in found[:limit]]


def capacity_outlook(
    consultants: Sequence[ConsultantLoad],
    start: dt.date,
    weeks: int = 12,
    languages: Iterable[str] = (),
) -> CapacityOutlook:
    """Free hours at the start of each of the next `weeks` weeks, as commitments end.

    Only known end dates free capacity; new requests are not forecast.
    """
    if weeks <= 0:
        raise ValueError(f"weeks: {weeks} must be positive")
    week_starts = tuple(start + dt.timedelta(weeks=w) for w in range(weeks))
    total = tuple(sum(c.free_hours_on(day) for c in consultants) for day in week_starts)
    by_language: dict[str, tuple[float, ...]] = {}
    for language in dict.fromkeys(base_language(tag) for tag in languages):
        speakers = [c for c in consultants if language in c.base_languages()]
        by_language[language] = tuple(
            sum(c.free_hours_on(day) for c in speakers) for day in week_starts
        )
    return CapacityOutlook(week_starts, total, by_language)


def planning_balances(
    consultants: Sequence[ConsultantLoad],
    demands: Iterable[Demand],
    history: Iterable[PastRequest],
    as_of: dt.date,
    weeks: int = 12,
    lookback_days: int = 365,
) -> list[LanguageRegionBalance]:
    """The balances capacity planning looks at: open requests plus the intake expected
    over the next `weeks` weeks, against free hours today and at the horizon's end."""
    expected = expected_intake(history, as_of, weeks, lookback_days)
    ahead = as_of + dt.timedelta(weeks=weeks)
    return balances(consultants, (*demands, *expected), on=as_of, ahead=ahead)
