"""The book's own settings: a key/value table, first holding the book's planning date.

Revision ID: 0005_planning_date
Revises: 0004_roster_links
Create Date: 2026-12-04

`data.models.BookSetting`. The demo seed records the scenario's "today" under
``planning_date`` there, and `api.services.planning_date` reads it. Before this revision
the planning code recognised the demo book by its case references (``FB-2023-…``) and
then planned on the scenario's day; a database seeded that way gets that day recorded
here once, so it keeps planning on it. Any other database records no date and plans on
today's.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_planning_date"
down_revision: str | None = "0004_roster_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "book_setting",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    # Frozen copies of `data.scenario.TODAY` and the demo's reference prefix: a
    # migration must not change when the scenario does.
    op.execute(
        sa.text(
            "INSERT INTO book_setting (key, value) SELECT 'planning_date', '2023-12-15' "
            "WHERE EXISTS (SELECT 1 FROM family_case WHERE reference LIKE 'FB-2023-%')"
        )
    )


def downgrade() -> None:
    op.drop_table("book_setting")
