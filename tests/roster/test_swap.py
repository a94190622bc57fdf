"""The repair's exact first step: a lost shift given to one other consultant (`roster.swap`)."""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import pytest

from roster import Assignment, Employee, RepairWeights, SickDays, SolveStatus, validate
from roster.repair import apply_change
from roster.result import RosterResult
from roster.swap import direct_swap
from tests.roster.instances import problem, rules
from tests.roster.test_repair import PUBLISHED, TEAM_WEIGHTS, repaired, six_days

# the package exports the function `repair`, which hides the module of the same name
repair_module = importlib.import_module("roster.repair")


def _no_search(*args: Any, **kwargs: Any) -> RosterResult:
    raise AssertionError("the direct swap should have answered without a search")


def test_a_sick_day_is_repaired_by_one_proven_swap_without_a_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # six_days: A on D, B on E, days 0-5; C in the pool. A is sick on day 3. B cannot
    # take D too (one shift a day, 11 h rest), so C takes day 3 D: the one direct swap,
    # cost 10 (the change) + 5 (C new to the team). Any other roster with full cover
    # changes one more assignment (≥ 10 more), so this is the optimum, found without
    # CP-SAT (the search is made to fail the test if it runs).
    monkeypatch.setattr(repair_module, "solve", _no_search)
    fixed = repaired(six_days(), PUBLISHED, SickDays("A", (3,)))
    assert fixed.result.status == SolveStatus.OPTIMAL
    assert fixed.result.bound == fixed.result.objective
    assert fixed.changed_assignments == 2
    assert fixed.changed_days == (3,)
    (entry,) = fixed.diff
    assert (entry.day, entry.shift, entry.removed, entry.added) == (3, "D", ("A",), ("C",))
    assert fixed.result.uncovered == ()
    assert validate(fixed.problem, fixed.result.roster) == []


def test_a_shift_nobody_can_take_is_reported_uncovered() -> None:
    # Only A and B: A is sick on day 3 and B works E that day. B moving to D would leave
    # E short instead, with two more changes; so D stays uncovered, the only change A's
    # dropped shift, and the repair says so.
    p = problem(
        6,
        [(d, s) for d in range(6) for s in ("D", "E")],
        employees=[Employee("A"), Employee("B")],
        rule_set=rules(min_rest_minutes=11 * 60),
        weights=TEAM_WEIGHTS,
    )
    fixed = repaired(p, PUBLISHED, SickDays("A", (3,)))
    assert fixed.result.found
    assert fixed.result.status == SolveStatus.OPTIMAL
    assert [(u.day, u.shift, u.missing) for u in fixed.result.uncovered] == [(3, "D", 1)]
    assert fixed.changed_assignments == 1
    (entry,) = fixed.diff
    assert (entry.day, entry.shift, entry.removed, entry.added) == (3, "D", ("A",), ())


def test_nobody_to_swap_in_is_not_proven() -> None:
    # the same two-person pool: the swap step finds no taker and claims nothing
    p = problem(
        6,
        [(d, s) for d in range(6) for s in ("D", "E")],
        employees=[Employee("A"), Employee("B")],
        rule_set=rules(min_rest_minutes=11 * 60),
        weights=TEAM_WEIGHTS,
    )
    changed = apply_change(p, SickDays("A", (3,)))
    lost = Assignment(3, "D", "K1", "A")
    kept = tuple(a for a in PUBLISHED if a != lost)
    swap = direct_swap(changed, PUBLISHED, kept, [lost], RepairWeights())
    assert swap is not None
    assert not swap.proven
    assert swap.unfilled == (lost,)
    assert set(swap.roster) == set(kept)


