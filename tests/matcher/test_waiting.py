"""The waiting list's order and the share placed within 24 hours."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from matcher.batch import optimize
from matcher.problem import MatchSettings, Weights
from matcher.waiting import (
    WaitingRequest,
    order_requests,
    order_waiting,
    share_placed_within,
    waiting_figures,
    waiting_list,
)
from solving.status import SolveStatus
from tests.matcher.instances import MONDAY, case, consultant, problem

HOUR = dt.timedelta(hours=1)


def test_urgent_first_then_the_deadline_that_runs_out_first():
    # 10: normal, asked 30 h ago (overdue); 11: normal, asked 2 h ago; 12: urgent, asked
    # 1 h ago; 13 is running, not waiting.
    now = MONDAY
    cases = [
        replace(case(10), requested_start=now - 30 * HOUR),
        replace(case(11), requested_start=now - 2 * HOUR),
        replace(case(12), requested_start=now - HOUR, priority=1),
        case(13, is_open=False),
    ]
    entries = waiting_list(problem([consultant(1)], cases), now)
    assert [e.case_id for e in entries] == [12, 10, 11]
    assert [e.overdue for e in entries] == [False, True, False]
    assert entries[1].hours_left == pytest.approx(-6.0)


def test_same_priority_and_deadline_falls_back_to_the_case_id():
    cases = [case(11), case(10)]
    assert [e.case_id for e in order_waiting(cases, MONDAY)] == [10, 11]


def test_share_placed_within_24_hours():
    now = MONDAY
    requests = [
        (now - 50 * HOUR, now - 40 * HOUR),  # placed after 10 h: in time
        (now - 50 * HOUR, now - 20 * HOUR),  # placed after 30 h: late
        (now - 30 * HOUR, None),  # still waiting after 30 h: late
        (now - 2 * HOUR, None),  # waiting 2 h: not decided yet
    ]
    assert share_placed_within(requests, now) == pytest.approx(1 / 3)
    assert share_placed_within([(now - HOUR, None)], now) is None


def test_waiting_figures_share_distribution_and_overdue():
    now = MONDAY
    requests = [
        (now - 100 * HOUR, now - 98 * HOUR),  # placed after 2 h
        (now - 100 * HOUR, now - 90 * HOUR),  # placed after 10 h
        (now - 100 * HOUR, now - 70 * HOUR),  # placed after 30 h: late
        (now - 30 * HOUR, None),  # waiting 30 h: overdue
        (now - 2 * HOUR, None),  # waiting 2 h: not decided
    ]
    figures = waiting_figures(requests, now)
    # Decided: the three placed and the overdue one; two of four in time.
    assert figures.share_within_limit == pytest.approx(0.5)
    assert (figures.placed, figures.waiting, figures.overdue) == (3, 2, 1)
    # Waits 2, 10, 30 h: median 10; 90th percentile 10 + 0.8 × 20 = 26 (numpy, linear).
    assert figures.p50_hours == pytest.approx(10.0)
    assert figures.p90_hours == pytest.approx(26.0)
    assert figures.max_hours == pytest.approx(30.0)
    empty = waiting_figures([(now - HOUR, None)], now)
    assert empty.share_within_limit is None and empty.p50_hours is None


def test_rows_and_snapshot_cases_share_one_order():
    now = MONDAY
    rows = [
        WaitingRequest(5, 2, now - 3 * HOUR),
        WaitingRequest(6, 1, now),
        WaitingRequest(7, 2, now - 9 * HOUR),
    ]
    assert [e.case_id for e in order_requests(rows, now)] == [6, 7, 5]


LANGUAGE_ONLY = Weights(
    language=10, culture=0, travel=0, office=0, continuity=0, workload=0, start=0, preference=0
)


def _two_requests(waiting_weight: float):
    """One ar-SY consultant with room for one 10 h family; two open requests: 10 (ar-SY,
    exact: 10 points) made on the planning date, 11 (ar-LB, same dialect group: 7 points)
    made three days before it."""
    return problem(
        [consultant(1, "ar-SY", hours=10)],
        [
            case(10, "ar-SY", hours=10),
            replace(case(11, "ar-LB", hours=10), requested_start=MONDAY - 72 * HOUR),
        ],
        settings=MatchSettings(
            weights=LANGUAGE_ONLY, reserved_share=0.0, waiting_weight=waiting_weight
        ),
    )


def test_batch_places_the_family_that_has_waited_first():
    # Weight 0.1 a day: 11 waited 3 days, its unplaced penalty is 200 × 1.3 = 260.
    # Place 11: 7 − 200 (10 unplaced) = −193; place 10: 10 − 260 = −250 → 11.
    result = optimize(_two_requests(0.1), time_limit=10, num_workers=1)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == pytest.approx(-193.0)
    assert result.assignment == {(10, "primary"): None, (11, "primary"): 1}


def test_without_the_waiting_weight_the_better_match_wins():
    # Both penalties 200: place 10: 10 − 200 = −190 beats 7 − 200 = −193.
    result = optimize(_two_requests(0.0), time_limit=10, num_workers=1)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == pytest.approx(-190.0)
    assert result.assignment == {(10, "primary"): 1, (11, "primary"): None}
