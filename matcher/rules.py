"""Hard rules: a consultant is a candidate for a seat (case + role) only if none fires.

Every rule is a function ``rule(problem, case, role, consultant) -> Reason | None``;
``None`` means the rule is satisfied. `HARD_RULES` lists them in the order they are
checked (cheap and most selective first, so ranking can stop early for most people).
Capacity is judged against the consultant's running assignments on *other* cases, so
re-checking a consultant already on the case does not count their own hours twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from data.languages import CLOSENESS_RANK, Closeness, display_name
from matcher.problem import (
    LEVEL_RANK,
    SUPPORT_INTERVENTION_TYPES,
    CaseData,
    ConsultantData,
    DateRange,
    LanguageCover,
    Level,
    MatchProblem,
    MatchSettings,
    Role,
)


class RuleName(StrEnum):
    LANGUAGE = "language"
    INTERVENTION_TYPE = "intervention_type"
    QUALIFICATION = "qualification"
    EXCLUDED = "excluded"
    GENDER = "gender"
    ABSENT = "absent"
    CAPACITY_HOURS = "capacity_hours"
    CAPACITY_CASES = "capacity_cases"
    TRAVEL = "travel"
    EMPLOYMENT_END = "employment_end"
    #: A døgnindsats team member's office serves the family's region (`matcher.team`).
    OFFICE_REGION = "office_region"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule fired, in plain English (no personal data beyond the case's needs)."""

    rule: RuleName
    text: str


Rule = Callable[[MatchProblem, CaseData, Role, ConsultantData], "Reason | None"]


# ------------------------------------------------------------------ shared helpers


def required_tags(case: CaseData, role: Role) -> tuple[str, ...]:
    """Tags the seat must cover: the primary covers every person group; a support or
    contact person works mostly with the child, so covers the child's languages (or the
    parents' when no child language is given)."""
    if role == Role.SUPPORT:
        child = tuple(lang.tag for lang in case.languages if lang.person_group == "child")
        if child:
            return child
    return tuple(dict.fromkeys(lang.tag for lang in case.languages))


