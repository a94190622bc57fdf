"""Each objective term, language/gender cover, uncovered reporting and several cases.

The solver's term values must equal the validator's independent `evaluate`.
"""

from __future__ import annotations

import dataclasses

import pytest

from roster import (
    Assignment,
    Case,
    CoverDemand,
    Employee,
    ObjectiveWeights,
    ShiftRequest,
    SolveStatus,
    evaluate,
)
from roster.problem import ProblemError, RosterProblem
from tests.roster.instances import COVER_ONLY, problem, rules, solved, worked


def only(**weights: int) -> ObjectiveWeights:
    """Cover plus the given terms, one weighted sum."""
    return dataclasses.replace(COVER_ONLY, **weights)  # type: ignore[arg-type]


def test_team_term_uses_the_fewest_consultants() -> None:
    # Three consultants, D on days 0-2: one person can do all three (no rules on), so the
    # optimum team is 1 and the objective is 1 × team_member.
    p = problem(
        3,
        [(d, "D") for d in range(3)],
        employees=[Employee("A"), Employee("B"), Employee("C")],
        weights=only(team_member=7),
    )
    result = solved(p)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 7
    assert result.kpis is not None and result.kpis.team_size == {"K1": 1}
    assert result.terms == evaluate(p, result.roster)


def test_blocks_term_keeps_each_person_on_one_shift_type() -> None:
    # D and E on days 0-3, A and B: both must work every day. Blocks are fewest (2) when
    # one does all D and the other all E; any swap adds blocks.
    p = problem(
        4,
        [(d, s) for d in range(4) for s in ("D", "E")],
        employees=[Employee("A"), Employee("B")],
        weights=only(block=3),
    )
    result = solved(p)
    assert result.objective == 2 * 3
    assert len(set(worked(result, "A").values())) == 1


def test_faces_term_same_faces_at_same_times_of_day() -> None:
    # Same instance: distinct (person, shift type) pairs are at least 2, reached only when
    # each person keeps one shift type.
    p = problem(
        4,
        [(d, s) for d in range(4) for s in ("D", "E")],
        employees=[Employee("A"), Employee("B")],
        weights=only(face_per_time_of_day=2),
    )
    result = solved(p)
    assert result.objective == 2 * 2
    assert len(set(worked(result, "B").values())) == 1


def test_isolated_shift_term() -> None:
    # D on days 0, 1, 3, 4 and A or B. One person doing all four has no isolated day;
    # splitting {0,1} / {3,4} has none either; {0,3} / {1,4} would have four.
    p = problem(
        5,
        [(0, "D"), (1, "D"), (3, "D"), (4, "D")],
        employees=[Employee("A"), Employee("B")],
        weights=only(isolated_shift=5),
    )
    result = solved(p)
    assert result.objective == 0
    assert result.kpis is not None
    assert all(k.isolated_shifts == 0 for k in result.kpis.per_employee.values())


def test_night_spread_shares_nights() -> None:
    # Four nights and four day shifts, A and B both work every day. The peak number of
    # nights (×10 for a 37 h contract) is lowest with 2 each: objective 20.
    p = problem(
        4,
        [(d, s) for d in range(4) for s in ("D", "N")],
        employees=[Employee("A"), Employee("B")],
        weights=only(night_spread=1),
    )
    result = solved(p)
    assert result.objective == 20
    assert sum(1 for s in worked(result, "A").values() if s == "N") == 2


def test_night_spread_is_relative_to_contract() -> None:
    # A has 37 h (10 per night), B 18.5 h (20 per night). 3 nights: A 2 and B 1 gives a
    # peak of max(20, 20) = 20; A 3 → 30; A 1, B 2 → 40. Optimum 20 with A on 2 nights.
    p = problem(
        3,
        [(d, s) for d in range(3) for s in ("D", "N")],
        employees=[Employee("A"), Employee("B", contract_minutes_per_week=1110)],
        weights=only(night_spread=1),
    )
    result = solved(p)
    assert result.objective == 20
    assert sum(1 for s in worked(result, "A").values() if s == "N") == 2


