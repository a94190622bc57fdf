"""Migration 0003_job_control: jobs stored before it keep working, and it goes back."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlmodel import Session

from data.db import make_engine
from data.migrate import alembic_config, current_revision, downgrade, upgrade
from data.ops_models import Job, JobKind, JobStatus


def test_jobs_stored_before_0003_load_with_the_defaults_and_downgrade_works(
    new_database: Callable[[str], str],
) -> None:
    url = upgrade(new_database("job_mig"), revision="0002_api", reference=False)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO job (kind, status, params, office_ids, solutions_found,"
                    " created_at, version) VALUES ('ROSTER', 'QUEUED', '{}', '[]', 0,"
                    " '2026-11-30 08:00:00+00:00', 0)"
                )
            )
        upgrade(url, reference=False)  # through 0003 to the head, as a deployment would
        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert current_revision(url) == head
        with Session(engine) as session:
            job = session.get(Job, 1)
            assert job is not None and job.kind is JobKind.ROSTER
            assert (job.priority, job.attempts, job.max_attempts) == (0, 0, 3)
            assert job.run_after is None and job.cancel_requested_at is None
            # the new enum values can be stored (native enum types on PostgreSQL)
            job.status = JobStatus.CANCELLED
            session.add(job)
            session.add(Job(kind=JobKind.REPAIR))
            session.commit()
        downgrade(url, "0002_api")
        columns = {c["name"] for c in sa.inspect(engine).get_columns("job")}
        assert "priority" not in columns and "cancel_requested_at" not in columns
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT kind, status FROM job ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [("ROSTER", "FAILED"), ("ROSTER", "FAILED")]
    finally:
        engine.dispose()


def test_0011_stores_sweep_jobs_and_its_downgrade_deletes_only_them(
    new_database: Callable[[str], str],
) -> None:
    url = upgrade(new_database("sweep_mig"), revision="0010_sweep_jobs", reference=False)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            # the new kind can be stored (a native enum type on PostgreSQL)
            session.add(Job(kind=JobKind.SWEEP, params={"scenarios": "…"}))
            session.add(Job(kind=JobKind.OPTIMIZATION))
            session.commit()
        with Session(engine) as session:
            sweep = session.get(Job, 1)
            assert sweep is not None and sweep.kind is JobKind.SWEEP
        downgrade(url, "0010_sweep_jobs-1")
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, kind FROM job ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [(2, "OPTIMIZATION")]
        upgrade(url, reference=False)  # and up again, the value already in the type
        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert current_revision(url) == head
    finally:
        engine.dispose()
