"""Log-in, log-out, change of password, and the start page."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from api.services.errors import Invalid
from api.services.users import (
    authenticate_login,
    change_password,
    end_session,
    start_session,
)
from api.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfChecked,
    LoggedIn,
    check_login_csrf,
    current_session,
    db_session,
    new_login_csrf,
    set_cookie,
)
from api.web.templating import gettext_for, render_page
from data.ops_models import Role, utcnow

router = APIRouter()
DbSession = Annotated[Session, Depends(db_session)]


def home_of(role: Role) -> str:
    return "/rosters" if role is Role.TEAM_LEADER else "/inbox"


@router.get("/")
def start_page(user: LoggedIn) -> RedirectResponse:
    return RedirectResponse(home_of(user.role), status_code=303)


def _login_form(
    request: Request, status_code: int = 200, email: str = "", error: str | None = None
) -> Response:
    token = new_login_csrf()
    response = render_page(
        request,
        "web/login.html",
        status_code=status_code,
        user=None,
        login_csrf=token,
        email=email,
        error=error,
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.get("/login")
def login_page(request: Request) -> Response:
    if current_session(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _login_form(request)


@router.post("/login", dependencies=[Depends(check_login_csrf)])
def login(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    _ = gettext_for(request).gettext
    outcome = authenticate_login(session, email, password)
    if outcome.user is None:
        if outcome.locked_until is not None:
            seconds = max(1, math.ceil((outcome.locked_until - utcnow()).total_seconds()))
            message = _("Too many failed log-ins. Try again in %(seconds)d seconds.") % {
                "seconds": seconds
            }
            return _login_form(request, 429, email, message)
        return _login_form(request, 401, email, _("Wrong e-mail address or password."))
    token, _row = start_session(session, outcome.user)
    response = RedirectResponse(home_of(Role(outcome.user.role)), status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=8 * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, _: CsrfChecked) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    end_session(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    if request.headers.get("HX-Request"):
        response.headers["HX-Redirect"] = "/login"
    return response


@router.get("/password")
def password_page(request: Request, user: LoggedIn) -> Response:
    return render_page(request, "web/password.html", user=user, errors={}, done=False)


@router.post("/password")
def password_change(
    request: Request,
    session: DbSession,
    user: CsrfChecked,
    current_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
    repeat_password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    _ = gettext_for(request).gettext
    errors: dict[str, str] = {}
    if new_password != repeat_password:
        errors["repeat_password"] = _("The two new passwords differ.")
    else:
        try:
            change_password(session, user.user_id, current_password, new_password)
        except Invalid as error:
            errors = {p.field: p.message for p in error.problems}
    if errors:
        return render_page(
            request, "web/password.html", status_code=422, user=user, errors=errors, done=False
        )
    # Every session ended with the change: log in again with the new password.
    response = _login_form(request, 200, user.email, None)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
