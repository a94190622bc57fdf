"""Column generation priced by the per-employee dynamic programme (`roster.sequences`):
the same reduced costs as the CP-SAT pricer where the programme is exact, a valid bound
where it relaxes the per-type and weekend maxima, and only legal columns."""

from __future__ import annotations

import random

import numpy as np
import pytest

from roster import Assignment, validate
from roster.columns import (
    PROGRAMME_PRICING_DAYS,
    ColumnGeneration,
    _fixes_per_step,
    _heaviest_per_slot,
    _Pricer,
    _ProgrammePricer,
    generate,
)
from roster.read_nrp import parse_nrp
from roster.sequences import EmployeeProgramme
from tests.roster.instances import bench_nrp
from tests.roster.test_sequences import one_person_week
from tests.roster.test_windows import generated_nrp


def _random_duals(p, seed: int) -> dict[tuple[str, int, str], float]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    return {(c.case, c.day, c.shift): float(rng.randrange(0, 120)) for c in p.cover}


def _legal(p, column) -> bool:  # type: ignore[no-untyped-def]
    roster = tuple(Assignment(day, shift, case, eid) for eid, day, shift, case in column)
    return validate(p, roster) == []


@pytest.mark.parametrize("seed", range(4))
def test_programme_prices_like_cp_sat_when_no_maximum_binds(seed: int) -> None:
    # No per-type maximum below the week's length: the programme states every rule of
    # the employee, so its best column is CP-SAT's proven optimum of own cost minus
    # duals, and its bound is that same value.
    p = parse_nrp(one_person_week(seed), name="week")
    duals = _random_duals(p, seed)
    programme = _ProgrammePricer(p, "A")
    found, bound = programme.price(duals, seed)
    exact, proven = _Pricer(p, "A").price(duals, seed)
    assert proven is not None and bound is not None
    assert found and abs(found[-1][0] - exact[-1][0]) < 1e-6
    assert abs(bound - proven) < 1e-3
    assert all(_legal(p, column) for _, column, _ in found)
    assert programme.fallback is None  # CP-SAT was not needed


@pytest.mark.parametrize("seed", range(4))
def test_a_binding_maximum_gives_a_bound_below_the_optimum_and_legal_columns(
    seed: int,
) -> None:
    # At most two D shifts: relaxed by a price, so the bound may lie below CP-SAT's
    # proven minimum but never above it; every column it reports keeps the maximum.
    p = parse_nrp(one_person_week(seed, max_d=2), name="week")
    duals = _random_duals(p, seed)
    found, bound = _ProgrammePricer(p, "A").price(duals, seed)
    _, proven = _Pricer(p, "A").price(duals, seed)
    assert proven is not None and bound is not None
    # (CP-SAT's proven value allows a few millionths for its rounded duals)
    assert bound <= proven + 1e-5
    for value, column, _ in found:
        assert _legal(p, column)
        assert sum(1 for k in column if k[2] == "D") <= 2
        assert value >= proven - 1e-5  # no legal column beats the proven minimum


def test_a_forced_assignment_is_kept_and_a_forbidden_one_avoided() -> None:
    p = parse_nrp(one_person_week(0), name="week")
    duals = _random_duals(p, 0)
    pricer = _ProgrammePricer(p, "A")
    found, _ = pricer.price(duals, 0, {("A", 0, "L", "ward"): True})
    assert found and all(("A", 0, "L", "ward") in column for _, column, _ in found)
    found, _ = pricer.price(duals, 0, {("A", 0, "L", "ward"): False})
    assert found and all(("A", 0, "L", "ward") not in column for _, column, _ in found)


def test_column_generation_by_the_programme_bounds_instance1_by_its_root() -> None:
    # Instance1 (published optimum 607 = UB = LB): its converged root LP is 558 with
    # either pricer (tests/roster/test_columns.py). Priced by the programme the bound
    # is valid, at most the LP (558) and at most the optimum, and the dive's roster legal.
    p = bench_nrp("Instance1")
    cg = ColumnGeneration(p, num_workers=1, seed=1, programme=True)
    assert all(isinstance(pricer, _ProgrammePricer) for pricer in cg.pricers.values())
    result = generate(p, time_limit=30, root_share=0.5, seed=1, programme=True)
    assert result.lp_value is not None and abs(result.lp_value - 558) < 1e-6
    assert result.lower_bound is not None and 550 <= result.lower_bound <= 558
    assert result.roster is not None and validate(p, result.roster) == []


