"""Several døgnindsats from one pool, re-planned one case at a time (`roster.by_case`),
on four days small enough to count by hand."""

from __future__ import annotations

import dataclasses
import itertools
import sys
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from roster import solve
from roster.by_case import (
    CaseSolver,
    _at_team_bound,
    _relieved_crew_start,
    applicable,
    case_problem,
    crews_lowest_peaks,
    improve,
    lowest_night_crew,
    own_crews,
    separate_start,
    spares,
    start_of,
    warm_start,
    with_pool_peaks,
)
from roster.heuristic import greedy
from roster.model_terms import LEVEL_TEAM
from roster.problem import Assignment, Case, Employee, ObjectiveWeights, Roster, RosterProblem
from roster.rotation import levels, relieved_rotation, rotation
from roster.rotation import warm_start as whole_warm_start
from roster.term_bound import team_bound
from roster.validate import evaluate, validate
from solving.status import SolveStatus
from tests.roster.instances import COVER_ONLY, REPRODUCIBLE, D, E, N, problem, rules
from tests.roster.test_rotation import three_and_two

#: Only the team and the blocks count: 3 per run of one shift type on consecutive days.
BLOCKS_ONLY = ObjectiveWeights(
    isolated_shift=0, face_per_time_of_day=0, night_spread=0, weekend_spread=0
)

#: One consultant on D and one on E on each of four days, for each of two cases.
TWO_CASES = problem(
    4,
    [(d, s, c) for c in ("K1", "K2") for d in range(4) for s in ("D", "E")],
    # different contracts (no hours rule counts them): no two consultants are
    # interchangeable, so the team level's symmetry breaking orders nobody
    employees=[
        Employee(e, contract_minutes_per_week=(30 + i) * 60)
        for i, e in enumerate(("A", "B", "C", "F"))
    ],
    shift_types=(D, E),
    weights=BLOCKS_ONLY,
    cases=(Case("K1"), Case("K2")),
)


def rows(case: str, plan: dict[str, str]) -> list[Assignment]:
    """`plan`: employee → the shift of each day ("-" off) on `case`."""
    return [
        Assignment(day, shift, case, employee)
        for employee, shifts in plan.items()
        for day, shift in enumerate(shifts)
        if shift != "-"
    ]


#: K1's crew alternates D and E: A DEDE and B EDED, four runs each (8 runs, 24).
#: K2's crew works one type each: C DDDD and F EEEE, one run each (2 runs, 6).
CHOPPY: Roster = tuple(
    sorted(rows("K1", {"A": "DEDE", "B": "EDED"}) + rows("K2", {"C": "DDDD", "F": "EEEE"}))
)


