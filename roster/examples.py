"""Deterministic synthetic døgnindsats problems (for benchmarks, tests and notebooks).

No real people: consultants are `C01`, `C02`, … with languages drawn from a fixed list
that mirrors the provider's largest languages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from roster.problem import Case, CoverDemand, Employee, ObjectiveWeights, RosterProblem, RosterRules
from roster.templates import ShiftType, template

#: (tag, share of consultants speaking it) — Danish for everybody, then the big ones.
_LANGUAGES = [
    ("ar-IQ", 0.2),
    ("ar-SY", 0.1),
    ("uk", 0.15),
    ("prs", 0.12),
    ("fa", 0.08),
    ("ckb", 0.12),
    ("kmr", 0.06),
    ("so", 0.12),
    ("ti", 0.08),
    ("tr", 0.06),
    ("ps", 0.05),
]
CASE_LANGUAGES = ("ar-IQ", "uk", "prs", "ckb", "so", "ti")


def synthetic_pool(size: int, seed: int = 0) -> tuple[Employee, ...]:
    rng = random.Random(seed)
    pool = []
    for i in range(size):
        langs = ["da"] + [tag for tag, share in _LANGUAGES if rng.random() < share]
        contract = rng.choice([37, 37, 37, 32, 30]) * 60
        pool.append(
            Employee(
                id=f"C{i + 1:02d}",
                contract_minutes_per_week=contract,
                works_nights=rng.random() < 0.8,
                languages=tuple(langs),
                gender=rng.choice(["female", "male"]),
            )
        )
    return tuple(pool)


def with_history(
    pool: tuple[Employee, ...], weeks: int, shift_types: tuple[ShiftType, ...]
) -> tuple[Employee, ...]:
    """`pool` after `weeks` of an earlier roster: consultant i worked one shift type (a
    day shift if they take no nights) four days on, three off, the pattern shifted by i,
    up to the day before the horizon. Their shifts become `Employee.history`, with the
    runs of days and nights that reach day -1."""
    days = range(-weeks * 7, 0)
    day_shift = next(s for s in shift_types if not s.night)
    out = []
    for i, e in enumerate(pool):
        shift = shift_types[(i // 2) % len(shift_types)]
        if shift.night and not e.works_nights:
            shift = day_shift
        worked = [d for d in days if (d + i) % 7 < 4]
        run = 0
        while -(run + 1) in worked:
            run += 1
        out.append(
            dataclasses.replace(
                e,
                history=tuple(shift.span(d) for d in worked),
                worked_days_before=run,
                nights_before=run if shift.night else 0,
            )
        )
    return tuple(out)


def dognindsats_problem(
    cases: int = 1,
    pool_size: int = 40,
    weeks: int = 8,
    template_name: str = "3x8",
    seed: int = 0,
    start: dt.date = dt.date(2026, 1, 5),
    weights: ObjectiveWeights | None = None,
    rules: RosterRules | None = None,
    history_weeks: int = 0,
) -> RosterProblem:
    """`cases` concurrent døgnindsats, one consultant per shift, from one pool;
    `history_weeks` of an earlier roster before it (`with_history`)."""
    shifts = template(template_name)
    days = weeks * 7
    pool = synthetic_pool(pool_size, seed)
    if history_weeks:
        pool = with_history(pool, history_weeks, shifts)
    case_list = tuple(
        Case(f"K{k + 1}", language=CASE_LANGUAGES[k % len(CASE_LANGUAGES)]) for k in range(cases)
    )
    cover = tuple(
        CoverDemand(case=c.id, day=d, shift=s.id, required=1)
        for c in case_list
        for d in range(days)
        for s in shifts
    )
    return RosterProblem(
        start_date=start,
        days=days,
        shift_types=shifts,
        employees=pool,
        cases=case_list,
        cover=cover,
        rules=rules or RosterRules(),
        weights=weights or ObjectiveWeights(),
    )
