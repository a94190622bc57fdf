"""A greedy chronological roster: the warm start (CP-SAT hint) for `solve`.

Shifts are filled in time order. For each open place the candidates are ranked: already
on the case's team, speaks the case language when the shift still lacks a speaker, has
the required gender when still missing, worked the same shift type yesterday (long
blocks), then least-loaded. A candidate is taken only if every working-time rule still
holds with the future left empty, so the greedy roster is legal for the rules it checks
(all of them except the benchmark's minimum run lengths, which CP-SAT then repairs).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ortools.graph.python import linear_sum_assignment

from roster.eligibility import speaks, why_not
from roster.problem import Assignment, CoverDemand, Employee, ReferenceWindow, Roster, RosterProblem
from roster.templates import MINUTES_PER_DAY, ShiftType
from roster.validate import evaluate


@dataclass
class GreedyState:
    """One employee's roster as the greedy builds it: what each rule asks of the next
    shift (`fits_shift`), kept up to date as shifts are taken."""

    shifts: dict[int, str] = field(default_factory=dict)  # day → shift id
    #: Busy intervals and shifts taken (start, end in minutes), kept in order of start
    #: (`overlapping`).
    intervals: list[tuple[int, int]] = field(default_factory=list)
    minutes: int = 0
    per_type: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    weekends: set[int] = field(default_factory=set)
    #: The reference periods of the 48-hour average reaching into the past.
    windows: list[ReferenceWindow] = field(default_factory=list)
    #: Minutes on site each of `windows` still allows: kept as shifts are taken, since a
    #: sum over the shifts for every window and candidate was quadratic in the horizon
    #: (26 weeks: 15 of a 19 s warm start).
    room: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.room = [w.limit for w in self.windows]
        self.intervals.sort()
        self._starts = [a for a, _ in self.intervals]
        self._longest = max((b - a for a, b in self.intervals), default=0)
        # `reference_windows` gives the periods in order of their last day, and their
        # first days in order too: those holding a day are then a run of them (`holding`)
        self._ends = [w.end_day for w in self.windows]
        self._firsts = [w.first_day for w in self.windows]
        self._ordered = self._ends == sorted(self._ends) and self._firsts == sorted(self._firsts)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The intervals that overlap [lo, hi), in order of start: only those starting
        less than the longest interval before `lo` are looked at, not every one (a scan
        of each candidate's every shift made the greedy roster quadratic in the horizon)."""
        first = bisect.bisect_left(self._starts, lo - self._longest)
        last = bisect.bisect_left(self._starts, hi)
        return [(a, b) for a, b in self.intervals[first:last] if lo < b]

    def holding(self, day: int) -> range | list[int]:
        """The indices of the `windows` whose days include `day`: a run of them found
        by bisection, not a scan of every window (364 a person over 52 weeks), unless
        the windows are out of order."""
        if not self._ordered:
            return [i for i, w in enumerate(self.windows) if w.first_day <= day < w.end_day]
        return range(bisect.bisect_right(self._ends, day), bisect.bisect_right(self._firsts, day))

    def least_room(self, day: int) -> int | None:
        """The fewest minutes on site a window holding `day` still allows (None: no
        window holds it)."""
        held = self.holding(day)
        if isinstance(held, range):  # a slice's minimum is one pass in C
            return min(self.room[held.start : held.stop], default=None)
        return min((self.room[i] for i in held), default=None)

    def take(self, day: int, shift: ShiftType, weekend: int | None) -> None:
        self.shifts[day] = shift.id
        span = shift.span(day)
        at = bisect.bisect_right(self.intervals, span)
        self.intervals.insert(at, span)
        self._starts.insert(at, span[0])
        self._longest = max(self._longest, span[1] - span[0])
        self.minutes += shift.minutes
        self.per_type[shift.id] += 1
        if weekend is not None:
            self.weekends.add(weekend)
        for i in self.holding(day):
            self.room[i] -= shift.duration_minutes


