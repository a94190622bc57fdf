"""`roster.bound`: the per-term lower bound of the rhythm and fairness level.

Valid: on a tiny døgnindsats each term's bound is at most that term's proven optimum
(CP-SAT, that term alone after cover and team), so their sum is at most the optimum of
the whole level. Tighter: in a solve cut short it lifts `RosterResult.bound` above the
bound CP-SAT proved in the same run."""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from typing import Any

import pytest

from roster import solve
from roster.bound import lexicographic_bound, quality_bound
from roster.examples import dognindsats_problem
from roster.model import RosterModel
from roster.model_terms import LEVEL_CHANGES, LEVEL_COVER, LEVEL_QUALITY, LEVEL_TEAM
from roster.parameters import SearchParameters
from roster.problem import Case, CoverDemand, Employee, ObjectiveWeights, RosterProblem
from roster.result import RosterResult, StageResult
from roster.stages import _floors, hold_lower_levels
from roster.term_bound import team_bound
from solving.status import SolveStatus
from tests.roster.instances import REPRODUCIBLE, D, problem, rules

QUALITY = ("block", "isolated_shift", "face_per_time_of_day", "night_spread", "weekend_spread")
#: the proofs below take seconds of CP-SAT's work: never cut by the wall guard
pytestmark = pytest.mark.usefixtures("no_wall_guard")

TERM_OF = {
    "block": "blocks",
    "face_per_time_of_day": "faces",
    "night_spread": "night_spread",
    "weekend_spread": "weekend_spread",
}


def proven(p: RosterProblem, time_limit: float = 60) -> RosterResult:
    """A reproducible solve (`REPRODUCIBLE`, seed 0) proven optimal: the same search
    under any load. The hardest proof here (two weeks of faces and nights) needs a
    limit between 16 and 24, the others 1 to 16; 60 leaves room for a change of
    model or OR-Tools, and a search cut short fails here rather than on its roster."""
    result = solve(p, time_limit, 0, parameters=REPRODUCIBLE)
    assert result.status is SolveStatus.OPTIMAL, (result.status, result.message)
    return result


def tiny(**weights: int) -> RosterProblem:
    """One week, one case, 3x8 (D 07-15, E 15-23, N 23-07), six consultants, no family
    language (every cover can be met): 21 shifts, one consultant each."""
    p = dognindsats_problem(cases=1, pool_size=6, weeks=1, seed=0)
    only = ObjectiveWeights(**{name: 0 for name in QUALITY} | weights)  # type: ignore[arg-type]
    return dataclasses.replace(p, cases=(Case("K1"),), weights=only)


def test_each_term_bound_is_at_most_the_terms_proven_optimum() -> None:
    # each term alone after cover (0) and team (6: the greedy roster's team is kept,
    # proven minimal by the team level) is proven optimal by CP-SAT in about a second:
    # blocks 18 (each type's 7 days need two runs: at most 6 days in a row, 4 nights),
    # faces 12 (two consultants per type: a 37 h week holds 4 shifts), night spread 20 (7
    # nights over 6 people: someone works two), weekend spread 12 (6 weekend shifts
    # over 6 people, the one 32 h contract among them counting 12 a shift); the bound
    # meets every one of them exactly
    default = ObjectiveWeights()
    optimum_total = 0
    for weight, term in TERM_OF.items():
        p = tiny(**{weight: getattr(default, weight)})
        result = proven(p)
        team = result.terms["team"]
        ours = quality_bound(p, team_members=team)
        assert dataclasses.asdict(ours)[term] <= result.terms.get(term, 0)
        assert dataclasses.asdict(ours)[term] == result.terms.get(term, 0)
        optimum_total += result.terms.get(term, 0)
    # the whole level's optimum is at least the sum of the optima of any split of its
    # terms: blocks 18, weekend spread 12, and faces with the night spread together 40
    # (`test_a_low_night_peak_needs_more_people_on_nights_each_a_face`), where the faces
    # and night bounds are joined (18 + 20)
    assert optimum_total == 62
    whole = tiny(**{w: getattr(default, w) for w in QUALITY})
    ours = quality_bound(whole, team_members=6)
    assert ours.blocks + ours.weekend_spread <= 18 + 12
    assert ours.faces + ours.night_spread == 38 <= 40
    assert ours.total == 68 <= 18 + 12 + 40


