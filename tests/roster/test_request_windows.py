"""Request-window LNS (`roster.request_windows`): the unmet requests it looks for, and
its search meeting a request by a swap, or keeping a roster that cannot do better."""

from __future__ import annotations

import dataclasses

import pytest

from roster import groups, request_windows, total, validate
from roster.clock import Deadline
from roster.problem import RosterProblem
from roster.read_nrp import parse_nrp
from roster.solve import RosterResult, SearchParameters, solve, solve_in_windows
from tests.roster.instances import REPRODUCIBLE, nrp_roster
from tests.roster.test_windows import generated_nrp


def swap_week(day_off_for_b: bool = False) -> RosterProblem:
    """Two weeks, one shift D, one person wanted each day at 100 (over-cover 1). A and B
    each work exactly 7 D (3,360 minutes, no run limits); C may work no D. A asks for
    day 0 off (weight 3). `day_off_for_b`: B is off on day 0."""
    lines = ["SECTION_HORIZON", "14", "", "SECTION_SHIFTS", "D,480,", ""]
    lines += ["SECTION_STAFF", "A,D=14,3360,3360,14,1,1,2", "B,D=14,3360,3360,14,1,1,2"]
    lines += ["C,D=0,3360,0,14,1,1,2", "", "SECTION_DAYS_OFF"]
    lines += ["B,0"] if day_off_for_b else []
    lines += ["", "SECTION_SHIFT_ON_REQUESTS", "", "SECTION_SHIFT_OFF_REQUESTS", "A,0,D,3", ""]
    lines += ["SECTION_COVER", *(f"{d},D,1,100,1" for d in range(14))]
    return parse_nrp("\n".join(lines) + "\n", name="swap")


#: A works the first week, B the second: every day covered once, A's request unmet.
FIRST_WEEK_A = {"A": "DDDDDDD-------", "B": "-------DDDDDDD"}


def _solver(sub: RosterProblem, time_limit: float, **kwargs: object) -> RosterResult:
    """A window's search, reproducible (`REPRODUCIBLE`): the same roster under any load."""
    params = dataclasses.replace(REPRODUCIBLE, greedy_hint=False, decompose=False)
    return solve(sub, time_limit, 0, parameters=params, **kwargs)  # type: ignore[arg-type]


def test_unmet_request_cost_counts_only_the_unmet() -> None:
    p = swap_week()
    assert request_windows.unmet_request_cost(p, nrp_roster(FIRST_WEEK_A)) == {("A", 0): 3}
    met = nrp_roster({"A": "-DDDDDDD------", "B": "D-------DDDDDD"})
    assert request_windows.unmet_request_cost(p, met) == {}


def test_a_request_window_meets_a_request_by_a_swap(monkeypatch: pytest.MonkeyPatch) -> None:
    # the only unmet cost is A's day-off request (3); its window frees A (the most
    # wanting) and one other. With B, the optimum 0 swaps day 0 to B and one of B's days
    # to A: every day still staffed once, both at exactly 7 shifts. With C (who may work
    # no D) nothing can change; later windows draw B
    monkeypatch.setattr(request_windows, "GROUP_SIZE", 2)
    p = swap_week()
    start = nrp_roster(FIRST_WEEK_A)
    assert total(p, start) == 3
    roster, value, searched = request_windows.improve(
        p, start, 3, Deadline(600), _solver, total, windows=20
    )
    assert validate(p, roster) == [] and value == total(p, roster) == 0
    worked = {(a.employee, a.day) for a in roster}
    assert ("B", 0) in worked and ("A", 0) not in worked
    assert searched >= 1


def test_a_request_window_keeps_a_roster_it_cannot_improve(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # B is off on day 0 and C works no D: only A can staff day 0, and leaving it costs
    # 100 against the request's 3. Every window's search keeps the roster as it is
    monkeypatch.setattr(request_windows, "GROUP_SIZE", 2)
    p = swap_week(day_off_for_b=True)
    start = nrp_roster(FIRST_WEEK_A)
    roster, value, searched = request_windows.improve(
        p, start, 3, Deadline(600), _solver, total, windows=4
    )
    assert roster == start and value == 3 and searched == 4


@pytest.mark.parametrize("case", ["fires", "rest rule", "pool too small"])
def test_solve_in_windows_runs_request_windows_only_when_cover_alone_couples(
    monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    # fires: a Curtois–Qu problem (the per-employee programme states every rule) of
    # five with groups of two; does not fire: the same with a minimum rest between
    # shifts, a rule the programme does not state (`roster.sequences.applicable`), so
    # a group's problem is not known to be exact; nor when a group is the whole pool
    p = generated_nrp(8, 5)
    if case == "rest rule":
        p = dataclasses.replace(p, rules=dataclasses.replace(p.rules, min_rest_minutes=660))
    monkeypatch.setattr(request_windows, "GROUP_SIZE", 5 if case == "pool too small" else 2)
    monkeypatch.setattr(groups, "MIN_GROUP_SIZE", 10**9)
    calls: list[int] = []

    def recorded(problem: RosterProblem, roster: object, value: int, *a: object, **k: object):
        calls.append(value)
        return roster, value, 0

    monkeypatch.setattr(request_windows, "improve", recorded)
    # 10 s: as the groups' test (tests/roster/test_groups.py)
    result = solve_in_windows(p, time_limit=10, parameters=SearchParameters(num_workers=1))
    assert result.found and validate(p, result.roster) == []
    assert bool(calls) is (case == "fires")
