"""Admin routes to manage API keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlmodel import col, func, select

from api.auth import create_key, forget_cached_principals, revoke_key
from api.deps import AdminUser, SessionDep
from api.problems import invalid_field, not_found
from api.routers.common import Limit, Skip
from api.schemas.common import MAX_ID, Page
from api.schemas.keys import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from api.services.references import require_office
from data.ops_models import ApiKey, Role

router = APIRouter(prefix="/keys", tags=["API keys"])


@router.get("", response_model=Page[ApiKeyPublic], summary="List API keys (admin)")
def list_keys(
    session: SessionDep, _: AdminUser, skip: Skip = 0, limit: Limit = 50
) -> Page[ApiKeyPublic]:
    count = session.exec(select(func.count()).select_from(ApiKey)).one()
    rows = session.exec(select(ApiKey).order_by(col(ApiKey.id)).offset(skip).limit(limit)).all()
    return Page(data=[ApiKeyPublic.model_validate(r) for r in rows], count=count)


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=201,
    summary="Create an API key (admin); the key is shown once",
)
def create_api_key(session: SessionDep, principal: AdminUser, body: ApiKeyCreate) -> ApiKeyCreated:
    if body.role is Role.TEAM_LEADER and not body.office_ids:
        raise invalid_field("body.office_ids", "a team leader key needs at least one office")
    if body.role is not Role.TEAM_LEADER and body.office_ids:
        raise invalid_field("body.office_ids", "only team leader keys are scoped to offices")
    for index, office_id in enumerate(body.office_ids):
        require_office(session, office_id, f"body.office_ids.{index}")
    row, key = create_key(session, body.role, body.office_ids, body.label, principal.key_id)
    session.commit()
    session.refresh(row)
    return ApiKeyCreated.model_validate({**row.model_dump(), "key": key})


@router.post("/{key_id}/revoke", response_model=ApiKeyPublic, summary="Revoke an API key (admin)")
def revoke_api_key(
    session: SessionDep,
    principal: AdminUser,
    key_id: Annotated[int, Path(ge=1, le=MAX_ID, examples=[2])],
) -> ApiKeyPublic:
    row = revoke_key(session, key_id, principal.key_id)
    if row is None:
        raise not_found("API key", key_id)
    session.commit()
    forget_cached_principals()
    session.refresh(row)
    return ApiKeyPublic.model_validate(row)
