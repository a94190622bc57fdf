"""Phases of a course: intensity falls as a family's course goes on.

The provider's material (``../shared/DESIGN.md``, "The course over time"): several
visits a week at first, then a visit every 1–2 weeks, then every 3–4 weeks. A case's
ordered hours (`CaseData.hours_per_week`, and the hours stored on its assignments) are the
hours of its *first* phase; each later phase plans a share of them. Capacity, ranking, the
confirm, the batch and the capacity outlook all ask `PhaseTable.share` for the hours of
the phase at the date in question, so a consultant who is full in the second week of two
intensive courses has room again once those courses have tapered off.

The plans are data (``data/reference/phases.toml``, read outside this pure package and
parsed here by `PhaseTable.parse`); an intervention type without a plan keeps its hours
for the whole course (a døgnindsats, a support or contact person).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_WEEK = 7


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    #: Weeks after the course's start at which the phase begins (the first phase: 0).
    from_week: int
    #: Share of the case's ordered (first-phase) hours planned in this phase.
    hours_share: float
    #: Visits a week planned in this phase (0.5: a visit every other week).
    visits_per_week: float


#: The phase of a type without a plan: the ordered hours for the whole course.
STEADY = Phase("steady", 0, 1.0, 0.0)


@dataclass(frozen=True, slots=True)
class PhasePlan:
    """The phases of one intervention type, in course order (the first from week 0)."""

    phases: tuple[Phase, ...]

    def __post_init__(self) -> None:
        if not self.phases or self.phases[0].from_week != 0:
            raise ValueError("the first phase must begin in week 0")
        for before, after in zip(self.phases, self.phases[1:], strict=False):
            if after.from_week <= before.from_week:
                raise ValueError(f"phase {after.name!r}: from_week must grow along the course")
        for phase in self.phases:
            if not 0.0 <= phase.hours_share <= 1.0:
                raise ValueError(f"phase {phase.name!r}: hours_share must be in [0, 1]")
            if phase.visits_per_week < 0:
                raise ValueError(f"phase {phase.name!r}: visits_per_week must be ≥ 0")

    def at(self, start: dt.date, day: dt.date) -> Phase:
        """The phase `day` falls in for a course begun on `start` (before the start: the
        first phase, the most intensive, so a check made early is never too lenient)."""
        week = max(0, (day - start).days) // _WEEK
        current = self.phases[0]
        for phase in self.phases[1:]:
            if phase.from_week > week:
                break
            current = phase
        return current


@dataclass(frozen=True)
class PhaseTable:
    """The phase plan of each intervention type (empty: every course keeps its hours)."""

    plans: Mapping[str, PhasePlan] = field(default_factory=dict)

    def phase(self, intervention_type: str, start: dt.date, day: dt.date) -> Phase:
        plan = self.plans.get(intervention_type)
        return STEADY if plan is None else plan.at(start, day)

    def share(self, intervention_type: str, start: dt.date, day: dt.date) -> float:
        """Share of the ordered hours the course plans on `day` (1.0 without a plan)."""
        if not self.plans:
            return 1.0
        return self.phase(intervention_type, start, day).hours_share

    def seat_share(self, intervention_type: str, role: str, start: dt.date, day: dt.date) -> float:
        """`share` for one seat of a case: the primary follows the course's phases; a
        support or contact person (any other role) keeps the ordered hours."""
        return self.share(intervention_type, start, day) if role == "primary" else 1.0

    def steps(
        self, intervention_type: str, start: dt.date, hours: float
    ) -> tuple[tuple[dt.date, float], ...]:
        """The hours a week from each phase's first day on: [(start, hours), ...]."""
        plan = self.plans.get(intervention_type)
        if plan is None:
            return ((start, hours),)
        return tuple(
            (start + dt.timedelta(weeks=p.from_week), hours * p.hours_share) for p in plan.phases
        )

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> PhaseTable:
        """From ``{type: {"phases": [{name, from_week, hours_share, visits_per_week}]}}``
        (the TOML's shape); a `ValueError` names the type and field that is wrong."""
        plans: dict[str, PhasePlan] = {}
        for kind, body in raw.items():
            try:
                phases = tuple(
                    Phase(
                        str(p["name"]),
                        int(p["from_week"]),
                        float(p["hours_share"]),
                        float(p["visits_per_week"]),
                    )
                    for p in body["phases"]
                )
                plans[kind] = PhasePlan(phases)
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"phases.{kind}: {error}") from error
        return cls(plans)