def test_a_short_solve_reports_the_terms_bound_above_cp_sats() -> None:
    # the whole level on the tiny case, cut short: CP-SAT's own bound is the LP's
    # (far below), the per-term bound 6 + 68 = 74 is reported and named (faces and
    # night spread joined: 38 where each alone said 32)
    p = tiny(**{w: getattr(ObjectiveWeights(), w) for w in QUALITY})
    result = solve(
        p, time_limit=3, seed=0, parameters=SearchParameters(deterministic=True, lns=False)
    )
    assert result.status is SolveStatus.FEASIBLE
    cp_sat = sum(st.objective or 0 for st in result.stages[:-1]) + result.stages[-1].bound
    assert result.bound_by == "terms"
    assert result.bound == 74 > cp_sat
    assert result.bound is not None and result.objective is not None
    assert result.bound <= result.objective


def test_a_search_that_asks_for_no_terms_bound_reports_cp_sat_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the same short solve as a case searched alone runs it (`roster.by_case`): the
    # per-term bound is never computed, and CP-SAT's own is reported
    def unused(*args: object) -> None:
        raise AssertionError("the per-term bound was computed")

    monkeypatch.setattr(sys.modules["roster.solve"], "bound_given", unused)
    p = tiny(**{w: getattr(ObjectiveWeights(), w) for w in QUALITY})
    params = SearchParameters(deterministic=True, lns=False, terms_bound=False)
    result = solve(p, time_limit=3, seed=0, parameters=params)
    assert result.status is SolveStatus.FEASIBLE
    cp_sat = sum(st.objective or 0 for st in result.stages[:-1]) + result.stages[-1].bound
    assert result.bound_by == "cp-sat"
    assert result.bound == cp_sat < 74


def test_without_rhythm_and_fairness_terms_cp_sat_s_bound_stays() -> None:
    # cover and team only: no level for the per-term bound, the proven team stays
    p = tiny()
    result = proven(p)
    assert result.bound_by == "cp-sat"
    assert result.bound == result.objective == 6
    assert quality_bound(p).total == 0


def test_missing_cover_weakens_the_bound_and_free_under_cover_voids_it() -> None:
    p = tiny(face_per_time_of_day=2)
    assert quality_bound(p).faces == 12
    # three missing shifts may all be in any one shift type: each type's other 4
    # shifts fit one consultant's week (37 h: 4 shifts of 8 h), one face per type
    assert quality_bound(p, missing_shifts=3).faces == 6
    under = p.under_weight(p.cover[0])
    # a cover level worth three missing shifts allows them: that bound, plus the levels
    levels = {LEVEL_COVER: 3 * under, LEVEL_TEAM: 6}
    assert (
        lexicographic_bound(p, levels, [LEVEL_COVER, LEVEL_TEAM, LEVEL_QUALITY])
        == 3 * under + 6 + 6
    )
    free = dataclasses.replace(
        p, cover=tuple(CoverDemand(d.case, d.day, d.shift, 1, under_weight=0) for d in p.cover)
    )
    assert lexicographic_bound(free, {LEVEL_COVER: 100}, [LEVEL_COVER, LEVEL_QUALITY]) is None


