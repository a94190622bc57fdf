"""Lagrangian bounds of the assignment core and the pairs they prove useless.

Two relaxations of `AssignmentCore` (maximisation), each a true upper bound for any
multipliers, improved by subgradient steps (Polyak steps towards a known solution value):

- **capacity**: the capacities and pools move into the objective with prices λ ≥ 0;
  every item then takes its best pair at the reduced score
  ``score − Σ λ·use`` (or none, if optional). Cheap on any size; equals the LP bound at
  the best prices. Distinct groups are dropped (a relaxation too).
- **knapsack**: the one-agent-per-item constraints move into the objective with prices
  u (free for a required item, ≥ 0 for an optional one); every agent then solves a 0/1
  knapsack on its one binding resource (a dynamic programme over capacity). Usually far
  stronger than the LP bound on GAP-like cores; used when every agent has at most one
  binding resource, there are no binding pools, and the programme is small enough.

Either way ``pair_bound[p]`` bounds the objective of every solution that uses pair p
(the relaxation re-solved with p forced in) and ``without_bound[p]`` every solution
that does not. **Reduced-cost fixing** (`pairs_reaching`) keeps only what a solution
scoring at least a threshold may use: a pair whose bound is below it is dropped, and a
pair without which nothing reaches it is the only one its item keeps. Every solution at
or above the threshold stays in the reduced model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matcher.core import AssignmentCore, objective_coefficients

#: Stop the subgradient once the step factor has been halved below this.
_MIN_THETA = 1e-3
#: Halve the step factor after this many steps without a better bound.
_PATIENCE = 12
#: Largest knapsack work (pairs × capacity units, summed over agents) per step.
KNAPSACK_BUDGET = 3_000_000
#: Safety margin against floating-point error on integer objectives.
_EPS = 1e-6


@dataclass(frozen=True)
class Relaxation:
    kind: str
    #: Upper bound on the core objective (constant included).
    bound: float
    #: Per pair: upper bound on the objective of any solution choosing that pair.
    pair_bound: np.ndarray
    #: Per pair: upper bound on the objective of any solution *not* choosing it.
    without_bound: np.ndarray
    #: Per item: its best reduced score (capacity) or its price (knapsack).
    item_value: np.ndarray
    iterations: int


def pairs_reaching(core: AssignmentCore, relaxation: Relaxation, threshold: float) -> np.ndarray:
    """Mask of the pairs a solution scoring at least `threshold` may use: not those
    whose bound is below it, and, when leaving a pair out bounds every other solution
    below it, none of the other pairs of that pair's item (that pair is needed)."""
    keep = relaxation.pair_bound >= threshold - _EPS
    needed = np.flatnonzero(relaxation.without_bound < threshold - _EPS)
    if len(needed):
        item = np.asarray(core.pair_item)
        keep &= ~np.isin(item, item[needed])
        keep[needed] = True
    return keep


def relax(
    core: AssignmentCore,
    target: float | None = None,
    deadline: float | None = None,
    max_iterations: int = 300,
    prices: np.ndarray | None = None,
) -> Relaxation:
    """The stronger affordable relaxation of `core` (see the module docstring).
    `target` is the value of a known solution (steers the step size); `deadline` a
    `time.perf_counter()` value after which the best multipliers so far are used.
    `prices` (a knapsack relaxation's `item_value` for the same items) warm-starts it."""
    knapsack = KnapsackRelaxation.of(core)
    if knapsack is not None and prices is not None:
        return knapsack.solve(target, deadline, max_iterations, start=None, prices=prices)
    capacity = CapacityRelaxation(core).solve(target, deadline, max_iterations)
    if knapsack is None:
        return capacity
    return knapsack.solve(target, deadline, max_iterations, start=capacity)


