"""Existing assignments of the demo book: who works on which case on `TODAY`.

A simple greedy history, not an optimiser (that is the matcher's job): døgnindsats
teams first, then the other running cases in the order they started, each given the
eligible consultant with the best (capacity kept, language closeness, office serves
the region, travel, current load). Capacity — contracted hours and the case limit —
is kept whenever anyone eligible has room; otherwise the assignment is made anyway and
listed in `Scenario.over_capacity` ("mostly respects capacity"). A døgnindsats team is
drawn as `matcher.team` proposes one: within reach, from offices serving the region, each
member within the family hours; a døgnindsats team office then holds one more team's share
free (`RESERVE_OFFICES`) for a døgnindsats registered on the planning date. Ended cases
get ended assignments chosen the same way without capacity. Every case gets a
coordinator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from data import geography
from data.calibration import TODAY
from data.languages import Closeness, closeness
from data.models import (
    AbsenceReason,
    AssignmentRole,
    AssignmentStatus,
    CaseStatus,
    GenderRule,
    InterventionType,
    LanguageLevel,
)
from data.scenario_specs import (
    TRAVEL,
    AbsenceSpec,
    AssignmentSpec,
    CaseSpec,
    ConsultantSpec,
    CoordinatorSpec,
    base_of,
)

LANGUAGE_RANK = {
    Closeness.EXACT: 0,
    Closeness.VARIETY: 1,
    Closeness.DIALECT: 1,
    Closeness.RELATED: 2,
    Closeness.NONE: 9,
}
DOGN_TEAM = 6
DOGN_HOURS_EACH = 28.0  # 6 × 28 = 168 hours: the home is covered around the clock
LOCKED_SHARE = 0.05
#: The share of contracted hours the matcher never plans as family work
#: (`matcher.problem.MatchSettings.reserved_share`): a døgnindsats team is booked within
#: the family hours, or the matcher then sees its members as over-full and can never
#: propose the team again (a 30-hour consultant on a 28-hour share has 25.5 family hours).
RESERVED_SHARE = 0.15
#: The matcher's reach (`MatchSettings.max_travel_minutes`): a døgnindsats team member
#: comes to the home for every shift, so the team is drawn from within it.
REACH_MINUTES = 75.0
#: Døgnindsats team offices: each keeps one team's share free on the planning date (a
#: reserve of `RESERVE_TEAM` night workers, each with a share's family hours left over),
#: so a døgnindsats registered in a region the office serves finds a full team the day
#: it comes in, as the running ones have theirs. Without it the night workers near the
#: office are booked full with ordinary cases. Hovedstaden's office only: it runs two
#: teams, and the other offices' pools are too thin to hold a reserve and stay within
#: the calibrated over-capacity share (5 %).
RESERVE_OFFICES = ("København",)
#: The reserve's team: 6 × 28 h covers 3x8's 168 h a week (`matcher.team`'s first size).
RESERVE_TEAM = 6
RESERVE_HOURS_EACH = 28.0
#: The reserve's first weeks are free of leave: the matcher's capacity check looks
#: `MatchSettings.horizon_weeks` ahead of the start (Christmas leave would empty it), so
#: a reserve member's holiday in them moves to the winter holiday (`reserve_holidays`).
RESERVE_FREE_DAYS = 28
RESERVE_HOLIDAY = dt.date(2024, 2, 12)


@lru_cache(maxsize=65536)
def language_rank(family_tag: str, consultant_tag: str) -> int:
    return LANGUAGE_RANK[closeness(family_tag, consultant_tag)]


@lru_cache(maxsize=65536)
def municipality_minutes(a: int, b: int) -> float:
    ma, mb = geography.municipality_by_code(a), geography.municipality_by_code(b)
    return TRAVEL.minutes(ma.point, mb.point)


@lru_cache(maxsize=16)
def serves(office: str, region: str) -> bool:
    return region in geography.office_by_name(office).serves_regions


@dataclass(slots=True)
class Load:
    hours: float = 0.0
    cases: int = 0


class Ledger:
    """Consultants' committed hours and cases on TODAY."""

    def __init__(self, consultants: Sequence[ConsultantSpec]) -> None:
        self.consultants = consultants
        self.load = {c.ref: Load() for c in consultants}
        #: Members of a running døgnindsats team: their share is rostered around the
        #: clock, so they are given nothing beyond their family hours.
        self.on_team: set[str] = set()
        #: The team offices' reserve (`RESERVE_OFFICES`): given nothing beyond their
        #: family hours less the reserve's share (`RESERVE_HOURS_EACH`).
        self.reserve: set[str] = set()

    def has_room(self, c: ConsultantSpec, hours: float, team: bool = False) -> bool:
        """Room below the case maximum and in the contracted hours — for a døgnindsats
        team member (`team`, or already on a team) in the family hours, as the matcher's
        team rule counts them (contract less the reserved share): a 28-hour share leaves
        a 37-hour member 3.45 h, and a 30-hour consultant (25.5 h) no room at all."""
        load = self.load[c.ref]
        limit = c.contracted_hours_per_week
        if team or c.ref in self.on_team or c.ref in self.reserve:
            limit *= 1.0 - RESERVED_SHARE
        if c.ref in self.reserve:
            limit -= RESERVE_HOURS_EACH
        return load.hours + hours <= limit + 1e-9 and load.cases < c.max_cases

    def add(self, c: ConsultantSpec, hours: float) -> None:
        self.load[c.ref].hours += hours
        self.load[c.ref].cases += 1


