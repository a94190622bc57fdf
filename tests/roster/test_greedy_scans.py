"""The greedy roster's scans (`roster.heuristic.GreedyState.overlapping`, `holding`, and
`_cheapest_matching`, `weekly_rest_ok`) give what a scan of every interval, window or
order gives: they only skip what cannot count."""

import datetime as dt
import itertools
import random

from roster.heuristic import GreedyState, _cheapest_matching, weekly_rest_ok
from roster.problem import Assignment, Case, CoverDemand, Employee, ReferenceWindow, RosterProblem
from roster.templates import MINUTES_PER_DAY, template

DAY = MINUTES_PER_DAY
SHIFTS = {s.id: s for s in template("3x8")}
# busy before the horizon (a night into day 0), a three-day commitment from day 5 and
# an evening on day 9: the long one widens every look-back
BUSY = [(-DAY + 1380, 420), (5 * DAY, 8 * DAY), (9 * DAY + 900, 9 * DAY + 1380)]


def state_with_shifts() -> GreedyState:
    state = GreedyState(intervals=list(BUSY))
    for day, sid in ((0, "D"), (1, "E"), (2, "N"), (3, "N"), (11, "D"), (12, "E")):
        state.take(day, SHIFTS[sid], None)
    return state


def test_overlapping_finds_the_long_commitment_from_its_last_day() -> None:
    # day 7 08:00-16:00 lies inside the commitment of days 5-7 only
    assert state_with_shifts().overlapping(7 * DAY + 480, 7 * DAY + 960) == [(5 * DAY, 8 * DAY)]


def test_overlapping_finds_none_in_a_gap() -> None:
    # day 10 is free: the evening of day 9 ends at 23:00, day 11's shift starts at 07:00
    assert state_with_shifts().overlapping(10 * DAY, 11 * DAY) == []


def test_overlapping_agrees_with_a_full_scan_on_every_window() -> None:
    state = state_with_shifts()
    every_interval = sorted(state.intervals)
    assert len(every_interval) == len(BUSY) + 6
    for lo in range(-2 * DAY, 15 * DAY, 60):
        for length in (60, 11 * 60 + 8 * 60, 7 * DAY):
            hi = lo + length
            full = [(a, b) for a, b in every_interval if a < hi and lo < b]
            assert state.overlapping(lo, hi) == full


# periods as `RosterProblem.reference_windows` gives them: in order of their last day,
# the first days in order too (the first ones start on day 0, reaching into the past)
ORDERED = [ReferenceWindow(max(0, end - 4), end, 600) for end in range(1, 12)]


def test_holding_agrees_with_a_full_scan_on_every_day() -> None:
    state = GreedyState(windows=list(ORDERED))
    for day in range(-1, 13):
        full = [i for i, w in enumerate(ORDERED) if w.first_day <= day < w.end_day]
        assert list(state.holding(day)) == full


def test_holding_scans_every_window_when_they_are_out_of_order() -> None:
    # day 5 lies in the periods ending on days 6 and 8 (days 2-5 and 4-7), not in the
    # one ending on day 4 (days 0-3)
    shuffled = [ORDERED[7], ORDERED[3], ORDERED[5]]
    assert GreedyState(windows=shuffled).holding(5) == [0, 2]


def test_taking_a_shift_counts_it_in_the_windows_holding_its_day() -> None:
    state = GreedyState(windows=list(ORDERED))
    state.take(5, SHIFTS["D"], None)
    # the periods ending on days 6-9 hold day 5 (each is four days long)
    assert [i for i, w in enumerate(ORDERED) if state.room[i] < w.limit] == [5, 6, 7, 8]
    assert state.room[5] == 600 - SHIFTS["D"].duration_minutes
    assert state.least_room(5) == 600 - SHIFTS["D"].duration_minutes
    # day 10 lies only in the periods ending on days 11 (days 7-10): untouched
    assert state.least_room(10) == 600
    assert state.least_room(11) is None  # no period holds day 11


def test_cheapest_matching_agrees_with_every_order() -> None:
    # seven consultants on one shift of seven cases: each case's speakers are a few of
    # them, a case without one costs 1000, a moved consultant 1
    cases = [f"K{i}" for i in range(7)]
    staff = [Assignment(0, "D", cases[(i + 1) % 7], f"E{i}") for i in range(7)]
    speaks = {(f"E{i}", f"K{(i * 3) % 7}") for i in range(7)} | {("E0", "K5"), ("E4", "K1")}

    def cost(a: Assignment, case_id: str) -> int:
        return 1000 * ((a.employee, case_id) not in speaks) + (a.case != case_id)

    def total(order: tuple[str, ...]) -> int:
        return sum(cost(a, c) for a, c in zip(staff, order, strict=True))

    best = min(total(order) for order in itertools.permutations(cases))
    matched = _cheapest_matching(staff, cases, cost)
    assert sorted(matched) == cases
    # each case with a speaker; all but E4 move (it is on K5 already, its language)
    assert total(matched) == best == 6


def weekly_rest_by_every_window(
    p: RosterProblem, intervals: list[tuple[int, int]], day: int, past: bool
) -> bool:
    """The weekly rest as the greedy roster checked it before: each window's free
    stretches from a pass over every interval."""
    rest, window = p.rules.weekly_rest_minutes, p.rules.weekly_rest_window_days
    assert rest is not None
    first = 1 - window if past else 0
    for w in range(max(first, day - window + 1), min(day + 1, p.days - window) + 1):
        lo, hi = w * DAY, (w + window) * DAY
        inside = sorted((max(a, lo), min(b, hi)) for a, b in intervals if a < hi and lo < b)
        longest, cursor = 0, lo
        for a, b in inside:
            longest, cursor = max(longest, a - cursor), max(cursor, b)
        if max(longest, hi - cursor) < rest:
            return False
    return True


def test_weekly_rest_agrees_with_a_pass_over_every_window() -> None:
    p = RosterProblem(
        start_date=dt.date(2026, 1, 5),
        days=21,
        shift_types=template("3x8"),
        employees=(Employee("A"),),
        cases=(Case("K1"),),
        cover=(CoverDemand("K1", 0, "D", 1),),
    )
    rng = random.Random(7)
    verdicts = set()
    for _ in range(300):
        # 8-hour shifts on random days and times, a few of them long, some in the past
        intervals = []
        for _ in range(rng.randrange(4, 16)):
            start = rng.randrange(-7 * DAY, 21 * DAY, 60)
            intervals.append((start, start + rng.choice((480, 480, 600, 2 * DAY))))
        for day in range(21):
            for past in (False, True):
                ours = weekly_rest_ok(p, intervals, day, past)
                assert ours == weekly_rest_by_every_window(p, intervals, day, past)
                verdicts.add(ours)
    assert verdicts == {True, False}  # both answers were met
