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

from dataclasses import dataclass

import numpy as np

from data.languages import Closeness
from data.travel import GeodesicTravel
from matcher.problem import (
    LEVEL_RANK,
    SUPPORT_INTERVENTION_TYPES,
    CaseData,
    ConsultantData,
    Level,
    MatchProblem,
    Role,
)
from matcher.rules import STATIC_RULES, first_failure, free_hours, required_tags
from matcher.scoring import integer_score, make_context

_EARTH_KM = 6371.0088


@dataclass(frozen=True)
class Candidate:
    consultant_index: int
    score: int


class CandidateIndex:
    """Column data of all consultants, built once per problem."""

    def __init__(self, problem: MatchProblem, locked_hours: np.ndarray) -> None:
        self.problem = problem
        consultants = problem.consultants
        self.n = len(consultants)
        self.locked_hours = locked_hours
        self.home = np.radians(np.array([[c.home.lat, c.home.lon] for c in consultants]
                                        ).reshape(-1, 2))
        office_points = []
        for c in consultants:
            office = problem.office_by_id.get(c.office_id)
            point = office.location if office is not None else c.home
            office_points.append([point.lat, point.lon])
        self.office = np.radians(np.array(office_points).reshape(-1, 2))
        self.capacity = np.array([c.capacity_hours for c in consultants], dtype=float)
        self.support_ok = np.array(
            [bool(c.intervention_types & SUPPORT_INTERVENTION_TYPES) for c in consultants],
            dtype=bool)
        self._type_masks: dict[str, np.ndarray] = {}
        self._tag_masks: dict[str, np.ndarray] = {}
        self.by_tag: dict[str, list[int]] = {}
        minimum = LEVEL_RANK[problem.settings.min_language_level]
        for k, c in enumerate(consultants):
            for skill in c.languages:
                if LEVEL_RANK[Level(skill.level)] >= minimum:
                    self.by_tag.setdefault(skill.tag, []).append(k)
        self.absent_any = np.array([bool(c.absences) for c in consultants], dtype=bool)

    def type_mask(self, intervention_type: str) -> np.ndarray:
        mask = self._type_masks.get(intervention_type)
        if mask is None:
            mask = np.array([intervention_type in c.intervention_types
                             for c in self.problem.consultants], dtype=bool)
            self._type_masks[intervention_type] = mask
        return mask

    def tag_mask(self, family_tag: str) -> np.ndarray:
        """Consultants speaking some tag that covers `family_tag` at the minimum level."""
        mask = self._tag_masks.get(family_tag)
        if mask is None:
            mask = np.zeros(self.n, dtype=bool)
            for own_tag, members in self.by_tag.items():
                if self.problem.closeness(family_tag, own_tag) != Closeness.NONE:
                    mask[members] = True
            self._tag_masks[family_tag] = mask
        return mask

    def approx_minutes(self, case: CaseData) -> np.ndarray | None:
        travel = self.problem.travel
        if not isinstance(travel, GeodesicTravel):
            return None
        lat, lon = np.radians(case.location.lat), np.radians(case.location.lon)

        def km(points: np.ndarray) -> np.ndarray:
            dlat = points[:, 0] - lat
            dlon = points[:, 1] - lon
            a = np.sin(dlat / 2) ** 2 + np.cos(lat) * np.cos(points[:, 0]) * np.sin(dlon / 2) ** 2
            return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))

        straight = np.minimum(km(self.home), km(self.office))
        return travel.overhead_minutes + straight * travel.road_factor / travel.speed_kmh * 60

    def candidates(
        self, case: CaseData, role: Role, limit: int | None, keep: int | None = None
    ) -> list[Candidate]:
        """Feasible consultants (static rules + capacity under locked work) with their
        integer score, best first, at most `limit` (plus `keep`, today's consultant)."""
        problem = self.problem
        mask = self.support_ok.copy() if role == Role.SUPPORT else self.type_mask(
            case.intervention_type).copy()
        for tag in required_tags(case, role):
            mask &= self.tag_mask(tag)
        need = case.hours_for(role)
        mask &= self.capacity - self.locked_hours + 1e-9 >= need
        minutes = self.approx_minutes(case)
        if minutes is not None:
            mask &= minutes <= problem.settings.max_travel_minutes * 1.02 + 0.5
        found: list[Candidate] = []
        consultants = problem.consultants
        for k in np.flatnonzero(mask).tolist():
            consultant = consultants[k]
            if first_failure(problem, case, role, consultant, STATIC_RULES) is not None:
                continue
            if not _fits_alone(problem, case, role, consultant, float(self.locked_hours[k])):
                continue
            ctx = make_context(problem, case, role, consultant, float(self.locked_hours[k]))
            found.append(Candidate(k, integer_score(ctx)))
        found.sort(key=lambda c: (-c.score, c.consultant_index))
        if limit is not None and len(found) > limit:
            kept = found[:limit]
            if keep is not None and all(c.consultant_index != keep for c in kept):
                kept.extend(c for c in found if c.consultant_index == keep)
            found = kept
        return found


def _fits_alone(problem: MatchProblem, case: CaseData, role: Role,
                consultant: ConsultantData, locked: float) -> bool:
    """The seat's hours fit the consultant's absence-adjusted week beside locked work."""
    if consultant.absences:
        return free_hours(problem, case, consultant, locked) + 1e-9 >= case.hours_for(role)
    return consultant.capacity_hours - locked + 1e-9 >= case.hours_for(role)

