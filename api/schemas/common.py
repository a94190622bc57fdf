"""Shared schema pieces: paginated lists and reusable validated types."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import pycountry
from pydantic import AfterValidator, BaseModel, Field, field_validator
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig

from data.languages import InvalidLanguageTag, normalize_tag

#: Upper bound of the `limit` query parameter of every list endpoint.
MAX_LIMIT = 200
#: The largest id a database INTEGER column holds (PostgreSQL's 32-bit signed integer).
MAX_ID = 2**31 - 1
#: The dates famplan plans within. Far dates are typing errors, and at the edges of
#: Python's calendar (0001-01-01, 9999-12-31) a time-zone shift or a horizon of a few
#: weeks overflows; every date a client sends is checked against this range.
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


T = TypeVar("T")


def with_examples(*examples: Any) -> SQLModelConfig:
    """A model config that puts `examples` into the OpenAPI schema."""
    return SQLModelConfig(json_schema_extra={"examples": list(examples)})


class Page(BaseModel, Generic[T]):
    """One page of a list: the rows and the total number matching the filters."""

    data: list[T]
    count: int = Field(ge=0, examples=[1])


def _language_tag(value: str) -> str:
    try:
        return normalize_tag(value)
    except InvalidLanguageTag:
        raise ValueError("not a valid BCP 47 language tag") from None


def _country_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("not an ISO 3166-1 alpha-2 country code")
    return code


#: A BCP 47 tag, normalised (``"AR-iq"`` → ``"ar-IQ"``); invalid tags are a 422.
LanguageTag = Annotated[
    str, Field(min_length=1, max_length=35, examples=["ar-IQ"]), AfterValidator(_language_tag)
]
#: An ISO 3166-1 alpha-2 country code, upper-cased.
CountryCode = Annotated[
    str, Field(min_length=2, max_length=2, examples=["IQ"]), AfterValidator(_country_code)
]
#: A free competence tag such as "trauma".
CompetenceTag = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9-]+$")]

#: Local times without an offset are Danish wall-clock time.
DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def _in_planning_range(value: dt.datetime) -> dt.datetime:
    if not MIN_DATE <= value.date() <= MAX_DATE:
        raise ValueError(f"must be between {MIN_DATE} and {MAX_DATE}")
    return value


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=DANISH_TIME)
    return value


#: A date-time; without an offset it is read as Danish local time (Europe/Copenhagen).
LocalDateTime = Annotated[
    dt.datetime,
    Field(examples=["2026-03-02T09:00:00+01:00"]),
    AfterValidator(_in_planning_range),
    AfterValidator(_aware),
]

#: A date between `MIN_DATE` and `MAX_DATE` (request bodies and query parameters).
PlanningDate = Annotated[dt.date, Field(ge=MIN_DATE, le=MAX_DATE, examples=["2026-03-02"])]

#: A row id in a request body.
DbId = Annotated[int, Field(ge=1, le=MAX_ID, examples=[7])]
#: A row's version for optimistic locking (an INTEGER column, like the ids).
Version = Annotated[int, Field(ge=0, le=MAX_ID, examples=[0])]
#: An official municipality code (101 København … 860 Hjørring).
MunicipalityCode = Annotated[int, Field(ge=100, le=999, examples=[370])]

Latitude = Annotated[float, Field(ge=-90, le=90, examples=[55.66])]
Longitude = Annotated[float, Field(ge=-180, le=180, examples=[12.58])]


# ------------------------------------------------------------------ free text

NUL_MESSAGE = "must not contain a NUL character"


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    return False


def refuse_nul(value: str | None) -> str | None:
    """PostgreSQL cannot store a NUL character in text: refuse it at the boundary."""
    if value is not None and "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    return value


class RequestModel(SQLModel):
    """Base of every request body: no text field (nor list of texts) holds a NUL
    character; the 422 names the field. Nested request models check their own fields."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if _has_nul(value):
            raise ValueError(NUL_MESSAGE)
        return value