def eligible(
    c: ConsultantSpec, case: CaseSpec, start: dt.date, taken: set[str], strict: bool = True
) -> bool:
    """Hard rules; with `strict=False` the required qualifications are waived."""
    if c.ref in taken or c.ref in case.excluded_consultants:
        return False
    if c.active_from > start or (c.active_to is not None and c.active_to < TODAY):
        return False
    if case.intervention_type not in c.intervention_types:
        return False
    if case.gender_rule is GenderRule.REQUIRED and c.gender is not case.gender:
        return False
    return not strict or set(case.required_qualifications) <= set(c.qualifications)


def best_language(c: ConsultantSpec, case: CaseSpec) -> int:
    return _best_rank(case.parents_tag, c.languages)[0]


def needs_sign_off(c: ConsultantSpec, case: CaseSpec) -> bool:
    """The consultant covers one of the family's languages at best through a related
    language (Dari for Persian, Arabic of another dialect group)."""
    related = LANGUAGE_RANK[Closeness.RELATED]
    return any(_best_rank(tag, c.languages)[0] == related for _, tag in case.languages)


LEVEL_RANK = {LanguageLevel.NATIVE: 0, LanguageLevel.FLUENT: 1, LanguageLevel.WORKING: 2}


@lru_cache(maxsize=65536)
def _best_rank(
    family_tag: str, languages: tuple[tuple[str, LanguageLevel], ...]
) -> tuple[int, int]:
    """(closeness rank, level rank) of the consultant's best language for the family."""
    return min((language_rank(family_tag, tag), LEVEL_RANK[level]) for tag, level in languages)


@dataclass(frozen=True, slots=True)
class Pick:
    consultant: ConsultantSpec
    had_room: bool
    #: The case's required qualifications had to be waived to find a speaker.
    waived: bool


def pick(
    case: CaseSpec,
    consultants: Sequence[ConsultantSpec],
    ledger: Ledger | None,
    hours: float,
    taken: set[str],
) -> Pick | None:
    """The best consultant for `case` (None: nobody eligible at all).

    Pools in order: speakers of the family's language; speakers without the required
    qualification (the municipality accepts a non-therapist rather than an
    interpreter); everybody.
    """
    start = case.requested_start.date()
    region = case.region_code
    fallback = LANGUAGE_RANK[Closeness.FALLBACK]
    speakers = [c for c in consultants if best_language(c, case) <= fallback]
    pools = ((speakers, True), (speakers, False), (consultants, True))
    for waived, (pool, strict) in enumerate(pools):
        best: tuple[tuple[float, ...], ConsultantSpec] | None = None
        for c in pool:
            if eligible(c, case, start, taken, strict):
                key = _key(c, case, ledger, hours, region)
                if best is None or key < best[0]:
                    best = (key, c)
        if best is not None:
            return Pick(best[1], best[0][1] == 0, waived == 1)
    return None


