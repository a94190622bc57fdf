"""The capacities' bound on cover (`roster.cover_bound`): fires where the staff cannot
work what is demanded (a type's maxima, weekends, minimum hours), not where they can."""

from __future__ import annotations

import dataclasses

from roster import SolveStatus, total, validate
from roster.cover_bound import cover_bound
from roster.nrp import solve_nrp
from roster.read_nrp import parse_nrp


def _instance(days: int, staff: list[str], cover: list[str]) -> str:
    """A Curtois–Qu text: one 8-hour shift type D, `staff` lines, `cover` lines."""
    head = ["SECTION_HORIZON", str(days), "", "SECTION_SHIFTS", "D,480,", "", "SECTION_STAFF"]
    return "\n".join([*head, *staff, "", "SECTION_COVER", *cover, ""])


def _daily(days: int, required: dict[int, int]) -> list[str]:
    """One D cover line a day: `required` persons (0 if absent), 100 a person short, 1
    a person over."""
    return [f"{d},D,{required.get(d, 0)},100,1" for d in range(days)]


#: Two staff who may work 2 D shifts each (no hours floor, any runs, one weekend), one D
#: needed every day of a week: 4 of 7 can be worked, 3 are missing in every roster.
TYPE_MAXIMA = _instance(
    7, ["A,D=2,3360,0,7,1,1,1", "B,D=2,3360,0,7,1,1,1"], _daily(7, {d: 1 for d in range(7)})
)


def test_a_type_maximum_short_of_the_demand_bounds_the_cover() -> None:
    assert cover_bound(parse_nrp(TYPE_MAXIMA)) == 300


def test_solve_nrp_reports_the_cover_bound_and_proves_the_optimum() -> None:
    # The optimum is the bound: A and B work two days each (any two), nobody over,
    # nothing requested: 3 missing, 300. The bound proves it at once.
    p = parse_nrp(TYPE_MAXIMA)
    result = solve_nrp(p, time_limit=10, seed=1, num_workers=1, deterministic=True)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 300 and result.bound == 300
    assert validate(p, result.roster) == []
    assert total(p, result.roster) == 300
    assert sum(a.employee == "A" for a in result.roster) == 2
    assert sum(a.employee == "B" for a in result.roster) == 2


def test_a_weekend_limit_bounds_the_weekend_cover() -> None:
    # Two weeks, one employee who may work one weekend: of the 4 weekend days demanded
    # (days 5, 6, 12, 13) at most 2 are worked, 2 missing (200); working a weekday
    # would only add over-cover.
    text = _instance(14, ["A,D=14,6720,0,14,1,1,1"], _daily(14, {5: 1, 6: 1, 12: 1, 13: 1}))
    assert cover_bound(parse_nrp(text)) == 200


def test_minimum_hours_past_the_demand_bound_the_over_cover() -> None:
    # One employee who must work 3 shifts (1,440 minutes) where one is demanded in the
    # week: 2 over, 1 each.
    text = _instance(7, ["A,D=7,3360,1440,7,1,1,1"], _daily(7, {0: 1}))
    assert cover_bound(parse_nrp(text)) == 2


def test_no_bound_above_zero_where_the_staff_can_work_the_demand() -> None:
    text = _instance(7, ["A,D=7,3360,0,7,1,1,1"], _daily(7, {0: 1, 5: 1}))
    assert cover_bound(parse_nrp(text)) == 0


def test_no_bound_for_a_lexicographic_objective() -> None:
    p = parse_nrp(TYPE_MAXIMA)
    staged = dataclasses.replace(p, weights=dataclasses.replace(p.weights, lexicographic=True))
    assert cover_bound(staged) is None
