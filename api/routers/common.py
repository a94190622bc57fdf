"""Query parameters and loaders shared by the list endpoints."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query
from sqlalchemy import ColumnElement, inspect, or_
from sqlmodel import Session, SQLModel, col, select

from api.problems import invalid_field
from api.schemas.common import MAX_ID, MAX_LIMIT
from data.languages import InvalidLanguageTag, normalize_tag

Skip = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows to return.")]
RegionFilter = Annotated[
    str | None,
    Query(min_length=1, max_length=5, description="ISO 3166-2 region code.", examples=["DK-85"]),
]
LanguageFilter = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=35,
        description="BCP 47 tag; a bare language (`ar`) also matches its dialects (`ar-IQ`).",
        examples=["ar"],
    ),
]
OfficeFilter = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Office id.", examples=[1])]

Row = TypeVar("Row", bound=SQLModel)
Item = TypeVar("Item")


def language_condition(column: Any, tag: str) -> ColumnElement[bool]:
    """SQL condition on a tag column for the `language` filter (422 on a bad tag)."""
    try:
        normalized = normalize_tag(tag)
    except InvalidLanguageTag:
        raise invalid_field("query.language", "not a valid BCP 47 language tag") from None
    if "-" in normalized:
        exact: ColumnElement[bool] = column == normalized
        return exact
    return or_(column == normalized, column.like(f"{normalized}-%"))


def children_by_parent(
    session: Session,
    table: type[Row],
    parent_field: str,
    parent_ids: Sequence[int],
    convert: Callable[[Row], Item],
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
