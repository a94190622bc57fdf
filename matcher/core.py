"""The assignment core: the one CP-SAT model behind batch re-optimisation and GAP.

Generic data: *items* (seats of cases, or GAP jobs) go to *agents* (consultants,
coordinators, or GAP agents) through *eligible pairs*, each with an integer score and a
use of every resource (hours, cases, …). Agents have integer capacities per resource.
An item may carry a current pair (today's assignment) whose loss costs `stability`;
an optional item left unassigned costs `unplaced_penalty`; a required item must be
assigned. Items in the same *distinct group* go to different agents (primary ≠ support).

Objective (maximised)::

    Σ score(pair)·x(pair) − Σ stability(item)·[item leaves its current pair]
                          − Σ unplaced_penalty(item)·[item unassigned]

The domain snapshot (`matcher.batch`) and an OR-Library GAP instance (`matcher.gap`)
both map onto `AssignmentCore` and are solved by the same `solve_core`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solving.status import SolveStatus


@dataclass(frozen=True)
class AssignmentCore:
    """Plain integer data; pair `p` links `pair_item[p]` to `pair_agent[p]`."""

    n_items: int
    n_agents: int
    #: capacities[agent][resource]
    capacities: tuple[tuple[int, ...], ...]
    pair_item: tuple[int, ...]
    pair_agent: tuple[int, ...]
    pair_score: tuple[int, ...]
    #: pair_use[p][resource]
    pair_use: tuple[tuple[int, ...], ...]
    required: tuple[bool, ...]
    unplaced_penalty: tuple[int, ...]
    #: Index of the item's current pair, or -1.
    current_pair: tuple[int, ...]
    stability: tuple[int, ...]
    #: Groups of items that must go to pairwise different agents.
    distinct_groups: tuple[tuple[int, ...], ...] = ()
    #: Shared capacities: (agents, resource, capacity) — the pairs of all these agents
    #: together use at most `capacity` of `resource` (e.g. an office's coordinators).
    pools: tuple[tuple[tuple[int, ...], int, int], ...] = ()

    def __post_init__(self) -> None:
        n_pairs = len(self.pair_item)
        for name in ("pair_agent", "pair_score", "pair_use"):
            if len(getattr(self, name)) != n_pairs:
                raise ValueError(
                    f"AssignmentCore.{name}: {len(getattr(self, name))} entries, "
                    f"expected {n_pairs} (one per pair)"
                )
        for name in ("required", "unplaced_penalty", "current_pair", "stability"):
            if len(getattr(self, name)) != self.n_items:
                raise ValueError(f"AssignmentCore.{name}: expected {self.n_items} entries")
        if len(self.capacities) != self.n_agents:
            raise ValueError(f"AssignmentCore.capacities: expected {self.n_agents} agents")
        for p, (i, a) in enumerate(zip(self.pair_item, self.pair_agent, strict=True)):
            if not (0 <= i < self.n_items and 0 <= a < self.n_agents):
                raise ValueError(f"pair {p}: item {i} or agent {a} out of range")
        for i, p in enumerate(self.current_pair):
            if p >= 0 and self.pair_item[p] != i:
                raise ValueError(f"item {i}: current_pair {p} belongs to another item")

    @property
    def n_pairs(self) -> int:
        return len(self.pair_item)


def objective_coefficients(core: AssignmentCore) -> tuple[list[int], int]:
    """The objective as one coefficient per pair plus a constant: the stability cost
    becomes a bonus on the current pair, the unplaced penalty a bonus on every pair of
    its item (so the LP bound stays tight and a relaxation prices pairs alone)."""
    coefficient = list(core.pair_score)
    constant = 0
    pairs_of_item: list[list[int]] = [[] for _ in range(core.n_items)]
    for p, i in enumerate(core.pair_item):
        pairs_of_item[i].append(p)
    for i in range(core.n_items):
        if core.current_pair[i] >= 0 and core.stability[i]:
            coefficient[core.current_pair[i]] += core.stability[i]
            constant -= core.stability[i]
        if not core.required[i] and core.unplaced_penalty[i]:
            for p in pairs_of_item[i]:
                coefficient[p] += core.unplaced_penalty[i]
            constant -= core.unplaced_penalty[i]
    return coefficient, constant


@dataclass(frozen=True)
class CoreResult:
    status: SolveStatus
    #: Objective of the best solution found (None if none), with the constant offset.
    objective: int | None
    #: Best proven upper bound on the objective (maximisation).
    bound: float | None
    runtime: float
    #: Chosen agent per item, -1 if unassigned (empty if no solution).
    agent_of_item: tuple[int, ...]
    #: Chosen pair per item, -1 if unassigned.
    pair_of_item: tuple[int, ...]

    @property
    def gap(self) -> float | None:
        """Relative gap (bound − objective) / max(1, |objective|)."""
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, self.bound - self.objective) / max(1.0, abs(self.objective))


class CoreModel:
    """Builds the CP-SAT model of an `AssignmentCore`: variables, constraints, objective."""

    def __init__(self, core: AssignmentCore, hint: list[int] | None = None) -> None:
        self.core = core
        self.model = cp_model.CpModel()
        self.x: list[cp_model.IntVar] = []
        self.pairs_of_item: list[list[int]] = [[] for _ in range(core.n_items)]
        self.pairs_of_agent: list[list[int]] = [[] for _ in range(core.n_agents)]
        for p, (i, a) in enumerate(zip(core.pair_item, core.pair_agent, strict=True)):
            self.pairs_of_item[i].append(p)
            self.pairs_of_agent[a].append(p)
        self.add_variables()
        self.add_one_agent_per_item()
        self.add_capacities()
        self.add_distinct_agents()
        self.add_pools()
        self.add_objective()
        self.add_hint(hint)

    def add_variables(self) -> None:
        """x[p] = 1 iff pair p is chosen."""
        self.x = [self.model.new_bool_var(f"x{p}") for p in range(self.core.n_pairs)]

    def add_one_agent_per_item(self) -> None:
        """A required item gets exactly one agent, an optional one at most one."""
        for i, pairs in enumerate(self.pairs_of_item):
            literals = [self.x[p] for p in pairs]
            if self.core.required[i]:
                self.model.add_exactly_one(literals)
            elif len(literals) > 1:
                self.model.add_at_most_one(literals)

    def add_capacities(self) -> None:
        """Per agent and resource, the chosen pairs' use stays within capacity (skipped
        when even all eligible pairs together fit)."""
        core = self.core
        for a, pairs in enumerate(self.pairs_of_agent):
            for r, cap in enumerate(core.capacities[a]):
                uses = [(core.pair_use[p][r], p) for p in pairs if core.pair_use[p][r] > 0]
                if sum(u for u, _ in uses) <= cap:
                    continue
                self.model.add(sum(u * self.x[p] for u, p in uses) <= cap)

    def add_distinct_agents(self) -> None:
        """Items of one distinct group (the seats of one case) use different agents."""
        core = self.core
        for group in core.distinct_groups:
            by_agent: dict[int, list[int]] = defaultdict(list)
            for i in group:
                for p in self.pairs_of_item[i]:
                    by_agent[core.pair_agent[p]].append(p)
            for pairs in by_agent.values():
                if len(pairs) > 1:
                    self.model.add_at_most_one(self.x[p] for p in pairs)

    def add_pools(self) -> None:
        """Shared capacity of a set of agents."""
        core = self.core
        for agents, r, cap in core.pools:
            uses = [
                (core.pair_use[p][r], p)
                for a in agents
                for p in self.pairs_of_agent[a]
                if core.pair_use[p][r] > 0
            ]
            if sum(u for u, _ in uses) > cap:
                self.model.add(sum(u * self.x[p] for u, p in uses) <= cap)

    def add_objective(self) -> None:
        """Score, minus stability for leaving a current pair, minus the unplaced penalty."""
        coefficient, self.constant = objective_coefficients(self.core)
        terms = [(c, self.x[p]) for p, c in enumerate(coefficient) if c]
        self.model.maximize(sum(c * v for c, v in terms) + self.constant)

    def add_hint(self, hint: list[int] | None) -> None:
        """Start from a given solution (pair per item, -1 = none; complete hints help
        CP-SAT most), else from today's assignment."""
        chosen = set(hint if hint is not None else self.core.current_pair)
        if hint is None:
            for p in chosen:
                if p >= 0:
                    self.model.add_hint(self.x[p], 1)
            return
        for p, var in enumerate(self.x):
            self.model.add_hint(var, 1 if p in chosen else 0)


