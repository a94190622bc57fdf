"""The web pages in a real browser: Playwright drives Debian's Chromium against a live
uvicorn on the demo book (planning date pinned to the book's day).

Screenshots of the main pages go to ``FAMPLAN_SCREENSHOT_DIR`` (default: a temporary
directory); ``FAMPLAN_SCREENSHOT_DIR=docs`` refreshes the committed ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.config import ApiSettings
from api.main import create_app
from api.services.users import create_user
from data.db import make_engine
from data.ops_models import Role
from tests.api.live import live_server
from tests.web.conftest import CHROMIUM, PASSWORD, People

#: axe-core, vendored for the tests (its licence beside it), run inside each main page.
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (make setup installs it)"
)

if CHROMIUM.exists():
    from playwright.sync_api import Page, expect


@pytest.fixture(scope="module")
def live_url(web_engine: Engine, web_settings: ApiSettings, people: People) -> Iterator[str]:
    with live_server(create_app(web_settings, web_engine)) as url:
        yield url


def log_in(page: Page, url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("E-mailadresse").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation of WCAG 2 A/AA on the page."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"""
    )
    severe = [v for v in violations if v["impact"] in SEVERE]
    assert severe == [], severe


def test_login_and_logout(page: Page, live_url: str, people: People, shots: Path) -> None:
    page.goto(f"{live_url}/inbox")
    expect(page).to_have_url(f"{live_url}/login")
    page.screenshot(path=str(shots / "web-login.png"))
    assert_accessible(page)
    log_in(page, live_url, people.reception)
    expect(page).to_have_url(f"{live_url}/inbox")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indbakke: åbne henvendelser")
    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(f"{live_url}/login")
    page.goto(f"{live_url}/inbox")
    expect(page).to_have_url(f"{live_url}/login")


def test_a_post_without_the_csrf_token_is_refused(
    page: Page, live_url: str, people: People
) -> None:
    log_in(page, live_url, people.reception)
    expect(page).to_have_url(f"{live_url}/inbox")
    # the browser's own cookies, but no token
    answer = page.request.post(f"{live_url}/cases/new", form={"reference": "X-1"})
    assert answer.status == 403
    answer = page.request.post(f"{live_url}/logout", form={"csrf_token": "forged"})
    assert answer.status == 403


def test_login_throttling(page: Page, live_url: str, web_engine: Engine) -> None:
    with Session(web_engine) as session:
        create_user(
            session,
            email="guess@example.org",
            name="Guess",
            role=Role.RECEPTION,
            password=PASSWORD,
        )
    for _ in range(5):
        log_in(page, live_url, "guess@example.org", "not the password")
    expect(page.locator("#login-error")).to_contain_text("For mange mislykkede log ind")
    log_in(page, live_url, "guess@example.org")
    expect(page).to_have_url(f"{live_url}/login")
    expect(page.locator("#login-error")).to_contain_text("For mange mislykkede log ind")


def test_reception_matches_and_confirms(
    page: Page, live_url: str, people: People, shots: Path
) -> None:
    log_in(page, live_url, people.reception)
    expect(page).to_have_url(f"{live_url}/inbox")
    rows = page.locator("table.inbox tbody tr")
    assert rows.count() > 0
    page.screenshot(path=str(shots / "web-inbox.png"), full_page=True)
    assert_accessible(page)
    case_ids = [rows.nth(i).get_attribute("data-case-id") for i in range(rows.count())]
    for case_id in case_ids:
        page.goto(f"{live_url}/cases/{case_id}/match")
        if page.locator("table.ranking tbody tr").count() > 0:
            break
    else:
        raise AssertionError("no open request of the demo book has a candidate")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Match")
    page.screenshot(path=str(shots / "web-match.png"), full_page=True)
    assert_accessible(page)
    first = page.locator("table.ranking tbody tr").first
    first.get_by_role("button", name=re.compile("^Bekræft")).click()
    expect(page).to_have_url(re.compile(rf"/cases/{case_id}\?confirmed=1$"))
    expect(page.locator("#confirmed")).to_be_visible()
    expect(page.locator("table.assignments")).to_contain_text("primær")
    page.screenshot(path=str(shots / "web-case.png"), full_page=True)
    assert_accessible(page)


def test_a_team_leader_gets_no_other_office_by_page_or_id(
    page: Page, live_url: str, people: People, shots: Path
) -> None:
    log_in(page, live_url, people.leader_a)
    expect(page).to_have_url(f"{live_url}/rosters")
    expect(page.locator(f'tr[data-roster-id="{people.roster_a}"]')).to_have_count(1)
    expect(page.locator(f'tr[data-roster-id="{people.roster_b}"]')).to_have_count(0)
    page.screenshot(path=str(shots / "web-rosters.png"), full_page=True)
    assert_accessible(page)
    answer = page.goto(f"{live_url}/rosters/{people.roster_b}")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("alert")).to_contain_text("uden for dit område")
    answer = page.goto(f"{live_url}/inbox")
    assert answer is not None and answer.status == 403


