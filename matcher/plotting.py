"""Figures of matching quality (matplotlib, pure: no database, no file I/O, no pyplot).

The functions draw `MatchingView`s — one per plan to look at (today, batch, greedy) —
and take an optional Axes; they return the Axes (or a Figure for the multi-panel
comparison). `view_from_plan` turns a problem and a plan (seat → consultant) into a view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from data.capacity import language_label
from data.languages import Closeness
from matcher.batch_model import BatchResult
from matcher.problem import MatchProblem, Role, RunningAssignment
from matcher.rules import language_cover

CLOSENESS_COLOURS = {
    Closeness.EXACT: "#55A868",
    Closeness.DIALECT: "#CCB974",
    Closeness.FALLBACK: "#DD8452",
    Closeness.NONE: "#999999",  # a running placement no language rule would allow today
}
#: The per-consultant utilisation axis stops here; higher loads are counted in a note.
UTILISATION_AXIS_LIMIT = 200.0
CLOSENESS_LABELS = {
    Closeness.EXACT: "exact dialect",
    Closeness.DIALECT: "other dialect",
    Closeness.FALLBACK: "fallback language",
    Closeness.NONE: "no common language",
}
_WORST_FIRST = (Closeness.NONE, Closeness.FALLBACK, Closeness.DIALECT, Closeness.EXACT)


@dataclass(frozen=True, slots=True)
class Placement:
    """One case role filled by one consultant, as the quality figures see it."""

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
        return {level: counts[level] / total for level in CLOSENESS_COLOURS}

    @property
    def exact_dialect_rate(self) -> float:
        return self.closeness_shares()[Closeness.EXACT]

    def travel(self) -> np.ndarray:
        return np.array([p.travel_minutes for p in self.placements], dtype=float)


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    return Figure(figsize=size, layout="constrained").add_subplot()


def _name(tag: str) -> str:
    return language_label(tag)


def plot_language_closeness(views: Sequence[MatchingView], ax: Axes | None = None) -> Axes:
    """Stacked bars per plan: share of placements with the exact dialect, the same
    language in another dialect, and a CLDR fallback language."""
    ax = _axes(ax, (6.0, 4.0))
    x = np.arange(len(views))
    bottom = np.zeros(len(views))
    for level, colour in CLOSENESS_COLOURS.items():
        if level is Closeness.NONE and not any(v.closeness_shares()[level] for v in views):
            continue
        shares = np.array([view.closeness_shares()[level] * 100 for view in views])
        ax.bar(x, shares, bottom=bottom, color=colour, label=CLOSENESS_LABELS[level], width=0.6)
        for xi, (share, base) in enumerate(zip(shares, bottom, strict=True)):
            if share >= 4:
                ax.text(xi, base + share / 2, f"{share:.0f}%", ha="center", va="center")
        bottom += shares
    ax.set_xticks(x, [view.label for view in views])
    ax.set_ylabel("% of placements")
    ax.set_ylim(0, 100)
    ax.set_title("Language match: exact dialect, other dialect, fallback")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_fallback_languages(view: MatchingView, ax: Axes | None = None, top: int = 10) -> Axes:
    """Horizontal bars: how often each (family language → consultant language) fallback
    or other-dialect pair is used in the plan."""
    pairs = Counter(
        (p.family_language, p.consultant_language)
        for p in view.placements
        if p.closeness is not Closeness.EXACT
    ).most_common(top)
    ax = _axes(ax, (7.0, max(2.5, 0.4 * len(pairs) + 1.5)))
    y = np.arange(len(pairs))[::-1]
    ax.barh(y, [count for _, count in pairs], color="#DD8452")
    labels = [
        f"{_name(fam)} → {_name(con) if con else CLOSENESS_LABELS[Closeness.NONE]}"
        for (fam, con), _ in pairs
    ]
    ax.set_yticks(y, labels)
    ax.set_xlabel("placements")
    ax.set_title(f"Other dialects and fallback languages used ({view.label})")
    if not pairs:
        ax.text(
            0.5, 0.5, "every placement in the exact dialect", ha="center", transform=ax.transAxes
        )
    return ax


def plot_travel_distribution(
    views: Sequence[MatchingView], ax: Axes | None = None, bins: int = 20
) -> Axes:
    """Histogram (step lines, one per plan) of one-way travel minutes per placement, with
    the mean and p95 in the legend."""
    ax = _axes(ax, (7.0, 4.0))
    everything = np.concatenate([view.travel() for view in views] or [np.zeros(0)])
    top = float(everything.max()) if everything.size else 1.0
    edges = np.linspace(0.0, max(top, 1.0), bins + 1)
    for view in views:
        minutes = view.travel()
        if not minutes.size:
            continue
        label = f"{view.label}: mean {minutes.mean():.0f}, p95 {np.percentile(minutes, 95):.0f} min"
        ax.hist(minutes, bins=list(edges), histtype="step", linewidth=2, label=label)
    ax.set_xlabel("one-way travel (minutes)")
    ax.set_ylabel("placements")
    ax.set_title("Travel per placement")
    ax.legend(fontsize="small")
    return ax


def plot_consultant_utilisation(view: MatchingView, ax: Axes | None = None) -> Axes:
    """Every consultant's assigned ÷ contracted hours, sorted: a flat line is a fair plan."""
    ax = _axes(ax, (8.0, 3.5))
    ratios = sorted((u.ratio * 100 for u in view.utilisation), reverse=True)
    ax.bar(np.arange(len(ratios)), ratios, width=1.0, color="#4C72B0")
    ax.axhline(100, color="black", linestyle="--", linewidth=1, label="contract")
    over = [r for r in ratios if r > UTILISATION_AXIS_LIMIT]
    if over:  # a few extreme loads (e.g. a døgnindsats) must not flatten everyone else
        ax.set_ylim(0, UTILISATION_AXIS_LIMIT)
        ax.text(
            0.99,
            0.95,
            f"{len(over)} above {UTILISATION_AXIS_LIMIT:.0f}% (up to {max(over):.0f}%)",
            ha="right",
            va="top",
            transform=ax.transAxes,
            fontsize="small",
        )
    ax.set_xlabel("consultants (sorted)")
    ax.set_ylabel("% of contracted hours")
    ax.set_title(f"Utilisation per consultant ({view.label})")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def plot_office_utilisation(views: Sequence[MatchingView], ax: Axes | None = None) -> Axes:
    """Grouped bars per office: its consultants' assigned ÷ contracted hours, per plan."""
    offices = sorted({u.office for view in views for u in view.utilisation})
    ax = _axes(ax, (1.3 * len(offices) + 3.0, 4.0))
    width = 0.8 / max(1, len(views))
    x = np.arange(len(offices))
    for index, view in enumerate(views):
        values = []
        for office in offices:
            members = [u for u in view.utilisation if u.office == office]
            contracted = sum(u.contracted_hours for u in members)
            assigned = sum(u.assigned_hours for u in members)
            values.append(100 * assigned / contracted if contracted else 0.0)
        ax.bar(x + (index - (len(views) - 1) / 2) * width, values, width, label=view.label)
    ax.set_xticks(x, offices, rotation=20, ha="right")
    ax.set_ylabel("% of contracted hours")
    ax.set_title("Utilisation per office")
    ax.legend(fontsize="small")
    return ax


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


def plot_plan_comparison(views: Sequence[MatchingView], figure: Figure | None = None) -> Figure:
    """One small panel per headline KPI, one bar per plan (e.g. batch vs greedy)."""
    rows = kpi_rows(views)
    columns = 4
    lines = -(-len(rows) // columns)
    figure = figure or Figure(figsize=(3.0 * columns, 2.6 * lines), layout="constrained")
    axes = list(figure.subplots(lines, columns).ravel())
    for unused in axes[len(rows) :]:
        unused.remove()
    colours = [f"C{i}" for i in range(len(views))]
    for ax, (name, values) in zip(axes, rows, strict=False):
        bars = ax.bar([v.label for v in views], values, color=colours)
        ax.bar_label(bars, fmt="%.1f", fontsize="small")
        ax.set_title(name, fontsize="medium")
        ax.margins(y=0.2)
    figure.suptitle("Plans compared")
    return figure


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
        load[consultant_id] += hours
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
