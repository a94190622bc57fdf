"""The planning date: the setting, else the book's recorded date, else today in Denmark.

The clock is moved with time-machine where a test needs "today", so no test here reads
the real date; `test_the_travel_check_really_moves_the_clock` checks that the session's
clock travel (``FAMPLAN_TEST_TRAVEL``, `make test-travel`) is in force when it is asked for.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import pytest
import sqlalchemy as sa
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.config import ApiSettings
from api.main import create_app
from api.services.planning_date import (
    PlanningDateCache,
    danish_today,
    planning_date,
    recorded_book_date,
)
from data.db import make_engine
from data.migrate import downgrade, upgrade
from data.models import PLANNING_DATE_KEY, BookSetting
from data.settings import Settings
from tests.api.conftest import Keys
from tests.api.world import TODAY, World
from tests.conftest import TRAVEL_ENV, travel_destination

PINNED = dt.date(2027, 1, 4)
BOOK_DAY = dt.date(2025, 6, 2)


def _record(session: Session, day: dt.date) -> None:
    session.add(BookSetting(key=PLANNING_DATE_KEY, value=day.isoformat()))
    session.commit()


def test_without_setting_or_book_date_it_is_today_in_danish_time(session: Session) -> None:
    unset = Settings(as_of=None)
    # 22:30 UTC on 1 June is 00:30 on 2 June in Copenhagen (summer time, UTC+2).
    with time_machine.travel(dt.datetime(2030, 6, 1, 22, 30, tzinfo=dt.UTC), tick=False):
        assert danish_today() == dt.date(2030, 6, 2)
        assert planning_date(session, unset) == dt.date(2030, 6, 2)
    # In winter (UTC+1) 22:30 UTC is still the same day there.
    with time_machine.travel(dt.datetime(2030, 1, 15, 22, 30, tzinfo=dt.UTC), tick=False):
        assert planning_date(session, unset) == dt.date(2030, 1, 15)


def test_the_book_date_beats_the_clock_and_the_setting_beats_both(session: Session) -> None:
    assert recorded_book_date(session) is None
    _record(session, BOOK_DAY)
    with time_machine.travel(dt.datetime(2031, 3, 3, 12, tzinfo=dt.UTC), tick=False):
        assert recorded_book_date(session) == BOOK_DAY
        assert planning_date(session, Settings(as_of=None)) == BOOK_DAY
        assert planning_date(session, Settings(as_of=PINNED)) == PINNED


def test_the_setting_is_read_from_famplan_as_of(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAMPLAN_AS_OF", "2027-01-04")
    assert Settings().as_of == PINNED
    assert ApiSettings().as_of == PINNED
    monkeypatch.setenv("FAMPLAN_AS_OF", "the fourth")
    with pytest.raises(ValueError, match="as_of"):
        Settings()


def test_the_demo_seed_records_its_own_day(seeded_session: Session) -> None:
    from data.scenario import TODAY as DEMO_TODAY

    with time_machine.travel(dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        assert planning_date(seeded_session, Settings(as_of=None)) == DEMO_TODAY
    assert dt.date(2023, 12, 15) == DEMO_TODAY  # the scenario's Friday


def test_the_cache_answers_without_a_query_until_told_to_forget(
    session: Session, engine: Engine
) -> None:
    dates = PlanningDateCache(Settings(as_of=None), ttl_seconds=3600)
    assert dates.known() is None  # nothing read yet
    _record(session, BOOK_DAY)
    assert dates.get(session) == BOOK_DAY
    with Session(engine) as other:
        other.get(BookSetting, PLANNING_DATE_KEY).value = "2025-06-09"  # type: ignore[union-attr]
        other.commit()
    assert dates.known() == BOOK_DAY  # within the time to live: the remembered date
    dates.forget()
    assert dates.known() is None
    with Session(engine) as fresh:
        assert dates.get(fresh) == dt.date(2025, 6, 9)
    assert PlanningDateCache(Settings(as_of=PINNED), ttl_seconds=0).known() == PINNED


def test_kpis_and_the_supply_figure_plan_on_the_same_day(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    headers = keys.headers("reception")
    # The world records TODAY (2026-03-02) as its planning date.
    assert client.get("/v1/kpis", headers=headers).json()["as_of"] == TODAY.isoformat()
    figure = client.get("/v1/kpis/supply.png", headers=headers)
    same_day = client.get(
        "/v1/kpis/supply.png", params={"as_of": TODAY.isoformat()}, headers=headers
    )
    assert figure.status_code == 200 and figure.content == same_day.content
    # Pinned by the setting, the app plans on the pinned day instead.
    pinned = create_app(ApiSettings(run_worker=False, as_of=PINNED), api_engine)
    with TestClient(pinned) as pinned_client:
        assert pinned_client.get("/v1/kpis", headers=headers).json()["as_of"] == "2027-01-04"


def test_a_demo_database_from_before_the_revision_keeps_the_demo_day(
    new_database: Callable[[str], str],
) -> None:
    from data.seed import load_demo

    url = upgrade(new_database("planning_date"))
    engine = make_engine(url)
    try:
        assert "book_setting" in sa.inspect(engine).get_table_names()
        load_demo(engine, seed=7, scale=1, progress=False)
        downgrade(url, "0002_api")  # as it was seeded before the book recorded its day
        assert "book_setting" not in sa.inspect(engine).get_table_names()
        upgrade(url, reference=False)
        with Session(engine) as session:
            assert recorded_book_date(session) == dt.date(2023, 12, 15)
    finally:
        engine.dispose()


def test_an_empty_database_records_no_day(new_database: Callable[[str], str]) -> None:
    url = upgrade(new_database("planning_date_empty"))
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            assert recorded_book_date(session) is None
    finally:
        engine.dispose()


def test_pure_match_problems_need_an_explicit_day() -> None:
    from matcher.problem import MatchProblem

    with pytest.raises(TypeError, match="as_of"):
        MatchProblem(consultants=(), cases=())  # type: ignore[call-arg]


@pytest.mark.skipif(not os.environ.get(TRAVEL_ENV), reason=f"{TRAVEL_ENV} is not set")
def test_the_travel_check_really_moves_the_clock(session: Session) -> None:
    destination = travel_destination()
    assert destination is not None
    # tick=True: the clock runs on from the destination, so allow the session's length.
    now = dt.datetime.now(dt.UTC)
    assert destination <= now < destination + dt.timedelta(hours=3)
    assert abs((planning_date(session, Settings(as_of=None)) - destination.date()).days) <= 1
