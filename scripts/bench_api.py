"""Load test of reception's call: POST /v1/cases/{id}/match under concurrent clients.

Starts the API (uvicorn, loopback only) on the configured database — or targets a
running one with ``--url`` and ``--key`` — then lets N closed-loop clients (threads with
one keep-alive connection each, spread over a few processes) call the match route
round-robin over the open and running cases for a fixed time, and prints throughput and
latency percentiles.

    python scripts/bench_api.py                       # 20 clients, 30 s, own server
    python scripts/bench_api.py --clients 20 --duration 30 --workers 2
    python scripts/bench_api.py --url http://127.0.0.1:8000 --key fp_…

The database must hold a book of business (``famplan db upgrade && famplan seed``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

import httpx
from sqlmodel import Session, col, select

LOOPBACK = "127.0.0.1"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(share * (len(sorted_values) - 1))))
    return sorted_values[index]


def open_case_ids(database_url: str | None) -> list[int]:
    from data.db import make_engine
    from data.models import Case, CaseStatus

    engine = make_engine(database_url)
    with Session(engine) as session:
        ids = session.exec(
            select(Case.id)
            .where(col(Case.status).in_([CaseStatus.REQUESTED, CaseStatus.ACTIVE]))
            .order_by(col(Case.id))
        ).all()
    engine.dispose()
    return [i for i in ids if i is not None]


def admin_key(database_url: str | None) -> tuple[int, str]:
    from api.auth import create_key
    from data.db import make_engine
    from data.ops_models import Role

    engine = make_engine(database_url)
    with Session(engine) as session:
        row, key = create_key(session, Role.ADMIN, label="bench_api")
        session.commit()
        assert row.id is not None
        key_id = row.id
    engine.dispose()
    return key_id, key


def revoke(database_url: str | None, key_id: int) -> None:
    from api.auth import revoke_key
    from data.db import make_engine

    engine = make_engine(database_url)
    with Session(engine) as session:
        revoke_key(session, key_id)
        session.commit()
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(
    port: int, workers: int, database_url: str | None, cache_rankings: bool
) -> Iterator[str]:
    """uvicorn with the app factory on loopback; stopped (by its pid) on exit."""
    env = dict(
        os.environ,
        FAMPLAN_RUN_WORKER="false",
        FAMPLAN_LOG_LEVEL="WARNING",
        FAMPLAN_CACHE_RANKINGS=str(cache_rankings).lower(),
    )
    if database_url:
        env["FAMPLAN_DATABASE_URL"] = database_url
    command = [
        sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory",
        "--host", LOOPBACK, "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the API server did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _client_process(
    url: str,
    key: str,
    case_ids: list[int],
    offsets: list[int],
    step: int,
    start_at: float,
    stop_at: float,
    top: int,
) -> tuple[list[float], dict[int, int]]:
    """One load-generating process: a thread per client, each with its own connection."""
    tally = Tally()

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as http:
            time.sleep(max(0.0, start_at - time.time()))
            i = offset
            while time.time() < stop_at:
                case_id = case_ids[i % len(case_ids)]
                i += step
                began = time.perf_counter()
                response = http.post(f"/v1/cases/{case_id}/match", json={"top": top})
                tally.add(time.perf_counter() - began, response.status_code)

    threads = [threading.Thread(target=client, args=(offset,)) for offset in offsets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(stop_at - time.time() + 60)
    return tally.latencies, tally.statuses


def drive(
    url: str,
    key: str,
    case_ids: list[int],
    clients: int,
    seconds: float,
    top: int,
    processes: int = 1,
) -> Tally:
    """`clients` closed-loop callers spread over `processes` load-generating processes
    (threads of one Python process contend for its interpreter lock and would measure
    the load generator rather than the server)."""
    processes = max(1, min(processes, clients))
    start_at = time.time() + 1.0  # every process starts together
    stop_at = start_at + seconds
    groups = [list(range(p, clients, processes)) for p in range(processes)]
    arguments = [(url, key, case_ids, group, clients, start_at, stop_at, top) for group in groups]
    if processes == 1:
        results = [_client_process(*arguments[0])]
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            results = pool.starmap(_client_process, arguments)
    tally = Tally()
    for latencies, statuses in results:
        tally.latencies.extend(latencies)
        for status, count in statuses.items():
            tally.statuses[status] = tally.statuses.get(status, 0) + count
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="A running API (default: start one on loopback).")
    parser.add_argument("--key", help="API key for --url (reception or admin).")
    parser.add_argument(
        "--database-url", help="Database of the server we start (default: settings)."
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds of measured load.")
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="Seconds of unmeasured load first."
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes.")
    parser.add_argument(
        "--client-processes", type=int, default=1, help="Load-generating processes."
    )
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument(
        "--no-ranking-cache",
        action="store_true",
        help="Rank every request afresh (the server we start keeps no rankings).",
    )
    parser.add_argument("--json", help="Write the figures as JSON to this file.")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 200 or not 0 < args.duration <= 600:
        parser.error("--clients must be 1..200 and --duration 0..600 s")
    if args.url and not args.key:
        parser.error("--url needs --key")
    if args.url and httpx.URL(args.url).host not in (LOOPBACK, "localhost"):
        parser.error("--url must be a loopback address")

    case_ids = open_case_ids(args.database_url)
    if not case_ids:
        print("no requested or active cases: run `famplan seed` first", file=sys.stderr)
        return 2
    key_id = None
    if args.url:
        target: AbstractContextManager[str] = nullcontext(args.url)
        key = args.key
    else:
        key_id, key = admin_key(args.database_url)
        target = server(free_port(), args.workers, args.database_url, not args.no_ranking_cache)
    try:
        with target as url:
            drive(url, key, case_ids, args.clients, args.warmup, args.top, args.client_processes)
            tally = drive(
                url, key, case_ids, args.clients, args.duration, args.top, args.client_processes
            )
            wall = args.duration  # requests are issued inside this window
    finally:
        if key_id is not None:
            revoke(args.database_url, key_id)

    latencies = sorted(tally.latencies)
    figures = {
        "clients": args.clients,
        "workers": args.workers if not args.url else None,
        "seconds": round(wall, 2),
        "requests": len(latencies),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "throughput_rps": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "cases": len(case_ids),
        "ranking_cache": None if args.url else not args.no_ranking_cache,
    }
    print(
        f"POST /v1/cases/{{id}}/match — {figures['clients']} clients, {figures['seconds']} s, "
        f"{len(case_ids)} cases round-robin, ranking cache "
        f"{'?' if args.url else ('off' if args.no_ranking_cache else 'on')}"
    )
    print(f"  requests   {figures['requests']}  statuses {figures['statuses']}")
    print(f"  throughput {figures['throughput_rps']} req/s")
    print(
        f"  latency    p50 {figures['p50_ms']} ms   p95 {figures['p95_ms']} ms   "
        f"p99 {figures['p99_ms']} ms   max {figures['max_ms']} ms"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
