"""A case's sign-off that a related language may serve the family.

Revision ID: 0008_related_language
Revises: 0007_key_expiry
Create Date: 2026-12-04

`data.models.Case.allow_related_language`: matching offers a related language (Dari for
Persian, Arabic of another dialect group) only when a coordinator has signed off on the
case. Existing cases get no sign-off.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_related_language"
down_revision: str | None = "0007_key_expiry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy): SQLite would have to drop `family_case`, which
    # other tables reference.
    op.add_column(
        "family_case",
        sa.Column(
            "allow_related_language", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade() -> None:
    op.drop_column("family_case", "allow_related_language")