def greedy(problem: RosterProblem) -> Roster:
    """The greedy roster with the fewer cover penalties of two rankings: with and
    without the language pressure (`_LanguagePressure`); neither is always the better
    (five cases, pool 60: with 18 weeks of history only the pressure leaves no shift
    without a speaker, without history only the plain ranking does)."""

    def cover_cost(roster: Roster) -> tuple[int, int]:
        terms = evaluate(problem, roster)
        cover = sum(terms.get(name, 0) for name in _COVER_TERMS)
        return cover, sum(terms.values())

    plain = greedy_roster(problem, language_pressure=False)
    if greedy_runs(problem) == 1:
        return plain
    return min(plain, greedy_roster(problem, language_pressure=True), key=cover_cost)


def greedy_runs(problem: RosterProblem) -> int:
    """How many greedy rosters `greedy` builds: two where several cases need languages."""
    return 2 if len(problem.cases) >= 2 and any(c.language for c in problem.cases) else 1


_COVER_TERMS = ("uncovered", "overcover", "missing_language", "missing_gender")


def greedy_roster(
    problem: RosterProblem,
    *,
    language_pressure: bool,
    plan: Mapping[tuple[str, int, str], str] | None = None,
) -> Roster:
    """The greedy roster; with `plan` ((case, day, shift) → employee id, a rotation of
    `roster.rotation`) the planned consultant is taken first wherever the rules let
    them (after the language and gender needs), and a consultant planned for another
    case that day last: the greedy only repairs the plan."""
    p = problem
    plan = plan or {}
    # day → employee → (case, shift) planned
    planned_on: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    planned_left: dict[str, int] = defaultdict(int)  # minutes still planned
    planned_team: dict[str, set[str]] = defaultdict(set)
    for (case_id, day, sid), eid in plan.items():
        planned_on[day][eid] = (case_id, sid)
        planned_team[case_id].add(eid)
        planned_left[eid] += p.shift[sid].minutes

    def load(e: Employee) -> int:
        """Least loaded first: the fewest minutes so far; with a plan, the most hours
        left beyond those still planned (a short contract keeps them for its plan)."""
        minutes = state[e.id].minutes
        if not plan:
            return minutes
        upper = p.max_minutes(e)
        return -(upper - minutes - planned_left[e.id]) if upper is not None else minutes

    state = {
        e.id: GreedyState(intervals=list(e.busy), windows=p.reference_windows(e))
        for e in p.employees
    }
    team: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    weekend_of = {d: i for i, days in enumerate(p.weekends) for d in days}
    order = sorted(p.cover, key=lambda c: (p.shift[c.shift].span(c.day)[0], c.case))
    pressure = _LanguagePressure(p)
    # who speaks which case's language, looked up once: the ranking asks it of every
    # candidate for every shift (20 cases, pool 150, 13 weeks: a quarter of the time)
    speaker = {(e.id, c.id): speaks(e, c) for e in p.employees for c in p.cases}
    roster: list[Assignment] = []
    # who may take each shift (day, shift id), with how many shifts had been taken when
    # it was found: only the employees who took one since can have changed (the rules
    # see nothing else), and the cases on one shift (20 of them from one pool) ask it
    # over and over
    takers: list[str] = []
    fitting: dict[tuple[int, str], tuple[set[str], int]] = {}

    def fits(e: Employee, day: int, shift: ShiftType) -> bool:
        return why_not(p, e, day, shift) is None and fits_shift(
            p, e, state[e.id], day, shift.id, weekend_of
        )

    def may_take(day: int, shift: ShiftType) -> set[str]:
        known = fitting.get((day, shift.id))
        if known is None:
            ids = {e.id for e in p.employees if fits(e, day, shift)}
        else:
            ids, seen = known
            for eid in set(takers[seen:]):
                ids.discard(eid)
                if fits(p.employee[eid], day, shift):
                    ids.add(eid)
        fitting[(day, shift.id)] = (ids, len(takers))
        return ids

    for demand in order:
        shift = p.shift[demand.shift]
        case = p.case[demand.case]
        chosen: list[Employee] = []
        for _ in range(demand.required):
            need_lang = (
                case.language is not None
                and demand.needs_language
                and not any(speaks(e, case) for e in chosen)
            )
            need_gender = demand.gender is not None and not any(
                e.gender == demand.gender for e in chosen
            )

            free = may_take(demand.day, shift)
            candidates = [e for e in p.employees if e.id in free and e not in chosen]
            if not candidates:
                break
            # the language and the gender first: only the candidates best on them are
            # ranked further (a fifth of the pool where a language is needed)
            urgent = [
                (
                    not (need_lang and speaker[(e.id, case.id)]),
                    not (need_gender and e.gender == demand.gender),
                )
                for e in candidates
            ]
            most = min(urgent)
            members = team[case.id]
            ranked = [
                (
                    need,
                    plan.get((case.id, demand.day, demand.shift)) != e.id,
                    # planned elsewhere today, or for a shift tomorrow this one blocks
                    planned_on[demand.day].get(e.id, (case.id, shift.id)) != (case.id, shift.id),
                    _blocks_tomorrow(p, shift, demand.day, planned_on[demand.day + 1].get(e.id)),
                    # a speaker other cases need more stays free for them
                    pressure.elsewhere(e, case.id) if language_pressure else 0,
                    # already on the team (or planned for it) first
                    members[e.id] == 0 and e.id not in planned_team[case.id],
                    state[e.id].shifts.get(demand.day - 1) != demand.shift,  # continue a block
                    load(e),
                    e.id,
                    e,
                )
                for e, need in zip(candidates, urgent, strict=True)
                if need == most
            ]
            best = min(ranked, key=lambda r: r[:-1])[-1]
            chosen.append(best)
            st = state[best.id]
            st.take(demand.day, shift, weekend_of.get(demand.day))
            takers.append(best.id)
            team[case.id][best.id] += 1
            pressure.took(best, demand)
            planner = plan.get((case.id, demand.day, demand.shift))
            if planner is not None:
                planned_left[planner] -= shift.minutes
            roster.append(Assignment(demand.day, shift.id, case.id, best.id))
    return tuple(sorted(_swap_cases_for_language(p, roster)))


