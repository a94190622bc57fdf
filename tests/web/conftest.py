"""Fixtures of the web page tests: an own demo book (the pages write to it), users of each
role, a test client and a live server.

The planning date is pinned to the demo book's day (`FAMPLAN_AS_OF` through the
settings), so no test depends on the real date.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.config import ApiSettings
from api.main import create_app
from api.services.users import create_user
from data.calibration import TODAY
from data.db import make_engine
from data.models import Office
from data.ops_models import Role, Roster, RosterStatus
from tests.demo_book import demo_book_url

PASSWORD = "correct horse battery"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# How long a page assertion waits for the page to get there (Playwright's default is 5 s).
# Patience, not a time the test asserts: on a loaded 2-core CI machine a confirmation
# (a POST, its transaction and the redirect) once took longer than 5 s on PostgreSQL.
PAGE_PATIENCE_MS = 30_000

if CHROMIUM.exists():
    from playwright.sync_api import Browser, Page, expect, sync_playwright

    expect.set_options(timeout=PAGE_PATIENCE_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("FAMPLAN_SCREENSHOT_DIR")
    directory = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@dataclass(frozen=True)
class People:
    reception: str
    admin: str
    leader_a: str
    leader_b: str
    office_a: int
    office_b: int
    roster_a: int
    roster_b: int


@pytest.fixture(scope="session")
def web_url(new_database: Callable[[str], str]) -> str:
    """A migrated database with the demo book, for the web tests alone."""
    return demo_book_url(new_database, "web")


@pytest.fixture(scope="session")
def web_engine(web_url: str) -> Iterator[Engine]:
    engine = make_engine(web_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def people(web_engine: Engine) -> People:
    """A user of each role (team leaders of two different offices) and a draft roster
    (without shifts) of each of those offices."""
    with Session(web_engine) as session:
        office_a, office_b = session.exec(select(Office.id).order_by(col(Office.id))).all()[:2]
        assert office_a is not None and office_b is not None
        create_user(
            session, email="rita@example.org", name="Rita", role=Role.RECEPTION, password=PASSWORD
        )
        create_user(
            session, email="ada@example.org", name="Ada", role=Role.ADMIN, password=PASSWORD
        )
        create_user(
            session,
            email="tl-a@example.org",
            name="Tove",
            role=Role.TEAM_LEADER,
            password=PASSWORD,
            office_ids=[office_a],
        )
        create_user(
            session,
            email="tl-b@example.org",
            name="Bo",
            role=Role.TEAM_LEADER,
            password=PASSWORD,
            office_ids=[office_b],
        )
        start = dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC)
        rosters = [
            Roster(
                horizon_start=start,
                days=7,
                template="3x8",
                office_ids=[office],
                case_ids=[],
                status=RosterStatus.DRAFT,
                # what a planned roster keeps (publishing reads its start from them)
                params={"start_date": TODAY.isoformat(), "days": 7, "template": "3x8"},
            )
            for office in (office_a, office_b)
        ]
        session.add_all(rosters)
        session.commit()
        roster_a, roster_b = (r.id for r in rosters)
        assert roster_a is not None and roster_b is not None
    return People(
        reception="rita@example.org",
        admin="ada@example.org",
        leader_a="tl-a@example.org",
        leader_b="tl-b@example.org",
        office_a=office_a,
        office_b=office_b,
        roster_a=roster_a,
        roster_b=roster_b,
    )


@pytest.fixture(scope="session")
def web_settings(web_url: str) -> ApiSettings:
    return ApiSettings(database_url=web_url, run_worker=False, as_of=TODAY)


@pytest.fixture
def client(web_engine: Engine, web_settings: ApiSettings, people: People) -> Iterator[TestClient]:
    app = create_app(web_settings, web_engine)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return client
