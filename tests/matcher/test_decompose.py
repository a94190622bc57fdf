"""The batch decomposed by office (`matcher.decompose`): parts, crossing cases, the final
pass on the capacity the parts left, and the plan read back on the whole model."""

from __future__ import annotations

import pytest

from matcher.batch import optimize
from matcher.batch_model import build_batch_model
from matcher.decompose import CROSSING, case_parts, optimize_by_office
from solving.executor import InlineExecutor, LocalExecutor
from solving.status import SolveStatus
from tests.matcher.instances import (
    AARHUS,
    MIDTJYLLAND,
    case,
    consultant,
    office,
    problem,
    running,
)


def two_offices(aarhus_hours: float = 30):
    """København (office 1: c1) and Aarhus (office 2: c2, c3), all Arabic speakers.
    Case 10 in København and case 11 in Aarhus are open; case 12 in Aarhus is run today
    by c1 from København: most of its candidates are in Aarhus, so it crosses offices."""
    return problem(
        consultants=[
            consultant(1, "ar"),
            consultant(2, "ar", home=AARHUS, office_id=2, hours=aarhus_hours),
            consultant(3, "ar", home=AARHUS, office_id=2, hours=aarhus_hours),
        ],
        cases=[
            case(10, "ar"),
            case(11, "ar", at=AARHUS, region=MIDTJYLLAND),
            case(12, "ar", at=AARHUS, region=MIDTJYLLAND, is_open=False),
        ],
        assignments=[running(100, 12, 1)],
        offices=[office(1), office(2, location=AARHUS, regions=(MIDTJYLLAND,))],
    )


def test_cases_go_to_the_office_of_most_candidates_unless_someone_elsewhere_runs_them():
    p = two_offices()
    parts = case_parts(p, build_batch_model(p))
    # 10: only c1 is near; 11: only c2, c3; 12: c2, c3 near and c1 kept (today's), so
    # Aarhus, but c1 works for København: it crosses
    assert parts == {10: 1, 11: 2, 12: CROSSING}


def test_the_decomposed_plan_equals_the_whole_books_optimum_when_parts_do_not_compete():
    # The parts share no one, and the crossing case (12) meets the capacity both left:
    # the optimum is the whole book's. Proven optimal whole: 10 → c1 (the only one near),
    # 11 → c2 or c3, 12 stays with c1 or moves to the other Aarhus consultant, whichever
    # the score prefers; the decomposition must land on the same objective and plan.
    p = two_offices()
    whole = optimize(p, time_limit=10, num_workers=1, deterministic=True)
    assert whole.status is SolveStatus.OPTIMAL
    parted = optimize_by_office(p, InlineExecutor(), time_limit=10, deterministic=True)
    assert parted.status is SolveStatus.FEASIBLE and parted.bound is None  # no global proof
    assert parted.objective == pytest.approx(whole.objective)
    assert parted.assignment == whole.assignment
    assert parted.assignment[(10, "primary")] == 1
    assert parted.assignment[(11, "primary")] in (2, 3)
    assert not parted.unplaced


def test_the_final_pass_gets_only_the_capacity_the_parts_left():
    # Aarhus consultants carry 10 h: each takes one 10 h case. Part Aarhus places 11 on
    # one of them; the final pass may move 12 only to the other (or keep c1), never put
    # a second case on the one part Aarhus used.
    p = two_offices(aarhus_hours=10)
    parted = optimize_by_office(p, InlineExecutor(), time_limit=10, deterministic=True)
    plan = parted.assignment
    assert plan[(10, "primary")] == 1
    aarhus = [plan[(11, "primary")], plan[(12, "primary")]]
    assert aarhus[0] in (2, 3) and aarhus[1] != aarhus[0]


@pytest.mark.slow
def test_a_process_pool_gives_the_inline_plan():
    p = two_offices()
    inline = optimize_by_office(p, InlineExecutor(), time_limit=5, deterministic=True)
    pooled = optimize_by_office(p, LocalExecutor(cpus=2), time_limit=5, deterministic=True)
    assert pooled.assignment == inline.assignment and pooled.objective == inline.objective
