"""The stages of a solve: one search for each priority level of a lexicographic
objective (one for a weighted sum), run in order by `roster.solve`, and what holds the
levels between them.

- `solve_stage`: one level's search within its budget: a CP-SAT run, then the LNS
  (`roster.lns`) from its roster and a last CP-SAT run to raise the bound; `Progress`
  passes the rosters found on to the caller's `on_solution`.
- Between stages: what a roster in hand costs on a level (`level_start`,
  `report_held`), the levels a hint already proves at 0 (`levels_at_zero`), the levels
  held lower where a later roster reaches less (`hold_lower_levels`), and the bound
  given the levels held (`bound_given`).
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from roster.bound import lexicographic_bound
from roster.clock import WallClock
from roster.interrupt import Interrupt
from roster.lns import improve
from roster.model import Key, RosterModel
from roster.model_terms import LEVEL_CHANGES
from roster.parameters import SearchParameters
from roster.problem import Assignment, Roster, RosterProblem
from roster.result import StageResult
from solving.status import SolveStatus


class Progress:
    """`roster.solve.solve`'s `on_solution`, fed by every search of the last level:
    forwards only strictly better values, plus `offset` (the values the earlier levels
    are fixed at).

    The filter is needed because the last CP-SAT run of a stage starts over and may
    find rosters worse than the LNS result before it reaches it again."""

    def __init__(self, on_solution: Callable[[int, int], None]) -> None:
        self.on_solution = on_solution
        self.offset = 0
        self.bound_offset = 0  # the levels held's bounds (`roster.solve._solve`'s `proven_total`)
        self.last: int | None = None

    def __call__(self, value: int, bound: int) -> None:
        objective = self.offset + value
        if self.last is not None and objective >= self.last:
            return
        self.last = objective
        self.on_solution(objective, self.bound_offset + bound)

    def finish(self, objective: int, bound: int) -> None:
        if objective != self.last:
            self.last = objective
            self.on_solution(objective, bound)


class _SolutionCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[int, int], None] | None, stop_at: int | None) -> None:
        super().__init__()
        self.report = report
        self.stop_at = stop_at

    def on_solution_callback(self) -> None:
        value = round(self.objective_value)
        if self.report is not None:
            self.report(value, round(self.best_objective_bound))
        if self.stop_at is not None and value <= self.stop_at:
            self.stop_search()


def _run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    clock: WallClock,
    report: Callable[[int, int], None] | None,
    stop_at: int | None = None,
    interrupt: Interrupt | None = None,
) -> cp_model.CpSolverStatus:
    # no callback object unless someone listens or waits for a target: CP-SAT then never
    # calls into Python
    with (interrupt or Interrupt()).watching(solver):
        if report is None and stop_at is None:
            status = solver.solve(model)
        else:
            status = solver.solve(model, _SolutionCallback(report, stop_at))
    clock.spend(solver.deterministic_time)
    return status


def solve_stage(
    rm: RosterModel,
    budget: float,
    params: SearchParameters,
    seed: int,
    clock: WallClock,
    report: Callable[[int, int], None] | None = None,
    good_enough: int | None = None,
    interrupt: Interrupt | None = None,
    start: tuple[dict[Key, bool], int] | None = None,
) -> tuple[SolveStatus, int, int, dict[Key, bool] | None]:
    """Minimise the model's current objective within `budget` seconds of `clock`, or
    until a roster reaches `good_enough`.

    Without LNS: one CP-SAT run. With LNS: a first CP-SAT run on a fraction of the
    budget; if that is not already optimal, LNS (`roster.lns`) from its solution, then a
    last CP-SAT run hinted with the LNS result to raise the bound (or prove optimality).
    `report(value, bound)` gets every solution of the CP-SAT runs and every LNS
    improvement (with the first run's bound), whether or not it beats the earlier ones.
    Once `interrupt` fires, the stage returns what it has without starting another run.
    `start`: a roster of this model and its value (an earlier level's roster), for the
    LNS to start from when the first run finds none.
    """
    interrupt = interrupt or Interrupt()
    deadline = clock.now() + budget
    first = (
        budget
        if not params.lns
        else max(params.lns_initial_seconds, budget * params.lns_initial_fraction)
    )
    solver = _configure(params, min(first, budget), seed, clock)
    status = SolveStatus.from_cp_sat(_run(solver, rm.model, clock, report, good_enough, interrupt))
    searching = (
        status is SolveStatus.UNKNOWN
        and params.lns
        and deadline - clock.now() > 0.5
        and not interrupt.stopped
    )
    if searching and start is not None:
        # the earlier level's roster is a roster of this one: the LNS takes over from
        # it at once (another CP-SAT run would spend its time in presolve again: five
        # cases, pool 60, 12-20 s a run on the loaded 2-core machine)
        status = SolveStatus.FEASIBLE
        solution, (value, bound) = dict(start[0]), (start[1], 0)
    else:
        if searching:
            # no roster yet: keep searching, but only until the first one (LNS takes over)
            solver = _configure(params, deadline - clock.now(), seed, clock)
            solver.parameters.stop_after_first_solution = True
            status = SolveStatus.from_cp_sat(_run(solver, rm.model, clock, report, None, interrupt))
        if not status.found:
            return status, 0, 0, None
        value, bound = round(solver.objective_value), round(solver.best_objective_bound)
        solution = {key: solver.boolean_value(var) for key, var in rm.x.items()}
    reached = good_enough is not None and value <= good_enough
    if status is SolveStatus.OPTIMAL or not params.lns or reached or interrupt.stopped:
        return status, value, bound, solution
    final = budget * params.lns_final_fraction
    solution, value, _ = improve(
        rm.model,
        rm.x,
        solution,
        value,
        deadline - final,
        seed=seed,
        num_workers=params.num_workers,
        subsolve_seconds=params.lns_subsolve_seconds,
        trouble=rm.trouble_spots(),
        # weekends as a neighbourhood only where a weekend limit ties them to each other
        weekends=rm.problem.weekends if _limits_weekends(rm.problem) else (),
        on_improvement=None if report is None else lambda found: report(found, bound),
        stop_at=max(bound, good_enough or 0),
        clock=clock,
        interrupt=interrupt,
    )
    if value <= bound:
        return SolveStatus.OPTIMAL, value, bound, solution
    if good_enough is not None and value <= good_enough:
        return SolveStatus.FEASIBLE, value, bound, solution
    remaining = deadline - clock.now()
    if remaining > 0.5 and not interrupt.stopped:
        rm.add_hint(roster_of(solution), complete_seconds=min(2.0, remaining / 4), clock=clock)
        solver = _configure(params, deadline - clock.now(), seed, clock)
        rerun = SolveStatus.from_cp_sat(_run(solver, rm.model, clock, report, None, interrupt))
        if rerun.found:
            bound = max(bound, round(solver.best_objective_bound))
            if round(solver.objective_value) <= value:
                value = round(solver.objective_value)
                solution = {key: solver.boolean_value(var) for key, var in rm.x.items()}
            if rerun is SolveStatus.OPTIMAL:
                return SolveStatus.OPTIMAL, value, value, solution
    return (SolveStatus.OPTIMAL if value <= bound else SolveStatus.FEASIBLE), value, bound, solution


def _configure(
    params: SearchParameters, time_limit: float, seed: int, clock: WallClock
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = params.num_workers
    clock.limit(solver, time_limit)
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = params.linearization_level
    solver.parameters.symmetry_level = params.symmetry_level
    solver.parameters.log_search_progress = params.log
    if params.light_presolve:
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.max_presolve_iterations = 1
    return solver


def bound_objective(model: cp_model.CpModel, lower_bound: int) -> None:
    """Start CP-SAT's objective bound at `lower_bound` (valid for every roster, so it
    cuts nothing off), as the objective's own domain rather than a linear constraint:
    `objective >= lower_bound` as a constraint slowed CP-SAT's proofs down (Instance1,
    hinted with its optimum, seeds 0-3: 0.45-7.6 s to prove it against 0.3-0.4 s with
    the domain or with no bound at all)."""
    objective = model.proto.objective
    objective.domain.clear()
    # the domain applies to the objective's terms, before its offset is added
    objective.domain.extend([math.ceil(lower_bound - objective.offset), cp_model.INT_MAX])


def _limits_weekends(problem: RosterProblem) -> bool:
    """Whether any employee may work only so many weekends (`Employee.max_weekends`)."""
    return any(e.max_weekends is not None for e in problem.employees)


def roster_of(solution: dict[Key, bool]) -> Roster:
    return tuple(sorted(Assignment(d, s, c, e) for (e, d, s, c), on in solution.items() if on))


def _floors(stages: list[StageResult]) -> dict[int, int]:
    """Level → what it costs at least: its search's bound, and never below 0 (every
    term is >= 0; CP-SAT's bound of a level cut short before its first roster is the
    expression's least value, five cases seed 2: -986,400)."""
    return {st.level: max(0, st.bound) for st in stages}


