"""Employee-group LNS (`roster.groups`): the group's problem, its size, the search, and
`solve_in_windows` running it only when the cover alone couples the employees."""

from __future__ import annotations

import dataclasses

import pytest

from roster import groups, total, validate, windows
from roster.clock import Deadline
from roster.decomposed import Improved
from roster.problem import Roster, RosterProblem
from roster.read_nrp import parse_nrp
from roster.solve import part_solver, solve_in_windows
from tests.roster.instances import REPRODUCIBLE, nrp_roster
from tests.roster.test_windows import generated_nrp


def three_of_one_shift() -> RosterProblem:
    """A week, one shift D, one person wanted on each of days 0-5 at 100 (over-cover 1).
    A and B work at most 3 D each, B is off on day 5, C may work no D at all."""
    lines = ["SECTION_HORIZON", "7", "", "SECTION_SHIFTS", "D,480,", ""]
    lines += ["SECTION_STAFF", "A,D=3,1440,0,7,1,1,1", "B,D=3,1440,0,7,1,1,1"]
    lines += ["C,D=0,1440,0,7,1,1,1", "", "SECTION_DAYS_OFF", "B,5", ""]
    lines += ["SECTION_COVER", *(f"{d},D,1,100,1" for d in range(6))]
    return parse_nrp("\n".join(lines) + "\n", name="three")


def test_a_group_is_asked_only_for_what_the_others_leave() -> None:
    # Cover 2 of D and of L a day. E0 works D on days 0 and 1, E1 D on day 0 and L on
    # day 1; the group {E1, E2}: day 0's D asks 2 - 1 (E0) = 1, day 1's D 1, day 1's L
    # 2 (E1 is in the group), every other demand its full 2
    p = generated_nrp(1, 3)
    roster = nrp_roster({"E0": "DD-----", "E1": "DL-----"})
    sub = groups.group_problem(p, roster, {"E1", "E2"})
    assert [e.id for e in sub.employees] == ["E1", "E2"]
    asked = {(c.day, c.shift): c.required for c in sub.cover}
    assert asked[(0, "D")] == 1 and asked[(1, "D")] == 1
    assert asked[(1, "L")] == 2 and asked[(2, "D")] == 2
    assert {r.employee for r in sub.requests} == {"E1", "E2"}
    assert [c.over_weight for c in sub.cover] == [c.over_weight for c in p.cover]


def test_a_demand_the_others_staff_in_full_asks_the_group_for_nobody() -> None:
    # cover 1: E0's D on day 0 meets it, so the group asks for nobody there and each of
    # its persons there pays the over-cover weight, as in the whole roster
    p = generated_nrp(1, 3, cover=1)
    roster = nrp_roster({"E0": "D------", "E1": "D------"})
    sub = groups.group_problem(p, roster, {"E1"})
    asked = {(c.day, c.shift): c.required for c in sub.cover}
    assert asked[(0, "D")] == 0 and asked[(0, "L")] == 1
    mine = nrp_roster({"E1": "D------"})
    # E1's extra D on day 0 costs the same over-cover in the group as in the whole
    assert total(p, roster) - total(p, nrp_roster({"E0": "D------"})) == (
        total(sub, mine) - total(sub, ())
    )


def test_group_size_follows_the_slots_up_to_the_pool_less_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = generated_nrp(2, 5)  # 28 demands
    monkeypatch.setattr(groups, "GROUP_SLOTS", 28 * 3)
    assert groups.group_size(p) == 3  # the slots
    monkeypatch.setattr(groups, "GROUP_SLOTS", 28 * 100)
    assert groups.group_size(p) == 4  # the pool less one, not the whole model
    assert groups.group_size(p, slots=28 * 2) == 2  # slots given (a big pool's) win


def test_a_big_pools_slots_decide_whether_groups_are_worth_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = generated_nrp(2, 9)  # 28 demands
    monkeypatch.setattr(groups, "GROUP_SLOTS", 28 * groups.MIN_GROUP_SIZE - 1)
    assert groups.worth_grouping(p, slots=28 * groups.MIN_GROUP_SIZE)  # fires: four fit
    assert not groups.worth_grouping(p, slots=28 * groups.MIN_GROUP_SIZE - 1)  # does not


