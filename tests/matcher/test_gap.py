"""GAP reader and adapter: a handwritten instance and OR-Library gap1 #1."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.gap import check_assignment, solve_gap
from matcher.read import parse_gap, read_gap
from solving.status import SolveStatus

TINY = Path(__file__).parent.parent / "data" / "tiny_gap.txt"
BENCHDATA = Path(__file__).resolve().parents[3] / "shared" / "benchdata" / "gap"


def test_reader_on_handwritten_instance():
    (instance,) = read_gap(TINY)
    assert (instance.n_agents, instance.n_jobs) == (2, 3)
    assert instance.cost == ((6, 4, 5), (3, 8, 2))
    assert instance.use == ((4, 3, 3), (2, 4, 2))
    assert instance.capacity == (6, 5)


def test_tiny_instance_both_senses():
    """Agent 0 can hold jobs {1,2} (use 6 ≤ 6) or one job; agent 1 holds ≤ 5 of use.
    Feasible splits: agent0={1,2}, agent1={0}: profit 4+5+3 = 12; agent0={1},
    agent1={0,2}: 4+3+2 = 9. So max = 12 with [1,0,0], min = 9 with [1,0,1]."""
    (instance,) = read_gap(TINY)
    best = solve_gap(instance, "max", time_limit=5, num_workers=1)
    assert best.status == SolveStatus.OPTIMAL and best.objective == 12
    assert best.assignment == (1, 0, 0)
    cheapest = solve_gap(instance, "min", time_limit=5, num_workers=1)
    assert cheapest.status == SolveStatus.OPTIMAL and cheapest.objective == 9
    assert cheapest.assignment == (1, 0, 1) and cheapest.bound == 9


def test_reader_errors_name_the_instance():
    with pytest.raises(ValueError, match=r"t#1 costs"):
        parse_gap("1\n2 2\n1 2 3", "t")
    with pytest.raises(ValueError, match="unexpected values"):
        parse_gap(TINY.read_text() + " 7", "t")


def test_gap1_instance_1_reaches_reference_optimum():
    path = BENCHDATA / "gap1.txt"
    if not path.exists():
        pytest.fail(f"benchmark data missing: {path} (../shared/benchdata must be present)")
    instance = read_gap(path)[0]
    result = solve_gap(instance, "max", time_limit=20, num_workers=2)
    assert result.status == SolveStatus.OPTIMAL and result.objective == 336  # README optimum
    assert check_assignment(instance, result.assignment) == 336
