"""Job control: priorities, retries with back-off, cancellation, repair jobs.

Revision ID: 0003_job_control
Revises: 0002_api
Create Date: 2026-12-04

Adds the columns of `data.ops_models.Job` that the worker needs to order, retry and
stop jobs; each has a server default (or is nullable), so rows written before keep
working: priority 0, no attempts yet, three attempts allowed, runnable at once, no
cancel request. Adds the enum values REPAIR (job kind) and CANCELLED (job status):
on PostgreSQL, where they are native enum types, with ``ALTER TYPE … ADD VALUE``
outside the migration's transaction (PostgreSQL refuses to use a value added in the
same transaction); on SQLite the enums are plain strings.

Downgrade drops the columns. PostgreSQL cannot drop an enum value, so the two values
stay in the types (unused: cancelled jobs become failed, repair jobs roster jobs that
failed, since the older code cannot run them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_job_control"
down_revision: str | None = "0002_api"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE jobkind ADD VALUE IF NOT EXISTS 'REPAIR'")
            op.execute("ALTER TYPE jobstatus ADD VALUE IF NOT EXISTS 'CANCELLED'")
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("max_attempts", sa.Integer(), server_default="3", nullable=False)
        )
        batch.add_column(sa.Column("run_after", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("cancel_requested_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    op.execute(
        "UPDATE job SET kind = 'ROSTER', status = 'FAILED', "
        "error = 'a repair job; this version cannot run it' WHERE kind = 'REPAIR'"
    )
    op.execute("UPDATE job SET status = 'FAILED' WHERE status = 'CANCELLED'")
    with op.batch_alter_table("job") as batch:
        batch.drop_column("cancel_requested_at")
        batch.drop_column("run_after")
        batch.drop_column("max_attempts")
        batch.drop_column("attempts")
        batch.drop_column("priority")
