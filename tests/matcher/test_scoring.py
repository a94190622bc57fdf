"""Every soft term on a pair where it counts and one where it does not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from matcher.problem import DateRange, Level, Role
from matcher.scoring import (
    continuity_term,
    culture_term,
    language_term,
    make_context,
    office_term,
    preference_term,
    start_term,
    travel_term,
    workload_term,
)
from tests.matcher.instances import MONDAY, ROSKILDE, case, consultant, office, problem


def ctx(p, case_id=10, consultant_id=1):
    return make_context(p, p.case_by_id[case_id], Role.PRIMARY, p.consultant_by_id[consultant_id])


def test_language_term_orders_exact_variety_dialect_related_and_level():
    p = problem(
        [
            consultant(1, "ar-IQ"),
            consultant(2, "acm"),  # Mesopotamian Arabic: same group as ar-IQ
            consultant(3, "fa"),
            consultant(4, "ar-IQ", level=Level.WORKING),
            consultant(5, "pt-PT"),
        ],
        [
            case(10, "ar-IQ"),
            replace(case(11, "prs"), allow_related_language=True),
            case(12, "pt-BR"),
        ],
    )
    exact, dialect, working = (language_term(ctx(p, 10, i)) for i in (1, 2, 4))
    assert exact == 1.0 and dialect == pytest.approx(0.7) and working == pytest.approx(0.75)
    assert language_term(ctx(p, 12, 5)) == pytest.approx(0.85)  # other regional variety
    assert language_term(ctx(p, 11, 3)) == pytest.approx(0.3)  # signed-off related language


def test_culture_term():
    p = problem(
        [consultant(1, "ar", cultural_countries=frozenset({"IQ"})), consultant(2, "ar")],
        [case(10, "ar", cultural_countries=frozenset({"IQ", "SY"}))],
    )
    assert culture_term(ctx(p, consultant_id=1)) == 1.0
    assert culture_term(ctx(p, consultant_id=2)) == 0.0


def test_travel_term_prefers_nearer():
    p = problem(
        [consultant(1, "da"), consultant(2, "da", home=ROSKILDE)],
        [case(10, "da", at=ROSKILDE)],
        offices=(office(1, ROSKILDE),),
    )
    p2 = problem([consultant(1, "da")], [case(10, "da", at=ROSKILDE)])
    assert travel_term(ctx(p, consultant_id=2)) == 1.0  # same point
    assert 0.0 < travel_term(ctx(p2)) < 0.7  # about 40 minutes of 75


def test_office_term():
    p = problem([consultant(1, "da")], [case(10, "da"), case(11, "da", region="DK-82")])
    assert office_term(ctx(p, 10)) == 1.0
    assert office_term(ctx(p, 11)) == 0.0


def test_continuity_term():
    p = problem(
        [consultant(1, "da"), consultant(2, "da"), consultant(3, "da")],
        [case(10, "da", preferred_consultant_id=1, previous_consultant_ids=frozenset({2}))],
    )
    assert [continuity_term(ctx(p, consultant_id=i)) for i in (1, 2, 3)] == [1.0, 0.7, 0.0]


def test_workload_term_is_one_minus_utilisation_after():
    p = problem([consultant(1, "da", hours=40), consultant(2, "da", hours=10)], [case(10, "da")])
    assert workload_term(ctx(p, consultant_id=1)) == pytest.approx(0.75)
    assert workload_term(ctx(p, consultant_id=2)) == 0.0


def test_start_term_penalises_absence_in_first_week():
    wed = MONDAY.date() + dt.timedelta(days=2)
    p = problem(
        [consultant(1, "da"), consultant(2, "da", absences=(DateRange(wed, wed),))],
        [case(10, "da")],
    )
    assert start_term(ctx(p, consultant_id=1)) == 1.0
    assert start_term(ctx(p, consultant_id=2)) == pytest.approx(0.8)


def test_preference_term_gender_and_competences():
    p = problem(
        [
            consultant(1, "da", gender="female", competences=frozenset({"trauma"})),
            consultant(2, "da", gender="male"),
        ],
        [
            case(
                10,
                "da",
                gender="female",
                gender_rule="preferred",
                needed_competences=frozenset({"trauma", "autism"}),
            ),
            case(11, "da"),
        ],
    )
    assert preference_term(ctx(p, consultant_id=1)) == pytest.approx(0.75)  # (1 + 1/2) / 2
    assert preference_term(ctx(p, consultant_id=2)) == 0.0
    assert preference_term(ctx(p, 11, 1)) == 0.0  # no wishes stated