def _blocks_tomorrow(
    p: RosterProblem, shift: ShiftType, day: int, planned: tuple[str, str] | None
) -> bool:
    """`shift` on `day` keeps its worker from the shift planned for them tomorrow."""
    if planned is None:
        return False
    then = p.shift[planned[1]]
    if then.id in shift.forbidden_next:
        return True
    return then.span(day + 1)[0] - shift.span(day)[1] < (p.rules.min_rest_minutes or 0)


def _swap_cases_for_language(p: RosterProblem, roster: list[Assignment]) -> list[Assignment]:
    """The consultants on one shift of several cases, matched to those cases again so
    that as many shifts as possible have a speaker of the family's language (fewest
    moves among the best matchings). Every working-time rule holds as before: each
    consultant keeps the same shift on the same day, only for another case. Shifts
    with a gender demand, or more than one consultant per case, are left as they are."""
    slots: dict[tuple[int, str], list[Assignment]] = defaultdict(list)
    for a in roster:
        slots[(a.day, a.shift)].append(a)
    demands = {(d.case, d.day, d.shift): d for d in p.cover}
    # who speaks which case's language, looked up once: the matchings below ask it for
    # every order of every shift's staff (a million times for five cases)
    speaker = {(e.id, c.id): speaks(e, c) for e in p.employees for c in p.cases}
    out: list[Assignment] = []
    for (day, sid), staff in slots.items():
        cases = [a.case for a in staff]
        movable = len(set(cases)) == len(cases) > 1 and all(
            (d := demands.get((a.case, day, sid))) is not None and d.gender is None for a in staff
        )
        if not movable:
            out.extend(staff)
            continue

        def needs(case_id: str, day: int = day, sid: str = sid) -> bool:
            case, demand = p.case[case_id], demands[(case_id, day, sid)]
            return case.language is not None and demand.needs_language

        def cost(a: Assignment, case_id: str) -> int:
            missing = needs(case_id) and not speaker[(a.employee, case_id)]
            return 1000 * missing + (a.case != case_id)

        if len(cases) <= _MOST_PERMUTED:
            best = min(
                itertools.permutations(cases),
                key=lambda order: sum(cost(a, c) for a, c in zip(staff, order, strict=True)),
            )
        else:
            best = _cheapest_matching(staff, cases, cost)
        out.extend(dataclasses.replace(a, case=c) for a, c in zip(staff, best, strict=True))
    return out