def test_the_accessibility_check_catches_an_unlabelled_input(page: Page) -> None:
    """The check itself can fail: an input without a label is a critical violation."""
    page.set_content('<html lang="da"><title>t</title><main><input id="x"></main></html>')
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)


def test_the_new_request_form_keeps_input_and_is_accessible(
    page: Page, live_url: str, people: People
) -> None:
    log_in(page, live_url, people.reception)
    page.goto(f"{live_url}/cases/new")
    assert_accessible(page)
    page.get_by_label("Sagsreference (aldrig et CPR-nummer)").fill("WEB-BROWSER-1")
    page.get_by_label("Timer pr. uge", exact=True).fill("mange")
    page.get_by_role("button", name="Registrér og match").click()
    expect(page.locator("#language-error")).to_be_visible()
    expect(page.get_by_label("Sagsreference (aldrig et CPR-nummer)")).to_have_value("WEB-BROWSER-1")
    expect(page.get_by_label("Timer pr. uge", exact=True)).to_have_value("mange")
    assert_accessible(page)


@pytest.fixture(scope="module")
def live_url_with_worker(
    web_engine: Engine, web_settings: ApiSettings, people: People
) -> Iterator[str]:
    """The app with its job worker, so a planned roster is solved (by the real solver)."""
    settings = web_settings.model_copy(update={"run_worker": True, "worker_poll_seconds": 0.2})
    with live_server(create_app(settings, web_engine)) as url:
        yield url


def test_a_team_leader_plans_watches_and_publishes_a_roster(
    page: Page, live_url_with_worker: str, web_engine: Engine, shots: Path
) -> None:
    from api.auth import Principal
    from api.services.roster_params import offices_serving
    from api.services.roster_planning import plannable_cases

    url = live_url_with_worker
    with Session(web_engine) as session:
        everything = Principal(key_id=None, role=Role.ADMIN)
        case = plannable_cases(session, everything)[0]
        office = offices_serving(session, case.case_id)[0]
        create_user(
            session,
            email="planner@example.org",
            name="Planner",
            role=Role.TEAM_LEADER,
            password=PASSWORD,
            office_ids=[office],
        )
    log_in(page, url, "planner@example.org")
    page.goto(f"{url}/rosters/new")
    assert_accessible(page)
    page.get_by_label(re.compile(rf"^{re.escape(case.reference)}")).check()
    page.get_by_label("Tidsgrænse (sekunder)").fill("2")
    page.get_by_role("button", name="Planlæg", exact=True).click()
    expect(page).to_have_url(re.compile(r"/rosters/\d+$"))
    # the progress polls until the job is done, then the page reloads with the grid
    expect(page.locator("#verdict")).to_be_visible(timeout=90_000)
    expect(page.locator("table.roster-grid tbody tr").first).to_be_visible()
    page.screenshot(path=str(shots / "web-roster.png"), full_page=True)
    assert_accessible(page)
    violations = page.locator("#verdict").get_attribute("data-violations")
    page.get_by_role("button", name="Offentliggør").click()
    if violations == "0":
        expect(page.locator("#published")).to_be_visible()
        expect(page.locator("#roster-status")).to_have_text("offentliggjort")
    else:  # a roster breaking a working-time rule is refused, with the reason
        expect(page.locator("#roster-message")).to_contain_text("kan ikke offentliggøres")


@pytest.fixture(scope="module")
def batch_url(new_database: Callable[[str], str], web_settings: ApiSettings) -> Iterator[str]:
    """A demo book of its own (applying a batch changes many cases the other tests
    match), with an admin and the job worker."""
    from data.migrate import upgrade
    from data.seed import load_demo

    url = upgrade(new_database("webbatch"))
    engine = make_engine(url)
    load_demo(engine, seed=42, scale=1, progress=False)
    with Session(engine) as session:
        create_user(
            session, email="ops@example.org", name="Ops", role=Role.ADMIN, password=PASSWORD
        )
    settings = web_settings.model_copy(
        update={"database_url": url, "run_worker": True, "worker_poll_seconds": 0.2}
    )
    try:
        with live_server(create_app(settings, engine)) as live:
            yield live
    finally:
        engine.dispose()