def test_the_programme_prices_long_horizons_by_default_and_cp_sat_short_ones() -> None:
    # PROGRAMME_PRICING_DAYS = 56: an 8-week generated instance is priced by the
    # programme (fires), Instance1's 14 days by CP-SAT (does not fire), and either can
    # be asked for.
    long = generated_nrp(weeks=PROGRAMME_PRICING_DAYS // 7, staff=2)
    assert all(
        isinstance(pricer, _ProgrammePricer) for pricer in ColumnGeneration(long).pricers.values()
    )
    short = bench_nrp("Instance1")
    assert all(isinstance(pricer, _Pricer) for pricer in ColumnGeneration(short).pricers.values())
    assert all(
        isinstance(pricer, _Pricer)
        for pricer in ColumnGeneration(long, programme=False).pricers.values()
    )


def test_a_gap_left_by_the_programme_is_closed_by_cp_sat_when_exact() -> None:
    # Seed 1 capped at two D (test_sequences: the cap binds): where the programme's
    # prices leave a gap, an exact pricing asks CP-SAT (fires) and its bound is CP-SAT's
    # proven minimum; with no cap the programme is tight and CP-SAT is never built.
    capped = parse_nrp(one_person_week(1, max_d=2), name="week")
    duals = _random_duals(capped, 1)
    pricer = _ProgrammePricer(capped, "A")
    _, relaxed = pricer.price(duals, 1)
    if pricer.tight:
        pytest.skip("the programme's prices happened to close the gap")
    found, bound = pricer.price(duals, 1, None, True)
    _, proven = _Pricer(capped, "A").price(duals, 1)
    assert pricer.fallback is not None and pricer.tight
    assert proven is not None and relaxed is not None and bound is not None
    assert relaxed <= bound and abs(bound - proven) < 1e-5
    assert abs(found[-1][0] - proven) < 1e-5
    free = parse_nrp(one_person_week(1), name="week")
    tight = _ProgrammePricer(free, "A")
    tight.price(_random_duals(free, 1), 1, None, True)
    assert tight.tight and tight.fallback is None


@pytest.mark.parametrize("seed", range(3))
def test_the_exact_programme_finds_the_same_best_value_as_the_first_rosters(seed: int) -> None:
    # `_solve_exact` (pricing: float64, with its value) and `_solve` (first rosters)
    # run the same programme; on random day-by-shift scores, with and without a
    # weekend price, their best paths are worth the same, which is the value reported.
    p = parse_nrp(one_person_week(seed), name="week")
    programme = EmployeeProgramme(p, p.employee["A"])
    rng = np.random.default_rng(seed)
    score = rng.integers(0, 100, size=programme.cost.shape).astype(float) - programme.cost
    for weekend_price in (0.0, 37.0):
        first = programme._solve(score, weekend_price)
        exact = programme._solve_exact(score, weekend_price, alternatives=3)
        assert first is not None and exact is not None

        def worth(path: list[int], price: float = weekend_price) -> float:
            charged = programme._charged_weekends(path)
            return float(sum(score[d, k] for d, k in enumerate(path))) - price * charged

        assert abs(worth(first) - worth(exact[0])) < 1e-6
        assert abs(worth(exact[0]) - exact[1]) < 1e-6
        assert programme.alternatives  # more columns from other end states
        assert all(worth(path) <= exact[1] + 1e-6 for path in programme.alternatives)


def test_the_dive_fixes_one_a_step_while_its_pace_suffices_and_more_when_not() -> None:
    # 100 fractional slots (employee, day), 10 steps done in 10 s (1 s a step): with
    # 1,000 s left one a step suffices (does not fire); with 10 s left it needs about
    # 100 / 10 = 10 a step (fires). The first step, with no pace yet, fixes one.
    fractional = {(f"e{i % 10}", i // 10, "D", "ward"): 0.5 for i in range(100)}
    assert _fixes_per_step(fractional, steps=10, spent=10.0, left=1000.0) == 1
    assert _fixes_per_step(fractional, steps=10, spent=10.0, left=10.0) == 10
    assert _fixes_per_step(fractional, steps=0, spent=0.0, left=10.0) == 1
    assert _fixes_per_step(fractional, steps=10, spent=10.0, left=0.0) == 1  # out of time


def test_heaviest_per_slot_takes_one_shift_a_day_heaviest_first() -> None:
    fractional = {
        ("A", 0, "D", "ward"): 0.4,
        ("A", 0, "L", "ward"): 0.6,  # same employee and day: only the heavier
        ("B", 0, "D", "ward"): 0.5,
        ("A", 1, "D", "ward"): 0.7,
    }
    assert _heaviest_per_slot(fractional) == [
        ("A", 1, "D", "ward"),
        ("A", 0, "L", "ward"),
        ("B", 0, "D", "ward"),
    ]
