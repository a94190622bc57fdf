"""`as_utc`: the one reading of a stored time as an aware UTC one (SQLite gives them back
naive, PostgreSQL aware in the session's time zone)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from data.ops_models import as_utc


def test_a_naive_stored_time_is_read_as_utc() -> None:
    naive = dt.datetime(2026, 3, 29, 1, 30)
    assert as_utc(naive) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
    assert as_utc(naive).tzinfo is dt.UTC


def test_an_aware_time_keeps_its_instant_and_is_given_in_utc() -> None:
    # 03:30 summer time in Copenhagen (UTC+2) is 01:30 UTC: the instant is not moved.
    copenhagen = dt.datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    assert as_utc(copenhagen) == copenhagen
    assert as_utc(copenhagen).tzinfo is dt.UTC
    assert as_utc(copenhagen).hour == 1
