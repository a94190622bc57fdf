"""People who log in to the web pages: accounts, passwords, log-in throttling, sessions.

Passwords are hashed with argon2id through `pwdlib` (its recommended parameters); a hash
made with older parameters is upgraded at the next successful log-in.

Sessions live in the `web_session` table rather than in a signed cookie: logging out,
changing the password or disabling the account ends them at once on the server, and
their expiry is a column the server checks, not a claim the browser carries. The cookie
holds a random 256-bit token; the table holds its SHA-256 only.

Throttling: every failed log-in for an account counts; from the fifth in a row on, the
account is locked for `LOCK_BASE` doubled for each further failure (30 s, 1 min, 2 min …,
at most `LOCK_MAX`); a successful log-in resets the count. While locked, even the right
password is refused, so guessing gets no faster by waiting for answers in parallel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from pwdlib import PasswordHash
from sqlmodel import Session, col, delete, select

from api.auth import Principal
from api.services.errors import Conflict, Invalid, NotFound
from api.services.references import require_office
from data.ops_models import Role, User, UserOfficeLink, WebSession, as_utc, utcnow

_hasher = PasswordHash.recommended()

#: Failed log-ins in a row that an account tolerates before it is locked.
FREE_FAILURES = 5
LOCK_BASE = dt.timedelta(seconds=30)
LOCK_MAX = dt.timedelta(hours=1)
MIN_PASSWORD_LENGTH = 10
SESSION_LIFETIME = dt.timedelta(hours=8)

#: Verified against an unknown e-mail, so an unknown address costs as much time as a
#: known one (no account enumeration by timing).
_DUMMY_HASH = _hasher.hash("famplan-no-such-user")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid.field(field, f"at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise Invalid.field(field, "at most 1024 characters")


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    office_ids: Iterable[int] = (),
) -> User:
    """A new account; a team leader needs at least one office, the others none."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise Invalid.field("email", "not an e-mail address")
    if not name.strip():
        raise Invalid.field("name", "required")
    check_password_rules(password)
    offices = sorted(set(office_ids))
    if role is Role.TEAM_LEADER and not offices:
        raise Invalid.field("office", "a team leader needs at least one office")
    if role is not Role.TEAM_LEADER and offices:
        raise Invalid.field("office", "only team leaders are scoped to offices")
    for office_id in offices:
        require_office(session, office_id, "office")
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise Conflict("a user with this e-mail address exists already")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=_hasher.hash(password),
        office_links=[UserOfficeLink(office_id=i) for i in offices],
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def disable_user(session: Session, email: str) -> User:
    """Disable the account and end its sessions."""
    user = user_by_email(session, email)
    if user is None:
        raise NotFound("user", normalise_email(email))
    user.disabled = True
    session.add(user)
    session.exec(delete(WebSession).where(col(WebSession.user_id) == user.id))
    session.commit()
    return user


def principal_of(user: User) -> Principal:
    """The same `Principal` an API key of this role and these offices would give, so the
    services apply the same rules to a person as to a key."""
    return Principal(key_id=None, role=Role(user.role), office_ids=frozenset(user.office_ids))


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    #: Set when the account is locked: until when.
    locked_until: dt.datetime | None = None


def lock_duration(failures: int) -> dt.timedelta | None:
    """How long an account stays locked after `failures` failed log-ins in a row."""
    if failures < FREE_FAILURES:
        return None
    doubled: dt.timedelta = LOCK_BASE * (2 ** (failures - FREE_FAILURES))
    return min(doubled, LOCK_MAX)


def authenticate_login(
    session: Session, email: str, password: str, now: dt.datetime | None = None
) -> LoginOutcome:
    """The user whose e-mail and password these are, or why not (`user` None).

    A disabled account or an unknown address fails like a wrong password.
    """
    now = now or utcnow()
    user = user_by_email(session, email)
    if user is None:
        _hasher.verify(password, _DUMMY_HASH)
        return LoginOutcome(None)
    if user.locked_until is not None and as_utc(user.locked_until) > now:
        return LoginOutcome(None, as_utc(user.locked_until))
    valid, new_hash = _hasher.verify_and_update(password, user.password_hash)
    if not valid or user.disabled:
        user.failed_logins += 1
        lock = lock_duration(user.failed_logins)
        user.locked_until = now + lock if lock is not None else None
        session.add(user)
        session.commit()
        return LoginOutcome(None, user.locked_until)
    user.failed_logins = 0
    user.locked_until = None
    if new_hash is not None:
        user.password_hash = new_hash
    session.add(user)
    session.commit()
    session.refresh(user)
    return LoginOutcome(user)


def change_password(session: Session, user_id: int, current: str, new: str) -> None:
    """Change a password (the current one must be given); every session ends."""
    user = session.get(User, user_id)
    if user is None or user.disabled:
        raise NotFound("user", user_id)
    if not _hasher.verify(current, user.password_hash):
        raise Invalid.field("current_password", "not your current password")
    check_password_rules(new, "new_password")
    if new == current:
        raise Invalid.field("new_password", "the same as the current one")
    user.password_hash = _hasher.hash(new)
    session.add(user)
    session.exec(delete(WebSession).where(col(WebSession.user_id) == user_id))
    session.commit()


# ------------------------------------------------------------------ sessions


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class ActiveSession:
    user: User
    csrf_token: str
    expires_at: dt.datetime


def start_session(
    session: Session, user: User, now: dt.datetime | None = None
) -> tuple[str, WebSession]:
    """A new session for `user`: the cookie's token (shown once) and the row."""
    assert user.id is not None
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=_token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    # Expired sessions are removed as new ones start (no separate sweeper needed).
    session.exec(delete(WebSession).where(col(WebSession.expires_at) < now))
    session.add(row)
    session.commit()
    return token, row


def active_session(
    session: Session, token: str, now: dt.datetime | None = None
) -> ActiveSession | None:
    """The session of a cookie's token if it exists, has not expired and its user is
    enabled; None otherwise."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    row = session.get(WebSession, _token_hash(token))
    if row is None or as_utc(row.expires_at) <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    return ActiveSession(user, row.csrf_token, as_utc(row.expires_at))


def end_session(session: Session, token: str) -> None:
    session.exec(delete(WebSession).where(col(WebSession.token_hash) == _token_hash(token)))
    session.commit()
