"""Migrations 0002_api and 0004_roster_links create exactly the API tables of
data/ops_models.py; 0004 carries the rosters' JSON case and office lists into link tables
and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

import data.ops_models  # noqa: F401
from data.db import make_engine
from data.migrate import alembic_config, current_revision, downgrade, upgrade
from data.models import CaseStatus, InterventionType, Office
from data.ops_models import (
    Job,
    JobKind,
    JobOfficeLink,
    JobStatus,
    Roster,
    RosterCaseLink,
    RosterOfficeLink,
    RosterStatus,
)

API_TABLES = {
    "api_key",
    "audit_event",
    "job",
    "roster",
    "roster_shift",
    "roster_case",
    "roster_office",
    "job_office",
}


def _tables_of(entry: object) -> set[str]:
    """Every table name an autogenerate diff entry mentions."""
    names: set[str] = set()
    items: list[Any] = entry if isinstance(entry, list) else [entry]
    for item in items:
        for part in item:
            if isinstance(part, sa.Table):
                names.add(part.name)
            elif getattr(part, "table", None) is not None:
                names.add(part.table.name)
            elif isinstance(part, str):
                names.add(part)
    return names


def test_migrated_schema_matches_the_api_tables(engine: Engine) -> None:
    assert set(sa.inspect(engine).get_table_names()) >= API_TABLES
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert [entry for entry in diff if _tables_of(entry) & API_TABLES] == []


def test_downgrade_to_0001_drops_the_api_tables_and_upgrade_restores_them(
    new_database: Callable[[str], str],
) -> None:
    url = upgrade(new_database("api_mig"), reference=False)
    assert (
        current_revision(url) == ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    )
    downgrade(url, "0001_domain")
    engine = make_engine(url)
    try:
        assert not API_TABLES & set(sa.inspect(engine).get_table_names())
        upgrade(url, reference=False)
        assert set(sa.inspect(engine).get_table_names()) >= API_TABLES
    finally:
        engine.dispose()


# ------------------------------------------------------------------ 0004_roster_links

#: `roster` as migration 0002 made it, with the JSON lists 0004 replaces.
ROSTER_0002 = sa.table(
    "roster",
    sa.column("id", sa.Integer()),
    sa.column("parent_id", sa.Integer()),
    sa.column("status", sa.Enum(RosterStatus, name="rosterstatus")),
    sa.column("case_ids", sa.JSON()),
    sa.column("office_ids", sa.JSON()),
    sa.column("horizon_start", sa.DateTime(timezone=True)),
    sa.column("days", sa.Integer()),
    sa.column("template", sa.String()),
    sa.column("solver_status", sa.String()),
    sa.column("team", sa.JSON()),
    sa.column("kpis", sa.JSON()),
    sa.column("violations", sa.JSON()),
    sa.column("uncovered", sa.JSON()),
    sa.column("params", sa.JSON()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer()),
)
JOB_0002 = sa.table(
    "job",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.Enum(JobKind, name="jobkind")),
    sa.column("status", sa.Enum(JobStatus, name="jobstatus")),
    sa.column("params", sa.JSON()),
    sa.column("office_ids", sa.JSON()),
    sa.column("solutions_found", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer()),
)
SHIFT = sa.table(
    "roster_shift",
    sa.column("roster_id", sa.Integer()),
    sa.column("case_id", sa.Integer()),
    sa.column("shift_code", sa.String()),
    sa.column("start", sa.DateTime(timezone=True)),
    sa.column("end", sa.DateTime(timezone=True)),
)
MIDNIGHT = dt.datetime(2030, 3, 3, 23, tzinfo=dt.UTC)


def _roster_0002(roster_id: int, case_ids: list[int], office_ids: list[int]) -> dict[str, Any]:
    return {
        "id": roster_id,
        "parent_id": None if roster_id == 1 else 1,
        "status": RosterStatus.PUBLISHED if roster_id == 1 else RosterStatus.DRAFT,
        "case_ids": case_ids,
        "office_ids": office_ids,
        "horizon_start": MIDNIGHT,
        "days": 7,
        "template": "3x8",
        "solver_status": "optimal",
        "team": [],
        "kpis": {},
        "violations": [],
        "uncovered": [],
        "params": {"case_ids": case_ids},
        "created_at": MIDNIGHT,
        "version": 0,
    }


#: `family_case` as revision 0002 has it (the model gains columns in later revisions).
CASE_0002 = sa.table(
    "family_case",
    sa.column("id", sa.Integer()),
    sa.column("reference", sa.String()),
    sa.column("municipality_code", sa.Integer()),
    sa.column("lat", sa.Float()),
    sa.column("lon", sa.Float()),
    sa.column("intervention_type", sa.Enum(InterventionType, name="interventiontype")),
    sa.column("needs_support_person", sa.Boolean()),
    sa.column("support_hours_per_week", sa.Float()),
    sa.column("cultural_countries", sa.JSON()),
    sa.column("hours_per_week", sa.Float()),
    sa.column("visits_per_week", sa.Float()),
    sa.column("requested_start", sa.DateTime(timezone=True)),
    sa.column("priority", sa.Integer()),
    sa.column("excluded_consultant_ids", sa.JSON()),
    sa.column("required_qualifications", sa.JSON()),
    sa.column("status", sa.Enum(CaseStatus, name="casestatus")),
    sa.column("version", sa.Integer()),
)


def _dognindsats(session: Session, reference: str) -> int:
    values = {
        "reference": reference,
        "municipality_code": 370,
        "lat": 55.23,
        "lon": 11.76,
        "intervention_type": InterventionType.DOGNINDSATS,
        "needs_support_person": False,
        "support_hours_per_week": 0.0,
        "cultural_countries": [],
        "hours_per_week": 168,
        "visits_per_week": 7,
        "requested_start": MIDNIGHT,
        "priority": 2,
        "excluded_consultant_ids": [],
        "required_qualifications": [],
        "status": CaseStatus.REQUESTED,
        "version": 0,
    }
    session.connection().execute(sa.insert(CASE_0002), values)
    case_id = (
        session.connection()
        .execute(sa.select(CASE_0002.c.id).where(CASE_0002.c.reference == reference))
        .scalar_one()
    )
    return int(case_id)


def _job_0002(job_id: int, office_ids: list[int]) -> dict[str, Any]:
    return {
        "id": job_id,
        "kind": JobKind.OPTIMIZATION,
        "status": JobStatus.SUCCEEDED,
        "params": {"office_ids": office_ids},
        "office_ids": office_ids,
        "solutions_found": 1,
        "created_at": MIDNIGHT,
        "version": 1,
    }


def test_0004_carries_the_json_lists_into_link_tables_and_back(
    new_database: Callable[[str], str],
) -> None:
    url = upgrade(new_database("roster_links"), revision="0002_api")  # with the offices
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            office_a, office_b = sorted(o.id for o in session.exec(select(Office)) if o.id)[:2]
            case_a = _dognindsats(session, "TEST-L1")
            case_b = _dognindsats(session, "TEST-L2")
            session.commit()
        rosters = {
            1: ([case_b, case_a], [office_b, office_a]),  # two of each, not in id order
            2: ([case_a], [office_a]),  # a repair child of roster 1
            3: ([], []),  # a roster stored without lists
        }
        with engine.begin() as connection:
            for roster_id, (cases, offices) in rosters.items():
                connection.execute(sa.insert(ROSTER_0002), _roster_0002(roster_id, cases, offices))
            connection.execute(
                sa.insert(JOB_0002),
                [_job_0002(1, [office_b, office_a, office_b]), _job_0002(2, [])],
            )
            connection.execute(
                sa.insert(SHIFT),
                [
                    {"roster_id": r, "case_id": case_a, "shift_code": "D", "start": MIDNIGHT}
                    | {"end": MIDNIGHT + dt.timedelta(hours=8)}
                    for r in (1, 2)
                ],
            )

        upgrade(url, reference=False)

        with Session(engine) as session:
            links = session.exec(
                select(RosterCaseLink).order_by(
                    col(RosterCaseLink.roster_id), col(RosterCaseLink.case_id)
                )
            ).all()
            assert [(link.roster_id, link.case_id) for link in links] == [
                (1, min(case_a, case_b)),
                (1, max(case_a, case_b)),
                (2, case_a),
            ]
            office_links = session.exec(select(RosterOfficeLink)).all()
            assert sorted((link.roster_id, link.office_id) for link in office_links) == [
                (1, office_a),
                (1, office_b),
                (2, office_a),
            ]
            job_links = session.exec(select(JobOfficeLink)).all()
            assert sorted((link.job_id, link.office_id) for link in job_links) == [
                (1, office_a),
                (1, office_b),
            ]
            job = session.get(Job, 1)
            assert job is not None and job.office_ids == sorted([office_a, office_b])
            first = session.get(Roster, 1)
            assert first is not None
            assert first.case_ids == sorted([case_a, case_b])
            assert first.office_ids == sorted([office_a, office_b])
        columns = {c["name"] for c in sa.inspect(engine).get_columns("roster")}
        assert not {"case_ids", "office_ids"} & columns
        assert "office_ids" not in {c["name"] for c in sa.inspect(engine).get_columns("job")}
        with engine.connect() as connection:
            # Dropping the columns must not rebuild `roster` (that would cascade to shifts).
            assert connection.execute(sa.select(sa.func.count()).select_from(SHIFT)).scalar() == 2

        downgrade(url, "0002_api")

        tables = set(sa.inspect(engine).get_table_names())
        assert not {"roster_case", "roster_office", "job_office"} & tables
        with engine.connect() as connection:
            restored = connection.execute(
                sa.select(
                    ROSTER_0002.c.id, ROSTER_0002.c.case_ids, ROSTER_0002.c.office_ids
                ).order_by(ROSTER_0002.c.id)
            ).all()
            assert [tuple(row) for row in restored] == [
                (1, sorted([case_a, case_b]), sorted([office_a, office_b])),
                (2, [case_a], [office_a]),
                (3, [], []),
            ]
            assert connection.execute(sa.select(sa.func.count()).select_from(SHIFT)).scalar() == 2
            jobs = connection.execute(
                sa.select(JOB_0002.c.id, JOB_0002.c.office_ids).order_by(JOB_0002.c.id)
            ).all()
            assert [tuple(row) for row in jobs] == [(1, sorted([office_a, office_b])), (2, [])]
    finally:
        engine.dispose()
