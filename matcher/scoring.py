"""Soft terms: how good a feasible consultant is for a seat.

Each term is a named function returning a value in [0, 1] (1 = best). The score of a
pair is Σ weight × term; solvers use `integer_score` (score × `score_scale`, rounded)
so CP-SAT works on exact integers. Only call these for pairs the hard rules accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.languages import Closeness
from matcher.problem import CaseData, ConsultantData, LanguageCover, Level, MatchProblem, Role
from matcher.rules import language_cover, need_hours, other_load, present_share, start_day

CLOSENESS_VALUE = {
    Closeness.EXACT: 1.0,
    Closeness.VARIETY: 0.85,
    Closeness.DIALECT: 0.7,
    Closeness.RELATED: 0.3,
}
LEVEL_VALUE = {Level.NATIVE: 1.0, Level.FLUENT: 0.9, Level.WORKING: 0.75}


@dataclass(frozen=True, slots=True)
class PairContext:
    """What the terms of one (seat, consultant) pair need, computed once."""

    problem: MatchProblem
    case: CaseData
    role: Role
    consultant: ConsultantData
    cover: tuple[LanguageCover, ...]
    travel_minutes: float
    #: Hours the consultant works elsewhere (rank: all running work; batch: locked work).
    base_load: float


def language_term(ctx: PairContext) -> float:
    """Worst required language: exact tag 1, other regional variety 0.85, Arabic dialect of
    the same group 0.7, signed-off related language 0.3, times
    the level (native 1, fluent 0.9, working 0.75). No language needed → 1."""
    if not ctx.cover:
        return 1.0
    return min(CLOSENESS_VALUE[c.closeness] * LEVEL_VALUE[c.level] for c in ctx.cover)


def culture_term(ctx: PairContext) -> float:
    """1 if the consultant knows a culture the family comes from, else 0."""
    return 1.0 if ctx.case.cultural_countries & ctx.consultant.cultural_countries else 0.0


def travel_term(ctx: PairContext) -> float:
    """1 − one-way minutes ÷ the maximum: nearer is better (weekly minutes are this ×
    visits × 2, the same order for one case)."""
    limit = ctx.problem.settings.max_travel_minutes
    if limit <= 0:
        return 1.0
    return max(0.0, 1.0 - ctx.travel_minutes / limit)


def office_term(ctx: PairContext) -> float:
    """1 if the consultant's office serves the family's region."""
    return 1.0 if ctx.problem.office_serves(ctx.consultant.office_id, ctx.case.region) else 0.0


def continuity_term(ctx: PairContext) -> float:
    """1 for the consultant the family or municipality asked for, 0.7 for one who worked
    with the family before, else 0."""
    if ctx.case.preferred_consultant_id == ctx.consultant.id:
        return 1.0
    if ctx.consultant.id in ctx.case.previous_consultant_ids:
        return 0.7
    return 0.0


def workload_term(ctx: PairContext) -> float:
    """1 − utilisation after taking the seat: spreads work towards the less loaded."""
    capacity = ctx.problem.settings.family_hours(ctx.consultant.capacity_hours)
    if capacity <= 0:
        return 0.0
    used = ctx.base_load + need_hours(ctx.problem, ctx.case, ctx.role)
    return max(0.0, 1.0 - used / capacity)


def start_term(ctx: PairContext) -> float:
    """Share of the first week's working days the consultant is present: 1 means the
    course can start within 24 hours and continue without a gap."""
    return present_share(ctx.consultant, start_day(ctx.problem, ctx.case))


def preference_term(ctx: PairContext) -> float:
    """Average fit of the family's soft wishes (preferred gender, needed competences);
    0 when the family stated none."""
    parts: list[float] = []
    if ctx.case.gender_rule == "preferred":
        parts.append(1.0 if ctx.consultant.gender == ctx.case.gender else 0.0)
    if ctx.case.needed_competences:
        hit = ctx.case.needed_competences & ctx.consultant.competences
        parts.append(len(hit) / len(ctx.case.needed_competences))
    return sum(parts) / len(parts) if parts else 0.0


SOFT_TERMS = {
    "language": language_term,
    "culture": culture_term,
    "travel": travel_term,
    "office": office_term,
    "continuity": continuity_term,
    "workload": workload_term,
    "start": start_term,
    "preference": preference_term,
}


def make_context(
    problem: MatchProblem,
    case: CaseData,
    role: Role,
    consultant: ConsultantData,
    base_load: float | None = None,
) -> PairContext:
    """Context for a pair the language rule accepts (raises if it does not)."""
    cover = language_cover(problem, case, role, consultant)
    if cover is None:
        raise ValueError(f"consultant {consultant.id}: does not cover case {case.id} languages")
    load = other_load(problem, case, consultant) if base_load is None else base_load
    return PairContext(
        problem, case, role, consultant, cover, problem.travel_minutes(consultant, case), load
    )


def breakdown(ctx: PairContext) -> dict[str, float]:
    """Weighted points per term (the score is their sum)."""
    weights = ctx.problem.settings.weights
    return {name: getattr(weights, name) * term(ctx) for name, term in SOFT_TERMS.items()}


def score(ctx: PairContext) -> float:
    return sum(breakdown(ctx).values())


def integer_score(ctx: PairContext) -> int:
    """The score in integer units (× `score_scale`) as CP-SAT sees it."""
    return round(score(ctx) * ctx.problem.settings.score_scale)


def points(problem: MatchProblem, value: float) -> int:
    """A setting in score points (stability cost, penalties) in integer units."""
    return round(value * problem.settings.score_scale)
