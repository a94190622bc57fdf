"""Long horizons and big pools (issue 22): the stand-in's generator, the programme's
maxima kept by price or by construction, and the long-horizon path of `solve_nrp`
(the programme's roster, then the time-window LNS)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from roster import total, validate
from roster.best_responses import first_roster
from roster.nrp import BOUND_ON_COVER, LONG_HORIZON_DAYS, solve_nrp
from roster.nrp_stages import BOUND_ON_WEEKENDS
from roster.programme import EmployeeProgramme
from roster.read_nrp import parse_nrp, read_nrp, replicate
from tests.roster.instances import FAR, nrp_roster
from tests.roster.test_windows import reproducible_window_sweeps

TINY = Path(__file__).with_name("tiny_nrp.txt")


def test_replicate_copies_staff_requests_and_cover() -> None:
    # tiny_nrp.txt's hand roster costs 301 (tests/roster/test_nrp.py); copied three
    # times it is a roster of the copy with every count tripled: 3 × 301.
    p = read_nrp(TINY)
    copy = replicate(p, 3)
    assert [e.id for e in copy.employees] == ["A", "B", "A~2", "B~2", "A~3", "B~3"]
    assert copy.employee["B~3"].absences == p.employee["B"].absences
    assert len(copy.requests) == 3 * len(p.requests)
    assert [c.required for c in copy.cover] == [3 * c.required for c in p.cover]
    hand = {"A": "LL-DD--", "B": "-DDDD--"}
    tripled = nrp_roster(
        {f"{eid}{suffix}": row for eid, row in hand.items() for suffix in ("", "~2", "~3")}
    )
    assert validate(copy, tripled) == []
    assert total(copy, tripled) == 3 * total(p, nrp_roster(hand)) == 903
    assert replicate(p, 1) == p


def siblings_week(max_a: int | None) -> str:
    """One employee, a week, shift types A and B alike (8 h, no rotation rule), each
    demanded every day at 100; works 5 or 6 shifts, runs of 1-6, no weekend limit."""
    limits = f"A={max_a}|B=7" if max_a is not None else "A=7|B=7"
    lines = ["SECTION_HORIZON", "7", "", "SECTION_SHIFTS", "A,480,", "B,480,", ""]
    lines += ["SECTION_STAFF", f"E,{limits},2880,2400,6,1,1,1", "", "SECTION_COVER"]
    lines += [f"{d},{s},1,100,1" for d in range(7) for s in "AB"]
    return "\n".join(lines) + "\n"


def test_shifts_over_a_type_maximum_move_to_its_sibling() -> None:
    # Every (day, type) earns 100 alike: at most 6 shifts (2880 min) and one weekend
    # day (max one weekend), so the best is 6 shifts, 600 - and any split of them
    # between A and B. With A at most 2 the programme's flat choice (all one type)
    # is over; the spread moves the extra A to B at no loss: still 600, A at most 2.
    capped = parse_nrp(siblings_week(2), name="week")
    programme = EmployeeProgramme(capped, capped.employee["E"])
    assert programme.siblings == {1: [2], 2: [1]}
    # fired: six A (symbol 1) and a day off become two A and four B, the first days
    # moved (all moves cost the same, 0)
    assert programme._spread_types([1, 1, 1, 1, 1, 1, 0], np.full((7, 3), 100.0)) == [
        2,
        2,
        2,
        2,
        1,
        1,
        0,
    ]
    gain = np.zeros((7, 3))
    gain[:, 1:] = 100
    found = programme.best(gain)
    assert found is not None
    path, value = found
    assert value == 600 and sum(k > 0 for k in path) == 6
    assert path.count(1) <= 2
    roster = first_roster(capped, FAR)
    assert roster is not None and validate(capped, roster) == []
    # not fired: without the cap nothing moves, whichever type the programme chose
    free = parse_nrp(siblings_week(None), name="week")
    unmoved = EmployeeProgramme(free, free.employee["E"])
    path_free, value_free = unmoved.best(gain) or ([], 0.0)
    assert value_free == 600 and path_free == unmoved._spread_types(path_free, gain)


def alternating(days: int) -> str:
    """Two employees, one shift D demanded once a day at 100 (over-cover 1 a person);
    runs of exactly two shifts and at least two days off, no minimum minutes, no
    weekend limit (one per week), no requests."""
    weekends = days // 7
    lines = ["SECTION_HORIZON", str(days), "", "SECTION_SHIFTS", "D,480,", ""]
    lines += ["SECTION_STAFF"]
    lines += [f"{e},D={days},{480 * days},0,2,2,2,{weekends}" for e in "PQ"]
    lines += ["", "SECTION_COVER"]
    lines += [f"{d},D,1,100,1" for d in range(days)]
    return "\n".join(lines) + "\n"


def test_a_long_horizon_goes_through_the_programme_and_the_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 18 weeks (126 days, at least LONG_HORIZON_DAYS). Each employee works runs of two
    # days with two off between, so each covers at most half of the days; P on days
    # 0-1, 4-5, ... and Q on 2-3, 6-7, ... covers every day once: objective 0, the
    # least there is (every term is a cost). The programme's first pass finds it (P
    # takes any half, Q the complement, which earns 100 a day against -1 for doubling).
    days = 126
    assert days >= LONG_HORIZON_DAYS
    p = parse_nrp(alternating(days), name="alternating")
    # the windows search reproducibly, a capped number of them: the same roster under
    # any load, and a search that ends on its own
    reproducible_window_sweeps(monkeypatch)
    result = solve_nrp(p, time_limit=600, seed=0, num_workers=1)
    assert result.found
    assert "time windows" in result.message
    assert validate(p, result.roster) == []
    assert result.objective == total(p, result.roster) == 0
    # the windows prove no bound; the capacities' bound (`roster.cover_bound`) is
    # reported instead, here 0 and so the roster proven at its least
    assert result.bound == 0 and result.message.endswith(BOUND_ON_COVER)
    covered = sorted(a.day for a in result.roster)
    assert covered == list(range(days))


def test_a_long_horizon_reports_the_weekend_programme_s_bound_where_it_is_higher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The alternating 18 weeks, but P is off on the first Saturday (day 5) and asks to
    # work D there: every roster pays that request's 7 (fires), which the weekend
    # programme (`roster.weekend_plan`) proves and the capacities' bound, blind to
    # requests, does not (0, above). Q takes days 4-5 and P the other half: 7 is also
    # the optimum, so the search ends proven.
    days = 126
    text = alternating(days) + "SECTION_DAYS_OFF\nP,5\n\nSECTION_SHIFT_ON_REQUESTS\nP,5,D,7\n"
    p = parse_nrp(text, name="alternating")
    reproducible_window_sweeps(monkeypatch)
    result = solve_nrp(p, time_limit=600, seed=0, num_workers=1)
    assert validate(p, result.roster) == []
    assert result.bound == 7 and result.message.endswith(BOUND_ON_WEEKENDS)
    assert result.objective == total(p, result.roster) == 7
