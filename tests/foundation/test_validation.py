"""Validation at the boundary: each bad input names its record and field."""

from typing import Any

import pytest

from data.validation import (
    CaseRecord,
    ConsultantRecord,
    Issue,
    PeriodRecord,
    RecordError,
    check_record,
)


def consultant(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "employee_ref": "E-0001",
        "display_name": "Test Person",
        "office": "Næstved",
        "home_municipality_code": 370,
        "gender": "female",
        "languages": "ar-IQ:native;da:fluent",
        "qualifications": "paedagog;familieterapeut",
        "cultural_countries": "IQ;SY",
        "contracted_hours_per_week": 37,
        "max_cases": 8,
        "active_from": "2020-01-01",
    }
    row.update(changes)
    return row


def case(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "reference": "K-1",
        "municipality_code": 370,
        "intervention_type": "family_treatment",
        "languages": "parents:ar-IQ;child:da",
        "hours_per_week": 6,
        "visits_per_week": 2,
        "requested_start": "2023-03-01T09:00:00",
        "expected_end": "2023-12-01",
    }
    row.update(changes)
    return row


def issues_of(model: type, row: dict[str, Any], record: str = "row 2") -> list[Issue]:
    with pytest.raises(RecordError) as caught:
        check_record(model, row, record)
    return caught.value.issues


def test_valid_rows_pass_and_are_normalised() -> None:
    parsed = check_record(ConsultantRecord, consultant(languages="AR-iq:native"), "row 2")
    assert [(s.tag, s.level.value) for s in parsed.languages] == [("ar-IQ", "native")]
    assert parsed.cultural_countries == ["IQ", "SY"]
    parsed_case = check_record(CaseRecord, case(), "row 2")
    assert parsed_case.requested_start.tzinfo is not None
    assert [(n.person_group.value, n.tag) for n in parsed_case.languages] == [
        ("parents", "ar-IQ"),
        ("child", "da"),
    ]


def test_unparseable_language_tag_names_record_and_field() -> None:
    [issue] = issues_of(ConsultantRecord, consultant(languages="ar-IQ:native;qq-123x:fluent"))
    assert (issue.record, issue.field) == ("row 2", "languages")
    assert "qq-123x" in issue.reason and "BCP 47" in issue.reason


def test_unparseable_case_language_tag() -> None:
    [issue] = issues_of(CaseRecord, case(languages="parents:12"), "case K-1")
    assert (issue.record, issue.field) == ("case K-1", "languages")
    assert "'12'" in issue.reason


def test_level_outside_the_list() -> None:
    [issue] = issues_of(ConsultantRecord, consultant(languages="da:excellent"))
    assert issue.field == "languages"
    assert "excellent" in issue.reason and "native, fluent, working" in issue.reason


def test_unknown_municipality() -> None:
    [issue] = issues_of(CaseRecord, case(municipality_code=999))
    assert issue.field == "municipality_code"
    assert "999" in issue.reason


def test_negative_hours() -> None:
    [issue] = issues_of(CaseRecord, case(hours_per_week=-2))
    assert issue.field == "hours_per_week"
    assert "greater than or equal to 0" in issue.reason
    [issue] = issues_of(ConsultantRecord, consultant(contracted_hours_per_week=-1))
    assert issue.field == "contracted_hours_per_week"


def test_end_before_start() -> None:
    [issue] = issues_of(CaseRecord, case(expected_end="2023-01-01"))
    assert issue.field == "expected_end"
    assert "before the start 2023-03-01" in issue.reason
    [issue] = issues_of(ConsultantRecord, consultant(active_to="2019-12-31"))
    assert issue.field == "active_to"
    [issue] = issues_of(PeriodRecord, {"start": "2023-05-02", "end": "2023-05-01"}, "absence 4")
    assert (issue.record, issue.field) == ("absence 4", "end")


def test_unknown_country_code() -> None:
    [issue] = issues_of(ConsultantRecord, consultant(cultural_countries="IQ;XX"))
    assert issue.field == "cultural_countries"
    assert "'XX'" in issue.reason and "ISO 3166" in issue.reason


def test_several_problems_in_one_row_are_all_reported() -> None:
    issues = issues_of(
        CaseRecord, case(municipality_code=1, hours_per_week=-1, intervention_type="magic")
    )
    assert {i.field for i in issues} == {"municipality_code", "hours_per_week", "intervention_type"}


def test_duplicate_language_and_missing_language() -> None:
    [issue] = issues_of(ConsultantRecord, consultant(languages="da:native;DA:fluent"))
    assert "listed twice: da" in issue.reason
    [issue] = issues_of(ConsultantRecord, consultant(languages=""))
    assert issue.field == "languages"
    assert "at least one language" in issue.reason


def test_support_person_needs_hours() -> None:
    [issue] = issues_of(CaseRecord, case(needs_support_person=True, support_hours_per_week=0))
    assert issue.field == "support_hours_per_week"
