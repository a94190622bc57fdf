"""Repair: sick days, someone leaving, horizon extension; fewest changes, same team."""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import pytest

from roster import (
    Assignment,
    Change,
    Employee,
    ExtendHorizon,
    LeavesTeam,
    ObjectiveWeights,
    ProblemError,
    RosterProblem,
    SickDays,
    SolveStatus,
    repair,
    roster_diff,
    validate,
)
from roster.notice import NoticeClass, NoticeCosts
from roster.repair import RepairResult, _local_days, apply_change
from roster.result import RosterResult
from roster.solve import solve
from roster.validate import validate_repair
from tests.roster.instances import REPRODUCIBLE, problem, rules

# the package exports the function `repair`, which hides the module of the same name
repair_module = importlib.import_module("roster.repair")

# A and B cover D and E for 6 days (A on D, B on E); C is in the pool but not on the team.
TEAM_WEIGHTS = ObjectiveWeights(isolated_shift=0, night_spread=0, weekend_spread=0)
PUBLISHED = tuple(
    Assignment(d, s, "K1", who) for d in range(6) for s, who in (("D", "A"), ("E", "B"))
)


def repaired(
    p: RosterProblem, published: tuple[Assignment, ...], change: Change, **options: Any
) -> RepairResult:
    """`repair` as a reproducible search (`REPRODUCIBLE`)."""
    return repair(
        p,
        published,
        change,
        time_limit=10,
        seed=1,
        num_workers=REPRODUCIBLE.num_workers,
        deterministic=REPRODUCIBLE.deterministic,
        **options,
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
    fixed = repaired(six_days(), PUBLISHED, SickDays("A", (3,)))
    assert fixed.result.status == SolveStatus.OPTIMAL
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
    fixed = repaired(p, published, SickDays("A", (3,)))
    assert fixed.result.status == SolveStatus.OPTIMAL
    assert validate(fixed.problem, fixed.result.roster) == []
    (entry,) = fixed.diff
    assert entry.added == ("B",)


def test_leaving_the_team_reassigns_from_that_day() -> None:
    fixed = repaired(six_days(), PUBLISHED, LeavesTeam("A", 4))
    assert fixed.result.status == SolveStatus.OPTIMAL
    assert validate(fixed.problem, fixed.result.roster) == []
    assert not any(a.employee == "A" and a.day >= 4 for a in fixed.result.roster)
    assert set(fixed.changed_days) == {4, 5}
    assert fixed.result.uncovered == ()


def test_frozen_days_are_not_touched() -> None:
    # With days before 2 frozen, even a change there would not be allowed.
    fixed = repaired(six_days(), PUBLISHED, SickDays("A", (3,)), freeze_before_day=2)
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
    fixed = repaired(base, published, ExtendHorizon(7))
    assert fixed.result.status == SolveStatus.OPTIMAL
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
    fixed = repaired(six_days(), PUBLISHED, SickDays("A", (3,)))
    reports: list[tuple[int, int]] = []
    result = solve(
        fixed.problem,
        time_limit=10,
        seed=1,
        reference=PUBLISHED,
        parameters=REPRODUCIBLE,
        on_solution=lambda objective, bound: reports.append((objective, bound)),
    )
    assert result.status == SolveStatus.OPTIMAL and result.objective is not None
    assert result.terms["changes"] == 2
    assert result.bound == result.objective
    assert reports and reports[-1] == (result.objective, result.bound)
    assert all(bound <= objective for objective, bound in reports)
    assert all(bound <= result.objective for _, bound in reports)


def test_free_days_keep_every_other_day_of_the_hint() -> None:
    # A is sick on day 3, and the hint is the published roster without A's day-3 shift.
    # With only day 0 free, day 3 is fixed to the hint: its D stays uncovered and the
    # roster is the hint itself. With day 3 free, C takes D there (B is on E that day).
    sick = apply_change(six_days(), SickDays("A", (3,)))
    hint = tuple(a for a in PUBLISHED if (a.employee, a.day) != ("A", 3))
    far = solve(sick, 10, 1, hint=hint, reference=PUBLISHED, free_days={0}, parameters=REPRODUCIBLE)
    assert far.status == SolveStatus.OPTIMAL
    assert set(far.roster) == set(hint)
    assert [(u.day, u.shift, u.missing) for u in far.uncovered] == [(3, "D", 1)]
    near = solve(
        sick, 10, 1, hint=hint, reference=PUBLISHED, free_days={3}, parameters=REPRODUCIBLE
    )
    assert set(near.roster) == set(hint) | {Assignment(3, "D", "K1", "C")}
    assert near.uncovered == ()


def test_local_days_are_the_changed_days_and_their_neighbours_not_yet_worked() -> None:
    p = six_days()
    assert _local_days(p, SickDays("A", (3,)), 0) == {1, 2, 3, 4, 5}
    assert _local_days(p, SickDays("A", (3,)), 2) == {2, 3, 4, 5}
    assert _local_days(p, LeavesTeam("A", 5), 0) == {3, 4, 5}
    extended = apply_change(p, ExtendHorizon(3))
    assert _local_days(extended, ExtendHorizon(3), 0) == {4, 5, 6, 7, 8}


def test_repair_keeps_the_local_roster_when_the_whole_horizon_finds_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The whole-horizon search is made to run out of time (UNKNOWN, no roster), as it
    # did on a slow machine; the local search's roster (C on day 3 D) is returned,
    # FEASIBLE and without a bound, as it is optimal only within its days. (The direct
    # swap, which would answer first, is switched off: tests/roster/test_swap.py.)
    real_solve = repair_module.solve
    monkeypatch.setattr(repair_module, "direct_swap", lambda *args, **kwargs: None)

    def whole_horizon_times_out(*args: Any, **kwargs: Any) -> RosterResult:
        result = real_solve(*args, **kwargs)
        if kwargs["free_days"] is None:
            return dataclasses.replace(result, status=SolveStatus.UNKNOWN, roster=(), uncovered=())
        return result

    monkeypatch.setattr(repair_module, "solve", whole_horizon_times_out)
    fixed = repaired(six_days(), PUBLISHED, SickDays("A", (3,)))
    assert fixed.result.status == SolveStatus.FEASIBLE
    assert fixed.result.bound is None
    assert fixed.changed_assignments == 2
    (entry,) = fixed.diff
    assert (entry.day, entry.shift, entry.removed, entry.added) == (3, "D", ("A",), ("C",))


# ------------------------------------------------------------ notice, the past, freezing

# A works D on days 0–2, B on days 3–5, at most 3 days in a row. When A is sick on
# day 2, B can take it only by giving up one of days 3–5 (else 4 in a row), which A
# then takes (A's run 0–1 ends with the free day 2): 4 changes whichever day.
RUN_LIMIT = tuple(
    Assignment(d, "D", "K1", who) for d, who in enumerate(("A", "A", "A", "B", "B", "B"))
)
NOW = 1 * 24 * 60 + 12 * 60  # day 1, 12:00
D_START = 7 * 60


def run_limit(absences: frozenset[int] = frozenset()) -> RosterProblem:
    return problem(
        6,
        [(d, "D") for d in range(6)],
        employees=[Employee("A", absences=absences), Employee("B")],
        rule_set=rules(max_consecutive_working_days=3),
        weights=TEAM_WEIGHTS,
    )


def _changed_days(fixed: RepairResult) -> list[int]:
    return sorted({a.day for a in set(RUN_LIMIT) ^ set(fixed.result.roster)})


def _a_sick_on_day_2(
    p: RosterProblem, published: tuple[Assignment, ...], freeze_minutes: int, **options: Any
) -> RepairResult:
    """The repair of `published` when A is sick on day 2, made at `NOW` (day 1, 12:00)."""
    return repaired(
        p,
        published,
        SickDays("A", (2,)),
        now_minute=NOW,
        freeze_minutes=freeze_minutes,
        **options,
    )


def test_a_change_with_more_notice_is_cheaper() -> None:
    # notice from day 1 12:00: day 3 07:00 is 43 h ahead, day 4 67 h, day 5 91 h; with
    # "under 4 weeks" set to 3 days, only day 5 has the full notice (10 per change, the
    # others 15): B gives up day 5 and A takes it
    weights = repair_module.RepairWeights(notice=NoticeCosts(notice_minutes=3 * 24 * 60))
    p = run_limit()
    assert validate(p, RUN_LIMIT) == []
    fixed = _a_sick_on_day_2(p, RUN_LIMIT, freeze_minutes=0, weights=weights)
    assert fixed.result.status == SolveStatus.OPTIMAL
    assert validate(fixed.problem, fixed.result.roster) == []
    assert _changed_days(fixed) == [2, 5]
    assert validate_repair(fixed.problem, RUN_LIMIT, fixed.result.roster, NOW, 0) == []
    assert fixed.notice is not None
    # day 2 07:00 is 19 h ahead: A removed and B added under 24 h; day 5 with notice
    counts = {k.value: v for k, v in fixed.notice.counts.items()}
    assert counts == {"under_24_hours": 2, "under_4_weeks": 0, "later": 2}
    # B's 8 h on day 2 pay 100 %; A's day 5 nothing
    assert fixed.notice.supplement_hours == 8


def test_notice_classes_and_supplements() -> None:
    costs = NoticeCosts()
    assert costs.notice_class(24 * 60 - 1) is NoticeClass.UNDER_24_HOURS
    assert costs.notice_class(24 * 60) is NoticeClass.UNDER_4_WEEKS
    assert costs.notice_class(28 * 24 * 60 - 1) is NoticeClass.UNDER_4_WEEKS
    assert costs.notice_class(28 * 24 * 60) is NoticeClass.LATER
    assert [costs.change_weight(10, c) for c in NoticeClass] == [20, 15, 10]


def test_a_frozen_shift_is_kept_even_if_cover_suffers() -> None:
    # A cannot work days 4–5, so the only repair is B on day 2 and A on day 3: both
    # within 48 h of now. Frozen for 48 h (to day 3 12:00), day 3 keeps B; day 2 was
    # taken from A by the change, so it is open, but B cannot take it (4 days in a
    # row) and A is sick: day 2 stays uncovered, A's removal the only change
    p = run_limit(frozenset({4, 5}))
    published = tuple(a for a in RUN_LIMIT if a.day not in (4, 5) or a.employee == "B")
    frozen = _a_sick_on_day_2(p, published, freeze_minutes=48 * 60)
    assert frozen.result.status == SolveStatus.OPTIMAL
    assert {(u.day, u.missing) for u in frozen.result.uncovered} == {(2, 1)}
    assert set(frozen.result.roster) == set(published) - {Assignment(2, "D", "K1", "A")}
    assert validate_repair(frozen.problem, published, frozen.result.roster, NOW, 48 * 60) == []
    # the thawed repair below, held to the 48 h freeze, changes day 3 07:00 (43 h ahead)
    assert frozen.notice is not None and frozen.notice.counts[NoticeClass.UNDER_24_HOURS] == 1
    # not frozen: B on day 2, A on day 3 (43 h ahead, under 4 weeks), all covered
    thawed = _a_sick_on_day_2(p, published, freeze_minutes=0)
    assert thawed.result.status == SolveStatus.OPTIMAL
    assert thawed.result.uncovered == ()
    assert _changed_days(thawed) == [2, 3]
    assert validate_repair(thawed.problem, published, thawed.result.roster, NOW, 0) == []
    broken = validate_repair(thawed.problem, published, thawed.result.roster, NOW, 48 * 60)
    assert {(v.rule, v.day) for v in broken} == {("frozen_changed", 3)}
    assert thawed.notice is not None
    assert thawed.notice.supplement_hours == 8 + 4  # day 2 at 100 %, day 3 at 50 %


def test_the_past_is_never_changed() -> None:
    # A leaves the team "from day 0", told on day 2 at 00:00: days 0 and 1 were worked as
    # published; from day 2 on, C (the only one free) takes A's day shifts, B keeps E
    now = 2 * 24 * 60
    fixed = repaired(six_days(), PUBLISHED, LeavesTeam("A", 0), now_minute=now, freeze_minutes=0)
    assert fixed.result.status == SolveStatus.OPTIMAL
    assert {a for a in fixed.result.roster if a.day < 2} == {a for a in PUBLISHED if a.day < 2}
    assert not any(a.employee == "A" and a.day >= 2 for a in fixed.result.roster)
    assert fixed.result.uncovered == ()
    assert validate_repair(fixed.problem, PUBLISHED, fixed.result.roster, now, 0) == []
    # the validator: taking day 1 from A (worked yesterday) changes the past
    rewritten = tuple(a for a in fixed.result.roster if (a.day, a.employee) != (1, "A"))
    broken = validate_repair(fixed.problem, PUBLISHED, rewritten, now, 0)
    assert [(v.rule, v.day) for v in broken] == [("past_changed", 1)]
    # a sick day wholly in the past is refused, naming the field
    with pytest.raises(ProblemError, match=r"change\.days"):
        repair(six_days(), PUBLISHED, SickDays("A", (0, 1)), now_minute=now)
