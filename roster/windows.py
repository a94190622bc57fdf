"""Rosters for problems too big to build whole in their time: one time window at a time.

A year for 150 people with 32 shift types is some two million assignment variables; the
whole CP-SAT model takes minutes and gigabytes to build, more than a minute's limit
allows. Every hard rule of a roster is either local in time (one shift a day, rest,
runs of work and days off, weekly rest, nights in a row) or a total over the horizon
(minutes, shifts per type, weekends). So a window of weeks is a roster problem of its
own (`sub_problem`): its days, with a margin of fixed days either side that carries the
local rules across its edges, and each total reduced by what the rest of the roster
already uses.

- `first_roster`: rolling horizon. Window after window, each with the previous days
  fixed as its margin and planned a margin ahead (those days are planned again by the
  next window); the totals of the days not yet planned are unknown, so each
  window may use its pro-rata share of every limit (plus one shift), and must reach
  most of its pro-rata share of a minimum (`STRICT_MINIMUM`) — or, when it finds
  nothing so, only what the days after it could no longer make up, with more time
  each try until the time limit.
- `improve`: time-window LNS. A window with fixed margins on both sides, re-solved by
  `roster.solve.solve` (its own CP-SAT and LNS) from the current roster; kept when the
  whole roster's objective (`roster.validate.total`) drops. Each sweep searches its
  windows with the most under-cover first (`short_cost_per_day`); `sweep_seconds` is
  a sweep's time, after which `roster.decomposed` runs a sweep of employee groups
  (`roster.groups`) and a round of best responses.

Windows start on Mondays (or the horizon's first day), so that no weekend is split
between a window and the rest. The same engine solves every window; nothing here is
specific to a benchmark. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Protocol

from roster.clock import Deadline
from roster.problem import BLOCKING_HISTORY_MINUTES, Assignment, Employee, Roster, RosterProblem
from roster.templates import MINUTES_PER_DAY
from solving.status import SolveStatus

#: Days a window plans at most (rounded up to the next Monday).
WINDOW_DAYS = 28
#: Assignment slots (cover demand × employee) a window's days may hold: four weeks of
#: 50 people and 10 shift types (Instance22); a week of 150 people and 32 types. A
#: window of 35 days of 150 people and 10 types found no roster in 60 s on the loaded
#: 2-core machine.
WINDOW_SLOTS = 14_000


def window_days_for(problem: RosterProblem) -> int:
    """Whole weeks, 1 to 4, so that a window holds about `WINDOW_SLOTS` slots."""
    per_day = len(problem.cover) * len(problem.employees) / max(1, problem.days)
    weeks = int(WINDOW_SLOTS / max(1.0, per_day * 7))
    return 7 * max(1, min(WINDOW_DAYS // 7, weeks))


#: Share of its pro-rata part of each minimum a rolling-horizon window must reach.
STRICT_MINIMUM = 0.9
#: Least time worth giving one window's search.
MIN_WINDOW_SECONDS = 1.0
#: Longest search of one window in `improve`: more, shorter searches cover the horizon
#: more often than a few long ones.
IMPROVE_WINDOW_SECONDS = 8.0


class WindowResult(Protocol):
    """What a window's solve returns (`roster.result.RosterResult`, from
    `roster.solve.solve`, which imports us)."""

    @property
    def status(self) -> SolveStatus: ...

    @property
    def roster(self) -> Roster: ...

    @property
    def found(self) -> bool: ...


#: `roster.solve.solve` bound to the caller's seed and search parameters.
WindowSolver = Callable[..., WindowResult]


def cut_days(problem: RosterProblem) -> list[int]:
    """Days a window may start or end on: the horizon's ends and every Monday."""
    p = problem
    mondays = {d for d in range(p.days) if p.date(d).weekday() == 0}
    return sorted({0, p.days} | mondays)


