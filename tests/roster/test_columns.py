"""Column generation: a proven lower bound and a legal dive roster."""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from roster import Status, total, validate
from roster.columns import ColumnGeneration, applicable, generate
from roster.nrp import solve_nrp
from roster.read_nrp import read_nrp
from tests.roster.instances import bench_nrp

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


def test_dive_rounds_a_fractional_root_to_instance1_optimum() -> None:
    # Instance1's root LP is fractional (558, below the published optimum 607 = UB = LB
    # in BOUNDS.md), so the dive has to fix assignments; on this instance it reaches the
    # optimum. The Lagrangian bound is 558: the LP value, pricing being converged.
    p = bench_nrp("Instance1")
    result = generate(p, time_limit=30, root_share=0.5, seed=1)
    assert result.lp_value is not None and abs(result.lp_value - 558) < 1e-6
    assert result.lower_bound == 558
    assert result.roster is not None
    assert validate(p, result.roster) == []
    assert total(p, result.roster) == 607


def test_usable_columns_agree_with_every_forced_assignment() -> None:
    p = read_nrp(TINY)
    cg = ColumnGeneration(p)
    on_day0 = frozenset({("A", 0, "L", "ward"), ("A", 1, "D", "ward")})
    off_day0 = frozenset({("A", 1, "D", "ward"), ("A", 2, "D", "ward")})
    cg.add("A", on_day0, 0)
    cg.add("A", off_day0, 0)
    assert cg.usable({})["A"] == [0, 1]
    assert cg.usable({("A", 0, "L", "ward"): True})["A"] == [0]  # fires
    assert cg.usable({("A", 0, "L", "ward"): False})["A"] == [1]  # forbids
    assert cg.usable({("A", 1, "D", "ward"): True})["A"] == [0, 1]  # both have it
    assert cg.usable({("A", 1, "D", "ward"): False})["A"] == []


def test_dive_out_of_time_returns_each_employees_heaviest_column() -> None:
    # Instance1's root LP (558) is fractional: with no time left the dive cannot fix
    # anything, so it hands back every employee's heaviest root column. That roster
    # breaks no hard rule (each column is a legal schedule) but cannot beat the
    # published optimum 607.
    p = bench_nrp("Instance1")
    cg = ColumnGeneration(p, num_workers=1, seed=1)
    with ThreadPoolExecutor(max_workers=1) as pool:
        cg.ensure_columns({}, pool)
        lp, _ = cg.generate({}, 10_000, time.perf_counter() + 30, pool)
        assert abs(lp.value - 558) < 1e-6
        roster = cg.dive(lp, deadline=time.perf_counter() - 1, pool=pool)
    assert roster == cg.heaviest(lp)
    heaviest = {
        eid: max((w, i) for (e, i), w in lp.weights.items() if e == eid) for eid in cg.columns
    }
    for eid, (_, index) in heaviest.items():
        mine = {(a.employee, a.day, a.shift, a.case) for a in roster if a.employee == eid}
        assert mine == set(cg.columns[eid][index])
    assert validate(p, roster) == []
    assert total(p, roster) >= 607
