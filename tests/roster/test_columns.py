"""Column generation: a proven lower bound and a legal dive roster."""

from __future__ import annotations

import dataclasses
import itertools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model

import roster.dive as dive_module
from roster import SolveStatus, solve, total, validate
from roster.clock import (
    WALL_GUARD_FACTOR,
    WALL_GUARD_SECONDS,
    WORK_PER_SECOND,
    WallClock,
    WorkClock,
)
from roster.columns import ColumnGeneration, applicable, generate
from roster.dive import DIVE_ROUNDS, dive, heaviest_columns
from roster.master import Lp, Master, reduced_cost
from roster.pricing import PRICING_SECONDS, Pricer
from roster.read_nrp import read_nrp
from tests.roster.instances import FAR, REPRODUCIBLE, bench_nrp

TINY = Path(__file__).with_name("tiny_nrp.txt")
#: A time limit none of these column generations reaches: each ends on its own (the
#: root converged, the dive integral, the heading-in without a subgradient left), in
#: well under a second on a quiet machine, so a loaded one only takes longer. On the
#: work clock (`WorkClock()`, passed to every one of them) their CP-SAT pricing runs
#: and the dive's rounds do not depend on the load either: the same columns, the same
#: bound and roster.
NO_LIMIT = 600.0


def test_bound_reaches_the_tiny_optimum() -> None:
    # The tiny instance's optimum is 100 (one of day 0's two shifts stays open: B is off
    # and A works one shift a day; see test_nrp). Column generation proves exactly that.
    p = read_nrp(TINY)
    result = generate(p, clock=WorkClock(), time_limit=NO_LIMIT, seed=1)
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
    result = generate(heavy, clock=WorkClock(), time_limit=NO_LIMIT, seed=1)
    assert result.roster is not None and validate(heavy, result.roster) == []
    assert result.lower_bound is not None
    assert result.lower_bound <= total(heavy, result.roster)
    exact = solve(heavy, time_limit=60, seed=1, parameters=REPRODUCIBLE)
    assert exact.status is SolveStatus.OPTIMAL and exact.objective is not None
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
    result = generate(p, clock=WorkClock(), time_limit=NO_LIMIT, root_share=0.5, seed=1)
    assert result.lp_value is not None and abs(result.lp_value - 558) < 1e-6
    assert result.lower_bound == 558
    assert result.roster is not None
    assert validate(p, result.roster) == []
    assert total(p, result.roster) == 607


def test_usable_columns_agree_with_every_forced_assignment() -> None:
    p = read_nrp(TINY)
    cg = ColumnGeneration(p, clock=WorkClock())
    on_day0 = frozenset({("A", 0, "L", "ward"), ("A", 1, "D", "ward")})
    off_day0 = frozenset({("A", 1, "D", "ward"), ("A", 2, "D", "ward")})
    cg.add("A", on_day0, 0)
    cg.add("A", off_day0, 0)
    assert cg.usable({})["A"] == [0, 1]
    assert cg.usable({("A", 0, "L", "ward"): True})["A"] == [0]  # fires
    assert cg.usable({("A", 0, "L", "ward"): False})["A"] == [1]  # forbids
    assert cg.usable({("A", 1, "D", "ward"): True})["A"] == [0, 1]  # both have it
    assert cg.usable({("A", 1, "D", "ward"): False})["A"] == []


def test_usable_columns_kept_between_calls_follow_new_columns_and_fixes() -> None:
    # `usable` keeps each employee's last answer: a column added since, and a fix added
    # since, must still count (fires), and a fix taken back must free its columns again
    # (the kept answer is not a superset's: recomputed, does not fire)
    p = read_nrp(TINY)
    cg = ColumnGeneration(p, clock=WorkClock())
    late, day1 = ("A", 0, "L", "ward"), ("A", 1, "D", "ward")
    cg.add("A", frozenset({late, day1}), 0)
    cg.add("A", frozenset({day1}), 0)
    assert cg.usable({day1: True})["A"] == [0, 1]
    cg.add("A", frozenset({late}), 0)  # index 2, without day 1
    assert cg.usable({day1: True})["A"] == [0, 1]  # the new column, checked: not usable
    assert cg.usable({day1: True, late: False})["A"] == [1]  # the new fix filters 0 out
    assert cg.usable({late: True})["A"] == [0, 2]  # not a superset: all checked again
    assert cg.usable({})["A"] == [0, 1, 2]
    assert cg.usable({})["B"] == []


