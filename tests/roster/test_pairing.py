"""Weekend-pairing chains (`roster.pairing`) on a week of two employees."""

from __future__ import annotations

import math
import random

from roster import Assignment, RosterProblem, total, validate
from roster.best_responses import BestResponses, first_roster
from roster.clock import Deadline
from roster.decomposed import _pairing_spell, pairing_pays
from roster.interrupt import Interrupt
from roster.pairing import MIN_PAIRINGS, Pairing, chain, improve, pairings
from roster.read_nrp import parse_nrp
from tests.roster.instances import FAR


def week(sunday_required: int) -> RosterProblem:
    """A week from Monday, one shift D (8 h). A: at most two D, one weekend. B: exactly
    one D (480 minutes at least and at most), no weekend. One D demanded on Monday
    (weight 100), Saturday (150) and Sunday (`sunday_required`, 100); over-cover 1 a
    person on every day."""
    lines = ["SECTION_HORIZON", "7", "", "SECTION_SHIFTS", "D,480,", ""]
    lines += ["SECTION_STAFF", "A,D=2,2400,0,7,1,1,1", "B,D=1,480,480,7,1,1,0", ""]
    required = {0: (1, 100), 5: (1, 150), 6: (sunday_required, 100)}
    lines += ["SECTION_COVER"]
    lines += [
        f"{d},D,{required.get(d, (0, 100))[0]},{required.get(d, (0, 100))[1]},1" for d in range(7)
    ]
    return parse_nrp("\n".join(lines) + "\n", name="week")


#: A works Monday and Saturday (its weekend on one day), B Tuesday (one over).
START = (
    Assignment(0, "D", "ward", "A"),
    Assignment(1, "D", "ward", "B"),
    Assignment(5, "D", "ward", "A"),
)


def responses_from(p: RosterProblem) -> BestResponses:
    search = BestResponses(p)
    assert first_roster(p, FAR, responses=search) is not None
    search.adopt(START)
    return search


def test_a_one_day_weekend_is_paired_and_its_monday_taken_over() -> None:
    # From START: Sunday short (100) and Tuesday one over (1): 101. No best response
    # alone gains: A trading Monday for Sunday is a tie (100 each), B trading Tuesday
    # for Monday too (1 over each). The chain forces A onto Sunday (Saturday 150 kept
    # over Monday 100 within A's two D), then B, who may take the Monday A left, onto
    # it (its one D: Tuesday given up): nothing short, nobody over, 0; 101 less.
    p = week(sunday_required=1)
    search = responses_from(p)
    assert total(p, START) == 101
    assert search.rounds(FAR) is False  # the best responses' local optimum
    search.adopt(START)
    assert pairings(search) == [Pairing("A", 6, search.column["D"])]
    assert chain(search, pairings(search)[0], random.Random(0), FAR) is True
    roster = search.roster()
    assert validate(p, roster) == []
    assert total(p, roster) == 0 == search.objective()
    assert set(roster) == {
        Assignment(0, "D", "ward", "B"),
        Assignment(5, "D", "ward", "A"),
        Assignment(6, "D", "ward", "A"),
    }


def test_improve_tries_each_pairing_once_it_no_longer_pays() -> None:
    # The same week through `improve`: the one pairing kept, after which A works both
    # weekend days and no pairing is left
    p = week(sunday_required=1)
    search = responses_from(p)
    assert improve(search, FAR, min_pairings=1) == (1, 1)
    assert total(p, search.roster()) == 0
    assert pairings(search) == []


def test_no_pairing_where_the_weekend_day_off_is_not_short() -> None:
    # Sunday not demanded: A's one-day weekend has nothing short to pair with; the
    # roster stays START (Tuesday one over: 1)
    p = week(sunday_required=0)
    search = responses_from(p)
    assert pairings(search) == []
    assert improve(search, FAR, min_pairings=1) == (0, 0)
    assert search.roster() == START
    assert total(p, search.roster()) == 1


