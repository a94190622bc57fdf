"""The audit action of withdrawing a published roster.

Revision ID: 0011_roster_unpublish
Revises: 0010_sweep_jobs
Create Date: 2026-12-04

`data.ops_models.AuditAction.ROSTER_UNPUBLISH`: ``POST /v1/rosters/{id}/unpublish`` puts a
published roster back to draft and ends the team assignments its publication wrote. On
PostgreSQL the audit action is a native enum type, extended with ``ALTER TYPE … ADD
VALUE`` outside the migration's transaction (PostgreSQL refuses to use a value added in
the same transaction); on SQLite the enums are plain strings.

Downgrade: PostgreSQL cannot drop an enum value, so the value stays in the type (unused);
the events that hold it become assignment updates, an action the older code knows.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_roster_unpublish"
down_revision: str | None = "0010_sweep_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE auditaction ADD VALUE IF NOT EXISTS 'ROSTER_UNPUBLISH'")


def downgrade() -> None:
    op.execute(
        "UPDATE audit_event SET action = 'ASSIGNMENT_UPDATE' WHERE action = 'ROSTER_UNPUBLISH'"
    )
