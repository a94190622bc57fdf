"""Decomposition of the batch by office: each office's cases on its own staff, solved in
parallel on an executor, then the cases that cross offices settled in a final pass.

Works on the batch model's `AssignmentCore` (`matcher.batch_model`), so the parts and
the final pass are the same CP-SAT model as the whole-book solve, only smaller:

- every agent (consultant, coordinator, office pool) belongs to its office;
- a case belongs to the office most of its candidate pairs lead to, unless someone on
  it today works for another office: then it *crosses* offices and waits for the final
  pass (all its seats together, so primary ≠ support still holds);
- part *o* = the items of office *o*'s cases with their pairs to office *o*'s agents,
  at the agents' full capacities (no other part uses those agents);
- the final pass = the crossing cases and every case a part left with a seat empty,
  on every agent, with the capacity the parts left over;
- the plan is read back on the whole model (`solution_result`): its objective, KPIs
  and diff are the whole book's, directly comparable with `matcher.batch.optimize`.

Nothing is proven about the whole (each part ignores the others' staff): the status is
FEASIBLE and no bound is given. `scripts/bench_decompose.py` measures when this pays;
on the demo book it does not (see docs/scale-out.md), so it is a setting, off by default.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from matcher.batch_model import BatchModel, BatchResult, build_batch_model, objective_of
from matcher.batch_model import solution_result as read_plan
from matcher.core import AssignmentCore, CoreResult, SolveOptions, solve_core
from matcher.greedy import greedy_pairs
from matcher.problem import MatchProblem
from solving.executor import Executor, InlineExecutor, Task
from solving.status import SolveStatus

#: The part of the cases that cross offices.
CROSSING = -1


@dataclass(frozen=True)
class SubCore:
    """A part of a core: its own core, and its items and pairs in the whole one."""

    core: AssignmentCore
    items: tuple[int, ...]
    pairs: tuple[int, ...]
    hint: tuple[int, ...]


def agent_offices(problem: MatchProblem, model: BatchModel) -> list[int]:
    """The office of every agent of the model."""
    offices = []
    for kind, ident in model.agents:
        if kind == "consultant":
            offices.append(problem.consultant_by_id[ident].office_id)
        elif kind == "coordinator":
            offices.append(problem.coordinator_by_id[ident].office_id)
        else:
            offices.append(ident)
    return offices


def case_parts(problem: MatchProblem, model: BatchModel) -> dict[int, int]:
    """Case id → its office's id, or `CROSSING`."""
    core, office_of = model.core, agent_offices(problem, model)
    candidates: dict[int, Counter[int]] = defaultdict(Counter)
    today: dict[int, set[int]] = defaultdict(set)
    for p, (item, agent) in enumerate(zip(core.pair_item, core.pair_agent, strict=True)):
        case_id = model.seats[item].case_id
        candidates[case_id][office_of[agent]] += 1
        if core.current_pair[item] == p:
            today[case_id].add(office_of[agent])
    parts: dict[int, int] = {}
    for seat in model.seats:
        counts = candidates[seat.case_id]
        home = min(counts, key=lambda o: (-counts[o], o)) if counts else CROSSING
        parts[seat.case_id] = home if today[seat.case_id] <= {home} else CROSSING
    return parts


def sub_core(
    core: AssignmentCore,
    items: Sequence[int],
    agents: set[int] | None,
    capacities: Sequence[Sequence[int]] | None = None,
    pools: Sequence[tuple[tuple[int, ...], int, int]] | None = None,
    hint: Sequence[int] = (),
) -> SubCore:
    """The core of `items` with their pairs to `agents` (None: every agent), at the
    given `capacities` and `pools` (default: the whole core's)."""
    position = {item: k for k, item in enumerate(items)}
    pairs = [
        p
        for p, (i, a) in enumerate(zip(core.pair_item, core.pair_agent, strict=True))
        if i in position and (agents is None or a in agents)
    ]
    new_pair = {p: k for k, p in enumerate(pairs)}
    groups = tuple(
        kept
        for group in core.distinct_groups
        if len(kept := tuple(position[i] for i in group if i in position)) > 1
    )
    part = AssignmentCore(
        n_items=len(items),
        n_agents=core.n_agents,
        capacities=tuple(tuple(c) for c in (capacities or core.capacities)),
        pair_item=tuple(position[core.pair_item[p]] for p in pairs),
        pair_agent=tuple(core.pair_agent[p] for p in pairs),
        pair_score=tuple(core.pair_score[p] for p in pairs),
        pair_use=tuple(core.pair_use[p] for p in pairs),
        required=tuple(core.required[i] for i in items),
        unplaced_penalty=tuple(core.unplaced_penalty[i] for i in items),
        current_pair=tuple(new_pair.get(core.current_pair[i], -1) for i in items),
        stability=tuple(core.stability[i] for i in items),
        distinct_groups=groups,
        pools=tuple(pools if pools is not None else core.pools),
    )
    part_hint = tuple(new_pair.get(hint[i], -1) for i in items) if hint else ()
    return SubCore(part, tuple(items), tuple(pairs), part_hint)