def bound_given(
    problem: RosterProblem, held: list[StageResult], plan_levels: list[int], rhythm: bool
) -> int | None:
    """`lexicographic_bound` given the levels `held`: at most their values, at least
    their floors; with `rhythm`, with `roster.rhythm_bound`."""
    values = {st.level: st.objective or 0 for st in held}
    return lexicographic_bound(problem, values, plan_levels, floors=_floors(held), rhythm=rhythm)


def hold_lower_levels(
    problem: RosterProblem,
    rm: RosterModel,
    plan: list[tuple[int, cp_model.LinearExpr]],
    stages: list[StageResult],
    solution: dict[Key, bool],
) -> tuple[list[StageResult], int]:
    """`stages` (the levels held) with the values `solution` reaches where lower, each
    now held there in `rm`, and how much lower they are in all: the cases re-planned
    alone (`roster.by_case`) may reach cover 0 where the cover level was held above it
    unproven (five cases, seed 2: held at 1,440). A level held at its bound is then
    proven at that value, and the later levels' bound follows it (`lexicographic_bound`)."""
    from roster.validate import evaluate

    expressions = dict(plan)
    costs = evaluate(problem, roster_of(solution))  # once for every level
    reached: dict[int, int] = defaultdict(int)
    for name, term in rm.terms.items():
        reached[term.level] += costs.get(name, 0)
    held: list[StageResult] = []
    lowered = 0
    for st in stages:
        value = reached[st.level]
        if (
            st.objective is not None
            and value < st.objective
            and st.level in expressions
            and st.level != LEVEL_CHANGES
        ):
            rm.model.add(expressions[st.level] <= value)
            lowered += st.objective - value
            st = dataclasses.replace(st, objective=value)
        held.append(st)
    return held, lowered


