"""People who log in to the web pages: users, their offices, their sessions; the audit
log names the person.

Revision ID: 0006_users
Revises: 0005_planning_date
Create Date: 2026-12-04

``app_user`` (``user`` is reserved in PostgreSQL) holds an argon2 hash of each password
and the log-in throttle; ``user_office`` a team leader's offices; ``web_session`` the
logged-in browsers (SHA-256 of the cookie's token, the CSRF token, the expiry).
``audit_event.actor_user_id`` names the person behind a write made through the pages.
The column is added with plain ``ALTER TABLE`` (no batch rebuild of the audit log) and,
like ``actor_key_id``, without a foreign key: users are disabled, never deleted, and the
log must outlive any row it names.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_users"
down_revision: str | None = "0005_planning_date"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The `role` enum of 0002_api (a native type on PostgreSQL, which exists already).
_ROLE = sa.Enum("RECEPTION", "TEAM_LEADER", "ADMIN", name="role").with_variant(
    postgresql.ENUM("RECEPTION", "TEAM_LEADER", "ADMIN", name="role", create_type=False),
    "postgresql",
)


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", _ROLE, nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_app_user_email", "app_user", ["email"], unique=True)
    op.create_table(
        "user_office",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("user_id", "office_id"),
    )
    op.create_index("ix_user_office_office_id", "user_office", ["office_id"])
    op.create_table(
        "web_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_web_session_user_id", "web_session", ["user_id"])
    op.create_index("ix_web_session_expires_at", "web_session", ["expires_at"])
    op.add_column("audit_event", sa.Column("actor_user_id", sa.Integer(), nullable=True))
    op.create_index("ix_audit_event_actor_user_id", "audit_event", ["actor_user_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_actor_user_id", table_name="audit_event")
    op.drop_column("audit_event", "actor_user_id")
    op.drop_table("web_session")
    op.drop_table("user_office")
    op.drop_table("app_user")
