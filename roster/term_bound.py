"""Each term's own lower bound, summed by `roster.bound.quality_bound`, and the team
level's (`team_bound`), from the capacities every roster obeys (`roster.capacities`):

- team: per case, the fewest people whose capacities hold its shifts (`team_bound`);
- faces: per (case, shift type), the fewest people whose capacities hold its shifts,
  with the family's language over its speakers (`faces_bound`);
- blocks: the shifts over the longest run anyone may work, shorter away from the
  horizon's ends under the weekly rest (`_runs_under_weekly_rest`), and the rises of the
  daily demand (`blocks_bound`);
- night and weekend spread: the smallest contract-relative peak the counted shifts fit
  under, within the team and, for several cases, who can staff which
  (`roster.peak_bound`) (`spread_peak`).

With the counts these share with `roster.faces_nights_bound` (`demanded`,
`fewest_holding`, `team_per_case`). Every bound holds for rosters that miss at most
`missing` consultant-shifts of the cover (`roster.bound`).

Pure: no I/O.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

from roster.capacities import (
    capacity,
    fairness_coefficient,
    longest_run,
    may_follow,
    spoken_days,
)
from roster.eligibility import eligible_days, speaks
from roster.heuristic import weekly_rest_ok
from roster.peak_bound import crews_peak
from roster.problem import Employee, RosterProblem
from roster.templates import ShiftType


def team_bound(problem: RosterProblem, *, missing_shifts: int = 0) -> int:
    """The fewest (consultant, case) team memberships: per case, the fewest people whose
    capacities for its shifts (`capacity`) hold all of them but `missing_shifts`."""
    return sum(team_per_case(problem, missing_shifts).values())


def team_per_case(p: RosterProblem, missing_shifts: int) -> dict[str, int]:
    """`team_bound` per case."""
    per_case: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for demand in p.cover:
        if demand.required > 0:
            per_case[demand.case][demand.day] += demand.required
    out = {}
    for case_id, per_day in per_case.items():
        sids = sorted({d.shift for d in p.cover if d.case == case_id and d.required > 0})
        shifts = [p.shift[sid] for sid in sids]
        needed = sum(per_day.values()) - missing_shifts
        if needed > 0:
            caps = [capacity(p, e, shifts, set(per_day)) for e in p.employees]
            out[case_id] = fewest_holding(caps, needed)
    return out


def members_per_case(p: RosterProblem, team_members: int, missing: int = 0) -> dict[str, int]:
    """Case → the most members it can have in a roster that misses at most `missing`
    consultant-shifts and has at most `team_members` memberships: what the other cases
    leave at their fewest (`team_per_case`)."""
    fewest = team_per_case(p, missing)
    spare = team_members - sum(fewest.values())
    return {case.id: fewest.get(case.id, 0) + spare for case in p.cases}


def demanded(p: RosterProblem) -> dict[tuple[str, str], dict[int, int]]:
    """(case, shift type) → day → consultants required."""
    out: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for demand in p.cover:
        if demand.required > 0:
            out[(demand.case, demand.shift)][demand.day] += demand.required
    return out


def fewest_holding(capacities: list[int], shifts: int) -> int:
    """The fewest people whose capacities add up to `shifts` (all who can work, when
    even they cannot: then the roster misses more than assumed, and any bound holds)."""
    held, count = 0, 0
    for cap in sorted(capacities, reverse=True):
        if held >= shifts or cap <= 0:
            break
        held, count = held + cap, count + 1
    return count


def faces_bound(p: RosterProblem, missing: int, languages_met: bool = False) -> int:
    """Per (case, shift type): the fewest people whose capacities hold its shifts; with
    `languages_met`, at least the fewest speakers whose capacities hold the shifts that
    need the family's language (each has a speaker on it)."""
    spoken = spoken_days(p) if languages_met else {}
    total = 0
    for (case_id, sid), per_day in demanded(p).items():
        shift = p.shift[sid]
        days = set(per_day)
        needed = sum(per_day.values()) - missing
        if needed <= 0:
            continue
        caps = [capacity(p, e, [shift], days) for e in p.employees]
        fewest = fewest_holding(caps, needed)
        language_days = spoken.get((case_id, sid), set())
        if language_days:
            case = p.case[case_id]
            speakers = [e for e in p.employees if speaks(e, case)]
            caps = [capacity(p, e, [shift], language_days) for e in speakers]
            fewest = max(fewest, fewest_holding(caps, len(language_days)))
        total += fewest
    return total


def blocks_bound(p: RosterProblem, missing: int) -> int:
    """Per shift type: the shifts demanded over the longest run anyone may work it, and
    the rises of the daily demand (each extra person on a type from one day to the next
    starts a run); the larger of the two, summed over the types."""
    per_type: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (_case, sid), per_day in demanded(p).items():
        for d, n in per_day.items():
            per_type[sid][d] += n
    over_allowed = any(d.over_weight is not None for d in p.cover)
    total = 0
    for sid, per_day in per_type.items():
        shift = p.shift[sid]
        longest = max((longest_run(p, e, [shift]) for e in p.employees), default=0)
        if _cannot_follow_itself(p, shift):
            longest = min(longest, 1)
        shifts = sum(per_day.values()) - missing
        if shifts <= 0 or longest <= 0:
            continue
        by_length = math.ceil(shifts / longest)
        if not over_allowed:
            by_length = max(by_length, _runs_under_weekly_rest(p, shift, longest, shifts, per_day))
        # a missing consultant-shift lowers at most one rise by one; with over-cover
        # allowed, a day may hold more people than its demand, and the rises say nothing
        rises = sum(max(0, per_day.get(d, 0) - per_day.get(d - 1, 0)) for d in range(p.days))
        total += by_length if over_allowed else max(by_length, rises - missing)
    return total


