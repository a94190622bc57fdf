"""Large-neighbourhood search: never worse, always legal, reaches a tiny optimum."""

from __future__ import annotations

import time
from pathlib import Path

from roster import Assignment, total, validate
from roster.lns import improve
from roster.model import RosterModel
from roster.read_nrp import read_nrp

TINY = Path(__file__).with_name("tiny_nrp.txt")


def test_lns_improves_a_poor_start_to_the_optimum() -> None:
    # Start: A: L L - D D - -, B: - D D D D - - (objective 301, see test_nrp). The optimum
    # is 100 (see test_nrp); sub-problems grow until they cover both employees.
    p = read_nrp(TINY)
    rm = RosterModel(p)
    rm.model.minimize(rm.total_expression())
    start_rows = {"A": "LL-DD--", "B": "-DDDD--"}
    start = {
        key: start_rows[key[0]][key[1]] == key[2] for key in rm.x
    }  # key = (employee, day, shift, case)
    best, value, stats = improve(
        rm.model, rm.x, start, 301, time.perf_counter() + 5, seed=3, trouble=rm.trouble_by_day()
    )
    roster = tuple(Assignment(d, s, c, e) for (e, d, s, c), on in best.items() if on)
    assert value == 100
    assert validate(p, roster) == []
    assert total(p, roster) == value
    assert stats.improvements >= 1
