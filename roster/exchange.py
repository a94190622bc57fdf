"""Exchanges across the horizon: a shift short of its case's language (or gender) taken by
a speaker, who hands one of their shifts elsewhere in the year to the one it relieves.

A time window (`roster.windows`, `roster.shortfall`) keeps each employee's hours outside
it, and that is what a long greedy roster runs out of: it fills the year day by day, so
the speakers of a scarce language spend their hours on other cases early and the cases
of their language go without them in the last weeks (20 cases from a pool of 150, 52
weeks: 221 of the 4,368 Ukrainian shifts short, all but 7 of them after week 42, the 21
speakers' hours used to 4,764 of 4,771 shifts). An exchange swaps two shifts of equal
length between two employees: the speaker S takes the short shift D of X, X takes a
shift A of S on another day, of a case whose language (and gender) it keeps. Hours,
shifts per type when A and D are of a type, and every demand's staff count stay the
same; the rest, runs, weekly rest and the 48-hour average are checked for S and X alone
(`roster.validate.employee_violations`: every hard rule is one employee's but the
over-cover, which an exchange does not change). Cheap checks first (eligibility, the
rest around both days), then the validator on the few best candidates: those of A's
shift type and nearest D's day first, whose weeks change least.

Where X would take A from its only speaker (a Ukrainian speaker is mostly an Arabic
one too, on an Arabic case: all but 28 of the Ukrainian speakers' shifts on other
cases), a push instead (`_push_for`): A goes to one who brings its language, is free
that day and has the hours to spare, and X works a shift less. Seed 0's 20 cases: 68
exchanges a pass and no more; with pushes 100 in 20 s, 108 in 60 s.

Pure: no I/O.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from roster.eligibility import speaks, why_not
from roster.problem import Assignment, CoverDemand, Employee, Roster, RosterProblem
from roster.templates import MINUTES_PER_DAY
from roster.validate import employee_violations

#: Candidate exchanges checked by the validator per short shift (75 ms each for a
#: year of two employees with 18 weeks of history): the nearest of its type first.
MAX_CHECKS_PER_SHIFT = 6

Key = tuple[str, int, str]


class _Roster:
    """The roster as each demand's staff and each employee's shift per day."""

    def __init__(self, problem: RosterProblem, roster: Roster) -> None:
        self.problem = problem
        self.staff: dict[Key, list[str]] = defaultdict(list)
        self.day_of: dict[str, dict[int, Assignment]] = defaultdict(dict)
        self._speaks: dict[tuple[str, str], bool] = {}
        for a in roster:
            self.staff[(a.case, a.day, a.shift)].append(a.employee)
            self.day_of[a.employee][a.day] = a

    def speaks(self, employee: str, case: str) -> bool:
        """`roster.eligibility.speaks`, remembered: a third of the search's time was it."""
        key = (employee, case)
        known = self._speaks.get(key)
        if known is None:
            known = self._speaks[key] = speaks(
                self.problem.employee[employee], self.problem.case[case]
            )
        return known

    def roster(self) -> Roster:
        return tuple(sorted(a for days in self.day_of.values() for a in days.values()))

    def brings(self, demand: CoverDemand, staff: list[str]) -> bool:
        """Whether `staff` on `demand` bring its language and gender, where asked."""
        p = self.problem
        case = p.case[demand.case]
        asks = case.language and demand.needs_language and demand.required > 0
        if asks and not any(self.speaks(e, demand.case) for e in staff):
            return False
        if demand.gender and demand.required > 0:
            return any(p.employee[e].gender == demand.gender for e in staff)
        return True

    def rests(self, employee: Employee, day: int, shift: str, leaving: int) -> bool:
        """Whether `employee` may work `shift` on `day` beside their shifts of the days
        around it, the one of day `leaving` given up: the rest between shifts."""
        p = self.problem
        if why_not(p, employee, day, p.shift[shift]) is not None:
            return False
        rest = p.rules.min_rest_minutes or 0
        start, end = p.shift[shift].span(day)
        days = self.day_of[employee.id]
        for other in (day - 1, day + 1):
            a = days.get(other)
            if a is None or other == leaving:
                continue
            a_start, a_end = p.shift[a.shift].span(other)
            if a_end + rest > start and end + rest > a_start:
                return False
        return True

    def rested(self, employee: Employee, day: int, shift: str, leaving: int) -> bool:
        """Whether the weekly rest and the longest run of working days still hold
        around `day` once `employee` works `shift` there and gives up the shift of day
        `leaving`: the validator's usual objections, checked on the weeks around the
        day alone (without them the validator, 75 ms for two employees, refused 97 of
        158 exchanges from seed 0's 20 cases, nearly all for the weekly rest, a few for
        runs of days or nights; with them none of 28)."""
        p = self.problem
        days = self.day_of[employee.id]

        def works(d: int) -> bool:
            return (d in days and d != leaving) or d == day

        longest = p.max_consecutive_days(employee)
        if longest is not None:
            before = next(
                k for k in range(longest + 1) if not works(day - 1 - k) or day - 1 - k < 0
            )
            after = next(k for k in range(longest + 1) if not works(day + 1 + k))
            if before + 1 + after > longest:
                return False
        rest, window = p.rules.weekly_rest_minutes, p.rules.weekly_rest_window_days
        if rest is None:
            return True
        spans = [p.shift[shift].span(day)] + [
            p.shift[days[d].shift].span(d)
            for d in range(day - window - 1, day + window + 1)
            if d in days and d != leaving
        ]
        spans += [(a, b) for a, b in employee.history if b > (day - window - 1) * MINUTES_PER_DAY]
        spans.sort()
        for w in range(max(day - window + 1, 0), min(day, p.days - window) + 1):
            lo, hi = w * MINUTES_PER_DAY, (w + window) * MINUTES_PER_DAY
            gap, cursor = 0, lo
            for a, b in spans:
                if b <= lo or a >= hi:
                    continue
                gap = max(gap, a - cursor)
                cursor = max(cursor, min(b, hi))
            if max(gap, hi - cursor) < rest:
                return False
        return True

    def exchange(self, s: str, a: Assignment, x: str, d: Assignment) -> None:
        """`s` takes `d` from `x`, who takes `a` from `s`."""
        self.reassign(((a, x), (d, s)))

    def spare(self, employee: Employee) -> int | None:
        """Minutes `employee` may still work (None: no limit)."""
        limit = self.problem.max_minutes(employee)
        if limit is None:
            return None
        shift = self.problem.shift
        return limit - sum(shift[a.shift].minutes for a in self.day_of[employee.id].values())

    def reassign(self, moves: tuple[tuple[Assignment, str], ...]) -> None:
        """Each assignment of `moves` to its new employee."""
        for old, _ in moves:  # all days first: on one day each takes the other's shift
            del self.day_of[old.employee][old.day]
        for old, new_employee in moves:
            staff = self.staff[(old.case, old.day, old.shift)]
            staff[staff.index(old.employee)] = new_employee
            self.day_of[new_employee][old.day] = _as(old, new_employee)

    def legal(self, employees: tuple[str, ...]) -> bool:
        return not any(
            employee_violations(self.problem, e, tuple(self.day_of[e].values())) for e in employees
        )


