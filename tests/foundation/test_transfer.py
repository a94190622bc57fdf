"""Export/import of consultants and cases: round trip, and all-or-nothing on bad rows."""

# ruff: noqa: E501  (CSV fixtures are kept one record per line)

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import col
from typer.testing import CliRunner

from api.cli import app
from data.models import Case, CaseLanguage, Consultant, ConsultantLanguage
from data.transfer import ImportFailed, export_book, import_files


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as db:
        return {
            m.__name__: db.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Consultant, ConsultantLanguage, Case, CaseLanguage)
        }


def test_round_trip_reproduces_the_book(
    seeded_engine: Engine, engine: Engine, tmp_path: Path
) -> None:
    first = export_book(seeded_engine, tmp_path / "first", "csv")
    result = import_files(engine, first)
    assert (result.consultants_created, result.cases_created) == (200, 555)
    assert counts(engine) == counts(seeded_engine)
    second = export_book(engine, tmp_path / "second", "csv")
    for a, b in zip(first, second, strict=True):
        assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
    # Importing the same files again updates in place instead of duplicating.
    again = import_files(engine, second)
    assert (again.consultants_updated, again.cases_updated) == (200, 555)
    assert counts(engine) == counts(seeded_engine)
    # the coordinators' sign-offs for a related language travel with the cases
    assert signed_off(seeded_engine), "the demo book has signed-off cases"
    assert signed_off(engine) == signed_off(seeded_engine)


def signed_off(engine: Engine) -> set[str]:
    """References of the cases whose coordinator allowed a related language."""
    with engine.connect() as db:
        query = select(col(Case.reference)).where(col(Case.allow_related_language).is_(True))
        return set(db.execute(query).scalars())


SIGNED_OFF = """reference,municipality_code,intervention_type,languages,hours_per_week,visits_per_week,requested_start,allow_related_language
S1,370,family_treatment,parents:prs,6,2,2023-03-01T09:00,true
S2,370,family_treatment,parents:fa,6,2,2023-03-01T09:00,false
S3,370,family_treatment,parents:ar-IQ,6,2,2023-03-01T09:00,
"""


def test_a_related_language_sign_off_is_imported_and_kept_by_a_file_without_it(
    engine: Engine, tmp_path: Path
) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(SIGNED_OFF, encoding="utf-8")
    import_files(engine, [cases])
    # S3's blank cell: a new case starts without a sign-off
    assert signed_off(engine) == {"S1"}
    exported = pd.read_csv(export_book(engine, tmp_path / "out", "csv")[1])
    assert dict(zip(exported["reference"], exported["allow_related_language"], strict=True)) == {
        "S1": True,
        "S2": False,
        "S3": False,
    }
    # an older export without the column updates the cases and keeps S1's sign-off …
    older = tmp_path / "older.csv"
    older.write_text(
        "\n".join(line.rsplit(",", 1)[0] for line in SIGNED_OFF.splitlines()) + "\n",
        encoding="utf-8",
    )
    assert import_files(engine, [older]).cases_updated == 3
    assert signed_off(engine) == {"S1"}
    # … and a file saying false withdraws it
    withdrawn = tmp_path / "withdrawn.csv"
    withdrawn.write_text(SIGNED_OFF.replace(",true\n", ",false\n"), encoding="utf-8")
    import_files(engine, [withdrawn])
    assert signed_off(engine) == set()


def test_excel_holds_the_same_table_as_csv(seeded_engine: Engine, tmp_path: Path) -> None:
    csv_files = export_book(seeded_engine, tmp_path / "csv", "csv")
    xlsx_files = export_book(seeded_engine, tmp_path / "xlsx", "xlsx")
    for csv_file, xlsx_file in zip(csv_files, xlsx_files, strict=True):
        # Excel keeps numbers as numbers (25 rather than "25.0"): compare the values.
        expected = pd.read_csv(csv_file)
        actual = pd.read_excel(xlsx_file)
        pd.testing.assert_frame_equal(expected, actual, check_dtype=False)