def test_a_level_held_unproven_counts_its_bound_not_its_value() -> None:
    # the cover level held at three missing shifts but proven only >= 0 (a search cut
    # short): a roster with every shift covered may still be in the set the later
    # levels searched, so the levels held count 0 + the team's 6, while the quality
    # bound still follows what the held cover allows (6 faces, as above)
    p = tiny(face_per_time_of_day=2)
    under = p.under_weight(p.cover[0])
    held = {LEVEL_COVER: 3 * under, LEVEL_TEAM: 6}
    levels = [LEVEL_COVER, LEVEL_TEAM, LEVEL_QUALITY]
    assert lexicographic_bound(p, held, levels, floors={LEVEL_COVER: 0, LEVEL_TEAM: 6}) == 6 + 6
    # proven at their values, the floors change nothing
    assert lexicographic_bound(p, held, levels, floors=held) == lexicographic_bound(p, held, levels)


def test_levels_the_final_roster_reaches_lower_are_held_there_and_proven_at_their_bound() -> None:
    # the cover level held at three missing shifts, its search cut short with a bound
    # below 0 (counted as 0), the team held at 7 (its bound 6); a roster covering every
    # shift with 6 people (the cases re-planned alone) lowers both to their bounds, so
    # both are proven, and the quality bound follows them (faces 12, none missing)
    p = tiny(face_per_time_of_day=2)
    rm = RosterModel(p)
    plan = list(rm.level_expressions().items())
    under = p.under_weight(p.cover[0])
    stages = [
        StageResult(LEVEL_COVER, SolveStatus.FEASIBLE, 3 * under, -986_400, 1.0),
        StageResult(LEVEL_TEAM, SolveStatus.FEASIBLE, 7, 6, 1.0),
    ]
    best = proven(p).roster
    held, lowered = hold_lower_levels(p, rm, plan, stages, rm.assignment(best))
    assert [st.objective for st in held] == [0, 6] and lowered == 3 * under + 1
    values = {st.level: st.objective or 0 for st in held}
    levels = [LEVEL_COVER, LEVEL_TEAM, LEVEL_QUALITY]
    assert lexicographic_bound(p, values, levels, floors=_floors(held)) == 0 + 6 + 12
    # the model now holds them: the roster with its cover back at 3 missing shifts no
    # longer fits (it did before: the levels were held in `stages` only)
    three_missing = tuple(a for a in best if (a.day, a.shift) not in {(0, "D"), (1, "D"), (2, "D")})
    assert not rm.add_hint(three_missing, complete_seconds=5.0)
    # a roster at the held values: nothing changes
    fresh = RosterModel(p)
    again = list(fresh.level_expressions().items())
    same, none = hold_lower_levels(p, fresh, again, held, fresh.assignment(best))
    assert same == held and none == 0


@pytest.mark.parametrize("over_weight", [None, 1])
def test_over_cover_leaves_only_the_run_length_bound_on_blocks(over_weight: int | None) -> None:
    # D on days 0 and 2 only, one consultant each: two runs (each is a rise of the
    # daily demand); with over-cover allowed anywhere the rises are not used (a day may
    # hold more people than its demand, who may go on the next day), and only
    # ceil(2 / 6) = 1 run is claimed
    p = tiny(block=3)
    cover = tuple(
        CoverDemand("K1", day, "D", 1, over_weight=over_weight) for day in range(7) if day != 1
    )
    cover = tuple(d for d in cover if d.day in (0, 2))
    p = dataclasses.replace(p, cover=cover)
    assert quality_bound(p).blocks == (2 if over_weight is None else 1) * 3


def test_the_team_bound_meets_the_proven_minimum_team() -> None:
    # 21 shifts of 8 h, a 37 h week holds 4 of them: at least 6 consultants, which
    # the cover-and-team solve proves minimal
    p = tiny()
    assert team_bound(p) == 6 == proven(p).terms["team"]
    # with 5 shifts allowed missing, 16 remain: 4 people (37 h) suffice
    assert team_bound(p, missing_shifts=5) == 4