def solve_part(part: SubCore, time_limit: float, seed: int, deterministic: bool) -> tuple[int, ...]:
    """What an executor runs for a part: the whole core's pair of each of its items
    (-1: left empty, also when no solution was found)."""
    options = SolveOptions(
        time_limit=time_limit, seed=seed, num_workers=1, deterministic=deterministic
    )
    result: CoreResult = solve_core(part.core, options, hint=list(part.hint) or None)
    if not result.pair_of_item:
        return (-1,) * len(part.items)
    return tuple(part.pairs[p] if p >= 0 else -1 for p in result.pair_of_item)


def _left_over(
    core: AssignmentCore, chosen: dict[int, int]
) -> tuple[list[list[int]], list[tuple[tuple[int, ...], int, int]]]:
    """Capacities and pools less what the chosen pairs use."""
    capacities = [list(c) for c in core.capacities]
    used_by_agent: dict[int, list[int]] = defaultdict(lambda: [0] * len(core.capacities[0]))
    for p in chosen.values():
        agent = core.pair_agent[p]
        for r, use in enumerate(core.pair_use[p]):
            capacities[agent][r] -= use
            used_by_agent[agent][r] += use
    pools = [
        (agents, r, cap - sum(used_by_agent[a][r] for a in agents if a in used_by_agent))
        for agents, r, cap in core.pools
    ]
    return capacities, pools


def optimize_by_office(
    problem: MatchProblem,
    executor: Executor | None = None,
    time_limit: float = 10.0,
    seed: int = 0,
    *,
    deterministic: bool = False,
) -> BatchResult:
    """The batch re-optimised office by office on `executor` (default: in this process),
    then the crossing cases; see the module docstring. Each part and the final pass get
    `time_limit` (deterministic units if `deterministic`)."""
    started = time.perf_counter()
    model = build_batch_model(problem)
    core = model.core
    hint = greedy_pairs(problem, model)
    parts = case_parts(problem, model)
    office_of = agent_offices(problem, model)
    items_of: dict[int, list[int]] = defaultdict(list)
    for item, seat in enumerate(model.seats):
        items_of[parts[seat.case_id]].append(item)
    tasks = [
        Task(
            f"office-{office}",
            solve_part,
            (
                sub_core(
                    core,
                    items,
                    {a for a, o in enumerate(office_of) if o == office},
                    hint=hint,
                ),
                time_limit,
                seed,
                deterministic,
            ),
        )
        for office, items in sorted(items_of.items())
        if office != CROSSING
    ]
    chosen: dict[int, int] = {}
    settled_cases: set[int] = set()
    for finished in (executor or InlineExecutor()).run(tasks):
        office = int(finished.key.removeprefix("office-"))
        pairs = finished.value if finished.value is not None else ()
        by_case: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for item, p in zip(items_of[office], pairs, strict=True):
            by_case[model.seats[item].case_id].append((item, p))
        for case_id, seats in by_case.items():
            if all(p >= 0 for _, p in seats):  # else the whole case goes to the final pass
                chosen.update(seats)
                settled_cases.add(case_id)
    rest = [i for i, seat in enumerate(model.seats) if seat.case_id not in settled_cases]
    capacities, pools = _left_over(core, chosen)
    final = sub_core(core, rest, None, capacities, pools)
    for item, p in zip(rest, solve_part(final, time_limit, seed, deterministic), strict=True):
        chosen[item] = p
    pair_of_item = [chosen.get(i, -1) for i in range(core.n_items)]
    scale = problem.settings.score_scale
    return read_plan(
        problem,
        model,
        pair_of_item,
        SolveStatus.FEASIBLE,
        objective_of(model, pair_of_item) / scale,
        None,
        None,
        time.perf_counter() - started,
    )
