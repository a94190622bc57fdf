"""The LNS's shortfall neighbourhood: a window of days around a cover shortfall (a
weekend's first) freed for everyone who works, with a time limit of its own."""

from __future__ import annotations

import random
from pathlib import Path

from roster.clock import WorkClock
from roster.lns import ShortfallWindows, _shortfall_keys, improve
from roster.model import RosterModel
from roster.read_nrp import read_nrp

TINY = Path(__file__).with_name("tiny_nrp.txt")
#: Four weeks and a day from a Monday: weekends on days 5-6, 12-13, 19-20 and 26-27.
WEEKENDS = ((5, 6), (12, 13), (19, 20), (26, 27))
DAYS = list(range(29))
X = {(e, d, "D", "ward"): None for e in "ABC" for d in DAYS}
TWO_WEEKS = ShortfallWindows(days=14, seconds=1.0)


def _windows(hot: list[tuple[str | None, int]], draws: int = 50) -> set[tuple[int, ...]]:
    """The distinct windows (sorted days) freed in `draws` choices, each checked to free
    exactly A and B on its days."""
    rng = random.Random(0)
    out = set()
    for _ in range(draws):
        keys = _shortfall_keys(rng, TWO_WEEKS, DAYS, WEEKENDS, hot, {"A", "B"}, X)  # type: ignore[arg-type]
        days = tuple(sorted({k[1] for k in keys}))
        assert {k for k in X if k[1] in days and k[0] in "AB"} == keys
        out.add(days)
    return out


def test_the_window_is_centred_on_a_short_weekend_day_before_a_short_weekday() -> None:
    # Short on Wednesday 2 and on Saturday 19: always the weekend's, 7 days either side
    # of 19 but the last (days 12-25), never one around day 2.
    assert _windows([(None, 2), (None, 19)]) == {tuple(range(12, 26))}


def test_without_a_short_weekend_day_the_window_is_centred_on_a_short_weekday() -> None:
    # Short on day 2 only: centred on it, held inside the horizon (days 0-13).
    assert _windows([(None, 2)]) == {tuple(range(14))}


def test_unmet_requests_are_no_shortfall_and_the_window_falls_at_random() -> None:
    # An unmet request on day 19 only: windows of 14 days drawn anywhere in the 29.
    windows = _windows([("A", 19)])
    assert len(windows) > 5
    assert all(len(days) == 14 for days in windows)


def _tiny_search(shortfall: ShortfallWindows | None) -> tuple[int, dict[str, list[int]]]:
    # The tiny instance from a poor start (301) on the work clock, one lane, a fixed
    # seed: the same search under any load; the optimum is 100 (see test_nrp)
    rm = RosterModel(read_nrp(TINY))
    rm.model.minimize(rm.total_expression())
    rows = {"A": "LL-DD--", "B": "-DDDD--"}
    start = {key: rows[key[0]][key[1]] == key[2] for key in rm.x}
    clock = WorkClock()
    _best, value, stats = improve(
        rm.model, rm.x, start, 301, clock.now() + 0.3, seed=3, num_workers=1,
        trouble=rm.trouble_spots(), clock=clock, shortfall=shortfall,
    )  # fmt: skip
    return value, stats.by_neighbourhood


def test_lns_tries_the_shortfall_windows_when_given() -> None:
    value, hoods = _tiny_search(ShortfallWindows(days=3, seconds=0.1))
    assert value == 100
    assert hoods["shortfall"][0] >= 1


def test_shortfall_windows_wait_for_sub_problems_without_gain() -> None:
    # The same search with the windows held back until 1,000 sub-problems in a row have
    # gained nothing: it reaches the optimum without them (the tiny search takes far
    # fewer), while with none to wait for (above) they are tried.
    value, hoods = _tiny_search(ShortfallWindows(days=3, seconds=0.1, after_idle=1000))
    assert value == 100
    assert "shortfall" not in hoods


def test_lns_has_no_shortfall_windows_unless_given() -> None:
    value, hoods = _tiny_search(None)
    assert value == 100
    assert "shortfall" not in hoods
