"""`roster.peak_bound`: the night peak of several cases, bounded by who can staff which
case. True: on a tiny pair of cases it meets the proven optimum where the per-case
bound falls short; it adds nothing where the cases share no speaker."""

from __future__ import annotations

import dataclasses

import pytest

from roster.bound import quality_bound
from roster.examples import dognindsats_problem
from roster.peak_bound import crews_peak
from roster.problem import Case, CoverDemand, Employee, ObjectiveWeights, RosterProblem
from tests.roster.test_bound import QUALITY, proven

pytestmark = pytest.mark.usefixtures("no_wall_guard")

#: Only the night spread is weighed in the rhythm and fairness level.
NIGHTS_ONLY = ObjectiveWeights(**{name: 0 for name in QUALITY} | {"night_spread": 1})  # type: ignore[arg-type]


def two_languages_week(bilingual: bool) -> RosterProblem:
    """One week, 3x8, K1 (Somali) and K2 (Tigrinya), one consultant a shift, every
    shift needing the case's language. All have 45 h contracts (five 8-hour shifts a
    week, 8 fairness units a night). A1-A4 speak Somali, T1-T4 Tigrinya; only A1 and
    T1 of them take nights. N1-N3 take nights but speak neither language: over the
    whole pool the 14 nights need no more than 2 each (16). With `bilingual`, B speaks
    both and takes nights; else BA speaks Somali and BT Tigrinya, both taking nights."""
    p = dognindsats_problem(cases=1, pool_size=6, weeks=1, seed=0)

    def staff(name: str, nights: bool, *languages: str) -> Employee:
        return Employee(
            name, contract_minutes_per_week=45 * 60, works_nights=nights, languages=languages
        )

    people = [staff(f"A{i}", i == 1, "so") for i in range(1, 5)]
    people += [staff(f"T{i}", i == 1, "ti") for i in range(1, 5)]
    people += [staff(f"N{i}", True) for i in range(1, 4)]
    if bilingual:
        people.append(staff("B", True, "so", "ti"))
    else:
        people += [staff("BA", True, "so"), staff("BT", True, "ti")]
    cases = (Case("K1", language="so"), Case("K2", language="ti"))
    cover = tuple(
        CoverDemand(c.id, d, s.id, 1) for c in cases for d in range(7) for s in p.shift_types
    )
    return dataclasses.replace(
        p, employees=tuple(people), cases=cases, cover=cover, weights=NIGHTS_ONLY
    )


def test_a_speaker_both_cases_need_carries_nights_of_both() -> None:
    # each case's 7 nights need a speaker who takes nights: K1 A1 or B, K2 T1 or B. Per
    # case, 7 over two people is 4 each (32: `roster.bound`'s per-case bound). Both
    # cases lean on B, whose week holds 5 shifts: 14 nights over A1, T1 and B need 5 of
    # someone (40), the proven optimum
    p = two_languages_week(bilingual=True)
    result = proven(p)
    assert result.terms.get("uncovered", 0) == result.terms.get("missing_language", 0) == 0
    team = result.terms["team"]
    assert team == 10  # five per case (four hold 20 of 21 shifts), B on both
    assert result.terms["night_spread"] == 40
    assert quality_bound(p, team_members=team, languages_met=True).night_spread == 40
    nights = lambda day, shift: shift.night  # noqa: E731
    assert crews_peak(p, nights, team, 32, languages_met=True) == 40


def test_cases_that_share_no_speaker_keep_the_per_case_bound() -> None:
    # BA and BT each serve one case: per case 7 nights over two (32), across the cases
    # 14 over four (32 too): the relaxation adds nothing
    p = two_languages_week(bilingual=False)
    assert quality_bound(p, team_members=10, languages_met=True).night_spread == 32
    nights = lambda day, shift: shift.night  # noqa: E731
    assert crews_peak(p, nights, 10, 32, languages_met=True) == 32


def test_one_case_is_left_to_the_per_case_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    def unused(*args: object) -> None:
        raise AssertionError("the crews relaxation ran for one case")

    monkeypatch.setattr("roster.term_bound.crews_peak", unused)
    p = dognindsats_problem(cases=1, pool_size=6, weeks=1, seed=0)
    assert quality_bound(p, team_members=6).night_spread > 0
