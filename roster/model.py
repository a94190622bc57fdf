"""The CP-SAT roster model: variables, then one method per rule, then the objective.

Decision variables
    x[e, d, s, c]  employee e works shift s on day d for case c (only where eligible)
    y[e, d, s]     employee e works shift s on day d (any case)
    work[e, d]     employee e works on day d (at most one shift per day)
    under/over[c, d, s]  missing / surplus consultants on a demand

Objective terms are collected per priority level (`LEVEL_*`); `solve.py` optimises the
levels one after the other or as one weighted sum (see `ObjectiveWeights`).
"""

from __future__ import annotations

import bisect
import gc
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from roster.capacities import fairness_coefficient
from roster.clock import WallClock
from roster.eligibility import speaks, why_not
from roster.lns import sub_model
from roster.notice import NoticeCosts, start_minute
from roster.problem import Employee, Roster, RosterProblem
from roster.templates import MINUTES_PER_DAY

LEVEL_COVER = 0
LEVEL_CHANGES = 1
LEVEL_TEAM = 2
LEVEL_QUALITY = 3


@dataclass
class Term:
    """One named objective term: weighted sum of variables at a priority level."""

    name: str
    level: int
    coefficients: list[int] = field(default_factory=list)
    variables: list[cp_model.IntVar] = field(default_factory=list)

    def add(self, coefficient: int, variable: cp_model.IntVar) -> None:
        if coefficient:
            self.coefficients.append(coefficient)
            self.variables.append(variable)

    def expression(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum(self.variables, self.coefficients)


@dataclass(frozen=True)
class RepairWeights:
    """Cost of changing a published roster (level `LEVEL_CHANGES`).

    With `now_minute` (the repair's moment, minutes from the horizon start) each changed
    shift costs `changed_assignment` raised by the notice supplement it pays
    (`roster.notice`: 10, 15 under 4 weeks, 20 under 24 hours by default); without it,
    every change costs `changed_assignment`."""

    changed_assignment: int = 10  #: per published shift dropped or new shift added
    new_team_member: int = 5  #: per consultant who was not on the case's published team
    notice: NoticeCosts = field(default_factory=NoticeCosts)
    now_minute: int | None = None

    def change_weight(self, problem: RosterProblem, day: int, shift: str) -> int:
        """The cost of adding or dropping `shift` on `day`."""
        if self.now_minute is None:
            return self.changed_assignment
        notice = self.notice.notice_class(start_minute(problem, day, shift) - self.now_minute)
        return self.notice.change_weight(self.changed_assignment, notice)


Key = tuple[str, int, str, str]  # employee, day, shift, case
#: A state of the sequence automaton: ("start",), ("w", run, last shift, exempt) or
#: ("o", run, exempt) — see `_next_state`.
AutomatonState = tuple[Any, ...]


def _next_state(
    cur: AutomatonState,
    symbol: int,
    p: RosterProblem,
    shift_index: dict[str, int],
    forbidden: set[tuple[str, str]],
    max_run: int,
    min_run: int,
    min_off: int,
) -> AutomatonState | None:
    """Sequence automaton transition (see `RosterModel.add_sequence_automaton`).

    Runs that start on day 0 are exempt from the minimum lengths (the days before the
    horizon count as worked for runs of work and as off for runs of days off, per the
    benchmark's edge rule); every state is final (runs reaching the end are exempt)."""
    shift = None if symbol == 0 else p.shift_types[symbol - 1].id
    kind = cur[0]
    if kind == "start":
        return ("o", 1, True) if shift is None else ("w", 1, shift, True)
    if kind == "w":
        _, run, last, exempt = cur
        if shift is None:
            return ("o", 1, False) if (exempt or run >= min_run) else None
        if (last, shift) in forbidden or run + 1 > max_run:
            return None
        return ("w", min(run + 1, max(max_run, min_run)), shift, exempt)
    _, run, exempt = cur
    if shift is None:
        return ("o", min(run + 1, min_off), exempt)
    if not exempt and run < min_off:
        return None
    return ("w", 1, shift, False)


class _Worked:
    """An employee's workable shifts (day, shift type, start, end in minutes), in day
    order, and those that overlap an interval: only the days the interval can reach are
    scanned, so the weekly rest's windows and free periods cost linear time in the
    horizon, not quadratic (a scan of every shift each: 364 days, 40 people, most of the
    build)."""

    def __init__(self, shifts: list[tuple[int, str, int, int]]) -> None:
        self.shifts = shifts
        self.days = [d for d, _, _, _ in shifts]
        offsets = [a - d * MINUTES_PER_DAY for d, _, a, _ in shifts]
        self.earliest, self.latest = min(offsets, default=0), max(offsets, default=0)
        self.longest = max((b - a for _, _, a, b in shifts), default=0)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, str, int, int]]:
        """The shifts that overlap [lo, hi), in their order."""
        if not self.shifts:
            return []
        # a shift of day d starts at d * MINUTES_PER_DAY + an offset and lasts at most
        # `longest`: those overlapping [lo, hi) lie on the days between these two
        first = (lo - self.longest - self.latest) // MINUTES_PER_DAY
        last = (hi - self.earliest) // MINUTES_PER_DAY
        i, j = bisect.bisect_left(self.days, first), bisect.bisect_right(self.days, last)
        return [w for w in self.shifts[i:j] if w[2] < hi and lo < w[3]]