def test_dive_out_of_time_returns_each_employees_heaviest_column() -> None:
    # Instance1's root LP (558) is fractional: with no time left the dive cannot fix
    # anything, so it hands back every employee's heaviest root column. That roster
    # breaks no hard rule (each column is a legal schedule) but cannot beat the
    # published optimum 607.
    p = bench_nrp("Instance1")
    cg = ColumnGeneration(p, num_workers=1, seed=1, clock=WorkClock())
    with ThreadPoolExecutor(max_workers=1) as pool:
        cg.ensure_columns({}, pool)
        lp, _ = cg.generate({}, 10_000, FAR, pool)
        assert abs(lp.value - 558) < 1e-6
        roster = dive(cg, lp, deadline=0.0, pool=pool)  # past: perf_counter() is positive
    assert roster == heaviest_columns(cg, lp)
    heaviest = {
        eid: max((w, i) for (e, i), w in lp.weights.items() if e == eid) for eid in cg.columns
    }
    for eid, (_, index) in heaviest.items():
        mine = {(a.employee, a.day, a.shift, a.case) for a in roster if a.employee == eid}
        assert mine == set(cg.columns[eid][index])
    assert validate(p, roster) == []
    assert total(p, roster) >= 607


def _root_with_spy(
    smoothing: float, monkeypatch: pytest.MonkeyPatch
) -> tuple[float, float, list[str]]:
    """Instance1's root at `smoothing`: LP value, bound, and the events in order: "lp"
    for a master solve, "lp-duals" / "smoothed" for a pricing round at the LP's duals
    or at others."""
    p = bench_nrp("Instance1")
    cg = ColumnGeneration(p, num_workers=1, seed=1, clock=WorkClock())
    events: list[str] = []
    last: list[dict] = []
    solve_lp, price = ColumnGeneration.solve_lp, Pricer.price

    def spy_lp(self: ColumnGeneration, forced: dict) -> object:
        lp = solve_lp(self, forced)
        events.append("lp")
        last[:] = [lp.duals]
        return lp

    def spy_price(self: Pricer, duals: dict, *args: object) -> object:
        if duals:  # ensure_columns prices with none
            kind = "lp-duals" if duals == last[0] else "smoothed"
            if events[-1] != kind:  # one event per round
                events.append(kind)
        return price(self, duals, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ColumnGeneration, "solve_lp", spy_lp)
    monkeypatch.setattr(Pricer, "price", spy_price)
    with ThreadPoolExecutor(max_workers=1) as pool:
        cg.ensure_columns({}, pool)
        events.clear()
        lp, bound = cg.generate({}, 10_000, FAR, pool, smoothing=smoothing)
    assert bound is not None
    return lp.value, bound, events