def crew_solver(seconds_seen: list[float]) -> CaseSolver:
    """A case's search as `roster.solve` runs it: reproducible, one worker."""

    def solve_case(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
        seconds_seen.append(seconds)
        result = solve(sub, seconds, seed=0, hint=start, parameters=REPRODUCIBLE)
        return result.roster if result.found else None

    return solve_case


def test_applicable_to_several_cases_of_one_consultant_per_shift() -> None:
    assert applicable(TWO_CASES)
    one_case = case_problem(TWO_CASES, "K1", {"A", "B"})
    assert not applicable(one_case)  # one case: nothing to split
    assert not applicable(dataclasses.replace(TWO_CASES, weights=ObjectiveWeights.benchmark()))


def test_a_crew_of_its_own_only_when_no_member_works_another_case() -> None:
    assert own_crews(CHOPPY) == {"K1": {"A", "B"}, "K2": {"C", "F"}}
    # A also takes one of K2's shifts: K1's and K2's crews share A, neither is its own
    shared = (*CHOPPY, Assignment(3, "D", "K2", "A"))
    assert own_crews(shared) == {}


def test_the_case_problem_is_the_case_staffed_by_its_crew() -> None:
    sub = case_problem(TWO_CASES, "K1", {"A", "B"})
    assert [c.id for c in sub.cases] == ["K1"]
    assert {d.case for d in sub.cover} == {"K1"} and len(sub.cover) == 8
    assert [e.id for e in sub.employees] == ["A", "B"]


def test_the_choppy_case_is_replanned_and_the_good_one_kept() -> None:
    # K1's crew of two can each take one type all four days: 2 runs (6) instead of 8
    # (24). K2 is already at its least (2 runs). Team 4 throughout, so the whole
    # roster's levels go from (0, 4, 30) to (0, 4, 12), the blocks' least.
    seen: list[float] = []
    assert levels(TWO_CASES, CHOPPY) == (0, 4, 30)
    better = improve(TWO_CASES, CHOPPY, 4.0, crew_solver(seen))
    assert levels(TWO_CASES, better) == (0, 4, 12)
    assert validate(TWO_CASES, better) == []
    k1 = {(a.employee, a.shift) for a in better if a.case == "K1"}
    assert k1 in ({("A", "D"), ("B", "E")}, {("A", "E"), ("B", "D")})
    assert sorted(a for a in better if a.case == "K2") == sorted(
        rows("K2", {"C": "DDDD", "F": "EEEE"})
    )
    assert seen == [2.0, 2.0]  # an equal part of the time for each case


def test_a_case_roster_that_costs_a_level_is_not_kept() -> None:
    # a search that drops one of the case's shifts: fewer runs, but a shift uncovered
    # (the cover level) — the roster stays as it was
    def drops_a_shift(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
        return tuple(a for a in start if a.day != 0)

    assert improve(TWO_CASES, CHOPPY, 4.0, drops_a_shift) == CHOPPY


def test_no_case_is_searched_without_a_crew_of_its_own() -> None:
    shared = tuple(sorted((*CHOPPY, Assignment(3, "D", "K2", "A"))))

    def never(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
        raise AssertionError("no case has a crew of its own")

    assert improve(TWO_CASES, shared, 4.0, never) == shared
    # crews of their own, but under `MIN_CASE_SECONDS` each: no search either
    assert improve(TWO_CASES, CHOPPY, 1.9, never) == CHOPPY


def test_solve_reaches_the_least_blocks_from_the_choppy_roster() -> None:
    # the whole solve from the choppy roster: team 4 (each case needs two people a
    # day, one a shift), then 4 runs (one per consultant), 12: 16, proven
    result = solve(TWO_CASES, 6.0, seed=0, hint=CHOPPY, parameters=REPRODUCIBLE)
    assert validate(TWO_CASES, result.roster) == []
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == 4 + 12
    assert result.terms["blocks"] == 12
    for employee in ("A", "B", "C", "F"):
        assert len({a.shift for a in result.roster if a.employee == employee}) == 1


def test_interchangeable_consultants_share_two_cases_in_a_team_of_four() -> None:
    # A, B, C and F alike (the same contract): the team level's symmetry breaking may
    # order their membership of one case, not of both (K1's crew and K2's cannot both
    # be the first two). The least team is still 4, two per case, and the least blocks
    # 4 runs (12)
    alike = dataclasses.replace(TWO_CASES, employees=tuple(Employee(e) for e in "ABCF"))
    result = solve(alike, 6.0, seed=0, parameters=REPRODUCIBLE)
    assert result.status is SolveStatus.OPTIMAL
    assert result.terms == {"team": 4, "blocks": 12}
    assert validate(alike, result.roster) == []


def count_searches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one for each priority level `solve` searches on the whole
    of TWO_CASES (each call of its `solve_stage`; the cases' own searches of
    `roster.by_case` not counted): how many levels were not proven without a search."""
    solve_module = sys.modules["roster.solve"]  # `roster.solve` names the function
    calls: list[int] = []
    search = solve_module.solve_stage

    def counted(rm: Any, *args: Any, **kwargs: Any) -> Any:
        if rm.problem is TWO_CASES:
            calls.append(1)
        return search(rm, *args, **kwargs)

    monkeypatch.setattr(solve_module, "solve_stage", counted)
    return calls


def test_a_team_level_the_hint_holds_at_its_bound_is_not_searched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # CHOPPY covers every shift (the cover level at 0, held without a search) with a
    # team of 4, two per case: each case needs two people a day (one a shift), so 4 is
    # the team's per-term bound and the level is proven by the hint itself. Only the
    # blocks are searched: 4 runs, one per consultant (12), 16 in all, proven
    searches = count_searches(monkeypatch)
    result = solve(TWO_CASES, 6.0, seed=0, hint=CHOPPY, parameters=REPRODUCIBLE)
    assert len(searches) == 1
    team = next(st for st in result.stages if st.level == LEVEL_TEAM)
    assert (team.status, team.objective, team.bound) == (SolveStatus.OPTIMAL, 4, 4)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == 4 + 12
    assert validate(TWO_CASES, result.roster) == []


def test_a_team_level_above_its_bound_is_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    # A and C trade their day 3 (C takes A's E on K1, A takes C's D on K2): every
    # shift still covered, but both on both cases make a team of 6, above the bound of
    # 4. The team level is searched (two searches: team, then the blocks) and gets
    # back to 4; 16 in all
    swapped = {
        (3, "K1", "A"): Assignment(3, "E", "K1", "C"),
        (3, "K2", "C"): Assignment(3, "D", "K2", "A"),
    }
    shared = tuple(sorted(swapped.get((a.day, a.case, a.employee), a) for a in CHOPPY))
    assert validate(TWO_CASES, shared) == [] and levels(TWO_CASES, shared)[:2] == (0, 6)
    searches = count_searches(monkeypatch)
    result = solve(TWO_CASES, 6.0, seed=0, hint=shared, parameters=REPRODUCIBLE)
    assert len(searches) == 2
    team = next(st for st in result.stages if st.level == LEVEL_TEAM)
    assert (team.status, team.objective) == (SolveStatus.OPTIMAL, 4)
    assert result.objective == 4 + 12


def test_the_roster_in_hand_is_reported_before_the_cases_are_re_planned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The cases re-planned alone take most of the last level's time, so the caller
    # hears of the roster in hand first: CHOPPY at team 4 + blocks 30 = 34, with no
    # bound beyond the team level's 4. The search then proves 16 (team 4, blocks 12);
    # each report is a better roster (the caller counts them), the proof comes with the
    # result.
    solve_module = sys.modules["roster.solve"]
    reports: list[tuple[int, int]] = []
    heard_before: list[list[tuple[int, int]]] = []
    real = solve_module._by_case

    def by_case(*args: Any, **kwargs: Any) -> Any:
        heard_before.append(list(reports))
        return real(*args, **kwargs)

    monkeypatch.setattr(solve_module, "_by_case", by_case)
    result = solve(
        TWO_CASES,
        6.0,
        seed=0,
        hint=CHOPPY,
        parameters=REPRODUCIBLE,
        on_solution=lambda value, bound: reports.append((value, bound)),
    )
    assert heard_before == [[(34, 4)]]
    assert result.status is SolveStatus.OPTIMAL and result.objective == 16
    assert reports[-1][0] == 16
    assert all(later[0] < earlier[0] for earlier, later in itertools.pairwise(reports))


#: Only the team and the night spread count (10 a night on a 37 h contract).
NIGHTS_ONLY = ObjectiveWeights(block=0, isolated_shift=0, face_per_time_of_day=0, weekend_spread=0)


def day_and_night_cases(spare: bool) -> RosterProblem:
    """Two cases of a day and a night shift on each of four days, no working-time rule:
    A takes no nights, B, C and F do; with `spare`, G (who takes nights) too."""
    staff = [Employee("A", works_nights=False)] + [Employee(e) for e in "BCF"]
    return problem(
        4,
        [(d, s, c) for c in ("K1", "K2") for d in range(4) for s in ("D", "N")],
        employees=staff + ([Employee("G")] if spare else []),
        shift_types=(D, N),
        weights=NIGHTS_ONLY,
        cases=(Case("K1"), Case("K2")),
    )


#: K1: A all days, B all nights (peak 40); K2: C and F two nights each (20).
NIGHTS_ON_B: Roster = tuple(
    sorted(rows("K1", {"A": "DDDD", "B": "NNNN"}) + rows("K2", {"C": "DNDN", "F": "NDND"}))
)


def test_idle_consultants_are_spared_to_one_case_each_in_order() -> None:
    p = day_and_night_cases(spare=True)
    assert spares(p, NIGHTS_ON_B, ["K1", "K2"]) == {"K1": {"G"}, "K2": set()}
    assert spares(p, NIGHTS_ON_B, ["K2", "K1"]) == {"K2": {"G"}, "K1": set()}
    # a case with a language is spared only its speakers
    somali = dataclasses.replace(p, cases=(Case("K1", language="so"), Case("K2")))
    assert spares(somali, NIGHTS_ON_B, ["K1", "K2"]) == {"K1": set(), "K2": {"G"}}


def test_an_idle_night_worker_takes_half_of_a_crew_s_nights() -> None:
    # K1's crew alone: A takes no nights, so B works all four (40). K1 is the costlier
    # case and is spared G: B and G two nights each (20) in a crew of two, as K2's,
    # team 4 throughout: the whole roster's levels go from (0, 4, 40) to (0, 4, 20)
    p = day_and_night_cases(spare=True)
    assert validate(p, NIGHTS_ON_B) == []
    assert levels(p, NIGHTS_ON_B) == (0, 4, 40)
    better = improve(p, NIGHTS_ON_B, 4.0, crew_solver([]))
    assert levels(p, better) == (0, 4, 20)
    assert validate(p, better) == []
    assert {a.employee for a in better if a.case == "K1" and a.shift == "N"} == {"B", "G"}


def test_without_an_idle_night_worker_the_crew_keeps_its_nights() -> None:
    p = day_and_night_cases(spare=False)
    assert levels(p, improve(p, NIGHTS_ON_B, 4.0, crew_solver([]))) == (0, 4, 40)


#: K1 from A, B and C. Present: A DEDE and B EDED, team 2, 8 runs (24). Rotated: A
#: DDD-, B EEEE and C on day 3's D, team 3, 3 runs (9).
K1_FROM_THREE = case_problem(TWO_CASES, "K1", {"A", "B", "C"})
PRESENT = tuple(sorted(rows("K1", {"A": "DEDE", "B": "EDED"})))
ROTATED = tuple(sorted(rows("K1", {"A": "DDD-", "B": "EEEE", "C": "---D"})))


def test_the_search_starts_from_a_rotation_one_member_larger_with_a_better_rhythm() -> None:
    assert levels(K1_FROM_THREE, PRESENT) == (0, 2, 24)
    assert levels(K1_FROM_THREE, ROTATED) == (0, 3, 9)
    assert start_of(K1_FROM_THREE, PRESENT, ROTATED) == ROTATED


def test_the_search_starts_from_the_present_roster_when_the_rotation_costs_more() -> None:
    # the rotation's rhythm no better: the present roster
    same_runs = tuple(sorted(rows("K1", {"A": "DEDE", "B": "EDE-", "C": "---D"})))
    assert levels(K1_FROM_THREE, same_runs) == (0, 3, 24)
    assert start_of(K1_FROM_THREE, PRESENT, same_runs) == PRESENT
    # a shift uncovered (the cover level) for fewer runs: the present roster
    uncovered = tuple(a for a in ROTATED if a.employee != "C")
    assert levels(K1_FROM_THREE, uncovered)[0] > 0
    assert start_of(K1_FROM_THREE, PRESENT, uncovered) == PRESENT
    # two members more (D on day 3 by C, E on day 3 by F): the present roster
    from_four = case_problem(TWO_CASES, "K1", {"A", "B", "C", "F"})
    four = tuple(sorted(rows("K1", {"A": "DDD-", "B": "EEE-", "C": "---D", "F": "---E"})))
    assert levels(from_four, four) == (0, 4, 12)
    assert start_of(from_four, PRESENT, four) == PRESENT


#: Two cases of a day and an evening shift on each of `days` days, and six consultants
#: of different contracts (the longest first: A, B, C, then F, G, H); `choose_teams`
#: gives K1 A, B and C, K2 F, G and H (one more than the two shift types).
def six_for_two(days: int, **on: object) -> RosterProblem:
    return problem(
        days,
        [(d, s, c) for c in ("K1", "K2") for d in range(days) for s in ("D", "E")],
        employees=[
            Employee(e, contract_minutes_per_week=(40 - i) * 60) for i, e in enumerate("ABCFGH")
        ],
        shift_types=(D, E),
        rule_set=rules(**on),
        weights=BLOCKS_ONLY,
        cases=(Case("K1"), Case("K2")),
    )


def never(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
    raise AssertionError("no case's search was due")


def test_each_case_starts_from_its_own_start_searched_when_above_the_team_s_bound() -> None:
    # 7 days under the weekly rest (35 h inside the 7-day window): a day off between
    # two day shifts or two evenings rests 40 h, between an evening and a day shift 32
    # h, so everyone works at most 6 days and each case needs 3 people (team 6), where
    # the per-term bound says 4. Each case's own start takes its three (team 6, 12
    # runs: 36), above the bound, so each case is searched alone: its 7 day shifts need
    # two people (6 at most each), its 7 evenings two, so 4 runs (12) a case are the
    # least, 24 in all. The crews are disjoint: together a legal roster of both cases.
    # Each case's search stays at three, so the crew of the bound's size is searched
    # next (two, who cannot hold the week: its start leaves shifts uncovered, so twice
    # the time), and finds no roster better by level.
    weekly = six_for_two(7, weekly_rest_minutes=35 * 60)
    alone = separate_start(weekly)
    assert alone is not None and levels(weekly, alone) == (0, 6, 36)
    seen: list[float] = []
    start = warm_start(weekly, crew_solver(seen), 2.0)
    assert seen == [2.0, 4.0, 2.0, 4.0]
    assert validate(weekly, start) == []
    assert levels(weekly, start) == (0, 6, 24)
    assert {a.employee for a in start if a.case == "K1"} == {"A", "B", "C"}
    assert {a.employee for a in start if a.case == "K2"} == {"F", "G", "H"}


def test_a_start_at_the_team_s_bound_is_taken_without_a_search() -> None:
    # no working-time rule: each case's own start has two people, one on each type all
    # 8 days (the bound: two a day), 4 runs (12); no case is searched
    free = six_for_two(8)
    start = warm_start(free, never, 2.0)
    assert start == separate_start(free)
    assert validate(free, start) == [] and levels(free, start) == (0, 4, 12)


def test_the_whole_pool_s_start_when_a_case_s_own_leaves_a_shift_uncovered() -> None:
    # K1 needs Somali and only A speaks it: alone, K1's crew is A, who cannot take both
    # shifts of a day, so eight shifts stay uncovered. The whole pool's warm start covers
    # them by the others (the language missing, which costs less than the shift): it
    # is taken, and no case is searched.
    base = six_for_two(8)
    somali = dataclasses.replace(
        base,
        cases=(Case("K1", language="so"), Case("K2")),
        employees=tuple(
            dataclasses.replace(e, languages=("so",) if e.id == "A" else ("da",))
            for e in base.employees
        ),
    )
    assert separate_start(somali) is None
    whole = whole_warm_start(somali)
    assert sum(1 for a in whole if a.case == "K1") == 16  # every shift covered
    assert warm_start(somali, never, 2.0) == whole


def test_with_a_clock_the_work_between_searches_comes_out_of_the_later_parts() -> None:
    # a stand-in clock: each search takes its part and 1 s more (the work around it:
    # the case's own warm start, the whole roster's levels). Of 6 s, K1 (the costlier,
    # first) gets 3 s; at 4 s on the clock K2 gets the 2 s left, and the whole ends at
    # 7 s, not 8. Both cases still reach their least, 12 in all
    clock = [0.0]
    seen: list[float] = []
    search = crew_solver(seen)

    def slow(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
        clock[0] += seconds + 1.0
        return search(sub, seconds, start)

    better = improve(TWO_CASES, CHOPPY, 6.0, slow, lambda: clock[0])
    assert seen == [3.0, 2.0]
    assert clock[0] == 7.0
    assert levels(TWO_CASES, better) == (0, 4, 12)


def test_a_case_whose_part_is_spent_is_not_searched() -> None:
    # the first search overruns by 2 s: of 4 s, K2 would get 0 s, under
    # MIN_CASE_SECONDS, and is not searched (K1's roster kept: 6 + K2's 6)
    clock = [0.0]
    seen: list[float] = []
    search = crew_solver(seen)

    def overrun(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
        clock[0] += seconds + 2.0
        return search(sub, seconds, start)

    better = improve(TWO_CASES, CHOPPY, 4.0, overrun, lambda: clock[0])
    assert seen == [2.0]
    assert levels(TWO_CASES, better) == (0, 4, 12)


def test_a_case_starts_from_its_crew_s_relieved_rotation_when_the_roster_is_better() -> None:
    # `four_and_one`: F1-F4 take every type, X no nights. From the plain rotation
    # (X on the night block, its nights handed on by the greedy: 298 for the rest) the
    # crew's relieved rotation (258) is the start; from itself, or from a start it
    # does not beat, the start stays; a crew all of whom take nights has none
    from tests.roster.test_rotation import four_and_one

    p = four_and_one()
    crew = {e.id for e in p.employees}
    plain, relieved = rotation(p), relieved_rotation(p)
    assert plain is not None and relieved is not None
    assert levels(p, plain) == (0, 5, 298) and levels(p, relieved) == (0, 5, 258)
    assert _relieved_crew_start(p, plain, "K1", p, crew, plain) == relieved
    assert _relieved_crew_start(p, relieved, "K1", p, crew, relieved) == relieved
    f5 = Employee("F5", contract_minutes_per_week=37 * 60)
    all_nights = dataclasses.replace(p, employees=(*p.employees[:4], f5))
    start = rotation(all_nights)
    assert start is not None
    assert relieved_rotation(all_nights, all_nights.employees) is None
    assert (
        _relieved_crew_start(all_nights, start, "K1", all_nights, crew - {"X"} | {"F5"}, start)
        == start
    )


def test_a_crew_that_may_still_shrink_keeps_its_start_rather_than_be_relieved_at_its_size() -> None:
    # `four_and_one` with two spares on 48 h: they take 27 shifts each, two of the
    # others 21, so four people hold the 96 shifts (`team_bound` 4) and the crew of five
    # may still shrink. Its relieved rotation (258 for the rest) beats the plain
    # rotation (298) only on the rhythm, at the same team of 5: the plain start is
    # kept, from which the case's search may drop a member. Without the spares the
    # crew is the fewest (5), and the relieved rotation is the start
    from tests.roster.test_rotation import four_and_one

    p = four_and_one()
    spares = tuple(Employee(f"S{i}", contract_minutes_per_week=48 * 60) for i in (1, 2))
    with_spares = dataclasses.replace(p, employees=(*p.employees, *spares))
    crew = {e.id for e in p.employees}
    plain = rotation(p)
    assert plain is not None
    assert team_bound(p) == 5 and team_bound(with_spares) == 4
    assert _relieved_crew_start(with_spares, plain, "K1", with_spares, crew, plain) == plain
    assert _relieved_crew_start(p, plain, "K1", p, crew, plain) == relieved_rotation(p)


def long_day_workers(night_hours: tuple[int, ...]) -> RosterProblem:
    """`three_and_two` with D1 and D2 (who take no nights) on 40 h: 20 shifts each."""
    p = three_and_two(night_hours)
    return dataclasses.replace(
        p,
        employees=tuple(
            dataclasses.replace(e, contract_minutes_per_week=40 * 60) if e.id[0] == "D" else e
            for e in p.employees
        ),
    )


def recording(
    calls: list[tuple[list[str], float]], answer: Callable[[Roster], Roster | None]
) -> CaseSolver:
    """A case's search that records its pool and time and answers `answer(start)`."""

    def solve_case(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
        calls.append((sorted(e.id for e in sub.employees), seconds))
        return answer(start)

    return solve_case


def test_a_search_that_stays_above_the_team_s_bound_is_followed_by_the_night_crew_s() -> None:
    # N1 and N2 on 37 h (18 shifts), N3-N5 on 30 h (15), D1 and D2 on 40 h (20), 84
    # shifts: five hold them (the bound). The greedy's start takes six, and the search
    # from it (here: answering its start) stays at six. Then the crew of five with the
    # lowest night peak: N1-N4 share the 28 nights at 80 (8, 8, 6 and 6 nights), with
    # D1 (86 shifts); three night workers with D1 and D2 would need 100. Its own warm
    # start covers every shift with five: better by level, taken
    p = long_day_workers((37, 30, 30, 30))
    part = greedy(p)
    assert levels(p, part)[:2] == (0, 6)
    everyone = ["D1", "D2", "N1", "N2", "N3", "N4", "N5"]
    calls: list[tuple[list[str], float]] = []
    found = _at_team_bound(
        p, part, recording(calls, lambda start: start), 2.0, lowest_night_crew(p)
    )
    assert calls == [(everyone, 2.0), (["D1", "N1", "N2", "N3", "N4"], 2.0)]
    assert levels(p, found)[:2] == (0, 5) and validate(p, found) == []
    assert {a.employee for a in found} == {"D1", "N1", "N2", "N3", "N4"}


def test_a_search_that_reaches_the_bound_with_as_low_a_night_peak_is_not_followed() -> None:
    # the search over the whole pool answers the night crew's own roster (five, every
    # shift covered, the nights shareable at 80): nothing for the crew's search to win
    p = long_day_workers((37, 30, 30, 30))
    crews = whole_warm_start(case_problem(p, "K1", {"D1", "N1", "N2", "N3", "N4"}))
    calls: list[tuple[list[str], float]] = []
    found = _at_team_bound(
        p, greedy(p), recording(calls, lambda start: crews), 2.0, lowest_night_crew(p)
    )
    assert [pool for pool, _ in calls] == [["D1", "D2", "N1", "N2", "N3", "N4", "N5"]]
    assert found == crews


def test_a_night_crew_short_of_its_cover_is_searched_for_twice_the_time() -> None:
    # N2 on 32 h (16 shifts) instead: the night crew (D1, N1-N4, 84 shifts for 84)
    # starts with a shift uncovered, so its search has twice the time; no search
    # finding better (answering their starts, or nothing), the start stays
    p = long_day_workers((32, 30, 30, 30))
    part = greedy(p)
    calls: list[tuple[list[str], float]] = []
    assert (
        _at_team_bound(p, part, recording(calls, lambda start: start), 2.0, lowest_night_crew(p))
        == part
    )
    assert calls == [
        (["D1", "D2", "N1", "N2", "N3", "N4", "N5"], 2.0),
        (["D1", "N1", "N2", "N3", "N4"], 4.0),
    ]
    calls.clear()
    assert (
        _at_team_bound(p, part, recording(calls, lambda start: None), 2.0, lowest_night_crew(p))
        == part
    )
    assert len(calls) == 2


def test_a_crew_whose_nights_stay_below_the_pool_s_peak_is_kept() -> None:
    # N1-N5 on 37 h: the night crew is the five of them, the 28 nights shareable at
    # 60 (6 each); the search answers D1 with N1-N4 (every shift covered, team 5), whose
    # nights need 70. Alone, the night crew's search follows; with another case's
    # night crew at 70 (the pool's peak at least that), it is not run
    p = three_and_two((37, 37, 37, 37))
    four = whole_warm_start(case_problem(p, "K1", {"D1", "N1", "N2", "N3", "N4"}))
    assert levels(p, four)[:2] == (0, 5)
    calls: list[tuple[list[str], float]] = []
    _at_team_bound(p, greedy(p), recording(calls, lambda start: four), 2.0, lowest_night_crew(p))
    assert [pool for pool, _ in calls][1:] == [["N1", "N2", "N3", "N4", "N5"]]
    calls.clear()
    kept = _at_team_bound(
        p, greedy(p), recording(calls, lambda start: four), 2.0, lowest_night_crew(p), 70
    )
    assert len(calls) == 1 and kept == four


def test_a_case_alone_costs_its_spreads_below_the_rest_of_the_pool_s_peaks() -> None:
    # A (37 h: 10 a shift) works K1's nights on Saturday and Sunday; B (18.5 h: 20 a
    # shift) K2's day shifts on Monday and Saturday. K2 alone: A's nights and weekend
    # days are peaks of 20 each; K1 alone: B's one weekend day is 20, no night.
    p = problem(
        7,
        [(5, "N", "K1"), (6, "N", "K1"), (0, "D", "K2"), (5, "D", "K2")],
        employees=[Employee("A"), Employee("B", contract_minutes_per_week=1110)],
        cases=(Case("K1"), Case("K2")),
        weights=dataclasses.replace(COVER_ONLY, night_spread=1, weekend_spread=1),
    )
    roster = (
        Assignment(5, "N", "K1", "A"),
        Assignment(6, "N", "K1", "A"),
        Assignment(0, "D", "K2", "B"),
        Assignment(5, "D", "K2", "B"),
    )
    k2 = with_pool_peaks(p, case_problem(p, "K2", {"B"}), roster, "K2")
    assert (k2.night_spread_floor, k2.weekend_spread_floor) == (20, 20)
    k1 = with_pool_peaks(p, case_problem(p, "K1", {"A"}), roster, "K1")
    assert (k1.night_spread_floor, k1.weekend_spread_floor) == (0, 20)
    # K1's roster alone costs what the whole roster's peaks cost: the nights' 20 (A's),
    # the weekends' 20 (A's and B's)
    whole = {"night_spread": 20, "weekend_spread": 20}
    assert evaluate(k1, roster[:2]) == whole == evaluate(p, roster)
    assert evaluate(case_problem(p, "K2", {"B"}), roster[2:]) == {"weekend_spread": 20}
    assert evaluate(k2, roster[2:]) == whole


def test_a_case_with_no_one_else_working_has_no_floors() -> None:
    p = problem(7, [(5, "N", "K1"), (0, "D", "K2")], cases=(Case("K1"), Case("K2")))
    roster = (Assignment(5, "N", "K1", "A"),)
    k1 = with_pool_peaks(p, case_problem(p, "K1", {"A"}), roster, "K1")
    assert (k1.night_spread_floor, k1.weekend_spread_floor) == (0, 0)


#: Only the team and the weekend spread count.
WEEKENDS_ONLY = ObjectiveWeights(
    block=0, isolated_shift=0, face_per_time_of_day=0, night_spread=0, weekend_spread=1
)


def weekend_pair() -> tuple[RosterProblem, Roster]:
    """Two cases, a week, one consultant on D on Monday, Saturday and Sunday each. K1's
    crew A1 and A2, K2's B1 and B2 (37 h: 10 units a weekend shift; two D shifts at
    most, so a case needs two); A1 and B1 work both weekend days, a weekend peak of 20
    in each case."""
    p = problem(
        7,
        [(d, "D", c) for c in ("K1", "K2") for d in (0, 5, 6)],
        employees=[Employee(e, max_shifts_per_type={"D": 2}) for e in ("A1", "A2", "B1", "B2")],
        shift_types=(D,),
        weights=WEEKENDS_ONLY,
        cases=(Case("K1"), Case("K2")),
    )
    roster = tuple(
        sorted(
            rows("K1", {"A1": "-----DD", "A2": "D------"})
            + rows("K2", {"B1": "-----DD", "B2": "D------"})
        )
    )
    return p, roster


def test_the_floors_stop_at_the_peak_every_crew_can_come_down_to() -> None:
    # each crew can share its two weekend shifts one each (10); with K2's 20 as its
    # floor, K1 alone gains nothing by coming down to it, with the crews' 10 it does
    p, roster = weekend_pair()
    crews = own_crews(roster)
    assert crews_lowest_peaks(p, crews) == (0, 10)
    alone = with_pool_peaks(p, case_problem(p, "K1", crews["K1"]), roster, "K1")
    assert alone.weekend_spread_floor == 20
    targeted = with_pool_peaks(p, case_problem(p, "K1", crews["K1"]), roster, "K1", (0, 10))
    assert targeted.weekend_spread_floor == 10


def test_a_crew_that_cannot_come_down_keeps_the_pool_s_floor() -> None:
    # K2's crew B1 alone holds both weekend days: the crews' lowest weekend peak is 20,
    # and K1's floor stays K2's 20
    p, roster = weekend_pair()
    roster = tuple(
        a if a.employee != "B2" else dataclasses.replace(a, employee="B1") for a in roster
    )
    crews = own_crews(roster)
    assert crews["K2"] == {"B1"}
    assert crews_lowest_peaks(p, crews) == (0, 20)
    targeted = with_pool_peaks(p, case_problem(p, "K1", crews["K1"]), roster, "K1", (0, 20))
    assert targeted.weekend_spread_floor == 20


def test_cases_sharing_the_pool_s_peak_come_down_together() -> None:
    # the first case searched comes down to 10 at no gain for the whole roster (the
    # other still at 20): kept as good as before; the second then takes the pool's
    # weekend peak to 10. Team 4 throughout: (0, 4, 20) → (0, 4, 10)
    p, roster = weekend_pair()
    assert levels(p, roster) == (0, 4, 20)
    better = improve(p, roster, 4.0, crew_solver([]))
    assert levels(p, better) == (0, 4, 10)
    assert validate(p, better) == []
    weekend = [a for a in better if a.day in (5, 6)]
    assert len({a.employee for a in weekend}) == 4


def spread_out(case: str, first: str, second: str) -> Roster:
    """`case`'s weekend one day each: `first` on Saturday, `second` on Monday and Sunday
    (three runs: one more than with both weekend days in a row)."""
    return tuple(rows(case, {first: "-----D-", second: "D-----D"}))


def scripted(answers: Mapping[str, Roster | None], floors: dict[str, int]) -> CaseSolver:
    """A case's search that answers `answers[case]`, noting each case's weekend floor."""

    def solve_case(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
        floors[sub.cases[0].id] = sub.weekend_spread_floor
        return answers[sub.cases[0].id]

    return solve_case


def test_a_case_s_lower_peak_the_pool_does_not_follow_is_undone() -> None:
    # blocks count too (1 a run): K1 spread out is 3 runs and a weekend peak of 10,
    # against 2 and 20; its own levels with the crews' 10 as its floor improve (13
    # against 22), so it is kept through the round; K2 finds nothing, the pool's peak
    # stays 20, and with K1 spread out the whole roster would cost one run more:
    # the roster as it was is returned
    p, roster = weekend_pair()
    p = dataclasses.replace(p, weights=dataclasses.replace(p.weights, block=1))
    floors: dict[str, int] = {}
    answers = {"K1": spread_out("K1", "A1", "A2"), "K2": None}
    assert improve(p, roster, 4.0, scripted(answers, floors)) == roster
    assert floors == {"K1": 10, "K2": 10}


def test_cases_that_all_lower_the_pool_s_peak_are_all_kept() -> None:
    # both spread out: 3 runs each and the pool's weekend peak 10, (0, 4, 24) → (0, 4, 16)
    p, roster = weekend_pair()
    p = dataclasses.replace(p, weights=dataclasses.replace(p.weights, block=1))
    answers = {"K1": spread_out("K1", "A1", "A2"), "K2": spread_out("K2", "B1", "B2")}
    assert levels(p, roster) == (0, 4, 24)
    better = improve(p, roster, 4.0, scripted(answers, {}))
    assert levels(p, better) == (0, 4, 16)
    assert sorted(better) == sorted(answers["K1"] + answers["K2"])