def _runs_under_weekly_rest(
    p: RosterProblem, shift: ShiftType, longest: int, shifts: int, per_day: dict[int, int]
) -> int:
    """The fewest runs of `shift` that hold `shifts` when the weekly rest, counted
    inside each window of days, caps a run below `longest` away from the horizon's
    ends: 3x8 with 35 h in every 7 days allows 4 day shifts and 5 evenings in a row
    there, not 6 (6 days then a day off leave 33 h in the window ending on the day
    off). Ruled out by windows inside the horizon only, so with or without history.

    `interior`: the longest run of `shift` alone (every other day off, so as much rest
    as any roster has around it) that passes every window. A longer run starts where a
    run of `interior + 1` alone passes (its first `interior + 1` days rest no less):
    at most `per_day` of that day's such starts. Those runs hold up to `longest` each,
    every other run up to `interior`. That holds for any `interior`: probing it in
    the middle of the horizon only makes it as small as the rule allows."""
    if p.rules.weekly_rest_minutes is None:
        return 0
    interior = longest
    while interior > 1 and not _passes_weekly_rest(p, shift, p.days // 2, interior):
        interior -= 1
    if interior >= longest:
        return 0
    long_runs = sum(
        per_day.get(d, 0) for d in range(p.days) if _passes_weekly_rest(p, shift, d, interior + 1)
    )
    if shifts <= long_runs * longest:
        return math.ceil(shifts / longest)
    return long_runs + math.ceil((shifts - long_runs * longest) / interior)


def _passes_weekly_rest(p: RosterProblem, shift: ShiftType, first: int, days: int) -> bool:
    """`days` shifts of `shift` in a row from day `first`, alone, keep the weekly rest in
    every window inside the horizon."""
    if first + days > p.days:
        return False
    spans = [shift.span(d) for d in range(first, first + days)]
    return all(weekly_rest_ok(p, spans, d, past=False) for d in range(first, first + days))


def _cannot_follow_itself(p: RosterProblem, shift: ShiftType) -> bool:
    """The rest rule or the rotation list forbids `shift` on two days in a row."""
    return not may_follow(p, shift, shift)


def spread_peak(
    p: RosterProblem,
    counts: Callable[[int, ShiftType], bool],
    missing: int,
    team_members: int | None,
    languages_met: bool = False,
) -> int:
    """The smallest peak of contract-relative counted shifts (`add_fairness`) that the
    counted shifts demanded fit under, spread over at most `team_members` people; with
    `languages_met` (every shift that needs the family's language has a speaker), also
    each case's counted shifts that need its language, spread over its speakers; and
    for several cases, who can staff which case (`_across_crews`)."""
    demands = [(d.day, p.shift[d.shift], d.required) for d in p.cover if d.required > 0]
    peak = _smallest_peak(p, [x for x in demands if counts(x[0], x[1])], missing, team_members)
    if not languages_met:
        return _across_crews(p, counts, missing, team_members, languages_met, peak)
    needing = spoken_days(p)
    for case in p.cases:
        if case.language is None:
            continue
        spoken = [
            (day, p.shift[sid], 1)
            for (case_id, sid), days in needing.items()
            if case_id == case.id
            for day in sorted(days)
            if counts(day, p.shift[sid])
        ]
        speakers = [e for e in p.employees if speaks(e, case)]
        peak = max(peak, _smallest_peak(p, spoken, 0, team_members, speakers))
    return _across_crews(p, counts, missing, team_members, languages_met, peak)


def _across_crews(
    p: RosterProblem,
    counts: Callable[[int, ShiftType], bool],
    missing: int,
    team_members: int | None,
    languages_met: bool,
    peak: int,
) -> int:
    """`peak` raised by who can staff which case within the team (`roster.peak_bound`)
    for several cases with their cover met: five cases, pool 60, seed 0, team 25, the
    night peak 140 → 156."""
    if len(p.cases) < 2 or team_members is None or missing:
        return peak
    return crews_peak(p, counts, team_members, peak, languages_met)


def _smallest_peak(
    p: RosterProblem,
    demands: list[tuple[int, ShiftType, int]],
    missing: int,
    team_members: int | None,
    among: list[Employee] | None = None,
) -> int:
    """The smallest peak that `demands` ((day, shift type, consultants)) less `missing`
    fit under, spread over at most `team_members` of `among` (everyone by default)."""
    counted: dict[str, set[int]] = defaultdict(set)
    needed = -missing
    for day, shift, required in demands:
        counted[shift.id].add(day)
        needed += required
    if needed <= 0:
        return 0
    shift_types = [p.shift[sid] for sid in counted]
    days = set().union(*counted.values())
    people: list[tuple[int, int | None]] = []  # (capacity, coefficient or None: no peak)
    for e in p.employees if among is None else among:
        usable = [s for s in shift_types if not eligible_days(p, e, s).isdisjoint(days)]
        cap = capacity(p, e, usable, days)
        if cap <= 0:
            continue
        people.append((cap, fairness_coefficient(e)))  # None: counts in no peak (`add_fairness`)

    def holds(peak: int) -> bool:
        shares = sorted(
            (cap if coef is None else min(cap, peak // coef) for cap, coef in people),
            reverse=True,
        )
        if team_members is not None:
            shares = shares[:team_members]
        return sum(shares) >= needed

    high = max((coef or 0) * cap for cap, coef in people) if people else 0
    if not holds(high):
        return 0  # the demand cannot be met as assumed: claim nothing
    low = 0
    while low < high:
        mid = (low + high) // 2
        if holds(mid):
            high = mid
        else:
            low = mid + 1
    return low
