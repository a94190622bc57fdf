"""A roster's cases and offices become link tables (roster_case, roster_office).

Revision ID: 0004_roster_links
Revises: 0002_api
Create Date: 2026-12-04

The JSON columns ``roster.case_ids`` and ``roster.office_ids`` could not be filtered or
paged in SQL. Upgrade creates the link tables, copies every roster's lists into them
(ids that no longer name a case or office are skipped, and logged, rather than failing
the foreign key), then drops the columns; downgrade puts the lists back from the links.

The columns are dropped and added with plain ``ALTER TABLE`` (SQLite ≥ 3.35 drops a
column natively): a batch rebuild would drop and re-create ``roster`` with the SQLite
foreign keys on, and that drop would cascade-delete every roster's shifts and links.
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_roster_links"
down_revision: str | None = "0002_api"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

#: link table → (its id column, the JSON column on roster, the referenced table)
LINKS = {
    "roster_case": ("case_id", "case_ids", "family_case"),
    "roster_office": ("office_id", "office_ids", "office"),
}


def _roster_with_lists() -> sa.TableClause:
    return sa.table(
        "roster",
        sa.column("id", sa.Integer()),
        sa.column("case_ids", sa.JSON()),
        sa.column("office_ids", sa.JSON()),
    )


def _link(name: str) -> sa.TableClause:
    id_column = LINKS[name][0]
    return sa.table(name, sa.column("roster_id", sa.Integer()), sa.column(id_column, sa.Integer()))


def upgrade() -> None:
    for name, (id_column, _, target) in LINKS.items():
        op.create_table(
            name,
            sa.Column("roster_id", sa.Integer(), nullable=False),
            sa.Column(id_column, sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["roster_id"], ["roster.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint([id_column], [f"{target}.id"]),
            sa.PrimaryKeyConstraint("roster_id", id_column),
        )
        op.create_index(op.f(f"ix_{name}_{id_column}"), name, [id_column], unique=False)

    connection = op.get_bind()
    rosters = connection.execute(
        sa.select(_roster_with_lists()).order_by(sa.column("id"))
    ).mappings()
    rows: dict[str, list[dict[str, int]]] = {name: [] for name in LINKS}
    listed = list(rosters)
    for name, (id_column, json_column, target) in LINKS.items():
        known = set(connection.execute(sa.select(sa.table(target, sa.column("id")).c.id)).scalars())
        for roster in listed:
            for value in dict.fromkeys(int(v) for v in roster[json_column] or []):
                if value in known:
                    rows[name].append({"roster_id": roster["id"], id_column: value})
                else:
                    log.warning(
                        "roster %s: %s %s no longer exists; not linked", roster["id"], target, value
                    )
        if rows[name]:
            connection.execute(sa.insert(_link(name)), rows[name])

    for _, json_column, _ in LINKS.values():
        op.drop_column("roster", json_column)


def downgrade() -> None:
    is_postgresql = op.get_bind().dialect.name == "postgresql"
    for _, json_column, _ in LINKS.values():
        op.add_column(
            "roster",
            sa.Column(json_column, sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        )
    connection = op.get_bind()
    lists: dict[int, dict[str, list[int]]] = {}
    for name, (id_column, json_column, _) in LINKS.items():
        link = _link(name)
        for roster_id, value in connection.execute(
            sa.select(link.c.roster_id, link.c[id_column]).order_by(
                link.c.roster_id, link.c[id_column]
            )
        ):
            lists.setdefault(roster_id, {}).setdefault(json_column, []).append(value)
    roster = _roster_with_lists()
    for roster_id, values in lists.items():
        connection.execute(sa.update(roster).where(roster.c.id == roster_id).values(**values))
    if is_postgresql:
        # 0002 made the columns without a server default; SQLite cannot drop one in place.
        for _, json_column, _ in LINKS.values():
            op.alter_column("roster", json_column, server_default=None)
    for name, (id_column, _, _) in LINKS.items():
        op.drop_index(op.f(f"ix_{name}_{id_column}"), table_name=name)
        op.drop_table(name)
