"""Plans compared: a plan maps seats (case id, role) to consultants.

Today's plan (`current_seats`), a batch or greedy result (`view_from_batch`) or any other
(`view_from_plan`) becomes a `MatchingView`: its placements with their language closeness
and travel, every consultant's load, the seats it leaves empty, and its headline KPIs
(`kpi_rows`). The CLI, the report and the figures (`matcher.plotting`) all read plans so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from data.languages import Closeness
from matcher.batch_model import BatchResult
from matcher.problem import MatchProblem, Role, RunningAssignment
from matcher.rules import language_cover

#: Language quality levels, best first.
CLOSENESS_ORDER = (
    Closeness.EXACT,
    Closeness.VARIETY,
    Closeness.DIALECT,
    Closeness.RELATED,
    Closeness.NONE,
)
_WORST_FIRST = tuple(reversed(CLOSENESS_ORDER))


@dataclass(frozen=True, slots=True)
class Placement:
    """One case role filled by one consultant: language quality and travel."""

    case_id: int
    consultant_id: int
    family_language: str
    consultant_language: str
    closeness: Closeness
    travel_minutes: float  # one way, home (or office) to the family


@dataclass(frozen=True, slots=True)
class Utilisation:
    consultant_id: int
    office: str
    assigned_hours: float
    contracted_hours: float

    @property
    def ratio(self) -> float:
        return self.assigned_hours / self.contracted_hours if self.contracted_hours else 0.0


@dataclass(frozen=True)
class MatchingView:
    """A plan to look at: its placements, every consultant's load, what stayed unplaced."""

    label: str
    placements: tuple[Placement, ...]
    utilisation: tuple[Utilisation, ...] = ()
    unplaced: int = 0

    def closeness_shares(self) -> dict[Closeness, float]:
        counts = Counter(p.closeness for p in self.placements)
        total = max(1, len(self.placements))
        return {level: counts[level] / total for level in CLOSENESS_ORDER}

    @property
    def exact_dialect_rate(self) -> float:
        return self.closeness_shares()[Closeness.EXACT]

    def travel(self) -> np.ndarray:
        return np.array([p.travel_minutes for p in self.placements], dtype=float)


def kpi_rows(views: Sequence[MatchingView]) -> list[tuple[str, list[float]]]:
    """The headline KPIs per plan, in the order of `views` (for tables and the figure)."""

    def spread(view: MatchingView) -> float:
        ratios = [u.ratio for u in view.utilisation]
        return float(np.std(ratios) * 100) if ratios else 0.0

    def p95(view: MatchingView) -> float:
        minutes = view.travel()
        return float(np.percentile(minutes, 95)) if minutes.size else 0.0

    def mean(view: MatchingView) -> float:
        minutes = view.travel()
        return float(minutes.mean()) if minutes.size else 0.0

    return [
        ("exact dialect %", [v.exact_dialect_rate * 100 for v in views]),
        (
            "fallback languages",
            [float(sum(p.closeness is Closeness.FALLBACK for p in v.placements)) for v in views],
        ),
        ("mean travel min", [mean(v) for v in views]),
        ("p95 travel min", [p95(v) for v in views]),
        ("utilisation spread (sd %)", [spread(v) for v in views]),
        ("unplaced", [float(v.unplaced) for v in views]),
        ("over contract (consultants)", [float(over_contract(v)) for v in views]),
    ]


def over_contract(view: MatchingView) -> int:
    """Consultants with more hours than their contract (a plan that respects capacity
    has none; today's plan may)."""
    return sum(1 for u in view.utilisation if u.assigned_hours > u.contracted_hours + 1e-6)


