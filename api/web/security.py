"""Who is logged in, CSRF checks and the database sessions of the pages.

The session cookie (``famplan_session``) is HttpOnly, SameSite=Lax and Secure when the
request came over HTTPS; the server keeps the session and its expiry
(`api.services.users`). Every POST of a page sends the session's CSRF token, in the
form field ``csrf_token`` or (htmx) the header ``X-CSRF-Token``; without it, or with a
wrong one, the answer is 403. The log-in form, before any session exists, uses a
double-submit token: a random cookie that the form must repeat.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.auth import Principal
from api.services.users import ActiveSession, active_session, principal_of
from data.ops_models import AuditEvent, Role

SESSION_COOKIE = "famplan_session"
LOGIN_CSRF_COOKIE = "famplan_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the log-in page."""


class PageForbidden(Exception):
    """The request is refused (missing CSRF token, a role without the right)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class WebUser:
    user_id: int
    name: str
    email: str
    role: Role
    principal: Principal
    csrf_token: str


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def page_session(engine: Engine, actor_user_id: int | None = None) -> Session:
    """A database session whose audit events name `actor_user_id` (the person who acts
    through the pages): every `AuditEvent` it flushes gets the id, whatever service
    recorded it."""
    session = Session(engine)
    if actor_user_id is not None:

        def name_the_person(db: Session, *_: Any) -> None:
            for row in db.new:
                if isinstance(row, AuditEvent) and row.actor_user_id is None:
                    row.actor_user_id = actor_user_id

        event.listen(session, "before_flush", name_the_person)
    return session


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def db_session(request: Request) -> Iterator[Session]:
    """A database session for a page that writes nothing on behalf of a person."""
    with page_session(_engine(request)) as session:
        yield session


def current_session(request: Request) -> ActiveSession | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with page_session(_engine(request)) as session:
        found = active_session(session, token)
        if found is not None:
            # Loaded while the session is open (the office links are read here).
            found.user.office_ids  # noqa: B018
        return found


def current_user(request: Request) -> WebUser:
    """The logged-in person (`LoginRequired` otherwise)."""
    found = current_session(request)
    if found is None or found.user.id is None:
        raise LoginRequired()
    user = found.user
    return WebUser(
        user_id=found.user.id,
        name=user.name,
        email=user.email,
        role=Role(user.role),
        principal=principal_of(user),
        csrf_token=found.csrf_token,
    )


LoggedIn = Annotated[WebUser, Depends(current_user)]


async def _sent_csrf_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    form = await request.form()  # Starlette keeps it for the route to read again
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else ""


def tokens_match(sent: str, expected: str) -> bool:
    return bool(sent) and bool(expected) and hmac.compare_digest(sent, expected)


async def check_csrf(request: Request, user: LoggedIn) -> WebUser:
    """The logged-in person, if the request carries their session's CSRF token."""
    if not tokens_match(await _sent_csrf_token(request), user.csrf_token):
        raise PageForbidden("csrf")
    return user


CsrfChecked = Annotated[WebUser, Depends(check_csrf)]


async def check_login_csrf(request: Request) -> None:
    """The log-in form's double-submit token: the form repeats the cookie's value."""
    if not tokens_match(
        await _sent_csrf_token(request), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    ):
        raise PageForbidden("csrf")


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)


def require_role(user: WebUser, *roles: Role) -> None:
    if user.role not in roles:
        raise PageForbidden("role")
