"""Where a roster's bound comes from.

Revision ID: 0012_roster_bound_by
Revises: 0011_roster_unpublish
Create Date: 2026-12-05

`data.ops_models.Roster.bound_by`: "cp-sat" (the search's own bound), "terms" (the
per-term bound of `roster.bound`, when higher) or "" (no bound). A short string with a
server default "", so rosters stored before read as "no source known".

Downgrade drops the column.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_roster_bound_by"
down_revision: str | None = "0011_roster_unpublish"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy): SQLite would have to drop `roster`, which its
    # shifts and links refer to (as in 0004 and 0008)
    op.add_column(
        "roster", sa.Column("bound_by", sa.String(length=16), server_default="", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("roster", "bound_by")
