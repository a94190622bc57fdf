"""One consultant's shifts across rosters, checked as one roster.

Each roster is planned and validated over its own horizon, with the shifts of other
rosters as `busy` and `history`. Publishing re-checks what only the whole picture shows:
the weekly rest, the 48-hour average and the night-worker average over the reference
period, and the runs of days and nights in a row, over a consultant's shifts in every
published roster plus the one being published. The check is `roster.validate` itself,
on one combined problem (a case per roster, one demand per booked shift), so no rule is
written twice. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from roster.problem import (
    Assignment,
    Case,
    CoverDemand,
    Employee,
    RosterProblem,
    RosterRules,
)
from roster.templates import ShiftType
from roster.validate import Violation, validate

#: The rules that look beyond one roster's horizon (the overlap and the daily rest are
#: checked shift against shift when publishing; the length rules are per shift).
RULES_ACROSS_ROSTERS = frozenset(
    {
        "weekly_rest",
        "max_average_weekly_reference_period",
        "night_worker_reference_period",
        "max_consecutive_working_days",
        "max_consecutive_nights",
    }
)


@dataclass(frozen=True)
class Booking:
    """`employee` works `shift` (its start minute counted from midnight of `date`) in
    roster `roster`."""

    roster: str
    employee: str
    date: dt.date
    shift: ShiftType


@dataclass(frozen=True)
class BrokenAcross:
    """A rule the new roster breaks together with `others` (the other rosters of the
    consultant's shifts in the rule's days); `date`: the day the validator names."""

    violation: Violation
    date: dt.date | None
    others: tuple[str, ...]


def broken_across(
    own: Sequence[Booking], others: Sequence[Booking], rules: RosterRules
) -> list[BrokenAcross]:
    """The rules of `RULES_ACROSS_ROSTERS` that the shifts of `own` and `others` break
    together and neither breaks alone in the same way: a breach the others had already,
    unchanged, is not the new roster's doing; one it makes worse (a longer run, a
    shorter weekly rest, more hours in the period) is. A breach of `own` alone is its
    own validation's to judge (the windows past its horizon's end are judged when the
    next roster is planned, with it as history)."""
    if not own:
        return []
    problem, roster_of = _combined(list(own) + list(others), rules)
    theirs = {a for a in roster_of if a.case != own[0].roster}
    alone = [theirs, roster_of - theirs]
    before = {v for part in alone for v in validate(problem, tuple(sorted(part)))}
    out = []
    for v in validate(problem, tuple(sorted(roster_of))):
        if v.rule not in RULES_ACROSS_ROSTERS or v in before:
            continue
        days = _days_of(v, problem.rules)
        near = sorted({a.case for a in theirs if a.employee == v.employee and a.day in days})
        every = sorted({a.case for a in theirs if a.employee == v.employee})
        date = problem.date(v.day) if v.day is not None else None
        out.append(BrokenAcross(v, date, tuple(near or every)))
    return out


def _combined(bookings: list[Booking], rules: RosterRules) -> tuple[RosterProblem, set[Assignment]]:
    """One problem over every booking: the horizon from the first booked day to a weekly
    rest window past the last (so every window holding a booked shift is checked), a
    case per roster, one demand per booked (roster, day, shift) of exactly the number
    booked, and the employees with no rule of their own."""
    start = min(b.date for b in bookings)
    days = (max(b.date for b in bookings) - start).days + 1 + rules.weekly_rest_window_days
    # shift types by what the rules read of them (rosters of several templates may
    # share a code); the rotation rule of a template does not reach across rosters
    kinds: dict[tuple[int, int, bool, bool, int | None], ShiftType] = {}
    roster = set()
    for b in bookings:
        s = b.shift
        key = (s.start_minute, s.duration_minutes, s.night, s.sleep_in, s.counted_minutes)
        if key not in kinds:
            kinds[key] = dataclasses.replace(s, id=f"s{len(kinds)}", forbidden_next=())
        roster.add(Assignment((b.date - start).days, kinds[key].id, b.roster, b.employee))
    booked = Counter((a.case, a.day, a.shift) for a in roster)
    problem = RosterProblem(
        start_date=start,
        days=days,
        shift_types=tuple(kinds.values()),
        employees=tuple(Employee(e) for e in sorted({b.employee for b in bookings})),
        cases=tuple(Case(r) for r in sorted({b.roster for b in bookings})),
        cover=tuple(
            CoverDemand(case=case, day=day, shift=shift, required=n)
            for (case, day, shift), n in sorted(booked.items())
        ),
        rules=dataclasses.replace(
            rules,
            # per roster, or over an arbitrary span: not the law across rosters
            within_contract=False,
            weekly_average_over_horizon=False,
            max_shift_minutes=None,
            max_sleep_in_minutes=None,
        ),
    )
    return problem, roster


def _days_of(v: Violation, rules: RosterRules) -> range:
    """The days a violation's rule looked at (the validator names their first day, or
    the last day of a reference period)."""
    day = v.day or 0
    if v.rule in ("max_average_weekly_reference_period", "night_worker_reference_period"):
        return range(day - (rules.reference_period_days or 0) + 1, day + 1)
    if v.rule == "weekly_rest":
        return range(day, day + rules.weekly_rest_window_days)
    runs = [rules.max_consecutive_working_days or 0, rules.max_consecutive_nights or 0]
    return range(day, day + max(runs) + 1)


__all__ = ["RULES_ACROSS_ROSTERS", "Booking", "BrokenAcross", "broken_across"]
