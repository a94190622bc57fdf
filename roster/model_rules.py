"""The roster model's hard rules of the day and the week, one documented function per
rule, each taking the `RosterModel` under construction (as `RosterParts`): one shift a
day, the cover (with its language and gender minimums, soft at level 0), rest between
shifts, the weekly rest, the hours limits and the shifts per type. The rules over runs
of days are in `roster.model_runs`; `RosterModel._build` calls them in order.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping

from ortools.sat.python import cp_model

from roster.eligibility import speaks
from roster.model_terms import LEVEL_COVER, RosterParts
from roster.problem import Employee
from roster.templates import MINUTES_PER_DAY


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


def add_one_shift_per_day(rm: RosterParts) -> None:
    """An employee works at most one shift per day (across all cases)."""
    per_day: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (e, d, _s), var in rm.y.items():
        per_day[(e, d)].append(var)
    for key, vars_ in per_day.items():
        if len(vars_) > 1:
            rm.model.add(rm.work[key] == sum(vars_))


def add_cover(rm: RosterParts) -> None:
    """Demand: assigned + under − over = required; under-cover costs, over-cover is
    forbidden unless the demand gives an over weight."""
    p, m = rm.problem, rm.model
    rm.under = {}
    rm.over = {}
    under_term = rm.term("uncovered", LEVEL_COVER)
    over_term = rm.term("overcover", LEVEL_COVER)
    for demand in p.cover:
        key = (demand.case, demand.day, demand.shift)
        vars_ = [v for _, v in rm.demand_vars[key]]
        under = m.new_int_var(0, demand.required, f"under[{key}]")
        over_max = 0 if demand.over_weight is None else len(vars_)
        over = m.new_int_var(0, over_max, f"over[{key}]")
        m.add(sum(vars_) + under - over == demand.required)
        rm.under[key], rm.over[key] = under, over
        under_term.add(p.under_weight(demand), under)
        if demand.over_weight:
            over_term.add(demand.over_weight, over)


def add_language_cover(rm: RosterParts) -> None:
    """At least one consultant on each shift speaks the case language (soft, level 0:
    `missing_language_per_hour` × shift hours when nobody does)."""
    p, m = rm.problem, rm.model
    term = rm.term("missing_language", LEVEL_COVER)
    rm.missing_language = {}
    for demand in p.cover:
        case = p.case[demand.case]
        if case.language is None or not demand.needs_language or demand.required == 0:
            continue
        key = (demand.case, demand.day, demand.shift)
        speakers = [v for e, v in rm.demand_vars[key] if speaks(p.employee[e], case)]
        missing = m.new_bool_var(f"nolang[{key}]")
        m.add(sum(speakers) + missing >= 1)
        rm.missing_language[key] = missing
        hours = p.shift[demand.shift].duration_minutes
        term.add(p.weights.missing_language_per_hour * hours // 60, missing)


def add_gender_cover(rm: RosterParts) -> None:
    """At least one consultant of the demanded gender on the shift (soft, level 0)."""
    p, m = rm.problem, rm.model
    term = rm.term("missing_gender", LEVEL_COVER)
    rm.missing_gender = {}
    for demand in p.cover:
        if demand.gender is None or demand.required == 0:
            continue
        key = (demand.case, demand.day, demand.shift)
        fits = [v for e, v in rm.demand_vars[key] if p.employee[e].gender == demand.gender]
        missing = m.new_bool_var(f"nogender[{key}]")
        m.add(sum(fits) + missing >= 1)
        rm.missing_gender[key] = missing
        hours = p.shift[demand.shift].duration_minutes
        term.add(p.weights.missing_gender_per_hour * hours // 60, missing)


def forbidden_successions(rm: RosterParts) -> list[tuple[str, str, int]]:
    """(first shift, later shift, day offset) pairs that may not both be worked:
    the later one overlaps or starts less than `min_rest_minutes` after the first
    ends (times are absolute, so 23–07 night shifts count into the next day), or it
    is in the first one's explicit `forbidden_next` list (offset 1)."""
    p = rm.problem
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


def add_rest_between_shifts(rm: RosterParts) -> None:
    """Rule `min_rest_minutes` (≥ 11 h between shifts) and the explicit rotation list."""
    pairs = forbidden_successions(rm)
    for e in rm.problem.employees:
        for s, t, offset in pairs:
            for d in range(rm.problem.days - offset):
                a, b = rm.y.get((e.id, d, s)), rm.y.get((e.id, d + offset, t))
                if a is not None and b is not None:
                    rm.model.add_bool_or([a.Not(), b.Not()])


