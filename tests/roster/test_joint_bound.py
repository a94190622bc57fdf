"""`roster.joint_bound`: faces and night spread bounded together by a counts relaxation
that knows everyone's hours. True: on tiny døgnindsats it is at most the proven
optimum (here it meets it); it adds nothing where the hours leave room."""

from __future__ import annotations

import dataclasses

import pytest

import roster.bound
import roster.faces_nights_bound
from roster.bound import quality_bound
from roster.faces_nights_bound import _steps, faces_and_night_peak, faces_by_case_and_night_peak
from roster.joint_bound import FacesUnderNightPeak, faces_and_night_spread, joint_bound
from roster.problem import Case, RosterProblem
from roster.term_bound import spread_peak
from tests.roster.test_bound import faces_and_nights, proven

pytestmark = pytest.mark.usefixtures("no_wall_guard")


def test_a_tight_team_s_hours_lift_faces_and_nights_to_the_proven_optimum() -> None:
    # two weeks of 3x8 (42 shifts), team 5 (proven minimal): over two weeks a 37 h
    # contract holds 9 shifts, 32 h 8, 30 h 7, so the best five hold 43 and work 42 of
    # them. The per-term bounds say 20 + 36 (all five on nights at a peak of 36, each
    # with a day or evening face too); with the hours, the two or three who share the
    # days or the evenings besides their nights cannot hold them, and the relaxation's
    # best is 18 + 40 (a peak of 40 lets the 37 h members work 4 nights): 58, which is
    # the proven optimum of the two terms
    p = faces_and_nights(6, 2)
    result = proven(p)
    assert result.terms["team"] == 5
    assert result.terms["faces"] + result.terms["night_spread"] == 58
    assert faces_and_night_spread(p, 0, 5, False) == (18, 40)
    ours = quality_bound(p, team_members=5)
    assert ours.faces + ours.night_spread == 58


def test_with_hours_to_spare_the_per_term_bound_stands() -> None:
    # the same with a sixth member allowed: the relaxation's best (54) is no more than
    # the per-term bounds' (18 + 36), which stay as they are
    p = faces_and_nights(6, 2)
    joint = faces_and_night_spread(p, 0, 6, False)
    assert joint is not None and sum(joint) == 54
    ours = quality_bound(p, team_members=6)
    assert (ours.faces, ours.night_spread) == (18, 36)


def test_no_roster_under_the_assumptions_claims_nothing() -> None:
    # three members cannot hold 42 shifts: the relaxation has no solution, and says so
    p = faces_and_nights(6, 2)
    assert faces_and_night_spread(p, 0, 3, False) is None
    assert joint_bound(p, 0, 3, False).total == 0


def twin_cases(p: RosterProblem) -> RosterProblem:
    """`p`'s case twice (K1, K2), its pool twice (the twins T01-T06 of C01-C06)."""
    twins = tuple(dataclasses.replace(e, id=f"T{e.id[1:]}") for e in p.employees)
    return dataclasses.replace(
        p,
        cases=(Case("K1"), Case("K2")),
        employees=p.employees + twins,
        cover=p.cover + tuple(dataclasses.replace(d, case="K2") for d in p.cover),
    )


def test_several_cases_are_bounded_case_by_case(monkeypatch: pytest.MonkeyPatch) -> None:
    # two copies of the tight team's two weeks, team 10: each case has at most 5
    # members (10 less the other's 5), and its relaxation alone says 18 + 40 as for
    # one case (above), so the two 36 + 40: 76, which the twins reach, each half
    # rostered like the one case (faces 18 each, both night peaks 40). The pooled
    # per-type capacities (`faces_and_night_peak`) say 16 faces for the two: 32 + 40
    def unused(*args: object) -> None:
        raise AssertionError("the whole relaxation ran for two cases")

    monkeypatch.setattr(roster.bound, "faces_and_night_spread", unused)
    p = twin_cases(faces_and_nights(6, 2))
    lowest = spread_peak(p, lambda _d, s: s.night, 0, 10)
    assert lowest == 40
    assert faces_and_night_peak(p, 0, 10, False, lowest) == (16, 40)
    assert faces_by_case_and_night_peak(p, 0, 10, False, lowest) == (36, 40, 0)
    ours = quality_bound(p, team_members=10)
    assert (ours.faces, ours.night_spread) == (36, 40)


