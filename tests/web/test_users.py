"""`famplan users create/disable`, the user service's rules and the inbox clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from api.cli import app
from api.services.errors import Conflict, Invalid
from api.services.planning_date import DANISH_TIME
from api.services.users import (
    active_session,
    authenticate_login,
    create_user,
    start_session,
)
from api.services.web_views import InboxRow, clock_now
from data.db import get_engine
from data.models import Office
from data.ops_models import Role, User
from data.settings import get_settings

runner = CliRunner()


@pytest.fixture
def cli_engine(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The commands use the settings' database: point it at the test database."""
    monkeypatch.setenv("FAMPLAN_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield engine
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_users_create_reads_the_password_from_stdin_and_disable_locks_out(
    cli_engine: Engine,
) -> None:
    with Session(cli_engine) as session:
        office = session.exec(select(Office.id).order_by(col(Office.id))).first()
    created = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "Tove@Example.org",
            "--name",
            "Tove",
            "--role",
            "team_leader",
            "--office",
            str(office),
        ],
        input="a long enough password\n",
    )
    assert created.exit_code == 0, created.output
    with Session(cli_engine) as session:
        user = session.exec(select(User).where(User.email == "tove@example.org")).one()
        assert user.office_ids == [office] and user.role is Role.TEAM_LEADER
        assert "a long enough password" not in user.password_hash
        outcome = authenticate_login(session, "TOVE@example.org", "a long enough password")
        assert outcome.user is not None
        token, _ = start_session(session, outcome.user)
        assert active_session(session, token) is not None

    disabled = runner.invoke(app, ["users", "disable", "--email", "tove@example.org"])
    assert disabled.exit_code == 0, disabled.output
    with Session(cli_engine) as session:
        assert active_session(session, token) is None
        assert (
            authenticate_login(session, "tove@example.org", "a long enough password").user is None
        )

    unknown = runner.invoke(app, ["users", "disable", "--email", "nobody@example.org"])
    assert unknown.exit_code == 2


def test_users_create_refuses_bad_input(cli_engine: Engine) -> None:
    short = runner.invoke(
        app,
        ["users", "create", "--email", "a@example.org", "--name", "A", "--role", "reception"],
        input="short\n",
    )
    assert short.exit_code == 2 and "password" in short.output
    leader = runner.invoke(
        app,
        ["users", "create", "--email", "b@example.org", "--name", "B", "--role", "team_leader"],
        input="a long enough password\n",
    )
    assert leader.exit_code == 2 and "office" in leader.output


def test_an_e_mail_address_is_unique_whatever_its_case(engine: Engine) -> None:
    with Session(engine) as session:
        create_user(
            session, email="x@example.org", name="X", role=Role.ADMIN, password="0123456789"
        )
        with pytest.raises(Conflict):
            create_user(
                session, email="X@EXAMPLE.org", name="X2", role=Role.ADMIN, password="0123456789"
            )
        with pytest.raises(Invalid) as error:
            create_user(
                session, email="not-an-address", name="Y", role=Role.ADMIN, password="0123456789"
            )
        assert error.value.problems[0].field == "email"


def test_an_expired_session_opens_nothing(engine: Engine) -> None:
    start = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    with Session(engine) as session:
        user = create_user(
            session, email="e@example.org", name="E", role=Role.RECEPTION, password="0123456789"
        )
        token, _row = start_session(session, user, now=start)
        assert active_session(session, token, now=start + dt.timedelta(hours=7)) is not None
        assert active_session(session, token, now=start + dt.timedelta(hours=8)) is None
        assert active_session(session, "guess", now=start) is None


def test_the_inbox_clock_counts_from_the_request_on_the_planning_date() -> None:
    # 10:30 Danish time on a real day far from the planning date
    instant = dt.datetime(2031, 6, 1, 8, 30, tzinfo=dt.UTC)
    now = clock_now(dt.date(2023, 12, 15), instant)
    assert now == dt.datetime(2023, 12, 15, 10, 30, tzinfo=DANISH_TIME)

    def row(hours: float) -> InboxRow:
        return InboxRow(1, "R", "M", "family_treatment", 2, [], now, hours)

    assert not row(23.9).overdue and row(24.1).overdue and not row(-5).overdue
