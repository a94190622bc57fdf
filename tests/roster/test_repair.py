"""Repair: sick days, someone leaving, horizon extension; fewest changes, same team."""

from __future__ import annotations

import pytest

from roster import (
    Assignment,
    Employee,
    ExtendHorizon,
    LeavesTeam,
    ObjectiveWeights,
    ProblemError,
    RosterProblem,
    SickDays,
    Status,
    repair,
    roster_diff,
    validate,
)
from roster.solve import solve
from tests.roster.instances import problem, rules

# A and B cover D and E for 6 days (A on D, B on E); C is in the pool but not on the team.
TEAM_WEIGHTS = ObjectiveWeights(isolated_shift=0, night_spread=0, weekend_spread=0)
PUBLISHED = tuple(
    Assignment(d, s, "K1", who) for d in range(6) for s, who in (("D", "A"), ("E", "B"))
)


def six_days() -> RosterProblem:
    return problem(
        6,
        [(d, s) for d in range(6) for s in ("D", "E")],
        employees=[Employee("A"), Employee("B"), Employee("C")],
        rule_set=rules(min_rest_minutes=11 * 60),
        weights=TEAM_WEIGHTS,
    )


def test_published_roster_is_legal() -> None:
    assert validate(six_days(), PUBLISHED) == []


def test_sick_day_changes_only_that_day_and_prefers_the_team() -> None:
    # A is sick on day 3. B is on E that day and cannot do both; the cheapest repair is
    # one new assignment on day 3 D. B taking D would also need E covered (two changes),
    # so C takes D on day 3: 2 changes (A removed, C added), only day 3.
    fixed = repair(six_days(), PUBLISHED, SickDays("A", (3,)), time_limit=10, seed=1)
    assert fixed.result.found
    assert validate(fixed.problem, fixed.result.roster) == []
    assert fixed.changed_days == (3,)
    assert fixed.changed_assignments == 2
    (entry,) = fixed.diff
    assert (entry.day, entry.shift, entry.removed, entry.added) == (3, "D", ("A",), ("C",))
    assert fixed.result.uncovered == ()


def test_repair_prefers_someone_already_on_the_team() -> None:
    # Day 3 has only D. If A is sick there, B (on the team, free that day) takes it
    # rather than C (new face).
    p = problem(
        6,
        [(d, s) for d in range(6) for s in ("D", "E") if (d, s) != (3, "E")],
        employees=[Employee("A"), Employee("B"), Employee("C")],
        weights=TEAM_WEIGHTS,
    )
    published = tuple(a for a in PUBLISHED if (a.day, a.shift) != (3, "E"))
    fixed = repair(p, published, SickDays("A", (3,)), time_limit=10, seed=1)
    assert validate(fixed.problem, fixed.result.roster) == []
    (entry,) = fixed.diff
    assert entry.added == ("B",)


def test_leaving_the_team_reassigns_from_that_day() -> None:
    fixed = repair(six_days(), PUBLISHED, LeavesTeam("A", 4), time_limit=10, seed=1)
    assert validate(fixed.problem, fixed.result.roster) == []
    assert not any(a.employee == "A" and a.day >= 4 for a in fixed.result.roster)
    assert set(fixed.changed_days) == {4, 5}
    assert fixed.result.uncovered == ()


def test_frozen_days_are_not_touched() -> None:
    # With days before 2 frozen, even a change there would not be allowed.
    fixed = repair(
        six_days(), PUBLISHED, SickDays("A", (3,)), time_limit=10, seed=1, freeze_before_day=2
    )
    kept = {a for a in fixed.result.roster if a.day < 2}
    assert kept == {a for a in PUBLISHED if a.day < 2}


def test_extend_horizon_repeats_the_last_week_and_keeps_the_published_part() -> None:
    base = problem(
        7,
        [(d, "D") for d in range(7)],
        employees=[Employee("A"), Employee("B")],
        weights=TEAM_WEIGHTS,
    )
    published = tuple(Assignment(d, "D", "K1", "A") for d in range(7))
    fixed = repair(base, published, ExtendHorizon(7), time_limit=10, seed=1)
    assert fixed.problem.days == 14
    assert len(fixed.problem.cover) == 14
    assert validate(fixed.problem, fixed.result.roster) == []
    assert all(d >= 7 for d in fixed.changed_days)
    assert len(fixed.result.roster) == 14


def test_bad_change_is_rejected_with_the_field() -> None:
    with pytest.raises(ProblemError, match="unknown employee 'Z'"):
        repair(six_days(), PUBLISHED, SickDays("Z", (1,)), time_limit=1)
    with pytest.raises(ProblemError, match="outside horizon"):
        repair(six_days(), PUBLISHED, SickDays("A", (9,)), time_limit=1)


def test_roster_diff() -> None:
    before = (Assignment(0, "D", "K1", "A"),)
    after = (Assignment(0, "D", "K1", "B"), Assignment(1, "D", "K1", "B"))
    diff = roster_diff(before, after)
    assert [(d.day, d.removed, d.added) for d in diff] == [(0, ("A",), ("B",)), (1, (), ("B",))]


def test_repair_bound_and_progress_leave_the_changes_out_as_the_objective_does() -> None:
    # The changes level (2 changes × 10 here) is fixed before the team and rhythm levels,
    # but `objective` counts only the roster's own terms. The bound and every progress
    # report must be on that same scale: a bound of objective + 20 would claim more
    # than the roster costs.
    fixed = repair(six_days(), PUBLISHED, SickDays("A", (3,)), time_limit=10, seed=1)
    reports: list[tuple[int, int]] = []
    result = solve(
        fixed.problem,
        time_limit=10,
        seed=1,
        reference=PUBLISHED,
        on_solution=lambda objective, bound: reports.append((objective, bound)),
    )
    assert result.status == Status.OPTIMAL and result.objective is not None
    assert result.terms["changes"] == 2
    assert result.bound == result.objective
    assert reports and reports[-1] == (result.objective, result.bound)
    assert all(bound <= objective for objective, bound in reports)
    assert all(bound <= result.objective for _, bound in reports)