def add_weekly_rest(rm: RosterParts) -> None:
    """Rule `weekly_rest_minutes`: every window of `weekly_rest_window_days` days
    starting at a midnight contains a free period of at least that length.

    A longest free period starts at the window start or at the end of a shift (or of
    a busy interval), so one Boolean per such candidate start says "no shift
    overlaps [start, start + rest)"; each window needs one of its candidates."""
    p, m = rm.problem, rm.model
    rest, window = p.rules.weekly_rest_minutes, p.rules.weekly_rest_window_days
    if rest is None:
        return
    spans = [(d, st.id, *st.span(d)) for d in range(p.days) for st in p.shift_types]
    for e in p.employees:
        # windows from the one that ends with day 0 when shifts precede the horizon:
        # those reaching before it hold the rest across the boundary
        first = 1 - window if any(a < 0 for a, _ in e.busy) else 0
        worked = _Worked([(d, sid, a, b) for d, sid, a, b in spans if (e.id, d, sid) in rm.y])
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
                    free[a] = _free_period(rm, e, a, rest, worked)
            lits: list[cp_model.LiteralT] = [free[a] for a in candidates]
            if w < 0:
                # the past may have left no rest in this window: then the roster
                # works none of its days (the validator checks a window only when
                # the roster works in it): each shift in it needs a free period
                for d, sid in inside:
                    m.add_bool_or([*lits, rm.y[(e.id, d, sid)].Not()])
            else:
                m.add_bool_or(lits)


def _free_period(
    rm: RosterParts, e: Employee, start: int, length: int, worked: _Worked
) -> cp_model.IntVar:
    """A Boolean that implies no shift of `e` overlaps [start, start + length)."""
    var = rm.model.new_bool_var(f"free[{e.id},{start}]")
    if any(bs < start + length and start < be for bs, be in e.busy):
        rm.model.add(var == 0)
    for d, sid, _, _ in worked.overlapping(start, start + length):
        rm.model.add_implication(var, rm.y[(e.id, d, sid)].Not())
    return var


def add_hours_limits(rm: RosterParts) -> None:
    """Rules `max_average_weekly_minutes`, `within_contract` and the employee's own
    min/max minutes, all net of `committed_minutes`. The upper bound is also linked to
    team membership (see `add_team`) to give the LP a strong team-size bound."""
    p, m = rm.problem, rm.model
    rm.minutes = {}
    for e in p.employees:
        vars_ = [(v, p.shift[s].minutes) for (_e, _d, s), v in rm.y_of[e.id]]
        expr = cp_model.LinearExpr.weighted_sum([v for v, _ in vars_], [c for _, c in vars_])
        rm.minutes[e.id] = expr
        upper = p.max_minutes(e)
        if upper is not None:
            m.add(expr <= upper)
        lower = p.min_minutes(e)
        if lower > 0:
            m.add(expr >= lower)
        on_site = cp_model.LinearExpr.weighted_sum(
            [v for _key, v in rm.y_of[e.id]],
            [p.shift[s].duration_minutes for (_e, _d, s), _v in rm.y_of[e.id]],
        )
        legal = p.max_on_site_minutes(e)
        if legal is not None:
            m.add(on_site <= legal)
        _add_reference_periods(rm, e)
        _add_night_worker_limit(rm, e, on_site)


def _add_reference_periods(rm: RosterParts, e: Employee) -> None:
    """Rule `max_average_weekly_minutes` over each reference period that reaches
    into the history (`RosterProblem.reference_windows`): time on site on its days."""
    p, m = rm.problem, rm.model
    windows = p.reference_windows(e)
    if not windows:
        return
    per_day: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for (_e, d, s), var in rm.y_of[e.id]:
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


def _add_night_worker_limit(rm: RosterParts, e: Employee, on_site: cp_model.LinearExpr) -> None:
    """Rule `night_worker_average_minutes_per_24h`: whoever works a night shift (with
    enough night time) is a night worker, and their time on site is capped — over
    the horizon, and over each reference period reaching into the history
    (`RosterProblem.night_worker_windows`), where a night shift before the horizon
    makes one a night worker too."""
    p, m = rm.problem, rm.model
    nights = [(d, v) for (_e, d, s), v in rm.y_of[e.id] if p.is_night_work(p.shift[s])]
    limit = p.max_night_worker_minutes(e)
    if limit is not None and (nights or p.night_worker_before(e)):
        capped = m.add(on_site <= limit)
        if not p.night_worker_before(e):
            capped.only_enforce_if(_night_worker(rm, e, [v for _d, v in nights], "horizon"))
    per_day: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for (_e, d, s), var in rm.y_of[e.id]:
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
            capped.only_enforce_if(_night_worker(rm, e, inside, f"to day {w.end_day - 1}"))


def _night_worker(
    rm: RosterParts, e: Employee, nights: list[cp_model.IntVar], when: str
) -> cp_model.IntVar:
    """A Boolean that is true when one of `nights` is worked."""
    var = rm.model.new_bool_var(f"night_worker[{e.id},{when}]")
    for v in nights:
        rm.model.add_implication(v, var)
    return var


def add_max_shifts_per_type(rm: RosterParts) -> None:
    """Employee limit `max_shifts_per_type[s]`."""
    for e in rm.problem.employees:
        for s, limit in e.max_shifts_per_type.items():
            vars_ = [rm.y[k] for d in range(rm.problem.days) if (k := (e.id, d, s)) in rm.y]
            if len(vars_) > limit:
                rm.model.add(sum(vars_) <= limit)
