"""Regions, municipalities (read-only reference data) and offices."""

from __future__ import annotations

from pydantic import Field
from sqlmodel import SQLModel

from api.schemas.common import (
    Latitude,
    Longitude,
    MunicipalityCode,
    RequestModel,
    with_examples,
)


class RegionPublic(SQLModel):
    model_config = with_examples({"code": "DK-84", "name": "Hovedstaden"})

    code: str
    name: str


class MunicipalityPublic(SQLModel):
    model_config = with_examples(
        {
            "code": 101,
            "name": "København",
            "region_code": "DK-84",
            "lat": 55.68,
            "lon": 12.57,
        }
    )

    code: int
    name: str
    region_code: str
    lat: float
    lon: float


_OFFICE_EXAMPLE = {
    "name": "Næstved",
    "municipality_code": 370,
    "lat": 55.23,
    "lon": 11.76,
    "serves_regions": ["DK-85"],
}


class OfficeCreate(RequestModel):
    model_config = with_examples(_OFFICE_EXAMPLE)

    name: str = Field(min_length=1, max_length=80)
    municipality_code: MunicipalityCode
    lat: Latitude
    lon: Longitude
    serves_regions: list[str] = Field(default_factory=list, max_length=5, examples=[["DK-85"]])


class OfficeUpdate(RequestModel):
    model_config = with_examples({"serves_regions": ["DK-85", "DK-84"]})

    name: str | None = Field(default=None, min_length=1, max_length=80)
    municipality_code: MunicipalityCode | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    serves_regions: list[str] | None = Field(default=None, max_length=5)


class OfficePublic(SQLModel):
    model_config = with_examples({"id": 6, **_OFFICE_EXAMPLE})

    id: int
    name: str
    municipality_code: int
    lat: float
    lon: float
    serves_regions: list[str]