#: Beyond this a consultant is not sent, however free (unless nobody else speaks it).
FAR_MINUTES = 90


def _key(
    c: ConsultantSpec, case: CaseSpec, ledger: Ledger | None, hours: float, region: str
) -> tuple[float, ...]:
    """Lexicographic preference: near, room, language, own region, travel, gender, load."""
    team = case.intervention_type is InterventionType.DOGNINDSATS
    room = ledger is None or ledger.has_room(c, hours, team)
    minutes = municipality_minutes(c.home_municipality_code, case.municipality_code)
    load = ledger.load[c.ref].hours if ledger is not None else 0.0
    preferred_gender = case.gender_rule is GenderRule.PREFERRED and c.gender is not case.gender
    # A døgnindsats team comes from the roster's pool: within reach, from an office
    # serving the family's region (what `matcher.team` asks of each member).
    near = minutes <= REACH_MINUTES and serves(c.office, region) if team else minutes <= FAR_MINUTES
    if not room and ledger is not None and c.ref in ledger.on_team:
        near = False  # behind everyone near, and behind anyone far with room
    # the reserve past its room: behind everyone eligible (a team must find it free)
    held = not room and ledger is not None and c.ref in ledger.reserve
    return (
        2 if held else 0 if near else 1,
        0 if room else 1,
        # Native speakers first: a Danish family gets a Danish native and the
        # mother-tongue consultants stay free for the families that need them.
        *_best_rank(case.parents_tag, c.languages),
        0 if serves(c.office, region) else 1,
        minutes // 20,
        1 if preferred_gender else 0,
        load,
    )


@dataclass(slots=True)
class _Book:
    """What the greedy history has committed so far."""

    ledger: Ledger
    assignments: list[AssignmentSpec]
    over_capacity: list[str]
    waived: set[str]
    #: Cases placed with a consultant who covers a family language only through a
    #: related one: the placement implies a coordinator's sign-off.
    related: set[str]

    def staff(
        self,
        case: CaseSpec,
        consultants: Sequence[ConsultantSpec],
        roles: list[tuple[AssignmentRole, float]],
        *,
        running: bool,
        locked: list[bool],
    ) -> None:
        """Give each role of `case` a different consultant; running ones use capacity."""
        start = case.requested_start.date()
        end = None if running else (case.ended_on or case.expected_end)
        status = AssignmentStatus.CONFIRMED if running else AssignmentStatus.ENDED
        taken: set[str] = set()
        for (role, hours), lock in zip(roles, locked, strict=True):
            chosen = pick(case, consultants, self.ledger if running else None, hours, taken)
            if chosen is None:
                continue
            consultant = chosen.consultant
            taken.add(consultant.ref)
            if chosen.waived:
                self.waived.add(case.reference)
            if needs_sign_off(consultant, case):
                self.related.add(case.reference)
            if running:
                if not chosen.had_room:
                    self.over_capacity.append(f"{case.reference}/{consultant.ref}")
                self.ledger.add(consultant, hours)
                if case.intervention_type is InterventionType.DOGNINDSATS:
                    self.ledger.on_team.add(consultant.ref)
            self.assignments.append(
                AssignmentSpec(
                    case.reference, consultant.ref, None, role, hours, start, end, status, lock
                )
            )


def _roles(case: CaseSpec) -> list[tuple[AssignmentRole, float]]:
    if case.intervention_type is InterventionType.DOGNINDSATS:
        team = [(AssignmentRole.SUPPORT, DOGN_HOURS_EACH)] * (DOGN_TEAM - 1)
        return [(AssignmentRole.PRIMARY, DOGN_HOURS_EACH), *team]
    roles = [(AssignmentRole.PRIMARY, case.hours_per_week)]
    if case.needs_support_person:
        roles.append((AssignmentRole.SUPPORT, case.support_hours_per_week))
    return roles