def test_several_cases_with_shifts_missing_keep_the_pooled_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # with a shift allowed to go unstaffed, neither relaxation runs for two cases (the
    # whole pool's proves nothing in its time, the case-by-case one assumes the cover
    # met): the pooled per-type bound stands, 18 faces at a night peak of 36 (one
    # night may go unstaffed), weighted 2 a face and 1 a night
    def unused(*args: object) -> None:
        raise AssertionError("a relaxation ran for two cases with a shift missing")

    monkeypatch.setattr(roster.bound, "faces_and_night_spread", unused)
    monkeypatch.setattr(roster.bound, "faces_by_case_and_night_peak", unused)
    p = twin_cases(faces_and_nights(6, 2))
    lowest = spread_peak(p, lambda _d, s: s.night, 1, 10)
    assert faces_and_night_peak(p, 1, 10, False, lowest) == (18, 36)
    ours = quality_bound(p, missing_shifts=1, team_members=10)
    assert (ours.faces, ours.night_spread) == (36, 36)


def test_cases_with_room_to_spare_gain_nothing_by_case() -> None:
    # team 12: each case may have 7 members, the night peak's bound is 36, and case by
    # case says 9 faces a case there (36 + 36), no more than the pooled bound's 18
    p = twin_cases(faces_and_nights(6, 2))
    lowest = spread_peak(p, lambda _d, s: s.night, 0, 12)
    assert lowest == 36
    assert faces_and_night_peak(p, 0, 12, False, lowest) == (18, 36)
    assert faces_by_case_and_night_peak(p, 0, 12, False, lowest) == (36, 36, 0)
    ours = quality_bound(p, team_members=12)
    assert (ours.faces, ours.night_spread) == (36, 36)


def test_one_case_is_not_bounded_case_by_case(monkeypatch: pytest.MonkeyPatch) -> None:
    def unused(*args: object) -> None:
        raise AssertionError("one case bounded case by case")

    monkeypatch.setattr(roster.bound, "faces_by_case_and_night_peak", unused)
    ours = quality_bound(faces_and_nights(6, 2), team_members=5)
    assert ours.faces + ours.night_spread == 58


def test_a_night_cap_raises_the_faces_a_case_needs() -> None:
    # the tight team's two weeks, team 5, 14 nights: with no cap on the night peak the
    # relaxation's best is 7 faces (14); a cap of 40 allows 4 nights on a 37 h contract
    # (10 units each) and 3 on a 30 or 32 h one (12), so four work nights, and with the
    # hours their days or evenings too: 9 faces (18, as in the tight team's test
    # above); at 36 everyone is held to 3 nights, so all five work nights: 11 (22)
    faces_at = FacesUnderNightPeak(faces_and_nights(6, 2), 0, 5, False)
    assert [faces_at(peak) for peak in (None, 40, 36)] == [14, 18, 22]


def test_peaks_past_the_limit_count_only_their_fewest_faces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the twins, team 10, with no peak tried past the night peak's bound 40: each case's
    # per-type bound is 6 faces (two people a type, no one holding 9 of 14), and the
    # next peak a coefficient divides is 48 (12 × 4): 24 + 48, below 36 + 40
    monkeypatch.setattr(roster.faces_nights_bound, "MAX_PEAKS_BY_CASE", 0)
    p = twin_cases(faces_and_nights(6, 2))
    assert faces_by_case_and_night_peak(p, 0, 10, False, 40) == (24, 48, 0)


def test_a_case_s_faces_are_asked_only_between_peaks_where_they_change() -> None:
    # faces 22 below a peak of 30, 18 from it: the last peak (18) and the halving
    # (30: 18, 20: 22) leave 40 to its neighbours' equal values, unasked
    asked: list[int] = []

    def faces_at(peak: int) -> int:
        asked.append(peak)
        return 22 if peak < 30 else 18

    assert _steps(faces_at, [10, 20, 30, 40, 50], 22) == [22, 22, 18, 18, 18]
    assert sorted(asked) == [20, 30, 50]
