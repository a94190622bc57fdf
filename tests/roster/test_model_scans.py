"""The build's interval scans (`roster.model_rules._Worked`, `_LongestShifts`) give what a
scan of every shift or day gives: they only skip what cannot count."""

from roster.model_rules import _LongestShifts, _Worked
from roster.templates import MINUTES_PER_DAY

DAY = MINUTES_PER_DAY
# day 7-15, evening 15-23, night 23-07 (into the next day), on days 0-3
SHIFTS = [
    (d, sid, d * DAY + start, d * DAY + start + 480)
    for d in range(4)
    for sid, start in (("D", 420), ("E", 900), ("N", 1380))
]


def test_overlapping_finds_the_night_that_reaches_into_the_interval() -> None:
    # [day 2 00:00, 06:00) is overlapped only by day 1's night (23:00-07:00)
    assert _Worked(SHIFTS).overlapping(2 * DAY, 2 * DAY + 360) == [
        (1, "N", 1 * DAY + 1380, 2 * DAY + 420)
    ]


def test_overlapping_finds_none_in_a_gap() -> None:
    # day 4 has no shifts of its own and day 3's night ends at 07:00: 08:00-20:00 is free
    assert _Worked(SHIFTS).overlapping(4 * DAY + 480, 4 * DAY + 1200) == []


def test_overlapping_agrees_with_a_full_scan_on_every_window() -> None:
    worked = _Worked(SHIFTS)
    for lo in range(-DAY, 5 * DAY, 60):
        for length in (60, 35 * 60, 7 * DAY):
            hi = lo + length
            every = [w for w in SHIFTS if w[2] < hi and lo < w[3]]
            assert worked.overlapping(lo, hi) == every


def test_longest_shifts_sum_each_days_longest_within_the_horizon() -> None:
    per_day = {0: [(None, 480)], 1: [(None, 480), (None, 600)], 3: [(None, 300)]}
    longest = _LongestShifts(per_day, days=4)  # type: ignore[arg-type]
    assert longest(0, 4) == 480 + 600 + 0 + 300
    # a period reaching before the horizon or past it counts only the horizon's days
    assert longest(-120, 2) == 1080
    assert longest(3, 200) == 300
    assert longest(2, 3) == 0