def reserve_team(
    consultants: Sequence[ConsultantSpec],
    absences: Sequence[AbsenceSpec],
    office: str,
    taken: set[str],
) -> list[str]:
    """The office's reserve (`RESERVE_OFFICES`): `RESERVE_TEAM` of its consultants not in
    `taken` who could carry a team share — take døgnindsats, speak Danish, family hours
    for the share, employed and not sick or training in the first `RESERVE_FREE_DAYS`
    (a holiday moves: `reserve_holidays`) — those with the commonest languages first,
    then the nearest to the office (staff number breaks ties)."""
    here = geography.office_by_name(office)
    horizon = TODAY + dt.timedelta(days=RESERVE_FREE_DAYS)
    away = {
        a.consultant_ref
        for a in absences
        if a.start < horizon and a.end >= TODAY and a.reason is not AbsenceReason.VACATION
    }
    fit = [
        c
        for c in consultants
        if c.office == office
        and c.ref not in taken
        and c.ref not in away
        and InterventionType.DOGNINDSATS in c.intervention_types
        and any(base_of(tag) == "da" for tag, _ in c.languages)
        and c.contracted_hours_per_week * (1.0 - RESERVED_SHARE) >= RESERVE_HOURS_EACH
        and c.active_from <= TODAY
        and (c.active_to is None or c.active_to > horizon)
    ]
    # The speakers of a language few others speak stay free for its families (else the
    # history must book them past the reserve): commonest languages first, then nearest.
    speakers = Counter(
        base_of(tag) for c in consultants if c.office == office for tag, _ in c.languages
    )

    def rarest(c: ConsultantSpec) -> int:
        return min((speakers[base_of(tag)] for tag, _ in c.languages), default=0)

    fit.sort(
        key=lambda c: (
            -rarest(c),
            municipality_minutes(c.home_municipality_code, here.municipality_code),
            c.ref,
        )
    )
    return [c.ref for c in fit[:RESERVE_TEAM]]


def reserve_holidays(absences: Sequence[AbsenceSpec], reserve: set[str]) -> list[AbsenceSpec]:
    """`absences` with the reserve's holidays in its first `RESERVE_FREE_DAYS` moved to
    start on `RESERVE_HOLIDAY` (as long as they were): a team office plans its reserve's
    leave around the døgnindsats it may have to staff."""
    horizon = TODAY + dt.timedelta(days=RESERVE_FREE_DAYS)
    moved = []
    for a in absences:
        if (
            a.consultant_ref in reserve
            and a.reason is AbsenceReason.VACATION
            and a.start < horizon
            and a.end >= TODAY
        ):
            a = replace(a, start=RESERVE_HOLIDAY, end=RESERVE_HOLIDAY + (a.end - a.start))
        moved.append(a)
    return moved


def assign_block(
    rng: random.Random,
    cases: list[CaseSpec],
    consultants: list[ConsultantSpec],
    coordinators: list[CoordinatorSpec],
    absences: Sequence[AbsenceSpec] = (),
) -> tuple[list[AssignmentSpec], list[str], list[CaseSpec], list[AbsenceSpec]]:
    """The block's assignments, over-capacity entries, cases (with the history's
    sign-offs and preferences) and absences (the reserve's holidays moved)."""
    book = _Book(Ledger(consultants), [], [], set(), set())
    cases = _add_exclusions(rng, cases, consultants)
    running = sorted(
        (c for c in cases if c.status is CaseStatus.ACTIVE), key=lambda c: c.requested_start
    )
    # Døgnindsats teams first: they need six consultants with room for night shifts.
    running.sort(key=lambda c: c.intervention_type is not InterventionType.DOGNINDSATS)
    teams = sum(c.intervention_type is InterventionType.DOGNINDSATS for c in running)
    for index, case in enumerate(running):
        if index == teams:
            # the running teams are staffed: the team offices keep a team free
            for office in RESERVE_OFFICES:
                taken = book.ledger.on_team | book.ledger.reserve
                book.ledger.reserve.update(reserve_team(consultants, absences, office, taken))
        roles = _roles(case)
        if case.intervention_type is InterventionType.DOGNINDSATS:
            locked = [True] * len(roles)  # a team in the home is never reshuffled
        else:
            locked = [rng.random() < LOCKED_SHARE] + [False] * (len(roles) - 1)
        book.staff(case, consultants, roles, running=True, locked=locked)
    for case in cases:
        if case.status is CaseStatus.ENDED:
            roles = _roles(case)
            book.staff(case, consultants, roles, running=False, locked=[False] * len(roles))
    assignments = book.assignments + _coordinators(cases, coordinators)
    cases = [
        replace(c, required_qualifications=()) if c.reference in book.waived else c for c in cases
    ]
    cases = [
        replace(c, allow_related_language=True) if c.reference in book.related else c for c in cases
    ]
    cases = _add_preferences(rng, cases, assignments, book.ledger, consultants)
    absences = reserve_holidays(absences, book.ledger.reserve)
    return assignments, book.over_capacity, cases, absences


