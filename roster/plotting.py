"""Figures of a døgnindsats roster (matplotlib, pure: no database, no file I/O, no pyplot).

The functions draw a `RosterView` — the shifts of one case with who works them — and
take an optional Axes; they return the Axes. `view_from_roster` turns a problem and a
solved roster into a view. Consultants are shown by id, never by name.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from roster.problem import Roster, RosterProblem


@dataclass(frozen=True, slots=True)
class ShiftCell:
    """One shift of the roster and the consultants working it (empty = uncovered)."""

    start: dt.datetime
    end: dt.datetime
    code: str
    consultants: tuple[str, ...]
    #: The shift type's own flags when known (a sleep-in night counts only partly).
    night: bool | None = None
    counted_hours: float | None = None

    @property
    def hours(self) -> float:
        if self.counted_hours is not None:
            return self.counted_hours
        return (self.end - self.start).total_seconds() / 3600

    @property
    def is_night(self) -> bool:
        """The shift type's flag, else: covers any of 23:00–05:00 (night work)."""
        if self.night is not None:
            return self.night
        probe = self.start
        while probe < self.end:
            if probe.hour >= 23 or probe.hour < 5:
                return True
            probe += dt.timedelta(hours=1)
        return False

    @property
    def is_weekend(self) -> bool:
        return self.start.weekday() >= 5


@dataclass(frozen=True)
class RosterView:
    label: str
    shifts: tuple[ShiftCell, ...]
    #: Contracted hours per week by consultant id (people without one get no marker).
    contract_hours: dict[str, float]

    def days(self) -> list[dt.date]:
        return sorted({shift.start.date() for shift in self.shifts})

    def codes(self) -> list[str]:
        """Shift codes in time-of-day order (07–15 before 15–23 before 23–07)."""
        first_start: dict[str, dt.time] = {}
        for shift in sorted(self.shifts, key=lambda s: s.start.time()):
            first_start.setdefault(shift.code, shift.start.time())
        return sorted(first_start, key=lambda code: first_start[code])

    def team(self) -> list[str]:
        return sorted({c for shift in self.shifts for c in shift.consultants}, key=natural_key)

    def horizon_weeks(self) -> float:
        if not self.shifts:
            return 0.0
        start = min(s.start for s in self.shifts)
        end = max(s.end for s in self.shifts)
        return (end - start).total_seconds() / (7 * 24 * 3600)

    def handovers_per_day(self) -> dict[dt.date, int]:
        """Consultants leaving the home at each change of staffed shift (the roster
        engine's definition), counted on the day the next shift starts."""
        counts: dict[dt.date, int] = {day: 0 for day in self.days()}
        by_start: dict[dt.datetime, set[str]] = defaultdict(set)
        for shift in self.shifts:
            by_start[shift.start].update(shift.consultants)
        staffed = [start for start in sorted(by_start) if by_start[start]]
        for before, after in itertools.pairwise(staffed):
            counts[after.date()] += len(by_start[before] - by_start[after])
        return counts


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    return Figure(figsize=size, layout="constrained").add_subplot()


def natural_key(consultant_id: str) -> tuple[int, str]:
    """Sort "2" before "10" while still accepting ids that are not numbers."""
    return (int(consultant_id), "") if consultant_id.isdigit() else (1 << 62, consultant_id)


def consultant_colours(team: Sequence[str]) -> dict[str, tuple[float, float, float, float]]:
    """A stable colour per consultant (tab20, in team order)."""
    palette = colormaps["tab20"]
    return {cid: palette(index % 20) for index, cid in enumerate(sorted(team, key=natural_key))}


def plot_roster_grid(view: RosterView, ax: Axes | None = None) -> Axes:
    """Days across, shifts down; each cell coloured by its consultant (split when two
    work the shift, hatched red when uncovered) and labelled with the consultant id."""
    days, codes, team = view.days(), view.codes(), view.team()
    ax = _axes(ax, (max(8.0, 0.32 * len(days) + 2.5), 0.7 * len(codes) + 2.0))
    if not days:  # a roster still being solved, or one that found nothing
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            f"roster {view.label}: no shifts",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return ax
    colours = consultant_colours(team)
    day_index = {day: i for i, day in enumerate(days)}
    code_index = {code: i for i, code in enumerate(codes)}
    for shift in view.shifts:
        x, y = day_index[shift.start.date()], code_index[shift.code]
        if not shift.consultants:
            ax.add_patch(Rectangle((x, y), 1, 1, facecolor="white", edgecolor="red", hatch="//"))
            continue
        part = 1 / len(shift.consultants)
        for k, cid in enumerate(shift.consultants):
            ax.add_patch(
                Rectangle((x, y + k * part), 1, part, facecolor=colours[cid], edgecolor="white")
            )
            if len(days) <= 31:
                ax.text(
                    x + 0.5, y + (k + 0.5) * part, str(cid), ha="center", va="center", fontsize=6
                )
    ax.set_xlim(0, len(days))
    ax.set_ylim(len(codes), 0)
    step = 1 if len(days) <= 14 else 7
    ax.set_xticks(
        np.arange(0, len(days), step) + 0.5,
        [days[i].strftime("%a %d %b") for i in range(0, len(days), step)],
        rotation=45,
        ha="right",
        fontsize="small",
    )
    ax.set_yticks(np.arange(len(codes)) + 0.5, codes)
    ax.set_title(f"Roster {view.label}: {len(team)} consultants in the home")
    handles = [Patch(color=colours[cid], label=f"consultant {cid}") for cid in team]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


