"""Ranking on tiny named instances whose order is worked out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from matcher.problem import MatchSettings, Role, Weights
from matcher.rank import rank
from matcher.rules import RuleName
from tests.matcher.instances import (
    AARHUS,
    ROSKILDE,
    case,
    consultant,
    office,
    problem,
    running,
)


def iraqi_family():
    """Case 10: an Iraqi-Arabic family in Copenhagen, 10 h/week.

    1 speaks ar-IQ and lives in Copenhagen            → best (exact dialect, near)
    2 speaks acm (Mesopotamian), same place              → second (same group: 0.7 × 30)
    3 speaks ar-IQ but lives in Roskilde, office there  → third (exact but ~40 min away)
    4 speaks ar-IQ but has only 5 h free                → nearest miss (capacity)
    5 speaks Tigrinya only                              → excluded (language)
    6 speaks ar-IQ, lives in Aarhus                     → excluded (travel)
    """
    offices = (office(1), office(2, ROSKILDE), office(3, AARHUS, ("DK-82",)))
    return problem(
        [
            consultant(1, "ar-IQ", cultural_countries=frozenset({"IQ"})),
            consultant(2, "acm"),
            consultant(3, "ar-IQ", home=ROSKILDE, office_id=2),
            consultant(4, "ar-IQ", hours=5),
            consultant(5, "ti"),
            consultant(6, "ar-IQ", home=AARHUS, office_id=3),
        ],
        [case(10, "ar-IQ", cultural_countries=frozenset({"IQ"}))],
        offices=offices,
    )


def test_rank_orders_by_language_then_travel_and_explains():
    ranking = rank(iraqi_family(), 10)
    assert [c.consultant_id for c in ranking.candidates] == [1, 2, 3]
    best = ranking.candidates[0]
    assert "speaks Arabic (Iraq) (exact dialect, native)" in best.reasons
    assert "knows the culture of Iraq" in best.reasons
    assert any(r.endswith("h free this week") for r in best.reasons)
    assert best.breakdown["language"] == 30.0 and best.breakdown["culture"] == 10.0
    assert ranking.candidates[1].breakdown["language"] == 21.0  # 0.7 × 30
    assert ranking.candidates[2].travel_minutes > 30
    assert ranking.feasible and ranking.reshuffle is None


def test_rank_summarises_exclusions_and_nearest_miss():
    excluded = rank(iraqi_family(), 10).excluded[Role.PRIMARY]
    assert excluded.counts == {RuleName.LANGUAGE: 1, RuleName.CAPACITY_HOURS: 1, RuleName.TRAVEL: 1}
    assert {m.consultant_id for m in excluded.nearest_misses} == {4, 6}
    miss4 = next(m for m in excluded.nearest_misses if m.consultant_id == 4)
    assert "only 5 h free of 10 h" in miss4.text
    assert any("speaker within reach but without enough free hours" in s for s in excluded.summary)


def test_rank_top_limits_and_weights_change_order():
    # With language weight 0 and travel weight high, 2 (acm, 0 min) beats 3 (ar-IQ, far),
    # and ties between 1 and 2 are broken by culture (1 knows Iraq).
    settings = MatchSettings(weights=Weights(language=0, travel=50), reserved_share=0.0)
    p = iraqi_family()
    p2 = problem(p.consultants, p.cases, offices=p.offices, settings=settings)
    ranking = rank(p2, 10, top=2)
    assert [c.consultant_id for c in ranking.candidates] == [1, 2]


def test_rank_pairs_for_a_case_needing_two_people():
    """Case 10 needs a primary and a support person, both Danish.
    1 is the best primary (requested by name) and 2 the only one who does support work:
    the best pair is (1, 2); 2 cannot be paired with itself."""
    p = problem(
        [
            consultant(1, "da", types=frozenset({"family_treatment"})),
            consultant(2, "da", types=frozenset({"family_treatment", "support_person"})),
        ],
        [
            case(
                10,
                "da",
                needs_support_person=True,
                support_hours_per_week=5,
                preferred_consultant_id=1,
            )
        ],
    )
    ranking = rank(p, 10)
    assert [(q.primary.consultant_id, q.support.consultant_id) for q in ranking.pairs] == [(1, 2)]
    assert ranking.feasible


def test_rank_proposes_reshuffle_when_nobody_fits():
    """Nobody is free for case 10 (Tigrinya). 1 speaks Tigrinya but is full with case 20
    (Danish, 20 h); 2 speaks Danish and has room. Moving case 20 from 1 to 2 frees 1."""
    p = problem(
        [consultant(1, "ti", "da", hours=20), consultant(2, "da", hours=30)],
        [case(10, "ti", hours=10), case(20, "da", hours=20, is_open=False)],
        [running(100, 20, 1, hours=20)],
    )
    ranking = rank(p, 10)
    assert ranking.candidates == () and not ranking.feasible
    assert ranking.reshuffle is not None
    assert ranking.reshuffle.freed_consultant_id == 1
    assert [(m.assignment_id, m.to_consultant_id) for m in ranking.reshuffle.moves] == [(100, 2)]


def test_rank_unknown_case_raises():
    import pytest

    with pytest.raises(KeyError, match="case 99"):
        rank(iraqi_family(), 99)


def test_rank_offers_a_related_language_only_with_sign_off_and_says_so():
    # Consultant 1 speaks Persian, the family Dari: a related language. Without the
    # case's sign-off nobody is a candidate (the language rule excludes 1); with it, 1 is
    # offered and the reason says a coordinator's sign-off is needed.
    unsigned = problem([consultant(1, "fa")], [case(10, "prs")])
    ranking = rank(unsigned, 10, propose_reshuffle=False)
    assert ranking.candidates == ()
    assert ranking.excluded[Role.PRIMARY].counts == {RuleName.LANGUAGE.value: 1}

    signed = problem([consultant(1, "fa")], [replace(case(10, "prs"), allow_related_language=True)])
    ranking = rank(signed, 10, propose_reshuffle=False)
    assert [c.consultant_id for c in ranking.candidates] == [1]
    assert "sign-off" in ranking.candidates[0].explanation


def test_rank_prefers_the_same_arabic_dialect_group():
    # A Moroccan family: 1 speaks Algerian Arabic (Maghrebi, same group), 2 Iraqi Arabic
    # (another group). Only 1 is offered; with sign-off 2 is offered too, below 1.
    consultants = [consultant(1, "ar-DZ"), consultant(2, "ar-IQ")]
    ranking = rank(problem(consultants, [case(10, "ar-MA")]), 10, propose_reshuffle=False)
    assert [c.consultant_id for c in ranking.candidates] == [1]
    signed = replace(case(10, "ar-MA"), allow_related_language=True)
    ranking = rank(problem(consultants, [signed]), 10, propose_reshuffle=False)
    assert [c.consultant_id for c in ranking.candidates] == [1, 2]


def test_rank_shows_an_employment_end_before_the_case_end_as_a_reason():
    # 1 leaves before the course is expected to end: still a candidate (soft by
    # default), with the reason shown; 2 stays and gets no such note.
    k = case(10, "ar-SY", expected_end=dt.date(2026, 11, 30))
    p = problem(
        [
            consultant(1, "ar-SY", active_to=dt.date(2026, 5, 31)),
            consultant(2, "ar-SY", active_to=None),
        ],
        [k],
    )
    reasons = {c.consultant_id: c.explanation for c in rank(p, 10).candidates}
    assert "employment ends 2026-05-31" in reasons[1]
    assert "employment ends" not in reasons[2]
    hard = problem(
        [consultant(1, "ar-SY", active_to=dt.date(2026, 5, 31))],
        [k],
        settings=MatchSettings(employment_end_is_hard=True, reserved_share=0.0),
    )
    ranking = rank(hard, 10, propose_reshuffle=False)
    assert ranking.candidates == ()
    assert ranking.excluded[Role.PRIMARY].counts == {RuleName.EMPLOYMENT_END.value: 1}
