"""Døgnindsats rosters in a sweep: planned in parallel from disjoint holds of the pool
(no consultant in two rosters of one scenario), again only where a scenario touches
døgnindsats, the same on every executor."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from api.services.sweep import BASELINE, parse_sweep, run_sweep
from data.sweep_rosters import DOGNINDSATS, roster_problems
from matcher.problem import CaseLanguage
from solving.executor import InlineExecutor, LocalExecutor
from tests.matcher.instances import case, consultant, problem

SWEEP = """\
[sweep]
time_limit = 1
rosters = true
roster_weeks = 1
roster_pool = 6
roster_time_limit = 3

[[scenario]]
name = "lose-3-arabic"

[[scenario.change]]
kind = "lose"
count = 3
language = "ar"

[[scenario]]
name = "travel-90"

[[scenario.change]]
kind = "rule"
parameter = "max_travel_minutes"
value = 90
"""


def two_dognindsats():
    """Twelve Arabic speakers in København (c1–c12, 37 h) and two Arabic døgnindsats
    (cases 10 and 11) that could each use all of them."""
    cases = [
        dataclasses.replace(case(k, "ar", is_open=False), intervention_type=DOGNINDSATS)
        for k in (10, 11)
    ]
    return problem(consultants=[consultant(i, "ar", hours=37) for i in range(1, 13)], cases=cases)


def test_holds_give_each_døgnindsats_its_own_consultants():
    (first, one), (second, two) = roster_problems(two_dognindsats(), weeks=1, pool=5)
    assert (first, second) == (10, 11)
    # equal language and distance: staff-id order; case 10 first
    assert [e.id for e in one.employees] == ["c1", "c2", "c3", "c4", "c5"]
    assert [e.id for e in two.employees] == ["c6", "c7", "c8", "c9", "c10"]
    # nobody who does not speak the language is held
    p = two_dognindsats()
    danish = dataclasses.replace(p, consultants=(*p.consultants, consultant(13, "da")))
    held = [e.id for _, r in roster_problems(danish, weeks=1, pool=20) for e in r.employees]
    assert "c13" not in held and sorted(held) == sorted(f"c{i}" for i in range(1, 13))


def test_a_døgnindsats_is_staffed_for_its_family_language_as_the_roster_service_does():
    # parents listed with Danish first, then Arabic: the family language is Arabic (the
    # rarer need binds, `data.languages.family_language`), not the first tag
    p = two_dognindsats()
    danish_first = dataclasses.replace(
        p.cases[0], languages=(CaseLanguage("da"), CaseLanguage("ar"))
    )
    p = dataclasses.replace(
        p, cases=(danish_first,), consultants=(*p.consultants, consultant(13, "da"))
    )
    [(_, roster)] = roster_problems(p, weeks=1, pool=3)
    assert roster.cases[0].language == "ar"
    assert [e.id for e in roster.employees] == ["c1", "c2", "c3"]


def test_a_døgnindsats_with_only_danish_is_staffed_for_danish():
    p = two_dognindsats()
    danish = dataclasses.replace(p.cases[0], languages=(CaseLanguage("da"),))
    p = dataclasses.replace(p, cases=(danish,), consultants=(*p.consultants, consultant(13, "da")))
    [(_, roster)] = roster_problems(p, weeks=1, pool=3)
    assert roster.cases[0].language == "da"
    assert [e.id for e in roster.employees] == ["c13"]


def test_the_shipped_roster_sweep_asks_for_rosters():
    shipped = Path(__file__).resolve().parents[2] / "data" / "sweeps" / "rosters.toml"
    options = parse_sweep(shipped.read_text(encoding="utf-8")).spec.sweep
    assert options.rosters and options.roster_weeks == 1 and options.roster_pool == 8


def test_a_family_case_gets_no_roster():
    p = two_dognindsats()
    p = dataclasses.replace(p, cases=(p.cases[0], case(12, "ar")))
    assert [case_id for case_id, _ in roster_problems(p, weeks=1, pool=5)] == [10]


@pytest.fixture(scope="module")
def swept():
    return run_sweep(two_dognindsats(), parse_sweep(SWEEP), InlineExecutor())


def test_rosters_of_a_scenario_never_share_a_consultant(swept):
    rosters = swept.roster_results()
    assert [r.case_id for r in rosters[BASELINE]] == [10, 11]
    for name, outcomes in rosters.items():
        teams = [set(r.team) for r in outcomes]
        assert not teams[0] & teams[1], name
    # the book as it is: a week of 3x8 is 21 shifts of 8 h; each consultant works at
    # most the 37 h contract (4 shifts), so six held consultants cover it all
    base = rosters[BASELINE]
    assert [r.uncovered_shifts for r in base] == [0, 0]
    assert set(base[0].team) <= set(range(1, 7)) and set(base[1].team) <= set(range(7, 13))


def test_only_a_scenario_that_touches_døgnindsats_plans_them_again(swept):
    runs = {run.name: run for run in swept.runs}
    # losing c1–c3: case 10 takes c4–c9, case 11 keeps three (c10–c12), at most 12
    # of its 21 shifts: 9 stay uncovered
    lose = runs["lose-3-arabic"]
    assert not lose.rosters_from_baseline
    assert set(lose.rosters[0].team) <= set(range(4, 10)) and lose.rosters[0].uncovered_shifts == 0
    assert set(lose.rosters[1].team) <= {10, 11, 12} and lose.rosters[1].uncovered_shifts == 9
    # a travel rule does not change the rosters' problems: the baseline's rosters
    travel = runs["travel-90"]
    assert travel.rosters_from_baseline and travel.rosters == runs[BASELINE].rosters


@pytest.mark.slow
def test_a_process_pool_plans_the_same_rosters(swept):
    pooled = run_sweep(two_dognindsats(), parse_sweep(SWEEP), LocalExecutor(cpus=2))
    assert pooled.roster_results() == swept.roster_results()
    assert pooled.results() == swept.results()
