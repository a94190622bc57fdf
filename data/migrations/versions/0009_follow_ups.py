"""Follow-up plans of the course, and extensions of a case (issue 20).

Revision ID: 0009_follow_ups
Revises: 0008_related_language
Create Date: 2026-12-04

``follow_up`` holds each case's follow-ups (municipal follow-ups, status reports, network
meetings, the call after the end: `data.models.FollowUp`), their coordinator, due date and
the day they were marked done. ``family_case.extensions`` counts the audited extensions of
a course (existing cases: 0). The audit log gets two actions, FOLLOW_UP_DONE and
CASE_EXTEND: on PostgreSQL, where ``auditaction`` is a native enum type, with ``ALTER TYPE
… ADD VALUE`` outside the migration's transaction (as 0003_job_control does); on SQLite
enums are plain strings.

Downgrade drops the table, its enum type and the column. PostgreSQL cannot drop an enum
value: the two audit actions stay in the type, and audit rows that use them are deleted
(the older code cannot read them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_follow_ups"
down_revision: str | None = "0008_related_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KIND = sa.Enum(
    "MUNICIPAL_FOLLOW_UP",
    "STATUS_REPORT",
    "NETWORK_MEETING",
    "AFTER_END_CALL",
    name="followupkind",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE auditaction ADD VALUE IF NOT EXISTS 'FOLLOW_UP_DONE'")
            op.execute("ALTER TYPE auditaction ADD VALUE IF NOT EXISTS 'CASE_EXTEND'")
    op.create_table(
        "follow_up",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("coordinator_id", sa.Integer(), nullable=True),
        sa.Column("kind", _KIND, nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["family_case.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coordinator_id"], ["coordinator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_follow_up_case_id", "follow_up", ["case_id"])
    op.create_index("ix_follow_up_coordinator_id", "follow_up", ["coordinator_id"])
    op.create_index("ix_follow_up_due", "follow_up", ["due"])
    # A plain ADD COLUMN (no batch copy): SQLite would have to drop `family_case`, which
    # other tables reference.
    op.add_column(
        "family_case",
        sa.Column("extensions", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM audit_event WHERE action IN ('FOLLOW_UP_DONE', 'CASE_EXTEND')")
    op.drop_column("family_case", "extensions")
    op.drop_index("ix_follow_up_due", table_name="follow_up")
    op.drop_index("ix_follow_up_coordinator_id", table_name="follow_up")
    op.drop_index("ix_follow_up_case_id", table_name="follow_up")
    op.drop_table("follow_up")
    if op.get_bind().dialect.name == "postgresql":
        _KIND.drop(op.get_bind(), checkfirst=True)
