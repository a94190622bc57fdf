"""Office scope in SQL: which rosters and jobs a caller may see, as a WHERE condition.

Rosters and jobs keep their offices in link tables (`roster_office`, `job_office`), so
listings filter by scope and page in the database instead of loading every row.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import Mapped
from sqlmodel import select

from api.auth import Principal
from data.ops_models import Role


def within_office_scope(
    principal: Principal,
    row_id: Mapped[int | None],
    link_row_id: Mapped[int | None],
    link_office_id: Mapped[int],
) -> ColumnElement[bool]:
    """`Principal.may_act_for_offices` over a row's linked offices: an admin may see every
    row; a team leader a row with at least one office and none outside their scope;
    anyone else none. ``row_id`` is the row's key, the ``link_*`` columns its links'."""
    if principal.is_admin:
        return true()
    if principal.role is not Role.TEAM_LEADER:
        return false()
    of_the_row = link_row_id == row_id
    has_an_office = select(link_office_id).where(of_the_row).exists()
    outside_scope = (
        select(link_office_id)
        .where(of_the_row, link_office_id.not_in(sorted(principal.office_ids)))
        .exists()
    )
    return has_an_office & ~outside_scope