def test_excel_import(engine: Engine, tmp_path: Path) -> None:
    frame = pd.read_csv(io.StringIO(CONSULTANTS), dtype=str).iloc[:1]
    path = tmp_path / "staff.xlsx"
    frame.to_excel(path, index=False)
    result = import_files(engine, [path])
    assert result.consultants_created == 1
    assert counts(engine)["ConsultantLanguage"] == 2


CONSULTANTS = """employee_ref,display_name,office,home_municipality_code,gender,languages,contracted_hours_per_week,max_cases,active_from
E1,Good Person,Næstved,370,female,ar-IQ:native;da:fluent,37,6,2020-01-01
E2,Bad Tag,Næstved,370,female,ar-IQ:native;xx-??:fluent,37,6,2020-01-01
E3,Bad Office,Atlantis,370,male,da:native,37,6,2020-01-01
E4,Bad Level,Aarhus,751,male,da:superb,-5,6,2020-01-01
"""
CASES = """reference,municipality_code,intervention_type,languages,hours_per_week,visits_per_week,requested_start,expected_end,preferred_consultant,cultural_countries
C1,370,family_treatment,parents:ar-IQ,6,2,2023-03-01T09:00,2023-12-01,E1,IQ
C2,999,family_treatment,parents:ar-IQ,6,2,2023-03-01T09:00,2023-12-01,,QQ
C3,370,family_treatment,parents:da,6,2,2023-03-01T09:00,2023-01-01,,DK
"""


def write_bad_files(tmp_path: Path) -> list[Path]:
    consultants, cases = tmp_path / "consultants.csv", tmp_path / "cases.csv"
    consultants.write_text(CONSULTANTS, encoding="utf-8")
    cases.write_text(CASES, encoding="utf-8")
    return [consultants, cases]


def test_bad_rows_are_all_reported_and_nothing_is_written(engine: Engine, tmp_path: Path) -> None:
    before = counts(engine)
    with pytest.raises(ImportFailed) as caught:
        import_files(engine, write_bad_files(tmp_path))
    found = {(i.record, i.field) for i in caught.value.issues}
    assert found == {
        ("consultants.csv row 3", "languages"),  # unparseable tag
        ("consultants.csv row 4", "office"),  # unknown office
        ("consultants.csv row 5", "languages"),  # level outside the list
        ("consultants.csv row 5", "contracted_hours_per_week"),  # negative hours
        ("cases.csv row 3", "municipality_code"),  # unknown municipality
        ("cases.csv row 3", "cultural_countries"),  # unknown country code
        ("cases.csv row 4", "expected_end"),  # end before start
    }
    assert counts(engine) == before  # all-or-nothing: the good rows E1 and C1 are absent


def test_unknown_consultant_reference_is_reported(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        CASES.splitlines()[0] + "\nC9,370,family_treatment,parents:da,6,2,"
        "2023-03-01T09:00,2023-12-01,NOPE,DK\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as caught:
        import_files(engine, [path])
    [issue] = caught.value.issues
    assert (issue.record, issue.field) == ("cases.csv row 2", "preferred_consultant")
    assert "NOPE" in issue.reason


def test_unknown_and_missing_columns(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "consultants.csv"
    path.write_text("employee_ref,display_name,shoe_size\nE1,X,44\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_files(engine, [path])
    fields = {i.field for i in caught.value.issues}
    assert "shoe_size" in fields and "office" in fields and "languages" in fields


def test_cli_import_prints_every_bad_row_and_fails(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    before = counts(engine)
    result = CliRunner().invoke(
        app,
        ["import", *map(str, write_bad_files(tmp_path)), "--url", db_url],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1
    assert "Nothing imported: 7 problem(s)" in result.output
    for row in ("consultants.csv row 3", "consultants.csv row 5", "cases.csv row 4"):
        assert row in result.output
    assert counts(engine) == before
