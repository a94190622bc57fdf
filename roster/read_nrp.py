"""Reader for the Curtois–Qu shift-scheduling text format (Instance1..24), at the edge.

Maps an instance onto the roster engine's own problem data: one case (the ward),
employees with their limits, days off as absences, shift on/off requests as requests,
cover with the file's under/over weights, no working-time rules beyond the file's own
(the rotation rule becomes `ShiftType.forbidden_next`), and the benchmark objective
(`ObjectiveWeights.benchmark()`: cover + requests only, one weighted sum).
See ../shared/benchdata/nrp/FORMAT.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from roster.problem import (
    Case,
    CoverDemand,
    Employee,
    ObjectiveWeights,
    ProblemError,
    RosterProblem,
    RosterRules,
    ShiftRequest,
)
from roster.templates import ShiftType

#: Every instance starts on a Monday; any Monday will do (holidays play no role).
NRP_START = dt.date(2024, 1, 1)
WARD = "ward"


def read_nrp(path: str | Path) -> RosterProblem:
    return parse_nrp(Path(path).read_text(encoding="utf-8"), name=str(path))


def parse_nrp(text: str, name: str = "<text>") -> RosterProblem:
    sections: dict[str, list[list[str]]] = {}
    current: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            sections[current] = []
            continue
        if current is None:
            raise ProblemError(f"{name}:{lineno}: data before the first SECTION_ line")
        sections[current].append([field.strip() for field in line.split(",")])

    def rows(section: str) -> list[list[str]]:
        return sections.get(section, [])

    def integer(value: str, where: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise ProblemError(f"{name}: {where}: {value!r} is not an integer") from None

    horizon = rows("SECTION_HORIZON")
    if not horizon:
        raise ProblemError(f"{name}: SECTION_HORIZON missing")
    days = integer(horizon[0][0], "SECTION_HORIZON")
    shift_rows = rows("SECTION_SHIFTS")
    shift_types = tuple(
        ShiftType(
            id=r[0],
            start_minute=0,  # the format has no clock times; rest comes from forbidden_next
            duration_minutes=integer(r[1], f"SECTION_SHIFTS {r[0]} length"),
            forbidden_next=tuple(s for s in (r[2].split("|") if len(r) > 2 else []) if s),
        )
        for r in shift_rows
    )
    days_off = {
        r[0]: frozenset(integer(d, f"SECTION_DAYS_OFF {r[0]}") for d in r[1:] if d)
        for r in rows("SECTION_DAYS_OFF")
    }
    employees = []
    for r in rows("SECTION_STAFF"):
        if len(r) < 8:
            raise ProblemError(f"{name}: SECTION_STAFF row {r[0]!r}: expected 8 fields")
        max_shifts = {}
        for item in r[1].split("|"):
            if item:
                sid, _, value = item.partition("=")
                max_shifts[sid] = integer(value, f"SECTION_STAFF {r[0]} MaxShifts")
        employees.append(
            Employee(
                id=r[0],
                contract_minutes_per_week=0,
                max_minutes=integer(r[2], f"SECTION_STAFF {r[0]} MaxTotalMinutes"),
                min_minutes=integer(r[3], f"SECTION_STAFF {r[0]} MinTotalMinutes"),
                max_consecutive_shifts=integer(r[4], f"SECTION_STAFF {r[0]} MaxConsecutiveShifts"),
                min_consecutive_shifts=integer(r[5], f"SECTION_STAFF {r[0]} MinConsecutiveShifts"),
                min_consecutive_days_off=integer(
                    r[6], f"SECTION_STAFF {r[0]} MinConsecutiveDaysOff"
                ),
                max_weekends=integer(r[7], f"SECTION_STAFF {r[0]} MaxWeekends"),
                absences=days_off.get(r[0], frozenset()),
                max_shifts_per_type=max_shifts,
            )
        )
    requests = [
        ShiftRequest(
            r[0], integer(r[1], "request day"), r[2], on=on, weight=integer(r[3], "request weight")
        )
        for section, on in (
            ("SECTION_SHIFT_ON_REQUESTS", True),
            ("SECTION_SHIFT_OFF_REQUESTS", False),
        )
        for r in rows(section)
    ]
    cover = tuple(
        CoverDemand(
            case=WARD,
            day=integer(r[0], "cover day"),
            shift=r[1],
            required=integer(r[2], "cover requirement"),
            under_weight=integer(r[3], "cover under weight"),
            over_weight=integer(r[4], "cover over weight"),
            needs_language=False,
        )
        for r in rows("SECTION_COVER")
    )
    return RosterProblem(
        start_date=NRP_START,
        days=days,
        shift_types=shift_types,
        employees=tuple(employees),
        cases=(Case(WARD),),
        cover=cover,
        requests=tuple(requests),
        rules=RosterRules.none(),
        weights=ObjectiveWeights.benchmark(),
        holidays_count_as_weekend=False,
    )


def replicate(problem: RosterProblem, copies: int) -> RosterProblem:
    """The same instance with its staff and cover `copies` times over: every employee
    (with their days off and requests) `copies` times, as ``ID``, ``ID~2``, ``ID~3``…,
    and every cover requirement multiplied by `copies`. Deterministic, so a benchmark
    beyond the published sizes is reproducible: Instance22 three times over is the
    364-day, 150-person stand-in of `scripts/bench_nrp.py --stand-in` (the published
    Instance24 of that size is not in ../shared/benchdata). An optimal roster of the
    original, copied, is a roster of the copy with `copies` times its objective, so
    that is an upper bound on the copy's optimum."""
    if copies < 1:
        raise ProblemError(f"copies must be at least 1, not {copies}")

    def name(eid: str, i: int) -> str:
        return eid if i == 1 else f"{eid}~{i}"

    employees = tuple(
        dataclasses.replace(e, id=name(e.id, i))
        for i in range(1, copies + 1)
        for e in problem.employees
    )
    requests = tuple(
        dataclasses.replace(r, employee=name(r.employee, i))
        for i in range(1, copies + 1)
        for r in problem.requests
    )
    cover = tuple(dataclasses.replace(c, required=c.required * copies) for c in problem.cover)
    return dataclasses.replace(problem, employees=employees, requests=requests, cover=cover)