class _LongestShifts:
    """The most minutes an employee can be on site over a run of days, one shift a day:
    a prefix sum of each day's longest shift, so that each reference period's sum costs
    one subtraction rather than a pass over its days."""

    def __init__(self, per_day: Mapping[int, list[tuple[cp_model.IntVar, int]]], days: int) -> None:
        self.prefix = [0]
        for d in range(days):
            self.prefix.append(self.prefix[-1] + max((m for _, m in per_day.get(d, ())), default=0))

    def __call__(self, first_day: int, end_day: int) -> int:
        """Over the horizon's days in [first_day, end_day)."""
        last = len(self.prefix) - 1
        lo, hi = min(max(first_day, 0), last), min(max(end_day, 0), last)
        return self.prefix[hi] - self.prefix[lo] if hi > lo else 0


class RosterModel:
    """Builds the CP-SAT model of a `RosterProblem`.

    `reference`: a published roster to stay close to (repair); adds the change terms.
    """

    def __init__(
        self,
        problem: RosterProblem,
        reference: Roster | None = None,
        repair_weights: RepairWeights | None = None,
        sequence_automaton: bool = False,
    ) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.reference = reference
        self.repair_weights = repair_weights or RepairWeights()
        self.terms: dict[str, Term] = {}
        # the build makes millions of small objects and no cyclic garbage: the cyclic
        # collector's passes over them took half of a 364-day build (Instance22: 34 s
        # with it, 17.5 s without, on the loaded 2-core machine)
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build(sequence_automaton)
        finally:
            if collecting:
                gc.enable()

    def _build(self, sequence_automaton: bool) -> None:
        self._false = self.model.new_constant(0)
        self._make_variables()
        self.add_one_shift_per_day()
        self.add_cover()
        self.add_language_cover()
        self.add_gender_cover()
        self.add_rest_between_shifts()
        self.add_weekly_rest()
        self.add_hours_limits()
        self.add_max_shifts_per_type()
        self.add_max_consecutive_working_days()
        self.add_min_consecutive_working_days()
        self.add_min_consecutive_days_off()
        self.add_max_weekends()
        self.add_max_consecutive_nights()
        if sequence_automaton:
            self.add_sequence_automaton()
        self.add_team()
        self.add_requests()
        self.add_rhythm()
        self.add_fairness()
        if self.reference is not None:
            self.add_changes(self.reference)

    # ------------------------------------------------------------ variables
    def _make_variables(self) -> None:
        p, m = self.problem, self.model
        self.x: dict[Key, cp_model.IntVar] = {}
        by_slot: dict[tuple[str, int, str], list[cp_model.IntVar]] = defaultdict(list)
        self.demand_vars: dict[tuple[str, int, str], list[tuple[str, cp_model.IntVar]]] = {}
        for demand in p.cover:
            shift = p.shift[demand.shift]
            slot_vars: list[tuple[str, cp_model.IntVar]] = []
            if demand.required > 0 or demand.over_weight is not None:
                for e in p.employees:
                    if why_not(p, e, demand.day, shift) is None:
                        var = m.new_bool_var(f"x[{e.id},{demand.day},{shift.id},{demand.case}]")
                        self.x[(e.id, demand.day, shift.id, demand.case)] = var
                        by_slot[(e.id, demand.day, shift.id)].append(var)
                        slot_vars.append((e.id, var))
            self.demand_vars[(demand.case, demand.day, demand.shift)] = slot_vars
        self.y: dict[tuple[str, int, str], cp_model.IntVar] = {}
        for key, vars_ in by_slot.items():
            if len(vars_) == 1:
                self.y[key] = vars_[0]
            else:
                var = m.new_bool_var(f"y[{key}]")
                m.add(var == sum(vars_))
                self.y[key] = var
        # each employee's y, so that per-employee rules need not scan every y (the
        # scans were quadratic: 7 s of a 364-day, 50-person build)
        self.y_of: dict[str, list[tuple[tuple[str, int, str], cp_model.IntVar]]] = defaultdict(list)
        for key, var in self.y.items():
            self.y_of[key[0]].append((key, var))
        self.work: dict[tuple[str, int], cp_model.IntVar] = {}
        per_day: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for (eid, d, _s), var in self.y.items():
            per_day[(eid, d)].append(var)
        for day_key, day_vars in per_day.items():
            if len(day_vars) == 1:
                self.work[day_key] = day_vars[0]
            else:
                self.work[day_key] = m.new_bool_var(f"work[{day_key}]")

    def y_lit(self, employee: str, day: int, shift: str) -> cp_model.IntVar:
        return self.y.get((employee, day, shift), self._false)

    def work_lit(self, employee: str, day: int) -> cp_model.IntVar:
        if not 0 <= day < self.problem.days:
            return self._false
        return self.work.get((employee, day), self._false)

    def term(self, name: str, level: int) -> Term:
        if name not in self.terms:
            self.terms[name] = Term(name, level)
        return self.terms[name]

    # ------------------------------------------------------------ hard rules
    def add_one_shift_per_day(self) -> None:
        """An employee works at most one shift per day (across all cases)."""
        per_day: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for (e, d, _s), var in self.y.items():
            per_day[(e, d)].append(var)
        for key, vars_ in per_day.items():
            if len(vars_) > 1:
                self.model.add(self.work[key] == sum(vars_))

    def add_cover(self) -> None:
        """Demand: assigned + under − over = required; under-cover costs, over-cover is
        forbidden unless the demand gives an over weight."""
        p, m = self.problem, self.model
        self.under: dict[tuple[str, int, str], cp_model.IntVar] = {}
        self.over: dict[tuple[str, int, str], cp_model.IntVar] = {}
        under_term = self.term("uncovered", LEVEL_COVER)
        over_term = self.term("overcover", LEVEL_COVER)
        for demand in p.cover:
            key = (demand.case, demand.day, demand.shift)
            vars_ = [v for _, v in self.demand_vars[key]]
            under = m.new_int_var(0, demand.required, f"under[{key}]")
            over_max = 0 if demand.over_weight is None else len(vars_)
            over = m.new_int_var(0, over_max, f"over[{key}]")
            m.add(sum(vars_) + under - over == demand.required)
            self.under[key], self.over[key] = under, over
            under_term.add(p.under_weight(demand), under)
            if demand.over_weight:
                over_term.add(demand.over_weight, over)

    def add_language_cover(self) -> None:
        """At least one consultant on each shift speaks the case language (soft, level 0:
        `missing_language_per_hour` × shift hours when nobody does)."""
        p, m = self.problem, self.model
        term = self.term("missing_language", LEVEL_COVER)
        self.missing_language: dict[tuple[str, int, str], cp_model.IntVar] = {}
        for demand in p.cover:
            case = p.case[demand.case]
            if case.language is None or not demand.needs_language or demand.required == 0:
                continue
            key = (demand.case, demand.day, demand.shift)
            speakers = [v for e, v in self.demand_vars[key] if speaks(p.employee[e], case)]
            missing = m.new_bool_var(f"nolang[{key}]")
            m.add(sum(speakers) + missing >= 1)
            self.missing_language[key] = missing
            hours = p.shift[demand.shift].duration_minutes
            term.add(p.weights.missing_language_per_hour * hours // 60, missing)

    def add_gender_cover(self) -> None:
        """At least one consultant of the demanded gender on the shift (soft, level 0)."""
        p, m = self.problem, self.model
        term = self.term("missing_gender", LEVEL_COVER)
        self.missing_gender: dict[tuple[str, int, str], cp_model.IntVar] = {}
        for demand in p.cover:
            if demand.gender is None or demand.required == 0:
                continue
            key = (demand.case, demand.day, demand.shift)
            fits = [v for e, v in self.demand_vars[key] if p.employee[e].gender == demand.gender]
            missing = m.new_bool_var(f"nogender[{key}]")
            m.add(sum(fits) + missing >= 1)
            self.missing_gender[key] = missing
            hours = p.shift[demand.shift].duration_minutes
            term.add(p.weights.missing_gender_per_hour * hours // 60, missing)

    def forbidden_successions(self) -> list[tuple[str, str, int]]:
        """(first shift, later shift, day offset) pairs that may not both be worked:
        the later one overlaps or starts less than `min_rest_minutes` after the first
        ends (times are absolute, so 23–07 night shifts count into the next day), or it
        is in the first one's explicit `forbidden_next` list (offset 1)."""
        p = self.problem
        rest = p.rules.min_rest_minutes or 0
        pairs: list[tuple[str, str, int]] = []
        for s in p.shift_types:
            _, end = s.span(0)
            for t in p.shift_types:
                offset = 1
                while offset < p.days:
                    start, _ = t.span(offset)
                    if start >= end + rest and not (offset == 1 and t.id in s.forbidden_next):
                        break
                    pairs.append((s.id, t.id, offset))
                    offset += 1
        return pairs

    def add_rest_between_shifts(self) -> None:
        """Rule `min_rest_minutes` (≥ 11 h between shifts) and the explicit rotation list."""
        pairs = self.forbidden_successions()
        for e in self.problem.employees:
            for s, t, offset in pairs:
                for d in range(self.problem.days - offset):
                    a, b = self.y.get((e.id, d, s)), self.y.get((e.id, d + offset, t))
                    if a is not None and b is not None:
                        self.model.add_bool_or([a.Not(), b.Not()])

    def add_weekly_rest(self) -> None:
        """Rule `weekly_rest_minutes`: every window of `weekly_rest_window_days` days
        starting at a midnight contains a free period of at least that length.

        A longest free period starts at the window start or at the end of a shift (or of
        a busy interval), so one Boolean per such candidate start says "no shift
        overlaps [start, start + rest)"; each window needs one of its candidates."""
        p, m = self.problem, self.model
        rest, window = p.rules.weekly_rest_minutes, p.rules.weekly_rest_window_days
        if rest is None:
            return
        spans = [(d, st.id, *st.span(d)) for d in range(p.days) for st in p.shift_types]
        for e in p.employees:
            # windows from the one that ends with day 0 when shifts precede the horizon:
            # those reaching before it hold the rest across the boundary
            first = 1 - window if any(a < 0 for a, _ in e.busy) else 0
            worked = _Worked([(d, sid, a, b) for d, sid, a, b in spans if (e.id, d, sid) in self.y])
            starts = {d * MINUTES_PER_DAY for d in range(first, p.days)}
            starts |= {b for _, _, _, b in worked.shifts} | {b for _, b in e.busy}
            ordered = sorted(starts)
            free: dict[int, cp_model.IntVar] = {}
            for w in range(first, p.days - window + 1):
                lo, hi = w * MINUTES_PER_DAY, (w + window) * MINUTES_PER_DAY
                inside = [(d, sid) for d, sid, _, _ in worked.overlapping(lo, hi)]
                if not inside:
                    continue  # nothing can be worked in this window
                candidates = ordered[
                    bisect.bisect_left(ordered, lo) : bisect.bisect_right(ordered, hi - rest)
                ]
                for a in candidates:
                    if a not in free:
                        free[a] = self._free_period(e, a, rest, worked)
                lits: list[cp_model.LiteralT] = [free[a] for a in candidates]
                if w < 0:
                    # the past may have left no rest in this window: then the roster
                    # works none of its days (the validator checks a window only when
                    # the roster works in it): each shift in it needs a free period
                    for d, sid in inside:
                        m.add_bool_or([*lits, self.y[(e.id, d, sid)].Not()])
                else:
                    m.add_bool_or(lits)

    def _free_period(
        self, e: Employee, start: int, length: int, worked: _Worked
    ) -> cp_model.IntVar:
        """A Boolean that implies no shift of `e` overlaps [start, start + length)."""
        var = self.model.new_bool_var(f"free[{e.id},{start}]")
        if any(bs < start + length and start < be for bs, be in e.busy):
            self.model.add(var == 0)
        for d, sid, _, _ in worked.overlapping(start, start + length):
            self.model.add_implication(var, self.y[(e.id, d, sid)].Not())
        return var

    def add_hours_limits(self) -> None:
        """Rules `max_average_weekly_minutes`, `within_contract` and the employee's own
        min/max minutes, all net of `committed_minutes`. The upper bound is also linked to
        team membership (see `add_team`) to give the LP a strong team-size bound."""
        p, m = self.problem, self.model
        self.minutes: dict[str, cp_model.LinearExpr] = {}
        for e in p.employees:
            vars_ = [(v, p.shift[s].minutes) for (_e, _d, s), v in self.y_of[e.id]]
            expr = cp_model.LinearExpr.weighted_sum([v for v, _ in vars_], [c for _, c in vars_])
            self.minutes[e.id] = expr
            upper = p.max_minutes(e)
            if upper is not None:
                m.add(expr <= upper)
            lower = p.min_minutes(e)
            if lower > 0:
                m.add(expr >= lower)
            on_site = cp_model.LinearExpr.weighted_sum(
                [v for _key, v in self.y_of[e.id]],
                [p.shift[s].duration_minutes for (_e, _d, s), _v in self.y_of[e.id]],
            )
            legal = p.max_on_site_minutes(e)
            if legal is not None:
                m.add(on_site <= legal)
            self._add_reference_periods(e)
            self._add_night_worker_limit(e, on_site)

    def _add_reference_periods(self, e: Employee) -> None:
        """Rule `max_average_weekly_minutes` over each reference period that reaches
        into the history (`RosterProblem.reference_windows`): time on site on its days."""
        p, m = self.problem, self.model
        windows = p.reference_windows(e)
        if not windows:
            return
        per_day: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
        for (_e, d, s), var in self.y_of[e.id]:
            per_day[d].append((var, p.shift[s].duration_minutes))
        longest = _LongestShifts(per_day, p.days)
        for w in windows:
            days = range(w.first_day, w.end_day)
            terms = [t for d in days for t in per_day[d]]
            # one shift a day at most: a period whose longest shifts fit needs no constraint
            most = longest(w.first_day, w.end_day)
            if most > w.limit:
                m.add(
                    cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])
                    <= w.limit
                )

    def _add_night_worker_limit(self, e: Employee, on_site: cp_model.LinearExpr) -> None:
        """Rule `night_worker_average_minutes_per_24h`: whoever works a night shift (with
        enough night time) is a night worker, and their time on site is capped — over
        the horizon, and over each reference period reaching into the history
        (`RosterProblem.night_worker_windows`), where a night shift before the horizon
        makes one a night worker too."""
        p, m = self.problem, self.model
        nights = [(d, v) for (_e, d, s), v in self.y_of[e.id] if p.is_night_work(p.shift[s])]
        limit = p.max_night_worker_minutes(e)
        if limit is not None and (nights or p.night_worker_before(e)):
            capped = m.add(on_site <= limit)
            if not p.night_worker_before(e):
                capped.only_enforce_if(self._night_worker(e, [v for _d, v in nights], "horizon"))
        per_day: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
        for (_e, d, s), var in self.y_of[e.id]:
            per_day[d].append((var, p.shift[s].duration_minutes))
        longest = _LongestShifts(per_day, p.days)
        for w in p.night_worker_windows(e):
            days = range(w.first_day, w.end_day)
            inside = [v for d, v in nights if w.first_day <= d < w.end_day]
            most = longest(w.first_day, w.end_day)
            if most <= w.limit or not (inside or w.night_before):
                continue  # the longest shift a day fits, or no night worker in the period
            terms = [t for d in days for t in per_day[d]]
            capped = m.add(
                cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])
                <= w.limit
            )
            if not w.night_before:
                capped.only_enforce_if(self._night_worker(e, inside, f"to day {w.end_day - 1}"))

    def _night_worker(
        self, e: Employee, nights: list[cp_model.IntVar], when: str
    ) -> cp_model.IntVar:
        """A Boolean that is true when one of `nights` is worked."""
        var = self.model.new_bool_var(f"night_worker[{e.id},{when}]")
        for v in nights:
            self.model.add_implication(v, var)
        return var

    def add_max_shifts_per_type(self) -> None:
        """Employee limit `max_shifts_per_type[s]`."""
        for e in self.problem.employees:
            for s, limit in e.max_shifts_per_type.items():
                vars_ = [
                    self.y[k] for d in range(self.problem.days) if (k := (e.id, d, s)) in self.y
                ]
                if len(vars_) > limit:
                    self.model.add(sum(vars_) <= limit)

    def add_max_consecutive_working_days(self) -> None:
        """Rule `max_consecutive_working_days` / employee `max_consecutive_shifts`: every
        window of k + 1 days has a day off (days after the horizon count as off; the
        days before it as `Employee.worked_days_before` says)."""
        p = self.problem
        for e in p.employees:
            k = p.max_consecutive_days(e)
            if k is None:
                continue
            self._continue_run(
                e.worked_days_before, k, [self.work_lit(e.id, t) for t in range(p.days)]
            )
            if k >= p.days:
                continue
            for d in range(p.days - k):
                vars_ = [
                    self.work[(e.id, t)] for t in range(d, d + k + 1) if (e.id, t) in self.work
                ]
                if len(vars_) > k:
                    self.model.add(sum(vars_) <= k)

    def add_min_consecutive_working_days(self) -> None:
        """Employee `min_consecutive_shifts`: a run of working days that starts inside the
        horizon lasts at least k days, unless it reaches the horizon end (runs touching
        an edge are exempt): ¬work[d−1] ∧ work[d] → work[d+j] for j < k."""
        p = self.problem
        for e in p.employees:
            k = e.min_consecutive_shifts
            if not k or k <= 1:
                continue
            for d in range(1, p.days):
                starts = self.work_lit(e.id, d)
                if starts is self._false:
                    continue
                for j in range(1, k):
                    if d + j >= p.days:
                        break
                    self.model.add_bool_or(
                        [self.work_lit(e.id, d - 1), starts.Not(), self.work_lit(e.id, d + j)]
                    )

    def add_min_consecutive_days_off(self) -> None:
        """Employee `min_consecutive_days_off`: a run of days off that starts inside the
        horizon lasts at least k days unless it reaches the horizon end."""
        p = self.problem
        for e in p.employees:
            k = e.min_consecutive_days_off
            if not k or k <= 1:
                continue
            for d in range(1, p.days):
                before = self.work_lit(e.id, d - 1)
                if before is self._false:
                    continue
                for j in range(1, k):
                    if d + j >= p.days:
                        break
                    later = self.work_lit(e.id, d + j)
                    if later is self._false:
                        continue
                    self.model.add_bool_or([before.Not(), self.work_lit(e.id, d), later.Not()])

    def add_sequence_automaton(self) -> None:
        """Redundant, stronger encoding of the day-to-day sequence rules per employee:
        rotation (`forbidden_successions` at offset 1), max/min consecutive working days
        and min consecutive days off, as one automaton over the daily shift symbol. The
        clauses above already state these rules; the automaton propagates them jointly
        (e.g. "a run must be long enough *and* may not be followed by this shift"),
        which makes feasible schedules far easier to find."""
        p, m = self.problem, self.model
        shift_index = {s.id: i + 1 for i, s in enumerate(p.shift_types)}
        forbidden = {(a, b) for a, b, off in self.forbidden_successions() if off == 1}
        for e in p.employees:
            max_run = p.max_consecutive_days(e) or p.days
            min_run = e.min_consecutive_shifts or 1
            min_off = e.min_consecutive_days_off or 1
            if max_run >= p.days and min_run <= 1 and min_off <= 1 and not forbidden:
                continue
            symbols = []
            for d in range(p.days):
                lits = [(shift_index[sid], v) for (ei, dd, sid), v in self._y_by_day(e.id, d)]
                sym = m.new_int_var(0, len(p.shift_types), f"sym[{e.id},{d}]")
                m.add(sym == sum(i * v for i, v in lits))
                symbols.append(sym)
            states: dict[AutomatonState, int] = {}

            def state(key: AutomatonState, states: dict[AutomatonState, int] = states) -> int:
                return states.setdefault(key, len(states))

            start = state(("start",))
            transitions = set()
            # work states: ("w", run, shift, exempt); off states: ("o", run, exempt)
            frontier = [("start",)]
            seen = {("start",)}
            while frontier:
                cur = frontier.pop()
                for symbol in range(len(p.shift_types) + 1):
                    nxt = _next_state(
                        cur, symbol, p, shift_index, forbidden, max_run, min_run, min_off
                    )
                    if nxt is None:
                        continue
                    transitions.add((state(cur), symbol, state(nxt)))
                    if nxt not in seen:
                        seen.add(nxt)
                        frontier.append(nxt)
            m.add_automaton(symbols, start, sorted(set(states.values())), sorted(transitions))

    def _y_by_day(
        self, employee: str, day: int
    ) -> list[tuple[tuple[str, int, str], cp_model.IntVar]]:
        return [
            ((employee, day, s.id), self.y[(employee, day, s.id)])
            for s in self.problem.shift_types
            if (employee, day, s.id) in self.y
        ]

    def add_max_weekends(self) -> None:
        """Employee `max_weekends`: a weekend counts if Saturday or Sunday is worked."""
        p, m = self.problem, self.model
        self.weekend: dict[tuple[str, int], cp_model.IntVar] = {}
        for e in p.employees:
            if e.max_weekends is None:
                continue
            flags = []
            for i, days in enumerate(p.weekends):
                lits = [self.work[(e.id, d)] for d in days if (e.id, d) in self.work]
                if not lits:
                    continue
                flag = m.new_bool_var(f"weekend[{e.id},{i}]")
                m.add_max_equality(flag, lits)
                self.weekend[(e.id, i)] = flag
                flags.append(flag)
            if len(flags) > e.max_weekends:
                m.add(sum(flags) <= e.max_weekends)

    def add_max_consecutive_nights(self) -> None:
        """Rule `max_consecutive_nights`: every window of k + 1 days has a non-night day."""
        p = self.problem
        k = p.rules.max_consecutive_nights
        if k is None:
            return
        nights = [s.id for s in p.shift_types if s.night]
        for e in p.employees:
            self._continue_run(
                e.nights_before,
                k,
                [sum(self.y_lit(e.id, t, s) for s in nights) for t in range(p.days)],
            )
        if k >= p.days:
            return
        for e in p.employees:
            for d in range(p.days - k):
                vars_ = [
                    self.y[key]
                    for t in range(d, d + k + 1)
                    for s in nights
                    if (key := (e.id, t, s)) in self.y
                ]
                if len(vars_) > k:
                    self.model.add(sum(vars_) <= k)

    def _continue_run(self, before: int, k: int, days: list[Any]) -> None:
        """A run of `before` days that ends the day before the horizon goes on into it:
        the first k − before + 1 days of the horizon hold at most k − before such days
        (the window of k + 1 days that starts `before` days early)."""
        if before <= 0:
            return
        room = max(k - before, 0)
        first = days[: room + 1]
        if first:
            self.model.add(sum(first) <= room)

    # ------------------------------------------------------------ objective terms
    def add_team(self) -> None:
        """Level 1: `team_member` per distinct consultant on a case. Linking
        minutes ≤ capacity × member gives the LP the team-size bound; identical
        consultants join in a fixed order (symmetry breaking)."""
        p, m = self.problem, self.model
        self.in_team: dict[tuple[str, str], cp_model.IntVar] = {}
        weight = p.weights.team_member
        reference_team = self._reference_team()
        new_member_weight = self.repair_weights.new_team_member if self.reference is not None else 0
        if not weight and not new_member_weight:
            return
        per_member: dict[tuple[str, str], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
        for (e, _d, s, c), var in self.x.items():
            per_member[(e, c)].append((var, p.shift[s].minutes))
        team = self.term("team", LEVEL_TEAM)
        new_members = self.term("new_team_members", LEVEL_CHANGES)
        for (e, c), vars_ in per_member.items():
            member = m.new_bool_var(f"team[{e},{c}]")
            for var, _ in vars_:
                m.add_implication(var, member)
            upper = p.max_minutes(p.employee[e])
            total = sum(mins for _, mins in vars_)
            cap = total if upper is None else min(upper, total)
            m.add(
                cp_model.LinearExpr.weighted_sum([v for v, _ in vars_], [mi for _, mi in vars_])
                <= cap * member
            )
            m.add(sum(v for v, _ in vars_) >= member)
            self.in_team[(e, c)] = member
            team.add(weight, member)
            if (e, c) not in reference_team:
                new_members.add(new_member_weight, member)
        if self.reference is None:
            self._break_symmetry()

    def _reference_team(self) -> set[tuple[str, str]]:
        return {(a.employee, a.case) for a in self.reference or ()}

    def _break_symmetry(self) -> None:
        """Consultants with identical data and no personal requests are interchangeable:
        order their team membership of the first case. Only one case: one renaming of
        them must order every case it orders, and two cases' teams need not both be
        in front (two cases, four such consultants, two a day each: ordered per case
        the least team was 7, not 4)."""
        p = self.problem
        requested = {r.employee for r in p.requests}
        groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
        for e in p.employees:
            if e.id in requested:
                continue
            signature = (
                e.contract_minutes_per_week,
                e.min_minutes,
                e.max_minutes,
                e.committed_minutes,
                e.busy,
                tuple(sorted(e.absences)),
                tuple(sorted(e.max_shifts_per_type.items())),
                e.max_consecutive_shifts,
                e.min_consecutive_shifts,
                e.min_consecutive_days_off,
                e.max_weekends,
                e.works_nights,
                tuple(sorted(e.languages)),
                e.gender,
                tuple(sorted(e.preferred_shift_types)),
            )
            groups[signature].append(e.id)
        for members in groups.values():
            for c in p.cases[:1]:
                lits = [self.in_team[(e, c.id)] for e in members if (e, c.id) in self.in_team]
                for a, b in itertools.pairwise(lits):
                    self.model.add(a >= b)

    def add_requests(self) -> None:
        """Level 3: unmet shift-on / shift-off / day-off requests cost their weight, and
        each shift of a type the employee does not prefer costs `preference`."""
        p, m = self.problem, self.model
        term = self.term("requests", LEVEL_QUALITY)
        scale = p.weights.preference
        #: (employee, day, literal true when the request is unmet), for the LNS
        self.unmet_requests: list[tuple[str, int, cp_model.IntVar]] = []
        for r in p.requests:
            if r.shift is None:
                lit = self.work_lit(r.employee, r.day)
            else:
                lit = self.y_lit(r.employee, r.day, r.shift)
            if r.on:
                # unmet when not working it
                if lit is self._false:
                    term.add(r.weight * scale, m.new_constant(1))
                    continue
                unmet = lit.Not()
            else:
                if lit is self._false:
                    continue
                unmet = lit
            term.add(r.weight * scale, unmet)  # type: ignore[arg-type]
            self.unmet_requests.append((r.employee, r.day, unmet))  # type: ignore[arg-type]
        for e in p.employees:
            if not e.preferred_shift_types:
                continue
            for (_e, _d, s), var in self.y_of[e.id]:
                if s not in e.preferred_shift_types:
                    term.add(scale, var)

    def add_rhythm(self) -> None:
        """Level 3 predictable rhythm: `block` per run of one shift type on consecutive
        days (few, long blocks), `isolated_shift` per working day between two days off,
        `face_per_time_of_day` per distinct (consultant, shift type) on a case."""
        p, m = self.problem, self.model
        w = p.weights
        if w.block:
            term = self.term("blocks", LEVEL_QUALITY)
            for (e, d, s), var in self.y.items():
                prev = self.y.get((e, d - 1, s))
                if prev is None:
                    term.add(w.block, var)
                else:
                    start = m.new_bool_var(f"block[{e},{d},{s}]")
                    m.add(start >= var - prev)
                    term.add(w.block, start)
        if w.isolated_shift:
            term = self.term("isolated", LEVEL_QUALITY)
            for (e, d), var in self.work.items():
                iso = m.new_bool_var(f"iso[{e},{d}]")
                m.add(iso >= var - self.work_lit(e, d - 1) - self.work_lit(e, d + 1))
                term.add(w.isolated_shift, iso)
        if w.face_per_time_of_day:
            term = self.term("faces", LEVEL_QUALITY)
            uses: dict[tuple[str, str, str], cp_model.IntVar] = {}
            for (e, _d, s, c), var in self.x.items():
                if (e, s, c) not in uses:
                    uses[(e, s, c)] = m.new_bool_var(f"face[{e},{s},{c}]")
                    term.add(w.face_per_time_of_day, uses[(e, s, c)])
                m.add_implication(var, uses[(e, s, c)])

    def add_fairness(self) -> None:
        """Level 3 fair spread: minimise the highest contract-relative number of nights
        (and of weekend/holiday days) over all consultants, in units of
        `roster.capacities.fairness_coefficient` per shift."""
        p, m = self.problem, self.model
        night_ids = {s.id for s in p.shift_types if s.night}
        spreads: tuple[tuple[str, int, int, Callable[[int, str], bool]], ...] = (
            (
                "night_spread",
                p.weights.night_spread,
                p.night_spread_floor,
                lambda d, s: s in night_ids,
            ),
            (
                "weekend_spread",
                p.weights.weekend_spread,
                p.weekend_spread_floor,
                lambda d, s: d in p.weekend_like_days,
            ),
        )
        for name, weight, floor, counts in spreads:
            if not weight:
                continue
            # a peak below the floor costs the floor (`RosterProblem.night_spread_floor`)
            peak = m.new_int_var(floor, max(floor, 10**6), name)
            for e in p.employees:
                coef = fairness_coefficient(e)
                if coef is None:
                    continue
                vars_ = [v for (_e, d, s), v in self.y_of[e.id] if counts(d, s)]
                if vars_:
                    m.add(peak >= coef * sum(vars_))
            self.term(name, LEVEL_QUALITY).add(weight, peak)

    def add_changes(self, reference: Roster) -> None:
        """Level 1 (repair): `changed_assignment` per published shift not kept and per
        shift assigned that was not published."""
        weights, p = self.repair_weights, self.problem
        term = self.term("changes", LEVEL_CHANGES)
        published = {(a.employee, a.day, a.shift, a.case) for a in reference}
        dropped_forced = 0
        for key in published:
            if key in self.x:
                weight = weights.change_weight(p, key[1], key[2])
                term.add(weight, self.x[key].Not())  # type: ignore[arg-type]
            else:
                dropped_forced += 1
        for key, var in self.x.items():
            if key not in published:
                term.add(weights.change_weight(p, key[1], key[2]), var)
        self.forced_changes = dropped_forced

    # ------------------------------------------------------------ helpers
    def level_expressions(self) -> dict[int, cp_model.LinearExpr]:
        levels: dict[int, list[Term]] = defaultdict(list)
        for t in self.terms.values():
            if t.variables:
                levels[t.level].append(t)
        return {
            lvl: sum((t.expression() for t in ts), cp_model.LinearExpr.constant(0))
            for lvl, ts in sorted(levels.items())
        }

    def total_expression(self) -> cp_model.LinearExpr:
        return sum(self.level_expressions().values(), cp_model.LinearExpr.constant(0))

    def trouble_spots(self) -> list[tuple[str | None, int, cp_model.IntVar]]:
        """(employee or None, day, variable positive when that spot is penalised): cover
        penalties (under-cover, missing language/gender; no employee) and unmet requests.
        The LNS centres neighbourhoods on them."""
        out: list[tuple[str | None, int, cp_model.IntVar]] = []
        for group in (self.under, self.missing_language, self.missing_gender):
            for (_c, d, _s), var in group.items():
                out.append((None, d, var))
        out.extend(self.unmet_requests)
        return out

    def freeze(self, roster: Roster, before_day: int) -> None:
        """Fix every assignment on days before `before_day` to `roster` (already worked)."""
        self.fix_days(roster, range(before_day))

    def fix(self, values: Mapping[Key, bool]) -> None:
        """Fix the assignment variables named in `values` (those the model lacks, the
        employee can never work, are left out)."""
        for key, on in values.items():
            var = self.x.get(key)
            if var is not None:
                self.model.add(var == int(on))

    def fix_days(self, roster: Roster, days: Iterable[int]) -> None:
        """Fix every assignment on `days` to `roster`."""
        fixed = set(days)
        for key, on in self.assignment(roster).items():
            if key[1] in fixed:
                self.model.add(self.x[key] == int(on))

    def assignment(self, roster: Roster) -> dict[Key, bool]:
        """`roster` as a value of every assignment variable (those it lacks are off)."""
        chosen = {(a.employee, a.day, a.shift, a.case) for a in roster}
        return {key: key in chosen for key in self.x}

    def add_hint(
        self, roster: Roster, complete_seconds: float = 2.0, clock: WallClock | None = None
    ) -> bool:
        """Hint `roster` to the solver. If the roster fits the model, every auxiliary
        variable is hinted too (found by a quick solve with the shifts fixed, timed and
        charged on `clock`), so that CP-SAT starts from it at once. Returns whether the
        roster fits."""
        clock = clock or WallClock()
        values = self.assignment(roster)
        fixed = sub_model(self.model, self.x, values, free=set())
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        clock.limit(solver, complete_seconds)
        solver.parameters.stop_after_first_solution = True
        status = solver.solve(fixed)
        clock.spend(solver.deterministic_time)
        self.model.clear_hints()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for index in range(len(self.model.proto.variables)):
                var = self.model.get_int_var_from_proto_index(index)
                self.model.add_hint(var, solver.value(fixed.get_int_var_from_proto_index(index)))
            return True
        for key, var in self.x.items():
            self.model.add_hint(var, values[key])
        return False