def test_groups_are_worth_it_only_when_enough_employees_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = generated_nrp(2, 9)  # 28 demands
    monkeypatch.setattr(groups, "GROUP_SLOTS", 28 * groups.MIN_GROUP_SIZE)
    assert groups.worth_grouping(p)  # fires: four fit (Instance20: eight)
    monkeypatch.setattr(groups, "GROUP_SLOTS", 28 * groups.MIN_GROUP_SIZE - 1)
    assert not groups.worth_grouping(p)  # does not: pairs or three (Instance22: pairs)


#: A group's search, reproducible (`REPRODUCIBLE`): the same roster under any load.
#: `groups.improve` ends after a pass over the pool that keeps nothing, long before
#: the deadlines below.
_solver = part_solver(0, dataclasses.replace(REPRODUCIBLE, greedy_hint=False, decompose=False))


def test_groups_reach_the_optimum_from_an_empty_roster() -> None:
    # Six persons wanted, and A and B may work three D each: the optimum staffs every
    # day once (0), and since B is off on day 5, A works it. Nobody working costs 600.
    p = three_of_one_shift()
    assert total(p, ()) == 600
    roster, value, searched = groups.improve(p, (), 600, Deadline(600), _solver, total)
    assert searched >= 1
    assert validate(p, roster) == [] and value == total(p, roster) == 0
    worked = {(a.employee, a.day) for a in roster}
    assert ("A", 5) in worked and not any(e == "C" for e, _ in worked)
    assert sorted(d for _, d in worked) == [0, 1, 2, 3, 4, 5]


def test_groups_keep_a_roster_none_of_them_improves() -> None:
    # the optimum already: every group's search finds nothing better, nothing changes
    p = three_of_one_shift()
    best = nrp_roster({"A": "DD---D-", "B": "--DDD--"})
    assert total(p, best) == 0 and validate(p, best) == []
    roster, value, _ = groups.improve(p, best, 0, Deadline(600), _solver, total)
    assert roster == best and value == 0


@pytest.mark.parametrize("case", ["fires", "rest rule", "pairs"])
def test_solve_in_windows_runs_groups_only_when_cover_alone_couples_enough(
    monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    # fires: a Curtois–Qu problem (the per-employee programme states every rule) whose
    # groups hold four; does not fire: the same with a minimum rest between shifts, a
    # rule the programme does not state (`roster.sequences.applicable`), so a group's
    # problem is not known to be exact; nor when only pairs fit
    p = generated_nrp(8, 5)
    if case == "rest rule":
        p = dataclasses.replace(p, rules=dataclasses.replace(p.rules, min_rest_minutes=660))
    if case == "pairs":
        monkeypatch.setattr(groups, "GROUP_SLOTS", 2 * len(p.cover))
    calls: list[int] = []

    def recorded(
        problem: RosterProblem, roster: Roster, value: int, *a: object, **k: object
    ) -> Improved:
        calls.append(value)
        return roster, value, 0

    def unmoved(
        problem: RosterProblem, roster: Roster, value: int, *a: object, **k: object
    ) -> Improved:
        return roster, value, 0

    monkeypatch.setattr(groups, "improve", recorded)
    monkeypatch.setattr(windows, "improve", unmoved)
    # Independent of the clock: a legal hint is the start (no programme, no rolling
    # horizon), the windows' sweep and the groups' search each run once and move
    # nothing, which ends the search whatever time is left; groups come right after
    # the windows in that one round, so a slow machine reaches them too.
    start = nrp_roster({"E1": "DD-----"})
    assert validate(p, start) == []
    result = solve_in_windows(p, time_limit=600, parameters=REPRODUCIBLE, hint=start)
    assert result.found and result.roster == start
    assert calls == ([total(p, start)] if case == "fires" else [])
