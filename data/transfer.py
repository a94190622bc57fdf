"""Export and import of consultants and cases as CSV or Excel (pandas).

One row per consultant or case. Lists are ``;``-separated; languages are one column:
consultants ``"ar-IQ:native;da:fluent"``, cases ``"parents:ar-IQ;child:da"``. The office
is named, and consultants are referred to by staff number (``employee_ref``) — never by
database id — so files move between databases.

Import is all-or-nothing: every row of every file is checked first (`data.validation`
plus references to offices and consultants); if anything is wrong, `ImportFailed`
lists *every* problem with file, row (as a spreadsheet shows it: the header is row 1)
and column, and nothing is written. Otherwise all files are written in one
transaction; an existing staff number or case reference is updated in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from data.geography import municipality_by_code
from data.models import (
    Case,
    CaseLanguage,
    Consultant,
    ConsultantLanguage,
    Office,
)
from data.ops_models import as_utc
from data.validation import (
    CaseRecord,
    ConsultantRecord,
    Issue,
    RecordError,
    check_record,
    format_case_languages,
    format_consultant_languages,
)

Kind = Literal["consultants", "cases"]
Format = Literal["csv", "xlsx"]

CONSULTANT_COLUMNS = tuple(ConsultantRecord.model_fields)
CASE_COLUMNS = tuple(CaseRecord.model_fields)
REQUIRED: dict[Kind, set[str]] = {
    "consultants": {n for n, f in ConsultantRecord.model_fields.items() if f.is_required()},
    "cases": {n for n, f in CaseRecord.model_fields.items() if f.is_required()},
}


class ImportFailed(RecordError):
    """Nothing was imported; `issues` lists every problem found."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    consultants_created: int = 0
    consultants_updated: int = 0
    cases_created: int = 0
    cases_updated: int = 0


# ------------------------------------------------------------------------ export


def _enum(value: Any) -> Any:
    return getattr(value, "value", value)


def _join(values: Iterable[Any]) -> str:
    return ";".join(str(_enum(v)) for v in values)


def consultants_frame(session: Session) -> pd.DataFrame:
    offices = {o.id: o.name for o in session.exec(select(Office))}
    languages: dict[int, list[tuple[str, str]]] = {}
    for row in session.exec(select(ConsultantLanguage).order_by(col(ConsultantLanguage.id))):
        languages.setdefault(row.consultant_id, []).append((row.tag, _enum(row.level)))
    rows = []
    for c in session.exec(select(Consultant).order_by(col(Consultant.employee_ref))):
        assert c.id is not None
        rows.append(
            {
                "employee_ref": c.employee_ref,
                "display_name": c.display_name,
                "office": offices[c.office_id],
                "home_municipality_code": c.home_municipality_code,
                "home_lat": c.home_lat,
                "home_lon": c.home_lon,
                "gender": _enum(c.gender),
                "languages": format_consultant_languages(languages.get(c.id, [])),
                "qualifications": _join(c.qualifications),
                "intervention_types": _join(c.intervention_types),
                "cultural_countries": _join(c.cultural_countries),
                "competence_tags": _join(c.competence_tags),
                "contracted_hours_per_week": c.contracted_hours_per_week,
                "max_cases": c.max_cases,
                "takes_night_shifts": c.takes_night_shifts,
                "has_driving_licence": c.has_driving_licence,
                "active_from": c.active_from.isoformat(),
                "active_to": c.active_to.isoformat() if c.active_to else "",
            }
        )
    return pd.DataFrame(rows, columns=list(CONSULTANT_COLUMNS))


def cases_frame(session: Session) -> pd.DataFrame:
    refs = {c.id: c.employee_ref for c in session.exec(select(Consultant))}
    languages: dict[int, list[tuple[str, str]]] = {}
    for row in session.exec(select(CaseLanguage).order_by(col(CaseLanguage.id))):
        languages.setdefault(row.case_id, []).append((_enum(row.person_group), row.tag))
    rows = []
    for c in session.exec(select(Case).order_by(col(Case.reference))):
        assert c.id is not None
        rows.append(
            {
                "reference": c.reference,
                "municipality_code": c.municipality_code,
                "lat": c.lat,
                "lon": c.lon,
                "intervention_type": _enum(c.intervention_type),
                "languages": format_case_languages(languages.get(c.id, [])),
                "needs_support_person": c.needs_support_person,
                "support_hours_per_week": c.support_hours_per_week,
                "cultural_countries": _join(c.cultural_countries),
                "hours_per_week": c.hours_per_week,
                "visits_per_week": c.visits_per_week,
                "requested_start": as_utc(c.requested_start).isoformat(),
                "expected_end": c.expected_end.isoformat() if c.expected_end else "",
                "priority": c.priority,
                "gender": _enum(c.gender) or "",
                "gender_rule": _enum(c.gender_rule) or "",
                "preferred_consultant": refs.get(c.preferred_consultant_id or -1, ""),
                "excluded_consultants": _join(refs[i] for i in c.excluded_consultant_ids),
                "required_qualifications": _join(c.required_qualifications),
                "allow_related_language": c.allow_related_language,
                "status": _enum(c.status),
            }
        )
    return pd.DataFrame(rows, columns=list(CASE_COLUMNS))


