"""Column generation priced by the per-employee dynamic programme (`roster.programme`):
the same reduced costs as the CP-SAT pricer where the programme is exact, a valid bound
where it relaxes the per-type and weekend maxima, and only legal columns."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

import roster.dive as dive_module
from roster import Assignment, Roster, RosterProblem, schedule_paths, total, validate
from roster.best_responses import first_roster
from roster.clock import WorkClock
from roster.columns import PROGRAMME_PRICING_DAYS, ColumnGeneration, _columns_of, generate
from roster.dive import _fixes_per_step, _heaviest_per_slot, _weekend_partners, best_dive
from roster.master import Column, Lp
from roster.pricing import Pricer, ProgrammePricer
from roster.programme import EmployeeProgramme
from roster.read_nrp import parse_nrp, read_nrp
from tests.roster.instances import FAR, bench_nrp
from tests.roster.test_columns import NO_LIMIT, TINY
from tests.roster.test_sequences import one_person_week
from tests.roster.test_windows import generated_nrp


def _random_duals(p: RosterProblem, seed: int) -> dict[tuple[str, int, str], float]:
    rng = random.Random(seed)
    return {(c.case, c.day, c.shift): float(rng.randrange(0, 120)) for c in p.cover}


def _legal(p: RosterProblem, column: Column) -> bool:
    roster = tuple(Assignment(day, shift, case, eid) for eid, day, shift, case in column)
    return validate(p, roster) == []


@pytest.mark.parametrize("seed", range(4))
def test_programme_prices_like_cp_sat_when_no_maximum_binds(seed: int) -> None:
    # No per-type maximum below the week's length: the programme states every rule of
    # the employee, so its best column is CP-SAT's proven optimum of own cost minus
    # duals, and its bound is that same value.
    p = parse_nrp(one_person_week(seed), name="week")
    duals = _random_duals(p, seed)
    programme = ProgrammePricer(p, "A")
    found, bound = programme.price(duals, seed)
    exact, proven = Pricer(p, "A", clock=WorkClock()).price(duals, seed)
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
    found, bound = ProgrammePricer(p, "A").price(duals, seed)
    _, proven = Pricer(p, "A", clock=WorkClock()).price(duals, seed)
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
    pricer = ProgrammePricer(p, "A")
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
    assert all(isinstance(pricer, ProgrammePricer) for pricer in cg.pricers.values())
    result = generate(
        p, time_limit=NO_LIMIT, root_share=0.5, seed=1, programme=True, clock=WorkClock()
    )
    assert result.lp_value is not None and abs(result.lp_value - 558) < 1e-6
    assert result.lower_bound is not None and 550 <= result.lower_bound <= 558
    assert result.roster is not None and validate(p, result.roster) == []


def test_the_programme_prices_long_horizons_by_default_and_cp_sat_short_ones() -> None:
    # PROGRAMME_PRICING_DAYS = 42: a 6-week generated instance is priced by the
    # programme (fires), Instance1's 14 days by CP-SAT (does not fire), and either can
    # be asked for.
    long = generated_nrp(weeks=PROGRAMME_PRICING_DAYS // 7, staff=2)
    assert all(
        isinstance(pricer, ProgrammePricer) for pricer in ColumnGeneration(long).pricers.values()
    )
    short = bench_nrp("Instance1")
    assert all(isinstance(pricer, Pricer) for pricer in ColumnGeneration(short).pricers.values())
    assert all(
        isinstance(pricer, Pricer)
        for pricer in ColumnGeneration(long, programme=False).pricers.values()
    )


def test_a_gap_left_by_the_programme_is_closed_by_cp_sat_when_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Seed 1 capped at two D (test_sequences: the cap binds), the cap priced rather
    # than counted (no maximum small enough to count): where the programme's prices
    # leave a gap, an exact pricing asks CP-SAT (fires) and its bound is CP-SAT's
    # proven minimum; with no cap the programme is tight and CP-SAT is never built.
    monkeypatch.setattr(schedule_paths, "SMALL_MAXIMUM", 0)
    capped = parse_nrp(one_person_week(1, max_d=2), name="week")
    duals = _random_duals(capped, 1)
    pricer = ProgrammePricer(capped, "A")
    _, relaxed = pricer.price(duals, 1)
    # the programme is deterministic: at these duals its prices leave the gap, always
    assert not pricer.tight
    found, bound = pricer.price(duals, 1, None, True)
    _, proven = Pricer(capped, "A", clock=WorkClock()).price(duals, 1)
    assert pricer.fallback is not None and pricer.tight
    assert proven is not None and relaxed is not None and bound is not None
    assert relaxed <= bound and abs(bound - proven) < 1e-5
    assert abs(found[-1][0] - proven) < 1e-5
    free = parse_nrp(one_person_week(1), name="week")
    tight = ProgrammePricer(free, "A")
    tight.price(_random_duals(free, 1), 1, None, True)
    assert tight.tight and tight.fallback is None


@pytest.mark.parametrize("seed", range(4))
def test_a_small_maximum_is_counted_and_priced_exactly(seed: int) -> None:
    # At most two D, the cap binding (the duals pay for more): counted in the
    # programme's state (fires), its best column is CP-SAT's proven minimum and its
    # bound that same value, with no CP-SAT fallback; every column keeps the cap.
    p = parse_nrp(one_person_week(seed, max_d=2), name="week")
    duals = {key: value + 60 for key, value in _random_duals(p, seed).items()}
    pricer = ProgrammePricer(p, "A")
    found, bound = pricer.price(duals, seed)
    _, proven = Pricer(p, "A", clock=WorkClock()).price(duals, seed)
    counted = pricer.programme.counted()
    assert counted is not None and counted.dims == [2]
    assert proven is not None and bound is not None
    assert abs(bound - proven) < 1e-5 and abs(found[-1][0] - proven) < 1e-5
    assert pricer.tight and pricer.fallback is None
    for _, column, _ in found:
        assert _legal(p, column) and sum(1 for k in column if k[2] == "D") <= 2


@pytest.mark.parametrize("seed", range(3))
def test_weekends_at_a_small_maximum_are_counted_and_priced_exactly(seed: int) -> None:
    # Four weeks, at most one weekend worked of four, every shift paid for: the weekend
    # maximum binds and is counted (a weekend on its Saturday for any work, on its
    # Sunday for a run that starts there); the programme's best column is CP-SAT's
    # proven minimum and keeps the maximum.
    p = generated_nrp(weeks=4, staff=1, max_weekends=1)
    rng = random.Random(seed)
    duals = {(c.case, c.day, c.shift): float(rng.randrange(50, 150)) for c in p.cover}
    pricer = ProgrammePricer(p, "E0")
    found, bound = pricer.price(duals, seed)
    _, proven = Pricer(p, "E0", clock=WorkClock()).price(duals, seed)
    counted = pricer.programme.counted()
    assert counted is not None and counted.weekend_dim >= 0
    assert proven is not None and bound is not None
    # (CP-SAT's proven value allows some millionths a day for its rounded duals)
    assert abs(bound - proven) < 1e-4 and abs(found[-1][0] - proven) < 1e-4
    weekend_days = {d for w in p.weekends for d in w}
    for _, column, _ in found:
        assert _legal(p, column)
        worked = {w for w, days in enumerate(p.weekends) for k in column if k[1] in days}
        assert len(worked) <= 1 and all(k[1] >= 0 for k in column)
    assert any(k[1] in weekend_days for k in found[-1][1])  # the weekend paid for


def test_a_maximum_above_the_small_ones_is_still_priced(monkeypatch: pytest.MonkeyPatch) -> None:
    # With `SMALL_MAXIMUM` below the cap of two D nothing is counted (does not fire):
    # the cap is priced, its bound at most CP-SAT's proven minimum.
    monkeypatch.setattr(schedule_paths, "SMALL_MAXIMUM", 1)
    p = parse_nrp(one_person_week(1, max_d=2), name="week")
    duals = _random_duals(p, 1)
    pricer = ProgrammePricer(p, "A")
    _, bound = pricer.price(duals, 1)
    _, proven = Pricer(p, "A", clock=WorkClock()).price(duals, 1)
    assert pricer.programme.counted() is None
    assert proven is not None and bound is not None and bound <= proven + 1e-5


def week_with_twin_shifts(seed: int) -> str:
    """`one_person_week` with a third shift E, D's twin (8 h, no rotation rule either
    way), so that the minimised automaton merges states and collapses edges."""
    text = one_person_week(seed).replace("L,600,D\n", "L,600,D|E\nE,480,\n")
    text = text.replace("A,D=7|L=7,", "A,D=7|L=7|E=7,")
    rng = random.Random(seed + 100)
    return text + "".join(f"{d},E,1,{rng.randrange(1, 50)},1\n" for d in range(7))


def full_automaton_best(programme: EmployeeProgramme, score: np.ndarray, price: float) -> float:
    """The most any of the 4^7 schedules is worth that the full (unminimised) automaton
    and the hours allow, charging `price` per weekend as the programme does."""
    auto = programme.automaton
    assert auto is not None
    successor: dict[tuple[int, int], int] = {}
    for symbol, (targets, sources) in enumerate(auto.into):
        for t, row in zip(targets, sources, strict=True):
            for src in row:
                if src != len(auto.states):
                    successor[(int(src), symbol)] = int(t)
    best = -math.inf
    for path in itertools.product(range(len(programme.symbols)), repeat=len(score)):
        state, units = 0, 0
        for symbol in path:
            state = successor.get((state, symbol), -1)
            units += int(programme.length[symbol])
            if state < 0:
                break
        if state < 0 or not programme.lower <= units <= programme.upper:
            continue
        value = float(sum(score[d, k] for d, k in enumerate(path)))
        best = max(best, value - price * programme._charged_weekends(list(path)))
    return best


@pytest.mark.parametrize("seed", range(3))
def test_the_minimised_programme_finds_the_best_path_of_the_full_automaton(seed: int) -> None:
    # D and E are twins: their states have the same futures and merge, and their edges
    # collapse into one whose day's gain is the better of the two. On random scores,
    # with and without a weekend price, the minimised programme's best value is the
    # best of all 4^7 paths through the full automaton, and its path is worth it.
    p = parse_nrp(week_with_twin_shifts(seed), name="week")
    programme = EmployeeProgramme(p, p.employee["A"])
    flat = programme.paths._edges()
    assert programme.automaton is not None
    assert flat.states < len(programme.automaton.states)  # merged
    assert flat.members.shape[1] == 2  # D and E on one edge
    rng = np.random.default_rng(seed)
    score = rng.integers(0, 100, size=programme.cost.shape).astype(float) - programme.cost
    for weekend_price in (0.0, 37.0):
        exact = programme.paths.solve_exact(score, weekend_price, alternatives=3)
        assert exact is not None
        path, value = exact
        worth = float(sum(score[d, k] for d, k in enumerate(path)))
        worth -= weekend_price * programme._charged_weekends(path)
        assert abs(worth - value) < 1e-6
        assert abs(value - full_automaton_best(programme, score, weekend_price)) < 1e-6


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


def test_a_first_roster_seeds_the_root_so_its_lp_is_no_worse() -> None:
    # The programme's first roster, given as `initial`, is a solution of the master
    # (one column per employee, legal): the root LP's value can only be at or below
    # its objective, however many rounds the time allows; every schedule of it is a
    # column of its employee's.
    p = generated_nrp(weeks=2, staff=3)
    roster = first_roster(p, FAR)
    assert roster is not None and not validate(p, roster)
    seeded = generate(p, 30.0, programme=True, initial=roster, num_workers=1, clock=WorkClock())
    assert seeded.lp_value is not None and seeded.lp_value <= total(p, roster) + 1e-6
    columns = _columns_of(p, roster)
    assert set(columns) == {e.id for e in p.employees}
    assert sum(map(len, columns.values())) == len(roster)


def test_heaviest_per_slot_takes_the_first_days_before_heavier_others() -> None:
    # day 5 is among `first` (a weekend day): its 0.3 comes before day 1's 0.7; with no
    # `first` the heavier comes first (the test above)
    fractional = {("A", 1, "D", "ward"): 0.7, ("A", 5, "L", "ward"): 0.3}
    assert _heaviest_per_slot(fractional, frozenset({5, 6})) == [
        ("A", 5, "L", "ward"),
        ("A", 1, "D", "ward"),
    ]
    assert _heaviest_per_slot(fractional)[0] == ("A", 1, "D", "ward")


def test_a_weekend_day_fixed_takes_the_heaviest_of_its_other_day_along() -> None:
    # A's Saturday (5) is fixed: A's heavier Sunday (6) shift D comes along. B's
    # Saturday too, but B's Sunday is fixed already: nothing. A's Monday (7) is no
    # weekend day: nothing.
    partner_day = {5: 6, 6: 5}
    step = {("A", 5, "L", "ward"): True, ("B", 5, "L", "ward"): True, ("A", 7, "D", "ward"): True}
    open_ = {
        ("A", 6, "D", "ward"): 0.4,
        ("A", 6, "L", "ward"): 0.3,
        ("B", 6, "L", "ward"): 0.5,
        ("A", 8, "D", "ward"): 0.5,
    }
    forced = {("B", 6, "E", "ward"): True}
    assert _weekend_partners(step, open_, forced, partner_day) == {("A", 6, "D", "ward"): True}


def _dives(
    monkeypatch: pytest.MonkeyPatch, rosters: list[Roster], lp_short: float
) -> tuple[Roster | None, list[bool]]:
    """`best_dive` on TINY with dives that return `rosters` in turn, from a root LP
    `lp_short` persons short: the roster kept and each dive's `weekends_first`."""
    p = read_nrp(TINY)
    given = iter(rosters)
    asked: list[bool] = []

    class Dives:
        def __init__(self) -> None:
            self.problem = p
            self.demands = {(c.case, c.day, c.shift): c for c in p.cover}

    def dive(cg: object, lp: object, deadline: float, pool: object, weekends_first: bool) -> Roster:
        asked.append(weekends_first)
        return next(given)

    monkeypatch.setattr(dive_module, "dive", dive)
    root = Lp(0.0, {}, {}, {}, under=lp_short, under_cost=100 * lp_short)
    kept = best_dive(Dives(), root, FAR, None, dives=len(rosters))  # type: ignore[arg-type]
    return kept, asked


