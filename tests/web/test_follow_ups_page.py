"""The follow-ups page through a test client: the open follow-ups a team leader may see
(overdue or due within two weeks of the planning date), marked done with the version
read, audited in the person's name; other roles and offices refused."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.web.follow_ups import LOOK_AHEAD_DAYS
from data.calibration import TODAY
from data.models import Coordinator, FollowUp
from data.ops_models import AuditAction, AuditEvent, User
from tests.web.conftest import People, csrf_of, log_in


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-follow-up-id="(\d+)"', html)]


def _expected(engine: Engine, office_id: int) -> set[int]:
    """The open follow-ups of `office_id`'s coordinators due by the page's last day."""
    last_day = TODAY + dt.timedelta(days=LOOK_AHEAD_DAYS)
    with Session(engine) as session:
        ours = select(Coordinator.id).where(Coordinator.office_id == office_id)
        rows = session.exec(
            select(FollowUp.id).where(
                col(FollowUp.coordinator_id).in_(ours),
                col(FollowUp.done_on).is_(None),
                col(FollowUp.due) <= last_day,
            )
        ).all()
    return {row for row in rows if row is not None}


def test_a_team_leader_lists_their_offices_due_follow_ups_and_marks_one_done(
    client: TestClient, people: People, web_engine: Engine
) -> None:
    expected = _expected(web_engine, people.office_a)
    assert expected, "the demo book has follow-ups due in the first office"
    log_in(client, people.leader_a)
    page = client.get("/follow-ups")
    assert page.status_code == 200 and "Opfølgninger" in page.text
    listed = _listed(page.text)
    assert set(listed) == expected  # only their office's, and every one of them
    # the overdue ones (due before the planning date) are marked, the others not
    marked = {int(i) for i in re.findall(r'data-follow-up-id="(\d+)" class="overdue"', page.text)}
    with Session(web_engine) as session:
        due = {i: session.get(FollowUp, i).due for i in listed}  # type: ignore[union-attr]
    assert marked == {i for i, day in due.items() if day < TODAY}

    first = listed[0]
    form = re.search(rf'action="/follow-ups/{first}/done".*?</form>', page.text, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0)))
    done = client.post(f"/follow-ups/{first}/done", data=fields, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/follow-ups?done={first}"
    after = client.get(done.headers["location"])
    assert 'id="done"' in after.text and first not in _listed(after.text)
    with Session(web_engine) as session:
        row = session.get(FollowUp, first)
        assert row is not None and row.done_on == TODAY  # the planning date
        user = session.exec(select(User).where(User.email == people.leader_a)).one()
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == AuditAction.FOLLOW_UP_DONE)
            .order_by(col(AuditEvent.id).desc())
        ).first()
        assert event is not None and event.entity_ids == [first]
        assert event.actor_user_id == user.id

    # the same form again (the version read before): refused with the reason, in Danish
    again = client.post(f"/follow-ups/{first}/done", data=fields)
    assert again.status_code == 409
    assert 'id="follow-up-message"' in again.text and "allerede udført" in again.text


def test_a_team_leader_of_another_office_neither_sees_nor_marks_them(
    client: TestClient, people: People, web_engine: Engine
) -> None:
    theirs = sorted(_expected(web_engine, people.office_a))
    assert theirs
    log_in(client, people.leader_b)
    page = client.get("/follow-ups")
    assert page.status_code == 200
    assert not set(_listed(page.text)) & set(theirs)
    token = csrf_of(page.text)
    refused = client.post(f"/follow-ups/{theirs[-1]}/done", data={"csrf_token": token})
    assert refused.status_code == 403
    assert client.post("/follow-ups/999999/done", data={"csrf_token": token}).status_code == 404
    with Session(web_engine) as session:
        row = session.get(FollowUp, theirs[-1])
        assert row is not None and row.done_on is None  # nothing written


def test_reception_has_no_follow_ups_page(client: TestClient, people: People) -> None:
    log_in(client, people.reception)
    assert client.get("/follow-ups").status_code == 403