def export_book(engine: Engine, out: Path, fmt: Format = "csv") -> list[Path]:
    """Write consultants.<fmt> and cases.<fmt> into `out`; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    with Session(engine) as session:
        frames = {"consultants": consultants_frame(session), "cases": cases_frame(session)}
    paths = []
    for name, frame in frames.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_excel(path, index=False, sheet_name=name)
        paths.append(path)
    return paths


# ------------------------------------------------------------------------ import


@dataclass(frozen=True, slots=True)
class ParsedFile:
    path: Path
    kind: Kind
    consultants: tuple[tuple[str, ConsultantRecord], ...] = ()
    cases: tuple[tuple[str, CaseRecord], ...] = ()


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as text ("" when empty), whatever the file type."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def kind_of(columns: Sequence[str], path: Path) -> Kind | None:
    names = set(columns)
    if "employee_ref" in names:
        return "consultants"
    if "reference" in names:
        return "cases"
    stem = path.stem.lower()
    if stem.startswith("consultant"):
        return "consultants"
    if stem.startswith("case"):
        return "cases"
    return None


def parse_file(path: Path, issues: list[Issue]) -> ParsedFile | None:
    """Validate every row of one file, appending problems to `issues`."""
    try:
        frame = read_table(path)
    except (OSError, ValueError) as error:
        issues.append(Issue(path.name, "(file)", f"cannot be read: {error}"))
        return None
    kind = kind_of(list(frame.columns), path)
    if kind is None:
        issues.append(
            Issue(
                path.name,
                "(header)",
                "neither a consultants file (employee_ref) nor a cases file (reference)",
            )
        )
        return None
    model = ConsultantRecord if kind == "consultants" else CaseRecord
    known = set(model.model_fields)
    header_ok = True
    for column in frame.columns:
        if column not in known:
            issues.append(Issue(f"{path.name} row 1", str(column), "unknown column"))
            header_ok = False
    for column in sorted(REQUIRED[kind] - set(frame.columns)):
        issues.append(Issue(f"{path.name} row 1", column, "required column is missing"))
        header_ok = False
    if not header_ok:
        return None
    records: list[tuple[str, Any]] = []
    for index, row in enumerate(frame.to_dict(orient="records")):
        record = f"{path.name} row {index + 2}"
        data = {str(k): v.strip() for k, v in row.items() if isinstance(v, str) and v.strip()}
        try:
            records.append((record, check_record(model, data, record)))
        except RecordError as error:
            issues.extend(error.issues)
    if kind == "consultants":
        return ParsedFile(path, kind, consultants=tuple(records))
    return ParsedFile(path, kind, cases=tuple(records))


def _check_references(
    session: Session, files: list[ParsedFile], issues: list[Issue]
) -> tuple[dict[str, int], set[str]]:
    """Offices by name, duplicate keys, and consultants referred to by cases."""
    offices = {o.name: o.id for o in session.exec(select(Office)) if o.id is not None}
    known_refs = {ref for ref in session.exec(select(Consultant.employee_ref))}
    seen: dict[str, str] = {}
    for parsed in files:
        for record, consultant in parsed.consultants:
            if consultant.office not in offices:
                issues.append(
                    Issue(
                        record,
                        "office",
                        f"unknown office {consultant.office!r}; "
                        f"offices: {', '.join(sorted(offices))}",
                    )
                )
            key = f"consultant {consultant.employee_ref}"
            if key in seen:
                issues.append(
                    Issue(
                        record, "employee_ref", f"{consultant.employee_ref!r} also in {seen[key]}"
                    )
                )
            seen[key] = record
            known_refs.add(consultant.employee_ref)
    for parsed in files:
        for record, case in parsed.cases:
            key = f"case {case.reference}"
            if key in seen:
                issues.append(Issue(record, "reference", f"{case.reference!r} also in {seen[key]}"))
            seen[key] = record
            if case.preferred_consultant and case.preferred_consultant not in known_refs:
                issues.append(
                    Issue(
                        record,
                        "preferred_consultant",
                        f"no consultant with staff number {case.preferred_consultant!r}",
                    )
                )
            for ref in case.excluded_consultants:
                if ref not in known_refs:
                    issues.append(
                        Issue(
                            record,
                            "excluded_consultants",
                            f"no consultant with staff number {ref!r}",
                        )
                    )
    return offices, known_refs


def import_files(engine: Engine, paths: Sequence[Path]) -> ImportResult:
    """Validate all `paths`, then write them in one transaction (or raise ImportFailed)."""
    issues: list[Issue] = []
    files = [p for p in (parse_file(Path(path), issues) for path in paths) if p is not None]
    with Session(engine) as session:
        offices, _ = _check_references(session, files, issues)
        if issues:
            raise ImportFailed(issues)
        try:
            result = _write(session, files, offices)
            session.commit()
        except Exception:
            session.rollback()
            raise
    return result


def _write(session: Session, files: list[ParsedFile], offices: dict[str, int]) -> ImportResult:
    """Upsert consultants, then cases, with one flush per table (fast at 10× size)."""
    consultant_records = [r for f in files for _, r in f.consultants]
    case_records = [r for f in files for _, r in f.cases]
    consultants = {c.employee_ref: c for c in session.exec(select(Consultant))}
    created_c = _upsert(
        session,
        consultants,
        {r.employee_ref: _consultant_values(r, offices) for r in consultant_records},
        Consultant,
        "employee_ref",
    )
    _replace_children(
        session,
        ConsultantLanguage,
        ConsultantLanguage.consultant_id,
        [(consultants[r.employee_ref].id, s) for r in consultant_records for s in r.languages],
        lambda owner, skill: ConsultantLanguage(
            consultant_id=owner, tag=skill.tag, level=skill.level
        ),
    )
    ids = {ref: c.id for ref, c in consultants.items()}
    cases = {c.reference: c for c in session.exec(select(Case))}
    created_k = _upsert(
        session, cases, {r.reference: _case_values(r, ids) for r in case_records}, Case, "reference"
    )
    _replace_children(
        session,
        CaseLanguage,
        CaseLanguage.case_id,
        [(cases[r.reference].id, n) for r in case_records for n in r.languages],
        lambda owner, need: CaseLanguage(
            case_id=owner, person_group=need.person_group, tag=need.tag
        ),
    )
    session.flush()
    return ImportResult(
        created_c, len(consultant_records) - created_c, created_k, len(case_records) - created_k
    )


def _upsert(
    session: Session,
    existing: dict[str, Any],
    rows: dict[str, dict[str, Any]],
    model: Any,
    key: str,
) -> int:
    """Create or update `rows` (keyed by `key`) in `existing`; return how many are new."""
    created = 0
    for ref, values in rows.items():
        row = existing.get(ref)
        if row is None:
            row = model(**{key: ref}, **values)
            existing[ref] = row
            created += 1
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.version += 1
        session.add(row)
    session.flush()
    return created


def _replace_children(
    session: Session, model: Any, owner_column: Any, items: list[tuple[Any, Any]], make: Any
) -> None:
    owners = sorted({owner for owner, _ in items})
    for start in range(0, len(owners), 500):
        session.execute(delete(model).where(col(owner_column).in_(owners[start : start + 500])))
    session.add_all([make(owner, item) for owner, item in items])


def _consultant_values(record: ConsultantRecord, offices: dict[str, int]) -> dict[str, Any]:
    home = municipality_by_code(record.home_municipality_code)
    return {
        "display_name": record.display_name,
        "office_id": offices[record.office],
        "home_municipality_code": record.home_municipality_code,
        "home_lat": record.home_lat if record.home_lat is not None else home.lat,
        "home_lon": record.home_lon if record.home_lon is not None else home.lon,
        "gender": record.gender,
        "qualifications": [q.value for q in record.qualifications],
        "intervention_types": [t.value for t in record.intervention_types],
        "cultural_countries": list(record.cultural_countries),
        "competence_tags": list(record.competence_tags),
        "contracted_hours_per_week": record.contracted_hours_per_week,
        "max_cases": record.max_cases,
        "takes_night_shifts": record.takes_night_shifts,
        "has_driving_licence": record.has_driving_licence,
        "active_from": record.active_from,
        "active_to": record.active_to,
    }


def _case_values(record: CaseRecord, ids: dict[str, int | None]) -> dict[str, Any]:
    place = municipality_by_code(record.municipality_code)
    values: dict[str, Any] = {
        "municipality_code": record.municipality_code,
        "lat": record.lat if record.lat is not None else place.lat,
        "lon": record.lon if record.lon is not None else place.lon,
        "intervention_type": record.intervention_type,
        "needs_support_person": record.needs_support_person,
        "support_hours_per_week": record.support_hours_per_week,
        "cultural_countries": list(record.cultural_countries),
        "hours_per_week": record.hours_per_week,
        "visits_per_week": record.visits_per_week,
        "requested_start": record.requested_start,
        "expected_end": record.expected_end,
        "priority": record.priority,
        "gender": record.gender,
        "gender_rule": record.gender_rule,
        "preferred_consultant_id": ids.get(record.preferred_consultant or ""),
        "excluded_consultant_ids": [ids[r] for r in record.excluded_consultants],
        "required_qualifications": [q.value for q in record.required_qualifications],
        "status": record.status,
    }
    # a sign-off is a coordinator's decision: a file without it (an older export, a
    # blank cell) leaves a stored case's as it is; a new case starts without one
    if "allow_related_language" in record.model_fields_set:
        values["allow_related_language"] = record.allow_related_language
    return values
