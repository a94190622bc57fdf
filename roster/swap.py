"""A repair's exact first step: give each shift the change took away to one other consultant.

After a sick day the cheapest repair is usually a *direct swap*: the lost shift goes to
someone who may legally work it, and nothing else changes. The candidates are few (the
pool on one shift), so every one is checked with the independent validator, not
searched for: the answer does not depend on the machine's load or a time limit.

When is it proven the lexicographic optimum (cover, then changes, then team, then the
rest)? Every roster with full cover must add someone to each lost shift, so a swap that
restores cover spends the least any repair can on additions; any other roster changes at
least one more assignment, which costs at least `RepairWeights.changed_assignment`. So
with one lost shift, full cover and a changes cost below twice that weight (one change,
plus at most a new team member), no other roster reaches the swap's changes cost, and
the best of the swaps on the later levels is the optimum. The candidates tied on the
changes cost share the team-size effect (all on the published team, or all new to it),
so the objective (`roster.validate.evaluate`) decides between them. Several lost shifts
are swapped one after the other (a good roster, not a proven one).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from roster.eligibility import why_not
from roster.model import Key
from roster.model_terms import RepairWeights
from roster.problem import Assignment, Roster, RosterProblem
from roster.validate import evaluate, validate

#: Consultants tied on cover and changes whose objective is compared (each a full
#: `evaluate`, about 0.3 s for 8 weeks with history); beyond it the first by id are,
#: and the swap is not proven (the search may find a better one of the others).
MAX_TIED = 12

#: More lost shifts than this (someone leaves the team) are left to the search: each is
#: swapped one after the other, and the greedy chain says little about the optimum.
MAX_SWAPPED_SHIFTS = 7


@dataclass(frozen=True)
class Swap:
    roster: Roster
    #: The roster is the lexicographic repair optimum (see the module docstring).
    proven: bool
    #: Lost shifts nobody could take (their cover stays short).
    unfilled: tuple[Assignment, ...]


def direct_swap(
    problem: RosterProblem,
    published: Roster,
    kept: Roster,
    lost: Collection[Assignment],
    weights: RepairWeights,
    *,
    fixed: Mapping[Key, bool] | None = None,
    freeze_before_day: int = 0,
) -> Swap | None:
    """`kept` (the published roster without `lost`, the assignments the change took) with
    each lost shift given to the best consultant who may legally take it, or None when
    there are no lost shifts or too many, or the result breaks a rule (the kept roster
    alone can, e.g. a run of work cut too short). `problem` is the problem after the change;
    `fixed` and `freeze_before_day` as in `roster.repair.repair`: a shift held there is
    not given to anyone."""
    if not lost or len(lost) > MAX_SWAPPED_SHIFTS:
        return None
    published_team = {(a.employee, a.case) for a in published}
    demands = {(c.case, c.day, c.shift) for c in problem.cover}
    roster = list(kept)
    unfilled = []
    best_costs = []
    short_after = 0  #: language, gender or persons still missing on the swapped shifts
    every_tie_compared = True
    for shift in sorted(lost, key=lambda a: (a.day, a.shift, a.case, a.employee)):
        if (shift.case, shift.day, shift.shift) not in demands:
            continue  # nobody is needed there any more
        best = _best_taker(
            problem, roster, shift, weights, published_team, fixed or {}, freeze_before_day
        )
        if best is None:
            unfilled.append(shift)
            continue
        taker, short, cost, compared_all = best
        roster.append(taker)
        best_costs.append(cost)
        short_after += short
        every_tie_compared &= compared_all
    swapped = tuple(sorted(roster))
    if validate(problem, swapped):
        return None  # the kept roster breaks a rule by itself: no candidate (the search)
    proven = (
        problem.weights.lexicographic
        and len(lost) == 1
        and not unfilled
        and short_after == 0
        and every_tie_compared
        and len(best_costs) == 1
        and best_costs[0] < 2 * weights.changed_assignment
    )
    return Swap(swapped, proven, tuple(unfilled))


def _best_taker(
    problem: RosterProblem,
    roster: list[Assignment],
    lost: Assignment,
    weights: RepairWeights,
    published_team: set[tuple[str, str]],
    fixed: Mapping[Key, bool],
    freeze_before_day: int,
) -> tuple[Assignment, int, int, bool] | None:
    """The assignment of `lost`'s shift to the best other consultant who may legally take
    it given `roster`, with the shortfall left on that shift, its changes cost and
    whether every tied consultant was compared (`MAX_TIED`); None if nobody may."""
    from roster.result import explain_uncovered

    if lost.day < freeze_before_day:
        return None
    shift_type = problem.shift[lost.shift]
    by_employee: dict[str, list[Assignment]] = {}
    for a in roster:
        by_employee.setdefault(a.employee, []).append(a)
    change_cost = weights.change_weight(problem, lost.day, lost.shift)
    ranked: list[tuple[int, int, str, Assignment]] = []
    for employee in problem.employees:
        taker = Assignment(lost.day, lost.shift, lost.case, employee.id)
        if employee.id == lost.employee or taker in roster:
            continue
        if why_not(problem, employee, lost.day, shift_type) is not None:
            continue
        if fixed.get((employee.id, lost.day, lost.shift, lost.case)) is False:
            continue
        # the rules of one consultant's shifts (rest, hours, runs, nights) are checked on
        # their shifts alone; the one rule between consultants, over-cover, cannot break
        # on a shift one short
        if validate(problem, (*by_employee.get(employee.id, []), taker)):
            continue
        short = sum(
            u.missing + u.missing_language + u.missing_gender
            for u in explain_uncovered(problem, (*roster, taker))
            if (u.case, u.day, u.shift) == (lost.case, lost.day, lost.shift)
        )
        new_member = (employee.id, lost.case) not in published_team
        cost = change_cost + (weights.new_team_member if new_member else 0)
        ranked.append((short, cost, employee.id, taker))
    if not ranked:
        return None
    least = min((short, cost) for short, cost, _, _ in ranked)
    tied = sorted(r for r in ranked if (r[0], r[1]) == least)
    # the objective decides between the tied (evaluate is the costly part: only these)
    _, _, _, taker = min(
        tied[:MAX_TIED], key=lambda r: (sum(evaluate(problem, (*roster, r[3])).values()), r[2])
    )
    return taker, least[0], least[1], len(tied) <= MAX_TIED