def person_totals(view: RosterView) -> dict[str, dict[str, float]]:
    """Per consultant: hours, night shifts and weekend shifts worked, and the contract's
    hours over the horizon."""
    totals: dict[str, dict[str, float]] = {
        cid: {"hours": 0.0, "nights": 0.0, "weekends": 0.0, "contract": 0.0} for cid in view.team()
    }
    for shift in view.shifts:
        for cid in shift.consultants:
            totals[cid]["hours"] += shift.hours
            totals[cid]["nights"] += shift.is_night
            totals[cid]["weekends"] += shift.is_weekend
    weeks = view.horizon_weeks()
    for cid, row in totals.items():
        row["contract"] = view.contract_hours.get(cid, 0.0) * weeks
    return totals


def plot_hours_vs_contract(view: RosterView, ax: Axes | None = None) -> Axes:
    """Bars: hours each consultant works in the roster; black ticks: contract hours over
    the same horizon (the roster may use only part of a contract)."""
    totals = person_totals(view)
    team = list(totals)
    ax = _axes(ax, (max(5.0, 0.6 * len(team) + 2.0), 3.5))
    colours = consultant_colours(team)
    x = np.arange(len(team))
    ax.bar(x, [totals[c]["hours"] for c in team], color=[colours[c] for c in team])
    ax.scatter(
        x,
        [totals[c]["contract"] for c in team],
        marker="_",
        s=600,
        color="black",
        label="contract over horizon",
        zorder=3,
    )
    ax.set_xticks(x, team)
    ax.set_xlabel("consultant")
    ax.set_ylabel("hours")
    ax.set_title(f"Hours per person vs contract ({view.label})")
    ax.margins(y=0.3)  # head room so the legend never hides a contract tick
    ax.legend(fontsize="small", loc="upper right")
    return ax


def plot_nights_weekends(view: RosterView, ax: Axes | None = None) -> Axes:
    """Grouped bars per consultant: night shifts and weekend shifts (fair spread)."""
    totals = person_totals(view)
    team = list(totals)
    ax = _axes(ax, (max(5.0, 0.6 * len(team) + 2.0), 3.5))
    x = np.arange(len(team))
    ax.bar(x - 0.2, [totals[c]["nights"] for c in team], 0.4, label="night shifts", color="#3b4cc0")
    ax.bar(
        x + 0.2, [totals[c]["weekends"] for c in team], 0.4, label="weekend shifts", color="#DD8452"
    )
    ax.set_xticks(x, team)
    ax.set_xlabel("consultant")
    ax.set_ylabel("shifts")
    ax.set_title(f"Nights and weekends per person ({view.label})")
    ax.margins(y=0.3)
    ax.legend(fontsize="small", loc="upper right", ncols=2)
    return ax


def plot_handovers(view: RosterView, ax: Axes | None = None) -> Axes:
    """Bars: consultants arriving in the home per day (each arrival is a handover)."""
    counts = view.handovers_per_day()
    days = sorted(counts)
    ax = _axes(ax, (max(6.0, 0.25 * len(days) + 2.0), 3.0))
    ax.bar(np.arange(len(days)), [counts[d] for d in days], color="#8172B2")
    mean = float(np.mean([counts[d] for d in days])) if days else 0.0
    ax.axhline(mean, color="black", linestyle="--", linewidth=1, label=f"mean {mean:.1f}")
    step = 1 if len(days) <= 14 else 7
    ax.set_xticks(
        np.arange(0, len(days), step),
        [days[i].strftime("%d %b") for i in range(0, len(days), step)],
        rotation=45,
        ha="right",
        fontsize="small",
    )
    ax.set_ylabel("handovers")
    ax.set_title(f"Handovers per day ({view.label})")
    ax.margins(y=0.3)
    ax.legend(fontsize="small", loc="upper right")
    return ax


def view_from_roster(
    problem: RosterProblem, roster: Roster, case: str | None = None, label: str = ""
) -> RosterView:
    """The shifts of one case (the first if `case` is None) with who works them.

    Every covered-or-demanded (day, shift) of the case appears, so uncovered shifts show.
    """
    case_id = case if case is not None else problem.cases[0].id
    midnight = dt.datetime.combine(problem.start_date, dt.time())
    workers: dict[tuple[int, str], list[str]] = defaultdict(list)
    for assignment in sorted(roster):
        if assignment.case == case_id:
            workers[(assignment.day, assignment.shift)].append(assignment.employee)
    slots = {(d.day, d.shift) for d in problem.cover if d.case == case_id and d.required > 0}
    cells = []
    for day, code in sorted(slots | set(workers)):
        shift_type = problem.shift[code]
        start, end = shift_type.span(day)
        cells.append(
            ShiftCell(
                start=midnight + dt.timedelta(minutes=start),
                end=midnight + dt.timedelta(minutes=end),
                code=code,
                consultants=tuple(workers.get((day, code), ())),
                night=shift_type.night,
                counted_hours=shift_type.minutes / 60,
            )
        )
    contracts = {e.id: e.contract_minutes_per_week / 60 for e in problem.employees}
    return RosterView(label or case_id, tuple(cells), contracts)