def somali_week(night_spread: int = 1) -> RosterProblem:
    """One week, 3x8, two cases: K1 (no language) and K2 (Somali), one consultant a
    shift. M1-M5 speak no Somali; S1-S5 do, and S1 and S2 take no nights. All have
    45 h contracts (five 8-hour shifts a week, 8 fairness units a night). Only the
    night spread is weighed in the rhythm and fairness level."""
    p = dognindsats_problem(cases=1, pool_size=6, weeks=1, seed=0)
    only = ObjectiveWeights(**{name: 0 for name in QUALITY} | {"night_spread": night_spread})  # type: ignore[arg-type]
    staff = tuple(
        Employee(f"M{i}", contract_minutes_per_week=45 * 60) for i in range(1, 6)
    ) + tuple(
        Employee(f"S{i}", contract_minutes_per_week=45 * 60, works_nights=i > 2, languages=("so",))
        for i in range(1, 6)
    )
    cases = (Case("K1"), Case("K2", language="so"))
    cover = tuple(
        CoverDemand(c.id, d, s.id, 1) for c in cases for d in range(7) for s in p.shift_types
    )
    return dataclasses.replace(p, employees=staff, cases=cases, cover=cover, weights=only)


def test_nights_that_need_the_language_spread_over_its_speakers_only() -> None:
    # K2's 7 nights need a Somali speaker who works nights: S3-S5, so one of them works
    # 3 (24 units). Over everyone the 14 nights need only 2 each (16): the language
    # lifts the bound to the proven optimum, once the cover level is held at 0
    p = somali_week()
    result = proven(p)
    assert result.terms.get("uncovered", 0) == result.terms.get("missing_language", 0) == 0
    assert result.terms["night_spread"] == 24
    team = result.terms["team"]
    assert quality_bound(p, team_members=team, languages_met=True).night_spread == 24
    assert quality_bound(p, team_members=team).night_spread == 16
    assert lexicographic_bound(p, {LEVEL_COVER: 0, LEVEL_TEAM: team}, [LEVEL_QUALITY]) == team + 24


def test_a_cover_level_above_0_claims_nothing_from_the_language() -> None:
    # with a shift allowed to go without its language, S3-S5 need not hold every night
    p = somali_week()
    team = 10
    held = {LEVEL_COVER: 480, LEVEL_TEAM: team}
    assert (
        lexicographic_bound(p, held, [LEVEL_QUALITY])
        == 480
        + team
        + quality_bound(
            p, missing_shifts=480 // min(p.under_weight(d) for d in p.cover), team_members=team
        ).night_spread
    )


def test_the_team_level_is_proven_once_it_reaches_the_team_bound() -> None:
    # the tiny case's team bound is 6 (a 37 h week holds 4 of the 21 shifts, the
    # 32 h one 3), added to the team level as a constraint: the level is proven at a
    # roster of 6 members with that bound
    p = tiny(**{w: getattr(ObjectiveWeights(), w) for w in QUALITY})
    assert team_bound(p) == 6
    result = solve(
        p, time_limit=3, seed=0, parameters=SearchParameters(deterministic=True, lns=False)
    )
    (team_stage,) = [st for st in result.stages if st.level == LEVEL_TEAM]
    assert team_stage.status is SolveStatus.OPTIMAL
    assert team_stage.objective == team_stage.bound == 6


def test_a_repair_s_team_level_claims_no_per_term_proof() -> None:
    # a repair (a published roster as reference) holds a changes level too: the per-term
    # bound does not apply there, and the team level's status is CP-SAT's own
    p = tiny(**{w: getattr(ObjectiveWeights(), w) for w in QUALITY})
    published = solve(p, time_limit=3, seed=0, parameters=SearchParameters(deterministic=True))
    assert lexicographic_bound(p, {LEVEL_COVER: 0, LEVEL_CHANGES: 0}, [LEVEL_TEAM]) is None
    assert published.found