@pytest.mark.parametrize("smoothing", [0.3, 0.95])
def test_smoothed_pricing_reaches_the_same_root_and_bound(
    smoothing: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Smoothing changes which duals are priced, never the master: converged, Instance1's
    # root LP is 558 and so is its bound (as unsmoothed, above).
    value, bound, events = _root_with_spy(smoothing, monkeypatch)
    assert events[:2] == ["lp", "lp-duals"]  # no best duals yet in the first round
    assert "smoothed" in events  # fires
    # a smoothed round that found no improving column (mis-pricing) is followed by one
    # at the same LP's duals, never by another smoothed one
    pairs = list(itertools.pairwise(events))
    assert ("smoothed", "smoothed") not in pairs
    if smoothing == 0.95:  # the first duals are poor: some fallback finds columns
        assert ("smoothed", "lp-duals") in pairs
    assert events[-1] in ("lp-duals", "lp")
    assert abs(value - 558) < 1e-6
    assert 557 < bound <= 558 + 1e-6


def test_unsmoothed_pricing_prices_the_lps_duals(monkeypatch: pytest.MonkeyPatch) -> None:
    value, bound, events = _root_with_spy(0.0, monkeypatch)
    assert "smoothed" not in events
    assert abs(value - 558) < 1e-6 and 557 < bound <= 558 + 1e-6


def _tiny_root() -> tuple[ColumnGeneration, ThreadPoolExecutor]:
    p = read_nrp(TINY)
    cg = ColumnGeneration(p, num_workers=1, seed=1, clock=WorkClock())
    pool = ThreadPoolExecutor(max_workers=1)
    cg.ensure_columns({}, pool)
    cg.generate({}, 10_000, FAR, pool)
    return cg, pool


def _dual_feasible_and_tight(cg: ColumnGeneration, lp: Lp, usable: dict) -> None:
    """`lp`'s duals price no usable column below zero and their objective (demands ×
    cover duals + convexity duals) equals the LP value: an optimal dual solution."""
    for eid, indices in usable.items():
        for i in indices:
            rc = reduced_cost(cg.columns[eid][i], cg.costs[eid][i], lp.duals)
            assert rc - lp.convexity[eid] >= -1e-6
    dual_value = sum(lp.duals[k] * d.required for k, d in cg.demands.items())
    assert abs(dual_value + sum(lp.convexity.values()) - lp.value) < 1e-6


def test_the_kept_master_solves_like_one_built_afresh() -> None:
    # The master is kept between solves (columns added, others bounded to zero); its
    # value must be that of a master built from scratch from the same columns, with
    # optimal duals. Converged, the tiny root is 100 (see above).
    cg, pool = _tiny_root()
    with pool:
        kept = cg.solve_lp({})
        fresh = Master(cg.problem, cg.columns, cg.costs).solve(cg.usable({}))
        assert abs(kept.value - 100) < 1e-6 and abs(fresh.value - kept.value) < 1e-6
        _dual_feasible_and_tight(cg, kept, cg.usable({}))
        # A off on day 0 (B is absent that day): both day-0 shifts open, 200 at least.
        # Columns that disagree are bounded to zero in the kept master (fires)...
        case = cg.problem.cases[0].id
        off = {("A", 0, "D", case): False, ("A", 0, "L", case): False}
        cg.ensure_columns(off, pool)
        cg.generate(off, 10_000, FAR, pool)
        node = cg.solve_lp(off)
        fresh = Master(cg.problem, cg.columns, cg.costs).solve(cg.usable(off))
        assert node.value >= 200 - 1e-6 and abs(fresh.value - node.value) < 1e-6
        assert all(cg.columns["A"][i].isdisjoint(off) for (e, i) in node.weights if e == "A")
        _dual_feasible_and_tight(cg, node, cg.usable(off))
        # ...and free again once the fix is gone (does not fire): back to 100
        assert abs(cg.solve_lp({}).value - 100) < 1e-6


def test_heading_in_gives_a_valid_bound_and_columns() -> None:
    # From zero duals, the first step's bound is every employee's cheapest own cost: 0
    # on the tiny instance (each can meet their requests); no step's bound may pass
    # the optimum 100, and each step's schedules become columns.
    p = read_nrp(TINY)
    cg = ColumnGeneration(p, num_workers=1, seed=1, clock=WorkClock())
    with ThreadPoolExecutor(max_workers=1) as pool:
        one = cg.heading_in(300.0, FAR, pool, steps=1)
        # (less a few millionths: CP-SAT's pricing allows for its rounded duals)
        assert one is not None and abs(one[0]) < 1e-4
        assert set(one[1].values()) == {0.0}
        before = sum(map(len, cg.columns.values()))
        assert before >= 2  # a column for each employee
        best = cg.heading_in(300.0, FAR, pool, steps=20)
        assert best is not None and -1e-4 <= best[0] <= 100 + 1e-6
        assert sum(map(len, cg.columns.values())) > before


def test_heading_in_only_from_an_initial_roster(monkeypatch: pytest.MonkeyPatch) -> None:
    # The big-pool path (`roster.nrp`) hands column generation the programme's roster
    # (`initial`): only then does the root begin with a heading-in.
    p = read_nrp(TINY)
    calls: list[float] = []
    heading_in = ColumnGeneration.heading_in

    def spy(self: ColumnGeneration, upper: float, *args: object, **kwargs: object) -> object:
        calls.append(upper)
        return heading_in(self, upper, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ColumnGeneration, "heading_in", spy)
    plain = generate(p, clock=WorkClock(), time_limit=NO_LIMIT, seed=1, num_workers=1)
    assert calls == [] and plain.lower_bound == 100  # does not fire
    assert plain.roster is not None
    started = generate(
        p, clock=WorkClock(), time_limit=NO_LIMIT, seed=1, num_workers=1, initial=plain.roster
    )
    assert len(calls) == 1  # fires
    assert started.lower_bound == 100 and started.roster is not None
    assert validate(p, started.roster) == []


def _pricing_limits(monkeypatch: pytest.MonkeyPatch, clock: WallClock) -> tuple[float, float]:
    """The deterministic and the wall-clock limit of one tiny CP-SAT pricing run on
    `clock`, with no deadline."""
    seen: list[tuple[float, float]] = []

    class Recording(cp_model.CpSolver):
        def solve(self, model: cp_model.CpModel, *args: Any) -> Any:
            seen.append(
                (self.parameters.max_deterministic_time, self.parameters.max_time_in_seconds)
            )
            return super().solve(model, *args)

    monkeypatch.setattr(cp_model, "CpSolver", Recording)
    _, proven = Pricer(read_nrp(TINY), "A", clock=clock).price({}, 1)
    assert proven is not None  # a week of one employee: proven either way
    (limits,) = seen
    return limits


def test_pricing_on_the_work_clock_is_given_work_not_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # fires: on the work clock the run's budget is `PRICING_SECONDS` of work (at
    # `WORK_PER_SECOND`), the wall clock only its guard; does not: on the wall clock it
    # is `PRICING_SECONDS` of wall time and no work cap (CP-SAT's default, unbounded)
    work, wall = _pricing_limits(monkeypatch, WorkClock())
    assert work == PRICING_SECONDS * WORK_PER_SECOND
    assert wall == WALL_GUARD_FACTOR * PRICING_SECONDS + WALL_GUARD_SECONDS
    work, wall = _pricing_limits(monkeypatch, WallClock())
    assert work == cp_model.CpSolver().parameters.max_deterministic_time
    assert wall == PRICING_SECONDS


@pytest.mark.parametrize(("clock", "rounds"), [(WorkClock(), DIVE_ROUNDS), (WallClock(), 1)])
def test_the_dive_prices_its_rounds_by_the_wall_clocks_pace_only_on_the_wall_clock(
    monkeypatch: pytest.MonkeyPatch, clock: WallClock, rounds: int
) -> None:
    # Every pricing round counted slow (`SLOW_ROUND` 0): on the wall clock the dive
    # prices one round a step (fires); on the work clock (reproducible) it keeps
    # `DIVE_ROUNDS` whatever the pace, which differs from run to run (does not).
    # Instance1's converged root (558) is fractional, so the dive takes steps.
    monkeypatch.setattr(dive_module, "SLOW_ROUND", 0.0)
    asked: list[int] = []
    generate_lp = ColumnGeneration.generate

    def spy(self: ColumnGeneration, forced: dict, rounds: int, *args: Any, **kwargs: Any) -> Any:
        asked.append(rounds)
        return generate_lp(self, forced, rounds, *args, **kwargs)

    p = bench_nrp("Instance1")
    cg = ColumnGeneration(p, num_workers=1, seed=1, clock=clock)
    with ThreadPoolExecutor(max_workers=1) as pool:
        cg.ensure_columns({}, pool)
        lp, _ = cg.generate({}, 10_000, FAR, pool)
        assert abs(lp.value - 558) < 1e-6  # fractional (see above): the dive steps
        monkeypatch.setattr(ColumnGeneration, "generate", spy)
        roster = dive(cg, lp, FAR, pool)
    assert roster is not None and validate(p, roster) == []
    assert asked and set(asked) == {rounds}