def language_cover(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> tuple[LanguageCover, ...] | None:
    """Best cover of each required tag (closeness first, then level), or None if a tag
    is not covered at `min_language_level`. A related language counts only when the case
    allows it (`CaseData.allow_related_language`, a coordinator's sign-off)."""
    key = ("cover", case.id, role, consultant.id)
    cache = problem._cache
    if key in cache:
        cached: tuple[LanguageCover, ...] | None = cache[key]
        return cached
    minimum = LEVEL_RANK[problem.settings.min_language_level]
    covers: list[LanguageCover] = []
    result: tuple[LanguageCover, ...] | None
    for tag in required_tags(case, role):
        best: LanguageCover | None = None
        for skill in consultant.languages:
            level = Level(skill.level)
            if LEVEL_RANK[level] < minimum:
                continue
            kind = problem.closeness(tag, skill.tag)
            if not usable_closeness(case, kind):
                continue
            candidate = LanguageCover(tag, skill.tag, kind, level)
            if best is None or (CLOSENESS_RANK[kind], -LEVEL_RANK[level]) < (
                CLOSENESS_RANK[best.closeness],
                -LEVEL_RANK[best.level],
            ):
                best = candidate
        if best is None:
            cache[key] = None
            return None
        covers.append(best)
    result = tuple(covers)
    cache[key] = result
    return result


def usable_closeness(case: CaseData, kind: Closeness) -> bool:
    """Whether a cover of this closeness may serve the case: a related language only with
    the case's sign-off, no common language never."""
    if kind == Closeness.NONE:
        return False
    return kind != Closeness.RELATED or case.allow_related_language


def start_day(problem: MatchProblem, case: CaseData) -> dt.date:
    """The day the consultant must be there: the requested start, never in the past."""
    return max(case.requested_start.date(), problem.as_of)


def need_hours(problem: MatchProblem, case: CaseData, role: Role) -> float:
    """Hours a week the seat needs from its start day, in the phase of the course then
    (an open request: its first phase; a running case: the phase it has reached)."""
    return problem.seat_hours(case, role, start_day(problem, case))


def present_share(consultant: ConsultantData, first_day: dt.date) -> float:
    """Share of the working days (Mon–Fri) in the 7 days from `first_day` the consultant
    is not absent."""
    if not consultant.absences:
        return 1.0
    return _present_share(consultant.absences, first_day)


@lru_cache(maxsize=65536)
def _present_share(absences: tuple[DateRange, ...], first_day: dt.date) -> float:
    days = [first_day + dt.timedelta(days=i) for i in range(7)]
    working = [d for d in days if d.weekday() < 5]
    present = [d for d in working if not any(a.contains(d) for a in absences)]
    return len(present) / len(working)


def other_load(problem: MatchProblem, case: CaseData, consultant: ConsultantData) -> float:
    """Hours per week the consultant works on running assignments of other cases on the
    case's start day, each in the phase its course is in then."""
    day = start_day(problem, case)
    return sum(
        problem.running_hours(a, day)
        for a in problem.assignments_by_consultant.get(consultant.id, ())
        if a.case_id != case.id
    )


def free_hours(
    problem: MatchProblem, case: CaseData, consultant: ConsultantData, load: float
) -> float:
    """The smallest free capacity over the first `horizon_weeks` weeks from the start,
    where an absent working day removes a fifth of the weekly family hours."""
    return weekly_capacity(problem.settings, consultant, start_day(problem, case)) - load


def weekly_capacity(
    settings: MatchSettings, consultant: ConsultantData, first_day: dt.date
) -> float:
    """Family hours a week the consultant can carry in each of the first `horizon_weeks`
    weeks from `first_day`: contracted hours less the reserved share
    (`MatchSettings.reserved_share`), times the lowest share of working days present.
    Ranking, batch and confirm all use it."""
    return horizon_capacity(settings, consultant.capacity_hours, consultant.absences, first_day)


def horizon_capacity(
    settings: MatchSettings,
    contracted_hours: float,
    absences: tuple[DateRange, ...],
    first_day: dt.date,
) -> float:
    """`weekly_capacity` from plain values (the confirm reads them from the database)."""
    share = _min_present_share(absences, first_day, settings.horizon_weeks) if absences else 1.0
    return settings.family_hours(contracted_hours) * share


def min_present_share(consultant: ConsultantData, first_day: dt.date, weeks: int) -> float:
    """The lowest `present_share` over `weeks` consecutive weeks from `first_day`."""
    if not consultant.absences:
        return 1.0
    return _min_present_share(consultant.absences, first_day, weeks)


@lru_cache(maxsize=65536)
def _min_present_share(absences: tuple[DateRange, ...], first_day: dt.date, weeks: int) -> float:
    return min(_present_share(absences, first_day + dt.timedelta(weeks=w)) for w in range(weeks))


# ------------------------------------------------------------------ the rules


def language_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """Every required language is covered at `min_language_level` or better, by the same
    tag, another regional variety, an Arabic dialect of the same group, or (only with the
    case's sign-off) a related language."""
    if language_cover(problem, case, role, consultant) is not None:
        return None
    level = problem.settings.min_language_level
    tags = required_tags(case, role)
    spoken = [
        tag
        for tag in tags
        if any(usable_closeness(case, problem.closeness(tag, s.tag)) for s in consultant.languages)
    ]
    related_only = [
        tag
        for tag in tags
        if tag not in spoken
        and any(problem.closeness(tag, s.tag) == Closeness.RELATED for s in consultant.languages)
    ]
    missing = [tag for tag in tags if tag not in spoken and tag not in related_only]
    if missing:
        names = ", ".join(display_name(t, "en") for t in missing)
        return Reason(RuleName.LANGUAGE, f"does not speak {names}")
    if related_only:
        names = ", ".join(display_name(t, "en") for t in related_only)
        return Reason(
            RuleName.LANGUAGE,
            f"speaks only a language related to {names}; the case has no coordinator's "
            "sign-off for a related language",
        )
    minimum = LEVEL_RANK[level]
    below = [
        tag
        for tag in tags
        if not any(
            usable_closeness(case, problem.closeness(tag, s.tag))
            and LEVEL_RANK[Level(s.level)] >= minimum
            for s in consultant.languages
        )
    ]
    names = ", ".join(display_name(t, "en") for t in below) or "the required languages"
    return Reason(RuleName.LANGUAGE, f"speaks {names} only below {level.value} level")


def intervention_type_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """The consultant takes this kind of intervention (support seats: support or contact
    person work)."""
    if role == Role.SUPPORT:
        if consultant.intervention_types & SUPPORT_INTERVENTION_TYPES:
            return None
        return Reason(RuleName.INTERVENTION_TYPE, "does not work as support or contact person")
    if case.intervention_type in consultant.intervention_types:
        return None
    kind = case.intervention_type.replace("_", " ")
    return Reason(RuleName.INTERVENTION_TYPE, f"does not take {kind}")


def qualification_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """The primary holds every qualification the case requires (support seats need none)."""
    if role == Role.SUPPORT:
        return None
    missing = sorted(case.required_qualifications - consultant.qualifications)
    if not missing:
        return None
    return Reason(RuleName.QUALIFICATION, f"lacks qualification {', '.join(missing)}")


def exclusion_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """The consultant is not on the case's exclusion list."""
    if consultant.id in case.excluded_consultant_ids:
        return Reason(RuleName.EXCLUDED, "excluded for this family")
    return None


def gender_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """If the case requires a gender, the consultant has it (a preference is soft)."""
    if case.gender_rule != "required" or consultant.gender == case.gender:
        return None
    return Reason(RuleName.GENDER, f"the family requires a {case.gender} consultant")


def absence_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """The consultant is not absent on the start day."""
    day = start_day(problem, case)
    for absence in consultant.absences:
        if absence.contains(day):
            return Reason(RuleName.ABSENT, f"absent until {absence.end.isoformat()}")
    return None


def capacity_hours_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """Enough free hours in each of the first `horizon_weeks` weeks of the intervention."""
    need = need_hours(problem, case, role)
    free = free_hours(problem, case, consultant, other_load(problem, case, consultant))
    if free + 1e-9 >= need:
        return None
    return Reason(
        RuleName.CAPACITY_HOURS,
        f"only {max(free, 0):.0f} h free of {need:.0f} h needed per week",
    )


def capacity_cases_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """Fewer running cases than the consultant's maximum."""
    others = {
        a.case_id
        for a in problem.assignments_by_consultant.get(consultant.id, ())
        if a.case_id != case.id
    }
    if len(others) < consultant.max_cases:
        return None
    return Reason(
        RuleName.CAPACITY_CASES, f"already at the maximum of {consultant.max_cases} cases"
    )


def travel_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """One-way travel from home or office is within `max_travel_minutes`."""
    minutes = problem.travel_minutes(consultant, case)
    limit = problem.settings.max_travel_minutes
    if minutes <= limit:
        return None
    return Reason(RuleName.TRAVEL, f"{minutes:.0f} min away (limit {limit:.0f})")


def employment_ends_before_case(case: CaseData, consultant: ConsultantData) -> str | None:
    """The reason a consultant's employment ends before the case's expected end, if it
    does: shown beside a candidate (soft), or a hard rule when
    `MatchSettings.employment_end_is_hard`."""
    if consultant.active_to is None or case.expected_end is None:
        return None
    if consultant.active_to >= case.expected_end:
        return None
    return (
        f"employment ends {consultant.active_to.isoformat()}, before the case's expected "
        f"end {case.expected_end.isoformat()}"
    )


def employment_end_rule(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData
) -> Reason | None:
    """If configured as hard: the consultant is employed until the case's expected end."""
    if not problem.settings.employment_end_is_hard:
        return None
    text = employment_ends_before_case(case, consultant)
    return Reason(RuleName.EMPLOYMENT_END, text) if text is not None else None


#: All hard rules in checking order.
HARD_RULES: tuple[Rule, ...] = (
    language_rule,
    intervention_type_rule,
    qualification_rule,
    exclusion_rule,
    gender_rule,
    absence_rule,
    travel_rule,
    employment_end_rule,
    capacity_hours_rule,
    capacity_cases_rule,
)

#: The rules that do not depend on the consultant's current load (used by reshuffle and
#: batch, which decide loads themselves).
STATIC_RULES: tuple[Rule, ...] = tuple(
    r for r in HARD_RULES if r not in (capacity_hours_rule, capacity_cases_rule)
)

#: Rules that mean "this person is capacity-blocked", the only ones a reshuffle can fix.
CAPACITY_RULES = frozenset({RuleName.CAPACITY_HOURS, RuleName.CAPACITY_CASES})


def first_failure(
    problem: MatchProblem,
    case: CaseData,
    role: Role,
    consultant: ConsultantData,
    rules: tuple[Rule, ...] = HARD_RULES,
) -> Reason | None:
    """The first rule that fires, or None if the consultant is a candidate."""
    for rule in rules:
        reason = rule(problem, case, role, consultant)
        if reason is not None:
            return reason
    return None


def all_failures(
    problem: MatchProblem,
    case: CaseData,
    role: Role,
    consultant: ConsultantData,
    rules: tuple[Rule, ...] = HARD_RULES,
) -> list[Reason]:
    """Every rule that fires (for nearest-miss explanations)."""
    return [r for rule in rules if (r := rule(problem, case, role, consultant)) is not None]
