"""Measure the security figures of the least-privilege issue against a live server.

Starts the API (uvicorn, loopback, no in-process worker) on the configured database, or
on ``--database-url``, and measures, printing one JSON document:

- **auth probes**: every route of the OpenAPI document (ids filled from the book) with
  each bad credential (none, empty, garbage, an unknown well-formed key, a real prefix
  with a wrong secret, a revoked key, an expired key, both headers at once with a bad
  key), plus role escalation (reception on admin writes) and cross-office reads and
  writes of a team leader; tried / refused (401 or 403) / let through;
- **memory after distinct snapshot dates**: the server's resident memory before and
  after matches at ``--dates`` distinct ``as_of`` dates;
- **time from revocation to refusal**: a key revoked in the database (what
  ``famplan keys revoke`` does) and the time until the server refuses it.

    python scripts/probe_security.py
    python scripts/probe_security.py --database-url postgresql+psycopg://postgres@127.0.0.1/probe

The database must hold a book of business (``famplan db upgrade && famplan seed``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import psutil
from bench_api import free_port, server
from sqlmodel import Session, col, select

ADMIN_ONLY_WRITES = [
    ("post", "/v1/optimizations", {}),
    ("post", "/v1/keys", {"role": "admin", "label": "probe"}),
    ("post", "/v1/offices", {"name": "probe", "region_code": "1084"}),
    ("post", "/v1/coordinators", {"name": "probe", "office_id": 1}),
]


@dataclass
class Keys:
    admin: str
    reception: str
    team_leader: str
    team_leader_office: int
    revoked: str
    expired: str
    revocable_id: int
    revocable: str


def make_keys(database_url: str | None) -> Keys:
    from api.auth import create_key, revoke_key
    from data.db import make_engine
    from data.models import Office
    from data.ops_models import Role

    engine = make_engine(database_url)
    with Session(engine) as session:
        office = session.exec(select(Office.id).order_by(col(Office.id))).first()
        assert office is not None, "the database holds no offices: run famplan seed"
        past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        _, admin = create_key(session, Role.ADMIN, label="probe")
        _, reception = create_key(session, Role.RECEPTION, label="probe")
        _, leader = create_key(session, Role.TEAM_LEADER, [office], label="probe")
        revoked_row, revoked = create_key(session, Role.ADMIN, label="probe")
        _, expired = create_key(session, Role.ADMIN, label="probe", expires_at=past)
        revocable_row, revocable = create_key(session, Role.ADMIN, label="probe")
        session.flush()
        assert revoked_row.id is not None and revocable_row.id is not None
        revoke_key(session, revoked_row.id)
        session.commit()
        keys = Keys(admin, reception, leader, office, revoked, expired, revocable_row.id, revocable)
    engine.dispose()
    return keys


def bad_credentials(keys: Keys) -> dict[str, dict[str, str]]:
    prefix = keys.admin.split("_")[1]
    return {
        "none": {},
        "empty": {"X-API-Key": ""},
        "garbage": {"X-API-Key": "let-me-in"},
        "unknown key": {"X-API-Key": "fp_zzzzzzzz_" + "A" * 43},
        "real prefix, wrong secret": {"X-API-Key": f"fp_{prefix}_" + "B" * 43},
        "revoked": {"X-API-Key": keys.revoked},
        "expired": {"X-API-Key": keys.expired},
        "bearer garbage": {"Authorization": "Bearer fp_zzzzzzzz_x"},
        "revoked as bearer": {"Authorization": f"Bearer {keys.revoked}"},
    }


def concrete_paths(http: httpx.Client) -> Iterator[tuple[str, str]]:
    """Every (method, path) of the OpenAPI document with ids of the book filled in."""
    spec = http.get("/openapi.json").json()
    first_ids = {
        "case_id": _first(http, "/v1/cases"),
        "consultant_id": _first(http, "/v1/consultants"),
        "office_id": _first(http, "/v1/offices"),
        "coordinator_id": _first(http, "/v1/coordinators"),
        "assignment_id": _first(http, "/v1/assignments"),
        "code": _first(http, "/v1/municipalities", field="code"),
    }
    for path, operations in spec["paths"].items():
        if path == "/health":
            continue
        filled = re.sub(r"\{(\w+)\}", lambda m: str(first_ids.get(m.group(1), 1)), path)
        for method in operations:
            yield method, filled


def _first(http: httpx.Client, path: str, field: str = "id") -> str:
    body = http.get(path, params={"limit": 1}).json()
    items = body["data"] if isinstance(body, dict) else body
    return str(items[0][field]) if items else "1"


def probe_auth(url: str, keys: Keys) -> dict[str, object]:
    tried: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    let_through: list[str] = []
    with httpx.Client(base_url=url, headers={"X-API-Key": keys.admin}, timeout=30) as admin:
        routes = list(concrete_paths(admin))
    with httpx.Client(base_url=url, timeout=30) as http:
        for kind, headers in bad_credentials(keys).items():
            for method, path in routes:
                status = http.request(method, path, headers=headers, json={}).status_code
                tried[kind] += 1
                if status == 401:
                    refused[kind] += 1
                else:
                    let_through.append(f"{kind}: {method.upper()} {path} -> {status}")
        for method, path, body in ADMIN_ONLY_WRITES:
            status = http.request(
                method, path, headers={"X-API-Key": keys.reception}, json=body
            ).status_code
            tried["reception on admin writes"] += 1
            if status == 403:
                refused["reception on admin writes"] += 1
            else:
                let_through.append(f"reception: {method.upper()} {path} -> {status}")
        _probe_other_offices(http, keys, tried, refused, let_through)
    return {
        "routes": len(routes),
        "tried": sum(tried.values()),
        "refused": sum(refused.values()),
        "by_kind": {kind: f"{refused[kind]}/{tried[kind]}" for kind in tried},
        "let_through": let_through,
    }


def _probe_other_offices(
    http: httpx.Client,
    keys: Keys,
    tried: Counter[str],
    refused: Counter[str],
    let_through: list[str],
) -> None:
    """A team leader reading and writing what belongs to offices outside their scope."""
    leader = {"X-API-Key": keys.team_leader}
    admin = {"X-API-Key": keys.admin}
    consultants = http.get("/v1/consultants", headers=admin, params={"limit": 200}).json()
    others = [c["id"] for c in consultants["data"] if c["office_id"] != keys.team_leader_office]
    for consultant_id in others[:25]:
        for method, path, body in [
            ("get", f"/v1/consultants/{consultant_id}", None),
            ("get", f"/v1/consultants/{consultant_id}/absences", None),
            ("patch", f"/v1/consultants/{consultant_id}", {"max_cases": 1, "version": 0}),
        ]:
            status = http.request(method, path, headers=leader, json=body).status_code
            tried["team leader, other office"] += 1
            if status in (403, 404):
                refused["team leader, other office"] += 1
            else:
                let_through.append(f"team leader: {method.upper()} {path} -> {status}")


def resident_mb() -> float:
    """Resident memory of the server: every process this script started."""
    servers = psutil.Process().children(recursive=True)
    return sum(p.memory_info().rss for p in servers) / 2**20


def probe_memory(url: str, keys: Keys, dates: int) -> dict[str, float]:
    headers = {"X-API-Key": keys.admin}
    with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
        open_cases = http.get("/v1/cases", params={"status": "requested", "limit": 1}).json()
        case_id = open_cases["data"][0]["id"]
        start = dt.date(2024, 1, 1)
        before = after = 0.0
        for day in range(dates):
            as_of = (start + dt.timedelta(days=day)).isoformat()
            response = http.post(f"/v1/cases/{case_id}/match", json={"as_of": as_of})
            response.raise_for_status()
            if day == 0:
                before = resident_mb()
        after = resident_mb()
    return {"dates": dates, "rss_mb_after_one": round(before, 1), "rss_mb_after": round(after, 1)}


def probe_revocation(url: str, keys: Keys, database_url: str | None) -> dict[str, object]:
    from api.auth import revoke_key
    from data.db import make_engine

    headers = {"X-API-Key": keys.revocable}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        assert http.get("/v1/regions").status_code == 200
        engine = make_engine(database_url)
        with Session(engine) as session:
            revoke_key(session, keys.revocable_id)
            session.commit()
        engine.dispose()
        revoked_at = time.perf_counter()
        requests = 0
        while True:
            requests += 1
            if http.get("/v1/regions").status_code == 401:
                break
        seconds = time.perf_counter() - revoked_at
    return {"requests_until_refused": requests, "seconds": round(seconds, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--dates", type=int, default=200, help="distinct snapshot dates")
    args = parser.parse_args()

    keys = make_keys(args.database_url)
    with server(free_port(), 1, args.database_url, cache_rankings=True) as url:
        figures = {
            "auth": probe_auth(url, keys),
            "memory": probe_memory(url, keys, args.dates),
            "revocation": probe_revocation(url, keys, args.database_url),
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
