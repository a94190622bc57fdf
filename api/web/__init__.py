"""The web pages, served by the API's FastAPI app next to ``/v1``.

One module per page group: `auth_pages` (log-in, log-out, password), `reception`
(inbox, new request, match, case), `rosters` (plan, watch, read and publish a roster),
`batch` (batch re-optimisation), `capacity` (the report's figures), `follow_ups`
(due and overdue follow-ups, marked done). Pages call the
application services (`api.services`), never the database directly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.problems import domain_status
from api.services.errors import DomainError
from api.web import auth_pages, batch, capacity, follow_ups, reception, roster_repair, rosters
from api.web.security import LoginRequired, PageForbidden
from api.web.templating import error_page, gettext_for
from api.web.timing import ServerTimingMiddleware

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


async def _on_login_required(request: Request, _: Exception) -> Response:
    if request.headers.get("HX-Request"):
        return Response(status_code=401, headers={"HX-Redirect": "/login"})
    return RedirectResponse("/login", status_code=303)


async def _on_forbidden(request: Request, error: Exception) -> Response:
    _ = gettext_for(request).gettext
    detail = getattr(error, "detail", "")
    message = (
        _("The form was not sent from this session (missing or wrong CSRF token).")
        if detail == "csrf"
        else _("Your role does not allow this page.")
    )
    return error_page(request, 403, message)


#: Paths answered with problem documents (the JSON API and its docs); every other path
#: is a page, and a page's error is an HTML page in its language.
API_PATHS = ("/v1", "/health", "/docs", "/redoc", "/openapi.json", "/static")

Handler = Callable[[Request, Exception], Awaitable[Response]]


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PATHS)


def _page_error(request: Request, error: Exception) -> Response:
    """A bad address (an id that is not a number or out of range, no such page, a
    method the page does not take) or a service's refusal no page caught."""
    _ = gettext_for(request).gettext
    if isinstance(error, RequestValidationError):
        names = [
            str(problem["loc"][-1])
            for problem in error.errors()
            if problem.get("loc") and problem["loc"][0] == "path"
        ]
        if names:
            message = _("The address holds an invalid %(name)s.") % {"name": ", ".join(names)}
        else:
            message = _("The request was not understood.")
        return error_page(request, 422, message)
    if isinstance(error, DomainError):
        return error_page(request, domain_status(error), error.detail)
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 404:
        return error_page(request, 404, _("There is no such page."))
    if error.status_code == 405:
        return error_page(request, 405, _("This page does not take that request."))
    return error_page(request, error.status_code, _("The request was not understood."))


def _html_on_pages(api_handler: Handler) -> Handler:
    """The API's answer for the API's paths, an HTML page for the pages'."""

    async def handle(request: Request, error: Exception) -> Response:
        if is_page(request):
            return _page_error(request, error)
        return await api_handler(request, error)

    return handle


def install_pages(app: FastAPI) -> None:
    """Mount the pages, their static files and their error answers on `app` (after the
    API's problem handlers, which answer the API's paths as before)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(ServerTimingMiddleware)
    app.add_exception_handler(LoginRequired, _on_login_required)
    app.add_exception_handler(PageForbidden, _on_forbidden)
    for kind in (RequestValidationError, StarletteHTTPException, DomainError):
        api_handler = cast(Handler, app.exception_handlers[kind])
        app.add_exception_handler(kind, _html_on_pages(api_handler))
    for router in (
        auth_pages.router,
        reception.router,
        rosters.router,
        roster_repair.router,
        batch.router,
        capacity.router,
        follow_ups.router,
    ):
        app.include_router(router, include_in_schema=False)