def test_an_admin_runs_and_applies_a_batch(page: Page, batch_url: str, shots: Path) -> None:
    url = batch_url
    log_in(page, url, "ops@example.org")
    page.goto(f"{url}/batch")
    assert_accessible(page)
    page.get_by_label("Tidsgrænse (sekunder)").fill("3")
    page.get_by_role("button", name="Start en genoptimering").click()
    expect(page).to_have_url(re.compile(r"/batch/\d+$"))
    expect(page.locator("#job-status")).to_have_text("lykkedes", timeout=120_000)
    page.screenshot(path=str(shots / "web-batch.png"), full_page=True)
    assert_accessible(page)
    # today's key figures against the proposed plan's, measured alike
    compare = page.locator("table.kpis-compare tbody tr")
    assert compare.count() == 7
    unplaced = page.locator('table.kpis-compare tr[data-kpi="unplaced"] td')
    expect(page.locator('table.kpis-compare tr[data-kpi="unplaced"] th')).to_have_text(
        "ikke placeret"
    )
    today, proposed = (float(unplaced.nth(i).inner_text()) for i in (0, 1))
    assert proposed <= today  # the batch places at least whom today places
    moves = page.locator("table.moves tbody input[type=checkbox]")
    assert moves.count() > 0, "the demo book's batch proposes moves"
    page.get_by_role("button", name="Gennemfør de valgte flytninger").click()
    expect(page.locator("#applied")).to_be_visible()
    # applying again is refused with the reason
    answer = page.request.post(
        page.url.split("?")[0] + "/apply",
        form={"move": "0", "csrf_token": _csrf_on(page)},
    )
    assert answer.status == 409 and "already applied" in answer.text()


def test_reception_cannot_run_a_batch(page: Page, live_url: str, people: People) -> None:
    log_in(page, live_url, people.reception)
    answer = page.goto(f"{live_url}/batch")
    assert answer is not None and answer.status == 403


def _csrf_on(page: Page) -> str:
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert token
    return token


def test_the_capacity_page(page: Page, live_url: str, people: People, shots: Path) -> None:
    log_in(page, live_url, people.leader_a)
    page.goto(f"{live_url}/capacity")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kapacitet")
    assert page.locator("table.capacity tbody tr").count() > 0
    assert page.locator("table.outlook thead th").count() == 13  # label + 12 weeks
    page.screenshot(path=str(shots / "web-capacity.png"), full_page=True)
    assert_accessible(page)


def test_a_team_leader_marks_a_follow_up_done(
    page: Page, live_url: str, people: People, shots: Path
) -> None:
    log_in(page, live_url, people.leader_a)
    page.get_by_role("link", name="Opfølgninger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opfølgninger")
    rows = page.locator("table.follow-ups tbody tr")
    before = rows.count()
    assert before > 0, "the demo book has follow-ups due in the first office"
    first = rows.first.get_attribute("data-follow-up-id")
    page.screenshot(path=str(shots / "web-follow-ups.png"), full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name=f"Markér opfølgning {first} som udført").click()
    expect(page.locator("#done")).to_contain_text(f"Opfølgning {first} er markeret som udført")
    expect(page.locator(f'tr[data-follow-up-id="{first}"]')).to_have_count(0)
    assert rows.count() == before - 1


def test_a_bad_id_in_the_address_is_a_danish_error_page(
    page: Page, live_url: str, people: People
) -> None:
    log_in(page, live_url, people.reception)
    expect(page).to_have_url(f"{live_url}/inbox")
    answer = page.goto(f"{live_url}/cases/abc")
    assert answer is not None and answer.status == 422
    expect(page.get_by_role("heading", level=1)).to_have_text("Ikke muligt")
    expect(page.get_by_role("alert")).to_contain_text("Adressen indeholder et ugyldigt case_id")
    assert_accessible(page)
    answer = page.goto(f"{live_url}/cases/999999")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("alert")).to_contain_text("sag 999999 findes ikke")


def test_a_dognindsats_match_shows_the_team_and_leads_to_its_roster_form(
    page: Page, live_url: str, people: People, web_engine: Engine, shots: Path
) -> None:
    """A døgnindsats is confirmed by its roster: the match page shows the team proposal
    (no confirm button) and its link opens the roster form with the case ticked."""
    from sqlmodel import select

    from data.models import Case

    with Session(web_engine) as session:
        case_id = session.exec(select(Case.id).where(Case.reference == "FB-2023-0114")).one()
    log_in(page, live_url, people.admin)
    expect(page).to_have_url(re.compile(r"/inbox$"))
    page.goto(f"{live_url}/cases/{case_id}/match")
    team = page.locator("#team")
    expect(team.get_by_role("heading", level=2)).to_have_text("Teamforslag")
    # on the planning date two of its six are away over Christmas; the four others and
    # two of the København office's reserve make the team
    expect(team).to_contain_text("Et fuldt team på 6, 28 timer om ugen hver.")
    expect(page.get_by_role("button", name=re.compile("^Bekræft"))).to_have_count(0)
    page.screenshot(path=str(shots / "web-match-team.png"), full_page=True)
    assert_accessible(page)
    team.get_by_role("link", name="Planlæg vagtplanen").click()
    expect(page).to_have_url(re.compile(r"/rosters/new\?case_ids=\d+&start_date=2023-12-15"))
    expect(page.locator(f"#case-{case_id}")).to_be_checked()
    expect(page.locator("#start_date")).to_have_value("2023-12-15")
