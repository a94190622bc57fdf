"""The restricted master LP of column generation (`roster.columns`): one column (a legal
schedule) per employee, under- and over-cover paid for, solved with GLOP and kept
between solves; and the arithmetic on its duals the pricing shares (`reduced_cost`).
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from roster.model import Key
from roster.problem import RosterProblem

EPSILON = 1e-6

Column = frozenset[Key]
DemandKey = tuple[str, int, str]  # case, day, shift


class NoSchedule(Exception):
    """An employee has no legal schedule at all."""


def reduced_cost(column: Column, cost: int, duals: dict[DemandKey, float]) -> float:
    """Own cost minus `duals` (unrounded) over the column's assignments."""
    return cost - sum(duals.get((k[3], k[1], k[2]), 0.0) for k in column)


@dataclass
class Lp:
    value: float
    duals: dict[DemandKey, float]
    convexity: dict[str, float]
    weights: dict[tuple[str, int], float]  # (employee, column index) → LP weight
    under: float  # persons missing, summed over demands
    under_cost: float  # the same, weighted


class Master:
    """The restricted master LP, kept between solves: new columns are added to it and
    columns that disagree with the dive's fixes are bounded to zero, so GLOP starts
    from its last basis (no presolve) instead of a model rebuilt from scratch, which
    took most of Instance13's root (4 s a solve at 9,000 columns).

    No other bounds on the master's variables: a bound's dual would break the
    Lagrangian bound (LP value = duals × right-hand sides only without them); a
    column bounded to zero is as if absent."""

    def __init__(
        self, problem: RosterProblem, columns: dict[str, list[Column]], costs: dict[str, list[int]]
    ) -> None:
        self.columns, self.costs = columns, costs
        self.lp = lp = pywraplp.Solver.CreateSolver("GLOP")
        self.objective = lp.Objective()
        self.objective.SetMinimization()
        self.cover: dict[DemandKey, pywraplp.Constraint] = {}
        self.unders: list[tuple[pywraplp.Variable, float]] = []
        for key, d in sorted({(d.case, d.day, d.shift): d for d in problem.cover}.items()):
            row = self.cover[key] = lp.Constraint(d.required, d.required)
            under = lp.NumVar(0, lp.infinity(), "")
            over = lp.NumVar(0, lp.infinity() if d.over_weight is not None else 0, "")
            row.SetCoefficient(under, 1)
            row.SetCoefficient(over, -1)
            self.unders.append((under, problem.under_weight(d)))
            self.objective.SetCoefficient(under, problem.under_weight(d))
            self.objective.SetCoefficient(over, d.over_weight or 0)
        self.convexity = {eid: lp.Constraint(1, 1) for eid in columns}
        self.z: dict[tuple[str, int], pywraplp.Variable] = {}
        self.open: dict[tuple[str, int], bool] = {}  # whether each z is not bounded to 0
        self.parameters = pywraplp.MPSolverParameters()
        self.parameters.SetIntegerParam(
            pywraplp.MPSolverParameters.PRESOLVE, pywraplp.MPSolverParameters.PRESOLVE_OFF
        )

    def solve(self, usable: dict[str, list[int]]) -> Lp:
        """The LP over the `usable` columns (per employee, their indices)."""
        lp, z = self.lp, self.z
        for eid, columns in self.columns.items():
            for i in range(len(columns)):
                if (eid, i) in z:
                    continue
                var = z[(eid, i)] = lp.NumVar(0, lp.infinity(), "")
                self.convexity[eid].SetCoefficient(var, 1)
                self.objective.SetCoefficient(var, self.costs[eid][i])
                for _e, day, shift, case in columns[i]:
                    row = self.cover.get((case, day, shift))
                    if row is not None:
                        row.SetCoefficient(var, 1)
        allowed = {(eid, i) for eid, indices in usable.items() for i in indices}
        for key, var in z.items():
            # only the bounds that change: a dive step changes few of its thousands
            on = key in allowed
            if self.open.get(key) != on:
                var.SetUb(lp.infinity() if on else 0.0)
                self.open[key] = on
        if lp.Solve(self.parameters) != pywraplp.Solver.OPTIMAL:
            raise NoSchedule
        return Lp(
            self.objective.Value(),
            {k: c.dual_value() for k, c in self.cover.items()},
            {e: c.dual_value() for e, c in self.convexity.items()},
            {(e, i): z[(e, i)].solution_value() for e, indices in usable.items() for i in indices},
            sum(u.solution_value() for u, _ in self.unders),
            sum(u.solution_value() * w for u, w in self.unders),
        )
