"""The CP-SAT roster model: `RosterModel`, its variables, the build, hints and fixing.

Decision variables
    x[e, d, s, c]  employee e works shift s on day d for case c (only where eligible)
    y[e, d, s]     employee e works shift s on day d (any case)
    work[e, d]     employee e works on day d (at most one shift per day)
    under/over[c, d, s]  missing / surplus consultants on a demand

The rules are one documented function each, in `roster.model_rules` (the day and the
week: cover, rest, hours) and `roster.model_runs` (runs of days, the sequence
automaton); the objective terms, their priority levels (`LEVEL_*`) and the repair
weights are in `roster.model_terms`. `RosterModel._build` adds them in order.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Mapping

from ortools.sat.python import cp_model

from roster import model_rules, model_runs, model_terms
from roster.clock import WallClock
from roster.eligibility import why_not
from roster.lns import sub_model
from roster.model_terms import RepairWeights, RosterParts, Term
from roster.problem import Roster, RosterProblem

Key = tuple[str, int, str, str]  # employee, day, shift, case


class RosterModel(RosterParts):
    """Builds the CP-SAT model of a `RosterProblem`.

    `reference`: a published roster to stay close to (repair); adds the change terms.
    """

    def __init__(
        self,
        problem: RosterProblem,
        reference: Roster | None = None,
        repair_weights: RepairWeights | None = None,
        sequence_automaton: bool = False,
    ) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.reference = reference
        self.repair_weights = repair_weights or RepairWeights()
        self.terms = {}
        # the build makes millions of small objects and no cyclic garbage: the cyclic
        # collector's passes over them took half of a 364-day build (Instance22: 34 s
        # with it, 17.5 s without, on the loaded 2-core machine)
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build(sequence_automaton)
        finally:
            if collecting:
                gc.enable()

    def _build(self, sequence_automaton: bool) -> None:
        self.false = self.model.new_constant(0)
        self._make_variables()
        model_rules.add_one_shift_per_day(self)
        model_rules.add_cover(self)
        model_rules.add_language_cover(self)
        model_rules.add_gender_cover(self)
        model_rules.add_rest_between_shifts(self)
        model_rules.add_weekly_rest(self)
        model_rules.add_hours_limits(self)
        model_rules.add_max_shifts_per_type(self)
        model_runs.add_max_consecutive_working_days(self)
        model_runs.add_min_consecutive_working_days(self)
        model_runs.add_min_consecutive_days_off(self)
        model_runs.add_max_weekends(self)
        model_runs.add_max_consecutive_nights(self)
        if sequence_automaton:
            model_runs.add_sequence_automaton(self)
        model_terms.add_team(self)
        model_terms.add_requests(self)
        model_terms.add_rhythm(self)
        model_terms.add_fairness(self)
        if self.reference is not None:
            model_terms.add_changes(self, self.reference)

    # ------------------------------------------------------------ variables
    def _make_variables(self) -> None:
        p, m = self.problem, self.model
        self.x: dict[Key, cp_model.IntVar] = {}
        by_slot: dict[tuple[str, int, str], list[cp_model.IntVar]] = defaultdict(list)
        self.demand_vars: dict[tuple[str, int, str], list[tuple[str, cp_model.IntVar]]] = {}
        for demand in p.cover:
            shift = p.shift[demand.shift]
            slot_vars: list[tuple[str, cp_model.IntVar]] = []
            if demand.required > 0 or demand.over_weight is not None:
                for e in p.employees:
                    if why_not(p, e, demand.day, shift) is None:
                        var = m.new_bool_var(f"x[{e.id},{demand.day},{shift.id},{demand.case}]")
                        self.x[(e.id, demand.day, shift.id, demand.case)] = var
                        by_slot[(e.id, demand.day, shift.id)].append(var)
                        slot_vars.append((e.id, var))
            self.demand_vars[(demand.case, demand.day, demand.shift)] = slot_vars
        self.y: dict[tuple[str, int, str], cp_model.IntVar] = {}
        for key, vars_ in by_slot.items():
            if len(vars_) == 1:
                self.y[key] = vars_[0]
            else:
                var = m.new_bool_var(f"y[{key}]")
                m.add(var == sum(vars_))
                self.y[key] = var
        # each employee's y, so that per-employee rules need not scan every y (the
        # scans were quadratic: 7 s of a 364-day, 50-person build)
        self.y_of: dict[str, list[tuple[tuple[str, int, str], cp_model.IntVar]]] = defaultdict(list)
        for key, var in self.y.items():
            self.y_of[key[0]].append((key, var))
        self.work: dict[tuple[str, int], cp_model.IntVar] = {}
        per_day: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for (eid, d, _s), var in self.y.items():
            per_day[(eid, d)].append(var)
        for day_key, day_vars in per_day.items():
            if len(day_vars) == 1:
                self.work[day_key] = day_vars[0]
            else:
                self.work[day_key] = m.new_bool_var(f"work[{day_key}]")

    # ------------------------------------------------------------ helpers
    def level_expressions(self) -> dict[int, cp_model.LinearExpr]:
        levels: dict[int, list[Term]] = defaultdict(list)
        for t in self.terms.values():
            if t.variables:
                levels[t.level].append(t)
        return {
            lvl: sum((t.expression() for t in ts), cp_model.LinearExpr.constant(0))
            for lvl, ts in sorted(levels.items())
        }

    def total_expression(self) -> cp_model.LinearExpr:
        return sum(self.level_expressions().values(), cp_model.LinearExpr.constant(0))

    def trouble_spots(self) -> list[tuple[str | None, int, cp_model.IntVar]]:
        """(employee or None, day, variable positive when that spot is penalised): cover
        penalties (under-cover, missing language/gender; no employee) and unmet requests.
        The LNS centres neighbourhoods on them."""
        out: list[tuple[str | None, int, cp_model.IntVar]] = []
        for group in (self.under, self.missing_language, self.missing_gender):
            for (_c, d, _s), var in group.items():
                out.append((None, d, var))
        out.extend(self.unmet_requests)
        return out

    def freeze(self, roster: Roster, before_day: int) -> None:
        """Fix every assignment on days before `before_day` to `roster` (already worked)."""
        self.fix_days(roster, range(before_day))

    def fix(self, values: Mapping[Key, bool]) -> None:
        """Fix the assignment variables named in `values` (those the model lacks, the
        employee can never work, are left out)."""
        for key, on in values.items():
            var = self.x.get(key)
            if var is not None:
                self.model.add(var == int(on))

    def fix_days(self, roster: Roster, days: Iterable[int]) -> None:
        """Fix every assignment on `days` to `roster`."""
        fixed = set(days)
        for key, on in self.assignment(roster).items():
            if key[1] in fixed:
                self.model.add(self.x[key] == int(on))

    def assignment(self, roster: Roster) -> dict[Key, bool]:
        """`roster` as a value of every assignment variable (those it lacks are off)."""
        chosen = {(a.employee, a.day, a.shift, a.case) for a in roster}
        return {key: key in chosen for key in self.x}

    def add_hint(
        self, roster: Roster, complete_seconds: float = 2.0, clock: WallClock | None = None
    ) -> bool:
        """Hint `roster` to the solver. If the roster fits the model, every auxiliary
        variable is hinted too (found by a quick solve with the shifts fixed, timed and
        charged on `clock`), so that CP-SAT starts from it at once. Returns whether the
        roster fits."""
        clock = clock or WallClock()
        values = self.assignment(roster)
        fixed = sub_model(self.model, self.x, values, free=set())
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        clock.limit(solver, complete_seconds)
        solver.parameters.stop_after_first_solution = True
        status = solver.solve(fixed)
        clock.spend(solver.deterministic_time)
        self.model.clear_hints()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for index in range(len(self.model.proto.variables)):
                var = self.model.get_int_var_from_proto_index(index)
                self.model.add_hint(var, solver.value(fixed.get_int_var_from_proto_index(index)))
            return True
        for key, var in self.x.items():
            self.model.add_hint(var, values[key])
        return False