#: On TINY (10 persons demanded in 7 days, two requests) the empty roster costs 1,005
#: (10 short), A's day shift on day 0 905 (9 short).
EMPTY: Roster = ()
ONE_SHIFT: Roster = (Assignment(0, "D", "ward", "A"),)


def test_the_best_of_several_dives_is_kept_and_every_other_fixes_weekends_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a root LP 1 person short: dives 10 and 9 short leave more than
    # `DIVE_AGAIN_SHORT` (1) more short, so all three dive; the second is the cheapest
    p = read_nrp(TINY)
    assert (total(p, EMPTY), total(p, ONE_SHIFT)) == (1005, 905)
    kept, asked = _dives(monkeypatch, [EMPTY, ONE_SHIFT, EMPTY], lp_short=1.0)
    assert asked == [False, True, False]
    assert kept == ONE_SHIFT


def test_no_further_dive_once_one_is_about_as_short_as_the_root_lp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a root LP 8.5 persons short (9 whole): the first dive, 9 short, is within
    # `DIVE_AGAIN_SHORT` of it, so it is the only one
    kept, asked = _dives(monkeypatch, [ONE_SHIFT, EMPTY], lp_short=8.5)
    assert asked == [False]
    assert kept == ONE_SHIFT


def _programme_and_gain(p: RosterProblem, seed: int) -> tuple[EmployeeProgramme, np.ndarray]:
    programme = EmployeeProgramme(p, p.employee["A"])
    gain = np.zeros((p.days, len(programme.symbols)))
    for (_case, day, shift), value in _random_duals(p, seed).items():
        gain[day, programme.symbols.index(shift)] = value
    return programme, gain