class _Items:
    """Pairs grouped by item, for per-item maxima."""

    def __init__(self, core: AssignmentCore) -> None:
        self.core = core
        self.coefficient, self.constant = objective_coefficients(core)
        self.score = np.array(self.coefficient, dtype=float)
        self.item = np.array(core.pair_item, dtype=np.int64)
        self.agent = np.array(core.pair_agent, dtype=np.int64)
        self.required = np.array(core.required, dtype=bool)

    def best(self, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per item, the best `value` of its pairs (0 floor if optional; −inf if a
        required item has no pair) and the pair reaching it (−1 = none)."""
        n = self.core.n_items
        best = np.full(n, -np.inf)
        np.maximum.at(best, self.item, value)
        floor = np.where(self.required, -np.inf, 0.0)
        best = np.maximum(best, floor)
        hits = np.flatnonzero(value >= best[self.item])
        pair = np.full(n, -1, dtype=np.int64)
        pair[self.item[hits][::-1]] = hits[::-1]  # the lowest pair index on ties
        positive = best > floor
        pair[~positive & ~self.required] = -1
        return best, pair


class CapacityRelaxation(_Items):
    """Capacities and pools priced out: per item, its best reduced score."""

    def __init__(self, core: AssignmentCore) -> None:
        super().__init__(core)
        rows: list[int] = []
        cols: list[int] = []
        weights: list[int] = []
        caps: list[float] = []
        pairs_of_agent: list[list[int]] = [[] for _ in range(core.n_agents)]
        for p, a in enumerate(core.pair_agent):
            pairs_of_agent[a].append(p)
        binding: list[tuple[list[int], int, int]] = [
            (pairs, r, cap)
            for a, pairs in enumerate(pairs_of_agent)
            for r, cap in enumerate(core.capacities[a])
        ]
        binding += [
            ([p for a in agents for p in pairs_of_agent[a]], r, cap)
            for agents, r, cap in core.pools
        ]
        for pairs, r, cap in binding:
            uses = [(p, core.pair_use[p][r]) for p in pairs if core.pair_use[p][r] > 0]
            if sum(u for _, u in uses) <= cap:
                continue  # can never bind: its price would stay 0
            for p, u in uses:
                rows.append(len(caps))
                cols.append(p)
                weights.append(u)
            caps.append(float(cap))
        self.row = np.array(rows, dtype=np.int64)
        self.col = np.array(cols, dtype=np.int64)
        self.weight = np.array(weights, dtype=float)
        self.cap = np.array(caps, dtype=float)

    def evaluate(self, price: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """(bound, reduced score per pair, best per item, chosen pair per item)."""
        reduced = self.score - np.bincount(
            self.col, weights=price[self.row] * self.weight, minlength=len(self.score)
        )
        best, pair = self.best(reduced)
        bound = self.constant + float(price @ self.cap) + float(best.sum())
        return bound, reduced, best, pair

    def solve(
        self, target: float | None, deadline: float | None, max_iterations: int
    ) -> Relaxation:
        price = np.zeros(len(self.cap))
        best_bound, best_price = np.inf, price
        theta, stall, steps = 1.0, 0, 0
        for steps in range(1, max_iterations + 1):  # noqa: B007 (counted)
            bound, _, _, pair = self.evaluate(price)
            if bound < best_bound - _EPS:
                best_bound, best_price, stall = bound, price, 0
            else:
                stall += 1
                if stall >= _PATIENCE:
                    theta, stall = theta / 2, 0
            chosen = np.zeros(len(self.score), dtype=bool)
            chosen[pair[pair >= 0]] = True
            usage = np.bincount(
                self.row, weights=self.weight * chosen[self.col], minlength=len(self.cap)
            )
            slack = self.cap - usage
            slack[(price <= 0) & (slack > 0)] = 0.0  # a free constraint keeps price 0
            norm = float(slack @ slack)
            if norm == 0 or theta < _MIN_THETA or _past(deadline) or len(self.cap) == 0:
                break
            goal = target if target is not None else best_bound - 0.01 * abs(best_bound) - 1
            step = theta * max(bound - goal, 1e-9) / norm
            price = np.maximum(0.0, price - step * slack)
        bound, reduced, best, _ = self.evaluate(best_price)
        pair_bound = bound - best[self.item] + reduced
        # Without a pair its item takes its next best (a maximum over the other pairs).
        second = np.full(self.core.n_items, -np.inf)
        is_best = np.flatnonzero(reduced >= best[self.item])
        first_of_item = np.full(self.core.n_items, -1, dtype=np.int64)
        first_of_item[self.item[is_best][::-1]] = is_best[::-1]
        others = np.ones(len(reduced), dtype=bool)
        others[first_of_item[first_of_item >= 0]] = False
        np.maximum.at(second, self.item[others], reduced[others])
        second = np.maximum(second, np.where(self.required, -np.inf, 0.0))
        without = np.full(len(reduced), bound)
        firsts = first_of_item[first_of_item >= 0]
        without[firsts] = bound - best[self.item[firsts]] + second[self.item[firsts]]
        return Relaxation("capacity", bound, pair_bound, without, best, steps)


class KnapsackRelaxation(_Items):
    """One-agent-per-item priced out: per agent, a 0/1 knapsack on its binding resource."""

    def __init__(self, core: AssignmentCore, resource_of_agent: list[int | None]) -> None:
        super().__init__(core)
        self.groups: list[tuple[np.ndarray, np.ndarray, int]] = []
        self.free_pairs: list[int] = []  # pairs of agents with nothing binding
        pairs_of_agent: list[list[int]] = [[] for _ in range(core.n_agents)]
        for p, a in enumerate(core.pair_agent):
            pairs_of_agent[a].append(p)
        for a, pairs in enumerate(pairs_of_agent):
            r = resource_of_agent[a]
            if r is None:
                self.free_pairs += pairs
                continue
            uses = np.array([core.pair_use[p][r] for p in pairs], dtype=np.int64)
            self.groups.append((np.array(pairs, dtype=np.int64), uses, core.capacities[a][r]))
        self.free = np.array(self.free_pairs, dtype=np.int64)

    @classmethod
    def of(cls, core: AssignmentCore) -> KnapsackRelaxation | None:
        """The relaxation if every agent has at most one binding resource, no pool can
        bind and the knapsack work fits `KNAPSACK_BUDGET`; else None."""
        pairs_of_agent: list[list[int]] = [[] for _ in range(core.n_agents)]
        for p, a in enumerate(core.pair_agent):
            pairs_of_agent[a].append(p)
        for agents, r, cap in core.pools:
            if sum(core.pair_use[p][r] for a in agents for p in pairs_of_agent[a]) > cap:
                return None
        resource_of_agent: list[int | None] = []
        work = 0
        for a, pairs in enumerate(pairs_of_agent):
            binding = [
                r
                for r, cap in enumerate(core.capacities[a])
                if sum(core.pair_use[p][r] for p in pairs) > cap
            ]
            if len(binding) > 1:
                return None
            resource_of_agent.append(binding[0] if binding else None)
            if binding:
                work += len(pairs) * (core.capacities[a][binding[0]] + 1)
        if work > KNAPSACK_BUDGET:
            return None
        return cls(core, resource_of_agent)

    def evaluate(self, price: np.ndarray) -> tuple[float, np.ndarray]:
        """(bound, chosen pairs mask) at item prices `price`."""
        profit = self.score - price[self.item]
        chosen = np.zeros(len(self.score), dtype=bool)
        bound = self.constant + float(price.sum())
        free = self.free[profit[self.free] > 0]
        chosen[free] = True
        bound += float(profit[free].sum())
        for pairs, uses, cap in self.groups:
            value, taken = _knapsack(profit[pairs], uses, cap)
            bound += value
            chosen[pairs[taken]] = True
        return bound, chosen

    def solve(
        self,
        target: float | None,
        deadline: float | None,
        max_iterations: int,
        start: Relaxation | None,
        prices: np.ndarray | None = None,
    ) -> Relaxation:
        """Subgradient from `prices`, else from the capacity relaxation `start`'s best
        reduced score per item (LP-like duals); `start` is returned if it is tighter."""
        initial = prices if prices is not None else start.item_value if start else None
        price = np.zeros(self.core.n_items) if initial is None else initial
        price = np.where(np.isfinite(price), price, 0.0)
        best_bound, best_price = np.inf, price
        theta, stall, steps = 1.0, 0, 0
        optional = ~self.required
        for steps in range(1, max_iterations + 1):  # noqa: B007 (counted)
            bound, chosen = self.evaluate(price)
            if bound < best_bound - _EPS:
                best_bound, best_price, stall = bound, price, 0
            else:
                stall += 1
                if stall >= _PATIENCE:
                    theta, stall = theta / 2, 0
            slack = 1.0 - np.bincount(self.item[chosen], minlength=self.core.n_items)
            slack[optional & (price <= 0) & (slack > 0)] = 0.0
            norm = float(slack @ slack)
            if norm == 0 or theta < _MIN_THETA or _past(deadline):
                break
            goal = target if target is not None else best_bound - 0.01 * abs(best_bound) - 1
            step = theta * max(bound - goal, 1e-9) / norm
            price = price - step * slack
            price[optional] = np.maximum(price[optional], 0.0)
        bound, _ = self.evaluate(best_price)
        if start is not None and bound > start.bound:  # the capacity bound was better
            return start
        pair_bound, without = self._pair_bounds(best_price, bound)
        return Relaxation("knapsack", bound, pair_bound, without, best_price, steps)

    def _pair_bounds(self, price: np.ndarray, bound: float) -> tuple[np.ndarray, np.ndarray]:
        """Bounds with each pair forced in, and with it left out (its agent's knapsack
        re-solved either way, the rest unchanged)."""
        profit = self.score - price[self.item]
        pair_bound = np.empty(len(self.score))
        without = np.empty(len(self.score))
        free = self.free
        pair_bound[free] = bound - np.maximum(profit[free], 0) + profit[free]
        without[free] = bound - np.maximum(profit[free], 0)
        for pairs, uses, cap in self.groups:
            value, _ = _knapsack(profit[pairs], uses, cap)
            forced, left_out = _forced(profit[pairs], uses, cap)
            pair_bound[pairs] = bound - value + forced
            without[pairs] = bound - value + left_out
        return pair_bound, without


def _knapsack(profit: np.ndarray, uses: np.ndarray, cap: int) -> tuple[float, np.ndarray]:
    """Best total profit of pairs within `cap`, and which pairs (dynamic programme over
    capacity, only pairs of positive profit)."""
    candidates = np.flatnonzero((profit > 0) & (uses <= cap))
    taken = np.zeros(len(profit), dtype=bool)
    if len(candidates) == 0:
        return 0.0, taken
    table = _table(profit[candidates], uses[candidates], cap)
    left = cap
    for k in range(len(candidates) - 1, -1, -1):
        if table[k + 1, left] != table[k, left]:
            taken[candidates[k]] = True
            left -= int(uses[candidates[k]])
    return float(table[-1, cap]), taken


def _table(profit: np.ndarray, uses: np.ndarray, cap: int) -> np.ndarray:
    """table[k, c]: best profit of the first k pairs within capacity c."""
    table = np.zeros((len(profit) + 1, cap + 1))
    for k, (p, w) in enumerate(zip(profit.tolist(), uses.tolist(), strict=True)):
        table[k + 1] = table[k]
        if p > 0 and w <= cap:
            np.maximum(table[k, w:], table[k, : cap + 1 - w] + p, out=table[k + 1, w:])
    return table


def _forced(profit: np.ndarray, uses: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, the knapsack's best profit with that pair forced in (−inf if it does not
    fit) and with it left out: the pairs before it (forward table) and after it
    (backward table) share the capacity."""
    forward = _table(profit, uses, cap)
    backward = _table(profit[::-1], uses[::-1], cap)[::-1]
    forced = np.full(len(profit), -np.inf)
    left_out = np.empty(len(profit))
    for k in range(len(profit)):
        left_out[k] = float(np.max(forward[k] + backward[k + 1, ::-1]))
        left = cap - int(uses[k])
        if left >= 0:
            rest = forward[k, : left + 1] + backward[k + 1, left::-1]
            forced[k] = profit[k] + float(np.max(rest))
    return forced, left_out


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.perf_counter() >= deadline