def test_no_chains_where_the_roster_holds_fewer_pairings_than_asked() -> None:
    # The pairing of the first week (101 -> 0 when chained) is one of fewer than
    # `MIN_PAIRINGS`: `improve` leaves START as it is
    p = week(sunday_required=1)
    search = responses_from(p)
    assert len(pairings(search)) == 1 < MIN_PAIRINGS
    assert improve(search, FAR) == (0, 0)
    assert search.roster() == START
    assert total(p, search.roster()) == 101


def test_another_spell_of_chains_while_they_gain_faster_than_the_windows() -> None:
    # 300 in 10 s is 30 a second, more than the sweep's 20: another spell
    assert pairing_pays(gained=300, seconds=10.0, sweep_rate=20.0) is True
    # a sweep that gained nothing: any gain earns another spell
    assert pairing_pays(gained=1, seconds=15.0, sweep_rate=0.0) is True


def test_no_other_spell_once_they_gain_slower_than_the_windows_or_not_at_all() -> None:
    # 100 in 10 s is 10 a second, less than the sweep's 20: the windows again
    assert pairing_pays(gained=100, seconds=10.0, sweep_rate=20.0) is False
    # nothing gained (no chain kept), even after a sweep that gained nothing
    assert pairing_pays(gained=0, seconds=15.0, sweep_rate=0.0) is False


def weeks_of(pairs: int) -> RosterProblem:
    """`week(1)` with `pairs` copies of A and of B and every demand times `pairs`."""
    lines = ["SECTION_HORIZON", "7", "", "SECTION_SHIFTS", "D,480,", "", "SECTION_STAFF"]
    lines += [f"A{i},D=2,2400,0,7,1,1,1" for i in range(pairs)]
    lines += [f"B{i},D=1,480,480,7,1,1,0" for i in range(pairs)]
    required = {0: (pairs, 100), 5: (pairs, 150), 6: (pairs, 100)}
    lines += ["", "SECTION_COVER"]
    lines += [
        f"{d},D,{required.get(d, (0, 100))[0]},{required.get(d, (0, 100))[1]},1" for d in range(7)
    ]
    return parse_nrp("\n".join(lines) + "\n", name="weeks")


def spell(
    p: RosterProblem, start: tuple[Assignment, ...]
) -> tuple[tuple[Assignment, ...], int, int]:
    search = BestResponses(p)
    assert first_roster(p, FAR, responses=search) is not None
    with Interrupt() as interrupt:
        return _pairing_spell(
            p,
            search,
            start,
            int(total(p, start)),
            Deadline(FAR),
            interrupt,
            lambda whole, roster: math.inf if validate(whole, roster) else total(whole, roster),
            seed=0,
        )


def test_a_spell_pairs_weekends_and_returns_the_roster_s_value() -> None:
    # `MIN_PAIRINGS` copies of the first week: each A on Monday and Saturday, each B on
    # Tuesday (101 each, as in the first test). Each chain kept pairs an A's weekend
    # and moves a B onto the Monday it leaves: 101 less a chain. (Not all ten: once
    # some A work both weekend days, they rank among the partners who may take a
    # Monday, and taking it breaks their weekend.) The spell returns the roster's
    # value, not its gain
    p = weeks_of(MIN_PAIRINGS)
    start = tuple(
        sorted(
            [Assignment(d, "D", "ward", f"A{i}") for i in range(MIN_PAIRINGS) for d in (0, 5)]
            + [Assignment(1, "D", "ward", f"B{i}") for i in range(MIN_PAIRINGS)]
        )
    )
    assert total(p, start) == 101 * MIN_PAIRINGS
    roster, value, kept = spell(p, start)
    assert kept >= 1
    assert value == total(p, roster) == 101 * (MIN_PAIRINGS - kept)
    assert validate(p, roster) == []
    paired = {a.employee for a in roster if a.day == 6}
    assert len(paired) == kept and all(e.startswith("A") for e in paired)


def test_a_spell_with_too_few_pairings_returns_the_roster_and_its_value() -> None:
    # One copy: a single pairing, fewer than `MIN_PAIRINGS`: no chain, START and 101
    assert spell(week(sunday_required=1), START) == (START, 101, 0)
