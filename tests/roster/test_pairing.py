"""Groups chosen by who can pair a weekend (`roster.pairing`), and the employee-group
LNS searching them (`roster.groups.improve(targeted=)`)."""

from __future__ import annotations

import random

from roster import groups, pairing, total, validate
from roster.clock import Deadline
from roster.problem import RosterProblem
from tests.roster.instances import nrp_roster
from tests.roster.test_groups import _solver, three_of_one_shift
from tests.roster.test_windows import generated_nrp

# two weeks from a Monday: the weekends are days 5-6 and 12-13
ONE_WEEKEND_EACH = {
    "E0": "-----D--------",  # Saturday only of weekend 0: can pair it
    "E1": "-----DD-------",  # the whole of weekend 0: cannot
    "E2": "--------------",  # off, an allowance left: can
    "E3": "------------DD",  # off weekend 0 but its one weekend used on weekend 1: cannot
}


def test_those_with_one_day_or_an_allowance_left_can_pair() -> None:
    p = generated_nrp(2, 4, max_weekends=1)
    roster = nrp_roster(ONE_WEEKEND_EACH)
    assert p.weekends == ((5, 6), (12, 13))
    assert pairing.weekend_days_worked(p, roster)["E0"] == [1, 0]
    assert sorted(pairing.can_pair(p, roster, 0)) == ["E0", "E2"]
    # weekend 1: E3 works it whole; E0 and E1 used their one weekend on weekend 0
    assert pairing.can_pair(p, roster, 1) == ["E2"]


def test_a_pairing_group_is_built_around_a_short_weekend() -> None:
    # cover 2 of D and L a day: weekend 0 is short (2 of 4 on Saturday, 1 of 4 on
    # Sunday) and so is weekend 1; those who can pair either make up the group's first
    # `PAIRING_SHARE`, random others the rest
    p = generated_nrp(2, 8, max_weekends=1)
    roster = nrp_roster(ONE_WEEKEND_EACH)
    pairers = set(pairing.can_pair(p, roster, 0)) | set(pairing.can_pair(p, roster, 1))
    for seed in range(5):
        group = pairing.pairing_group(p, roster, 5, random.Random(seed))
        assert group is not None and len(group) == 5
        assert len(group & pairers) >= round(5 * pairing.PAIRING_SHARE)


def test_no_pairing_group_when_no_weekend_is_short() -> None:
    # cover 1 of D and L a day: E2 and E3 staff weekend 0 in full, E0 and E1 weekend 1;
    # the weekdays are short, but nothing is there to pair
    p = generated_nrp(2, 4, cover=1, max_weekends=1)
    roster = nrp_roster(
        {
            "E0": "------------DD",
            "E1": "------------LL",
            "E2": "-----DD-------",
            "E3": "-----LL-------",
        }
    )
    assert pairing.pairing_group(p, roster, 2, random.Random(0)) is None


def test_a_targeted_group_is_searched_before_each_random_one() -> None:
    # The three-person week of test_groups (optimum 0: A works days 0, 1 and 5, B days
    # 2-4). Groups of 2 by the slots; a targeted group {A, B}, the two who can work D,
    # comes first and reaches the optimum at once.
    p = three_of_one_shift()
    asked: list[set[str]] = []

    def targeted(problem: RosterProblem, roster: object, size: int, rng: random.Random) -> set[str]:
        asked.append({"A", "B"})
        return {"A", "B"}

    roster, value, searched = groups.improve(
        p, (), 600, Deadline(600), _solver, total, targeted=targeted
    )
    assert validate(p, roster) == [] and value == total(p, roster) == 0
    assert asked and searched == 2 * len(asked)
    assert {a.employee for a in roster if a.day == 5} == {"A"}


def test_without_a_target_only_random_groups_are_searched() -> None:
    p = three_of_one_shift()

    def nothing(problem: RosterProblem, roster: object, size: int, rng: random.Random) -> None:
        return None

    _, value, searched = groups.improve(p, (), 600, Deadline(600), _solver, total, targeted=nothing)
    _, plain_value, plain_searched = groups.improve(p, (), 600, Deadline(600), _solver, total)
    assert (value, searched) == (plain_value, plain_searched)
