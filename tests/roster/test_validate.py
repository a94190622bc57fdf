"""The independent validator against hand-made rosters that break each rule."""

from __future__ import annotations

import dataclasses

import pytest

from roster import (
    Assignment,
    CoverDemand,
    Employee,
    RosterProblem,
    RosterRules,
    ShiftType,
    validate,
)
from roster.validate import persons_short
from tests.roster.instances import problem, rules


def shifts(employee: str, *day_shift: tuple[int, str]) -> tuple[Assignment, ...]:
    return tuple(Assignment(d, s, "K1", employee) for d, s in day_shift)


def broken(p: RosterProblem, roster: tuple[Assignment, ...]) -> set[str]:
    return {v.rule for v in validate(p, roster)}


ALL_DAYS = [(d, s) for d in range(14) for s in ("D", "E", "N")]

# Limits over the 14-day horizon: 8 h/week average → 16 h; an 8 h/week contract → 16 h;
# 74 h committed of a 37 h/week contract → nothing left.


def test_a_legal_roster_passes_with_the_default_rules() -> None:
    p = problem(7, ALL_DAYS[:21], rule_set=RosterRules())
    roster = shifts("A", (0, "D"), (1, "D"), (2, "E"), (3, "E"))
    assert validate(p, roster) == []


@pytest.mark.parametrize(
    ("rule_set", "employee", "roster", "rule"),
    [
        (rules(min_rest_minutes=660), Employee("A"), [(0, "E"), (1, "D")], "min_rest"),
        (rules(min_rest_minutes=660), Employee("A"), [(0, "N"), (1, "E")], "min_rest"),
        (
            rules(weekly_rest_minutes=2100),
            Employee("A"),
            [(d, "D") for d in range(7)],
            "weekly_rest",
        ),
        (
            rules(weekly_rest_minutes=2100),
            Employee("A"),
            [(d, "D") for d in range(6)],
            "weekly_rest",
        ),
        (
            rules(max_average_weekly_minutes=8 * 60),
            Employee("A"),
            [(0, "D"), (2, "D"), (4, "D")],
            "max_minutes",
        ),
        (
            rules(within_contract=True),
            Employee("A", contract_minutes_per_week=480),
            [(0, "D"), (2, "D"), (4, "D")],
            "max_minutes",
        ),
        (
            rules(within_contract=True),
            Employee("A", committed_minutes=74 * 60),
            [(0, "D")],
            "max_minutes",
        ),
        (rules(), Employee("A", min_minutes=960), [(0, "D")], "min_minutes"),
        (
            rules(max_consecutive_nights=2),
            Employee("A"),
            [(0, "N"), (1, "N"), (2, "N")],
            "max_consecutive_nights",
        ),
        (
            rules(max_consecutive_working_days=2),
            Employee("A"),
            [(0, "D"), (1, "D"), (2, "D")],
            "max_consecutive_working_days",
        ),
        (
            rules(),
            Employee("A", max_consecutive_shifts=2),
            [(0, "D"), (1, "D"), (2, "D")],
            "max_consecutive_working_days",
        ),
        (
            rules(),
            Employee("A", min_consecutive_shifts=2),
            [(3, "D")],
            "min_consecutive_working_days",
        ),
        (
            rules(),
            Employee("A", min_consecutive_days_off=2),
            [(1, "D"), (3, "D")],
            "min_consecutive_days_off",
        ),
        (rules(), Employee("A", max_weekends=1), [(5, "D"), (12, "D")], "max_weekends"),
        (
            rules(),
            Employee("A", max_shifts_per_type={"N": 1}),
            [(0, "N"), (2, "N")],
            "max_shifts_per_type",
        ),
        (rules(), Employee("A", absences=frozenset({3})), [(3, "D")], "absence"),
        (rules(), Employee("A", works_nights=False), [(3, "N")], "night_willingness"),
        (rules(), Employee("A"), [(3, "D"), (3, "E")], "one_shift_per_day"),
        (rules(), Employee("A", busy=((3 * 1440 + 600, 3 * 1440 + 700),)), [(3, "D")], "overlap"),
    ],
)
def test_each_rule_fires(rule_set, employee, roster, rule) -> None:
    p = problem(14, ALL_DAYS, employees=[employee], rule_set=rule_set)
    assert rule in broken(p, shifts("A", *roster))
    # and the same roster is fine once the rule is off / the employee is unrestricted
    relaxed = problem(14, ALL_DAYS, employees=[Employee("A")], rule_set=rules())
    if rule != "one_shift_per_day":
        assert broken(relaxed, shifts("A", *roster)) == set()


def test_rest_before_and_after_busy_intervals() -> None:
    # Busy 02:00–05:00 on day 1: E on day 0 ends 23:00 → 3 h rest; D ends 15:00 → 11 h.
    p = problem(
        3,
        ALL_DAYS[:9],
        employees=[Employee("A", busy=((1440 + 120, 1440 + 300),))],
        rule_set=rules(min_rest_minutes=660),
    )
    assert broken(p, shifts("A", (0, "E"))) == {"min_rest"}
    assert broken(p, shifts("A", (0, "D"))) == set()


def test_max_shift_length() -> None:
    long = ShiftType("L", 7 * 60, 13 * 60)
    p = problem(1, [(0, "L")], shift_types=(long,), rule_set=rules(max_shift_minutes=720))
    assert broken(p, shifts("A", (0, "L"))) == {"max_shift_length"}


def test_forbidden_next_rotation() -> None:
    late = ShiftType("L", 0, 600, forbidden_next=("D",))
    early = ShiftType("D", 0, 480)
    p = problem(2, [(0, "L"), (1, "D"), (0, "D"), (1, "L")], shift_types=(late, early))
    assert broken(p, shifts("A", (0, "L"), (1, "D"))) == {"forbidden_next"}
    assert broken(p, shifts("A", (0, "D"), (1, "L"))) == set()


def test_overcover_and_unknown_demand() -> None:
    p = problem(1, [(0, "D")], employees=[Employee("A"), Employee("B")])
    two = (Assignment(0, "D", "K1", "A"), Assignment(0, "D", "K1", "B"))
    assert broken(p, two) == {"overcover"}
    soft = dataclasses.replace(p, cover=(CoverDemand("K1", 0, "D", 1, over_weight=1),))
    assert broken(soft, two) == set()
    assert broken(p, (Assignment(0, "E", "K1", "A"),)) == {"no_demand"}


def test_a_shift_and_a_busy_interval_at_the_same_time_are_an_overlap_not_a_crash() -> None:
    # Day 1 D is 07:00–15:00, i.e. minutes 1860..2340 — the same interval busy in
    # another roster: sorting the two used to compare the shift's day with None.
    p = problem(3, ALL_DAYS[:9], employees=[Employee("A", busy=((1860, 2340),))], rule_set=rules())
    assert broken(p, shifts("A", (1, "D"))) == {"overlap"}
    assert broken(p, shifts("A", (2, "D"))) == set()


def test_persons_short_counts_the_missing_persons_of_each_demand() -> None:
    # Two demands of two persons each: one person on day 0, nobody on day 1 → 1 + 2.
    p = problem(2, [(0, "D"), (1, "D")], employees=[Employee("A"), Employee("B")])
    p = dataclasses.replace(p, cover=tuple(dataclasses.replace(d, required=2) for d in p.cover))
    assert persons_short(p, shifts("A", (0, "D"))) == 3
    full = shifts("A", (0, "D"), (1, "D")) + shifts("B", (0, "D"), (1, "D"))
    assert persons_short(p, full) == 0
