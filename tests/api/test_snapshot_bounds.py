"""The matching snapshot cache is bounded: a handful of planning dates (least recently
used dropped first), nothing kept past the TTL.

Before the bound, 120 matches on different `as_of` dates took a server from 370 to
559 MB, still held after the TTL.
"""

from __future__ import annotations

import datetime as dt
import tracemalloc
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

import api.services.matching as matching_module
import api.services.snapshot as snapshot_module
from api.config import ApiSettings
from api.main import create_app
from api.services.matching import SnapshotCache
from tests.api.conftest import Keys
from tests.api.world import World

FIRST = dt.date(2026, 1, 1)
#: Each fake snapshot holds this much memory, as a real book of business would.
SNAPSHOT_BYTES = 256 * 1024


@pytest.fixture
def fake_snapshots(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    loaded: list[dt.date] = []

    def fake_load(session: Any, as_of: dt.date) -> Any:
        loaded.append(as_of)
        return SimpleNamespace(case_by_id={1: object()}, ballast=bytearray(SNAPSHOT_BYTES))

    monkeypatch.setattr(snapshot_module, "load_match_problem", fake_load)
    monkeypatch.setattr(matching_module, "_load_versions", lambda session: {})
    return loaded


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _days(count: int) -> Iterator[dt.date]:
    return (FIRST + dt.timedelta(days=k) for k in range(count))


def test_two_hundred_planning_dates_keep_the_cache_at_its_bound(
    fake_snapshots: list[dt.date],
) -> None:
    cache = SnapshotCache(ttl_seconds=600, max_entries=4)
    tracemalloc.start()
    try:
        for day in _days(200):
            cache.get(None, day, 1)  # type: ignore[arg-type]
            assert len(cache) <= 4
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(fake_snapshots) == 200 and len(cache) == 4
    # four snapshots and some change, not two hundred (51 MB)
    assert held < 6 * SNAPSHOT_BYTES, held


def test_the_least_recently_used_date_goes_first(fake_snapshots: list[dt.date]) -> None:
    clock = FakeClock()
    cache = SnapshotCache(ttl_seconds=600, max_entries=3, clock=clock)
    d1, d2, d3, d4 = _days(4)
    for day in (d1, d2, d3):
        clock.now += 1
        cache.get(None, day, 1)  # type: ignore[arg-type]
    clock.now += 1
    cache.get(None, d1, 1)  # type: ignore[arg-type]  # d1 used again: d2 is now the oldest
    clock.now += 1
    cache.get(None, d4, 1)  # type: ignore[arg-type]
    assert len(cache) == 3
    assert cache.holds(d1, 1) and cache.holds(d3, 1) and cache.holds(d4, 1)
    assert not cache.holds(d2, 1)
    assert fake_snapshots == [d1, d2, d3, d4]  # d1's second use came from memory


def test_snapshots_past_the_ttl_are_dropped(fake_snapshots: list[dt.date]) -> None:
    clock = FakeClock()
    cache = SnapshotCache(ttl_seconds=30, max_entries=8, clock=clock)
    d1, d2, d3 = _days(3)
    cache.get(None, d1, 1)  # type: ignore[arg-type]
    clock.now = 10
    cache.get(None, d2, 1)  # type: ignore[arg-type]
    clock.now = 31  # d1 expired, d2 not yet
    cache.get(None, d3, 1)  # type: ignore[arg-type]
    assert len(cache) == 2 and not cache.holds(d1, 1) and cache.holds(d2, 1)


def test_the_bound_is_a_setting_of_the_api(
    api_engine: Engine, world: World, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAMPLAN_SNAPSHOT_CACHE_SIZE", "2")
    settings = ApiSettings(run_worker=False)
    assert settings.snapshot_cache_size == 2
    app = create_app(settings, api_engine)
    with TestClient(app) as client:
        for day in _days(5):
            response = client.post(
                f"/v1/cases/{world.cases['k1']}/match",
                json={"as_of": day.isoformat()},
                headers=keys.headers("reception"),
            )
            assert response.status_code == 200, response.text
        assert len(app.state.snapshot_cache) == 2
