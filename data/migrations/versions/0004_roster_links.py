"""Rosters' cases and offices, and jobs' offices, become link tables.

Revision ID: 0004_roster_links
Revises: 0003_job_control
Create Date: 2026-12-04

The JSON columns ``roster.case_ids``, ``roster.office_ids`` and ``job.office_ids`` could
not be filtered or paged in SQL. Upgrade creates ``roster_case``, ``roster_office`` and
``job_office``, copies every row's lists into them (an id that no longer names a case or
office is skipped, and logged, rather than failing the foreign key), then drops the
columns; downgrade puts the lists back from the links.

The columns are dropped and added with plain ``ALTER TABLE`` (SQLite ≥ 3.35 drops a
column natively): a batch rebuild would drop and re-create ``roster`` with SQLite's
foreign keys on, and that drop would cascade-delete every roster's shifts and links.
"""

import logging
from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

revision: str = "0004_roster_links"
down_revision: str | None = "0003_job_control"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")


class Link(NamedTuple):
    """A link table that replaces the JSON list `json_column` of table `owner`."""

    name: str
    owner: str
    owner_key: str
    id_column: str
    json_column: str
    target: str

    def table(self) -> sa.TableClause:
        return sa.table(
            self.name,
            sa.column(self.owner_key, sa.Integer()),
            sa.column(self.id_column, sa.Integer()),
        )

    def owner_table(self) -> sa.TableClause:
        return sa.table(
            self.owner, sa.column("id", sa.Integer()), sa.column(self.json_column, sa.JSON())
        )

    @property
    def index_name(self) -> str:
        return f"ix_{self.name}_{self.id_column}"


LINKS = (
    Link("roster_case", "roster", "roster_id", "case_id", "case_ids", "family_case"),
    Link("roster_office", "roster", "roster_id", "office_id", "office_ids", "office"),
    Link("job_office", "job", "job_id", "office_id", "office_ids", "office"),
)


def upgrade() -> None:
    connection = op.get_bind()
    for link in LINKS:
        op.create_table(
            link.name,
            sa.Column(link.owner_key, sa.Integer(), nullable=False),
            sa.Column(link.id_column, sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint([link.owner_key], [f"{link.owner}.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint([link.id_column], [f"{link.target}.id"]),
            sa.PrimaryKeyConstraint(link.owner_key, link.id_column),
        )
        op.create_index(op.f(link.index_name), link.name, [link.id_column], unique=False)
        known = set(
            connection.execute(sa.select(sa.table(link.target, sa.column("id")).c.id)).scalars()
        )
        owner = link.owner_table()
        rows = []
        for owner_id, values in connection.execute(
            sa.select(owner.c.id, owner.c[link.json_column]).order_by(owner.c.id)
        ):
            for value in dict.fromkeys(int(v) for v in values or []):
                if value in known:
                    rows.append({link.owner_key: owner_id, link.id_column: value})
                else:
                    log.warning(
                        "%s %s: %s %s no longer exists; not linked",
                        link.owner,
                        owner_id,
                        link.target,
                        value,
                    )
        if rows:
            connection.execute(sa.insert(link.table()), rows)
    for link in LINKS:
        op.drop_column(link.owner, link.json_column)


def downgrade() -> None:
    connection = op.get_bind()
    for link in LINKS:
        op.add_column(
            link.owner,
            sa.Column(link.json_column, sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        )
        table = link.table()
        lists: dict[int, list[int]] = {}
        for owner_id, value in connection.execute(
            sa.select(table.c[link.owner_key], table.c[link.id_column]).order_by(
                table.c[link.owner_key], table.c[link.id_column]
            )
        ):
            lists.setdefault(owner_id, []).append(value)
        owner = link.owner_table()
        for owner_id, values in lists.items():
            connection.execute(
                sa.update(owner).where(owner.c.id == owner_id).values({link.json_column: values})
            )
        if connection.dialect.name == "postgresql":
            # 0002 made the columns without a server default; SQLite cannot drop one in place.
            op.alter_column(link.owner, link.json_column, server_default=None)
        op.drop_index(op.f(link.index_name), table_name=link.name)
        op.drop_table(link.name)
