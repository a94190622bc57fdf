"""FastAPI dependencies: the database session and the calling principal."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.auth import Principal, PrincipalCache
from api.problems import ApiProblem
from api.services.planning_date import PlanningDateCache
from data.ops_models import Role

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key from `famplan keys create`."
)
_bearer = HTTPBearer(
    auto_error=False, description="The same API key as an OAuth2-style bearer token."
)


# Dependencies that do no I/O are `async def`: FastAPI then runs them on the event loop
# instead of hopping to a worker thread for each (a measurable cost per request).


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


async def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> AsyncIterator[Session]:
    # Creating and closing a Session does no I/O; queries run in the (sync) routes.
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def get_planning_date(request: Request) -> dt.date:
    """The app's planning date (`api.services.planning_date`); on the event loop unless
    the book's recorded date must be read again."""
    dates: PlanningDateCache = request.app.state.planning_dates
    known = dates.known()
    if known is not None:
        return known
    return await run_in_threadpool(_read_planning_date, request.app.state.engine, dates)


def _read_planning_date(engine: Engine, dates: PlanningDateCache) -> dt.date:
    with Session(engine) as session:
        return dates.get(session)


#: The planning date of a request that names none of its own.
PlanningDateDep = Annotated[dt.date, Depends(get_planning_date)]
AS_OF_HELP = "Planning date (default: FAMPLAN_AS_OF, else the book's date, else today)."


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(
        401, detail, headers={"WWW-Authenticate": 'Bearer, ApiKey header="X-API-Key"'}
    )


async def get_current_principal(
    request: Request,
    api_key: Annotated[str | None, Security(_api_key_header)] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
) -> Principal:
    key = api_key or (bearer.credentials if bearer is not None else None)
    if not key:
        raise _unauthorized("authentication required: send X-API-Key or Authorization: Bearer")
    cache: PrincipalCache = request.app.state.principal_cache
    # A recently verified key is answered on the event loop; only a miss queries the
    # database, in a worker thread (see `PrincipalCache` for the revocation delay).
    principal = cache.get(key)
    if principal is None:
        principal = await run_in_threadpool(_authenticate, request.app.state.engine, cache, key)
    if principal is None:
        raise _unauthorized("the API key is invalid or revoked")
    return principal


def _authenticate(engine: Engine, cache: PrincipalCache, key: str) -> Principal | None:
    with Session(engine) as session:
        return cache.authenticate(session, key)


CurrentUser = Annotated[Principal, Depends(get_current_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """A dependency that lets only `roles` through (403 for the others)."""
    allowed = frozenset(roles)

    async def check(principal: CurrentUser) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise ApiProblem(403, f"this operation requires the role {names}")
        return principal

    return check


AnyUser = CurrentUser
ReceptionUser = Annotated[Principal, Depends(require_roles(Role.RECEPTION, Role.ADMIN))]
PlannerUser = Annotated[Principal, Depends(require_roles(Role.TEAM_LEADER, Role.ADMIN))]
AdminUser = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
