"""The greedy warm start and the family's language: consultants on one shift of
several cases are matched to those cases again so that each has a speaker."""

from __future__ import annotations

import datetime as dt

from roster.heuristic import _swap_cases_for_language, greedy
from roster.problem import Assignment, Case, CoverDemand, Employee, RosterProblem
from roster.templates import template
from roster.validate import evaluate, validate


def two_cases(gender: str | None = None) -> RosterProblem:
    """Two cases on one day shift (day 0 of a week): K1's family speaks Ukrainian,
    K2's needs none; A speaks Danish only, B Danish and Ukrainian."""
    shifts = template("3x8")
    return RosterProblem(
        start_date=dt.date(2026, 1, 5),
        days=7,  # a week, so that a shift fits the contract pro rata
        shift_types=shifts,
        employees=(
            Employee("A", languages=("da",), gender="female"),
            Employee("B", languages=("da", "uk"), gender="male"),
        ),
        cases=(Case("K1", language="uk"), Case("K2")),
        cover=(
            CoverDemand("K1", 0, "D", 1, gender=gender),
            CoverDemand("K2", 0, "D", 1),
        ),
    )


def test_the_speaker_moves_to_the_case_that_needs_the_language() -> None:
    p = two_cases()
    wrong = [Assignment(0, "D", "K1", "A"), Assignment(0, "D", "K2", "B")]
    assert evaluate(p, tuple(wrong)).get("missing_language")
    swapped = sorted(_swap_cases_for_language(p, wrong))
    assert swapped == [Assignment(0, "D", "K1", "B"), Assignment(0, "D", "K2", "A")]
    assert validate(p, tuple(swapped)) == []
    assert not evaluate(p, tuple(swapped)).get("missing_language")


def test_a_roster_with_its_speakers_in_place_is_left_alone() -> None:
    p = two_cases()
    right = [Assignment(0, "D", "K1", "B"), Assignment(0, "D", "K2", "A")]
    assert sorted(_swap_cases_for_language(p, right)) == right


def test_a_shift_with_a_gender_demand_is_left_alone() -> None:
    # K1 asks for a female consultant on the shift: moving B there would trade the
    # language for the gender, so nothing moves
    p = two_cases(gender="female")
    wrong = [Assignment(0, "D", "K1", "A"), Assignment(0, "D", "K2", "B")]
    assert sorted(_swap_cases_for_language(p, wrong)) == wrong


def test_the_greedy_roster_staffs_each_shift_with_a_speaker() -> None:
    roster = greedy(two_cases())
    assert Assignment(0, "D", "K1", "B") in roster
    assert not evaluate(two_cases(), roster).get("missing_language")
