"""The roster model's rules over runs of days, one documented function per rule, each
taking the `RosterModel` under construction (as `RosterParts`): maximum and minimum
consecutive working days, minimum consecutive days off, weekends, consecutive nights,
and the redundant sequence automaton (its states and transitions from
`roster.automaton`, which the per-employee programme follows too).
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from roster.automaton import reachable_automaton, run_limits
from roster.model_rules import forbidden_successions
from roster.model_terms import RosterParts


def add_max_consecutive_working_days(rm: RosterParts) -> None:
    """Rule `max_consecutive_working_days` / employee `max_consecutive_shifts`: every
    window of k + 1 days has a day off (days after the horizon count as off; the
    days before it as `Employee.worked_days_before` says)."""
    p = rm.problem
    for e in p.employees:
        k = p.max_consecutive_days(e)
        if k is None:
            continue
        _continue_run(rm, e.worked_days_before, k, [rm.work_lit(e.id, t) for t in range(p.days)])
        if k >= p.days:
            continue
        for d in range(p.days - k):
            vars_ = [rm.work[(e.id, t)] for t in range(d, d + k + 1) if (e.id, t) in rm.work]
            if len(vars_) > k:
                rm.model.add(sum(vars_) <= k)


def add_min_consecutive_working_days(rm: RosterParts) -> None:
    """Employee `min_consecutive_shifts`: a run of working days that starts inside the
    horizon lasts at least k days, unless it reaches the horizon end (runs touching
    an edge are exempt): ¬work[d−1] ∧ work[d] → work[d+j] for j < k."""
    p = rm.problem
    for e in p.employees:
        k = e.min_consecutive_shifts
        if not k or k <= 1:
            continue
        for d in range(1, p.days):
            starts = rm.work_lit(e.id, d)
            if starts is rm.false:
                continue
            for j in range(1, k):
                if d + j >= p.days:
                    break
                rm.model.add_bool_or(
                    [rm.work_lit(e.id, d - 1), starts.Not(), rm.work_lit(e.id, d + j)]
                )


def add_min_consecutive_days_off(rm: RosterParts) -> None:
    """Employee `min_consecutive_days_off`: a run of days off that starts inside the
    horizon lasts at least k days unless it reaches the horizon end."""
    p = rm.problem
    for e in p.employees:
        k = e.min_consecutive_days_off
        if not k or k <= 1:
            continue
        for d in range(1, p.days):
            before = rm.work_lit(e.id, d - 1)
            if before is rm.false:
                continue
            for j in range(1, k):
                if d + j >= p.days:
                    break
                later = rm.work_lit(e.id, d + j)
                if later is rm.false:
                    continue
                rm.model.add_bool_or([before.Not(), rm.work_lit(e.id, d), later.Not()])


def add_sequence_automaton(rm: RosterParts) -> None:
    """Redundant, stronger encoding of the day-to-day sequence rules per employee:
    rotation (`forbidden_successions` at offset 1), max/min consecutive working days
    and min consecutive days off, as one automaton over the daily shift symbol. The
    clauses above already state these rules; the automaton propagates them jointly
    (e.g. "a run must be long enough *and* may not be followed by this shift"),
    which makes feasible schedules far easier to find."""
    p, m = rm.problem, rm.model
    shift_index = {s.id: i + 1 for i, s in enumerate(p.shift_types)}
    forbidden = {(a, b) for a, b, off in forbidden_successions(rm) if off == 1}
    for e in p.employees:
        max_run, min_run, min_off = run_limits(p, e)
        if max_run >= p.days and min_run <= 1 and min_off <= 1 and not forbidden:
            continue
        symbols = []
        for d in range(p.days):
            lits = [(shift_index[sid], v) for (ei, dd, sid), v in _y_by_day(rm, e.id, d)]
            sym = m.new_int_var(0, len(p.shift_types), f"sym[{e.id},{d}]")
            m.add(sym == sum(i * v for i, v in lits))
            symbols.append(sym)
        reached = reachable_automaton(p, e, forbidden)
        assert reached is not None  # no limit on its states
        m.add_automaton(
            symbols,
            starting_state=0,
            final_states=range(len(reached.states)),  # runs reaching the end are exempt
            transition_triples=sorted(reached.transitions),
        )


def _y_by_day(
    rm: RosterParts, employee: str, day: int
) -> list[tuple[tuple[str, int, str], cp_model.IntVar]]:
    return [
        ((employee, day, s.id), rm.y[(employee, day, s.id)])
        for s in rm.problem.shift_types
        if (employee, day, s.id) in rm.y
    ]


def add_max_weekends(rm: RosterParts) -> None:
    """Employee `max_weekends`: a weekend counts if Saturday or Sunday is worked."""
    p, m = rm.problem, rm.model
    rm.weekend = {}
    for e in p.employees:
        if e.max_weekends is None:
            continue
        flags = []
        for i, days in enumerate(p.weekends):
            lits = [rm.work[(e.id, d)] for d in days if (e.id, d) in rm.work]
            if not lits:
                continue
            flag = m.new_bool_var(f"weekend[{e.id},{i}]")
            m.add_max_equality(flag, lits)
            rm.weekend[(e.id, i)] = flag
            flags.append(flag)
        if len(flags) > e.max_weekends:
            m.add(sum(flags) <= e.max_weekends)


def add_max_consecutive_nights(rm: RosterParts) -> None:
    """Rule `max_consecutive_nights`: every window of k + 1 days has a non-night day."""
    p = rm.problem
    k = p.rules.max_consecutive_nights
    if k is None:
        return
    nights = [s.id for s in p.shift_types if s.night]
    for e in p.employees:
        _continue_run(
            rm,
            e.nights_before,
            k,
            [sum(rm.y_lit(e.id, t, s) for s in nights) for t in range(p.days)],
        )
    if k >= p.days:
        return
    for e in p.employees:
        for d in range(p.days - k):
            vars_ = [
                rm.y[key]
                for t in range(d, d + k + 1)
                for s in nights
                if (key := (e.id, t, s)) in rm.y
            ]
            if len(vars_) > k:
                rm.model.add(sum(vars_) <= k)


def _continue_run(rm: RosterParts, before: int, k: int, days: list[Any]) -> None:
    """A run of `before` days that ends the day before the horizon goes on into it:
    the first k − before + 1 days of the horizon hold at most k − before such days
    (the window of k + 1 days that starts `before` days early)."""
    if before <= 0:
        return
    room = max(k - before, 0)
    first = days[: room + 1]
    if first:
        rm.model.add(sum(first) <= room)