#: Full workers used when only 2–4 threads are available, best first.
SMALL_PORTFOLIO = ("max_lp_sym", "max_lp", "quick_restart", "core")


class SolutionCallback(cp_model.CpSolverSolutionCallback):
    """Forwards (objective, bound) of every improving solution to `report`."""

    def __init__(self, report: Callable[[float, float], None]) -> None:
        super().__init__()
        self.report = report

    def on_solution_callback(self) -> None:
        self.report(self.objective_value, self.best_objective_bound)


@dataclass(frozen=True)
class SolveOptions:
    """How to run CP-SAT on a core: shared by `solve_core` and
    `matcher.bounded.solve_bounded`, so the two take the same knobs.

    `time_limit` is wall-clock seconds (deterministic units with `deterministic`, which
    also uses interleaved search, so the same seed gives the same result whatever the
    machine load). `lp_level` is CP-SAT's linearization level: 2 (full LP, default)
    proves the domain models fast; the pure GAP benchmarks do better with CP-SAT's
    default 1. `relative_gap` stops early at that gap (not a proof)."""

    time_limit: float = 10.0
    seed: int = 0
    num_workers: int = 8
    deterministic: bool = False
    relative_gap: float = 0.0
    log: bool = False
    lp_level: int = 2


def solve_core(
    core: AssignmentCore,
    options: SolveOptions = SolveOptions(),
    *,
    hint: list[int] | None = None,
    on_solution: Callable[[float, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CoreResult:
    """Solve with CP-SAT as `options` say.

    `should_stop()` is polled while CP-SAT runs; once it holds, the search stops and the
    best solution found so far is returned (FEASIBLE, or UNKNOWN if there was none)."""
    time_limit, lp_level = options.time_limit, options.lp_level
    started = time.perf_counter()
    built = CoreModel(core, hint)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = options.seed
    params.num_workers = max(1, options.num_workers)
    params.relative_gap_limit = options.relative_gap
    params.log_search_progress = options.log
    # The full LP relaxation (at-most-ones and capacities) is what proves these models
    # optimal quickly. CP-SAT's portfolio for few workers runs without it, so name the
    # LP-heavy workers explicitly there (measured on the demo book: 2 workers went from
    # no proof in 20 s to a proof in about 1 s).
    params.linearization_level = lp_level
    if lp_level >= 2 and params.num_workers in (2, 3, 4):
        params.subsolvers.extend(SMALL_PORTFOLIO[: params.num_workers])
    if options.deterministic:
        params.interleave_search = True
        params.max_deterministic_time = time_limit
    else:
        # the model build counts against the limit (a time limit is a promise)
        params.max_time_in_seconds = max(0.01, time_limit - (time.perf_counter() - started))
    callback = SolutionCallback(on_solution) if on_solution is not None else None
    with _stopped_when(solver, should_stop):
        code = solver.solve(built.model, callback)
    status = SolveStatus.from_cp_sat(code)
    runtime = time.perf_counter() - started
    if status.found:
        pair_of_item = [-1] * core.n_items
        for p, var in enumerate(built.x):
            if solver.boolean_value(var):
                pair_of_item[core.pair_item[p]] = p
        agents = tuple(core.pair_agent[p] if p >= 0 else -1 for p in pair_of_item)
        objective = round(solver.objective_value)
        bound = float(solver.best_objective_bound)
        if status is SolveStatus.OPTIMAL and bound > objective + 1e-6:
            # CP-SAT says OPTIMAL when it stops at `relative_gap`; that is not a proof.
            status = SolveStatus.FEASIBLE
        if status is SolveStatus.OPTIMAL:
            bound = float(objective)
        return CoreResult(status, objective, bound, runtime, agents, tuple(pair_of_item))
    bound_value = None if status is SolveStatus.INFEASIBLE else float(solver.best_objective_bound)
    return CoreResult(status, None, bound_value, runtime, (), ())


@contextlib.contextmanager
def _stopped_when(
    solver: cp_model.CpSolver, should_stop: Callable[[], bool] | None, poll_seconds: float = 0.05
) -> Iterator[None]:
    """Stop `solver`'s search once `should_stop()` holds, polled from a watcher thread
    (CP-SAT stops a running search when asked from another thread). The request is
    repeated on every poll: one made just before the search started is lost."""
    if should_stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(poll_seconds):
            if should_stop():
                solver.stop_search()

    watcher = threading.Thread(target=watch, name="matcher-stop", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
