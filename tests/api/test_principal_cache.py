"""The in-process principal cache: a verified key skips the database, a revocation does not."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.auth import PrincipalCache, create_key, revoke_key
from data.ops_models import ApiKey, Role, utcnow
from tests.api.conftest import Keys


def _reception_key(engine: Engine) -> tuple[int, str]:
    with Session(engine) as session:
        row, key = create_key(session, Role.RECEPTION, label="cache test")
        session.commit()
        assert row.id is not None
        return row.id, key


def test_a_cached_key_is_answered_without_the_database(api_engine: Engine) -> None:
    key_id, key = _reception_key(api_engine)
    cache = PrincipalCache(ttl_seconds=600)
    with Session(api_engine) as session:
        principal = cache.authenticate(session, key)
    assert principal is not None and principal.key_id == key_id
    # The row changes behind the cache's back (as another process would do it): the
    # cached principal still answers, which is the documented cross-process delay.
    with Session(api_engine) as session:
        row = session.get(ApiKey, key_id)
        assert row is not None
        row.revoked_at = utcnow()
        session.add(row)
        session.commit()
    assert cache.get(key) == principal
    # Without a cache the same lookup is refused at once.
    with Session(api_engine) as session:
        assert PrincipalCache(ttl_seconds=0).authenticate(session, key) is None


def test_a_revocation_in_this_process_empties_the_cache_at_once(api_engine: Engine) -> None:
    key_id, key = _reception_key(api_engine)
    cache = PrincipalCache(ttl_seconds=600)
    with Session(api_engine) as session:
        assert cache.authenticate(session, key) is not None
    with Session(api_engine) as session:
        revoke_key(session, key_id)
        session.commit()
    assert cache.get(key) is None
    with Session(api_engine) as session:
        assert cache.authenticate(session, key) is None


def test_unknown_keys_are_never_cached(api_engine: Engine) -> None:
    cache = PrincipalCache(ttl_seconds=600)
    with Session(api_engine) as session:
        assert cache.authenticate(session, "fp_abcdefgh_not-a-real-secret") is None
    assert cache.get("fp_abcdefgh_not-a-real-secret") is None


def test_a_key_revoked_through_the_api_is_refused_by_the_next_request(
    client: TestClient, keys: Keys, api_engine: Engine
) -> None:
    reception = keys.headers("reception")
    for _ in range(2):  # the second request is served from the principal cache
        assert client.get("/v1/cases", headers=reception).status_code == 200
    with Session(api_engine) as session:
        key_id = session.exec(select(ApiKey.id).where(ApiKey.label == "test reception")).one()
    revoked = client.post(f"/v1/keys/{key_id}/revoke", headers=keys.headers("admin"))
    assert revoked.status_code == 200
    assert client.get("/v1/cases", headers=reception).status_code == 401