#: Most cases on one shift whose every order `_swap_cases_for_language` tries (720
#: orders); beyond, a min-cost assignment finds a best one (20 cases: 20! orders, the
#: greedy roster never ended). Among equally good orders the two may pick different ones.
_MOST_PERMUTED = 6


def _cheapest_matching(
    staff: list[Assignment], cases: list[str], cost: Callable[[Assignment, str], int]
) -> tuple[str, ...]:
    """The cases in the order (one for each of `staff`) of least total `cost`."""
    matching = linear_sum_assignment.SimpleLinearSumAssignment()
    for i, a in enumerate(staff):
        for j, case_id in enumerate(cases):
            matching.add_arc_with_cost(i, j, cost(a, case_id))
    if matching.solve() != matching.OPTIMAL:  # a complete bipartite graph always matches
        raise RuntimeError("no assignment of the cases to their shift's staff")
    return tuple(cases[matching.right_mate(i)] for i in range(len(staff)))


class _LanguagePressure:
    """How much the other cases still need a consultant's languages: for each case
    whose language they speak, the case's hours still to fill that need it over its
    speakers' hours still free, updated as the greedy roster fills shifts.

    Speakers of several case languages are the scarce ones: the greedy roster takes
    them for one case only when no one else will do, so that the case with the fewest
    speakers still finds one on every shift late in the horizon (with 18 weeks of
    history, five cases from a pool of 60 otherwise left 4 shifts of the
    Somali-speaking case without one)."""

    def __init__(self, p: RosterProblem) -> None:
        self.p = p
        self.need: dict[str, int] = defaultdict(int)
        for demand in p.cover:
            if self._needs(demand):
                self.need[demand.case] += p.shift[demand.shift].duration_minutes
        self.cases_of: dict[str, list[str]] = defaultdict(list)
        self.supply: dict[str, int] = defaultdict(int)
        for e in p.employees:
            for case_id in self.need:
                if speaks(e, p.case[case_id]):
                    self.cases_of[e.id].append(case_id)
                    self.supply[case_id] += p.max_minutes(e) or self.need[case_id]

    def _needs(self, demand: CoverDemand) -> bool:
        case = self.p.case[demand.case]
        return case.language is not None and demand.needs_language and demand.required > 0

    def elsewhere(self, e: Employee, case_id: str) -> int:
        """The pressure of the other cases on `e`, in tenths (ties go to the team)."""
        pressure = sum(
            self.need[c] / max(1, self.supply[c]) for c in self.cases_of[e.id] if c != case_id
        )
        return round(10 * pressure)

    def took(self, e: Employee, demand: CoverDemand) -> None:
        if self._needs(demand) and speaks(e, self.p.case[demand.case]):
            self.need[demand.case] -= self.p.shift[demand.shift].duration_minutes
        for c in self.cases_of[e.id]:
            self.supply[c] -= self.p.shift[demand.shift].minutes