def faces_and_nights(pool_size: int, weeks: int, night_spread: int = 1) -> RosterProblem:
    """`tiny`'s case with faces (2 each) and the night spread as the only rhythm terms.
    Contracts: C01 30 h, C02-C03 32 h (12 units a night), C04-C05 37 h (10 a night);
    C06 works no nights."""
    p = dognindsats_problem(cases=1, pool_size=pool_size, weeks=weeks, seed=0)
    only = ObjectiveWeights(
        **{name: 0 for name in QUALITY}  # type: ignore[arg-type]
        | {"face_per_time_of_day": 2, "night_spread": night_spread}
    )
    return dataclasses.replace(p, cases=(Case("K1"),), weights=only)


def _separate(p: RosterProblem, team: int) -> int:
    """The faces and night-spread bounds each on its own (before they were joined)."""
    faces = quality_bound(
        dataclasses.replace(p, weights=dataclasses.replace(p.weights, night_spread=0))
    )
    night = quality_bound(
        dataclasses.replace(p, weights=dataclasses.replace(p.weights, face_per_time_of_day=0)),
        team_members=team,
    )
    return faces.faces + night.night_spread


def test_a_low_night_peak_needs_more_people_on_nights_each_a_face() -> None:
    # one week: the night peak's own bound is 20 (7 nights over the 5 who work nights);
    # at 20 a 37 h contract holds 2 nights, a 30 or 32 h one 1 (12 units each), so all
    # five work nights: 5 night faces, and 2 + 2 for the 7 days and 7 evenings (4
    # shifts a week each): 9 faces, 18. A peak of 24 would save one face (2) for 4.
    # Alone, faces say 6 (12): 38 against 32, and the proven optimum is 40
    p = faces_and_nights(6, 1)
    result = proven(p)
    assert result.terms["faces"] + result.terms["night_spread"] == 40
    team = result.terms["team"]
    ours = quality_bound(p, team_members=team)
    assert (ours.faces, ours.night_spread) == (18, 20)
    assert _separate(p, team) == 32


def test_a_tight_team_puts_every_night_worker_on_days_or_evenings_too() -> None:
    # two weeks, 42 shifts, team 5 (proven minimal): the night peak 36 caps everyone at
    # 3 of the 14 nights, so all five work nights; a team of five whose one member
    # worked nights only could not hold the 42 shifts, so each of the five has a day
    # or evening face too: 5 + 5 faces (20) where one more member (team 6) leaves 5 + 4
    p = faces_and_nights(6, 2)
    result = proven(p)
    team = result.terms["team"]
    assert team == 5
    assert result.terms["faces"] + result.terms["night_spread"] == 58
    tight, loose = quality_bound(p, team_members=5), quality_bound(p, team_members=6)
    assert (loose.faces, loose.night_spread) == (18, 36)
    # the per-term reasoning says 20 + 36 for team 5; the counts relaxation with the
    # hours (`roster.joint_bound`) meets the proven optimum: 18 + 40 = 58
    assert tight.faces + tight.night_spread == 58
    assert _separate(p, team) == 48


def test_without_the_night_spread_the_faces_bound_stands_alone() -> None:
    p = faces_and_nights(6, 1, night_spread=0)
    assert quality_bound(p, team_members=6) == quality_bound(p)
    assert quality_bound(p, team_members=6).faces == 12


def speakers_week(language: str | None = "so", needs_language: bool = True) -> RosterProblem:
    """One week of day shifts for one case (family language `language`), one consultant
    each (`needs_language`: whether a shift needs it). M1 speaks no Somali and may work
    every day; S1-S4 speak it and may work at most 2 day shifts each. Besides cover and
    team, only faces are weighed (2 a face)."""
    staff = [Employee("M1")] + [
        Employee(f"S{i}", languages=("so",), max_shifts_per_type={"D": 2}) for i in range(1, 5)
    ]
    p = problem(
        7,
        [(d, "D") for d in range(7)],
        employees=staff,
        shift_types=(D,),
        rule_set=rules(),
        weights=ObjectiveWeights(block=0, isolated_shift=0, night_spread=0, weekend_spread=0),
        cases=(Case("K1", language=language),),
    )
    cover = tuple(dataclasses.replace(d, needs_language=needs_language) for d in p.cover)
    return dataclasses.replace(p, cover=cover)


