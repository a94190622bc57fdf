"""Query parameters and filters shared by the list endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator
from sqlalchemy import ColumnElement, or_
from sqlmodel import col

from api.schemas.common import MAX_ID, MAX_LIMIT, refuse_nul
from api.services.errors import Invalid
from api.services.references import children_by_parent
from data.languages import InvalidLanguageTag, normalize_tag

__all__ = ["children_by_parent"]  # re-exported: the routers' page loader

#: Query text is checked like body text: PostgreSQL refuses a NUL character.
NoNul = AfterValidator(refuse_nul)
Skip = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows to return.")]
RegionFilter = Annotated[
    str | None,
    Query(min_length=1, max_length=5, description="ISO 3166-2 region code.", examples=["DK-85"]),
    NoNul,
]
LanguageFilter = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=35,
        description="BCP 47 tag; a bare language (`ar`) also matches its dialects (`ar-IQ`).",
        examples=["ar"],
    ),
    NoNul,
]
OfficeFilter = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Office id.", examples=[1])]


def language_condition(tag_column: str, tag: str) -> ColumnElement[bool]:
    """SQL condition on a tag column (``CaseLanguage.tag``) for the `language` filter
    (422 on a bad tag)."""
    column = col(tag_column)
    try:
        normalized = normalize_tag(tag)
    except InvalidLanguageTag:
        raise Invalid.field("query.language", "not a valid BCP 47 language tag") from None
    if "-" in normalized:
        exact: ColumnElement[bool] = column == normalized
        return exact
    return or_(column == normalized, column.like(f"{normalized}-%"))
