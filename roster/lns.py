"""Large-neighbourhood search around CP-SAT, for any `RosterModel` objective.

With only two cores CP-SAT's built-in portfolio has room for one LNS worker; rosters
decompose well by person and by period, so we drive the neighbourhoods ourselves:
keep the incumbent, free the shifts of a few employees, of a window of days, of a few
employees over a longer window, of one or two shift types or of a few whole weekends
for everyone who works, and let CP-SAT re-solve that sub-problem exactly (with the
incumbent as hint). The shift-type neighbourhood took Curtois–Qu Instance8 from 1310
to 1307–1309 in 30 s (6 runs), where the others alone stayed at 1307–1310 (4 runs).
Neighbourhood sizes adapt: grow when the sub-problem is solved to optimality quickly,
shrink when it is not.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roster.clock import WallClock
from roster.interrupt import Interrupt

Key = tuple[str, int, str, str]  # employee, day, shift, case


@dataclass
class LnsStats:
    iterations: int = 0
    improvements: int = 0
    seconds: float = 0.0
    #: per neighbourhood: [tries, sub-problems solved to optimality, improvements]
    by_neighbourhood: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class _Neighbourhood:
    name: str
    size: float  # fraction of employees or days freed

    def grow(self) -> None:
        self.size = min(0.9, self.size * 1.15)

    def shrink(self) -> None:
        self.size = max(0.03, self.size / 1.15)


Spot = tuple[str | None, int, cp_model.IntVar]  # employee or None, day, penalty variable


def improve(
    model: cp_model.CpModel,
    x: dict[Key, cp_model.IntVar],
    incumbent: dict[Key, bool],
    value: int,
    deadline: float,
    seed: int = 0,
    num_workers: int = 2,
    subsolve_seconds: float = 2.0,
    trouble: list[Spot] | None = None,
    on_improvement: Callable[[int], None] | None = None,
    stop_at: int = 0,
    clock: WallClock | None = None,
    interrupt: Interrupt | None = None,
    weekends: Sequence[Sequence[int]] = (),
) -> tuple[dict[Key, bool], int, LnsStats]:
    """Improve `incumbent` (objective `value`) of `model` (objective already set) until
    `deadline`, a `clock.now()` value (`roster.clock`; the wall clock by default).
    Returns the best assignment found.

    `trouble`: penalty variables by (employee or None, day), e.g. under-cover and unmet
    requests (`RosterModel.trouble_spots`). Day windows are centred on a day with a
    penalised spot half of the time, and so is the first of two windows on a cover
    shortfall (the missing work has to come from elsewhere in the horizon); the
    "requests" neighbourhood frees an employee with a penalised spot together with a
    few others around that day.

    Each of the `num_workers` lanes starts its next sub-problem as soon as its last one
    ends, from the best assignment known at that moment. On a deterministic clock the
    lanes move in lock-step instead: a batch of sub-problems from the same incumbent,
    their results taken in the order they were started, the batch charged its longest
    sub-problem's work; then the same seed gives the same search. The search stops early
    once the objective reaches `stop_at` (a proven lower bound).

    `on_improvement(value)` is called with the new best value each time it strictly
    improves, in the calling thread (never in a lane), so it needs no locking; the last
    call, if any, carries the value returned.

    Once `interrupt` fires, the running sub-problems are stopped and none is started:
    the best assignment so far is returned.

    `weekends`: the days of each weekend (`RosterProblem.weekends`); with two or more,
    the "weekends" neighbourhood (`_weekend_keys`) frees a few whole weekends for
    everyone who works."""
    interrupt = interrupt or Interrupt()
    rng = random.Random(seed)
    clock = clock or WallClock()
    started = time.perf_counter()
    employees = sorted({k[0] for k in x})
    days = sorted({k[1] for k in x})
    if not employees or not days:
        return incumbent, value, LnsStats()
    by_employee: dict[str, list[Key]] = {}
    for key in x:
        by_employee.setdefault(key[0], []).append(key)
    spots = trouble or []
    hoods = [
        _Neighbourhood("employees", 0.1),
        _Neighbourhood("days", 0.25),
        _Neighbourhood("employees_x_days", 0.3),
        _Neighbourhood("two_windows", 0.12),
    ]
    if len({k[2] for k in x}) > 1:
        hoods.append(_Neighbourhood("shift_types", 0.3))
    if any(e is not None for e, _d, _v in spots):
        hoods.append(_Neighbourhood("requests", 0.15))
    if len(weekends) > 1:
        hoods.append(_Neighbourhood("weekends", 0.3))
        hoods.append(_Neighbourhood("weekend_trade", 0.15))
    stats = LnsStats()
    best, best_value = dict(incumbent), value
    hot: list[tuple[str | None, int]] = []
    on_day = _on_day(best)
    working = _working(on_day, employees)
    crews = _crews(best)
    running: dict[Future[cp_model.CpSolverStatus], tuple[_Neighbourhood, cp_model.CpSolver]] = {}
    turn = 0
    with ThreadPoolExecutor(max_workers=max(1, num_workers)) as pool:
        while True:
            remaining = deadline - clock.now()
            stop = remaining < 0.2 or best_value <= stop_at or interrupt.stopped
            while not stop and len(running) < max(1, num_workers):
                hood = hoods[turn % len(hoods)]
                turn += 1
                free = _choose(
                    hood,
                    rng,
                    employees,
                    working,
                    days,
                    x,
                    by_employee,
                    hot,
                    on_day=on_day,
                    crew=_one_crew(rng, crews),
                    weekends=weekends,
                )
                solver = cp_model.CpSolver()
                # one worker per sub-problem, LP-heavy: measured fastest on small windows
                solver.parameters.num_workers = 1
                solver.parameters.linearization_level = 2
                clock.limit(solver, min(subsolve_seconds, remaining))
                solver.parameters.random_seed = rng.randrange(1 << 30)
                future = pool.submit(
                    _solve_watched, interrupt, solver, sub_model(model, x, best, free)
                )
                running[future] = (hood, solver)
            if not running:
                break
            done, _ = wait(
                running, return_when=ALL_COMPLETED if clock.deterministic else FIRST_COMPLETED
            )
            finished = [future for future in running if future in done]  # in starting order
            if clock.deterministic:
                clock.spend(max(running[f][1].deterministic_time for f in finished))
            for future in finished:
                hood, solver = running.pop(future)
                status = future.result()
                stats.iterations += 1
                counts = stats.by_neighbourhood.setdefault(hood.name, [0, 0, 0])
                counts[0] += 1
                counts[1] += status == cp_model.OPTIMAL
                if status == cp_model.OPTIMAL:
                    hood.grow()
                else:
                    hood.shrink()
                if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    continue
                found = round(solver.objective_value)
                # every sub-solution is a complete assignment of the whole model, so one
                # started from an older incumbent is still a valid candidate
                if found <= best_value:
                    improved = found < best_value
                    stats.improvements += improved
                    counts[2] += improved
                    best_value = found
                    best = {key: solver.boolean_value(var) for key, var in x.items()}
                    hot = [(e, d) for e, d, var in spots if solver.value(var) > 0]
                    on_day = _on_day(best)
                    working = _working(on_day, employees)
                    crews = _crews(best)
                    if improved and on_improvement is not None:
                        on_improvement(found)
    stats.seconds = time.perf_counter() - started
    return best, best_value, stats


def _solve_watched(
    interrupt: Interrupt, solver: cp_model.CpSolver, model: cp_model.CpModel
) -> cp_model.CpSolverStatus:
    with interrupt.watching(solver):
        return solver.solve(model)


def sub_model(
    model: cp_model.CpModel, x: dict[Key, cp_model.IntVar], best: dict[Key, bool], free: set[Key]
) -> cp_model.CpModel:
    """A copy of `model` with every variable outside `free` fixed to the incumbent.

    The hint is written to the proto as two lists: a hint per variable through the
    Python API took about 0.1 s a sub-problem of Instance15 (6,726 assignment
    variables), a tenth of a 1 s sub-solve."""
    sub = model.clone()
    sub.clear_hints()
    indices = [var.index for var in x.values()]
    values = [int(best[key]) for key in x]
    sub.proto.solution_hint.vars.extend(indices)
    sub.proto.solution_hint.values.extend(values)
    variables = sub.proto.variables
    for key, index, value in zip(x, indices, values, strict=True):
        if key not in free:
            domain = variables[index].domain
            domain[0] = value
            domain[1] = value
    return sub


def _working(on_day: dict[tuple[str, int], str], employees: list[str]) -> list[str]:
    """The employees with at least one shift in `on_day` (`_on_day`), in `employees`
    order; all of them when nobody works yet."""
    busy = {employee for employee, _day in on_day}
    return [e for e in employees if e in busy] or employees


def _crews(assignment: dict[Key, bool]) -> list[list[str]]:
    """Per case (in case order), the employees with a shift on it in `assignment`."""
    by_case: dict[str, set[str]] = {}
    for (employee, _day, _shift, case), on in assignment.items():
        if on:
            by_case.setdefault(case, set()).add(employee)
    return [sorted(by_case[case]) for case in sorted(by_case)]


def _one_crew(rng: random.Random, crews: list[list[str]]) -> list[str] | None:
    """With several cases, three times in four one case's crew (at random), for the
    neighbourhoods of a few employees to pick from; else None (everyone who works).
    Each case's cover is held by its own crew, so two members of different crews freed
    together can trade no shift of either case: five cases from a pool of 60 freed two
    or three of 25 workers, mostly from different cases."""
    if len(crews) > 1 and rng.random() < 0.75:
        return rng.choice(crews)
    return None


def _on_day(assignment: dict[Key, bool]) -> dict[tuple[str, int], str]:
    """The shift each employee works on each day in `assignment` (days off absent)."""
    return {(key[0], key[1]): key[2] for key, on in assignment.items() if on}


def _pick_employees(
    rng: random.Random,
    count: int,
    employees: list[str],
    working: list[str],
    among: list[str] | None = None,
) -> set[str]:
    """`count` employees who work in the incumbent, and half of the time one who does
    not. In a pool much larger than the teams (døgnindsats: 40 for a team of 5) most
    employees have no shift, and freeing them frees nothing: from a roster with a team
    of 6, sub-problems of random employees never found the team of 5 in 25 s (4 seeds
    of 4), because that takes all of the team's shifts freed at once. `among`: the
    workers to pick from (one case's crew), all of `working` by default."""
    among = among or working
    picked = set(rng.sample(among, min(count, len(among))))
    idle = [e for e in employees if e not in working]
    if idle and rng.random() < 0.5:
        picked.add(rng.choice(idle))
    return picked


def _shift_type_keys(
    rng: random.Random,
    size: float,
    working: list[str],
    on_day: dict[tuple[str, int], str],
    x: dict[Key, cp_model.IntVar],
) -> set[Key]:
    """The shifts of one type (two types with probability `size`) of every employee
    who works, over the whole horizon, on the days they work that type or are off;
    every other shift stays. Who works which nights (or evenings) is redistributed at
    once, which no window of days or few employees does."""
    types = sorted({k[2] for k in x})
    chosen = set(rng.sample(types, 1 + (rng.random() < size)))
    team = set(working)
    return {
        k for k in x if k[0] in team and k[2] in chosen and on_day.get((k[0], k[1]), k[2]) in chosen
    }


def _short_weekends(
    weekends: Sequence[Sequence[int]], hot: list[tuple[str | None, int]]
) -> list[int]:
    """The weekends with a day short of cover in `hot`, once for each such day."""
    return [i for i, days in enumerate(weekends) for e, d in hot if e is None and d in days]


def _weekend_keys(
    rng: random.Random,
    size: float,
    weekends: Sequence[Sequence[int]],
    hot: list[tuple[str | None, int]],
    people: set[str],
    x: dict[Key, cp_model.IntVar],
) -> set[Key]:
    """The shifts of `people` on a few weekends (a `size` share of them, two at least),
    each with the Friday before and the Monday after; half of the time one of them a
    weekend short of cover. Where everyone works their most weekends (Curtois–Qu
    Instance18: all 22 staff at 6 of 12) the cover of a weekend comes from another
    weekend, and the work a weekend gains from the weekdays around it; a window of
    days rarely holds two weekends, and a few employees over the horizon lack the
    others who would fill the weekend they leave."""
    count = min(len(weekends), max(2, round(size * len(weekends))))
    chosen = rng.sample(range(len(weekends)), count)
    short = _short_weekends(weekends, hot)
    if short and rng.random() < 0.5:
        first = rng.choice(short)
        if first not in chosen:
            chosen[0] = first
    window = {d + step for i in chosen for d in weekends[i] for step in (-1, 0, 1)}
    return {k for k in x if k[1] in window and k[0] in people}


def _weekend_trade_keys(
    rng: random.Random,
    size: float,
    weekends: Sequence[Sequence[int]],
    hot: list[tuple[str | None, int]],
    on_day: dict[tuple[str, int], str],
    employees: list[str],
    x: dict[Key, cp_model.IntVar],
) -> set[Key]:
    """A weekend short of cover (one at random when none is) and a partner weekend, for
    a few employees who work exactly one of the two, over the week around each (Monday
    before to Tuesday after); and everyone's shifts on both weekends' own days. Where
    nearly everyone works their most weekends (Curtois-Qu Instance15: 40 of 45 staff at
    3 of 3) the person a short weekend cell lacks must give up another weekend, and the
    runs and days off around both change with it: a move of one employee over some 18
    days, which the "weekends" neighbourhood (everyone, Friday to Monday) rarely finishes
    in a short sub-solve and never reaches past the Friday and Monday."""
    short = _short_weekends(weekends, hot)
    first = rng.choice(short) if short else rng.randrange(len(weekends))
    partner = rng.choice([i for i in range(len(weekends)) if i != first])

    def works(employee: str, weekend: int) -> bool:
        return any((employee, d) in on_day for d in weekends[weekend])

    traders = [e for e in employees if works(e, first) != works(e, partner)]
    count = min(len(traders), max(2, round(size * len(employees))))
    people = set(rng.sample(traders, count))
    # Monday before to Tuesday after: a run through the weekend and the days off
    # around it move together
    window = {min(weekends[i]) + step for i in (first, partner) for step in range(-5, 4)}
    weekend_days = {d for i in (first, partner) for d in weekends[i]}
    return {k for k in x if (k[0] in people and k[1] in window) or k[1] in weekend_days}


def _choose(
    hood: _Neighbourhood,
    rng: random.Random,
    employees: list[str],
    working: list[str],
    days: list[int],
    x: dict[Key, cp_model.IntVar],
    by_employee: dict[str, list[Key]],
    hot: list[tuple[str | None, int]],
    *,
    on_day: dict[tuple[str, int], str] | None = None,
    crew: list[str] | None = None,
    weekends: Sequence[Sequence[int]] = (),
) -> set[Key]:
    """The keys `hood` frees. `crew`: one case's workers (`_one_crew`), for the
    neighbourhoods of a few employees or of a shift type to draw from instead of all."""
    among = crew or working
    if hood.name == "employees":
        # two at least: one employee freed alone keeps every shift where a cover of
        # exactly one (a døgnindsats) holds it; two can swap blocks
        count = max(2, round(hood.size * len(among)))
        chosen = _pick_employees(rng, count, employees, working, among)
        return {k for e in chosen for k in by_employee[e]}
    if hood.name == "days":
        width = max(2, round(hood.size * len(days)))
        start = rng.randrange(0, max(1, len(days) - width + 1))
        if hot and rng.random() < 0.5:
            day = rng.choice(hot)[1]
            if day in days:
                start = max(0, min(len(days) - width, days.index(day) - width // 2))
        window = set(days[start : start + width])
        # for those who work (and half of the time one who does not): in a pool much
        # larger than the team, the idle employees' days freed too made each window a
        # search over the pool (one case, pool 40: a window of 17 days found no roster,
        # not even the incumbent, in 3 s; over the team it has the incumbent at once)
        people = _pick_employees(rng, len(working), employees, working)
        return {k for k in x if k[1] in window and k[0] in people}
    if hood.name == "two_windows":
        # work moves between periods only when both are free (hours limits tie them)
        width = max(1, round(hood.size * len(days)))
        starts = rng.sample(range(max(1, len(days) - width + 1)), 2)
        shortfalls = [d for e, d in hot if e is None and d in days]
        if shortfalls and rng.random() < 0.5:
            # one window on a cover shortfall: the work it lacks comes from the other
            centre = days.index(rng.choice(shortfalls))
            starts[0] = max(0, min(len(days) - width, centre - width // 2))
        window = {d for a in starts for d in days[a : a + width]}
        people = _pick_employees(rng, len(working), employees, working)  # as for "days"
        return {k for k in x if k[1] in window and k[0] in people}
    if hood.name == "shift_types":
        return _shift_type_keys(rng, hood.size, among, on_day or {}, x)
    if hood.name == "weekends":
        people = _pick_employees(rng, len(working), employees, working)  # as for "days"
        return _weekend_keys(rng, hood.size, weekends, hot, people, x)
    if hood.name == "weekend_trade":
        return _weekend_trade_keys(rng, hood.size, weekends, hot, on_day or {}, employees, x)
    if hood.name == "requests":
        personal = [(e, d) for e, d in hot if e is not None]
        if personal:
            # the employee with an unmet request and a few others who might swap with
            # them, around the request's day
            employee, day = rng.choice(personal)
            count = max(1, round(hood.size * len(employees)))
            others = [e for e in employees if e != employee]
            picked = {employee, *rng.sample(others, min(len(others), count))}
            # a week either side, more once the sub-problems are easy (size past 0.5)
            reach = max(7, round(max(0.0, hood.size - 0.5) * len(days)))
            lo, hi = day - reach, day + reach
            return {k for k in x if k[0] in picked and lo <= k[1] <= hi}
    count = max(2, round(hood.size * len(among)))
    picked = _pick_employees(rng, count, employees, working, among)
    # half the horizon, more once the sub-problems are easy (size past 0.5)
    width = max(3, round(max(0.5, hood.size) * len(days)))
    start = rng.randrange(0, max(1, len(days) - width + 1))
    window = set(days[start : start + width])
    return {k for k in x if k[0] in picked and k[1] in window}
