"""The waiting list's order and the share placed within 24 hours."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from matcher.waiting import order_waiting, share_placed_within, waiting_list
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