def margin_days(problem: RosterProblem) -> int:
    """Fixed days needed either side of a window so that its local rules see across
    the edges: the longest run rule, the weekly-rest window, nights in a row, and the
    rest between shifts (at least a week)."""
    p = problem
    lengths = [7, 2]
    if p.rules.weekly_rest_minutes is not None:
        lengths.append(p.rules.weekly_rest_window_days)
    if p.rules.max_consecutive_nights is not None:
        lengths.append(p.rules.max_consecutive_nights + 1)
    longest = max((s.start_minute + s.duration_minutes for s in p.shift_types), default=0)
    rest = p.rules.min_rest_minutes or 0
    lengths.append((longest + rest) // MINUTES_PER_DAY + 2)
    for e in p.employees:
        lengths.append((p.max_consecutive_days(e) or 0) + 1)
        lengths.append(e.min_consecutive_shifts or 0)
        lengths.append(e.min_consecutive_days_off or 0)
    return max(lengths)


def cut_at_or_before(cuts: list[int], day: int) -> int:
    """The last cut on or before `day` (0 for days before the horizon)."""
    return max(c for c in cuts if c <= max(0, day))


def cut_at_or_after(cuts: list[int], day: int) -> int:
    """The first cut on or after `day`."""
    return min(c for c in cuts if c >= day)


def sub_problem(
    problem: RosterProblem,
    roster: Roster,
    first: int,
    end: int,
    *,
    planned_until: int | None = None,
    strict_minimum: bool = True,
) -> RosterProblem:
    """Days [first, end) of `problem` as a problem of their own, given `roster` outside.

    `planned_until`: the roster covers only the days before it (rolling horizon), so
    the totals of the days from `end` on are not known: the window gets its pro-rata
    share of every limit (`strict_minimum`: and of every minimum; otherwise only what
    the later days cannot make up). Without it the roster is complete and the window
    gets exactly what the rest leaves."""
    p = problem
    rolling = planned_until is not None
    share = end / p.days
    lo_share = (planned_until or 0) / p.days
    weekend_of = {d: i for i, days in enumerate(p.weekends) for d in days}
    outside_minutes: Counter[str] = Counter()
    outside_type: Counter[tuple[str, str]] = Counter()
    outside_weekends: dict[str, set[int]] = defaultdict(set)
    inside_minutes: Counter[str] = Counter()
    inside_type: Counter[tuple[str, str]] = Counter()
    inside_weekends: dict[str, set[int]] = defaultdict(set)
    for a in roster:
        inside = first <= a.day < end
        minutes = p.shift[a.shift].minutes
        if inside:
            inside_minutes[a.employee] += minutes
            inside_type[(a.employee, a.shift)] += 1
        else:
            outside_minutes[a.employee] += minutes
            outside_type[(a.employee, a.shift)] += 1
        if a.day in weekend_of:
            (inside_weekends if inside else outside_weekends)[a.employee].add(weekend_of[a.day])
    longest = max(s.minutes for s in p.shift_types)
    worked_before: dict[str, list[Assignment]] = defaultdict(list)
    for a in roster:
        if a.day < first:
            worked_before[a.employee].append(a)
    employees = []
    for e in p.employees:
        used = outside_minutes[e.id]
        upper = p.max_minutes(e)
        if upper is not None:
            upper -= used
            if rolling:
                prorata = math.ceil((upper + used) * share) + longest - used
                upper = min(upper, max(prorata, inside_minutes[e.id]))
            upper = max(0, upper)
        lower = p.min_minutes(e) - used
        if rolling:
            if strict_minimum:
                # most of its pro-rata share (`STRICT_MINIMUM`): the cover usually pushes work
                # well past a minimum, and absences do not fall evenly; the last
                # window (share 1) gets all that is left
                target = lo_share + STRICT_MINIMUM * (share - lo_share) if share < 1 else 1.0
                lower = math.floor(p.min_minutes(e) * target) - used
            else:
                # only what the later days cannot make up, at most a shift on each day
                # a run of work allows (a run, then the shortest rest)
                run = p.max_consecutive_days(e) or p.days
                rest = max(1, e.min_consecutive_days_off or 1)
                lower -= math.floor((p.days - end) * longest * run / (run + rest))
        lower = min(max(0, lower), upper if upper is not None else lower)
        per_type = {}
        for shift, limit in e.max_shifts_per_type.items():
            left = limit - outside_type[(e.id, shift)]
            if rolling:
                prorata = math.ceil(limit * share) + 1 - outside_type[(e.id, shift)]
                left = min(left, max(prorata, inside_type[(e.id, shift)]))
            per_type[shift] = max(0, left)
        weekends = e.max_weekends
        if weekends is not None:
            limit = weekends
            weekends -= len(outside_weekends[e.id])
            if rolling:
                prorata = math.ceil(limit * share) + 1 - len(outside_weekends[e.id])
                weekends = min(weekends, max(prorata, len(inside_weekends[e.id])))
            weekends = max(0, weekends)
        offset = first * MINUTES_PER_DAY
        span = (end - first) * MINUTES_PER_DAY
        # the hours elsewhere pro rata over the window: the night-worker average and the
        # reference periods count them; max_minutes and min_minutes are net of them already
        committed = e.committed_minutes * (end - first) // p.days
        past = _past(p, e, worked_before.get(e.id, []), first)
        employees.append(
            dataclasses.replace(
                e,
                max_minutes=None if upper is None else upper + committed,
                min_minutes=lower + committed if lower else None,
                committed_minutes=committed,
                busy=tuple(
                    (a - offset, b - offset) for a, b in e.busy if a < offset + span and offset < b
                ),
                # the shifts before the window — the original history and the roster's
                # days before it — so that rest, runs, the weekly rest, the reference
                # periods and the night-worker average hold across its first edge (the
                # recent ones join `busy` again)
                history=past.history,
                worked_days_before=past.worked_days,
                nights_before=past.nights,
                absences=frozenset(d - first for d in e.absences if first <= d < end),
                max_shifts_per_type=per_type,
                max_weekends=weekends,
            )
        )
    return dataclasses.replace(
        p,
        start_date=p.date(first),
        days=end - first,
        employees=tuple(employees),
        cover=tuple(
            dataclasses.replace(c, day=c.day - first) for c in p.cover if first <= c.day < end
        ),
        requests=tuple(
            dataclasses.replace(r, day=r.day - first) for r in p.requests if first <= r.day < end
        ),
        # the horizon-wide hours rules are folded into each employee's max_minutes above;
        # the 48-hour average over the reference periods stays, over the history
        rules=dataclasses.replace(
            p.rules, within_contract=False, weekly_average_over_horizon=False
        ),
    )


@dataclasses.dataclass(frozen=True)
class _Past:
    history: tuple[tuple[int, int], ...]
    worked_days: int
    nights: int


def _past(p: RosterProblem, e: Employee, worked: list[Assignment], first: int) -> _Past:
    """`e`'s shifts before day `first` as a window's history (minutes from its start):
    the original history and `worked`, the roster's assignments before it; and the
    runs of days worked, and of nights, up to the day before it."""
    if first == 0:
        return _Past(e.history, e.worked_days_before, e.nights_before)
    offset = first * MINUTES_PER_DAY
    # as far back as any rule looks: the reference period, or the rest rules' two weeks
    reach = max(p.rules.reference_period_days or 0, BLOCKING_HISTORY_MINUTES // MINUTES_PER_DAY)
    spans = [*e.history, *(p.shift[w.shift].span(w.day) for w in worked)]
    shifts = {(a - offset, b - offset) for a, b in spans if a - offset >= -reach * MINUTES_PER_DAY}
    days = {w.day for w in worked}
    nights = {w.day for w in worked if p.shift[w.shift].night}

    def run(days: set[int], before: int) -> int:
        length = 0
        while first - 1 - length in days:
            length += 1
        return length + before if length == first else length  # back to day 0: and before

    return _Past(
        tuple(sorted(shifts)),
        run(days, e.worked_days_before),
        run(nights, e.nights_before),
    )


def to_window_days(roster: Roster, first: int, end: int) -> Roster:
    """The assignments of days [first, end), their days counted from `first`."""
    return tuple(dataclasses.replace(a, day=a.day - first) for a in roster if first <= a.day < end)


def from_window_days(roster: Roster, first: int) -> list[Assignment]:
    """A window's assignments back on the horizon's days."""
    return [dataclasses.replace(a, day=a.day + first) for a in roster]


def first_roster(
    problem: RosterProblem,
    deadline: Deadline,
    solve_window: WindowSolver,
    share: float = 0.5,
    window_days: int | None = None,
    build_estimate: Callable[[RosterProblem], float] = lambda sub: 0.0,
) -> tuple[Roster | None, str]:
    """A legal roster by rolling horizon, planned by `solve_window(sub, time_limit,
    freeze=, freeze_before_day=)` (a `roster.solve.solve` with the caller's search
    parameters), aiming to use `share` of the time left before `deadline`; or None and
    the reason. A window that finds nothing in its part is tried once more with the
    pro-rata minimums relaxed and more of the time (up to its share of all that is
    left): a late roster within the limit is better than none."""
    p = problem
    window_days = window_days or window_days_for(p)
    cuts = cut_days(p)
    margin = margin_days(p)
    planned: list[Assignment] = []
    ahead_plan: list[Assignment] = []
    aim = Deadline(deadline.share(share))
    lo = 0
    while lo < p.days:
        hi = cut_at_or_after(cuts, min(p.days, lo + window_days))
        first = cut_at_or_before(cuts, lo - margin)
        windows_left = math.ceil((p.days - lo) / window_days)
        if deadline.remaining() < MIN_WINDOW_SECONDS / 2:
            return None, f"rolling horizon: the time limit ran out before day {lo}"
        budget = max(MIN_WINDOW_SECONDS, aim.remaining() / windows_left)
        # planned a margin beyond its last day, so that it does not end on a run the
        # next window cannot legally continue (the horizon's end exempts runs); the
        # next window plans those days again
        ahead = cut_at_or_after(cuts, min(p.days, hi + margin))
        fixed = to_window_days(tuple(planned), first, lo)
        result = None
        strict = True
        while True:
            sub = sub_problem(
                p, tuple(planned), first, ahead, planned_until=lo, strict_minimum=strict
            )
            # a window is worth starting only if its model can be built and searched
            # before the deadline: its build counts against the limit too
            need = build_estimate(sub) + MIN_WINDOW_SECONDS / 2
            if deadline.remaining() < need:
                break
            result = solve_window(
                sub,
                time_limit=min(max(budget, need), deadline.remaining()),
                freeze=fixed,
                # the previous window's plan of these days (its look-ahead) as a start
                hint=fixed + to_window_days(tuple(ahead_plan), first, ahead),
                freeze_before_day=lo - first,
            )
            if result.found or (result.status is SolveStatus.INFEASIBLE and not strict):
                break
            if not strict:
                budget *= 2  # out of time, not of rosters: try again with more of it
            strict = False
        if result is None or not result.found:
            status = result.status.value if result is not None else "unknown"
            return None, (
                f"rolling horizon: days {lo}-{hi - 1} found no roster ({status}) "
                f"before the time limit"
            )
        window = from_window_days(result.roster, first)
        planned.extend(a for a in window if lo <= a.day < hi)
        ahead_plan = [a for a in window if a.day >= hi]
        lo = hi
    return tuple(sorted(planned)), ""


def short_cost_per_day(problem: RosterProblem, roster: Roster) -> list[float]:
    """Each day's under-cover cost in `roster` (persons short × their weight)."""
    staffed: Counter[tuple[str, int, str]] = Counter((a.case, a.day, a.shift) for a in roster)
    cost = [0.0] * problem.days
    for c in problem.cover:
        missing = c.required - staffed[(c.case, c.day, c.shift)]
        if missing > 0:
            cost[c.day] += missing * problem.under_weight(c)
    return cost


def sweep_seconds(problem: RosterProblem, window_days: int | None = None) -> float:
    """Time for one sweep of `improve` over the horizon's windows, at
    `IMPROVE_WINDOW_SECONDS` each."""
    window_days = window_days or window_days_for(problem)
    starts = sum(1 for c in cut_days(problem) if c < problem.days)
    return math.ceil(starts / max(1, window_days // 7)) * IMPROVE_WINDOW_SECONDS


def improve(
    problem: RosterProblem,
    roster: Roster,
    value: int,
    deadline: Deadline,
    solve_window: WindowSolver,
    objective: Callable[[RosterProblem, Roster], float],
    seed: int = 0,
    window_days: int | None = None,
    build_estimate: Callable[[RosterProblem], float] = lambda sub: 0.0,
) -> tuple[Roster, int, int]:
    """Time-window LNS from `roster` (objective `value`) until `deadline`: sweeps of
    windows from a random offset, each re-solved by `solve_window(sub, time_limit,
    hint=, free_days=)` with the days around it fixed; a window's roster is kept when
    `objective` of the whole roster drops. Returns the best roster, its value and the
    number of windows searched."""
    p = problem
    window_days = window_days or window_days_for(p)
    rng = random.Random(seed)
    cuts = cut_days(p)
    margin = margin_days(p)
    starts = [c for c in cuts if c < p.days]
    best, best_value, searched = roster, value, 0
    if len(starts) < 2:
        return best, best_value, searched
    while deadline.remaining() > MIN_WINDOW_SECONDS:
        offset = rng.randrange(len(starts))
        order = starts[offset:] + starts[:offset]
        step = max(1, window_days // 7)
        # the sweep's windows, those with the most under-cover first: a sweep the time
        # limit cuts short (Instance22 at 60 s has time for one window or two) then
        # spends it where the most is to gain
        short = short_cost_per_day(p, best)
        sweep = sorted(
            order[::step],
            key=lambda lo: -sum(short[lo : cut_at_or_after(cuts, min(p.days, lo + window_days))]),
        )
        for lo in sweep:
            left = deadline.remaining()
            if left <= MIN_WINDOW_SECONDS:
                break
            hi = cut_at_or_after(cuts, min(p.days, lo + window_days))
            first, end = (
                cut_at_or_before(cuts, lo - margin),
                cut_at_or_after(cuts, min(p.days, hi + margin)),
            )
            sub = sub_problem(p, best, first, end)
            need = build_estimate(sub) + MIN_WINDOW_SECONDS
            if left < need:
                return best, best_value, searched  # no time to build another window
            result = solve_window(
                sub,
                time_limit=min(left, max(need, IMPROVE_WINDOW_SECONDS)),
                hint=to_window_days(best, first, end),
                free_days=range(lo - first, hi - first),
            )
            searched += 1
            if result.status is SolveStatus.CANCELLED:
                return best, best_value, searched
            if not result.found:
                continue
            outside = [a for a in best if not first <= a.day < end]
            candidate = tuple(sorted(outside + from_window_days(result.roster, first)))
            candidate_value = objective(p, candidate)
            if candidate_value < best_value:
                best, best_value = candidate, int(candidate_value)
    return best, best_value, searched
