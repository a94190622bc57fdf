"""A migrated database holding the demo book, for session-wide fixtures (the shared
read-only one, the web tests', the report tests' writable one: each its own, so one's
writes never reach another)."""

from __future__ import annotations

from collections.abc import Callable

from data.db import make_engine


def demo_book_url(new_database: Callable[[str], str], name: str) -> str:
    """The URL of a new database `name`, migrated and loaded with the demo book."""
    from data.migrate import upgrade
    from data.seed import load_demo

    url = upgrade(new_database(name))
    engine = make_engine(url)
    try:
        load_demo(engine, seed=42, scale=1, progress=False)
    finally:
        engine.dispose()
    return url