def short_of_attribute(problem: RosterProblem, roster: Roster) -> list[CoverDemand]:
    """The demands `roster` staffs in full but without their case's language or the
    gender they ask for."""
    state = _Roster(problem, roster)
    return [
        c
        for c in problem.cover
        if c.required > 0
        and len(state.staff.get((c.case, c.day, c.shift), [])) >= c.required
        and not state.brings(c, state.staff[(c.case, c.day, c.shift)])
    ]


def improve(
    problem: RosterProblem,
    roster: Roster,
    until: float,
    stop: Callable[[], bool] = lambda: False,
) -> tuple[Roster, int]:
    """`roster` with exchanges that give short shifts their language or gender, found
    one short shift after another until `time.perf_counter()` reaches `until`, in
    passes over the short shifts while a pass makes one (an exchange frees days for
    others); and the number made. Each exchange leaves both employees legal and no
    demand worse off."""
    p = problem
    state = _Roster(p, roster)
    demands = {(c.case, c.day, c.shift): c for c in p.cover}
    made = 0
    # the exchanges first, in passes while one makes any, then the pushes: a push's
    # search is the longer (everyone free on A's day), and tried on each short shift an
    # exchange missed it took the time of exchanges on later ones (seed 1's 20 cases,
    # 2,559 short against 2,453)
    for move in (_exchange_for, _push_for):
        passed = -1
        while made > passed:
            passed = made
            short = short_of_attribute(p, state.roster())
            # the cases with the fewest short shifts first: their speakers are the
            # likeliest to work elsewhere (20 cases: 8 Sorani shifts short, 1,027
            # Tigrinya, whose 10 speakers work 61 shifts of other cases in all)
            per_case = Counter(c.case for c in short)
            for target in sorted(short, key=lambda c: (per_case[c.case], c.day)):
                if time.perf_counter() >= until or stop():
                    return state.roster(), made
                made += move(state, demands, target, until, stop)
    return state.roster(), made


