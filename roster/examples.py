"""Deterministic synthetic døgnindsats problems (for benchmarks, tests and notebooks).

No real people: consultants are `C01`, `C02`, … with languages drawn from a fixed list
that mirrors the provider's largest languages.
"""

from __future__ import annotations

import datetime as dt
import random

from roster.problem import Case, CoverDemand, Employee, ObjectiveWeights, RosterProblem, RosterRules
from roster.templates import template

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


def dognindsats_problem(
    cases: int = 1,
    pool_size: int = 40,
    weeks: int = 8,
    template_name: str = "3x8",
    seed: int = 0,
    start: dt.date = dt.date(2026, 1, 5),
    weights: ObjectiveWeights | None = None,
    rules: RosterRules | None = None,
) -> RosterProblem:
    """`cases` concurrent døgnindsats, one consultant per shift, from one pool."""
    shifts = template(template_name)
    days = weeks * 7
    pool = synthetic_pool(pool_size, seed)
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
