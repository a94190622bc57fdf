"""The rhythm-aware warm start (`roster.rotation`): a cyclic rotation of a team,
repaired by the greedy, on a week small enough to compute by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from roster import SolveStatus, solve
from roster.clock import WallClock
from roster.heuristic import greedy, greedy_roster
from roster.parameters import SearchParameters, with_presolve
from roster.problem import (
    Assignment,
    Case,
    CoverDemand,
    Employee,
    ObjectiveWeights,
    RosterProblem,
)
from roster.rotation import (
    applicable,
    levels,
    night_rotation,
    relieved_rotation,
    rotation,
    warm_start,
)
from roster.rotation_cycles import balance_weekends, cycles, within_hours
from roster.rotation_plans import relief_plan, rotation_plan
from roster.rotation_teams import choose_teams, interchangeable, lowest_load, night_crew
from roster.stages import _configure
from roster.templates import template
from roster.validate import evaluate, validate
from tests.roster.instances import REPRODUCIBLE

#: Blocks of four days, two days off after the day and evening blocks, four after the
#: nights: the five members, four days apart, cover D, E and N once on every day.
CYCLE = ("D",) * 4 + (None,) * 2 + ("E",) * 4 + (None,) * 2 + ("N",) * 4 + (None,) * 4


def week(contract_hours: int = 45, required: int = 1) -> RosterProblem:
    """One case, 3x8, Monday 2026-01-05 to Sunday (days 5 and 6 the weekend), five
    consultants M1-M5 who all work nights, no history, no language. A 45-hour contract
    carries five 8-hour shifts in the week (a 37-hour one only four)."""
    return RosterProblem(
        start_date=dt.date(2026, 1, 5),
        days=7,
        shift_types=template("3x8"),
        employees=tuple(
            Employee(f"M{i}", contract_minutes_per_week=contract_hours * 60) for i in range(1, 6)
        ),
        cases=(Case("K1"),),
        cover=tuple(CoverDemand("K1", d, s, required) for d in range(7) for s in ("D", "E", "N")),
    )


#: Member i stands on day (day + 4 i) of `CYCLE`:
#:   M1 DDDD--E   M2 --EEEE-   M3 EE--NNN   M4 NNNN---   M5 ----DDD
HAND = {
    "M1": "DDDD--E",
    "M2": "--EEEE-",
    "M3": "EE--NNN",
    "M4": "NNNN---",
    "M5": "----DDD",
}


def test_the_cycle_is_the_best_of_its_lag_and_longer_blocks_break_the_night_rule() -> None:
    p = week()
    assert cycles(p, 5, 4)[0] == CYCLE
    # five nights in a row break the rule of at most four; a team of three is never off
    assert cycles(p, 5, 5) == []
    assert cycles(p, 3, 2) == []
    # every cycle found covers each shift once a day (checked on the plan) and keeps
    # the forward rotation D → E → N, so no night is followed by a day shift
    for cycle in cycles(p, 5, 3):
        pairs = {(a, b) for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)}
        assert ("N", "D") not in pairs and ("N", "E") not in pairs


def _pool_with_history(last_shift_of_m4: str | None) -> RosterProblem:
    """`week`, its pool M1-M4 on 45 hours (five shifts each), M5 on 30 (three), M4
    having worked `last_shift_of_m4` on the day before the horizon (None: nothing)."""
    shift = {s.id: s for s in template("3x8")}
    history = () if last_shift_of_m4 is None else (shift[last_shift_of_m4].span(-1),)
    pool = (
        *(Employee(f"M{i}", contract_minutes_per_week=45 * 60) for i in range(1, 4)),
        Employee("M4", contract_minutes_per_week=45 * 60, history=history),
        Employee("M5", contract_minutes_per_week=30 * 60),
    )
    return dataclasses.replace(week(), employees=pool)


def test_the_team_takes_the_most_hours_though_history_blocks_the_first_day() -> None:
    # 21 shifts of 8 h: four members on 45 h hold them (180 h), so the team is four.
    # M4's night before the horizon ends at 07:00 on day 0, and the 11 h rest bars the
    # day and evening shifts there; one day says nothing about the weeks ahead, so M4
    # (five shifts) still goes before M5 (three): before, M5 took M4's place.
    assert [e.id for e in choose_teams(_pool_with_history("N"))["K1"]] == ["M1", "M2", "M3", "M4"]


def test_the_team_leaves_out_who_cannot_take_every_shift_type() -> None:
    # M4 on 45 h but taking no nights goes after M5, who can take every shift type
    p = _pool_with_history(None)
    no_nights = dataclasses.replace(p.employees[3], works_nights=False)
    p = dataclasses.replace(p, employees=(*p.employees[:3], no_nights, p.employees[4]))
    assert [e.id for e in choose_teams(p)["K1"]] == ["M1", "M2", "M3", "M5"]


def test_applicable_only_with_one_consultant_per_shift() -> None:
    assert applicable(week())
    assert not applicable(week(required=2))


def test_the_rotation_of_a_week_by_hand() -> None:
    p = week()
    members = {"K1": list(p.employees)}
    plan = rotation_plan(p, members, CYCLE, 4)
    roster = greedy_roster(p, language_pressure=False, plan=plan)
    expected = sorted(
        Assignment(d, s, "K1", e) for e, row in HAND.items() for d, s in enumerate(row) if s != "-"
    )
    assert list(roster) == expected
    assert validate(p, roster) == []
    # blocks: M1 DDDD, E; M2 EEEE; M3 EE, NNN; M4 NNNN; M5 DDD = 7, 3 each.
    # isolated: M1's evening on day 6 (off on day 5, the horizon ends): 4.
    # faces: M1 D E, M2 E, M3 E N, M4 N, M5 D = 7, 2 each.
    # spreads: the weight of a 45-hour contract is round(10 * 37 / 45) = 8; most
    # nights M4's 4 → 32; most weekend days (5, 6) M3's and M5's 2 → 16.
    assert evaluate(p, roster) == {
        "team": 5,
        "blocks": 21,
        "isolated": 4,
        "faces": 14,
        "night_spread": 32,
        "weekend_spread": 16,
    }
    assert sum(evaluate(p, roster).values()) == 92


def test_a_member_short_of_hours_gives_up_a_run_start() -> None:
    """A 37-hour week carries 2220 minutes: M1's five shifts (2400) lose one, the
    first day of a run (the evening on day 6 starts the second of M1's two runs)."""
    p = week(contract_hours=37)
    m1 = p.employees[0]
    shifts = [(d, s) for d, s in enumerate(HAND["M1"]) if s != "-"]
    assert within_hours(p, m1, shifts) == shifts[:4]
    # within the hours, nothing is given up
    roomy = week()
    assert within_hours(roomy, roomy.employees[0], shifts) == shifts


def test_a_planned_consultant_who_may_not_work_is_replaced_by_a_team_member() -> None:
    """M4 is absent on day 0: the greedy keeps the rest of the plan and gives the
    night to a team member the rules allow (not an outsider: there is none here),
    so the roster stays legal and covered."""
    p = week()
    absent = dataclasses.replace(p.employees[3], absences=frozenset({0}))
    p = dataclasses.replace(p, employees=(*p.employees[:3], absent, p.employees[4]))
    roster = greedy_roster(
        p, language_pressure=False, plan=rotation_plan(p, {"K1": list(p.employees)}, CYCLE, 4)
    )
    assert validate(p, roster) == []
    assert Assignment(0, "N", "K1", "M4") not in roster
    assert len([a for a in roster if a.day == 0]) == 3
    assert {a.employee for a in roster if a.day > 0} <= {e.id for e in p.employees}


@pytest.mark.usefixtures("no_wall_guard")  # a proof of seconds of work, never cut short
def test_the_warm_start_is_no_worse_than_the_greedy_and_the_solve_no_worse_than_it() -> None:
    p = week()
    start = warm_start(p)
    assert validate(p, start) == []
    assert levels(p, start) <= levels(p, greedy(p))
    value = sum(evaluate(p, start).values())
    # reproducible (one worker, the work clock): the same roster under any load, proven
    # optimal (at 77, from the warm start's 105) within the limit
    result = solve(p, time_limit=60, seed=0, hint=start, parameters=REPRODUCIBLE)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective is not None and result.objective <= value


def test_the_light_presolve_for_a_dognindsats_only() -> None:
    auto = SearchParameters()
    assert with_presolve(week(), auto).light_presolve is True
    # the NRP benchmark's problems (one weighted sum, several per shift) keep it full
    nrp_like = dataclasses.replace(week(required=2), weights=ObjectiveWeights.benchmark())
    assert with_presolve(nrp_like, auto).light_presolve is False
    assert with_presolve(week(required=2), auto).light_presolve is False
    # an explicit choice stands
    assert with_presolve(week(), SearchParameters(light_presolve=False)).light_presolve is False
    light = _configure(SearchParameters(light_presolve=True), 1.0, 0, WallClock())
    assert light.parameters.cp_model_probing_level == 0
    assert light.parameters.max_presolve_iterations == 1
    full = _configure(SearchParameters(light_presolve=False), 1.0, 0, WallClock())
    assert full.parameters.cp_model_probing_level != 0


def two_cases() -> RosterProblem:
    """`week` for K1 (no language), and K2 whose family speaks Somali: only S1-S4 speak
    it, and S1 takes no nights. K2 chooses its team first (fewer speakers): S1-S4, who
    cannot rotate (S1 would stand on the night block); K1 then takes M1-M4."""
    p = week()
    speakers = tuple(
        Employee(f"S{i}", contract_minutes_per_week=45 * 60, works_nights=i != 1, languages=("so",))
        for i in range(1, 5)
    )
    return dataclasses.replace(
        p,
        employees=p.employees + speakers,
        cases=(Case("K1"), Case("K2", language="so")),
        cover=p.cover + tuple(CoverDemand("K2", d.day, d.shift, 1) for d in p.cover),
    )


def lines(roster: tuple[Assignment, ...], case: str) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for a in roster:
        if a.case == case:
            out.setdefault(a.employee, ["-"] * 7)[a.day] = a.shift
    return {e: "".join(days) for e, days in sorted(out.items())}


def test_a_case_whose_team_can_rotate_does_so_beside_one_whose_team_cannot() -> None:
    # before, one team that could not rotate left every case to the plain greedy
    # (`rotation` gave None). K1's four members rotate on blocks of 4 and 5 days, one
    # shift type each (M4 from nights to days after two days off), M5 and S4 fill the
    # two shifts the members' 45 hours and rest leave; K2 is left to the greedy
    p = two_cases()
    rotated = rotation(p)
    assert rotated is not None and validate(p, rotated) == []
    assert lines(rotated, "K1") == {
        "M1": "DDDD---",
        "M2": "-EEEEE-",
        "M3": "E-NNNN-",
        "M4": "NN--DDD",
        "M5": "------E",
        "S4": "------N",
    }


def test_beside_another_case_a_member_who_takes_no_nights_keeps_a_team_from_rotating() -> None:
    # K2's team S1-S4 (S1 takes no nights) rotates alone, not beside K1 (five cases:
    # such a member broke the rotation on every cycle)
    p = two_cases()
    assert not interchangeable(p, p.case["K2"], choose_teams(p)["K2"])
    alone = k2_alone()
    assert interchangeable(alone, alone.case["K2"], choose_teams(alone)["K2"])


def k2_alone() -> RosterProblem:
    """`two_cases`'s K2 alone: its team S1-S4, where S1 takes no nights."""
    p = two_cases()
    return dataclasses.replace(
        p, cases=(p.cases[1],), cover=tuple(d for d in p.cover if d.case == "K2")
    )


def test_a_lone_case_rotates_though_a_member_takes_no_nights() -> None:
    # alone, K2 rotates with S1-S4: the night the cycle puts on S1 (day 6, after her
    # E) goes to M1, the greedy's pick where no speaker may take it (the cover level
    # counts that shift's missing Somali); S1 works days and an evening only
    p = k2_alone()
    rotated = rotation(p)
    assert rotated is not None and validate(p, rotated) == []
    assert lines(rotated, "K2") == {
        "M1": "------N",
        "S1": "DDDD--E",
        "S2": "-EEEEE-",
        "S3": "E-NNNN-",
        "S4": "NN--DDD",
    }


PLAIN = (Assignment(0, "D", "K1", "M1"),)
ROTATED = (Assignment(0, "D", "K1", "M2"),)


@pytest.mark.parametrize(
    ("rotated_levels", "cases", "expected"),
    [
        ((0, 5, 20), 1, ROTATED),  # a lone case: cover and team tie, the rotation
        ((0, 6, 0), 1, PLAIN),  # a larger team: the greedy's
        ((0, 5, 20), 2, PLAIN),  # several cases: by every level, the greedy's
    ],
)
def test_a_lone_case_starts_from_its_rotation_when_cover_and_team_are_no_worse(
    monkeypatch: pytest.MonkeyPatch,
    rotated_levels: tuple[int, int, int],
    cases: int,
    expected: tuple[Assignment, ...],
) -> None:
    # the greedy roster at (0, 5, 10), the rotation at `rotated_levels`
    import roster.rotation as module

    costs = {PLAIN: (0, 5, 10), ROTATED: rotated_levels}
    monkeypatch.setattr(module, "greedy", lambda p: PLAIN)
    monkeypatch.setattr(module, "rotation", lambda p: ROTATED)
    monkeypatch.setattr(module, "levels", lambda p, r: costs[r])
    p = week() if cases == 1 else two_cases()
    assert warm_start(p) == expected


def greedy_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one for each plain greedy roster `warm_start` builds."""
    runs: list[int] = []

    def counted(p: RosterProblem) -> tuple[Assignment, ...]:
        runs.append(1)
        return greedy(p)

    monkeypatch.setattr("roster.rotation.greedy", counted)
    return runs


def test_a_rotation_at_its_cover_and_team_bounds_is_the_warm_start_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the week's rotation covers all 21 shifts with five members, and five is the
    # team's bound (21 shifts, five a 45-hour member): the greedy could beat it only
    # on the rhythm, so it is not built
    runs = greedy_runs(monkeypatch)
    p = week()
    start = warm_start(p)
    assert runs == []
    assert start == rotation(p)
    assert levels(p, start)[:2] == (0, 5)


def test_a_rotation_above_its_team_bound_is_weighed_against_the_greedy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # two cases: K2's speakers cannot rotate and K1's rotation takes a sixth member,
    # team 12 against a bound of 10, and some shifts short: the greedy is built and
    # the better of the two by level kept
    runs = greedy_runs(monkeypatch)
    p = two_cases()
    start = warm_start(p)
    assert runs == [1]
    assert levels(p, start) == min(levels(p, rotation(p) or ()), levels(p, greedy(p)))


def four_weeks(*employees: Employee) -> RosterProblem:
    """One case, 3x8, Monday 2026-01-05 for 28 days: the weekends are days 5-6, 12-13,
    19-20 and 26-27 (no holiday in those weeks)."""
    return RosterProblem(
        start_date=dt.date(2026, 1, 5),
        days=28,
        shift_types=template("3x8"),
        employees=employees,
        cases=(Case("K1"),),
        cover=tuple(CoverDemand("K1", d, s, 1) for d in range(28) for s in ("D", "E", "N")),
    )


#: A works both weekends of weeks 3 and 4 (days 19, 20, 26, 27), B two weekdays
#: between them (22, 23): both are off on day 21 and on days 24-25.
UNEVEN = {"A": {19: "D", 20: "D", 26: "D", 27: "D"}, "B": {22: "D", 23: "D"}}


def test_two_members_off_on_the_same_day_swap_their_futures_to_even_the_weekends() -> None:
    """A's weekend load is 4 shifts (40 with a 37-hour contract), B's 0: the peak 40.
    Both off on day 21, they swap all shifts from day 22: A keeps 19-20 and takes B's
    22-23, B takes A's 26-27, two weekend shifts each (peak 20). Every run stays whole
    (each starts after a day off), and every shift is still planned once. The swap
    from day 25 (both off on day 24) evens them as well, but day 22 is found first and
    a tie does not replace it."""
    p = four_weeks(Employee("A"), Employee("B"))
    balanced = balance_weekends(p, list(p.employees), UNEVEN)
    assert balanced == {"A": {19: "D", 20: "D", 22: "D", 23: "D"}, "B": {26: "D", 27: "D"}}
    assert UNEVEN["A"] == {19: "D", 20: "D", 26: "D", 27: "D"}  # the input is not changed


def test_no_swap_when_the_weekends_are_even_or_a_member_takes_no_nights() -> None:
    """Already even (A days 19-20, B days 26-27: 20 each), no swap lowers the peak; a
    member who takes no nights leaves the plan as it is too (the greedy would hand
    their planned nights to another member, so the plan's loads are not the roster's);
    and without a weekend weight there is nothing to even."""
    p = four_weeks(Employee("A"), Employee("B"))
    even = {"A": {19: "D", 20: "D"}, "B": {26: "D", 27: "D"}}
    assert balance_weekends(p, list(p.employees), even) == even
    no_nights = four_weeks(Employee("A", works_nights=False), Employee("B"))
    assert balance_weekends(no_nights, list(no_nights.employees), UNEVEN) == UNEVEN
    unweighted = dataclasses.replace(
        p, weights=dataclasses.replace(ObjectiveWeights(), weekend_spread=0)
    )
    assert balance_weekends(unweighted, list(p.employees), UNEVEN) == UNEVEN


def test_a_swap_that_evens_the_weekends_but_piles_up_nights_is_passed_over() -> None:
    """A also works nights on days 15-16, B nights on 22-23: weekend peak 40 (A), night
    peak 20, 60 in all. The swap on day 22 would give A B's nights (four: 40) for an
    even weekend (20): 60 again, not lower, so it is not made; the swap on day 25 (both
    off on day 24) gives B A's last weekend: weekends 20 each, nights 20 each, 40."""
    p = four_weeks(Employee("A"), Employee("B"))
    plan = {
        "A": {15: "N", 16: "N", 19: "D", 20: "D", 26: "D", 27: "D"},
        "B": {22: "N", 23: "N"},
    }
    assert balance_weekends(p, list(p.employees), plan) == {
        "A": {15: "N", 16: "N", 19: "D", 20: "D"},
        "B": {22: "N", 23: "N", 26: "D", 27: "D"},
    }


def four_and_one(days: int = 32) -> RosterProblem:
    """One case, 3x8, `days` days: F1-F4 on 37 h take every type, X on 37 h takes no
    nights. No history, no language; the team is all five (48 of 96 shifts need five
    people's hours)."""
    employees = (
        *(Employee(f"F{i}", contract_minutes_per_week=37 * 60) for i in range(1, 5)),
        Employee("X", contract_minutes_per_week=37 * 60, works_nights=False),
    )
    return RosterProblem(
        start_date=dt.date(2026, 1, 5),
        days=days,
        shift_types=template("3x8"),
        employees=employees,
        cases=(Case("K1"),),
        cover=tuple(CoverDemand("K1", d, s, 1) for d in range(days) for s in ("D", "E", "N")),
    )


def plan_lines(plan: dict[tuple[str, int, str], str], days: int) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for (_case, day, shift), employee in plan.items():
        out.setdefault(employee, ["-"] * days)[day] = shift
    return {e: "".join(line) for e, line in sorted(out.items())}


def test_a_member_who_takes_no_nights_takes_whole_blocks_off_those_past_their_hours() -> None:
    # F1-F4 on their own 16-day cycle would work 12 days in 16, 24 shifts in 32 days
    # against their 37 h (21 shifts): X takes four whole day blocks of theirs, each
    # after at least four days off, from whoever is planned furthest past their
    # hours; days 12-19 none is past them any more, so X stays off. Every shift is
    # planned exactly once, every run is four days
    p = four_and_one()
    full = [e for e in p.employees if e.works_nights]
    cycle = cycles(p, 4, 4)[0]
    assert cycle == ("D",) * 4 + (None,) + ("E",) * 4 + (None,) + ("N",) * 4 + (None,) * 2
    plan = relief_plan(p, "K1", full, [p.employees[4]], cycle, 4, 0)
    assert set(plan) == {(d.case, d.day, d.shift) for d in p.cover}
    assert plan_lines(plan, p.days) == {
        "F1": "-----EEEE-NNNN--DDDD-EEEE-NNNN--",
        "F2": "-EEEE-NNNN--DDDD-EEEE-NNNN------",
        "F3": "E-NNNN-------EEEE-NNNN--DDDD-EEE",
        "F4": "NN--DDDD-EEEE-NNNN-------EEEE-NN",
        "X": "DDDD----DDDD--------DDDD----DDDD",
    }


def test_the_relieved_rotation_is_the_warm_start_where_the_plain_one_breaks_blocks() -> None:
    # the plain rotation stands X on the night block too and the greedy hands those
    # nights on one by one: blocks 90 and isolated shifts 20; relieved, 78 and 4, with
    # the same cover and team. It is legal and the warm start
    p = four_and_one()
    relieved, plain = relieved_rotation(p), rotation(p)
    assert relieved is not None and plain is not None
    assert validate(p, relieved) == []
    assert levels(p, relieved) == (0, 5, 258)
    assert levels(p, plain) == (0, 5, 298)
    assert evaluate(p, relieved)["blocks"] == 78
    assert evaluate(p, plain)["blocks"] == 90
    assert warm_start(p) == relieved


def test_no_relieved_rotation_when_every_member_takes_every_type_or_beside_other_cases() -> None:
    assert relieved_rotation(week()) is None  # all five take nights: the plain rotation
    assert relieved_rotation(two_cases()) is None  # several cases
    # three who take every type are too few for a cycle of their own (3x8 needs four)
    p = four_and_one()
    no_nights = dataclasses.replace(p.employees[3], works_nights=False)
    p = dataclasses.replace(p, employees=(*p.employees[:3], no_nights, p.employees[4]))
    assert relieved_rotation(p) is None


def test_the_relieved_rotation_of_a_given_team() -> None:
    # with F5 who takes every type in the pool, `choose_teams` takes F1-F5: nobody to
    # relieve; given F1-F4 and X as the team (a case's present crew), X relieves
    p = four_and_one()
    f5 = Employee("F5", contract_minutes_per_week=37 * 60)
    pool = dataclasses.replace(p, employees=(*p.employees, f5))
    assert relieved_rotation(pool) is None
    given = relieved_rotation(pool, p.employees)
    assert given is not None and validate(pool, given) == []
    assert {a.employee for a in given} == {"F1", "F2", "F3", "F4", "X"}
    assert levels(pool, given) == (0, 5, 258)


def three_and_two(night_hours: tuple[int, ...] = (32, 30, 30, 30)) -> RosterProblem:
    """One case, 3x8, 28 days (84 shifts, 28 nights): N1 on 37 h and N2-N5 on
    `night_hours` take every type, D1 and D2 on 37 h take no nights. No history, no
    language. In 28 days a 37 h contract holds 18 shifts, 32 h 16, 30 h 15."""
    employees = (
        Employee("N1", contract_minutes_per_week=37 * 60),
        *(
            Employee(f"N{i}", contract_minutes_per_week=hours * 60)
            for i, hours in enumerate(night_hours, 2)
        ),
        Employee("D1", contract_minutes_per_week=37 * 60, works_nights=False),
        Employee("D2", contract_minutes_per_week=37 * 60, works_nights=False),
    )
    return four_weeks(*employees)


def test_the_night_peak_a_crew_can_share_its_nights_under() -> None:
    # 28 nights over coefficients 10, 12, 12 (37, 32 and 30 h): at 108 they take 10, 9
    # and 9; at 107 only 10, 8 and 8. Too few nights between them: no peak holds
    assert lowest_load([(10, 18), (12, 16), (12, 15)], 28) == 108
    assert lowest_load([(10, 18), (12, 16), (12, 15)], 0) == 0
    assert lowest_load([(10, 5), (12, 5)], 28) == 10**9


def test_a_team_that_needs_one_more_for_its_hours_is_the_fewest_with_the_lowest_night_peak() -> (
    None
):
    # N1-N5 take every type but hold only 18 + 16 + 15 + 15 + 15 = 79 of the 84 shifts:
    # ranked by the types they take, the team is six. Five hold them with D1 and D2
    # (18 each) and three who take nights; of those crews, N1, N2 and N3 share the 28
    # nights lowest (108, as any three with N1) and hold the most (85 shifts)
    p = three_and_two()
    assert night_crew(p, "K1", list(p.employees), 5) == {"N1", "N2", "N3", "D1", "D2"}
    assert [e.id for e in choose_teams(p)["K1"]] == ["N1", "N2", "N3", "D1", "D2"]
    # four cannot hold 84 shifts: no crew of four
    assert night_crew(p, "K1", list(p.employees), 4) is None


def test_a_team_of_five_who_take_every_type_is_kept_as_ranked() -> None:
    # N1-N5 on 37 h hold 90 shifts: five who take every type, no night crew needed
    p = three_and_two((37, 37, 37, 37))
    assert [e.id for e in choose_teams(p)["K1"]] == ["N1", "N2", "N3", "N4", "N5"]


def test_the_nights_planned_first_cover_more_than_the_greedy() -> None:
    # the crew of three night workers and two who take none holds 85 shifts for 84:
    # the greedy spends the night workers' hours on days and leaves 4 shifts
    # uncovered; with the nights handed round N1-N3 in blocks first, one
    crew = dataclasses.replace(
        three_and_two(),
        employees=tuple(e for e in three_and_two().employees if e.id not in {"N4", "N5"}),
    )
    nights_first = night_rotation(crew)
    assert nights_first is not None and validate(crew, nights_first) == []
    assert levels(crew, nights_first)[0] == 800  # one shift of 8 h
    assert levels(crew, greedy(crew))[0] == 3200
    assert {a.employee for a in nights_first if a.shift == "N"} == {"N1", "N2", "N3"}


def test_no_nights_planned_first_when_all_take_every_type_or_beside_other_cases() -> None:
    assert night_rotation(week()) is None  # all five take nights
    assert night_rotation(two_cases()) is None  # several cases
    # one who takes nights is too few to hand them round
    alone = four_weeks(
        Employee("N1", contract_minutes_per_week=37 * 60),
        Employee("D1", contract_minutes_per_week=37 * 60, works_nights=False),
    )
    assert night_rotation(alone) is None
