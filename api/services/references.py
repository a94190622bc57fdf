"""Existence checks for ids a request refers to.

An id in the *path* that does not exist is a 404; an id in the *body* that does not
exist is a 422 naming the field (the request itself is malformed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sqlalchemy import inspect
from sqlmodel import Session, SQLModel, col, select

from api.services.errors import Invalid, NotFound
from data.models import Consultant, Municipality, Office, Region

M = TypeVar("M", bound=SQLModel)
Item = TypeVar("Item")


def get_or_404(session: Session, model: type[M], entity_id: int, name: str) -> M:
    """The row of `model` with the id, or `NotFound` naming the entity."""
    row = session.get(model, entity_id)
    if row is None:
        raise NotFound(name, entity_id)
    return row


def require_municipality(session: Session, code: int, field: str) -> Municipality:
    row = session.get(Municipality, code)
    if row is None:
        raise Invalid.field(field, f"unknown municipality code {code}")
    return row


def require_office(session: Session, office_id: int, field: str) -> Office:
    row = session.get(Office, office_id)
    if row is None:
        raise Invalid.field(field, f"unknown office id {office_id}")
    return row


def require_regions(session: Session, codes: Iterable[str], field: str) -> list[str]:
    wanted = list(dict.fromkeys(codes))
    known = set(session.exec(select(Region.code).where(col(Region.code).in_(wanted))).all())
    for index, code in enumerate(wanted):
        if code not in known:
            raise Invalid.field(f"{field}.{index}", "unknown region code")
    return wanted


def require_consultants(session: Session, ids: Iterable[int], field: str) -> list[int]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return wanted
    known = set(session.exec(select(Consultant.id).where(col(Consultant.id).in_(wanted))).all())
    for index, consultant_id in enumerate(wanted):
        if consultant_id not in known:
            raise Invalid.field(f"{field}.{index}", f"unknown consultant id {consultant_id}")
    return wanted


def region_of_municipality(session: Session, code: int) -> str | None:
    row = session.get(Municipality, code)
    return row.region_code if row is not None else None


def children_by_parent(
    session: Session,
    table: type[M],
    parent_field: str,
    parent_ids: Sequence[int],
    convert: Callable[[M], Item],
) -> dict[int, list[Item]]:
    """The rows of `table` whose `parent_field` is one of `parent_ids`, converted and
    grouped by parent in primary-key (insertion) order; one query for a whole page."""
    grouped: dict[int, list[Item]] = defaultdict(list)
    if not parent_ids:
        return grouped
    rows = session.exec(
        select(table)
        .where(col(getattr(table, parent_field)).in_(parent_ids))
        .order_by(*inspect(table).primary_key)
    ).all()
    for row in rows:
        grouped[getattr(row, parent_field)].append(convert(row))
    return grouped