def test_weekend_spread() -> None:
    # Sat/Sun (days 5, 6) D; A and B. Peak weekend days is 1 each → 10.
    p = problem(
        7,
        [(5, "D"), (6, "D")],
        employees=[Employee("A"), Employee("B")],
        weights=only(weekend_spread=1),
    )
    result = solved(p)
    assert result.objective == 10
    assert len(worked(result, "A")) == 1


def test_requests_are_honoured_when_possible() -> None:
    # A wishes day 0 off (weight 4), B wishes not to work E on day 0 (weight 2). Both must
    # work (two demands, two people), so A's wish is unmet (4); B on D and A on E meets
    # B's wish. Optimum 4.
    requests = (
        ShiftRequest("A", 0, None, on=False, weight=4),
        ShiftRequest("B", 0, "E", on=False, weight=2),
    )
    p = problem(
        1,
        [(0, "D"), (0, "E")],
        employees=[Employee("A"), Employee("B")],
        weights=only(preference=1),
        requests=requests,
    )
    result = solved(p)
    assert result.objective == 4
    assert worked(result, "B") == {0: "D"}
    assert result.kpis is not None and result.kpis.requests_met == 1


def test_shift_on_request_and_preferred_types() -> None:
    # A asks to work N on day 0 (weight 3); B prefers D. Optimum 0: A on N, B on D.
    p = problem(
        1,
        [(0, "D"), (0, "N")],
        employees=[Employee("A"), Employee("B", preferred_shift_types=frozenset({"D"}))],
        weights=only(preference=1),
        requests=(ShiftRequest("A", 0, "N", on=True, weight=3),),
    )
    result = solved(p)
    assert result.objective == 0
    assert worked(result, "A") == {0: "N"}


# ------------------------------------------------------------------ language / gender


def test_language_cover_uses_a_speaker() -> None:
    # Case speaks Iraqi Arabic; A speaks only Danish, B Syrian Arabic (a dialect: OK).
    # One D shift, A or B: B must take it.
    p = problem(
        1,
        [(0, "D")],
        employees=[Employee("A", languages=("da",)), Employee("B", languages=("ar-SY",))],
        cases=(Case("K1", language="ar-IQ"),),
    )
    result = solved(p)
    assert result.objective == 0
    assert worked(result, "B") == {0: "D"}


def test_language_missing_is_reported_with_reason() -> None:
    # The only Arabic speaker is absent: the shift is covered by A but without language.
    p = problem(
        1,
        [(0, "D")],
        employees=[
            Employee("A", languages=("da",)),
            Employee("B", languages=("ar",), absences=frozenset({0})),
        ],
        cases=(Case("K1", language="ar-IQ"),),
    )
    result = solved(p)
    assert worked(result, "A") == {0: "D"}
    assert result.terms == {"missing_language": 60 * 8}
    (gap,) = result.uncovered
    assert gap.missing == 0 and gap.missing_language
    assert "no available consultant speaks ar-IQ" in gap.reason


def test_exact_closeness_rejects_a_dialect() -> None:
    p = problem(
        1,
        [(0, "D")],
        employees=[Employee("B", languages=("ar-SY",))],
        cases=(Case("K1", language="ar-IQ", min_closeness="exact"),),
    )
    assert solved(p).uncovered[0].missing_language


def test_gender_requirement() -> None:
    cover = (CoverDemand("K1", 0, "D", 1, gender="female"),)
    p = dataclasses.replace(
        problem(1, [], employees=[Employee("A", gender="male"), Employee("B", gender="female")]),
        cover=cover,
    )
    result = solved(p)
    assert worked(result, "B") == {0: "D"} and result.objective == 0


def test_uncovered_when_the_pool_is_too_small() -> None:
    # Two consultants needed on the same D shift, one in the pool: one missing (800).
    cover = (CoverDemand("K1", 0, "D", 2),)
    p = dataclasses.replace(problem(1, []), cover=cover)
    result = solved(p)
    assert result.objective == 800
    (gap,) = result.uncovered
    assert (gap.day, gap.shift, gap.missing) == (0, "D", 1)
    assert "pool too small" in gap.reason


