"""The web pages through a test client: log-in, sessions, CSRF, throttling, role scoping,
the reception flow and its audit trail."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.config import ApiSettings
from api.main import create_app
from api.services.matching import SnapshotCache, proposed_team
from api.services.users import create_user, lock_duration
from data.ops_models import AuditAction, AuditEvent, Role, User, WebSession
from tests.web.conftest import PASSWORD, People, csrf_of, log_in


def test_login_sets_a_protected_cookie_and_logout_ends_the_session(
    client: TestClient, people: People, web_engine: Engine
) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert 'lang="da"' in page.text and "Log ind" in page.text
    response = client.post(
        "/login",
        data={"email": people.reception, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("famplan_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    token = client.cookies["famplan_session"]

    inbox = client.get("/inbox")
    assert inbox.status_code == 200 and "Indbakke" in inbox.text

    logout = client.post(
        "/logout", data={"csrf_token": csrf_of(inbox.text)}, follow_redirects=False
    )
    assert logout.status_code == 303 and logout.headers["location"] == "/login"
    # The old cookie no longer opens anything: the session is gone on the server.
    client.cookies.set("famplan_session", token)
    again = client.get("/inbox", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/login"


def test_the_session_cookie_is_secure_over_https(
    web_engine: Engine, web_settings: object, people: People
) -> None:
    from api.main import create_app

    app = create_app(web_settings, web_engine)  # type: ignore[arg-type]
    with TestClient(app, base_url="https://testserver") as secure_client:
        page = secure_client.get("/login")
        response = secure_client.post(
            "/login",
            data={
                "email": people.reception,
                "password": PASSWORD,
                "csrf_token": csrf_of(page.text),
            },
            follow_redirects=False,
        )
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("famplan_session=")
        )
        assert "Secure" in cookie


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, people: People) -> None:
    log_in(client, people.reception)
    form = {"reference": "CSRF-1", "municipality_code": "101", "language": "ar"}
    assert client.post("/cases/new", data=form).status_code == 403
    assert client.post("/cases/new", data={**form, "csrf_token": "forged"}).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    # htmx requests carry it in a header instead
    inbox = client.get("/inbox")
    refused = client.post("/logout", headers={"X-CSRF-Token": "forged", "HX-Request": "true"})
    assert refused.status_code == 403
    accepted = client.post(
        "/logout",
        headers={"X-CSRF-Token": csrf_of(inbox.text), "HX-Request": "true"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303


def test_the_login_form_needs_its_own_token(client: TestClient, people: People) -> None:
    client.get("/login")
    response = client.post(
        "/login", data={"email": people.reception, "password": PASSWORD, "csrf_token": "x"}
    )
    assert response.status_code == 403


def test_five_failures_lock_the_account_with_a_growing_delay(
    client: TestClient, web_engine: Engine
) -> None:
    with Session(web_engine) as session:
        create_user(
            session, email="slow@example.org", name="Slow", role=Role.RECEPTION, password=PASSWORD
        )
    answers = []
    for _ in range(5):
        page = client.get("/login")
        wrong = client.post(
            "/login",
            data={
                "email": "slow@example.org",
                "password": "wrong one!",
                "csrf_token": csrf_of(page.text),
            },
        )
        answers.append(wrong.status_code)
    # the fifth failure locks the account
    assert answers == [401, 401, 401, 401, 429]
    page = client.get("/login")
    locked = client.post(
        "/login",
        data={"email": "slow@example.org", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert locked.status_code == 429
    assert "For mange mislykkede log ind" in locked.text
    assert "famplan_session" not in client.cookies
    with Session(web_engine) as session:
        user = session.exec(select(User).where(User.email == "slow@example.org")).one()
        assert user.failed_logins == 5 and user.locked_until is not None
    assert lock_duration(4) is None
    durations = [lock_duration(n) for n in (5, 6, 7)]
    assert durations[0] is not None and durations[1] is not None and durations[2] is not None
    assert durations[0] < durations[1] < durations[2]


def test_a_team_leader_sees_only_their_offices_rosters(client: TestClient, people: People) -> None:
    log_in(client, people.leader_a)
    listing = client.get("/rosters")
    assert listing.status_code == 200
    assert f'data-roster-id="{people.roster_a}"' in listing.text
    assert f'data-roster-id="{people.roster_b}"' not in listing.text
    assert client.get(f"/rosters/{people.roster_a}").status_code == 200
    other = client.get(f"/rosters/{people.roster_b}")
    assert other.status_code == 403
    assert client.get("/rosters/999999").status_code == 404
    # reception pages are not theirs
    assert client.get("/inbox").status_code == 403


def test_reception_has_no_roster_pages(client: TestClient, people: People) -> None:
    log_in(client, people.reception)
    assert client.get("/rosters").status_code == 403
    assert client.get(f"/rosters/{people.roster_a}").status_code == 403


def test_pages_switch_to_english(client: TestClient, people: People) -> None:
    log_in(client, people.reception)
    english = client.get("/inbox?lang=en")
    assert 'lang="en"' in english.text and "Inbox: open requests" in english.text
    # the choice is kept in a cookie
    assert "Inbox: open requests" in client.get("/inbox").text
    assert "Indbakke" in client.get("/inbox?lang=da").text


def test_a_wrong_field_is_named_and_nothing_typed_is_lost(
    client: TestClient, people: People
) -> None:
    log_in(client, people.reception)
    token = csrf_of(client.get("/cases/new").text)
    form = {
        "csrf_token": token,
        "reference": "KBH-WEB-0001",
        "municipality_code": "101",
        "intervention_type": "family_treatment",
        "language": "ar",
        "person_group": "parents",
        "hours_per_week": "lots",
        "visits_per_week": "2",
        "requested_start": "2023-12-15T09:00",
        "priority": "2",
    }
    response = client.post("/cases/new", data=form)
    assert response.status_code == 422
    assert 'id="hours_per_week-error"' in response.text
    assert 'value="KBH-WEB-0001"' in response.text and 'value="lots"' in response.text
    created = client.post(
        "/cases/new", data={**form, "hours_per_week": "4"}, follow_redirects=False
    )
    assert created.status_code == 303
    assert re.fullmatch(r"/cases/\d+/match", created.headers["location"])


def _a_matchable_case(client: TestClient) -> tuple[int, str]:
    """An open request with at least one candidate, and its match page."""
    inbox = client.get("/inbox")
    for case_id in re.findall(r"/cases/(\d+)/match", inbox.text):
        page = client.get(f"/cases/{case_id}/match")
        if "data-consultant-id" in page.text:
            return int(case_id), page.text
    raise AssertionError("no open request of the demo book has a candidate")


def test_reception_confirms_a_candidate_and_the_audit_log_names_the_person(
    client: TestClient, people: People, web_engine: Engine
) -> None:
    log_in(client, people.reception)
    case_id, page = _a_matchable_case(client)
    form = re.search(r'<form method="post" action="/cases/\d+/confirm".*?</form>', page, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0)))
    stale = {**fields, "consultant_version": str(int(fields["consultant_version"]) + 50)}
    conflict = client.post(f"/cases/{case_id}/confirm", data=stale)
    assert conflict.status_code == 409
    assert 'id="match-message"' in conflict.text and "data-consultant-id" in conflict.text

    done = client.post(f"/cases/{case_id}/confirm", data=fields, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/cases/{case_id}?confirmed=1"
    case_page = client.get(done.headers["location"])
    assert 'id="confirmed"' in case_page.text
    with Session(web_engine) as session:
        user = session.exec(select(User).where(User.email == people.reception)).one()
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == AuditAction.ASSIGNMENT_CONFIRM)
            .order_by(col(AuditEvent.id).desc())
        ).first()
        assert event is not None
        assert event.actor_user_id == user.id and event.actor_key_id is None


def test_changing_the_password_ends_the_sessions(client: TestClient, web_engine: Engine) -> None:
    with Session(web_engine) as session:
        user = create_user(
            session, email="pw@example.org", name="Pw", role=Role.RECEPTION, password=PASSWORD
        )
        user_id = user.id
    log_in(client, "pw@example.org")
    token = csrf_of(client.get("/password").text)
    short = client.post(
        "/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "short",
            "repeat_password": "short",
        },
    )
    assert short.status_code == 422 and 'id="new_password-error"' in short.text
    changed = client.post(
        "/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "a much longer secret",
            "repeat_password": "a much longer secret",
        },
    )
    assert changed.status_code == 200 and 'action="/login"' in changed.text
    with Session(web_engine) as session:
        assert session.exec(select(WebSession).where(WebSession.user_id == user_id)).first() is None
    log_in(client, "pw@example.org", "a much longer secret")


def test_a_team_leader_publishes_their_draft_but_not_another_offices(
    client: TestClient, people: People, web_engine: Engine
) -> None:
    log_in(client, people.leader_a)
    page = client.get(f"/rosters/{people.roster_a}")
    assert page.status_code == 200 and 'action="/rosters/' in page.text
    token = csrf_of(page.text)
    assert client.post(f"/rosters/{people.roster_a}/publish").status_code == 403
    other = client.post(f"/rosters/{people.roster_b}/publish", data={"csrf_token": token})
    assert other.status_code == 403
    done = client.post(f"/rosters/{people.roster_a}/publish", data={"csrf_token": token})
    assert done.status_code == 200 and 'id="published"' in done.text
    assert str(done.url).endswith(f"/rosters/{people.roster_a}?published=1")
    again = client.post(f"/rosters/{people.roster_a}/publish", data={"csrf_token": token})
    assert again.status_code == 409 and 'id="roster-message"' in again.text
    with Session(web_engine) as session:
        leader = session.exec(select(User).where(User.email == people.leader_a)).one()
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.ROSTER_PUBLISH)
        ).all()
        mine = [e.actor_user_id for e in events if people.roster_a in e.entity_ids]
        assert mine == [leader.id]
        assert not [e for e in events if people.roster_b in e.entity_ids]


def test_a_team_leader_gets_no_other_offices_batch(
    client: TestClient, people: People, web_engine: Engine
) -> None:
    from api.auth import Principal
    from api.services.batch_planning import start_batch
    from data.calibration import TODAY

    with Session(web_engine) as session:
        leader_b = Principal(None, Role.TEAM_LEADER, frozenset({people.office_b}))
        job = start_batch(session, leader_b, as_of=TODAY, time_limit_seconds=1)
    log_in(client, people.leader_a)
    listing = client.get("/batch")
    assert listing.status_code == 200 and f'data-job-id="{job.id}"' not in listing.text
    assert client.get(f"/batch/{job.id}").status_code == 403
    token = csrf_of(listing.text)
    refused = client.post(f"/batch/{job.id}/apply", data={"csrf_token": token, "move": "0"})
    assert refused.status_code == 403
    client.cookies.clear()
    log_in(client, people.leader_b)
    own = client.get(f"/batch/{job.id}")
    assert own.status_code == 200 and 'id="progress"' in own.text
    # not finished: applying is refused with the reason, nothing written
    token = csrf_of(own.text)
    early = client.post(f"/batch/{job.id}/apply", data={"csrf_token": token, "move": "0"})
    assert early.status_code == 409 and "has not succeeded" in early.text


def test_bad_input_in_any_form_is_named_at_its_field_never_a_500(
    client: TestClient, people: People
) -> None:
    log_in(client, people.admin)
    token = csrf_of(client.get("/cases/new").text)
    base = {
        "csrf_token": token,
        "reference": "KBH-WEB-BAD",
        "municipality_code": "101",
        "intervention_type": "family_treatment",
        "language": "ar",
        "person_group": "parents",
        "hours_per_week": "4",
        "visits_per_week": "2",
        "requested_start": "2023-12-15T09:00",
        "priority": "2",
    }
    wrong = {
        "municipality_code": "abc",
        "requested_start": "yesterday",
        "priority": "9",
        "excluded_consultant_ids": "a, b",
        "gender_rule": "required",
        "intervention_type": "astrology",
        "reference": "0101901234",
    }
    for field, value in wrong.items():
        response = client.post("/cases/new", data={**base, field: value})
        assert response.status_code == 422, (field, response.status_code)
        assert f'id="{"gender" if field == "gender_rule" else field}-error"' in response.text, field
        assert f'value="{base["reference"] if field != "reference" else value}"' in response.text

    token = csrf_of(client.get("/rosters/new").text)
    plan = {"csrf_token": token, "start_date": "2023-12-18", "weeks": "1", "template": "3x8"}
    assert 'id="case_ids-error"' in client.post("/rosters/new", data=plan).text
    for field, value in {"weeks": "many", "start_date": "soon", "time_limit_seconds": "-1"}.items():
        response = client.post("/rosters/new", data={**plan, "case_ids": "1", field: value})
        assert response.status_code == 422 and f'id="{field}-error"' in response.text, field
    odd_case = client.post("/rosters/new", data={**plan, "case_ids": "x"})
    assert odd_case.status_code == 422 and 'id="case_ids-error"' in odd_case.text

    batch = client.post("/batch", data={"csrf_token": token, "time_limit_seconds": "soon"})
    assert batch.status_code == 422 and 'id="time_limit_seconds-error"' in batch.text
    confirm = client.post("/cases/1/confirm", data={"csrf_token": token, "consultant_id": "x"})
    assert confirm.status_code in (409, 422)


def test_the_danish_catalogue_translates_every_text() -> None:
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    from api.web.templating import LOCALES_DIR

    with open(LOCALES_DIR / "messages.pot", "rb") as pot_file:
        ids = {m.id for m in read_po(pot_file) if m.id}
    with open(LOCALES_DIR / "da" / "LC_MESSAGES" / "messages.po", "rb") as po_file:
        po = read_po(po_file)
    with open(LOCALES_DIR / "da" / "LC_MESSAGES" / "messages.mo", "rb") as mo_file:
        mo = read_mo(mo_file)
    untranslated = sorted(str(i) for i in ids if not ((found := po.get(i)) and found.string))
    assert untranslated == []
    stale = sorted(str(m.id) for m in po if m.id and (mo.get(m.id) is None))
    assert stale == [], "run `make locales` (the .mo is older than the .po)"


def test_an_htmx_confirmation_swaps_the_ranking_or_redirects(
    client: TestClient, people: People
) -> None:
    log_in(client, people.reception)
    case_id, page = _a_matchable_case(client)
    form = re.search(r'<form method="post" action="/cases/\d+/confirm".*?</form>', page, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0)))
    htmx = {"HX-Request": "true", "X-CSRF-Token": fields.pop("csrf_token")}
    stale = {**fields, "consultant_version": str(int(fields["consultant_version"]) + 50)}
    conflict = client.post(f"/cases/{case_id}/confirm", data=stale, headers=htmx)
    # only the ranking comes back (htmx puts it in place), with the reason on top
    assert conflict.status_code == 409 and "<html" not in conflict.text
    assert 'id="match-message"' in conflict.text
    done = client.post(f"/cases/{case_id}/confirm", data=fields, headers=htmx)
    assert done.status_code == 204
    assert done.headers["HX-Redirect"] == f"/cases/{case_id}?confirmed=1"


def test_a_dognindsats_match_page_shows_its_team_and_links_to_plan_its_roster(
    client: TestClient, people: People, web_engine: Engine, web_settings: ApiSettings
) -> None:
    """A døgnindsats is confirmed by its roster (one seat answers 422): its match page
    shows the team proposal without confirm buttons, and a link to the roster form with
    the case, start and template filled in."""
    from data.models import Case

    with Session(web_engine) as session:
        case_id = session.exec(select(Case.id).where(Case.reference == "FB-2023-0114")).one()
    assert case_id is not None
    log_in(client, people.reception)
    page = client.get(f"/cases/{case_id}/match")
    assert page.status_code == 200
    assert 'id="team"' in page.text and "Teamforslag" in page.text
    # on the planning date (15 December 2023) two of its six are away over Christmas; the
    # four others and two of the København office's reserve make a team of 6 × 28 h
    assert "Et fuldt team på 6, 28 timer om ugen hver." in page.text
    assert f'action="/cases/{case_id}/confirm"' not in page.text
    link = re.search(r'id="plan-team-roster" href="([^"]+)"', page.text)
    assert link is not None
    href = link.group(1).replace("&amp;", "&")
    path, _, query = href.partition("?")
    fields = parse_qs(query)
    assert path == "/rosters/new"
    assert (fields["case_ids"], fields["start_date"], fields["template"]) == (
        [str(case_id)],
        ["2023-12-15"],
        ["3x8"],
    )
    # the pool is the proposed team: the API's roster_request, from the same service
    with Session(web_engine) as session:
        team = proposed_team(session, SnapshotCache(), case_id, dt.date(2023, 12, 15))
    request = team.roster_request
    assert fields["consultant_ids"] == [str(c) for c in request.consultant_ids]
    assert fields["office_ids"] == [str(o) for o in request.office_ids]
    assert len(request.consultant_ids) == 6

    with TestClient(create_app(web_settings, web_engine)) as leader:
        log_in(leader, people.leader_a)
        form = leader.get(href)
        assert form.status_code == 200
        assert re.search(rf'value="{case_id}" checked', form.text)
        assert 'name="start_date" type="date" value="2023-12-15"' in form.text
        # the team's members are chosen in the pool (those in the leader's offices), and
        # nobody else
        options = re.findall(r'<option value="(\d+)"( selected)?>', form.text)
        chosen = {int(cid) for cid, selected in options if selected}
        assert chosen and chosen == {int(cid) for cid, _ in options} & set(request.consultant_ids)
        # the form without the link's query checks no case
        plain = leader.get("/rosters/new")
        assert not re.search(r'value="\d+" checked', plain.text)
