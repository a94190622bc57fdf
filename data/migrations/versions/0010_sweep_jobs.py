"""Scenario sweeps as background jobs: the job kind SWEEP.

Revision ID: 0010_sweep_jobs
Revises: 0009_follow_ups
Create Date: 2026-12-04

`data.ops_models.JobKind.SWEEP` (`POST /v1/sweeps`). On PostgreSQL the job kind is a
native enum type: the value is added with ``ALTER TYPE … ADD VALUE`` outside the
migration's transaction (PostgreSQL refuses to use a value added in the same
transaction); on SQLite the enum is a plain string and nothing changes.

Downgrade deletes the sweep jobs (what-if results, recomputable; the older code cannot
read their kind). PostgreSQL cannot drop an enum value, so SWEEP stays in the type,
unused.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_sweep_jobs"
down_revision: str | None = "0009_follow_ups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE jobkind ADD VALUE IF NOT EXISTS 'SWEEP'")


def downgrade() -> None:
    # a sweep job covers no office, so no job_office rows point at it
    op.execute("DELETE FROM job WHERE kind = 'SWEEP'")
