"""API keys: generation, hashing, verification.

A key looks like ``fp_<prefix>_<secret>``. The prefix (8 random characters) is stored in
clear to find the row; the whole key is stored as its SHA-256 digest — enough for a
high-entropy random secret (no password stretching needed) — and compared with
`hmac.compare_digest`. The clear key is returned once, at creation.

A key is refused from the moment it is revoked or its `expires_at` has passed, by every
process at once: each request reads the key's row (`authenticate`), unless an operator
turns on the in-process `PrincipalCache` (`auth_cache_seconds`), which trades that for
a delay. The clear key never reaches a log: `KeyRedactingFilter` masks anything shaped
like one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
import string
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session, col, select

from api.audit import record
from data.ops_models import ApiKey, AuditAction, Role, as_utc, utcnow

KEY_MARK = "fp"
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id, role and office scope (never the clear key)."""

    key_id: int | None
    role: Role
    office_ids: frozenset[int] = field(default_factory=frozenset)
    #: When the key stops working unless renewed (None: never).
    expires_at: dt.datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def may_act_for_offices(self, office_ids: set[int] | frozenset[int]) -> bool:
        """Admins act for every office; team leaders only within their scope."""
        if self.role is Role.ADMIN:
            return True
        if self.role is Role.TEAM_LEADER:
            return bool(office_ids) and set(office_ids) <= self.office_ids
        return False


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_prefix(key: str) -> str | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_MARK or not parts[1] or not parts[2]:
        return None
    return parts[1]


def new_key() -> tuple[str, str]:
    """A fresh ``(key, prefix)`` pair with 256 bits of secret."""
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(8))
    return f"{KEY_MARK}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def create_key(
    session: Session,
    role: Role,
    office_ids: list[int] | None = None,
    label: str = "",
    actor_key_id: int | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiKey, str]:
    """Store a new key and return the row and the clear key (show it once)."""
    key, prefix = new_key()
    row = ApiKey(
        prefix=prefix,
        key_hash=hash_key(key),
        role=role,
        office_ids=sorted(set(office_ids or [])),
        label=label,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    record(session, actor_key_id, AuditAction.KEY_CREATE, "api_key", [row.id])
    return row, key


def revoke_key(session: Session, key_id: int, actor_key_id: int | None = None) -> ApiKey | None:
    row = session.get(ApiKey, key_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        record(session, actor_key_id, AuditAction.KEY_REVOKE, "api_key", [key_id])
    forget_cached_principals()
    return row


def renew_key(session: Session, key_id: int, expires_at: dt.datetime) -> bool:
    """Move an unrevoked key's expiry to `expires_at`; False if it is revoked or gone."""
    renewed = session.exec(
        update(ApiKey)
        .where(col(ApiKey.id) == key_id, col(ApiKey.revoked_at).is_(None))
        .values(expires_at=expires_at)
    )
    return bool(renewed.rowcount == 1)


def is_expired(expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    return expires_at is not None and as_utc(expires_at) <= now


def authenticate(session: Session, key: str, now: dt.datetime | None = None) -> Principal | None:
    """The principal of a valid key, neither revoked nor expired at `now` (default: the
    current time); None otherwise."""
    prefix = parse_prefix(key)
    if prefix is None:
        return None
    row = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if row is None or row.revoked_at is not None:
        return None
    if is_expired(row.expires_at, now or utcnow()):
        return None
    if not hmac.compare_digest(row.key_hash, hash_key(key)):
        return None
    return Principal(
        key_id=row.id,
        role=Role(row.role),
        office_ids=frozenset(row.office_ids),
        expires_at=as_utc(row.expires_at) if row.expires_at is not None else None,
    )


#: What a clear key looks like (`new_key`): masked in every log record.
KEY_PATTERN = re.compile(rf"\b{KEY_MARK}_[a-z0-9]{{8}}_[A-Za-z0-9_-]+")


def redact_keys(text: str) -> str:
    return KEY_PATTERN.sub(lambda match: match.group(0)[:12] + "…", text)


class KeyRedactingFilter(logging.Filter):
    """Masks API keys in log records (the prefix stays, to tell keys apart): whatever a
    message or its arguments carry, the secret never reaches a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_keys(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


# --- the in-process principal cache --------------------------------------------------------

_revocations = 0
_revocations_lock = threading.Lock()


def forget_cached_principals() -> None:
    """Empty every `PrincipalCache` of this process (called on each revocation, and again
    by the API after the revocation is committed, so no request that read the row before
    the commit can keep the key alive)."""
    global _revocations
    with _revocations_lock:
        _revocations += 1


class PrincipalCache:
    """Recently verified keys → their principal, for `ttl_seconds` (off by default:
    `ApiSettings.auth_cache_seconds` is 0).

    Spares the API a database query per request. Keyed by the key's SHA-256 digest (the
    clear key is never kept). Only valid keys are cached; unknown or revoked keys are
    looked up every time, and an expired key is never answered from the cache. A
    revocation in this process empties every cache at once; a revocation by another
    process (``famplan keys revoke``, a second API worker) takes effect here only
    within `ttl_seconds` — which is why it is off unless an operator accepts that.
    """

    def __init__(self, ttl_seconds: float = 5.0, max_entries: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._seen_revocations = _revocations
        self._lock = threading.Lock()

    def get(self, key: str) -> Principal | None:
        if self.ttl_seconds <= 0:
            return None
        if self._seen_revocations != _revocations:
            with self._lock:
                self._entries.clear()
                self._seen_revocations = _revocations
            return None
        hit = self._entries.get(hash_key(key))
        if hit is None or time.monotonic() >= hit[0] or is_expired(hit[1].expires_at, utcnow()):
            return None
        return hit[1]

    def authenticate(self, session: Session, key: str) -> Principal | None:
        """`authenticate` through the cache (a miss queries `session`)."""
        cached = self.get(key)
        if cached is not None:
            return cached
        revocations_before = _revocations
        principal = authenticate(session, key)
        if principal is None or self.ttl_seconds <= 0:
            return principal
        with self._lock:
            # A revocation while we read the row may not have been visible to us.
            if revocations_before == _revocations == self._seen_revocations:
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[hash_key(key)] = (time.monotonic() + self.ttl_seconds, principal)
        return principal
