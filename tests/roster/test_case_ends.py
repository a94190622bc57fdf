"""A case ends: `roster.repair.CaseEnds` cuts its later shifts through the repair."""

from __future__ import annotations

from roster import (
    Assignment,
    Case,
    Employee,
    ObjectiveWeights,
    ProblemError,
    RosterProblem,
    validate,
)
from roster.repair import CaseEnds, apply_change
from tests.roster.instances import problem, rules
from tests.roster.test_repair import repaired

WEIGHTS = ObjectiveWeights(isolated_shift=0, night_spread=0, weekend_spread=0)
# Two homes for 4 days, D and E each; A and B in K1, C and X in K2.
PUBLISHED = tuple(
    Assignment(d, s, case, who)
    for d in range(4)
    for s, case, who in (("D", "K1", "A"), ("E", "K1", "B"), ("D", "K2", "C"), ("E", "K2", "X"))
)


def two_homes() -> RosterProblem:
    return problem(
        4,
        [(d, s, c) for d in range(4) for s in ("D", "E") for c in ("K1", "K2")],
        employees=[Employee(e) for e in "ABCX"],
        rule_set=rules(min_rest_minutes=11 * 60),
        weights=WEIGHTS,
        cases=(Case("K1"), Case("K2")),
    )


def test_a_case_ending_after_day_1_loses_exactly_its_later_shifts() -> None:
    # K1 ends after day 1: its 4 shifts on days 2-3 go (4 changes, all forced); nothing
    # else changes, since every other change would count one more.
    cut = repaired(two_homes(), PUBLISHED, CaseEnds("K1", last_day=1))
    assert cut.result.found and validate(cut.problem, cut.result.roster) == []
    expected = tuple(a for a in PUBLISHED if a.case == "K2" or a.day <= 1)
    assert tuple(sorted(cut.result.roster)) == tuple(sorted(expected))
    assert cut.changed_assignments == 4 and cut.changed_days == (2, 3)
    assert all(not d.added for d in cut.diff)


def test_a_case_ending_on_the_last_day_changes_nothing() -> None:
    cut = repaired(two_homes(), PUBLISHED, CaseEnds("K1", last_day=3))
    assert tuple(sorted(cut.result.roster)) == tuple(sorted(PUBLISHED))
    assert cut.changed_assignments == 0


def test_an_unknown_case_is_refused_naming_the_field() -> None:
    try:
        apply_change(two_homes(), CaseEnds("K9", last_day=1))
    except ProblemError as refused:
        assert "change.case" in str(refused)
    else:
        raise AssertionError("an unknown case was accepted")
