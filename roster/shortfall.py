"""Short windows: the weeks of a long roster where a demand is short, re-planned by the
few employees who could close it, everyone else's shifts fixed.

A time window of a long roster (`roster.windows`) frees every employee: 20 cases from a
pool of 150 make a window of three weeks a model of 170,000 x variables, 5-6 s to build
and more to presolve, so that after the greedy roster no window fits in a minute. The
greedy's shortfalls (a shift without anyone, or without a speaker of the case's
language, or of the gender asked for) are few and local, and closing one needs few
people: the one on the short shift and those who could fill it (the speakers of the
language), each of whom hands a shift of theirs to another of the group. So a short
window (`short_window`) plans days [first, end) for that group only: each demand asks
for what the others leave (nothing, and so no variables, where the others staff it),
and for the language or gender only where none of the others brings it; the group's
hours, runs and rest are those of `roster.windows.sub_problem`, their shifts on the
window's margins fixed.

Every hard rule is one employee's (`roster.validate`) except a demand's over-cover, so
a re-planned window is checked on the group alone (`legal_for`: 40 of 150 employees, a
quarter of the whole check's 4.9 s) and kept when the whole roster's `total` drops.
Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter, defaultdict
from collections.abc import Callable

from roster.clock import Deadline
from roster.eligibility import speaks, why_not
from roster.problem import CoverDemand, Roster, RosterProblem
from roster.windows import (
    MIN_WINDOW_SECONDS,
    WindowSolver,
    cut_at_or_after,
    cut_at_or_before,
    cut_days,
    from_window_days,
    margin_days,
    sub_problem,
    to_window_days,
)
from solving.status import SolveStatus

#: Days a short window plans (rounded up to the next Monday), its margins aside: two
#: weeks give a speaker the week before or after a short shift to hand work to.
SHORT_WINDOW_DAYS = 14
#: Most employees in a short window's group: the staff of its short shifts first, then
#: those who could fill them.
GROUP_MOST = 40
#: Longest search of one short window (its build comes on top).
SHORT_WINDOW_SECONDS = 4.0

#: What a short demand lacks: ("persons", ""), ("language", tag) or ("gender", gender).
Need = tuple[str, str]


def short_demands(problem: RosterProblem, roster: Roster) -> list[tuple[CoverDemand, Need]]:
    """Every demand `roster` leaves short, and what it lacks: persons, a speaker of its
    case's language, a consultant of its gender (as `roster.validate.evaluate` counts
    them)."""
    p = problem
    staff: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for a in roster:
        staff[(a.case, a.day, a.shift)].append(a.employee)
    out: list[tuple[CoverDemand, Need]] = []
    for c in p.cover:
        on = staff.get((c.case, c.day, c.shift), [])
        if len(on) < c.required:
            out.append((c, ("persons", "")))
        case = p.case[c.case]
        lacks_speaker = not any(speaks(p.employee[e], case) for e in on)
        if case.language and c.needs_language and c.required > 0 and lacks_speaker:
            out.append((c, ("language", case.language)))
        if c.gender and c.required > 0 and not any(p.employee[e].gender == c.gender for e in on):
            out.append((c, ("gender", c.gender)))
    return out


def _fills(problem: RosterProblem, need: Need, demand: CoverDemand, employee: str) -> bool:
    """Whether `employee` brings what `demand` lacks (`need`), eligibility aside."""
    kind, what = need
    e = problem.employee[employee]
    if kind == "language":
        return speaks(e, problem.case[demand.case])
    if kind == "gender":
        return e.gender == what
    return True


def choose_group(
    problem: RosterProblem,
    roster: Roster,
    short: list[CoverDemand],
    need: Need,
    rng: random.Random,
    most: int = GROUP_MOST,
) -> set[str]:
    """The staff of the `short` demands (they give their shift up), then those who
    could fill them (eligible on its day and bringing `need`), those eligible for the
    most of them first (ties at random), `most` in all."""
    p = problem
    on = {(a.case, a.day, a.shift): a.employee for a in roster}
    group: list[str] = []
    for c in sorted(short, key=lambda c: c.day):
        staff = on.get((c.case, c.day, c.shift))
        if staff is not None and staff not in group and len(group) < most // 2:
            group.append(staff)
    score: Counter[str] = Counter()
    for e in p.employees:
        for c in short:
            if _fills(p, need, c, e.id) and why_not(p, e, c.day, p.shift[c.shift]) is None:
                score[e.id] += 1
    helpers = sorted(score, key=lambda eid: (-score[eid], rng.random()))
    for eid in helpers:
        if len(group) >= most:
            break
        if eid not in group:
            group.append(eid)
    return set(group)


def short_window(
    problem: RosterProblem, roster: Roster, group: set[str], first: int, end: int
) -> RosterProblem:
    """Days [first, end) of `problem` for the employees of `group` alone, the rest of
    `roster` fixed: each demand asks for what the others leave, and for its language
    or gender only where none of the others on it brings them."""
    p = problem
    others: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for a in roster:
        if a.employee not in group and first <= a.day < end:
            others[(a.case, a.day, a.shift)].append(a.employee)

    def left(c: CoverDemand) -> CoverDemand:
        on = others.get((c.case, c.day, c.shift))
        if not on:
            return c
        case = p.case[c.case]
        return dataclasses.replace(
            c,
            required=max(0, c.required - len(on)),
            needs_language=c.needs_language and not any(speaks(p.employee[e], case) for e in on),
            gender=None if any(p.employee[e].gender == c.gender for e in on) else c.gender,
        )

    mine = dataclasses.replace(
        p,
        employees=tuple(e for e in p.employees if e.id in group),
        cover=tuple(left(c) if first <= c.day < end else c for c in p.cover),
        requests=tuple(r for r in p.requests if r.employee in group),
    )
    return sub_problem(mine, tuple(a for a in roster if a.employee in group), first, end)


def legal_for(problem: RosterProblem, roster: Roster, employees: set[str]) -> bool:
    """Whether `roster` breaks no hard rule of `employees` and over-covers no demand:
    the whole check (`roster.validate.validate`) when only they changed."""
    from roster.validate import validate

    staffed = Counter((a.case, a.day, a.shift) for a in roster)
    for c in problem.cover:
        if c.over_weight is None and staffed[(c.case, c.day, c.shift)] > c.required:
            return False
    theirs = dataclasses.replace(
        problem, employees=tuple(e for e in problem.employees if e.id in employees)
    )
    return not validate(theirs, tuple(a for a in roster if a.employee in employees))


def improve(
    problem: RosterProblem,
    roster: Roster,
    value: int,
    deadline: Deadline,
    solve_window: WindowSolver,
    objective: Callable[[RosterProblem, Roster], float],
    seed: int = 0,
    build_estimate: Callable[[RosterProblem], float] = lambda sub: 0.0,
) -> tuple[Roster, int, int]:
    """Short windows from `roster` (objective `value`, `objective` the whole roster's
    `total`, not checked for legality: `legal_for` checks what changed) until
    `deadline`: the windows of `SHORT_WINDOW_DAYS` and each need their short demands
    lack, the costliest first, and a need that gained nothing in a window after those
    that gained; each re-solved by `solve_window(sub, time_limit, hint=, free_days=)`
    with the group's margins fixed. Passes from alternating offsets while one keeps a
    roster. Returns the best roster, its value and the windows searched."""
    p = problem
    rng = random.Random(seed)
    cuts = cut_days(p)
    margin = margin_days(p)
    starts = [c for c in cuts if c < p.days]
    step = max(1, SHORT_WINDOW_DAYS // 7)
    best, best_value, searched = roster, value, 0
    fruitless: Counter[Need] = Counter()
    offset = 0
    improved = True
    while improved and deadline.remaining() > MIN_WINDOW_SECONDS:
        improved = False
        windows = starts[offset % step :: step]
        offset += 1
        short = short_demands(p, best)
        if not short:
            break
        units: dict[tuple[int, Need], list[CoverDemand]] = defaultdict(list)
        for lo in windows:
            hi = cut_at_or_after(cuts, min(p.days, lo + SHORT_WINDOW_DAYS))
            for c, need in short:
                if lo <= c.day < hi:
                    units[(lo, need)].append(c)
        todo = sorted(units, key=lambda u: -sum(p.under_weight(c) for c in units[u]))
        while todo:
            todo.sort(key=lambda u: fruitless[u[1]])  # stable: the costliest first within
            lo, need = todo.pop(0)
            left = deadline.remaining()
            if left <= MIN_WINDOW_SECONDS:
                return best, best_value, searched
            hi = cut_at_or_after(cuts, min(p.days, lo + SHORT_WINDOW_DAYS))
            first, end = (
                cut_at_or_before(cuts, lo - margin),
                cut_at_or_after(cuts, min(p.days, hi + margin)),
            )
            # the demands still short in the best roster (an earlier window may have
            # closed some of them)
            still = {(c.case, c.day, c.shift) for c, n in short_demands(p, best) if n == need}
            demands = [c for c in units[(lo, need)] if (c.case, c.day, c.shift) in still]
            if not demands:
                continue
            group = choose_group(p, best, demands, need, rng)
            sub = short_window(p, best, group, first, end)
            need_seconds = build_estimate(sub) + MIN_WINDOW_SECONDS
            if left < need_seconds:
                continue  # a smaller window may still fit
            theirs = tuple(a for a in best if a.employee in group)
            result = solve_window(
                sub,
                time_limit=min(left, need_seconds - MIN_WINDOW_SECONDS + SHORT_WINDOW_SECONDS),
                hint=to_window_days(theirs, first, end),
                free_days=range(lo - first, hi - first),
            )
            searched += 1
            if result.status is SolveStatus.CANCELLED:
                return best, best_value, searched
            gained = False
            if result.found:
                outside = [a for a in best if a.employee not in group or not first <= a.day < end]
                candidate = tuple(sorted(outside + from_window_days(result.roster, first)))
                changed = _changed_employees(best, candidate)
                candidate_value = objective(p, candidate)
                if candidate_value < best_value and legal_for(p, candidate, changed):
                    best, best_value, gained = candidate, int(candidate_value), True
            if gained:
                improved = True
            else:
                fruitless[need] += 1
    return best, best_value, searched


def _changed_employees(before: Roster, after: Roster) -> set[str]:
    old, new = set(before), set(after)
    return {a.employee for a in old ^ new}
