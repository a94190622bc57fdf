"""API tables: API keys, the audit log, background jobs, rosters and their shifts.

Revision ID: 0002_api
Revises: 0001_domain
Create Date: 2026-11-23

Generated with Alembic's autogenerate against data/ops_models.py on top of 0001_domain,
then checked by hand: SQLModel's AutoString spelt as ``sa.String`` and its UTCDateTime as
``sa.DateTime(timezone=True)`` (same DDL). Enum columns store member names; on
PostgreSQL they are native enum types, dropped again on downgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_api"
down_revision: str | None = "0001_domain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENUM_TYPES = ("role", "auditaction", "jobkind", "jobstatus", "rosterstatus")


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "role", sa.Enum("RECEPTION", "TEAM_LEADER", "ADMIN", name="role"), nullable=False
        ),
        sa.Column("office_ids", sa.JSON(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_api_key_prefix"), "api_key", ["prefix"], unique=True)
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_key_id", sa.Integer(), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "ASSIGNMENT_CONFIRM",
                "RESHUFFLE_APPLY",
                "ASSIGNMENT_UPDATE",
                "OPTIMIZATION_APPLY",
                "ROSTER_PUBLISH",
                "ROSTER_REPAIR",
                "KEY_CREATE",
                "KEY_REVOKE",
                "RETENTION_RUN",
                name="auditaction",
            ),
            nullable=False,
        ),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_ids", sa.JSON(), nullable=False),
        sa.Column("related_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_event_action"), "audit_event", ["action"], unique=False)
    op.create_index(
        op.f("ix_audit_event_actor_key_id"), "audit_event", ["actor_key_id"], unique=False
    )
    op.create_index(op.f("ix_audit_event_at"), "audit_event", ["at"], unique=False)
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("OPTIMIZATION", "ROSTER", name="jobkind"), nullable=False),
        sa.Column(
            "status",
            sa.Enum("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", name="jobstatus"),
            nullable=False,
        ),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("office_ids", sa.JSON(), nullable=False),
        sa.Column("created_by_key_id", sa.Integer(), nullable=True),
        sa.Column("incumbent", sa.Float(), nullable=True),
        sa.Column("bound", sa.Float(), nullable=True),
        sa.Column("elapsed_seconds", sa.Float(), nullable=True),
        sa.Column("solutions_found", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker_id", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_job_kind"), "job", ["kind"], unique=False)
    op.create_index(op.f("ix_job_status"), "job", ["status"], unique=False)
    op.create_table(
        "roster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("PENDING", "FAILED", "DRAFT", "PUBLISHED", "SUPERSEDED", name="rosterstatus"),
            nullable=False,
        ),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("office_ids", sa.JSON(), nullable=False),
        sa.Column("horizon_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("solver_status", sa.String(length=16), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("bound", sa.Float(), nullable=True),
        sa.Column("runtime_seconds", sa.Float(), nullable=True),
        sa.Column("team", sa.JSON(), nullable=False),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("uncovered", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job.id"],
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["roster.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_roster_job_id"), "roster", ["job_id"], unique=False)
    op.create_table(
        "roster_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=True),
        sa.Column("shift_code", sa.String(length=16), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["family_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["consultant.id"],
        ),
        sa.ForeignKeyConstraint(["roster_id"], ["roster.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_roster_shift_case_id"), "roster_shift", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_roster_shift_consultant_id"), "roster_shift", ["consultant_id"], unique=False
    )
    op.create_index(op.f("ix_roster_shift_roster_id"), "roster_shift", ["roster_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_roster_shift_roster_id"), table_name="roster_shift")
    op.drop_index(op.f("ix_roster_shift_consultant_id"), table_name="roster_shift")
    op.drop_index(op.f("ix_roster_shift_case_id"), table_name="roster_shift")
    op.drop_table("roster_shift")
    op.drop_index(op.f("ix_roster_job_id"), table_name="roster")
    op.drop_table("roster")
    op.drop_index(op.f("ix_job_status"), table_name="job")
    op.drop_index(op.f("ix_job_kind"), table_name="job")
    op.drop_table("job")
    op.drop_index(op.f("ix_audit_event_at"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_actor_key_id"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_action"), table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_index(op.f("ix_api_key_prefix"), table_name="api_key")
    op.drop_table("api_key")
    if op.get_bind().dialect.name == "postgresql":
        for name in ENUM_TYPES:
            sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
