"""`roster.joint_bound`: faces and night spread bounded together by a counts relaxation
that knows everyone's hours. True: on tiny døgnindsats it is at most the proven
optimum (here it meets it); it adds nothing where the hours leave room."""

from __future__ import annotations

import pytest

import roster.joint_bound
from roster.bound import quality_bound
from roster.examples import dognindsats_problem
from roster.joint_bound import faces_and_night_spread, joint_bound
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


def test_several_cases_are_left_to_the_per_term_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    def unused(*args: object) -> None:
        raise AssertionError("the relaxation ran for two cases")

    monkeypatch.setattr(roster.joint_bound, "faces_and_night_spread", unused)
    p = dognindsats_problem(cases=2, pool_size=12, weeks=1, seed=0)
    assert quality_bound(p, team_members=12).faces > 0