def _coordinators(
    cases: list[CaseSpec], coordinators: list[CoordinatorSpec]
) -> list[AssignmentSpec]:
    """Home office first while it has room, then any office serving the region."""
    load = {c.ref: 0 for c in coordinators}
    result: list[AssignmentSpec] = []
    for case in sorted(cases, key=lambda c: c.requested_start):
        if case.status is CaseStatus.REQUESTED:
            continue
        active = case.status is CaseStatus.ACTIVE
        region = case.region_code
        home = [c for c in coordinators if c.office == case.home_office]
        serving = [c for c in coordinators if serves(c.office, region)]
        with_room = (
            [c for c in home if load[c.ref] < c.max_caseload]
            or [c for c in serving if load[c.ref] < c.max_caseload]
            or home
        )
        chosen = min(with_room, key=lambda c: (load[c.ref], c.ref))
        if active:
            load[chosen.ref] += 1
        result.append(
            AssignmentSpec(
                case.reference,
                None,
                chosen.ref,
                AssignmentRole.COORDINATOR,
                0.0,
                case.requested_start.date(),
                None if active else (case.ended_on or case.expected_end),
                AssignmentStatus.CONFIRMED if active else AssignmentStatus.ENDED,
            )
        )
    return result


def _add_exclusions(
    rng: random.Random, cases: list[CaseSpec], consultants: list[ConsultantSpec]
) -> list[CaseSpec]:
    """About 3 % of families must not get a certain consultant (conflict of interest)."""
    result = []
    for case in cases:
        if rng.random() < 0.03:
            speakers = [
                c
                for c in consultants
                if c.office == case.home_office
                and any(base_of(t) == case.language for t, _ in c.languages)
            ]
            if speakers:
                case = replace(case, excluded_consultants=(rng.choice(speakers).ref,))
        result.append(case)
    return result


def _add_preferences(
    rng: random.Random,
    cases: list[CaseSpec],
    assignments: list[AssignmentSpec],
    ledger: Ledger,
    consultants: list[ConsultantSpec],
) -> list[CaseSpec]:
    """Some running families prefer their consultant; some open requests name one who
    is already full, so reception must weigh the preference against capacity."""
    primary = {
        a.case_ref: a.consultant_ref
        for a in assignments
        if a.role is AssignmentRole.PRIMARY and a.status is AssignmentStatus.CONFIRMED
    }
    full = [c for c in consultants if not ledger.has_room(c, 4.0)]
    result = []
    for case in cases:
        if case.status is CaseStatus.ACTIVE and rng.random() < 0.03:
            case = replace(case, preferred_consultant=primary.get(case.reference))
        elif case.status is CaseStatus.REQUESTED and rng.random() < 0.4:
            speakers = [
                c
                for c in full
                if any(language_rank(case.parents_tag, t) <= 1 for t, _ in c.languages)
                and c.office == case.home_office
            ]
            if speakers:
                case = replace(case, preferred_consultant=rng.choice(speakers).ref)
        result.append(case)
    return result
