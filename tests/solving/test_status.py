"""One status vocabulary for every solve, read tolerantly, shown in lower case."""

from __future__ import annotations

import datetime as dt

import pytest
from ortools.sat.python import cp_model

from api.schemas.rosters import RosterPublic
from solving.status import SolveStatus


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (cp_model.OPTIMAL, SolveStatus.OPTIMAL),
        (cp_model.FEASIBLE, SolveStatus.FEASIBLE),
        (cp_model.INFEASIBLE, SolveStatus.INFEASIBLE),
        (cp_model.UNKNOWN, SolveStatus.UNKNOWN),
        (cp_model.MODEL_INVALID, SolveStatus.MODEL_INVALID),
    ],
)
def test_every_cp_sat_status_has_its_own_member(code, status):
    assert SolveStatus.from_cp_sat(code) is status


def test_a_tiny_infeasible_model_reads_as_infeasible():
    model = cp_model.CpModel()
    x = model.new_bool_var("x")
    model.add(x == 1)
    model.add(x == 0)
    assert SolveStatus.from_cp_sat(cp_model.CpSolver().solve(model)) is SolveStatus.INFEASIBLE


def test_found_means_a_solution_and_proven_means_a_final_answer():
    assert {s for s in SolveStatus if s.found} == {SolveStatus.OPTIMAL, SolveStatus.FEASIBLE}
    assert {s for s in SolveStatus if s.proven} == {SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE}
    # a cancelled search keeps its best answer, but it is neither complete nor proven
    assert not SolveStatus.CANCELLED.found and not SolveStatus.CANCELLED.proven


def test_values_are_lower_case_and_read_back_whatever_the_case():
    assert all(s.value == s.value.lower() for s in SolveStatus)
    assert SolveStatus("OPTIMAL") is SolveStatus.OPTIMAL  # rosters stored before unifying
    assert SolveStatus("Feasible") is SolveStatus.FEASIBLE
    assert f"{SolveStatus.MODEL_INVALID}" == "model_invalid"  # as the CLI and report print
    with pytest.raises(ValueError):
        SolveStatus("pending")


def _stored_roster(solver_status: str) -> dict[str, object]:
    return {
        "id": 1,
        "status": "draft",
        "version": 0,
        "parent_id": None,
        "job": None,
        "case_ids": [42],
        "office_ids": [2],
        "horizon_start": dt.datetime(2026, 3, 1, 23, tzinfo=dt.UTC),
        "days": 7,
        "template": "3x8",
        "solver_status": solver_status,
        "objective": None,
        "bound": None,
        "bound_by": "",
        "runtime_seconds": None,
        "team": [],
        "kpis": {},
        "violations": [],
        "uncovered": [],
        "published_at": None,
        "shifts": [],
    }


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("OPTIMAL", "optimal"), ("feasible", "feasible"), ("pending", None)],
)
def test_the_api_shows_stored_roster_statuses_in_the_one_vocabulary(stored, shown):
    roster = RosterPublic.model_validate(_stored_roster(stored))
    assert roster.model_dump(mode="json")["solver_status"] == shown