def test_the_team_member_is_swapped_in_before_a_new_face() -> None:
    # day 3 has only D: B (on the team, free that day) costs 10, C (new) 15
    p = problem(
        6,
        [(d, s) for d in range(6) for s in ("D", "E") if (d, s) != (3, "E")],
        employees=[Employee("A"), Employee("B"), Employee("C")],
        weights=TEAM_WEIGHTS,
    )
    published = tuple(a for a in PUBLISHED if (a.day, a.shift) != (3, "E"))
    changed = apply_change(p, SickDays("A", (3,)))
    lost = Assignment(3, "D", "K1", "A")
    swap = direct_swap(
        changed, published, tuple(a for a in published if a != lost), [lost], RepairWeights()
    )
    assert swap is not None and swap.proven
    assert Assignment(3, "D", "K1", "B") in swap.roster


def test_a_held_shift_is_not_swapped_and_nothing_is_proven() -> None:
    # the only taker, C, is held off day 3 D (a frozen shift): nobody takes it
    changed = apply_change(six_days(), SickDays("A", (3,)))
    lost = Assignment(3, "D", "K1", "A")
    kept = tuple(a for a in PUBLISHED if a != lost)
    swap = direct_swap(
        changed, PUBLISHED, kept, [lost], RepairWeights(), fixed={("C", 3, "D", "K1"): False}
    )
    assert swap is not None and not swap.proven
    assert swap.unfilled == (lost,)


def test_a_weighted_sum_is_not_proven_by_a_swap() -> None:
    # without lexicographic levels more changes may buy a better rhythm: no proof
    weights = dataclasses.replace(TEAM_WEIGHTS, lexicographic=False)
    changed = dataclasses.replace(apply_change(six_days(), SickDays("A", (3,))), weights=weights)
    lost = Assignment(3, "D", "K1", "A")
    kept = tuple(a for a in PUBLISHED if a != lost)
    swap = direct_swap(changed, PUBLISHED, kept, [lost], RepairWeights())
    assert swap is not None and not swap.proven
    assert Assignment(3, "D", "K1", "C") in swap.roster


def test_a_search_short_of_cover_never_beats_the_swap(monkeypatch: pytest.MonkeyPatch) -> None:
    # A is sick on days 2 and 3: two lost shifts, swapped one after the other (C takes
    # both), not proven, so the searches run. They are made to return the roster without
    # A's shifts (two shifts uncovered, as a starved search did); the swapped roster,
    # full cover, is returned instead, FEASIBLE.
    real_solve = repair_module.solve

    def starved(*args: Any, **kwargs: Any) -> RosterResult:
        result = real_solve(*args, **kwargs)
        kept = tuple(a for a in PUBLISHED if not (a.employee == "A" and a.day in (2, 3)))
        return dataclasses.replace(
            result,
            status=SolveStatus.FEASIBLE,
            roster=kept,
            uncovered=repair_module.roster_result(args[0], kept, seconds=0).uncovered,
        )

    monkeypatch.setattr(repair_module, "solve", starved)
    fixed = repaired(six_days(), PUBLISHED, SickDays("A", (2, 3)))
    assert fixed.result.status == SolveStatus.FEASIBLE
    assert fixed.result.uncovered == ()
    assert fixed.changed_assignments == 4
    assert [(d.day, d.added) for d in fixed.diff] == [(2, ("C",)), (3, ("C",))]


def test_more_ties_than_compared_are_not_proven(monkeypatch: pytest.MonkeyPatch) -> None:
    # C and D (both new to the team, both free) tie on cover and changes; with only one
    # compared the first by id, C, takes the shift, but the swap proves nothing
    p = dataclasses.replace(
        six_days(), employees=(Employee("A"), Employee("B"), Employee("C"), Employee("D"))
    )
    changed = apply_change(p, SickDays("A", (3,)))
    lost = Assignment(3, "D", "K1", "A")
    kept = tuple(a for a in PUBLISHED if a != lost)
    every_tie = direct_swap(changed, PUBLISHED, kept, [lost], RepairWeights())
    assert every_tie is not None and every_tie.proven
    monkeypatch.setattr("roster.swap.MAX_TIED", 1)
    swap = direct_swap(changed, PUBLISHED, kept, [lost], RepairWeights())
    assert swap is not None and not swap.proven
    assert Assignment(3, "D", "K1", "C") in swap.roster
