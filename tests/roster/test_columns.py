"""Column generation: a proven lower bound and a legal dive roster."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from roster import Status, total, validate
from roster.columns import applicable, generate
from roster.nrp import solve_nrp
from roster.read_nrp import read_nrp

TINY = Path(__file__).with_name("tiny_nrp.txt")


def test_bound_reaches_the_tiny_optimum() -> None:
    # The tiny instance's optimum is 100 (one of day 0's two shifts stays open: B is off
    # and A works one shift a day; see test_nrp). Column generation proves exactly that.
    p = read_nrp(TINY)
    result = generate(p, time_limit=20, seed=1)
    assert result.lower_bound == 100
    assert result.lp_value is not None and abs(result.lp_value - 100) < 1e-6
    assert result.roster is not None
    assert validate(p, result.roster) == []
    assert total(p, result.roster) >= result.lower_bound


def test_bound_never_exceeds_a_known_roster() -> None:
    # With every request weight raised the optimum changes, but the bound must stay
    # below the cost of any legal roster: the dive's own and the exact optimum.
    p = read_nrp(TINY)
    heavy = dataclasses.replace(
        p, requests=tuple(dataclasses.replace(r, weight=r.weight * 50) for r in p.requests)
    )
    result = generate(heavy, time_limit=20, seed=1)
    assert result.roster is not None and validate(heavy, result.roster) == []
    assert result.lower_bound is not None
    assert result.lower_bound <= total(heavy, result.roster)
    exact = solve_nrp(heavy, time_limit=20, seed=1)
    assert exact.status == Status.OPTIMAL and exact.objective is not None
    assert result.lower_bound <= exact.objective


def test_applicable_only_when_cover_alone_couples_employees() -> None:
    p = read_nrp(TINY)
    assert applicable(p)
    gendered = dataclasses.replace(
        p, cover=(dataclasses.replace(p.cover[0], gender="female"), *p.cover[1:])
    )
    assert not applicable(gendered)
    lexicographic = dataclasses.replace(
        p, weights=dataclasses.replace(p.weights, lexicographic=True)
    )
    assert not applicable(lexicographic)
