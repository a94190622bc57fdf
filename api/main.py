"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from sqlalchemy.engine import Engine

from api.auth import PrincipalCache
from api.config import ApiSettings, get_api_settings
from api.jobs.context import Runner
from api.jobs.worker import Worker
from api.logging_setup import silence_data_loggers
from api.middleware import RequestLogMiddleware, SnapshotInvalidationMiddleware
from api.problems import PROBLEM_RESPONSES, install_problem_handlers
from api.routers import (
    cases,
    consultants,
    figures,
    geography,
    health,
    jobs,
    keys,
    kpis,
    matching,
    optimizations,
    rosters,
    staff,
)
from api.services.matching import SnapshotCache
from api.services.planning_date import PlanningDateCache
from api.web import install_pages
from data.db import make_engine, normalize_url
from data.ops_models import JobKind

log = logging.getLogger("famplan.api")

DESCRIPTION = """
Matching, 24/7 rosters and batch re-optimisation for mother-tongue family treatment.

Authenticate every `/v1` route with an API key in the `X-API-Key` header or as
`Authorization: Bearer <key>`. Roles: **reception** (read, register cases, match,
confirm), **team_leader** (rosters, absences and batch jobs for their offices),
**admin** (everything, API keys). Errors are RFC 9457 problem documents.
"""


def create_app(
    settings: ApiSettings | None = None,
    engine: Engine | None = None,
    job_runners: Mapping[JobKind, Runner] | None = None,
) -> FastAPI:
    """The app on `engine` (default: the settings' database).

    With `settings.run_worker` the job worker runs inside the app's lifespan;
    `job_runners` replaces the solver runners (tests use fakes).
    """
    settings = settings or get_api_settings()
    silence_data_loggers()
    engine = engine or make_api_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = None
        if settings.run_worker:
            worker = Worker(engine, settings, job_runners)
            worker.start()
        app.state.worker = worker
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()

    app = FastAPI(
        title="famplan API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.worker = None
    app.state.principal_cache = PrincipalCache(settings.auth_cache_seconds)
    app.state.snapshot_cache = SnapshotCache(settings.snapshot_ttl_seconds, settings.cache_rankings)
    app.state.planning_dates = PlanningDateCache(settings, settings.snapshot_ttl_seconds)
    install_problem_handlers(app)
    app.add_middleware(SnapshotInvalidationMiddleware)
    app.add_middleware(RequestLogMiddleware)

    app.include_router(health.router)
    v1 = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)
    for router in _v1_routers():
        v1.include_router(router)
    app.include_router(v1)
    # The web pages (log-in, reception, rosters) and their static files, outside /v1.
    install_pages(app)
    return app


def make_api_engine(settings: ApiSettings) -> Engine:
    """The settings' database with a connection pool sized for the request threads."""
    url = normalize_url(settings.database_url)
    if url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") == "sqlite:"):
        return make_engine(url)  # one in-memory database per connection: keep the default
    return make_engine(url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow)


def _v1_routers() -> list[APIRouter]:
    routers = [
        geography.router,
        geography.offices,
        consultants.router,
        staff.coordinators,
        cases.router,
        matching.router,
        staff.assignments,
        optimizations.router,
        rosters.router,
        jobs.router,
        kpis.router,
        figures.router,
        keys.router,
    ]
    return routers
