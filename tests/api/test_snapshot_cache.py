"""The matching snapshot cache: reused until a write or the TTL; rankings kept with it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

import api.services.matching as matching_module
import api.services.snapshot as snapshot_module
from api.services.matching import SnapshotCache
from matcher.rank import Ranking

DAY = dt.date(2026, 3, 2)
#: A ranking the cache keeps and hands back as it is (its content does not matter).
RANKING = Ranking(case_id=1, candidates=())


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def fake_load(session: Any, as_of: dt.date) -> Any:
        calls.append(1)
        case = SimpleNamespace(intervention_type="family_treatment")
        return SimpleNamespace(case_by_id={1: case, 2: case}, as_of=as_of)

    monkeypatch.setattr(snapshot_module, "load_match_problem", fake_load)
    monkeypatch.setattr(matching_module, "_load_versions", lambda session: {})
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
    entry.rankings[(1, 5, True)] = RANKING
    assert cache.entry(None, DAY, 1).rankings == {(1, 5, True): RANKING}  # type: ignore[arg-type]
    cache.invalidate()
    assert cache.entry(None, DAY, 1).rankings == {}  # type: ignore[arg-type]


@pytest.mark.parametrize(("cache_rankings", "expected_ranks"), [(True, 1), (False, 2)])
def test_a_repeated_match_reuses_the_ranking(
    loads: list[int], monkeypatch: pytest.MonkeyPatch, cache_rankings: bool, expected_ranks: int
) -> None:
    import api.services.matching as matching

    ranks: list[int] = []

    def fake_rank(*args: Any) -> Ranking:
        ranks.append(1)
        return RANKING

    monkeypatch.setattr(matching, "_rank", fake_rank)
    monkeypatch.setattr(matching, "to_match_result", lambda problem, ranking, versions: ranking)
    cache = SnapshotCache(ttl_seconds=600, cache_rankings=cache_rankings)
    for _ in range(2):
        assert matching.match_case(None, cache, 1, DAY, 5, True) == RANKING  # type: ignore[arg-type]
    assert len(ranks) == expected_ranks
    matching.match_case(None, cache, 1, DAY, 3, True)  # type: ignore[arg-type]  # other `top`
    assert len(ranks) == expected_ranks + 1


def test_rankings_survive_a_reload_that_changed_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    snapshots = iter(["same", "same", "changed"])
    monkeypatch.setattr(
        snapshot_module,
        "load_match_problem",
        lambda session, as_of: SimpleNamespace(case_by_id={1: next(snapshots)}, as_of=as_of),
    )
    versions = iter([{7: 1}, {7: 2}, {7: 2}])
    monkeypatch.setattr(matching_module, "_load_versions", lambda session: next(versions))
    cache = SnapshotCache(ttl_seconds=0)  # every call reloads, as after the TTL
    first = cache.entry(None, DAY, 1)  # type: ignore[arg-type]
    first.rankings[(1, 5, True)] = RANKING
    first.results[(1, 5, True)] = "answer"  # type: ignore[assignment]
    # Same problem, but a consultant's version moved: the ranking holds, the answer
    # (which quotes the versions) is rebuilt.
    second = cache.entry(None, DAY, 1)  # type: ignore[arg-type]
    assert second.rankings == {(1, 5, True): RANKING} and second.results == {}
    # The problem changed: nothing is carried over.
    assert cache.entry(None, DAY, 1).rankings == {}  # type: ignore[arg-type]


def test_a_cached_answer_needs_a_fresh_snapshot_holding_the_case(loads: list[int]) -> None:
    cache = SnapshotCache(ttl_seconds=600)
    entry = cache.entry(None, DAY, 1)  # type: ignore[arg-type]
    entry.results[(1, 5, True)] = "answer"  # type: ignore[assignment]
    assert cache.cached_result(DAY, 1, 5, True) == "answer"
    assert cache.cached_result(DAY, 1, 3, True) is None  # another question
    assert cache.cached_result(DAY, 3, 5, True) is None  # a case the snapshot lacks
    cache.invalidate()  # a write through the API
    assert cache.cached_result(DAY, 1, 5, True) is None
    assert cache.cached_payload(DAY, 1, 5, True) is None