def view_from_plan(
    problem: MatchProblem,
    seats: Mapping[tuple[int, Role], int | None],
    label: str,
    unplaced: int = 0,
) -> MatchingView:
    """A plan as the figures see it.

    `seats` maps (case id, role) to the consultant filling it (None: the plan leaves the
    seat empty). A seat's current holder is the last running assignment on it, as in the
    batch model; it carries the assignment's own hours if the plan keeps it, the case's
    hours for the role if someone new takes it. Running assignments the plan does not
    model (not in `seats`, or a further person on the same seat, e.g. the team of a
    døgnindsats) stay as they are, in utilisation and placements alike. A placement's
    language quality is its worst covered tag.
    """
    holder: dict[tuple[int, Role], RunningAssignment] = {}
    kept: list[RunningAssignment] = []
    for assignment in problem.assignments:
        role = Role(assignment.role)
        if role is Role.COORDINATOR or assignment.consultant_id is None:
            continue
        key = (assignment.case_id, role)
        if key in holder:
            kept.append(holder[key])
        holder[key] = assignment
    kept += [a for key, a in holder.items() if key not in seats]
    filled: list[tuple[int, Role, int, float]] = [
        (a.case_id, Role(a.role), a.consultant_id, a.hours)
        for a in kept
        if a.consultant_id is not None
    ]
    for (case_id, role), consultant_id in sorted(seats.items()):
        if consultant_id is None:
            continue
        current = holder.get((case_id, Role(role)))
        same = current is not None and current.consultant_id == consultant_id
        hours = (
            current.hours
            if current is not None and same
            else (problem.case_by_id[case_id].hours_for(Role(role)))
        )
        filled.append((case_id, Role(role), consultant_id, hours))
    load: dict[int, float] = {c.id: 0.0 for c in problem.consultants}
    placements = []
    for case_id, role, consultant_id, hours in filled:
        # Hours in the phase each course is in on the planning date.
        share = problem.seat_share(problem.case_by_id[case_id], role, problem.as_of)
        load[consultant_id] += hours * share
        placements.append(_placement(problem, case_id, role, consultant_id))
    utilisation = tuple(
        Utilisation(
            consultant_id=c.id,
            office=_office_name(problem, c.office_id),
            assigned_hours=load[c.id],
            contracted_hours=c.capacity_hours,
        )
        for c in problem.consultants
    )
    return MatchingView(label, tuple(placements), utilisation, unplaced)


def _placement(problem: MatchProblem, case_id: int, role: Role, consultant_id: int) -> Placement:
    case = problem.case_by_id[case_id]
    consultant = problem.consultant_by_id[consultant_id]
    covers = language_cover(problem, case, role, consultant) or ()
    worst = min(covers, key=lambda c: _WORST_FIRST.index(c.closeness), default=None)
    return Placement(
        case_id=case_id,
        consultant_id=consultant_id,
        family_language=worst.family_tag if worst else _first_tag(case.languages),
        consultant_language=worst.consultant_tag if worst else "",
        closeness=worst.closeness if worst else Closeness.NONE,
        travel_minutes=problem.travel_minutes(consultant, case),
    )


def current_seats(problem: MatchProblem) -> dict[tuple[int, Role], int]:
    """Today's plan: each seat's current holder (the last running assignment on it)."""
    return {
        (a.case_id, Role(a.role)): a.consultant_id
        for a in problem.assignments
        if Role(a.role) is not Role.COORDINATOR and a.consultant_id is not None
    }


def _first_tag(languages: Sequence[object]) -> str:
    return str(getattr(languages[0], "tag", "")) if languages else ""


def _office_name(problem: MatchProblem, office_id: int) -> str:
    office = problem.office_by_id.get(office_id)
    return (office.name or f"office {office_id}") if office else f"office {office_id}"


def view_from_batch(
    problem: MatchProblem, result: BatchResult, label: str = "batch"
) -> MatchingView:
    """A `matcher.batch.BatchResult` (or the greedy baseline's) as a view: its consultant
    placements, locked ones included; coordinator seats are not matching quality."""
    seats = {
        (p.case_id, Role(p.role)): p.consultant_id
        for p in result.placements
        if Role(p.role) is not Role.COORDINATOR
    }
    unplaced = sum(1 for u in result.unplaced if Role(u.role) is not Role.COORDINATOR)
    return view_from_plan(problem, seats, label, unplaced)


#: How a family is served, for `family_closeness`: its primary's language closeness,
#: "no cover" (placed without a usable language), or "unplaced".
FAMILY_CLASSES = (
    "exact",
    "variety",
    "dialect group",
    "related (signed off)",
    "no cover",
    "unplaced",
)
_CLASS_OF = {
    Closeness.EXACT: "exact",
    Closeness.VARIETY: "variety",
    Closeness.DIALECT: "dialect group",
    Closeness.RELATED: "related (signed off)",
    Closeness.NONE: "no cover",
}


def family_closeness(
    problem: MatchProblem, seats: Mapping[tuple[int, Role], int | None]
) -> dict[str, int]:
    """Families (cases of the snapshot) by how their primary serves them in a plan: the
    worst closeness of the primary's cover (a related language only counts with the
    case's sign-off, else it is "no cover"), or unplaced when the plan fills no primary."""
    counts = dict.fromkeys(FAMILY_CLASSES, 0)
    for case in problem.cases:
        consultant_id = seats.get((case.id, Role.PRIMARY))
        if consultant_id is None:
            counts["unplaced"] += 1
            continue
        placement = _placement(problem, case.id, Role.PRIMARY, consultant_id)
        counts[_CLASS_OF[placement.closeness]] += 1
    return counts
