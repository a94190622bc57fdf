"""The bound of the unpruned batch problem when the search keeps few candidates per seat.

Only the language term counts (weight 10): a native speaker of the exact tag scores 10,
a working-level one 7.5; each consultant has room for one 10 h case.
"""

from __future__ import annotations

import pytest

from matcher.batch import optimize
from matcher.batch_bound import widened_core
from matcher.batch_model import build_batch_model
from matcher.problem import Level, MatchSettings, Weights
from solving.status import SolveStatus
from tests.matcher.instances import case, consultant, problem

LANGUAGE_ONLY = Weights(
    language=10, culture=0, travel=0, office=0, continuity=0, workload=0, start=0, preference=0
)


def two_cases(limit: int | None):
    """Consultant 1 (native ar) scores 10 on both cases, consultant 2 (working-level ar)
    7.5; one case each. Unpruned optimum: 10 + 7.5 = 17.5. With one candidate per seat
    both seats keep only consultant 1: one case is left unplaced (penalty 200), the
    pruned optimum is 10 − 200 = −190."""
    settings = MatchSettings(
        weights=LANGUAGE_ONLY, reserved_share=0.0, max_candidates_per_seat=limit
    )
    return problem(
        [
            consultant(1, "ar", hours=10, max_cases=1),
            consultant(2, "ar", hours=10, max_cases=1, level=Level.WORKING),
        ],
        [case(10, "ar"), case(11, "ar")],
        settings=settings,
    )


def test_pruned_search_reports_a_bound_of_the_unpruned_problem():
    result = optimize(two_cases(limit=1), time_limit=10, seed=1, num_workers=1)
    assert result.objective == pytest.approx(-190.0)
    # The pruned model's own bound would be −190 ("optimal"); the unpruned problem
    # reaches 17.5, so the honest answer is a feasible plan with a bound of at least
    # 17.5 — and no more than each seat's best alone, 10 + 10.
    assert result.status == SolveStatus.FEASIBLE
    assert result.bound is not None and 17.5 - 1e-6 <= result.bound <= 20 + 1e-6


def test_unpruned_problem_reaches_its_bound():
    result = optimize(two_cases(limit=None), time_limit=10, seed=1, num_workers=1)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == pytest.approx(17.5) and result.bound == pytest.approx(17.5)


def test_widened_core_adds_the_pruned_consultants_back():
    p = two_cases(limit=1)
    model = build_batch_model(p)
    assert model.core.n_pairs == 2  # consultant 1 on each seat
    widened = widened_core(p, model)
    assert sorted(zip(widened.pair_item, widened.pair_agent, strict=True)) == [
        (0, 0),
        (0, 1),
        (1, 0),
        (1, 1),
    ]
    # the optimistic score is never below the exact one (75 points for consultant 2)
    assert all(
        score >= 75
        for a, score in zip(widened.pair_agent, widened.pair_score, strict=True)
        if a == 1
    )
