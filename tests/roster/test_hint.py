"""`RosterModel.add_hint`: a legal roster is hinted completely, any other by its shifts."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from roster import total, validate
from roster.model import RosterModel
from roster.parameters import SearchParameters
from roster.read_nrp import read_nrp
from solving.status import SolveStatus
from tests.roster.instances import nrp_roster

# the package exports the function `solve`, which hides the module of the same name
solve_module = importlib.import_module("roster.solve")

TINY = Path(__file__).with_name("tiny_nrp.txt")


def test_a_legal_roster_hints_every_variable_with_a_solution_of_that_cost() -> None:
    p = read_nrp(TINY)
    roster = nrp_roster({"A": "LL-DD--", "B": "-DDDD--"})  # legal, costs 301 (test_nrp)
    assert validate(p, roster) == []
    rm = RosterModel(p)
    rm.model.minimize(rm.total_expression())
    assert rm.add_hint(roster)
    hint = rm.model.proto.solution_hint
    assert sorted(hint.vars) == list(range(len(rm.model.proto.variables)))
    # the shifts were fixed on a copy: the model itself keeps every choice open
    assert all(list(rm.model.proto.variables[v.index].domain) == [0, 1] for v in rm.x.values())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(rm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert round(solver.objective_value) == total(p, roster) == 301


def test_a_roster_that_breaks_a_rule_hints_only_its_shifts() -> None:
    # L then D the next day is forbidden in tiny_nrp.txt
    p = read_nrp(TINY)
    roster = nrp_roster({"A": "LD-----"})
    assert validate(p, roster) != []
    rm = RosterModel(p)
    assert not rm.add_hint(roster)
    hint = rm.model.proto.solution_hint
    hinted = dict(zip(hint.vars, hint.values, strict=True))
    assert sorted(hinted) == sorted(v.index for v in rm.x.values())
    chosen = {(a.employee, a.day, a.shift, a.case) for a in roster}
    assert {key for key, v in rm.x.items() if hinted[v.index]} == chosen


def test_solve_falls_back_on_a_legal_hint_when_no_search_finds_a_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every search is made to run out of time before its first roster (as on a slow
    # machine). With the legal 301 roster as hint, solve returns it, FEASIBLE, with its
    # cost and the trivial bound 0; with an illegal hint (L then D) it returns nothing.
    monkeypatch.setattr(
        solve_module, "solve_stage", lambda *a, **k: (SolveStatus.UNKNOWN, 0, 0, None)
    )
    p = read_nrp(TINY)
    params = SearchParameters(greedy_hint=False)
    legal = nrp_roster({"A": "LL-DD--", "B": "-DDDD--"})
    kept = solve_module.solve(p, time_limit=5, hint=legal, parameters=params)
    assert kept.status == SolveStatus.FEASIBLE
    assert set(kept.roster) == set(legal)
    assert (kept.objective, kept.bound) == (301, 0)
    illegal = nrp_roster({"A": "LD-----"})
    nothing = solve_module.solve(p, time_limit=5, hint=illegal, parameters=params)
    assert nothing.status == SolveStatus.UNKNOWN
    assert nothing.roster == ()