def test_several_cases_share_one_pool() -> None:
    # Two cases need D on day 0; A and B can each do only one shift a day.
    cases = (Case("K1"), Case("K2"))
    p = problem(
        1, [(0, "D", "K1"), (0, "D", "K2")], employees=[Employee("A"), Employee("B")], cases=cases
    )
    result = solved(p)
    assert result.objective == 0
    assert {a.case for a in result.roster} == {"K1", "K2"}
    assert len({a.employee for a in result.roster}) == 2
    # With only A, one case stays uncovered.
    alone = problem(1, [(0, "D", "K1"), (0, "D", "K2")], cases=cases)
    assert len(solved(alone).uncovered) == 1


def test_lexicographic_cover_then_team_then_rhythm() -> None:
    # 4 days of D and E with rest rules: 11 h rest forbids E→D on consecutive days for one
    # person. Pool of 3. Cover first (0), then the team: 2 people suffice (one on D, one
    # on E), then the rest: 2 blocks × 50 + 2 faces × 2 = 104 (no isolated day, no
    # night, no weekend).
    weights = ObjectiveWeights(team_member=1, block=50)
    p = problem(
        4,
        [(d, s) for d in range(4) for s in ("D", "E")],
        employees=[Employee("A"), Employee("B"), Employee("C")],
        rule_set=rules(min_rest_minutes=11 * 60),
        weights=weights,
    )
    result = solved(p)
    assert result.status == SolveStatus.OPTIMAL
    assert [s.objective for s in result.stages] == [0, 2, 104]
    assert result.kpis is not None and result.kpis.total_team_size == 2
    assert result.terms == evaluate(p, result.roster)


def _weekend_on_one_or_two(floor: int) -> RosterProblem:
    # Sat/Sun (days 5, 6) D; A and B; a team member costs 5. A on both days: team 5 and
    # a weekend peak of 20; one day each: team 10 and a peak of 10.
    return problem(
        7,
        [(5, "D"), (6, "D")],
        employees=[Employee("A"), Employee("B")],
        weights=only(team_member=5, weekend_spread=1),
        weekend_spread_floor=floor,
    )


def test_a_peak_below_its_floor_costs_the_floor() -> None:
    # The rest of a pool already reaches a weekend peak of 20: splitting the weekend
    # lowers nobody's peak below it, so one member works both days: 5 + 20 = 25, where
    # the split costs 10 + 20 = 30.
    p = _weekend_on_one_or_two(20)
    result = solved(p)
    assert result.objective == 25
    assert result.terms == {"team": 5, "weekend_spread": 20} == evaluate(p, result.roster)
    assert len({a.employee for a in result.roster}) == 1


def test_a_floor_below_the_peak_changes_nothing() -> None:
    # A floor of 5 is below either roster's peak: the split is cheaper, 10 + 10 = 20
    # against 5 + 20 = 25, as without a floor.
    for floor in (0, 5):
        p = _weekend_on_one_or_two(floor)
        result = solved(p)
        assert result.objective == 20
        assert result.terms == {"team": 10, "weekend_spread": 10} == evaluate(p, result.roster)
        assert len(worked(result, "A")) == 1


def test_the_night_floor_counts_in_the_validator() -> None:
    # One night of a 37 h consultant is a night peak of 10; a floor of 30 costs 30.
    p = problem(1, [(0, "N")], weights=only(night_spread=1), night_spread_floor=30)
    roster = (Assignment(0, "N", "K1", "A"),)
    assert evaluate(p, roster) == {"night_spread": 30}
    assert evaluate(dataclasses.replace(p, night_spread_floor=0), roster) == {"night_spread": 10}


def test_a_negative_floor_is_refused_by_name() -> None:
    p = problem(1, [(0, "N")])
    for name in ("night_spread_floor", "weekend_spread_floor"):
        with pytest.raises(ProblemError, match=f"^{name}: must be >= 0"):
            dataclasses.replace(p, **{name: -1})  # type: ignore[arg-type]