def _value(programme: EmployeeProgramme, gain: np.ndarray, path: list[int]) -> float:
    return float(sum(gain[d, k] - programme.cost[d, k] for d, k in enumerate(path)))


@pytest.mark.parametrize("seed", [0, 1])
def test_repair_mends_the_relaxed_optimum_over_a_maximum_into_a_legal_schedule(
    seed: int,
) -> None:
    # At most two D, priced (not counted), one price round from zero prices: the
    # programme's optimum works D on more days (the maximum broken), so without repair
    # the only schedule is the fallback with no D at all; with it, the same optimum kept
    # to two D on its best days (fires): legal, exactly two D, and worth more than the fallback.
    p = parse_nrp(one_person_week(seed, max_d=2), name="week")
    plain, gain = _programme_and_gain(p, seed)
    unrepaired = plain.price(gain, rounds=1, counted=False)
    mended, _ = _programme_and_gain(p, seed)
    repaired = mended.price(gain, rounds=1, repair=True, counted=False)
    d = plain.symbols.index("D")
    assert all(d not in path for path in unrepaired.schedules)
    with_d = [path for path in repaired.schedules if path.count(d) == 2]
    assert with_d
    for path in repaired.schedules:
        column = frozenset(
            ("A", day, str(plain.symbols[k]), "ward") for day, k in enumerate(path) if k
        )
        assert _legal(p, column)
    best_plain = max(_value(plain, gain, path) for path in unrepaired.schedules)
    assert _value(mended, gain, with_d[0]) > best_plain
    assert repaired.bound == unrepaired.bound  # the bound is the relaxation's either way


def test_repair_changes_nothing_where_no_maximum_is_broken() -> None:
    # No cap: the relaxed optimum is legal and proven best, so nothing is mended (does
    # not fire): the same schedules with repair as without.
    p = parse_nrp(one_person_week(1), name="week")
    plain, gain = _programme_and_gain(p, 1)
    mended, _ = _programme_and_gain(p, 1)
    assert (
        plain.price(gain, rounds=3).schedules == mended.price(gain, rounds=3, repair=True).schedules
    )
