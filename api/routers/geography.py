"""Regions and municipalities (read-only reference data) and offices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlmodel import col, func, select

from api.deps import AdminUser, AnyUser, SessionDep
from api.routers.common import Limit, NoNul, RegionFilter, Skip
from api.schemas.common import MAX_ID, Page
from api.schemas.geography import (
    MunicipalityPublic,
    OfficeCreate,
    OfficePublic,
    OfficeUpdate,
    RegionPublic,
)
from api.services.references import get_or_404, require_municipality, require_regions
from data.models import Municipality, Office, Region

router = APIRouter(tags=["reference data"])


@router.get("/regions", response_model=Page[RegionPublic], summary="List the five regions")
def list_regions(session: SessionDep, _: AnyUser) -> Page[RegionPublic]:
    rows = session.exec(select(Region).order_by(Region.code)).all()
    return Page(data=[RegionPublic.model_validate(r) for r in rows], count=len(rows))


@router.get(
    "/municipalities",
    response_model=Page[MunicipalityPublic],
    summary="List municipalities, optionally of one region",
)
def list_municipalities(
    session: SessionDep,
    _: AnyUser,
    region: RegionFilter = None,
    skip: Skip = 0,
    limit: Limit = 100,
) -> Page[MunicipalityPublic]:
    query = select(Municipality)
    if region is not None:
        query = query.where(Municipality.region_code == region)
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Municipality.code)).offset(skip).limit(limit)).all()
    return Page(data=[MunicipalityPublic.model_validate(r) for r in rows], count=count)


@router.get("/municipalities/{code}", response_model=MunicipalityPublic, summary="One municipality")
def get_municipality(
    session: SessionDep,
    _: AnyUser,
    code: Annotated[int, Path(ge=0, le=999, examples=[370])],
) -> MunicipalityPublic:
    return MunicipalityPublic.model_validate(
        get_or_404(session, Municipality, code, "municipality")
    )


offices = APIRouter(prefix="/offices", tags=["offices"])


@offices.get("", response_model=Page[OfficePublic], summary="List offices")
def list_offices(
    session: SessionDep,
    _: AnyUser,
    region: Annotated[
        str | None, Query(max_length=5, description="Offices serving this region."), NoNul
    ] = None,
    skip: Skip = 0,
    limit: Limit = 100,
) -> Page[OfficePublic]:
    rows = list(session.exec(select(Office).order_by(col(Office.id))).all())
    if region is not None:
        rows = [office for office in rows if region in office.serves_regions]
    page = rows[skip : skip + limit]
    return Page(data=[OfficePublic.model_validate(r) for r in page], count=len(rows))


@offices.get("/{office_id}", response_model=OfficePublic, summary="One office")
def get_office(
    session: SessionDep, _: AnyUser, office_id: Annotated[int, Path(ge=1, le=MAX_ID, examples=[1])]
) -> OfficePublic:
    return OfficePublic.model_validate(get_or_404(session, Office, office_id, "office"))


@offices.post("", response_model=OfficePublic, status_code=201, summary="Create an office")
def create_office(session: SessionDep, _: AdminUser, body: OfficeCreate) -> OfficePublic:
    require_municipality(session, body.municipality_code, "body.municipality_code")
    require_regions(session, body.serves_regions, "body.serves_regions")
    office = Office.model_validate(body)
    session.add(office)
    session.commit()
    session.refresh(office)
    return OfficePublic.model_validate(office)


@offices.patch("/{office_id}", response_model=OfficePublic, summary="Change an office")
def update_office(
    session: SessionDep,
    _: AdminUser,
    office_id: Annotated[int, Path(ge=1, le=MAX_ID, examples=[1])],
    body: OfficeUpdate,
) -> OfficePublic:
    office = get_or_404(session, Office, office_id, "office")
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if "municipality_code" in changes:
        require_municipality(session, changes["municipality_code"], "body.municipality_code")
    if "serves_regions" in changes:
        require_regions(session, changes["serves_regions"], "body.serves_regions")
    office.sqlmodel_update(changes)
    session.add(office)
    session.commit()
    session.refresh(office)
    return OfficePublic.model_validate(office)
