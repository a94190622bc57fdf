"""The demo book of business: a deterministic, synthetic but realistic provider.

``generate(seed=42, scale=1)`` returns plain frozen objects (no database); `data.seed`
writes them. The public figures of one provider for the year 2023 (DESIGN.md) are
reproduced exactly where they are counts, and within stated tolerances where they are
"about" (see `CALIBRATION` and tests/foundation/test_calibration.py).

Interpretation choices (documented because the public figures leave them open):

- **The year** is 2023 and "today" of the scenario is `TODAY` = Friday 2023-12-15. The
  555 interventions are those *requested in 2023* (2 January … `TODAY`); each has a
  planned course (family treatment 9–10 months, intensive 6–9, support/contact person
  8–12, coordinating consultant up to 2 years, døgnindsats 2–6 months).
- **Running** means started and not ended on `TODAY`. Exactly `RUNNING` cases per
  region run; the rest of each region's cases ended earlier in the year (most after
  their full course, some broke off) except a handful of **open requests** (status
  requested, no assignment yet, start within the next day or two) for reception.
  The Jutland/Funen cases started earlier in the year on average, which is how the four
  Jutland/Funen offices end up carrying about 140 running interventions.
- **A case's language** is the base language of its parents' tag (``ar-IQ`` → Arabic);
  that is what the 56-language and Danish/Arabic/Ukrainian counts refer to. Some
  children need Danish as well (a second `CaseLanguage` row, group child).
- **Scale** k repeats the scale-1 recipe k times with independent random streams over
  the same 76 municipalities and 6 offices, so every count is multiplied by exactly k
  (``scale=10``: 5,550 cases, 2,000 consultants).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from data import geography
from data.calibration import (
    ARABIC_DIALECTS,
    CALIBRATION,
    COPENHAGEN,
    DEFAULT_SEED,
    INTERVENTION_TYPES,
    JUTLAND_FUNEN_OFFICES,
    LANGUAGE_CASES,
    OFFICE_CONSULTANTS,
    OFFICE_COORDINATORS,
    OPEN_REQUEST_LANGUAGES,
    OPEN_REQUESTS,
    ORDERING_MUNICIPALITIES,
    ORIGIN_COUNTRIES,
    REGION_CASES,
    RUNNING,
    RUNNING_DOGNINDSATS,
    SUPPORT_PERSON_CASES,
    TODAY,
    YEAR_START,
    Calibration,
)
from data.geography import MunicipalityRef
from data.models import (
    CaseStatus,
    Gender,
    GenderRule,
    InterventionType,
    PersonGroup,
    Qualification,
)
from data.scenario_assign import assign_block
from data.scenario_specs import (
    AbsenceSpec,
    AssignmentSpec,
    CaseSpec,
    ConsultantSpec,
    CoordinatorSpec,
    Scenario,
    base_of,
    home_office,
    municipality_weight,
    origin_countries,
)
from data.scenario_staff import make_coordinators, make_staff

#: The calibration figures are re-exported: `data.scenario.TODAY` etc.
__all__ = [
    "ARABIC_DIALECTS",
    "CALIBRATION",
    "COPENHAGEN",
    "DEFAULT_SEED",
    "INTERVENTION_TYPES",
    "JUTLAND_FUNEN_OFFICES",
    "LANGUAGE_CASES",
    "OFFICE_CONSULTANTS",
    "OFFICE_COORDINATORS",
    "OPEN_REQUESTS",
    "OPEN_REQUEST_LANGUAGES",
    "ORDERING_MUNICIPALITIES",
    "ORIGIN_COUNTRIES",
    "REGION_CASES",
    "RUNNING",
    "RUNNING_DOGNINDSATS",
    "SUPPORT_PERSON_CASES",
    "TODAY",
    "YEAR_START",
    "AbsenceSpec",
    "AssignmentSpec",
    "Calibration",
    "CaseSpec",
    "ConsultantSpec",
    "CoordinatorSpec",
    "Scenario",
    "base_of",
    "demo_book",
    "generate",
    "language_counts",
]

# ----------------------------------------------------------------------- helpers

T = TypeVar("T")


def exact_list(counts: dict[T, int], scale: int = 1) -> list[T]:
    """Every key repeated its count × scale times (exact marginals before shuffling)."""
    return [key for key, n in counts.items() for _ in range(n * scale)]


def _shuffled(items: Iterable[T], rng: random.Random) -> list[T]:
    result = list(items)
    rng.shuffle(result)
    return result


def _weighted_sample(
    items: Sequence[T], weights: Sequence[float], k: int, rng: random.Random
) -> list[T]:
    """`k` distinct items, each draw proportional to weight (Efraimidis–Spirakis)."""
    keyed = sorted(
        zip(items, weights, strict=True), key=lambda iw: -(rng.random() ** (1.0 / iw[1]))
    )
    return [item for item, _ in keyed[:k]]


# ---------------------------------------------------------------- municipalities


def ordering_municipalities(seed: int) -> dict[str, list[MunicipalityRef]]:
    """The 76 municipalities that order interventions, per region (offices' included)."""
    rng = random.Random(f"{seed}-municipalities")
    office_codes = {o.municipality_code for o in geography.offices()}
    chosen: dict[str, list[MunicipalityRef]] = {}
    for region, k in ORDERING_MUNICIPALITIES.items():
        members = geography.municipalities_in(region)
        fixed = [m for m in members if m.code in office_codes]
        rest = [m for m in members if m.code not in office_codes]
        picked = _weighted_sample(rest, [municipality_weight(m) for m in rest], k - len(fixed), rng)
        chosen[region] = sorted(fixed + picked, key=lambda m: m.code)
    return chosen


def distribute_cases(
    municipalities: list[MunicipalityRef], n: int, rng: random.Random
) -> list[MunicipalityRef]:
    """`n` case locations: every municipality at least once, the rest by weight."""
    extra = rng.choices(
        municipalities, [municipality_weight(m) for m in municipalities], k=n - len(municipalities)
    )
    return _shuffled([*municipalities, *extra], rng)


# ---------------------------------------------------------------- generation

# Planned course length in days by intervention type (low, high).
COURSE_DAYS: dict[InterventionType, tuple[int, int]] = {
    InterventionType.FAMILY_TREATMENT: (270, 305),
    InterventionType.INTENSIVE_FAMILY_TREATMENT: (180, 270),
    InterventionType.SUPPORT_PERSON: (240, 365),
    InterventionType.CONTACT_PERSON: (240, 365),
    InterventionType.COORDINATING_CONSULTANT: (365, 730),
    InterventionType.DOGNINDSATS: (60, 180),
}
HOURS: dict[InterventionType, tuple[float, float]] = {
    InterventionType.FAMILY_TREATMENT: (4, 8),
    InterventionType.INTENSIVE_FAMILY_TREATMENT: (10, 15),
    InterventionType.SUPPORT_PERSON: (3, 6),
    InterventionType.CONTACT_PERSON: (2, 5),
    InterventionType.COORDINATING_CONSULTANT: (3, 6),
    InterventionType.DOGNINDSATS: (168, 168),
}
VISITS: dict[InterventionType, tuple[int, int]] = {
    InterventionType.FAMILY_TREATMENT: (1, 2),
    InterventionType.INTENSIVE_FAMILY_TREATMENT: (3, 4),
    InterventionType.SUPPORT_PERSON: (1, 2),
    InterventionType.CONTACT_PERSON: (1, 1),
    InterventionType.COORDINATING_CONSULTANT: (1, 1),
    InterventionType.DOGNINDSATS: (21, 21),
}
#: Share of cases whose municipality requires a family therapist.
THERAPIST_REQUIRED: dict[InterventionType, float] = {
    InterventionType.INTENSIVE_FAMILY_TREATMENT: 0.3,
    InterventionType.FAMILY_TREATMENT: 0.1,
}
DOGN_LANGUAGES = frozenset({"da", "ar", "so", "uk"})


def generate(seed: int = DEFAULT_SEED, scale: int = 1) -> Scenario:
    """The demo book of business; same (seed, scale) → identical result."""
    if scale < 1:
        raise ValueError(f"scale: must be ≥ 1, got {scale}")
    municipalities = ordering_municipalities(seed)
    consultants: list[ConsultantSpec] = []
    coordinators: list[CoordinatorSpec] = []
    cases: list[CaseSpec] = []
    assignments: list[AssignmentSpec] = []
    absences: list[AbsenceSpec] = []
    over: list[str] = []
    for block in range(scale):
        rng = random.Random(f"{seed}-block-{block}")
        prefix = f"{block + 1:02d}" if scale > 1 else ""
        block_cases = make_cases(rng, municipalities, prefix)
        staff, staff_absences = make_staff(rng, seed, block_cases, prefix)
        coords = make_coordinators(rng, seed, prefix)
        block_assignments, block_over, block_cases, staff_absences = assign_block(
            rng, block_cases, staff, coords, staff_absences
        )
        consultants += staff
        coordinators += coords
        cases += block_cases
        assignments += block_assignments
        absences += staff_absences
        over += block_over
    return Scenario(
        seed,
        scale,
        TODAY,
        tuple(consultants),
        tuple(coordinators),
        tuple(cases),
        tuple(assignments),
        tuple(absences),
        tuple(over),
    )


@lru_cache(maxsize=4)
def demo_book(seed: int = DEFAULT_SEED, scale: int = 1) -> Scenario:
    """`generate`, memoised: the scenario is immutable, so callers may share it."""
    return generate(seed=seed, scale=scale)


@dataclass(slots=True)
class _Draft:
    """A case while it is being built."""

    index: int
    region: str
    municipality: MunicipalityRef
    status: CaseStatus
    tag: str = ""
    kind: InterventionType = InterventionType.FAMILY_TREATMENT
    support: bool = False


def make_cases(
    rng: random.Random, municipalities: dict[str, list[MunicipalityRef]], prefix: str
) -> list[CaseSpec]:
    drafts = _draft_regions_and_status(rng, municipalities)
    _draft_languages(rng, drafts)
    _draft_types(rng, drafts)
    return [_finish_case(rng, d, prefix) for d in drafts]


def _draft_regions_and_status(
    rng: random.Random, municipalities: dict[str, list[MunicipalityRef]]
) -> list[_Draft]:
    drafts: list[_Draft] = []
    for region, n in REGION_CASES.items():
        places = distribute_cases(municipalities[region], n, rng)
        statuses = (
            [CaseStatus.ACTIVE] * RUNNING[region]
            + [CaseStatus.REQUESTED] * OPEN_REQUESTS[region]
            + [CaseStatus.ENDED] * (n - RUNNING[region] - OPEN_REQUESTS[region])
        )
        for place, status in zip(places, _shuffled(statuses, rng), strict=True):
            drafts.append(_Draft(len(drafts), region, place, status))
    return drafts


def _draft_languages(rng: random.Random, drafts: list[_Draft]) -> None:
    tags = [t for t in exact_list(LANGUAGE_CASES) if t != "ar"] + exact_list(ARABIC_DIALECTS)
    for draft, tag in zip(drafts, _shuffled(tags, rng), strict=True):
        draft.tag = tag
    # Put the chosen open-request languages where they are wanted by swapping tags,
    # which keeps every language count exact.
    open_drafts = {
        r: [d for d in drafts if d.status is CaseStatus.REQUESTED and d.region == r]
        for r in REGION_CASES
    }
    for region, wanted in OPEN_REQUEST_LANGUAGES:
        if not open_drafts[region]:
            continue
        target = open_drafts[region].pop()
        donor = next(d for d in drafts if d.tag == wanted and d.status is not CaseStatus.REQUESTED)
        target.tag, donor.tag = donor.tag, target.tag


def _draft_types(rng: random.Random, drafts: list[_Draft]) -> None:
    dogn: list[_Draft] = []
    for region, n in RUNNING_DOGNINDSATS.items():
        pool = [
            d
            for d in drafts
            if d.region == region
            and d.status is CaseStatus.ACTIVE
            and base_of(d.tag) in DOGN_LANGUAGES
            and d not in dogn
        ]
        dogn += rng.sample(pool, n)
    ended = [d for d in drafts if d.status is CaseStatus.ENDED and base_of(d.tag) in DOGN_LANGUAGES]
    dogn += rng.sample(ended, INTERVENTION_TYPES[InterventionType.DOGNINDSATS] - len(dogn))
    for d in dogn:
        d.kind = InterventionType.DOGNINDSATS
    others = [d for d in drafts if d.kind is not InterventionType.DOGNINDSATS]
    kinds = [k for k in exact_list(INTERVENTION_TYPES) if k is not InterventionType.DOGNINDSATS]
    for d, kind in zip(others, _shuffled(kinds, rng), strict=True):
        d.kind = kind
    treatment = [
        d
        for d in drafts
        if d.kind
        in (InterventionType.FAMILY_TREATMENT, InterventionType.INTENSIVE_FAMILY_TREATMENT)
    ]
    for d in rng.sample(treatment, SUPPORT_PERSON_CASES):
        d.support = True


def _half_hours(rng: random.Random, low: float, high: float) -> float:
    return rng.randint(int(low * 2), int(high * 2)) / 2


def _dates(rng: random.Random, draft: _Draft) -> tuple[dt.date, dt.date, dt.date | None]:
    """(start, planned end, actual end if ended) consistent with the status on TODAY."""
    low, high = COURSE_DAYS[draft.kind]
    days = rng.randint(low, high)
    year_days = (TODAY - YEAR_START).days
    if draft.status is CaseStatus.REQUESTED:
        start = TODAY + dt.timedelta(days=rng.randint(0, 2))
        return start, start + dt.timedelta(days=days), None
    if draft.status is CaseStatus.ACTIVE:
        # Jutland/Funen cases started earlier in the year on average.
        window = min(days - 1, year_days)
        early = draft.region in ("DK-81", "DK-82", "DK-83")
        offset = int(window * (rng.random() ** (0.7 if early else 1.3)))
        start = TODAY - dt.timedelta(days=max(1, offset))
        return start, start + dt.timedelta(days=days), None
    latest = year_days - days - 1
    if latest >= 0 and rng.random() < 0.8:  # ran its full course
        start = YEAR_START + dt.timedelta(days=rng.randint(0, latest))
        return start, start + dt.timedelta(days=days), start + dt.timedelta(days=days)
    # Broke off early (family moved, municipality ended it): ran 1–7 months.
    start = YEAR_START + dt.timedelta(days=rng.randint(0, year_days - 60))
    ran = rng.randint(30, max(31, min(int(days * 0.7), (TODAY - start).days - 1)))
    return start, start + dt.timedelta(days=days), start + dt.timedelta(days=ran)


def _finish_case(rng: random.Random, d: _Draft, prefix: str) -> CaseSpec:
    start, planned_end, ended_on = _dates(rng, d)
    languages: list[tuple[PersonGroup, str]] = [(PersonGroup.PARENTS, d.tag)]
    if base_of(d.tag) != "da" and rng.random() < 0.12:
        languages.append((PersonGroup.CHILD, "da"))
    hours = _half_hours(rng, *HOURS[d.kind])
    visits = float(rng.randint(*VISITS[d.kind]))
    gender: Gender | None = None
    rule: GenderRule | None = None
    roll = rng.random()
    if roll < 0.05:
        gender, rule = Gender.FEMALE, GenderRule.REQUIRED
    elif roll < 0.20:
        gender, rule = rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE]), GenderRule.PREFERRED
    qualifications: tuple[Qualification, ...] = ()
    therapist_share = THERAPIST_REQUIRED.get(d.kind, 0.0)
    if therapist_share and rng.random() < therapist_share:
        qualifications = (Qualification.FAMILIETERAPEUT,)
    priority = (
        1
        if d.kind in (InterventionType.DOGNINDSATS, InterventionType.INTENSIVE_FAMILY_TREATMENT)
        else rng.choice([2, 2, 2, 3])
    )
    clock = dt.time(rng.randint(8, 15), rng.choice([0, 15, 30, 45]))
    jitter_lat, jitter_lon = rng.uniform(-0.01, 0.01), rng.uniform(-0.015, 0.015)
    return CaseSpec(
        reference=f"FB-2023-{prefix}{d.index + 1:04d}",
        municipality_code=d.municipality.code,
        lat=round(d.municipality.lat + jitter_lat, 5),
        lon=round(d.municipality.lon + jitter_lon, 5),
        intervention_type=d.kind,
        languages=tuple(languages),
        needs_support_person=d.support,
        support_hours_per_week=_half_hours(rng, 3, 6) if d.support else 0.0,
        cultural_countries=origin_countries(d.tag, rng),
        hours_per_week=hours,
        visits_per_week=visits,
        requested_start=dt.datetime.combine(start, clock, tzinfo=COPENHAGEN),
        expected_end=planned_end,
        priority=priority,
        gender=gender,
        gender_rule=rule,
        preferred_consultant=None,
        excluded_consultants=(),
        required_qualifications=qualifications,
        status=d.status,
        home_office=home_office(d.municipality),
        ended_on=ended_on,
    )


def language_counts(cases: Iterable[CaseSpec]) -> Counter[str]:
    """Cases per base language (the case's language, see the module docstring)."""
    return Counter(c.language for c in cases)
