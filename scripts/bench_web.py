"""Load test of the web pages: N people log in and do reception's flow at once.

Starts the app (uvicorn, loopback only) on the configured database, creates N reception
users for this run, and lets each — a thread with its own connection and cookies — log
in (all of them before the clock starts), then loop over the inbox, a match page and a
case page (round robin over the open requests; nothing is confirmed, so the book is
unchanged), reading each page for about ``--think`` seconds (0.5–1.5 times it) before the
next click. The server's own time per page comes from its ``Server-Timing`` header
(`api.web.timing`); the script prints its percentiles per page and over all pages. At
the end the run's users are disabled.

    python scripts/bench_web.py                     # 20 users, 30 s
    python scripts/bench_web.py --users 20 --duration 30 --think 1
    python scripts/bench_web.py --think 0           # saturation: no pause between clicks

The database must hold a book of business (``make db``).
"""

from __future__ import annotations

import argparse
import random
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import free_port, percentile, server

TIMING = re.compile(r"app;dur=([0-9.]+)")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CASE_LINK = re.compile(r"/cases/(\d+)/match")
FLOW_PAGES = ("inbox", "match", "case")


@dataclass
class Timings:
    by_page: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, response: httpx.Response) -> None:
        found = TIMING.search(response.headers.get("server-timing", ""))
        with self.lock:
            self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
            if found:
                self.by_page.setdefault(page, []).append(float(found.group(1)))


def create_users(database_url: str | None, count: int, password: str) -> list[str]:
    from api.services.users import create_user
    from data.db import make_engine
    from data.ops_models import Role

    run = secrets.token_hex(4)
    emails = [f"bench-web-{run}-{i}@famplan.invalid" for i in range(count)]
    engine = make_engine(database_url) if database_url else make_engine()
    with Session(engine) as session:
        for i, email in enumerate(emails):
            create_user(
                session, email=email, name=f"Bench {i}", role=Role.RECEPTION, password=password
            )
    engine.dispose()
    return emails


def disable_users(database_url: str | None, emails: list[str]) -> None:
    from api.services.users import disable_user
    from data.db import make_engine

    engine = make_engine(database_url) if database_url else make_engine()
    with Session(engine) as session:
        for email in emails:
            disable_user(session, email)
    engine.dispose()


@dataclass
class Start:
    """Every person logs in first; the measured flow starts when the last one is in, so
    that twenty argon2 checks at once (deliberately slow) do not count as page time."""

    barrier: threading.Barrier
    duration: float
    stop_at: float = 0.0

    @classmethod
    def of(cls, people: int, duration: float) -> Start:
        start = cls(threading.Barrier(people), duration)
        start.barrier = threading.Barrier(people, action=start._begin)
        return start

    def _begin(self) -> None:
        self.stop_at = time.time() + self.duration


def person(
    url: str,
    email: str,
    password: str,
    offset: int,
    start: Start,
    timings: Timings,
    think: float,
) -> None:
    with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as http:
        login_page = http.get("/login")
        timings.add("login form", login_page)
        token = CSRF.search(login_page.text)
        assert token, "the log-in page has no CSRF token"
        answer = http.post(
            "/login", data={"email": email, "password": password, "csrf_token": token.group(1)}
        )
        timings.add("log in", answer)
        if answer.status_code != 303:
            raise RuntimeError(f"log-in failed with {answer.status_code}")
        start.barrier.wait()
        pause = random.Random(offset)  # the same pauses run after run

        def read_the_page() -> None:
            time.sleep(pause.uniform(0.5, 1.5) * think)

        time.sleep(pause.uniform(0, 3) * think)  # people do not all click at one instant
        i = offset
        while time.time() < start.stop_at:
            inbox = http.get("/inbox")
            timings.add("inbox", inbox)
            case_ids = CASE_LINK.findall(inbox.text)
            if not case_ids:
                raise RuntimeError("the inbox lists no open request")
            case_id = case_ids[i % len(case_ids)]
            i += 1
            read_the_page()
            timings.add("match", http.get(f"/cases/{case_id}/match"))
            read_the_page()
            timings.add("case", http.get(f"/cases/{case_id}"))
            read_the_page()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean seconds a person reads a page before the next click (0: no pause, "
        "a saturation test where the server time is mostly the queue)",
    )
    args = parser.parse_args()

    password = secrets.token_urlsafe(16)
    emails = create_users(args.database_url, args.users, password)
    timings = Timings()
    try:
        with server(free_port(), 1, args.database_url, True) as url:
            start = Start.of(len(emails), args.duration)
            threads = [
                threading.Thread(
                    target=person,
                    args=(url, email, password, i, start, timings, args.think),
                    daemon=True,
                )
                for i, email in enumerate(emails)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(args.duration + 300)
    finally:
        disable_users(args.database_url, emails)

    print(
        f"{args.users} users, {args.duration:g} s, {args.think:g} s reading each page; "
        f"statuses {dict(sorted(timings.statuses.items()))}"
    )
    print(f"{'page':<12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    every: list[float] = []  # the flow's pages; log-in is argon2 work, quoted apart
    for page, values in timings.by_page.items():
        values.sort()
        if page in FLOW_PAGES:
            every.extend(values)
        print(
            f"{page:<12} {len(values):>6} {percentile(values, 0.5):>8.1f} "
            f"{percentile(values, 0.95):>8.1f} {values[-1]:>8.1f}"
        )
    every.sort()
    if every:
        print(
            f"{'flow pages':<12} {len(every):>6} {percentile(every, 0.5):>8.1f} "
            f"{percentile(every, 0.95):>8.1f} {every[-1]:>8.1f}"
        )


if __name__ == "__main__":
    main()
