"""Live progress: `solve(on_solution=...)` reports every better roster as it is found.

`lns.improve(on_improvement=...)` is tested in test_lns.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from roster import Employee, ObjectiveWeights, SolveStatus, solve, validate
from roster.read_nrp import read_nrp
from tests.roster.instances import REPRODUCIBLE, problem, rules

TINY = Path(__file__).with_name("tiny_nrp.txt")


def test_weighted_solve_reports_improving_rosters_down_to_the_result() -> None:
    # one weighted sum (the benchmark objective); without the greedy start CP-SAT finds
    # worse rosters before the optimum, 100 (see test_nrp); a reproducible search, so
    # the same rosters are reported under any load
    p = read_nrp(TINY)
    calls: list[tuple[int, int]] = []
    result = solve(
        p,
        time_limit=10,
        seed=1,
        parameters=dataclasses.replace(REPRODUCIBLE, greedy_hint=False),
        on_solution=lambda objective, bound: calls.append((objective, bound)),
    )
    assert result.status is SolveStatus.OPTIMAL and validate(p, result.roster) == []
    assert calls, "no progress was reported"
    objectives = [objective for objective, _ in calls]
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] == result.objective == 100
    assert all(bound <= objective for objective, bound in calls)


def test_lexicographic_solve_reports_the_total_from_the_last_level_only() -> None:
    # the instance of test_objective's lexicographic test: levels cover 0, team 2,
    # rest 104. Reports start on the last level and already include the fixed 0 + 2.
    p = problem(
        4,
        [(d, s) for d in range(4) for s in ("D", "E")],
        employees=[Employee("A"), Employee("B"), Employee("C")],
        rule_set=rules(min_rest_minutes=11 * 60),
        weights=ObjectiveWeights(team_member=1, block=50),
    )
    calls: list[tuple[int, int]] = []
    result = solve(
        p,
        time_limit=10,
        seed=1,
        parameters=REPRODUCIBLE,
        on_solution=lambda objective, bound: calls.append((objective, bound)),
    )
    assert result.status is SolveStatus.OPTIMAL
    assert [s.objective for s in result.stages] == [0, 2, 104]
    assert calls, "no progress was reported"
    # had the cover and team levels reported their own values (0, 2), the totals of
    # the last level (>= 106) would come after them and the sequence would rise
    objectives = [objective for objective, _ in calls]
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] == result.objective == 0 + 2 + 104
    # bounds include the fixed levels too
    assert all(2 <= bound <= objective for objective, bound in calls)
