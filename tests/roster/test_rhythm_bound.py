"""`roster.rhythm_bound`: the Lagrangian bound of blocks and isolated shifts, priced by
a dynamic programme per consultant.

Valid: never above the proven optimum of blocks + isolated shifts (CP-SAT, after
cover and team). Tighter than the per-term blocks bound where a consultant's days
make runs short: no demand between two shifts, or the daily rest between an evening
and the next day's morning."""

from __future__ import annotations

import dataclasses

import pytest

from roster import solve
from roster.bound import QualityBound, quality_bound
from roster.examples import dognindsats_problem
from roster.problem import Case, Employee, ObjectiveWeights, RosterProblem
from roster.rhythm_bound import RhythmPrices, rhythm_bound
from roster.rhythm_kernel import _breaks_weekly_rest
from roster.term_bound import blocks_bound
from solving.status import SolveStatus
from tests.roster.instances import REPRODUCIBLE, problem, rules

#: the proofs below take seconds of CP-SAT's work: never cut by the wall guard
pytestmark = pytest.mark.usefixtures("no_wall_guard")

RHYTHM = ObjectiveWeights(face_per_time_of_day=0, night_spread=0, weekend_spread=0)


def optimum(p: RosterProblem) -> tuple[int, int]:
    """Blocks + isolated shifts of the proven optimum, and its team."""
    result = solve(p, 60, 0, parameters=REPRODUCIBLE)
    assert result.status is SolveStatus.OPTIMAL, (result.status, result.message)
    return result.terms.get("blocks", 0) + result.terms.get("isolated", 0), result.terms["team"]


def test_every_shift_between_days_without_demand_is_a_run_and_isolated() -> None:
    # day shifts on Monday, Wednesday and Friday only: nobody works the days between,
    # so each shift is a run of its own (3) and an isolated day (4): 21, where the
    # per-term bound counts the three runs only (9)
    p = problem(7, [(0, "D"), (2, "D"), (4, "D")], [Employee("A"), Employee("B")])
    p = dataclasses.replace(p, weights=RHYTHM)
    assert rhythm_bound(p) == 21
    assert 3 * blocks_bound(p, 0) == 9
    best, _ = optimum(p)
    assert best == 21
    # in the level's bound: the blocks' own 9, and what the programme adds (12) as
    # isolated; without it (a case searched alone, whose bound no one reads) 9
    assert quality_bound(p) == QualityBound(blocks=9, isolated=12)
    assert quality_bound(p, rhythm=False) == QualityBound(blocks=9)


def test_the_daily_rest_splits_an_evening_and_the_next_morning() -> None:
    # an evening on Monday and a morning on Tuesday: with 11 h of daily rest (8 h
    # between them) two consultants work one isolated shift each (2 runs, 2 isolated
    # days: 14); without the rule one works both (2 runs, 6)
    demands = [(0, "E"), (1, "D")]
    people = [Employee("A"), Employee("B")]
    rested = dataclasses.replace(
        problem(3, demands, people, rule_set=rules(min_rest_minutes=11 * 60)), weights=RHYTHM
    )
    free = dataclasses.replace(problem(3, demands, people), weights=RHYTHM)
    assert rhythm_bound(rested) == 14 == optimum(rested)[0]
    assert rhythm_bound(free) == 6 == optimum(free)[0]


def _mornings_for_two(days: int) -> tuple[RosterProblem, RosterProblem]:
    """A morning every day for `days` days, two consultants: under the weekly rest
    (35 h inside every 7 days), and with no rule."""
    demands = [(d, "D") for d in range(days)]
    people = [Employee("A"), Employee("B")]
    weekly = problem(days, demands, people, rule_set=rules(weekly_rest_minutes=35 * 60))
    free = problem(days, demands, people)
    return (
        dataclasses.replace(weekly, weights=RHYTHM),
        dataclasses.replace(free, weights=RHYTHM),
    )


def test_a_week_of_mornings_needs_a_weekly_rest() -> None:
    # mornings every day of one week, the weekly rest (35 h inside the 7 days): one
    # consultant cannot work all seven, so at least two runs (6); the optimum is 6
    # (two people, runs of 4 and 3 days)
    weekly, free = _mornings_for_two(7)
    assert rhythm_bound(weekly) == 6 == optimum(weekly)[0]
    assert rhythm_bound(free) == 3 == optimum(free)[0]


def test_the_weekly_rest_window_check() -> None:
    # six mornings from day 0 (07:00 to day 5 15:00): the window of days 0-6 holds 33 h
    # after them, less than 35 h; five mornings leave 57 h
    assert _breaks_weekly_rest(7 * 60, 5 * 1440 + 15 * 60, 35 * 60, 7, 14)
    assert not _breaks_weekly_rest(7 * 60, 4 * 1440 + 15 * 60, 35 * 60, 7, 14)
    # no window of 7 days inside a horizon of 6: nothing to break
    assert not _breaks_weekly_rest(7 * 60, 5 * 1440 + 15 * 60, 35 * 60, 7, 6)


def test_at_most_the_proven_optimum_of_a_week_of_three_shifts() -> None:
    # one week, one case, 3x8, six consultants with every rule: the bound is at most
    # the proven optimum of blocks + isolated shifts given its team
    p = dognindsats_problem(cases=1, pool_size=6, weeks=1, seed=0)
    p = dataclasses.replace(p, cases=(Case("K1"),), weights=RHYTHM)
    best, team = optimum(p)
    ours = rhythm_bound(p, team_members=team)
    assert ours is not None and ours <= best
    bound = quality_bound(p, team_members=team)
    assert bound.blocks + bound.isolated <= best


def test_over_cover_allowed_leaves_it_out() -> None:
    p = problem(7, [(0, "D")], [Employee("A")])
    cover = tuple(dataclasses.replace(d, over_weight=1) for d in p.cover)
    assert rhythm_bound(dataclasses.replace(p, cover=cover, weights=RHYTHM)) is None


def test_the_weekly_rest_caps_the_runs_the_programme_tracks() -> None:
    # with no most-days-in-a-row rule a run could be as long as the horizon; under a
    # weekly rest of a day or more, a run of 8 days holds a whole 7-day window with
    # free pieces under a day each, so runs of 8 are tracked at most: 14 days of
    # mornings, two consultants: two runs of 7 would break the rule, so at
    # least three runs (9), as CP-SAT proves
    weekly, free = _mornings_for_two(14)
    assert RhythmPrices(weekly, 0, None).longest.max() == 8
    assert rhythm_bound(weekly) == optimum(weekly)[0] == 9
    assert RhythmPrices(free, 0, None).longest.max() == 14
    assert rhythm_bound(free) == 3