def level_start(
    problem: RosterProblem, rm: RosterModel, solution: dict[Key, bool] | None, level: int
) -> tuple[dict[Key, bool], int] | None:
    """`solution` (a roster of the model, the earlier levels held) with the value of
    priority `level`'s terms for it, recomputed by the validator (the model's terms
    and `evaluate` agree: tests/roster/test_objective.py)."""
    from roster.validate import evaluate

    if solution is None:
        return None
    costs = evaluate(problem, roster_of(solution))
    return solution, sum(costs.get(n, 0) for n, term in rm.terms.items() if term.level == level)


def report_held(
    progress: Progress,
    problem: RosterProblem,
    rm: RosterModel,
    solution: dict[Key, bool] | None,
    level: int,
    fixed_total: int,
    proven_total: int,
) -> None:
    """Report `solution`, a legal roster with the earlier levels held at `fixed_total`,
    to `progress` with no bound beyond those levels' (`proven_total`)."""
    held = level_start(problem, rm, solution, level)
    if held is not None:
        progress.offset, progress.bound_offset = fixed_total, proven_total
        progress(held[1], 0)


def levels_at_zero(problem: RosterProblem, rm: RosterModel, hint: Roster) -> set[int]:
    """Priority levels on which the hint costs nothing, if the hint breaks no hard rule."""
    from roster.validate import evaluate, validate

    if validate(problem, hint):
        return set()
    costs = evaluate(problem, hint)
    levels: dict[int, int] = {}
    for name, term in rm.terms.items():
        if term.variables:
            levels[term.level] = levels.get(term.level, 0) + costs.get(name, 0)
    return {level for level, cost in levels.items() if cost == 0 and level != LEVEL_CHANGES}
