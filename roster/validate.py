"""An independent check of a roster: plain Python over the assignments, no CP-SAT.

`validate` lists every broken hard rule; `evaluate` recomputes every objective term from
scratch. Both are written separately from the model (`model.py` and its rules and terms)
on purpose, so that a modelling mistake there shows up here.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from data.languages import Closeness, closeness
from roster.capacities import fairness_coefficient
from roster.problem import Assignment, Roster, RosterProblem
from roster.templates import MINUTES_PER_DAY, ShiftType

#: `data.languages.Closeness` values ("fallback": the old name of "related").
_RANK = {"exact": 4, "variety": 3, "dialect": 2, "related": 1, "fallback": 1, "none": 0}


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    employee: str | None = None
    day: int | None = None


def validate(problem: RosterProblem, roster: Roster) -> list[Violation]:
    """Every hard rule the roster breaks (empty list = legal)."""
    p = problem
    out: list[Violation] = []
    shifts_of: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[tuple[str, int, str], int] = defaultdict(int)
    demands = {(c.case, c.day, c.shift): c for c in p.cover}
    seen = set()
    for a in roster:
        if a.employee not in p.employee or a.shift not in p.shift or a.case not in p.case:
            out.append(Violation("unknown_reference", f"unknown id in {a}", a.employee, a.day))
            continue
        if not 0 <= a.day < p.days:
            out.append(
                Violation("outside_horizon", f"day {a.day} outside horizon", a.employee, a.day)
            )
            continue
        if (a.case, a.day, a.shift) not in demands:
            out.append(
                Violation("no_demand", f"no demand for {a.case}/{a.shift}", a.employee, a.day)
            )
        if a in seen:
            out.append(Violation("duplicate", f"assignment listed twice: {a}", a.employee, a.day))
        seen.add(a)
        shifts_of[a.employee][a.day].append(a.shift)
        counts[(a.case, a.day, a.shift)] += 1
    for key, n in counts.items():
        demand = demands.get(key)
        if demand is not None and demand.over_weight is None and n > demand.required:
            out.append(
                Violation("overcover", f"{n} > required {demand.required} on {key}", None, key[1])
            )
    for e in p.employees:
        days = shifts_of.get(e.id, {})
        out.extend(_employee_violations(p, e.id, days))
    return out


def employee_violations(problem: RosterProblem, employee: str, roster: Roster) -> list[Violation]:
    """The hard rules of `employee` their shifts in `roster` break: `validate` of one
    employee, without its checks of the whole cover (37 ms for a year of 18 weeks'
    history, where `validate` of them alone takes 61 ms)."""
    days: dict[int, list[str]] = defaultdict(list)
    for a in roster:
        if a.employee == employee:
            days[a.day].append(a.shift)
    return _employee_violations(problem, employee, days)


def _employee_violations(p: RosterProblem, eid: str, days: dict[int, list[str]]) -> list[Violation]:
    e = p.employee[eid]
    out: list[Violation] = []

    def v(rule: str, message: str, day: int | None = None) -> None:
        out.append(Violation(rule, message, eid, day))

    rest = p.rules.min_rest_minutes or 0
    intervals: list[tuple[int, int, int | None, str]] = []  # start, end, day, shift
    for d, ss in sorted(days.items()):
        if len(ss) > 1:
            v("one_shift_per_day", f"{len(ss)} shifts on day {d}", d)
        for s in ss:
            st = p.shift[s]
            if d in e.absences:
                v("absence", f"works on absence day {d}", d)
            if st.night and not e.works_nights:
                v("night_willingness", f"night shift {s} on day {d}", d)
            limit = p.rules.max_shift_minutes
            if limit is not None and not st.sleep_in and st.duration_minutes > limit:
                v("max_shift_length", f"shift {s} lasts {st.duration_minutes} min", d)
            sleep_in_limit = p.rules.max_sleep_in_minutes
            if sleep_in_limit is not None and st.sleep_in and st.duration_minutes > sleep_in_limit:
                v("max_sleep_in_length", f"sleep-in {s} lasts {st.duration_minutes} min", d)
            start = d * MINUTES_PER_DAY + st.start_minute
            intervals.append((start, start + st.duration_minutes, d, s))
    for bs, be in e.busy:
        intervals.append((bs, be, None, "busy"))
    # by time only: a shift and a busy interval may start and end together, and the day
    # of a busy interval is None, which does not compare with an int
    intervals.sort(key=lambda interval: (interval[0], interval[1]))
    for (_s1, e1, d1, n1), (s2, _e2, d2, n2) in itertools.pairwise(intervals):
        if d1 is None and d2 is None:
            continue
        if s2 < e1:
            v("overlap", f"{n1} (day {d1}) overlaps {n2} (day {d2})", d2)
        elif s2 - e1 < rest:
            v("min_rest", f"{s2 - e1} min rest between {n1} and {n2}", d2)
    # explicit rotation rule: forbidden shift on the following day
    for d, ss in days.items():
        for s in ss:
            for t in days.get(d + 1, []):
                if t in p.shift[s].forbidden_next:
                    v("forbidden_next", f"{t} on day {d + 1} after {s}", d + 1)
    out.extend(_weekly_rest(p, eid, intervals))
    worked = sorted(days)
    minutes = sum(p.shift[s].minutes for ss in days.values() for s in ss)
    upper = p.max_minutes(e)
    if upper is not None and minutes > upper:
        v("max_minutes", f"{minutes} min > limit {upper} (hours rules, contract, committed)")
    on_site = sum(p.shift[s].duration_minutes for ss in days.values() for s in ss)
    legal = p.max_on_site_minutes(e)
    if legal is not None and on_site > legal:
        v("max_average_weekly_on_site", f"{on_site} min on site > 48 h average limit {legal}")
    out.extend(_reference_periods(p, eid, days))
    out.extend(_night_worker_periods(p, eid, days))
    per_24h = p.rules.night_worker_average_minutes_per_24h
    threshold = p.rules.night_worker_threshold_minutes
    length = p.rules.reference_period_days
    # a night worker by a night shift of the horizon, or of the reference period before it
    night_before = length is not None and any(
        _night_time_of(a % MINUTES_PER_DAY, b - a) >= threshold
        for a, b in e.history
        if -length * MINUTES_PER_DAY <= a < 0
    )
    if per_24h is not None and (
        night_before
        or any(_night_time(p.shift[s]) >= threshold for ss in days.values() for s in ss)
    ):
        # the weekly rest days (one in seven) are left out of the average
        night_limit = max(0, per_24h * (p.days - p.days // 7) - e.committed_minutes)
        if on_site > night_limit:
            v("night_worker_average", f"night worker: {on_site} min on site > {night_limit}")
    if minutes < p.min_minutes(e):
        v("min_minutes", f"{minutes} min < minimum {p.min_minutes(e)}")
    per_type: dict[str, int] = defaultdict(int)
    for ss in days.values():
        for s in ss:
            per_type[s] += 1
    for s, limit in e.max_shifts_per_type.items():
        if per_type[s] > limit:
            v("max_shifts_per_type", f"{per_type[s]} shifts {s} > {limit}")
    runs = _runs(set(worked), p.days)
    k = p.max_consecutive_days(e)
    for first, last in runs:
        length = last - first + 1
        history = e.worked_days_before if first == 0 else 0  # the run began before day 0
        if k is not None and length + history > k:
            v("max_consecutive_working_days", f"{length} days in a row from day {first}", first)
        m = e.min_consecutive_shifts
        if m and length < m and first > 0 and last < p.days - 1:
            v("min_consecutive_working_days", f"run of {length} from day {first}", first)
    if e.min_consecutive_days_off:
        off = set(range(p.days)) - set(worked)
        for first, last in _runs(off, p.days):
            if last - first + 1 < e.min_consecutive_days_off and first > 0 and last < p.days - 1:
                v(
                    "min_consecutive_days_off",
                    f"{last - first + 1} days off from day {first}",
                    first,
                )
    if e.max_weekends is not None:
        n = sum(1 for w in p.weekends if any(d in days for d in w))
        if n > e.max_weekends:
            v("max_weekends", f"{n} weekends > {e.max_weekends}")
    kn = p.rules.max_consecutive_nights
    if kn is not None:
        nights = {d for d, ss in days.items() if any(p.shift[s].night for s in ss)}
        for first, last in _runs(nights, p.days):
            history = e.nights_before if first == 0 else 0
            if last - first + 1 + history > kn:
                v("max_consecutive_nights", f"{last - first + 1} nights from day {first}", first)
    return out


def _reference_periods(p: RosterProblem, eid: str, days: dict[int, list[str]]) -> list[Violation]:
    """The 48-hour average over every reference period ending on a horizon day: time on
    site of the shifts before the horizon that start inside the period, of the roster's
    shifts on its days, and the committed hours pro rata. A period the past alone fills
    may hold no shift of the roster."""
    weekly, length = p.rules.max_average_weekly_minutes, p.rules.reference_period_days
    if weekly is None or length is None or not p.rules.on_site_counts_in_full:
        return []
    e = p.employee[eid]
    allowance = weekly * length // 7
    out = []
    for end in range(1, p.days + 1):
        lo = end - length
        past = sum(b - a for a, b in e.history if a < 0 and a >= lo * MINUTES_PER_DAY)
        worked = sum(
            p.shift[s].duration_minutes for d, ss in days.items() if lo <= d < end for s in ss
        )
        committed = e.committed_minutes * (end - max(lo, 0)) // p.days
        if worked > max(0, allowance - past - committed):
            out.append(
                Violation(
                    "max_average_weekly_reference_period",
                    f"{past + worked + committed} min on site in the {length} days to day "
                    f"{end - 1} > {allowance}",
                    eid,
                    end - 1,
                )
            )
    return out


def _night_worker_periods(
    p: RosterProblem, eid: str, days: dict[int, list[str]]
) -> list[Violation]:
    """The night-worker average over every reference period ending on a horizon day:
    whoever has a shift with enough night time in the period — before the horizon or in
    it — works on its days at most the average per 24 h times its days less one weekly
    rest day in seven, the shifts before the horizon and the committed hours pro rata
    counted in."""
    per_24h, length = p.rules.night_worker_average_minutes_per_24h, p.rules.reference_period_days
    if per_24h is None or length is None:
        return []
    e = p.employee[eid]
    threshold = p.rules.night_worker_threshold_minutes
    allowance = per_24h * (length - length // 7)
    out = []
    for end in range(1, p.days + 1):
        lo = end - length
        past = [(a, b) for a, b in e.history if lo * MINUTES_PER_DAY <= a < 0]
        mine = [p.shift[s] for d, ss in days.items() if lo <= d < end for s in ss]
        night_worker = any(
            _night_time_of(a % MINUTES_PER_DAY, b - a) >= threshold for a, b in past
        ) or any(_night_time(st) >= threshold for st in mine)
        if not night_worker:
            continue
        before = sum(b - a for a, b in past)
        worked = sum(st.duration_minutes for st in mine)
        committed = e.committed_minutes * (end - max(lo, 0)) // p.days
        if worked > max(0, allowance - before - committed):
            out.append(
                Violation(
                    "night_worker_reference_period",
                    f"night worker: {before + worked + committed} min on site in the "
                    f"{length} days to day {end - 1} > {allowance}",
                    eid,
                    end - 1,
                )
            )
    return out


def _night_time(shift: ShiftType) -> int:
    return _night_time_of(shift.start_minute, shift.duration_minutes)


@functools.cache
def _night_time_of(start_minute: int, duration: int) -> int:
    """Minutes between 22:00 and 05:00 of `duration` minutes from `start_minute` past a
    midnight, counted minute by minute."""
    return sum(
        1
        for minute in range(start_minute, start_minute + duration)
        if minute % MINUTES_PER_DAY >= 22 * 60 or minute % MINUTES_PER_DAY < 5 * 60
    )


def _weekly_rest(
    p: RosterProblem, eid: str, intervals: list[tuple[int, int, int | None, str]]
) -> list[Violation]:
    rest, window = p.rules.weekly_rest_minutes, p.rules.weekly_rest_window_days
    if rest is None:
        return []
    out = []
    # with shifts before the horizon (its history), the windows that reach back into it
    # count too: the weekly rest carries over the boundary
    first = 1 - window if any(a < 0 for a, _, d, _ in intervals if d is None) else 0
    for w in range(first, p.days - window + 1):
        lo, hi = w * MINUTES_PER_DAY, (w + window) * MINUTES_PER_DAY
        inside = sorted((max(a, lo), min(b, hi)) for a, b, _, _ in intervals if a < hi and lo < b)
        if not any(d is not None and a < hi and lo < b for a, b, d, _ in intervals):
            continue
        longest, cursor = 0, lo
        for a, b in inside:
            longest = max(longest, a - cursor)
            cursor = max(cursor, b)
        longest = max(longest, hi - cursor)
        if longest < rest:
            out.append(
                Violation(
                    "weekly_rest",
                    f"longest rest {longest} min in days {w}..{w + window - 1}",
                    eid,
                    w,
                )
            )
    return out


def _runs(days: set[int], horizon: int) -> list[tuple[int, int]]:
    runs, start = [], None
    for d in range(horizon + 1):
        if d in days and start is None:
            start = d
        elif d not in days and start is not None:
            runs.append((start, d - 1))
            start = None
    return runs


def validate_repair(
    problem: RosterProblem,
    published: Roster,
    repaired: Roster,
    now_minute: int,
    freeze_minutes: int,
) -> list[Violation]:
    """What a repair at `now_minute` may not do (`problem`: after the change): change a
    shift that started before now ("past_changed"), or, before now + `freeze_minutes`,
    take a shift from someone who can still work it or give one that was not taken
    from an absent consultant ("frozen_changed")."""
    out = []
    thaw = now_minute + freeze_minutes
    before, after = set(published), set(repaired)

    def starts(a: Assignment) -> int:
        return a.day * MINUTES_PER_DAY + problem.shift[a.shift].start_minute

    def absent(a: Assignment) -> bool:
        e = problem.employee.get(a.employee)
        return e is None or a.day in e.absences

    opened = {(a.case, a.day, a.shift) for a in before - after if absent(a)}
    for a, how in [
        *((a, "removed") for a in before - after),
        *((a, "added") for a in after - before),
    ]:
        if starts(a) < now_minute:
            out.append(
                Violation("past_changed", f"{how} {a}, started before now", a.employee, a.day)
            )
        elif starts(a) < thaw and (
            (how == "removed" and not absent(a))
            or (how == "added" and (a.case, a.day, a.shift) not in opened)
        ):
            out.append(
                Violation("frozen_changed", f"{how} {a} in the frozen time", a.employee, a.day)
            )
    return out


def evaluate(problem: RosterProblem, roster: Roster) -> dict[str, int]:
    """Every objective term's weighted value, recomputed from the roster alone
    (the same names as `model.RosterModel.terms`; repair terms excluded)."""
    p, w = problem, problem.weights
    on: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    y: dict[str, dict[int, str]] = defaultdict(dict)
    team: dict[str, set[str]] = defaultdict(set)
    faces: set[tuple[str, str, str]] = set()
    for a in roster:
        on[(a.case, a.day, a.shift)].append(a.employee)
        y[a.employee][a.day] = a.shift
        team[a.case].add(a.employee)
        faces.add((a.employee, a.shift, a.case))
    terms: dict[str, int] = defaultdict(int)
    for demand in p.cover:
        staff = on.get((demand.case, demand.day, demand.shift), [])
        n = len(staff)
        hours_min = p.shift[demand.shift].duration_minutes
        if n < demand.required:
            terms["uncovered"] += (demand.required - n) * p.under_weight(demand)
        elif n > demand.required and demand.over_weight:
            terms["overcover"] += (n - demand.required) * demand.over_weight
        case = p.case[demand.case]
        if case.language and demand.needs_language and demand.required > 0:
            need = _RANK[case.min_closeness]
            ok = any(
                _RANK[closeness(case.language, tag).value] >= need
                for emp in staff
                for tag in p.employee[emp].languages
            )
            if not ok:
                terms["missing_language"] += w.missing_language_per_hour * hours_min // 60
        if (
            demand.gender
            and demand.required > 0
            and not any(p.employee[emp].gender == demand.gender for emp in staff)
        ):
            terms["missing_gender"] += w.missing_gender_per_hour * hours_min // 60
    terms["team"] = w.team_member * sum(len(t) for t in team.values())
    for r in p.requests:
        shift = y.get(r.employee, {}).get(r.day)
        works = shift is not None if r.shift is None else shift == r.shift
        if works != r.on:
            terms["requests"] += r.weight * w.preference
    for e in p.employees:
        if e.preferred_shift_types:
            terms["requests"] += w.preference * sum(
                1 for s in y.get(e.id, {}).values() if s not in e.preferred_shift_types
            )
    for worked in y.values():
        terms["blocks"] += w.block * sum(1 for d, s in worked.items() if worked.get(d - 1) != s)
        terms["isolated"] += w.isolated_shift * sum(
            1 for d in worked if d - 1 not in worked and d + 1 not in worked
        )
    terms["faces"] = w.face_per_time_of_day * len(faces)
    spreads: tuple[tuple[str, int, int, Callable[[int, str], bool]], ...] = (
        ("night_spread", w.night_spread, p.night_spread_floor, lambda d, s: p.shift[s].night),
        (
            "weekend_spread",
            w.weekend_spread,
            p.weekend_spread_floor,
            lambda d, s: d in p.weekend_like_days,
        ),
    )
    for name, weight, floor, counts in spreads:
        peak = floor
        for e in p.employees:
            if (coef := fairness_coefficient(e)) is not None:
                peak = max(peak, coef * sum(1 for d, s in y.get(e.id, {}).items() if counts(d, s)))
        terms[name] = weight * peak
    return {k: v for k, v in terms.items() if v}


def total(problem: RosterProblem, roster: Roster) -> int:
    """The weighted objective (sum of all `evaluate` terms)."""
    return sum(evaluate(problem, roster).values())


def persons_short(problem: RosterProblem, roster: Roster) -> int:
    """Persons missing from `roster`, summed over the cover demands."""
    staffed = Counter((a.case, a.day, a.shift) for a in roster)
    return sum(max(0, d.required - staffed[(d.case, d.day, d.shift)]) for d in problem.cover)


__all__ = [
    "Closeness",
    "Violation",
    "evaluate",
    "persons_short",
    "total",
    "validate",
    "validate_repair",
]
