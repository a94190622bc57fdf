"""`roster.spreads_bound`: the weekend peak under a night peak, case by case. True: on a
tiny pair of cases, where the crew the nights need is not the crew the weekend alone
would pick, the bound meets the proven optimum where the peaks bounded apart fall
short; it adds nothing where one crew serves both."""

from __future__ import annotations

import dataclasses

import pytest

from roster.bound import quality_bound
from roster.examples import dognindsats_problem
from roster.problem import Case, CoverDemand, Employee, ObjectiveWeights, RosterProblem
from roster.spreads_bound import WeekendUnderNightPeak
from roster.term_bound import members_per_case
from tests.roster.test_bound import QUALITY, proven

pytestmark = pytest.mark.usefixtures("no_wall_guard")

#: Faces, night and weekend spreads weighed in the rhythm and fairness level.
PEAKS = ObjectiveWeights(
    **{name: 0 for name in QUALITY}  # type: ignore[arg-type]
    | {"face_per_time_of_day": 2, "night_spread": 1, "weekend_spread": 1}
)


def somali_and_tigrinya_week(somali_night_workers_full_time: bool) -> RosterProblem:
    """One week, 3x8, K1 (Somali) and K2 (Tigrinya), one consultant a shift, every
    shift needing the case's language. P1-P3 speak Somali and take nights, on 30 h
    contracts (3 shifts a week, 12 fairness units a shift), or with
    `somali_night_workers_full_time` on 37 h (4 shifts, 10 units); S1-S6 speak Somali,
    37 h, no nights; T1-T6 speak Tigrinya, 37 h, take nights."""
    p = dognindsats_problem(cases=1, pool_size=6, weeks=1, seed=0)
    hours = 37 if somali_night_workers_full_time else 30

    def staff(name: str, contract: int, nights: bool, language: str) -> Employee:
        return Employee(
            name,
            contract_minutes_per_week=contract * 60,
            works_nights=nights,
            languages=(language,),
        )

    people = [staff(f"P{i}", hours, True, "so") for i in range(1, 4)]
    people += [staff(f"S{i}", 37, False, "so") for i in range(1, 7)]
    people += [staff(f"T{i}", 37, True, "ti") for i in range(1, 7)]
    cases = (Case("K1", language="so"), Case("K2", language="ti"))
    cover = tuple(
        CoverDemand(c.id, d, s.id, 1) for c in cases for d in range(7) for s in p.shift_types
    )
    return dataclasses.replace(p, employees=tuple(people), cases=cases, cover=cover, weights=PEAKS)


def test_the_night_crew_raises_the_weekend_peak() -> None:
    # K1's 7 nights need P1-P3 (3 shifts each): 3, 2 and 2 nights, a night peak of 36.
    # Its 21 shifts need a crew of 6 (S's hold 4 each), so the crew is P1-P3 and three
    # S's, 9 + 12 = 21: everyone works their most. Its 6 weekend shifts (2 days × 3)
    # then need the P's too: under a weekend peak of 10 a 30 h contract may work none
    # (12 units a shift), three S's one each, 3 < 6; under 12 each member one. The
    # weekend peak alone lets K1 take six S's (10). Together: 36 + 12, the proven
    # optimum's two spreads
    p = somali_and_tigrinya_week(somali_night_workers_full_time=False)
    result = proven(p)
    assert result.terms.get("uncovered", 0) == result.terms.get("missing_language", 0) == 0
    team = result.terms["team"]
    assert team == 12
    assert (result.terms["night_spread"], result.terms["weekend_spread"]) == (36, 12)
    weekend_at = WeekendUnderNightPeak(p, members_per_case(p, team), True, lowest=10)
    # a higher night peak frees nothing (the P's hold 3 shifts whatever it is); under
    # 24 they hold 2 nights each, 6 of 7: no roster as assumed, and nothing is claimed
    assert [weekend_at(peak) for peak in (36, 48, 24)] == [12, 12, 10]
    ours = quality_bound(p, team_members=team, languages_met=True)
    assert (ours.night_spread, ours.weekend_spread) == (36, 12)
    assert result.objective is not None
    optimum = result.objective - result.terms["team"]
    assert ours.faces + ours.night_spread + ours.weekend_spread <= optimum


def test_one_crew_for_both_peaks_adds_nothing() -> None:
    # with P1-P3 on 37 h (10 units a shift) the night crew holds the weekend at 10 too
    p = somali_and_tigrinya_week(somali_night_workers_full_time=True)
    team = 12
    weekend_at = WeekendUnderNightPeak(p, members_per_case(p, team), True, lowest=10)
    assert weekend_at(30) == 10
    ours = quality_bound(p, team_members=team, languages_met=True)
    assert ours.weekend_spread == 10