def _solved_reproducibly(p: RosterProblem) -> RosterResult:
    result = proven(p)
    assert result.terms.get("uncovered", 0) == result.terms.get("missing_language", 0) == 0
    return result


def test_shifts_that_need_the_language_need_as_many_faces_as_their_speakers_hold() -> None:
    # M1 alone could hold all 7 day shifts (one face: 2), but each needs a Somali
    # speaker, and a speaker holds 2 of them: 4 faces (8) once the cover level is held
    # at 0; the roster proven optimal (team 4 + faces 8) has exactly those 4 speakers,
    # M1 none
    p = speakers_week()
    assert quality_bound(p).faces == 2
    assert quality_bound(p, languages_met=True).faces == 8
    result = _solved_reproducibly(p)
    assert result.terms["team"] == 4 and result.terms["faces"] == 8
    assert lexicographic_bound(p, {LEVEL_COVER: 0, LEVEL_TEAM: 4}, [LEVEL_QUALITY]) == 4 + 8
    assert result.objective == 12
    worked = Counter(a.employee for a in result.roster)
    assert "M1" not in worked
    assert sorted(worked.values()) == [1, 2, 2, 2]


@pytest.mark.parametrize(
    ("language", "needs_language"), [(None, True), ("so", False)], ids=["none", "not-needed"]
)
def test_without_language_demand_the_faces_bound_is_the_plain_one(
    language: str | None, needs_language: bool
) -> None:
    # no family language, or shifts that do not need it: M1 may hold all 7 (one face),
    # and the speakers' bound claims nothing more
    p = speakers_week(language, needs_language)
    assert quality_bound(p, languages_met=True).faces == quality_bound(p).faces == 2
    result = _solved_reproducibly(p)
    assert result.terms["team"] == 1 and result.terms["faces"] == 2
    assert {a.employee for a in result.roster} == {"M1"}


def _day_shifts_only(weeks: int, **rule_changes: Any) -> RosterProblem:
    """One case, a day shift (07-15) every day of `weeks` weeks and nothing else, ten
    consultants, no history; only blocks weigh (3 each)."""
    p = dognindsats_problem(cases=1, pool_size=10, weeks=weeks, seed=0)
    only = ObjectiveWeights(**{name: 0 for name in QUALITY} | {"block": 3})  # type: ignore[arg-type]
    return dataclasses.replace(
        p,
        cases=(Case("K1"),),
        weights=only,
        cover=tuple(d for d in p.cover if d.shift == "D"),
        rules=dataclasses.replace(p.rules, **rule_changes),
    )


def test_the_weekly_rest_shortens_runs_of_day_shifts_away_from_the_ends() -> None:
    # 21 day shifts. 35 h of rest inside every 7-day window: 5 day shifts in a row with
    # a day off either side leave 31 h (midnight to 07:00 after the day off before) and
    # 33 h (15:00 to midnight of the day off after) in the window from the day off before,
    # so a run of 5 or more fits only where that window is not in the horizon: from day
    # 0, or ending on day 20. Then 5 runs, not ceil(21 / 6) = 4: two of at most 6 at the
    # ends, 9 days between them in runs of at most 4. CP-SAT proves 5 optimal (5 + 4 + 4
    # + 4 + 4: a run of 6 from day 0 leaves 33 h in days 0-6, so the end runs hold 5).
    p = _day_shifts_only(3)
    assert quality_bound(p, team_members=10).blocks == 5 * 3
    result = proven(p)
    assert result.terms["blocks"] == 5 * 3


def test_without_the_weekly_rest_runs_of_day_shifts_reach_the_consecutive_days_rule() -> None:
    # the same 21 day shifts without a weekly rest: runs of 6, ceil(21 / 6) = 4
    p = _day_shifts_only(3, weekly_rest_minutes=None)
    assert quality_bound(p, team_members=10).blocks == 4 * 3
