"""The bound of the unpruned batch problem when the search keeps few candidates per seat.

Only the language term counts (weight 10): a native speaker of the exact tag scores 10,
a working-level one 7.5; each consultant has room for one 10 h case.
"""

from __future__ import annotations

import pytest

from matcher.batch import optimize
from matcher.batch_bound import unpruned_bound, widened_core
from matcher.batch_model import build_batch_model
from matcher.problem import Level, MatchProblem, MatchSettings, Weights
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


def _with_preference(limit: int | None, excluded: frozenset[int] = frozenset()) -> MatchProblem:
    """`two_cases` with a preference weight of 10: no family states a wish, so every
    exact preference term is 0, but the optimistic scores of the pruned pairs count it
    in full (75 + 100 for consultant 2)."""
    settings = MatchSettings(
        weights=Weights(
            language=10,
            culture=0,
            travel=0,
            office=0,
            continuity=0,
            workload=0,
            start=0,
            preference=10,
        ),
        reserved_share=0.0,
        max_candidates_per_seat=limit,
    )
    return problem(
        [
            consultant(1, "ar", hours=10, max_cases=1),
            consultant(2, "ar", hours=10, max_cases=1, level=Level.WORKING),
        ],
        [
            case(10, "ar", excluded_consultant_ids=excluded),
            case(11, "ar", excluded_consultant_ids=excluded),
        ],
        settings=settings,
    )


def test_rescoring_the_pairs_the_relaxation_takes_tightens_the_bound():
    # Optimistic only: consultant 2 scores 175 on each seat, consultant 1 (exact) 100;
    # each takes one case (max_cases 1), so the bound is 175 + 100 = 275 (276: the
    # optimistic score is rounded up). Scored
    # exactly, consultant 2 is worth 75: the bound falls to the unpruned optimum
    # 100 + 75 = 175 (17.5 points), which it must never go below.
    p = _with_preference(limit=1)
    model = build_batch_model(p)
    optimistic = unpruned_bound(p, model, target=None, seconds=5, rounds=1)
    rescored = unpruned_bound(p, model, target=None, seconds=5, rounds=4)
    unpruned = optimize(_with_preference(limit=None), time_limit=10, seed=1, num_workers=1)
    assert unpruned.status == SolveStatus.OPTIMAL and unpruned.objective == pytest.approx(17.5)
    assert 275 <= optimistic.bound <= 276 + 1e-6
    assert 175 - 1e-6 <= rescored.bound <= 176


def test_a_pair_the_static_rules_reject_leaves_the_bound():
    # Both families exclude consultant 2: the unpruned problem places one case
    # (100 − 200 for the other, unplaced); rescoring drops consultant 2's pairs, so
    # the bound is that optimum, not 276 (steered by that plan's value, as `optimize`
    # steers it by its plan's).
    p = _with_preference(limit=1, excluded=frozenset({2}))
    model = build_batch_model(p)
    bound = unpruned_bound(p, model, target=-1900, seconds=5, rounds=4).bound
    unpruned = optimize(
        _with_preference(limit=None, excluded=frozenset({2})),
        time_limit=10,
        seed=1,
        num_workers=1,
    )
    assert unpruned.objective == pytest.approx(-190.0)
    assert -1900 - 1e-6 <= bound <= -1899


def test_exact_optimistic_scores_are_not_rescored_lower():
    # Without start and preference weights the optimistic score of consultant 2 is
    # already its exact 75: rescoring changes nothing.
    p = two_cases(limit=1)
    model = build_batch_model(p)
    once = unpruned_bound(p, model, target=None, seconds=5, rounds=1)
    again = unpruned_bound(p, model, target=None, seconds=5, rounds=4)
    assert again.bound == pytest.approx(once.bound, abs=1)
    assert 175 - 1e-6 <= again.bound <= 176