def fits_shift(
    p: RosterProblem, e: Employee, st: GreedyState, day: int, sid: str, weekend_of: dict[int, int]
) -> bool:
    """Whether `e`, with `st` taken so far, may also work shift `sid` on `day`: every
    limit of theirs still holds (hours, per-type and weekend maxima, daily and weekly
    rest, the longest runs of days and nights, the 48-hour average)."""
    shift = p.shift[sid]
    if day in st.shifts:
        return False
    upper = p.max_minutes(e)
    if upper is not None and st.minutes + shift.minutes > upper:
        return False
    if sid in e.max_shifts_per_type and st.per_type[sid] >= e.max_shifts_per_type[sid]:
        return False
    start, end = shift.span(day)
    rest = p.rules.min_rest_minutes or 0
    if st.overlapping(start - rest, end + rest):
        return False
    prev = st.shifts.get(day - 1)
    if prev is not None and sid in p.shift[prev].forbidden_next:
        return False
    k = p.max_consecutive_days(e)
    run = _run_before(st.shifts, day)
    if run == day:  # the run reaches day 0: it goes on from before the horizon
        run += e.worked_days_before
    if k is not None and run + 1 > k:
        return False
    kn = p.rules.max_consecutive_nights
    if kn is not None and shift.night:
        run, d = 0, day - 1
        while d in st.shifts and p.shift[st.shifts[d]].night:
            run, d = run + 1, d - 1
        if d < 0:
            run += e.nights_before
        if run + 1 > kn:
            return False
    room = st.least_room(day)
    if room is not None and shift.duration_minutes > room:
        return False
    if (
        e.max_weekends is not None
        and day in weekend_of
        and weekend_of[day] not in st.weekends
        and len(st.weekends) >= e.max_weekends
    ):
        return False
    past = any(a < 0 for a, _ in e.busy)
    reach = _weekly_rest_reach(p, day, past)
    if reach is None:
        return True
    return weekly_rest_ok(p, [*st.overlapping(*reach), (start, end)], day, past)


def _run_before(shifts: dict[int, str], day: int) -> int:
    run, d = 0, day - 1
    while d in shifts:
        run, d = run + 1, d - 1
    return run


def _weekly_rest_starts(p: RosterProblem, day: int, past: bool) -> range:
    """The first days of the weekly rest's windows that hold `day` (with shifts before
    the horizon, `past`, also the windows reaching back before it)."""
    window = p.rules.weekly_rest_window_days
    first = 1 - window if past else 0
    # a shift from the evening of `day` reaches into the window that starts the next day
    return range(max(first, day - window + 1), min(day + 1, p.days - window) + 1)


def _weekly_rest_reach(p: RosterProblem, day: int, past: bool) -> tuple[int, int] | None:
    """The minutes [lo, hi) the weekly rest's windows holding `day` cover, or None when
    no window is checked: the intervals outside them do not count."""
    if p.rules.weekly_rest_minutes is None:
        return None
    starts = _weekly_rest_starts(p, day, past)
    if not starts:
        return None
    window = p.rules.weekly_rest_window_days
    return starts[0] * MINUTES_PER_DAY, (starts[-1] + window) * MINUTES_PER_DAY


def weekly_rest_ok(
    p: RosterProblem, intervals: list[tuple[int, int]], day: int, past: bool
) -> bool:
    """The weekly rest in every window holding `day` (with shifts before the horizon,
    `past`, also the windows reaching back before it)."""
    reach = _weekly_rest_reach(p, day, past)
    if reach is None:
        return True
    rest, window = p.rules.weekly_rest_minutes, p.rules.weekly_rest_window_days
    if rest is None or rest <= 0:  # `reach` is None without the rule
        return True
    # only the intervals that reach into one of the windows, found once: the history
    # before the horizon and the roster so far hold hundreds (five cases, pool 60: this
    # check was 40 % of the warm start's time)
    reach_lo, reach_hi = reach
    near = sorted((a, b) for a, b in intervals if a < reach_hi and reach_lo < b)
    # the free stretches between them, found once for all the windows (a pass over the
    # intervals for each window was a third of the greedy roster's time)
    free, cursor = [], reach_lo
    for a, b in near:
        if a > cursor:
            free.append((cursor, a))
        if b > cursor:
            cursor = b
    free.append((cursor, reach_hi))
    for w in _weekly_rest_starts(p, day, past):
        lo, hi = w * MINUTES_PER_DAY, (w + window) * MINUTES_PER_DAY
        if not any(min(b, hi) - max(a, lo) >= rest for a, b in free):
            return False
    return True
