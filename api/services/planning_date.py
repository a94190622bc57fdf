"""The planning date ("as of"): the one day every route, command, figure and report plans on.

In this order:

1. the setting ``FAMPLAN_AS_OF`` (`data.settings.Settings.as_of`), to pin the date;
2. else the date the book of business records (`data.models.BookSetting` under
   ``planning_date``; the demo seed records its scenario's day there);
3. else today's date in Danish time (Europe/Copenhagen), where the families and staff
   are, whatever the server's time zone.

A request or command that names a date of its own (``as_of``, ``--as-of``, ``start``)
uses that instead. Timestamps (``created_at``, audit events) are instants in UTC, not
planning dates, and do not come from here.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from data.models import PLANNING_DATE_KEY, BookSetting
from data.settings import Settings, get_settings

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def danish_today() -> dt.date:
    """Today's date in Denmark (the clock's only reader for planning dates)."""
    return dt.datetime.now(DANISH_TIME).date()


def recorded_book_date(session: Session) -> dt.date | None:
    """The date the book of business records, if it records one."""
    row = session.get(BookSetting, PLANNING_DATE_KEY)
    return None if row is None else dt.date.fromisoformat(row.value)


def planning_date(session: Session, settings: Settings | None = None) -> dt.date:
    """The planning date: the setting, else the book's own date, else today in Denmark.

    `settings` defaults to the process's (`data.settings.get_settings`); the API passes
    the app's own.
    """
    pinned = (settings or get_settings()).as_of
    if pinned is not None:
        return pinned
    return recorded_book_date(session) or danish_today()


class PlanningDateCache:
    """`planning_date` for a busy process: the book's recorded date is read again at most
    every `ttl_seconds`, so most requests learn the date without a query (the matching
    route answers from its cache on the event loop). A book date recorded by another
    process (``famplan seed``) is seen within `ttl_seconds`, as a cached snapshot is."""

    def __init__(self, settings: Settings, ttl_seconds: float) -> None:
        self.settings = settings
        self.ttl_seconds = ttl_seconds
        self._lock = threading.Lock()
        self._read_at: float | None = None
        self._book_date: dt.date | None = None

    def known(self) -> dt.date | None:
        """The planning date if it is known without a query, else None."""
        if self.settings.as_of is not None:
            return self.settings.as_of
        with self._lock:
            if self._read_at is None or time.monotonic() - self._read_at > self.ttl_seconds:
                return None
            book_date = self._book_date
        return book_date or danish_today()

    def get(self, session: Session) -> dt.date:
        known = self.known()
        if known is not None:
            return known
        book_date = recorded_book_date(session)
        with self._lock:
            self._book_date, self._read_at = book_date, time.monotonic()
        return book_date or danish_today()

    def forget(self) -> None:
        """Read the book's date again on the next call (after this process records one)."""
        with self._lock:
            self._read_at = None
