"""The web pages, served by the API's FastAPI app next to ``/v1``.

One module per page group: `auth_pages` (log-in, log-out, password), `reception`
(inbox, new request, match, case), `rosters` (plan, watch, read and publish a roster),
`batch` (batch re-optimisation), `capacity` (the report's figures). Pages call the
application services (`api.services`), never the database directly.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.web import auth_pages, batch, capacity, reception, roster_repair, rosters
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


def install_pages(app: FastAPI) -> None:
    """Mount the pages, their static files and their error answers on `app`."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(ServerTimingMiddleware)
    app.add_exception_handler(LoginRequired, _on_login_required)
    app.add_exception_handler(PageForbidden, _on_forbidden)
    for router in (
        auth_pages.router,
        reception.router,
        rosters.router,
        roster_repair.router,
        batch.router,
        capacity.router,
    ):
        app.include_router(router, include_in_schema=False)
