"""The roster problem as immutable, validated data.

One general model serves both a døgnindsats (several 24/7 cases sharing one pool of
consultants) and the Curtois–Qu benchmark. Days are indexed 0..days-1 from
`start_date`; times are minutes from midnight of `start_date` (see `templates`).

Bad input raises `ProblemError` naming the field and the id.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import holidays as holidays_lib

from roster.templates import MINUTES_PER_DAY, ShiftType


class ProblemError(ValueError):
    """Invalid roster problem data; the message names the field and the id."""


#: The lowest daily rest Danish law allows, and only by collective agreement
#: (arbejdstidsloven / hvileperiodeloven § 3, stk. 2: 11 h reduced to 8 h).
LOWEST_AGREED_REST_MINUTES = 8 * 60
#: Night time for the night-worker rule: 22:00–05:00 (Directive 2003/88/EC art. 2(3) asks
#: for a period of at least 7 hours including midnight to 05:00).
NIGHT_START_MINUTE = 22 * 60
NIGHT_END_MINUTE = 5 * 60


#: How far back the history blocks like `busy`: the rest rules look back at most one
#: weekly-rest window (7 days) and one daily rest; older shifts count only for the
#: 48-hour average (and would slow every eligibility check down).
BLOCKING_HISTORY_MINUTES = 14 * MINUTES_PER_DAY


@dataclass(frozen=True)
class RosterRules:
    """Working-time rules; each is named and can be switched off with ``None`` (or
    ``False``), and each one's source is given with it.

    Sources: the Working Time Directive 2003/88/EC (articles named below), as the EU
    Court read it in C-151/02 *Jaeger* and C-14/04 *Dellas* (time on call at the
    workplace — a sleep-in night in the family's home — is working time in full), and its
    Danish implementation (arbejdstidsloven, lov nr. 896 af 24/08/2004; the rest-period
    rules of arbejdsmiljøloven kap. 9 and bekendtgørelse nr. 324 af 23/05/2002 om hvileperiode
    og fridøgn). Defaults follow DESIGN.md. Employee-level limits
    (`Employee.max_consecutive_shifts` etc.) apply in addition: the stricter one wins.
    """

    #: Daily rest: ≥ 11 h between the end of one shift and the start of the next
    #: (Directive art. 3; Danish rest-period rules, which allow 8 h by agreement only —
    #: a value below `LOWEST_AGREED_REST_MINUTES` is refused).
    min_rest_minutes: int | None = 11 * 60
    #: Weekly rest: one rest period of ≥ 35 h (24 h + the 11 h daily rest) inside every
    #: window of 7 consecutive days (Directive art. 5; the Danish "fridøgn").
    weekly_rest_minutes: int | None = 35 * 60
    weekly_rest_window_days: int = 7
    #: ≤ 48 h per week on average over the horizon (roster + committed hours)
    #: (Directive art. 6(b) and 16(b); arbejdstidsloven § 4), and over every reference
    #: period of `reference_period_days` that ends on a day of the horizon, counting the
    #: shifts worked before it (`Employee.history`).
    max_average_weekly_minutes: int | None = 48 * 60
    #: The reference period of the 48-hour average: 4 months by default (Directive
    #: art. 16(b); arbejdstidsloven § 4, stk. 2), taken as 122 days (four months of 30.5
    #: days). None: the average is held over the horizon only.
    reference_period_days: int | None = 122
    #: Time on site counts in full for the 48-hour average: a sleep-in night counts all
    #: its hours, not its weighted count (C-151/02 *Jaeger*, C-14/04 *Dellas*; Directive
    #: art. 2(1)). False: the 48 h average counts `ShiftType.minutes` (the contract count),
    #: as before the rulings — kept only to compare.
    on_site_counts_in_full: bool = True
    #: Contract and pay count: roster + committed hours stay within the contract (pro rata
    #: over the horizon), allowing this much overtime in percent. This count — and only
    #: this one — weights a sleep-in night by `ShiftType.counted_minutes` (the collective
    #: agreement's one-third rule); it is not a legal working-time limit.
    within_contract: bool = True
    contract_overtime_percent: int = 0
    #: A shift may last at most this long unless its type is a sleep-in.
    max_shift_minutes: int | None = 12 * 60
    #: A sleep-in shift may last at most this long, so that it alone leaves the daily rest
    #: in its 24 hours: 24 h − 11 h = 13 h (Directive art. 3 with *Jaeger*: sleeping time
    #: on site is not rest).
    max_sleep_in_minutes: int | None = 13 * 60
    max_consecutive_nights: int | None = 4
    max_consecutive_working_days: int | None = 6
    #: Night workers — anyone working at least `night_worker_threshold_minutes` of night
    #: time (22–05) in a shift of the horizon or of the reference period before it
    #: (`Employee.history`) — work at most this much per 24 hours on average over the
    #: horizon and over every reference period of `reference_period_days` that ends on a
    #: day of it, the history counted in and the weekly rest days left out of the
    #: average (Directive art. 8(a) and 16(c); arbejdstidsloven § 6; bekendtgørelse nr.
    #: 324 § 4 on night work). Time on site counts in full.
    night_worker_average_minutes_per_24h: int | None = 8 * 60
    night_worker_threshold_minutes: int = 3 * 60
    #: The 48-hour average holds over the horizon as a whole too, not only over the
    #: reference periods. A window of a longer roster (`roster.windows.sub_problem`)
    #: switches this off: its share of the horizon's hours is folded into each
    #: employee's `max_minutes`, and the reference periods, with the earlier windows as
    #: history, still hold.
    weekly_average_over_horizon: bool = True

    @classmethod
    def none(cls) -> RosterRules:
        """No working-time rule at all (the benchmark states its own limits per employee)."""
        return cls(
            min_rest_minutes=None,
            weekly_rest_minutes=None,
            max_average_weekly_minutes=None,
            within_contract=False,
            max_shift_minutes=None,
            max_sleep_in_minutes=None,
            max_consecutive_nights=None,
            max_consecutive_working_days=None,
            night_worker_average_minutes_per_24h=None,
        )


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights of the objective terms, in priority order.

    With ``lexicographic=True`` (the default) the solver optimises the priority levels
    one after the other — cover first, then team size, then everything else — and fixes
    each level at its best value before the next; the weights then only trade off terms
    *within* a level. With ``lexicographic=False`` one weighted sum is minimised.

    Level 0 — cover: uncovered staff-hours, shifts without a speaker of the family's
    language, shifts without the required gender.
    Level 1 — faces: each distinct consultant on a case.
    Level 2 — rhythm, fairness, preferences.
    """

    uncovered_per_hour: int = 100  #: per missing consultant-hour (default under-cover cost)
    missing_language_per_hour: int = 60  #: per hour of a shift without a language speaker
    missing_gender_per_hour: int = 30  #: per hour of a shift without the required gender
    team_member: int = 1  #: per distinct consultant on a case
    block: int = 3  #: per block (run of the same shift type on consecutive days)
    isolated_shift: int = 4  #: per single working day between two days off
    face_per_time_of_day: int = 2  #: per distinct (consultant, shift type) on a case
    night_spread: int = 1  #: per unit of the highest contract-relative night load
    weekend_spread: int = 1  #: per unit of the highest contract-relative weekend load
    preference: int = 1  #: multiplies request weights and non-preferred shift types
    lexicographic: bool = True

    @classmethod
    def benchmark(cls) -> ObjectiveWeights:
        """Only cover and requests, one weighted sum: the Curtois–Qu objective."""
        return cls(
            team_member=0,
            block=0,
            isolated_shift=0,
            face_per_time_of_day=0,
            night_spread=0,
            weekend_spread=0,
            lexicographic=False,
        )


@dataclass(frozen=True)
class Employee:
    """A consultant in the pool (no personal data beyond what rostering needs).

    Minutes are over the whole horizon unless named per week. `committed_minutes` are
    hours already used elsewhere in the horizon (family-treatment cases); `busy` are
    fixed intervals elsewhere (shifts in other rosters), in minutes from the horizon
    start, which no shift may overlap and around which the rest rule holds.
    """

    id: str
    contract_minutes_per_week: int = 37 * 60
    min_minutes: int | None = None
    max_minutes: int | None = None
    committed_minutes: int = 0
    busy: tuple[tuple[int, int], ...] = ()
    #: History: the shifts worked before the horizon, from earlier rosters of any case,
    #: as far back as the reference period ((start, end) in minutes from the horizon
    #: start, so their starts are negative). The 48-hour average over the reference
    #: period counts their time on site, and those of the last 14 days
    #: (`BLOCKING_HISTORY_MINUTES`) block like `busy` (they are merged into it), so the
    #: daily and weekly rest hold across the boundary.
    history: tuple[tuple[int, int], ...] = ()
    #: History: consecutive days worked, and consecutive night shifts, that end the day
    #: before the horizon (shifts of earlier rosters); the consecutive-day limits carry on.
    worked_days_before: int = 0
    nights_before: int = 0
    absences: frozenset[int] = frozenset()
    max_shifts_per_type: Mapping[str, int] = field(default_factory=dict)
    max_consecutive_shifts: int | None = None
    min_consecutive_shifts: int | None = None
    min_consecutive_days_off: int | None = None
    max_weekends: int | None = None
    works_nights: bool = True
    languages: tuple[str, ...] = ()
    gender: str | None = None
    #: Shift types the employee prefers; empty means no preference.
    preferred_shift_types: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # the rest rules, eligibility and every solver read `busy` only: the recent
        # history joins it once here (a frozen dataclass: set through object.__setattr__)
        recent = {(a, b) for a, b in self.history if b > -BLOCKING_HISTORY_MINUTES}
        if not recent <= set(self.busy):
            object.__setattr__(self, "busy", tuple(sorted(set(self.busy) | recent)))


@dataclass(frozen=True)
class Case:
    """A døgnindsats (or, for the benchmark, the one ward).

    `language` is the family's BCP 47 tag: every shift needs at least one consultant
    whose closeness (`data.languages.closeness`) is at least `min_closeness`.
    """

    id: str
    language: str | None = None
    min_closeness: str = "fallback"  # one of exact / dialect / fallback


@dataclass(frozen=True)
class CoverDemand:
    """How many consultants case `case` needs on `day` in shift `shift`.

    `under_weight`: cost per missing consultant; ``None`` = the default
    `ObjectiveWeights.uncovered_per_hour` × shift hours (cover is "hard when feasible").
    `over_weight`: cost per extra consultant; ``None`` = over-cover is forbidden.
    `gender`: at least one consultant of this gender on the shift.
    `needs_language`: whether the case language must be spoken on this shift.
    """

    case: str
    day: int
    shift: str
    required: int
    under_weight: int | None = None
    over_weight: int | None = None
    gender: str | None = None
    needs_language: bool = True


@dataclass(frozen=True)
class ShiftRequest:
    """A wish: employee works (``on``) or does not work (``not on``) `shift` on `day`.

    ``shift=None`` means any shift: a day-off request when ``on`` is false.
    An unmet request costs `weight` × `ObjectiveWeights.preference`.
    """

    employee: str
    day: int
    shift: str | None
    on: bool
    weight: int = 1


@dataclass(frozen=True, order=True)
class Assignment:
    """One shift worked: `employee` works `shift` on `day` for `case`."""

    day: int
    shift: str
    case: str
    employee: str


Roster = tuple[Assignment, ...]


@dataclass(frozen=True)
class ReferenceWindow:
    """A reference period of the 48-hour average as it reaches into the horizon: time on
    site on days `first_day` ..< `end_day` (by the day a shift starts) may be at most
    `limit` minutes (the average's allowance, less the history and the committed hours
    pro rata inside the period)."""

    first_day: int
    end_day: int
    limit: int


@dataclass(frozen=True)
class NightWorkerWindow(ReferenceWindow):
    """A reference period of the night-worker average as it reaches into the horizon:
    `limit` holds if the employee is a night worker in it — `night_before` says whether
    the history inside it already makes them one; else a night shift of the roster on
    its days does."""

    night_before: bool = False


@dataclass(frozen=True)
class RosterProblem:
    start_date: dt.date
    days: int
    shift_types: tuple[ShiftType, ...]
    employees: tuple[Employee, ...]
    cases: tuple[Case, ...]
    cover: tuple[CoverDemand, ...]
    requests: tuple[ShiftRequest, ...] = ()
    rules: RosterRules = field(default_factory=RosterRules)
    weights: ObjectiveWeights = field(default_factory=ObjectiveWeights)
    #: Treat Danish public holidays like weekend days for the weekend-fairness term.
    holidays_count_as_weekend: bool = True
    #: The night and weekend spreads' peaks (contract-relative units, as the terms count
    #: them before their weights) below which a roster costs as much as at them: the
    #: peaks the rest of a pool reaches when one of its cases is planned alone
    #: (`roster.by_case`), where a lower peak of the case's crew would not lower the
    #: pool's. 0: none.
    night_spread_floor: int = 0
    weekend_spread_floor: int = 0

    def __post_init__(self) -> None:
        _validate(self)

    # ------------------------------------------------------------------ lookups
    @cached_property
    def shift(self) -> dict[str, ShiftType]:
        return {s.id: s for s in self.shift_types}

    @cached_property
    def employee(self) -> dict[str, Employee]:
        return {e.id: e for e in self.employees}

    @cached_property
    def case(self) -> dict[str, Case]:
        return {c.id: c for c in self.cases}

    def date(self, day: int) -> dt.date:
        return self.start_date + dt.timedelta(days=day)

    @cached_property
    def holidays(self) -> dict[int, str]:
        """Danish public holidays in the horizon: day index → name."""
        years = {self.date(0).year, self.date(self.days - 1).year}
        calendar = holidays_lib.country_holidays("DK", years=sorted(years))
        return {
            d: str(calendar[self.date(d)]) for d in range(self.days) if self.date(d) in calendar
        }

    @cached_property
    def weekends(self) -> tuple[tuple[int, ...], ...]:
        """Days of each weekend (Saturday and Sunday) that falls in the horizon."""
        groups: dict[dt.date, list[int]] = {}
        for d in range(self.days):
            date = self.date(d)
            if date.weekday() >= 5:
                saturday = date - dt.timedelta(days=date.weekday() - 5)
                groups.setdefault(saturday, []).append(d)
        return tuple(tuple(v) for _, v in sorted(groups.items()))

    @cached_property
    def weekend_like_days(self) -> frozenset[int]:
        days = {d for w in self.weekends for d in w}
        if self.holidays_count_as_weekend:
            days |= set(self.holidays)
        return frozenset(days)

    def max_minutes(self, employee: Employee) -> int | None:
        """The tightest upper bound on roster minutes (excluding committed) over the horizon."""
        limits: list[int] = []
        if employee.max_minutes is not None:
            limits.append(employee.max_minutes)
        if (
            self.rules.max_average_weekly_minutes is not None
            and self.rules.weekly_average_over_horizon
        ):
            limits.append(self.rules.max_average_weekly_minutes * self.days // 7)
        if self.rules.within_contract:
            pct = 100 + self.rules.contract_overtime_percent
            limits.append(employee.contract_minutes_per_week * self.days * pct // 700)
        if not limits:
            return None
        return max(0, min(limits) - employee.committed_minutes)

    def max_on_site_minutes(self, employee: Employee) -> int | None:
        """The legal 48-hour average as a bound on time on site (every shift's full
        length) over the horizon, net of committed hours; None when the rule is off or
        counts the contract count instead (then `max_minutes` holds it)."""
        weekly = self.rules.max_average_weekly_minutes
        if weekly is None or not self.rules.on_site_counts_in_full:
            return None
        if not self.rules.weekly_average_over_horizon:
            return None
        return max(0, weekly * self.days // 7 - employee.committed_minutes)

    def reference_windows(self, employee: Employee) -> list[ReferenceWindow]:
        """The reference periods the 48-hour average must hold over beyond the horizon's
        own average: every period of `reference_period_days` ending on a horizon day
        that reaches back into the employee's history, and, in a horizon longer than
        the period, every one inside it. (A period with no history inside a horizon no
        longer than it is implied by the horizon's average.) Empty when the rule is off
        or counts the contract count (history is time on site)."""
        weekly, length = self.rules.max_average_weekly_minutes, self.rules.reference_period_days
        if weekly is None or length is None or not self.rules.on_site_counts_in_full:
            return []
        longest = max(s.duration_minutes for s in self.shift_types)
        # the history's time on site from each start on, by bisection: a sum over the
        # history for each period was a pass over 18 weeks of shifts for each of 364 days
        past = sorted((a, b - a) for a, b in employee.history if a < 0)
        starts = [a for a, _ in past]
        after = list(itertools.accumulate((m for _, m in reversed(past)), initial=0))[::-1]
        out = []
        for end in range(1, self.days + 1):
            first = end - length
            before = after[bisect.bisect_left(starts, first * MINUTES_PER_DAY)]
            if before or (self.days > length and end >= length):
                inside = end - max(0, first)
                # a period the past already fills gets no more work (not an impossible
                # roster)
                limit = max(
                    0,
                    weekly * length // 7
                    - before
                    - employee.committed_minutes * inside // self.days,
                )
                if limit < inside * longest:  # else even a longest shift a day fits
                    out.append(ReferenceWindow(max(0, first), end, limit))
        return out

    def max_night_worker_minutes(self, employee: Employee) -> int | None:
        """Time on site a night worker may work over the horizon: the average per 24 h
        times the days, less one weekly rest day per 7 days (Directive art. 16(c)), net of
        committed hours; None when the rule is off."""
        per_day = self.rules.night_worker_average_minutes_per_24h
        if per_day is None:
            return None
        return max(0, per_day * (self.days - self.days // 7) - employee.committed_minutes)

    def night_worker_before(self, employee: Employee) -> bool:
        """Whether the employee's history inside the reference period before the horizon
        already makes them a night worker (a shift with enough night time)."""
        length = self.rules.reference_period_days
        if self.rules.night_worker_average_minutes_per_24h is None or length is None:
            return False
        return any(
            night_minutes_between(a, b) >= self.rules.night_worker_threshold_minutes
            for a, b in employee.history
            if a >= -length * MINUTES_PER_DAY
        )

    def night_worker_windows(self, employee: Employee) -> list[NightWorkerWindow]:
        """The reference periods the night-worker average must hold over beyond the
        horizon's own: every period of `reference_period_days` ending on a horizon day
        that reaches back into the employee's history, and, in a horizon longer than the
        period, every one inside it (Directive art. 8(a) and 16(c): the average is over
        the reference period, the earlier rosters' shifts included). The allowance is
        the average per 24 h over the period's days less one weekly rest day in seven,
        less the history and the committed hours pro rata inside it."""
        per_day, length = (
            self.rules.night_worker_average_minutes_per_24h,
            self.rules.reference_period_days,
        )
        if per_day is None or length is None:
            return []
        threshold = self.rules.night_worker_threshold_minutes
        longest = max(s.duration_minutes for s in self.shift_types)
        allowance = per_day * (length - length // 7)
        history = [
            (a, b - a, night_minutes_between(a, b) >= threshold) for a, b in employee.history
        ]
        out = []
        for end in range(1, self.days + 1):
            first = end - length
            past = [
                (minutes, night) for a, minutes, night in history if a >= first * MINUTES_PER_DAY
            ]
            before = sum(minutes for minutes, _ in past)
            if before or (self.days > length and end >= length):
                inside = end - max(0, first)
                limit = max(
                    0, allowance - before - employee.committed_minutes * inside // self.days
                )
                if limit < inside * longest:  # else even a longest shift a day fits
                    night = any(night for _, night in past)
                    out.append(NightWorkerWindow(max(0, first), end, limit, night))
        return out

    def is_night_work(self, shift: ShiftType) -> bool:
        """Whether working `shift` makes one a night worker (enough night time in it)."""
        return night_minutes(shift) >= self.rules.night_worker_threshold_minutes

    def min_minutes(self, employee: Employee) -> int:
        if employee.min_minutes is None:
            return 0
        return max(0, employee.min_minutes - employee.committed_minutes)

    def max_consecutive_days(self, employee: Employee) -> int | None:
        limits = [
            v
            for v in (employee.max_consecutive_shifts, self.rules.max_consecutive_working_days)
            if v is not None
        ]
        return min(limits) if limits else None

    def demand_hours(self, demand: CoverDemand) -> int:
        return self.shift[demand.shift].duration_minutes

    def under_weight(self, demand: CoverDemand) -> int:
        """Cost of one missing consultant on this demand."""
        if demand.under_weight is not None:
            return demand.under_weight
        minutes = self.shift[demand.shift].duration_minutes
        return self.weights.uncovered_per_hour * minutes // 60


def night_minutes(shift: ShiftType) -> int:
    """Minutes of `shift` between 22:00 and 05:00 (night time), whatever day it starts."""
    return night_minutes_between(shift.start_minute, shift.start_minute + shift.duration_minutes)


def night_minutes_between(start: int, end: int) -> int:
    """Minutes of [start, end) (minutes from a midnight, negative before it) between
    22:00 and 05:00."""
    total = 0
    for day in range(start // MINUTES_PER_DAY - 1, end // MINUTES_PER_DAY + 1):
        night_start = day * MINUTES_PER_DAY + NIGHT_START_MINUTE
        night_end = (day + 1) * MINUTES_PER_DAY + NIGHT_END_MINUTE
        total += max(0, min(end, night_end) - max(start, night_start))
    return total


def _validate(p: RosterProblem) -> None:
    if p.days <= 0:
        raise ProblemError("days: must be positive")
    for name in ("night_spread_floor", "weekend_spread_floor"):
        if getattr(p, name) < 0:
            raise ProblemError(f"{name}: must be >= 0")
    rest = p.rules.min_rest_minutes
    if rest is not None and rest < LOWEST_AGREED_REST_MINUTES:
        raise ProblemError(
            f"rules.min_rest_minutes: {rest} is below the lowest agreed rest of "
            f"{LOWEST_AGREED_REST_MINUTES} min (8 h)"
        )
    _unique("shift_types", [s.id for s in p.shift_types])
    _unique("employees", [e.id for e in p.employees])
    _unique("cases", [c.id for c in p.cases])
    shift_ids = {s.id for s in p.shift_types}
    for s in p.shift_types:
        for nxt in s.forbidden_next:
            if nxt not in shift_ids:
                raise ProblemError(f"shift_types[{s.id}].forbidden_next: unknown shift {nxt!r}")
    for e in p.employees:
        where = f"employees[{e.id}]"
        if e.contract_minutes_per_week < 0:
            raise ProblemError(f"{where}.contract_minutes_per_week: must be >= 0")
        for d in e.absences:
            if not 0 <= d < p.days:
                raise ProblemError(f"{where}.absences: day {d} outside horizon 0..{p.days - 1}")
        for sid in e.max_shifts_per_type:
            if sid not in shift_ids:
                raise ProblemError(f"{where}.max_shifts_per_type: unknown shift {sid!r}")
        for sid in e.preferred_shift_types:
            if sid not in shift_ids:
                raise ProblemError(f"{where}.preferred_shift_types: unknown shift {sid!r}")
        if e.worked_days_before < 0 or e.nights_before < 0:
            raise ProblemError(f"{where}.worked_days_before / nights_before: must be >= 0")
        for start, end in e.busy:
            if end <= start:
                raise ProblemError(f"{where}.busy: interval ({start}, {end}) is empty")
        for start, _end in e.history:
            if start >= 0:
                raise ProblemError(f"{where}.history: shift at {start} is not before the horizon")
        if (
            e.min_minutes is not None
            and e.max_minutes is not None
            and e.min_minutes > e.max_minutes
        ):
            raise ProblemError(f"{where}: min_minutes > max_minutes")
    for c in p.cases:
        if c.min_closeness not in ("exact", "dialect", "fallback"):
            raise ProblemError(f"cases[{c.id}].min_closeness: {c.min_closeness!r}")
    seen: set[tuple[str, int, str]] = set()
    case_ids = {c.id for c in p.cases}
    for i, demand in enumerate(p.cover):
        where = f"cover[{i}]"
        if demand.case not in case_ids:
            raise ProblemError(f"{where}.case: unknown case {demand.case!r}")
        if demand.shift not in shift_ids:
            raise ProblemError(f"{where}.shift: unknown shift {demand.shift!r}")
        if not 0 <= demand.day < p.days:
            raise ProblemError(f"{where}.day: {demand.day} outside horizon 0..{p.days - 1}")
        if demand.required < 0:
            raise ProblemError(f"{where}.required: must be >= 0")
        key = (demand.case, demand.day, demand.shift)
        if key in seen:
            raise ProblemError(f"{where}: duplicate demand for {key}")
        seen.add(key)
    employee_ids = {e.id for e in p.employees}
    for i, r in enumerate(p.requests):
        where = f"requests[{i}]"
        if r.employee not in employee_ids:
            raise ProblemError(f"{where}.employee: unknown employee {r.employee!r}")
        if not 0 <= r.day < p.days:
            raise ProblemError(f"{where}.day: {r.day} outside horizon")
        if r.shift is not None and r.shift not in shift_ids:
            raise ProblemError(f"{where}.shift: unknown shift {r.shift!r}")
        if r.weight < 0:
            raise ProblemError(f"{where}.weight: must be >= 0")


def _unique(name: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ProblemError(f"{name}: duplicate id {i!r}")
        seen.add(i)


def shift_interval(shift: ShiftType, day: int) -> tuple[int, int]:
    """[start, end) in minutes from the horizon start (re-exported convenience)."""
    return shift.span(day)


__all__ = [
    "LOWEST_AGREED_REST_MINUTES",
    "MINUTES_PER_DAY",
    "Assignment",
    "Case",
    "CoverDemand",
    "Employee",
    "NightWorkerWindow",
    "ObjectiveWeights",
    "ProblemError",
    "ReferenceWindow",
    "Roster",
    "RosterProblem",
    "RosterRules",
    "ShiftRequest",
    "ShiftType",
]