def _exchange_for(
    state: _Roster,
    demands: dict[Key, CoverDemand],
    target: CoverDemand,
    until: float,
    stop: Callable[[], bool],
) -> int:
    """1 once an exchange gives `target` what it lacks, else 0: the candidates that
    pass the cheap checks, of the short shift's type and nearest its day first, each
    made and checked by the validator (undone when it objects), at most
    `MAX_CHECKS_PER_SHIFT`."""
    p = state.problem
    key = (target.case, target.day, target.shift)
    candidates: list[tuple[tuple[bool, int], str, Assignment, str, Assignment]] = []
    for x in list(state.staff[key]):
        d = state.day_of[x][target.day]
        minutes = p.shift[d.shift].minutes
        for s, day, a in _speakers_taking(state, target, x):
            x_busy = day in state.day_of[x] and day != target.day
            if x_busy or p.shift[a.shift].minutes != minutes:
                continue
            a_key = (a.case, a.day, a.shift)
            after_a = [x if e == s.id else e for e in state.staff[a_key]]
            if state.brings(demands[a_key], state.staff[a_key]) and not state.brings(
                demands[a_key], after_a
            ):
                continue
            if not state.rests(p.employee[x], day, a.shift, leaving=target.day):
                continue
            if not state.rested(p.employee[x], day, a.shift, leaving=target.day):
                continue
            rank = (a.shift != d.shift, abs(day - target.day))
            candidates.append((rank, s.id, a, x, d))
    candidates.sort(key=lambda c: c[0])
    for _, s_id, a, x, d in candidates[:MAX_CHECKS_PER_SHIFT]:
        if time.perf_counter() >= until or stop():
            break
        state.exchange(s_id, a, x, d)
        if state.legal((s_id, x)):
            return 1
        state.exchange(x, _as(a, x), s_id, _as(d, s_id))  # undo
    return 0


#: Candidate pushes collected per short shift, the nearest first.
PUSH_CANDIDATES = 12


def _push_for(
    state: _Roster,
    demands: dict[Key, CoverDemand],
    target: CoverDemand,
    until: float,
    stop: Callable[[], bool],
) -> int:
    """1 once a push gives `target` what it lacks, else 0: the speaker S takes the
    short shift D from X, and S's shift A (of a case whose language X does not bring,
    so no exchange) goes to Y, who brings it, is free that day and has the hours to
    spare; X works a shift less. The nearest A first, the validator on all three."""
    p = state.problem
    key = (target.case, target.day, target.shift)
    found: list[tuple[int, tuple[tuple[Assignment, str], ...], tuple[str, ...]]] = []
    spare: dict[str, int | None] = {}
    for x in list(state.staff[key]):
        d = state.day_of[x][target.day]
        for s, day, a in _speakers_taking(state, target, x):
            if len(found) >= PUSH_CANDIDATES:
                break
            a_key = (a.case, a.day, a.shift)
            staff_a = state.staff[a_key]
            minutes = p.shift[a.shift].minutes
            if p.shift[d.shift].minutes != minutes:
                continue
            if not state.brings(demands[a_key], staff_a) or state.brings(
                demands[a_key], [x if e == s.id else e for e in staff_a]
            ):
                continue  # X may take A (an exchange), or A lacks already
            for y in p.employees:
                if y.id in (s.id, x) or day in state.day_of[y.id]:
                    continue
                if y.id not in spare:
                    spare[y.id] = state.spare(y)
                left = spare[y.id]
                if left is not None and left < minutes:
                    continue
                if not state.brings(demands[a_key], [y.id if e == s.id else e for e in staff_a]):
                    continue
                if not state.rests(y, day, a.shift, leaving=-1):
                    continue
                if not state.rested(y, day, a.shift, leaving=-1):
                    continue
                found.append((abs(day - target.day), ((a, y.id), (d, s.id)), (s.id, y.id, x)))
                break
    found.sort(key=lambda c: c[0])
    for _, moves, who in found[:MAX_CHECKS_PER_SHIFT]:
        if time.perf_counter() >= until or stop():
            break
        state.reassign(moves)
        if state.legal(who):
            return 1
        state.reassign(tuple((_as(old, new), old.employee) for old, new in moves))  # undo
    return 0


def _speakers_taking(
    state: _Roster, target: CoverDemand, x: str
) -> Iterator[tuple[Employee, int, Assignment]]:
    """(S, day, A) for each S who would give `target` what it lacks in X's place and
    may work it (the rest around it), with each shift A of S's that S could hand on:
    a speaker at work that day hands that day's shift (X takes it), else any of their
    shifts."""
    p = state.problem
    key = (target.case, target.day, target.shift)
    for s in p.employees:
        if s.id == x or s.id in state.staff[key]:
            continue
        if not state.brings(target, [s.id if e == x else e for e in state.staff[key]]):
            continue
        that_day = state.day_of[s.id].get(target.day)
        leaving = -1 if that_day is None else target.day
        if not state.rests(s, target.day, target.shift, leaving=leaving):
            continue
        if not state.rested(s, target.day, target.shift, leaving=leaving):
            continue
        theirs = list(state.day_of[s.id].items()) if that_day is None else [(target.day, that_day)]
        for day, a in theirs:
            yield s, day, a


def _as(a: Assignment, employee: str) -> Assignment:
    return Assignment(a.day, a.shift, a.case, employee)
