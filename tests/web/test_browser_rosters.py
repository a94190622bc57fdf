"""A team leader's rosters in the browser: the pool of the plan form; a sick call (the
repair form submits the repair job, the page watches it and shows the repaired grid with
the changed shifts marked); each consultant's calendar link answers their shifts as
iCalendar.

The published roster is planned and published through the application services (the
planning itself is the test of `test_browser.py`); the repair runs on the real solver.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.auth import Principal
from api.config import ApiSettings
from api.main import create_app
from api.schemas.rosters import RosterCreate
from api.services.planning_date import DANISH_TIME
from api.services.roster_params import offices_serving
from api.services.roster_planning import plan_roster, plannable_cases
from api.services.roster_publishing import publish_roster
from api.services.users import create_user
from data.calibration import TODAY
from data.ops_models import Role, Roster, RosterShift, RosterStatus
from tests.api.live import live_server
from tests.web.conftest import PASSWORD, People
from tests.web.test_browser import CHROMIUM, assert_accessible, log_in

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing")

if CHROMIUM.exists():
    from playwright.sync_api import Page, expect

#: An upper bound for the worker to solve a 2-second roster on a busy machine; not a
#: speed assertion (the test fails only if the job never ends).
JOB_PATIENCE_SECONDS = 120


@dataclass(frozen=True)
class Published:
    url: str
    roster_id: int
    leader: str


def _wait_until_solved(engine: Engine, roster_id: int) -> Roster:
    deadline = time.monotonic() + JOB_PATIENCE_SECONDS
    while time.monotonic() < deadline:
        with Session(engine) as session:
            roster = session.get(Roster, roster_id)
            assert roster is not None
            if roster.status is not RosterStatus.PENDING:
                return roster
        time.sleep(0.2)
    raise AssertionError(f"roster {roster_id} was not solved")


@pytest.fixture(scope="module")
def published(web_engine: Engine, web_settings: ApiSettings, people: People) -> Iterator[Published]:
    """A one-week 3x8 roster of the last plannable case, planned by the worker of a live
    app and published; its team leader."""
    settings = web_settings.model_copy(update={"run_worker": True, "worker_poll_seconds": 0.2})
    everything = Principal(key_id=None, role=Role.ADMIN)
    with live_server(create_app(settings, web_engine)) as url:
        with Session(web_engine) as session:
            case = plannable_cases(session, everything)[-1]
            office = offices_serving(session, case.case_id)[0]
            create_user(
                session,
                email="sick-call@example.org",
                name="Sick Call",
                role=Role.TEAM_LEADER,
                password=PASSWORD,
                office_ids=[office],
            )
            body = RosterCreate(
                case_ids=[case.case_id],
                start_date=TODAY,
                days=7,
                template="3x8",
                office_ids=[office],
                time_limit_seconds=2,
            )
            roster = plan_roster(
                session, everything, body, default_time_limit=2, work_per_second=None
            )
            assert roster.id is not None
            roster_id = roster.id
        solved = _wait_until_solved(web_engine, roster_id)
        assert solved.status is RosterStatus.DRAFT and not solved.violations, solved.violations
        with Session(web_engine) as session:
            draft = session.get(Roster, roster_id)
            assert draft is not None
            publish_roster(session, draft, None)
        yield Published(url=url, roster_id=roster_id, leader="sick-call@example.org")


def as_danish(moment: dt.datetime) -> dt.datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(DANISH_TIME)


def _shift_days(engine: Engine, roster_id: int, consultant_id: int) -> list[dt.date]:
    with Session(engine) as session:
        rows = session.exec(
            select(RosterShift)
            .where(RosterShift.roster_id == roster_id, RosterShift.consultant_id == consultant_id)
            .order_by(col(RosterShift.start))
        ).all()
    return [as_danish(row.start).date() for row in rows]


def test_the_calendar_link_answers_the_consultants_shifts(
    page: Page, published: Published, web_engine: Engine
) -> None:
    log_in(page, published.url, published.leader)
    page.goto(f"{published.url}/rosters/{published.roster_id}")
    first = page.locator("table.roster-grid tbody tr[data-consultant-id]").first
    consultant_id = int(first.get_attribute("data-consultant-id") or "0")
    link = first.locator("a.ics")
    href = link.get_attribute("href")
    assert href == f"/rosters/{published.roster_id}/calendar/{consultant_id}.ics"
    answer = page.request.get(f"{published.url}{href}")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    feed = answer.text()
    # one event per shift of that consultant, none of anyone else's
    assert feed.count("BEGIN:VEVENT") == len(
        _shift_days(web_engine, published.roster_id, consultant_id)
    )
    assert feed.count("BEGIN:VEVENT") > 0
    # a consultant outside the roster: an HTML page saying so, not a feed
    missing = page.request.get(f"{published.url}/rosters/{published.roster_id}/calendar/999999.ics")
    assert missing.status == 404 and missing.headers["content-type"].startswith("text/html")


def test_a_sick_call_repairs_the_roster_and_marks_the_changes(
    page: Page, published: Published, web_engine: Engine, shots: Path
) -> None:
    url, roster_id = published.url, published.roster_id
    log_in(page, url, published.leader)
    page.goto(f"{url}/rosters/{roster_id}")
    expect(page.locator("#roster-status")).to_have_text("offentliggjort")
    assert_accessible(page)
    # The consultant with the most shifts falls ill on the day of their last shift
    # (after the planning date, so nothing worked is changed).
    rows = page.locator("table.roster-grid tbody tr[data-consultant-id]")
    ids = [int(rows.nth(i).get_attribute("data-consultant-id") or "0") for i in range(rows.count())]
    sick = max(ids, key=lambda i: len(_shift_days(web_engine, roster_id, i)))
    sick_day = _shift_days(web_engine, roster_id, sick)[-1]
    assert sick_day > TODAY
    name = rows.nth(ids.index(sick)).locator("th").inner_text()

    # A wrong field is named and nothing typed is lost.
    page.get_by_label("Syg (fridage)").check()
    page.get_by_label("Konsulent (syg eller stopper)").select_option(str(sick))
    page.get_by_label("Syg fra").fill(sick_day.isoformat())
    page.get_by_label("Syg til og med").fill((sick_day - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Reparér vagtplanen").click()
    expect(page.locator("#repair-end-error")).to_be_visible()
    expect(page.get_by_label("Syg fra")).to_have_value(sick_day.isoformat())
    expect(page.get_by_label("Konsulent (syg eller stopper)")).to_have_value(str(sick))
    assert_accessible(page)

    page.get_by_label("Syg til og med").fill(sick_day.isoformat())
    page.get_by_label("Reparationens tidsgrænse (sekunder)").fill("2")
    page.get_by_role("button", name="Reparér vagtplanen").click()
    expect(page).to_have_url(re.compile(r"/rosters/\d+$"))
    child_id = int(page.url.rsplit("/", 1)[1])
    assert child_id != roster_id
    # progress is polled until the repair job is done, then the grid shows
    expect(page.locator("#verdict")).to_be_visible(timeout=JOB_PATIENCE_SECONDS * 1000)
    expect(page.locator("#repair-of")).to_contain_text(f"#{roster_id}")
    expect(page.locator("ul.legend")).to_be_visible()
    # the sick day of the sick consultant changed: their shift taken away, marked
    row = page.locator(f'table.roster-grid tbody tr[data-consultant-id="{sick}"]')
    cell = row.locator("td").nth((sick_day - TODAY).days)  # the roster starts on TODAY
    expect(cell).to_have_class(re.compile(r"\bchanged\b"))
    expect(cell.locator("del")).to_have_count(1)
    assert _shift_days(web_engine, child_id, sick).count(sick_day) == 0
    assert int(page.locator("#changed-count").inner_text()) >= 1
    assert name in row.locator("th").inner_text()
    page.screenshot(path=str(shots / "web-roster-repair.png"), full_page=True)
    assert_accessible(page)


def test_a_team_leader_chooses_the_pool(
    page: Page, published: Published, web_engine: Engine, shots: Path
) -> None:
    """The pool of the plan form: the ticked office, and only the chosen consultants of
    it; the roster keeps the choice and rosters nobody else."""
    url = published.url
    everything = Principal(key_id=None, role=Role.ADMIN)
    with Session(web_engine) as session:
        case = plannable_cases(session, everything)[-1]
    log_in(page, url, published.leader)
    page.goto(f"{url}/rosters/new")
    offices = page.locator("#pool input[name=office_ids]")
    assert offices.count() == 1  # a team leader of one office chooses among their own
    offices.first.check()
    office_id = int(offices.first.get_attribute("value") or "0")
    options = page.locator("#consultant_ids option")
    everyone = [options.nth(i).get_attribute("value") or "" for i in range(options.count())]
    assert len(everyone) >= 2, "the demo office has several døgnindsats consultants"
    chosen = everyone[:-1]  # all but one: the one left out is never rostered
    page.get_by_label(re.compile("^Kun disse konsulenter")).select_option(chosen)
    assert_accessible(page)
    page.get_by_label(re.compile(rf"^{re.escape(case.reference)}")).check()
    page.get_by_label("Tidsgrænse (sekunder)").fill("2")
    page.get_by_role("button", name="Planlæg", exact=True).click()
    expect(page).to_have_url(re.compile(r"/rosters/\d+$"))
    roster_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#verdict")).to_be_visible(timeout=JOB_PATIENCE_SECONDS * 1000)
    with Session(web_engine) as session:
        roster = session.get(Roster, roster_id)
        assert roster is not None
        assert sorted(roster.params["consultant_ids"]) == sorted(int(c) for c in chosen)
        assert roster.office_ids == [office_id]
    rostered = page.locator("table.roster-grid tbody tr[data-consultant-id]")
    ids = {rostered.nth(i).get_attribute("data-consultant-id") for i in range(rostered.count())}
    assert ids and ids <= set(chosen)
