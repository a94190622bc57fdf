"""Reception: rank the candidates for one case, with reasons and an exclusion summary.

`rank(problem, case_id, top=5)` checks every consultant against the hard rules
(language first: it rules out most people cheaply), scores the rest with the soft terms
and returns the best, each with a per-term breakdown and readable reasons. For a case
that needs a support person it also ranks pairs of two different consultants. When a
seat has no candidate at all it asks `matcher.reshuffle` for the smallest set of moves
that frees someone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pycountry

from data.languages import CLOSENESS_LABEL, Closeness, display_name
from matcher.candidates import CandidateIndex
from matcher.problem import CaseData, ConsultantData, LanguageCover, MatchProblem, Role
from matcher.reshuffle import Reshuffle, reshuffle
from matcher.rules import (
    HARD_RULES,
    Reason,
    RuleName,
    all_failures,
    employment_ends_before_case,
    first_failure,
    present_share,
    required_tags,
    start_day,
)
from matcher.scoring import PairContext, breakdown, make_context, score

#: How many of the best single candidates per role are combined into pairs.
PAIR_POOL = 12
NEAREST_MISSES = 3


@dataclass(frozen=True)
class Candidate:
    """One consultant for one seat: score, weighted points per term, reasons."""

    consultant_id: int
    role: Role
    score: float
    breakdown: dict[str, float]
    reasons: tuple[str, ...]
    travel_minutes: float
    free_hours: float

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class PairCandidate:
    """A primary and a different support person for a case that needs both."""

    primary: Candidate
    support: Candidate

    @property
    def score(self) -> float:
        return self.primary.score + self.support.score


@dataclass(frozen=True)
class NearMiss:
    """A consultant who speaks the language but fails exactly one other rule."""

    consultant_id: int
    role: Role
    reason: Reason
    text: str
    score: float


@dataclass(frozen=True)
class Exclusions:
    """Who was not a candidate for a seat and why."""

    role: Role
    considered: int
    #: Consultants per rule (the first rule that fired for each).
    counts: dict[str, int]
    nearest_misses: tuple[NearMiss, ...]
    summary: tuple[str, ...]


@dataclass(frozen=True)
class Ranking:
    case_id: int
    candidates: tuple[Candidate, ...]
    support_candidates: tuple[Candidate, ...] = ()
    pairs: tuple[PairCandidate, ...] = ()
    excluded: dict[Role, Exclusions] = field(default_factory=dict)
    #: Proposed when a seat had no candidate (None if not needed or nothing found).
    reshuffle: Reshuffle | None = None

    needs_support_person: bool = False

    @property
    def feasible(self) -> bool:
        """Every seat of the case can be filled (by a pair if it needs two people)."""
        if self.needs_support_person:
            return bool(self.pairs)
        return bool(self.candidates)


def rank(
    problem: MatchProblem,
    case_id: int,
    top: int = 5,
    *,
    propose_reshuffle: bool = True,
    reshuffle_time_limit: float = 1.0,
) -> Ranking:
    """Best `top` candidates for the case (and pairs if it needs a support person).

    Raises `KeyError` if `case_id` is not in the problem.
    """
    if case_id not in problem.case_by_id:
        raise KeyError(f"case {case_id}: not in the problem")
    case = problem.case_by_id[case_id]
    seats: dict[Role, list[Candidate]] = {}
    excluded: dict[Role, Exclusions] = {}
    for role in case.roles:
        pool = (
            top if role == Role.PRIMARY and not case.needs_support_person else max(top, PAIR_POOL)
        )
        seats[role], excluded[role] = rank_seat(problem, case, role, pool)

    pairs: tuple[PairCandidate, ...] = ()
    if case.needs_support_person:
        pairs = _best_pairs(seats[Role.PRIMARY], seats[Role.SUPPORT], top)

    proposal = None
    if propose_reshuffle:
        for role in case.roles:
            if not seats[role]:
                proposal = reshuffle(problem, case_id, role, time_limit=reshuffle_time_limit)
                break
    return Ranking(
        case_id=case_id,
        candidates=tuple(seats[Role.PRIMARY][:top]),
        support_candidates=tuple(seats.get(Role.SUPPORT, [])[:top]),
        pairs=pairs,
        excluded=excluded,
        reshuffle=proposal,
        needs_support_person=case.needs_support_person,
    )


def rank_seat(
    problem: MatchProblem, case: CaseData, role: Role, top: int
) -> tuple[list[Candidate], Exclusions]:
    """The best `top` candidates for one seat (`role`) of `case`, and who was excluded
    and why. `case` may be a variant of a case in the problem (`matcher.team` asks for a
    team member's share as the seat's hours).

    Screen everyone with the vectorised rules, then check and score the candidates
    and the nearest misses (exactly one rule fails) with the rule functions themselves."""
    index, load_hours, load_cases = _screening_data(problem, case)
    fails = index.screen(case, role, load_hours, load_cases)
    stacked = np.stack([mask for _, mask in fails])
    n_failed = stacked.sum(axis=0)
    first = stacked.argmax(axis=0)
    counts: Counter[str] = Counter()
    for position, n in zip(*np.unique(first[n_failed > 0], return_counts=True), strict=True):
        counts[fails[int(position)][0]] = int(n)
    consultants = problem.consultants
    feasible: list[tuple[float, float, int, PairContext]] = []
    for k in np.flatnonzero(n_failed == 0).tolist():
        consultant = consultants[k]
        if first_failure(problem, case, role, consultant) is None:  # the rules decide
            ctx = make_context(problem, case, role, consultant)
            feasible.append((-round(score(ctx), 3), ctx.travel_minutes, consultant.id, ctx))
    feasible.sort(key=lambda f: f[:3])
    # Reasons are written for the shown candidates only.
    scored = [_candidate(f[3]) for f in feasible[:top]]
    misses: list[tuple[float, int, Reason, PairContext]] = []
    language_ok = ~fails[0][1]
    for k in np.flatnonzero((n_failed == 1) & language_ok).tolist():
        consultant = consultants[k]
        reasons = all_failures(problem, case, role, consultant, HARD_RULES[1:])
        if len(reasons) == 1:
            ctx = make_context(problem, case, role, consultant)
            misses.append((-score(ctx), consultant.id, reasons[0], ctx))
    misses.sort(key=lambda m: (m[0], m[1]))
    nearest = tuple(
        _near_miss(ctx, reason, -neg) for neg, _, reason, ctx in misses[:NEAREST_MISSES]
    )
    exclusions = Exclusions(
        role=role,
        considered=len(problem.consultants),
        counts=dict(counts),
        nearest_misses=nearest,
        summary=_summary(
            problem, case, role, counts, [(problem.consultant_by_id[m[1]], m[2]) for m in misses]
        ),
    )
    return scored[:top], exclusions


def _screening_data(
    problem: MatchProblem, case: CaseData
) -> tuple[CandidateIndex, np.ndarray, np.ndarray]:
    """The problem's screening index and every consultant's hours and cases on running
    assignments of other cases on the case's start day, each in its course's phase then
    (cached per problem and day; adjusted for a running case)."""
    day = start_day(problem, case)
    cached = problem._cache.get(("rank_index", day))
    if cached is None:
        index = problem._cache.get("rank_screen")
        if index is None:
            index = CandidateIndex(problem)
            problem._cache["rank_screen"] = index
        hours = np.zeros(index.n)
        cases: list[set[int]] = [set() for _ in range(index.n)]
        for a in problem.assignments:
            if a.consultant_id is not None and a.role != Role.COORDINATOR:
                k = index.id_position[a.consultant_id]
                hours[k] += problem.running_hours(a, day)
                cases[k].add(a.case_id)
        cached = (index, hours, np.array([len(c) for c in cases], dtype=int))
        problem._cache[("rank_index", day)] = cached
    index, hours, counts = cached
    own = [
        a
        for a in problem.assignments_by_case.get(case.id, ())
        if a.consultant_id is not None and a.role != Role.COORDINATOR
    ]
    if own:
        hours, counts = hours.copy(), counts.copy()
        for a in own:
            k = index.id_position[a.consultant_id]  # type: ignore[index]
            hours[k] -= problem.running_hours(a, day)
        for k in {index.id_position[a.consultant_id] for a in own}:  # type: ignore[index]
            counts[k] -= 1
    return index, hours, counts


def _best_pairs(
    primaries: list[Candidate], supports: list[Candidate], top: int
) -> tuple[PairCandidate, ...]:
    pairs = [
        PairCandidate(p, s)
        for p in primaries
        for s in supports
        if p.consultant_id != s.consultant_id
    ]
    pairs.sort(key=lambda q: (-q.score, q.primary.consultant_id, q.support.consultant_id))
    return tuple(pairs[:top])


# ------------------------------------------------------------------ explanations


def _candidate(ctx: PairContext) -> Candidate:
    points = breakdown(ctx)
    free = this_week_free(ctx.problem, ctx.case, ctx.consultant, ctx.base_load)
    return Candidate(
        consultant_id=ctx.consultant.id,
        role=ctx.role,
        score=round(sum(points.values()), 3),
        breakdown={k: round(v, 3) for k, v in points.items()},
        reasons=_reasons(ctx, points, free),
        travel_minutes=round(ctx.travel_minutes, 1),
        free_hours=round(free, 1),
    )


def this_week_free(
    problem: MatchProblem, case: CaseData, consultant: ConsultantData, load: float
) -> float:
    """Free hours in the week from the start day, before taking the case."""
    share = present_share(consultant, start_day(problem, case))
    return max(0.0, problem.settings.family_hours(consultant.capacity_hours) * share - load)


def describe_cover(cover: LanguageCover) -> str:
    """E.g. "speaks Arabic (Iraq) (exact dialect, native)" or "speaks Persian for Dari
    (a related language (needs a coordinator's sign-off), fluent)"."""
    family = display_name(cover.family_tag, "en")
    own = display_name(cover.consultant_tag, "en")
    if cover.closeness == Closeness.EXACT:
        kind = "exact dialect" if "-" in cover.family_tag else "exact"
        return f"speaks {family} ({kind}, {cover.level})"
    return f"speaks {own} for {family} ({CLOSENESS_LABEL[cover.closeness]}, {cover.level})"


def _country(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return str(found.name) if found is not None else code


def _reasons(ctx: PairContext, points: dict[str, float], free: float) -> tuple[str, ...]:
    reasons = [describe_cover(c) for c in ctx.cover]
    visits = ctx.case.visits_per_week
    reasons.append(
        f"{ctx.travel_minutes:.0f} min away ({visits * 2 * ctx.travel_minutes:.0f} min/week)"
    )
    reasons.append(f"{free:.0f} h free this week")
    shared = sorted(ctx.case.cultural_countries & ctx.consultant.cultural_countries)
    if shared:
        reasons.append("knows the culture of " + ", ".join(_country(c) for c in shared))
    if points["office"] > 0:
        reasons.append("own office serves the region")
    if ctx.case.preferred_consultant_id == ctx.consultant.id:
        reasons.append("asked for by name")
    elif ctx.consultant.id in ctx.case.previous_consultant_ids:
        reasons.append("has worked with the family before")
    if points["start"] >= ctx.problem.settings.weights.start > 0:
        reasons.append("can start within 24 hours")
    if ctx.case.gender_rule == "preferred" and ctx.consultant.gender == ctx.case.gender:
        reasons.append(f"{ctx.case.gender}, as preferred")
    ending = employment_ends_before_case(ctx.case, ctx.consultant)
    if ending is not None:
        reasons.append(f"note: {ending}")
    return tuple(reasons)


def _free_from(problem: MatchProblem, consultant: ConsultantData) -> dt.date | None:
    ends = [
        a.end for a in problem.assignments_by_consultant.get(consultant.id, ()) if a.end is not None
    ]
    return min(ends) if ends else None


def _near_miss(ctx: PairContext, reason: Reason, value: float) -> NearMiss:
    parts = [describe_cover(c) for c in ctx.cover]
    if reason.rule != RuleName.TRAVEL:
        parts.append(f"{ctx.travel_minutes:.0f} min away")
    text = "; ".join(parts) + f" — but {reason.text}"
    if reason.rule in (RuleName.CAPACITY_HOURS, RuleName.CAPACITY_CASES):
        free_from = _free_from(ctx.problem, ctx.consultant)
        if free_from is not None:
            text += f" (a case ends {free_from.isoformat()})"
    return NearMiss(ctx.consultant.id, ctx.role, reason, text, round(value, 3))


_MISS_PHRASE = {
    RuleName.CAPACITY_HOURS: "within reach but without enough free hours",
    RuleName.CAPACITY_CASES: "within reach but at their case maximum",
    RuleName.TRAVEL: "otherwise suitable but too far away",
    RuleName.ABSENT: "within reach but absent on the start day",
}


def _summary(
    problem: MatchProblem,
    case: CaseData,
    role: Role,
    counts: Counter[str],
    misses: list[tuple[ConsultantData, Reason]],
) -> tuple[str, ...]:
    lines = [f"{n} excluded: {rule.replace('_', ' ')}" for rule, n in counts.most_common()]
    tags = required_tags(case, role)
    speakers = " / ".join(display_name(t, "en") for t in tags) or "suitable"
    by_rule = Counter(reason.rule for _, reason in misses)
    for rule, n in by_rule.most_common():
        phrase = _MISS_PHRASE.get(RuleName(rule), f"fail only: {rule.replace('_', ' ')}")
        noun = "speaker" if n == 1 else "speakers"
        line = f"{n} {speakers} {noun} {phrase}"
        if rule in (RuleName.CAPACITY_HOURS, RuleName.CAPACITY_CASES):
            dates = [
                d
                for consultant, reason in misses
                if reason.rule == rule
                if (d := _free_from(problem, consultant))
            ]
            if dates:
                line += f" (first frees up {min(dates).isoformat()})"
        lines.append(line)
    return tuple(lines)
