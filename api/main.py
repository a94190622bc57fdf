"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from api.auth import PrincipalCache
from api.config import ApiSettings, get_api_settings
from api.jobs.context import Runner
from api.jobs.worker import Worker
from api.logging_setup import silence_data_loggers
from api.middleware import (
    BodySizeLimitMiddleware,
    RequestLogMiddleware,
    SnapshotInvalidationMiddleware,
)
from api.problems import PROBLEM_RESPONSES, install_problem_handlers
from api.routers import (
    cases,
    consultants,
    figures,
    follow_ups,
    geography,
    health,
    jobs,
    keys,
    kpis,
    matching,
    optimizations,
    rosters,
    staff,
    sweeps,
    waiting,
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
        docs_url=None,  # served by `_add_docs`, from famplan's own files
        redoc_url=None,
    )
    _add_docs(app)
    app.state.engine = engine
    app.state.settings = settings
    app.state.worker = None
    app.state.principal_cache = PrincipalCache(settings.auth_cache_seconds)
    app.state.snapshot_cache = SnapshotCache(
        settings.snapshot_ttl_seconds, settings.cache_rankings, settings.snapshot_cache_size
    )
    app.state.planning_dates = PlanningDateCache(settings, settings.snapshot_ttl_seconds)
    install_problem_handlers(app)
    app.add_middleware(SnapshotInvalidationMiddleware)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        path_limits=settings.body_limits_by_path,
    )
    app.add_middleware(RequestLogMiddleware)

    app.include_router(health.router)
    v1 = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)
    for router in _v1_routers():
        v1.include_router(router)
    app.include_router(v1)
    # The web pages (log-in, reception, rosters) and their static files, outside /v1.
    install_pages(app)
    return app


#: Where the docs pages load Swagger UI and ReDoc from: this server, not a CDN, so the
#: docs work air-gapped and no third party sees who reads them. The files ship with the
#: `fastapi-offline` package (Swagger UI 5, ReDoc 2 standalone).
DOCS_ASSETS = "/docs-assets"


def _add_docs(app: FastAPI) -> None:
    assets = files("fastapi_offline") / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=redirect_url,
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )

    @app.get(redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )


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
        follow_ups.router,
        matching.router,
        staff.assignments,
        optimizations.router,
        sweeps.router,
        rosters.router,
        jobs.router,
        kpis.router,
        waiting.router,
        figures.router,
        keys.router,
    ]
    return routers
