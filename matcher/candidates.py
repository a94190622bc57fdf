"""Candidate pairs for the batch model: the hard rules applied to whole columns at once.

For thousands of seats × thousands of consultants a per-pair Python loop is too slow,
so the static rules (language, intervention type, qualification, exclusion, gender,
absence on the start day, travel) are first applied as numpy masks; the survivors are
then checked and scored exactly with `matcher.rules` / `matcher.scoring`, the same code
`rank` uses. Travel is prefiltered with a spherical (haversine) estimate when the
travel model is `GeodesicTravel` (within 0.5 % of the geodesic, so a 2 % margin never
drops a feasible pair); the exact model then decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from data.languages import Closeness
from matcher.problem import (
    LEVEL_RANK,
    SUPPORT_INTERVENTION_TYPES,
    CaseData,
    ConsultantData,
    Level,
    MatchProblem,
    Role,
)
from matcher.rules import (
    STATIC_RULES,
    RuleName,
    first_failure,
    free_hours,
    min_present_share,
    need_hours,
    required_tags,
    start_day,
)
from matcher.scoring import CLOSENESS_VALUE, LEVEL_VALUE, integer_score, make_context

_EARTH_KM = 6371.0088
#: With a candidate limit L, the best PRESELECT_FACTOR × L by estimate are scored exactly.
PRESELECT_FACTOR = 2


@dataclass(frozen=True)
class Candidate:
    consultant_index: int
    score: int


class CandidateIndex:
    """Column data of all consultants, built once per problem."""

    def __init__(self, problem: MatchProblem, locked_hours: np.ndarray | None = None) -> None:
        self.problem = problem
        consultants = problem.consultants
        self.n = len(consultants)
        self.locked_hours = np.zeros(self.n) if locked_hours is None else locked_hours
        self.max_cases = np.array([c.max_cases for c in consultants], dtype=int)
        self.gender = np.array([c.gender or "" for c in consultants], dtype=object)
        self.id_position = {c.id: k for k, c in enumerate(consultants)}
        self._qualified: dict[frozenset[str], np.ndarray] = {}
        self._presence: dict[dt.date, tuple[np.ndarray, np.ndarray]] = {}
        self.home = np.radians(
            np.array([[c.home.lat, c.home.lon] for c in consultants]).reshape(-1, 2)
        )
        office_points = []
        for c in consultants:
            office = problem.office_by_id.get(c.office_id)
            point = office.location if office is not None else c.home
            office_points.append([point.lat, point.lon])
        self.office = np.radians(np.array(office_points).reshape(-1, 2))
        #: Family hours a week (contracted less the reserved share), before absences.
        self.capacity = np.array(
            [problem.settings.family_hours(c.capacity_hours) for c in consultants], dtype=float
        )
        self.support_ok = np.array(
            [bool(c.intervention_types & SUPPORT_INTERVENTION_TYPES) for c in consultants],
            dtype=bool,
        )
        self._type_masks: dict[str, np.ndarray] = {}
        self._tag_values: dict[tuple[str, bool], np.ndarray] = {}
        self._region_masks: dict[str, np.ndarray] = {}
        self._country_masks: dict[str, np.ndarray] = {}
        #: consultant tag → [(consultant index, level)]
        self.by_tag: dict[str, list[tuple[int, Level]]] = {}
        minimum = LEVEL_RANK[problem.settings.min_language_level]
        for k, c in enumerate(consultants):
            for skill in c.languages:
                level = Level(skill.level)
                if LEVEL_RANK[level] >= minimum:
                    self.by_tag.setdefault(skill.tag, []).append((k, level))
        self.absent_any = np.array([bool(c.absences) for c in consultants], dtype=bool)

    def type_mask(self, intervention_type: str) -> np.ndarray:
        mask = self._type_masks.get(intervention_type)
        if mask is None:
            mask = np.array(
                [intervention_type in c.intervention_types for c in self.problem.consultants],
                dtype=bool,
            )
            self._type_masks[intervention_type] = mask
        return mask

    def tag_value(self, family_tag: str, allow_related: bool = False) -> np.ndarray:
        """Per consultant, the language term for `family_tag` alone (0 = not covered at
        the minimum level; a related language counts only if `allow_related`)."""
        key = (family_tag, allow_related)
        values = self._tag_values.get(key)
        if values is None:
            values = np.zeros(self.n)
            for own_tag, members in self.by_tag.items():
                kind = self.problem.closeness(family_tag, own_tag)
                if kind == Closeness.NONE or (kind == Closeness.RELATED and not allow_related):
                    continue
                for k, level in members:
                    value = CLOSENESS_VALUE[kind] * LEVEL_VALUE[level]
                    values[k] = max(values[k], value)
            self._tag_values[key] = values
        return values

    def qualified(self, required: frozenset[str]) -> np.ndarray:
        mask = self._qualified.get(required)
        if mask is None:
            mask = np.array(
                [required <= c.qualifications for c in self.problem.consultants], dtype=bool
            )
            self._qualified[required] = mask
        return mask

    def screen(
        self, case: CaseData, role: Role, load_hours: np.ndarray, load_cases: np.ndarray
    ) -> list[tuple[RuleName, np.ndarray]]:
        """Per hard rule, in `HARD_RULES` order, the mask of consultants it rejects for
        the seat, given each consultant's hours and cases on *other* cases. Mirrors the
        rule functions in `matcher.rules`, vectorised; callers re-check accepted pairs
        with the functions themselves."""
        problem = self.problem
        tags = required_tags(case, role)
        speaks = np.ones(self.n, dtype=bool)
        for tag in tags:
            speaks &= self.tag_value(tag, case.allow_related_language) > 0
        takes = self.support_ok if role == Role.SUPPORT else self.type_mask(case.intervention_type)
        unqualified = np.zeros(self.n, dtype=bool)
        if role != Role.SUPPORT and case.required_qualifications:
            unqualified = ~self.qualified(case.required_qualifications)
        excluded = np.zeros(self.n, dtype=bool)
        for cid in case.excluded_consultant_ids:
            if cid in self.id_position:
                excluded[self.id_position[cid]] = True
        wrong_gender = np.zeros(self.n, dtype=bool)
        if case.gender_rule == "required":
            wrong_gender = self.gender != case.gender
        need = need_hours(problem, case, role)
        absent, share = self.presence(start_day(problem, case))
        short = self.capacity * share - load_hours + 1e-9 < need
        far = problem.travel_row(case) > problem.settings.max_travel_minutes
        full = load_cases >= self.max_cases
        return [
            (RuleName.LANGUAGE, ~speaks),
            (RuleName.INTERVENTION_TYPE, ~takes),
            (RuleName.QUALIFICATION, unqualified),
            (RuleName.EXCLUDED, excluded),
            (RuleName.GENDER, wrong_gender),
            (RuleName.ABSENT, absent),
            (RuleName.TRAVEL, far),
            (RuleName.EMPLOYMENT_END, self._leaving(case)),
            (RuleName.CAPACITY_HOURS, short),
            (RuleName.CAPACITY_CASES, full),
        ]

    def _leaving(self, case: CaseData) -> np.ndarray:
        """Consultants whose employment ends before the case's expected end, when that
        is a hard rule (`MatchSettings.employment_end_is_hard`)."""
        leaving = np.zeros(self.n, dtype=bool)
        if self.problem.settings.employment_end_is_hard and case.expected_end is not None:
            for k, c in enumerate(self.problem.consultants):
                leaving[k] = c.active_to is not None and c.active_to < case.expected_end
        return leaving

    def presence(self, day: dt.date) -> tuple[np.ndarray, np.ndarray]:
        """Per consultant: absent on `day`, and the lowest share of working days present
        in each of the `horizon_weeks` weeks from `day` (see `rules.free_hours`)."""
        cached = self._presence.get(day)
        if cached is None:
            absent = np.zeros(self.n, dtype=bool)
            share = np.ones(self.n)
            weeks = self.problem.settings.horizon_weeks
            for k in np.flatnonzero(self.absent_any).tolist():
                consultant = self.problem.consultants[k]
                absent[k] = any(a.contains(day) for a in consultant.absences)
                share[k] = min_present_share(consultant, day, weeks)
            cached = (absent, share)
            self._presence[day] = cached
        return cached

    def region_mask(self, region: str) -> np.ndarray:
        mask = self._region_masks.get(region)
        if mask is None:
            mask = np.array(
                [self.problem.office_serves(c.office_id, region) for c in self.problem.consultants],
                dtype=bool,
            )
            self._region_masks[region] = mask
        return mask

    def country_mask(self, country: str) -> np.ndarray:
        mask = self._country_masks.get(country)
        if mask is None:
            mask = np.array(
                [country in c.cultural_countries for c in self.problem.consultants], dtype=bool
            )
            self._country_masks[country] = mask
        return mask

    def approx_scores(
        self,
        case: CaseData,
        role: Role,
        tags: tuple[str, ...],
        minutes: np.ndarray | None,
        members: np.ndarray,
    ) -> np.ndarray:
        """The soft score of `members` without the start and preference terms, travel
        from the spherical estimate: only used to pick whom to score exactly."""
        weights = self.problem.settings.weights
        limit = max(self.problem.settings.max_travel_minutes, 1e-9)
        language = (
            np.min([self.tag_value(t, case.allow_related_language)[members] for t in tags], axis=0)
            if tags
            else np.ones(len(members))
        )
        total: np.ndarray = weights.language * language
        if minutes is not None:
            total += weights.travel * np.clip(1 - minutes[members] / limit, 0, 1)
        total += weights.office * self.region_mask(case.region)[members]
        if case.cultural_countries:
            culture = np.zeros(len(members), dtype=bool)
            for country in case.cultural_countries:
                culture |= self.country_mask(country)[members]
            total += weights.culture * culture
        capacity = np.maximum(self.capacity[members], 1e-9)
        used = self.locked_hours[members] + need_hours(self.problem, case, role)
        total += weights.workload * np.clip(1 - used / capacity, 0, 1)
        ids = [self.problem.consultants[k].id for k in members.tolist()]
        for j, cid in enumerate(ids):
            if cid == case.preferred_consultant_id:
                total[j] += weights.continuity
            elif cid in case.previous_consultant_ids:
                total[j] += 0.7 * weights.continuity
        return total

    def approx_minutes(self, case: CaseData) -> np.ndarray:
        """One-way minutes from every consultant (the problem's cached travel row)."""
        return self.problem.travel_row(case)

    def static_mask(
        self,
        case: CaseData,
        role: Role,
        tags: tuple[str, ...],
        hours: float,
        minutes: np.ndarray,
    ) -> np.ndarray:
        """Consultants the vectorised static rules admit to the seat: the intervention
        type (or support), every tag in `tags`, `hours` free beside their locked work and
        `minutes` of travel within the limit."""
        mask = (
            self.support_ok.copy()
            if role == Role.SUPPORT
            else self.type_mask(case.intervention_type).copy()
        )
        for tag in tags:
            mask &= self.tag_value(tag, case.allow_related_language) > 0
        mask &= self.capacity - self.locked_hours + 1e-9 >= hours
        mask &= minutes <= self.problem.settings.max_travel_minutes
        return mask

    def candidates(
        self, case: CaseData, role: Role, limit: int | None, keep: int | None = None
    ) -> list[Candidate]:
        """Feasible consultants (static rules + capacity under locked work) with their
        integer score, best first, at most `limit` (plus `keep`, today's consultant)."""
        problem = self.problem
        tags = required_tags(case, role)
        minutes = self.approx_minutes(case)
        mask = self.static_mask(case, role, tags, need_hours(problem, case, role), minutes)
        found: list[Candidate] = []
        members = np.flatnonzero(mask)
        if limit is not None and len(members) > PRESELECT_FACTOR * limit:
            # Score exactly only the best by the vectorised estimate; it leaves out the
            # start and preference terms (≤ 10 points by default), hence the margin.
            approx = self.approx_scores(case, role, tags, minutes, members)
            order = np.argsort(-approx, kind="stable")[: PRESELECT_FACTOR * limit]
            chosen = set(members[order].tolist())
            if keep is not None and mask[keep]:
                chosen.add(keep)
            members = np.array(sorted(chosen), dtype=int)
        for k in members.tolist():
            score = self.exact_score(case, role, k)
            if score is not None:
                found.append(Candidate(k, score))
        found.sort(key=lambda c: (-c.score, c.consultant_index))
        if limit is not None and len(found) > limit:
            kept = found[:limit]
            if keep is not None and all(c.consultant_index != keep for c in kept):
                kept.extend(c for c in found if c.consultant_index == keep)
            found = kept
        return found

    def exact_score(self, case: CaseData, role: Role, k: int) -> int | None:
        """Consultant k's integer score on the seat, None if a static rule or the
        seat's hours beside their locked work rule them out."""
        problem = self.problem
        consultant = problem.consultants[k]
        if first_failure(problem, case, role, consultant, STATIC_RULES) is not None:
            return None
        if not _fits_alone(problem, case, role, consultant, float(self.locked_hours[k])):
            return None
        return integer_score(
            make_context(problem, case, role, consultant, float(self.locked_hours[k]))
        )

    def optimistic(self, case: CaseData, role: Role) -> tuple[np.ndarray, np.ndarray]:
        """Every consultant the vectorised rules do not reject for the seat, and an upper
        bound on each one's integer score: a superset of the feasible pairs with
        scores no lower than the exact ones, for a bound of the problem no candidate
        limit prunes. Travel is read 2 % short (the estimate is within 0.5 %); the start
        and preference terms, left out of the estimate, count in full."""
        problem = self.problem
        tags = required_tags(case, role)
        minutes = 0.98 * self.approx_minutes(case)
        members = np.flatnonzero(self.static_mask(case, role, tags, case.hours_for(role), minutes))
        weights = problem.settings.weights
        upper = self.approx_scores(case, role, tags, minutes, members)
        upper += weights.start + weights.preference
        scale = problem.settings.score_scale
        return members, np.ceil(upper * scale + 1e-6).astype(np.int64)


def _fits_alone(
    problem: MatchProblem, case: CaseData, role: Role, consultant: ConsultantData, locked: float
) -> bool:
    """The seat's hours fit the consultant's absence-adjusted week beside locked work."""
    if consultant.absences:
        return free_hours(problem, case, consultant, locked) + 1e-9 >= need_hours(
            problem, case, role
        )
    family_hours = problem.settings.family_hours(consultant.capacity_hours)
    return family_hours - locked + 1e-9 >= need_hours(problem, case, role)
