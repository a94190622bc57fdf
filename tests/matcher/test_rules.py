"""Every hard rule: one test that it fires and one that it does not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from matcher import rules
from matcher.problem import DateRange, Level, MatchSettings, Role
from matcher.rules import RuleName
from tests.matcher.instances import (
    AARHUS,
    CPH,
    MONDAY,
    case,
    consultant,
    office,
    problem,
    running,
)


def check(rule, p, case_id=10, consultant_id=1, role=Role.PRIMARY):
    return rule(p, p.case_by_id[case_id], role, p.consultant_by_id[consultant_id])


def test_language_exact_variety_and_dialect_group_pass():
    p = problem(
        [consultant(1, "ar-IQ"), consultant(2, "ar-LB"), consultant(3, "pt-PT")],
        [case(10, "ar-IQ"), case(11, "ar-SY"), case(12, "pt-BR")],
    )
    assert check(rules.language_rule, p, 10, 1) is None  # same tag
    assert check(rules.language_rule, p, 11, 2) is None  # Levantine for Levantine
    assert check(rules.language_rule, p, 12, 3) is None  # same language, other variety


def test_language_fires_for_arabic_of_another_dialect_group_without_sign_off():
    # Mesopotamian (Iraq) for a Maghrebi (Morocco) family is a related language only.
    p = problem([consultant(1, "ar-IQ")], [case(10, "ar-MA")])
    reason = check(rules.language_rule, p)
    assert reason is not None and reason.rule == RuleName.LANGUAGE
    assert "sign-off" in reason.text


def test_language_related_passes_only_with_the_case_sign_off():
    signed = replace(case(10, "prs"), allow_related_language=True)
    unsigned = case(11, "prs")
    p = problem([consultant(1, "fa")], [signed, unsigned])
    assert check(rules.language_rule, p, 10) is None  # Dari ← Persian, signed off
    reason = check(rules.language_rule, p, 11)
    assert reason is not None and "related" in reason.text


def test_language_fires_for_a_different_language_even_if_cldr_calls_it_close():
    # CLDR puts Ukrainian → Russian at distance 24 and Kurmanji → Turkish at 30; neither
    # is the family's language, and neither is a related language one may sign off.
    uk = replace(case(10, "uk"), allow_related_language=True)
    kmr = replace(case(11, "kmr"), allow_related_language=True)
    p = problem([consultant(1, "ru"), consultant(2, "tr")], [uk, kmr])
    assert check(rules.language_rule, p, 10, 1) is not None
    assert check(rules.language_rule, p, 11, 2) is not None


def test_language_fires_for_other_language_and_names_it():
    p = problem([consultant(1, "ti")], [case(10, "ar-IQ")])
    reason = check(rules.language_rule, p)
    assert reason is not None and reason.rule == RuleName.LANGUAGE
    assert "Arabic" in reason.text


@pytest.mark.parametrize("minimum", [Level.FLUENT, Level.NATIVE])
def test_language_fires_below_minimum_level_and_names_the_level_asked(minimum):
    settings = MatchSettings(min_language_level=minimum)
    p = problem(
        [consultant(1, "ar-IQ", level=Level.WORKING)], [case(10, "ar-IQ")], settings=settings
    )
    reason = check(rules.language_rule, p)
    assert reason is not None and f"below {minimum.value} level" in reason.text


def test_language_at_the_minimum_level_does_not_fire():
    settings = MatchSettings(min_language_level=Level.FLUENT)
    p = problem(
        [consultant(1, "ar-IQ", level=Level.FLUENT)], [case(10, "ar-IQ")], settings=settings
    )
    assert check(rules.language_rule, p) is None


def test_support_seat_needs_child_language_only():
    from matcher.problem import CaseData, CaseLanguage

    base = case(10)
    k = CaseData(
        **{
            **{f: getattr(base, f) for f in base.__dataclass_fields__},
            "languages": (CaseLanguage("ar-IQ", "parents"), CaseLanguage("da", "child")),
            "needs_support_person": True,
            "support_hours_per_week": 4,
        }
    )
    p = problem([consultant(1, "da")], [k])
    assert check(rules.language_rule, p, role=Role.SUPPORT) is None
    assert check(rules.language_rule, p, role=Role.PRIMARY) is not None


def test_intervention_type():
    p = problem(
        [consultant(1, "da"), consultant(2, "da", types=frozenset({"dognindsats"}))],
        [case(10, "da")],
    )
    assert check(rules.intervention_type_rule, p, consultant_id=1) is None
    reason = check(rules.intervention_type_rule, p, consultant_id=2)
    assert reason.rule == RuleName.INTERVENTION_TYPE
    assert check(rules.intervention_type_rule, p, consultant_id=2, role=Role.SUPPORT) is not None


def test_qualification():
    p = problem(
        [consultant(1, "da", qualifications=frozenset({"psykolog"})), consultant(2, "da")],
        [case(10, "da", required_qualifications=frozenset({"psykolog"}))],
    )
    assert check(rules.qualification_rule, p, consultant_id=1) is None
    reason = check(rules.qualification_rule, p, consultant_id=2)
    assert reason is not None and "psykolog" in reason.text


def test_exclusion():
    p = problem(
        [consultant(1, "da"), consultant(2, "da")],
        [case(10, "da", excluded_consultant_ids=frozenset({2}))],
    )
    assert check(rules.exclusion_rule, p, consultant_id=1) is None
    assert check(rules.exclusion_rule, p, consultant_id=2).rule == RuleName.EXCLUDED


def test_gender_required_fires_preferred_does_not():
    p = problem(
        [consultant(1, "da", gender="male")],
        [
            case(10, "da", gender="female", gender_rule="required"),
            case(11, "da", gender="female", gender_rule="preferred"),
        ],
    )
    assert check(rules.gender_rule, p, 10).rule == RuleName.GENDER
    assert check(rules.gender_rule, p, 11) is None


def test_absence_on_start_day():
    away = (DateRange(MONDAY.date(), MONDAY.date() + dt.timedelta(days=3)),)
    later = (DateRange(MONDAY.date() + dt.timedelta(days=1), MONDAY.date() + dt.timedelta(days=2)),)
    p = problem(
        [consultant(1, "da", absences=away), consultant(2, "da", absences=later)], [case(10, "da")]
    )
    assert check(rules.absence_rule, p, consultant_id=1).rule == RuleName.ABSENT
    assert check(rules.absence_rule, p, consultant_id=2) is None


def test_capacity_hours_counts_running_work_and_absences():
    # 1: 30 h, 25 h running on case 20 → 5 h free < 10 h needed.
    # 2: 30 h, away Tuesday–Friday of week 2 → 6 h that week, < 10 h needed.
    # 3: 30 h, 15 h running → 15 h free ≥ 10.
    week2 = MONDAY.date() + dt.timedelta(days=8)
    p = problem(
        [
            consultant(1, "da"),
            consultant(2, "da", absences=(DateRange(week2, week2 + dt.timedelta(days=3)),)),
            consultant(3, "da"),
        ],
        [case(10, "da"), case(20, "da", is_open=False), case(21, "da", is_open=False)],
        [running(1, 20, 1, hours=25), running(2, 21, 3, hours=15)],
    )
    assert check(rules.capacity_hours_rule, p, consultant_id=1).rule == RuleName.CAPACITY_HOURS
    assert check(rules.capacity_hours_rule, p, consultant_id=2).rule == RuleName.CAPACITY_HOURS
    assert check(rules.capacity_hours_rule, p, consultant_id=3) is None


def test_capacity_hours_ignores_own_assignment_on_the_same_case():
    p = problem(
        [consultant(1, "da", hours=10)],
        [case(10, "da", is_open=False)],
        [running(1, 10, 1, hours=10)],
    )
    assert check(rules.capacity_hours_rule, p) is None


def test_capacity_cases():
    p = problem(
        [consultant(1, "da", max_cases=1), consultant(2, "da", max_cases=2)],
        [case(10, "da"), case(20, "da", is_open=False), case(21, "da", is_open=False)],
        [running(1, 20, 1, hours=1), running(2, 21, 2, hours=1)],
    )
    assert check(rules.capacity_cases_rule, p, consultant_id=1).rule == RuleName.CAPACITY_CASES
    assert check(rules.capacity_cases_rule, p, consultant_id=2) is None


def test_travel_limit_from_home_or_office():
    offices = (office(1, CPH), office(2, AARHUS, ("DK-82",)))
    p = problem(
        [
            consultant(1, "da", home=AARHUS, office_id=2),
            consultant(2, "da", home=AARHUS, office_id=1),
        ],
        [case(10, "da", at=CPH)],
        offices=offices,
    )
    reason = check(rules.travel_rule, p, consultant_id=1)
    assert reason is not None and reason.rule == RuleName.TRAVEL and "min away" in reason.text
    assert check(rules.travel_rule, p, consultant_id=2) is None  # can start from the CPH office


def test_problem_validation_names_id_and_field():
    with pytest.raises(ValueError, match="case 10: hours_per_week"):
        problem([consultant(1, "da")], [case(10, "da", hours=-1)])
    with pytest.raises(ValueError, match="assignment 7: consultant_id 99"):
        problem([consultant(1, "da")], [case(10, "da")], [running(7, 10, 99)])
    with pytest.raises(ValueError, match="consultant 1: languages"):
        problem([consultant(1, "not a tag!")], [case(10, "da")])
    with pytest.raises(ValueError, match="consultant 1: duplicate"):
        problem([consultant(1, "da"), consultant(1, "da")], [case(10, "da")])


def test_capacity_keeps_the_reserved_share_for_travel_and_documentation():
    # 20 h contracted, 20 % reserved: 16 family hours. A 16 h case fits (does not fire),
    # a 17 h case does not (fires), though both are below the contract.
    settings = MatchSettings(reserved_share=0.2)
    p = problem(
        [consultant(1, hours=20)], [case(10, hours=16), case(11, hours=17)], settings=settings
    )
    assert check(rules.capacity_hours_rule, p, 10) is None
    reason = check(rules.capacity_hours_rule, p, 11)
    assert reason is not None and "16 h free of 17 h" in reason.text


def test_reserved_share_default_is_documented_and_validated():
    assert MatchSettings().reserved_share == pytest.approx(0.15)
    assert MatchSettings().family_hours(37) == pytest.approx(31.45)
    with pytest.raises(ValueError, match="reserved_share"):
        MatchSettings(reserved_share=1.0)


def test_employment_end_before_the_case_end_is_hard_only_if_configured():
    leaving = consultant(1, active_to=dt.date(2026, 5, 31))
    staying = consultant(2, active_to=dt.date(2026, 12, 31))
    k = case(10, expected_end=dt.date(2026, 11, 30))
    soft = problem([leaving, staying], [k])
    hard = problem([leaving, staying], [k], settings=MatchSettings(employment_end_is_hard=True))
    assert check(rules.employment_end_rule, soft, consultant_id=1) is None  # soft by default
    reason = check(rules.employment_end_rule, hard, consultant_id=1)
    assert reason is not None and reason.rule == RuleName.EMPLOYMENT_END
    assert "2026-05-31" in reason.text and "2026-11-30" in reason.text
    assert check(rules.employment_end_rule, hard, consultant_id=2) is None  # stays long enough
