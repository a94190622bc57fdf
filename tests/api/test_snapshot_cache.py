"""The matching snapshot cache: reused until a write or the TTL; rankings kept with it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

import api.services.snapshot as snapshot_module
from api.services.matching import SnapshotCache

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def fake_load(session: Any, as_of: dt.date) -> Any:
        calls.append(1)
        return SimpleNamespace(case_by_id={1: object(), 2: object()}, as_of=as_of)

    monkeypatch.setattr(snapshot_module, "load_match_problem", fake_load)
    return calls


def test_snapshot_is_reused_until_invalidated(loads: list[int]) -> None:
    cache = SnapshotCache(ttl_seconds=600)
    first = cache.get(None, DAY, 1)  # type: ignore[arg-type]
    assert cache.get(None, DAY, 2) is first  # type: ignore[arg-type]
    assert len(loads) == 1
    cache.invalidate()  # a write through the API
    assert cache.get(None, DAY, 1) is not first  # type: ignore[arg-type]
    assert len(loads) == 2


def test_an_unknown_case_or_an_old_snapshot_reloads(loads: list[int]) -> None:
    cache = SnapshotCache(ttl_seconds=600)
    cache.get(None, DAY, 1)  # type: ignore[arg-type]
    cache.get(None, DAY, 3)  # type: ignore[arg-type]  # created by another process?
    assert len(loads) == 2
    stale = SnapshotCache(ttl_seconds=0)
    stale.get(None, DAY)  # type: ignore[arg-type]
    stale.get(None, DAY)  # type: ignore[arg-type]
    assert len(loads) == 4


def test_rankings_live_and_die_with_their_snapshot(loads: list[int]) -> None:
    cache = SnapshotCache(ttl_seconds=600)
    entry = cache.entry(None, DAY, 1)  # type: ignore[arg-type]
    entry.rankings[(1, 5, True)] = "ranking"
    assert cache.entry(None, DAY, 1).rankings == {(1, 5, True): "ranking"}  # type: ignore[arg-type]
    cache.invalidate()
    assert cache.entry(None, DAY, 1).rankings == {}  # type: ignore[arg-type]
