"""Minimal-change repair of a published roster.

`repair(problem, published, change, time_limit)` applies the change (sick days, someone
leaves the team, the horizon is extended) to the problem and re-solves with the
published roster as reference: after cover, the fewest changed shift assignments count
first (`RepairWeights.changed_assignment`), then consultants new to the case's team
(`RepairWeights.new_team_member`), then the usual team/rhythm terms.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from roster.clock import WORK_PER_SECOND
from roster.model import Key
from roster.model_terms import RepairWeights
from roster.notice import NoticeReport, notice_report, start_minute
from roster.parameters import SearchParameters
from roster.problem import Assignment, CoverDemand, ProblemError, Roster, RosterProblem
from roster.result import RosterResult, roster_result
from roster.solve import solve
from roster.swap import direct_swap
from roster.templates import MINUTES_PER_DAY
from solving.status import SolveStatus


@dataclass(frozen=True)
class SickDays:
    """`employee` cannot work on `days`."""

    employee: str
    days: tuple[int, ...]


@dataclass(frozen=True)
class LeavesTeam:
    """`employee` is not available from `from_day` on (to the horizon end)."""

    employee: str
    from_day: int


@dataclass(frozen=True)
class ExtendHorizon:
    """Add `extra_days` days. `cover` for the new days defaults to each case's demand on
    the same weekday in the last published week."""

    extra_days: int
    cover: tuple[CoverDemand, ...] | None = None


@dataclass(frozen=True)
class CaseEnds:
    """Case `case` needs nobody after `last_day` (a municipality ended the døgnindsats):
    its shifts after that day go, and nothing else need change."""

    case: str
    last_day: int


Change = SickDays | LeavesTeam | ExtendHorizon | CaseEnds


@dataclass(frozen=True)
class DiffEntry:
    case: str
    day: int
    shift: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class RepairResult:
    result: RosterResult
    problem: RosterProblem  #: the problem after the change
    diff: tuple[DiffEntry, ...]
    changed_assignments: int  #: assignments removed + added
    changed_days: tuple[int, ...]
    #: The changes per notice class and their supplement hours (`roster.notice`); None
    #: when the repair was given no "now".
    notice: NoticeReport | None = None


def apply_change(problem: RosterProblem, change: Change) -> RosterProblem:
    """The problem after `change` (a new immutable problem)."""
    if isinstance(change, CaseEnds):
        if change.case not in problem.case:
            raise ProblemError(f"change.case: unknown case {change.case!r}")
        cover = tuple(c for c in problem.cover if c.case != change.case or c.day <= change.last_day)
        return dataclasses.replace(problem, cover=cover)
    if isinstance(change, SickDays | LeavesTeam):
        if change.employee not in problem.employee:
            raise ProblemError(f"change.employee: unknown employee {change.employee!r}")
        if isinstance(change, SickDays):
            days = set(change.days)
        else:
            days = set(range(change.from_day, problem.days))
        outside = [d for d in days if not 0 <= d < problem.days]
        if outside:
            raise ProblemError(f"change.days: {outside} outside horizon")
        employees = tuple(
            dataclasses.replace(e, absences=e.absences | days) if e.id == change.employee else e
            for e in problem.employees
        )
        return dataclasses.replace(problem, employees=employees)
    if change.extra_days <= 0:
        raise ProblemError("change.extra_days: must be positive")
    new_days = problem.days + change.extra_days
    if change.cover is not None:
        extra = change.cover
    else:
        extra = tuple(
            dataclasses.replace(c, day=d)
            for d in range(problem.days, new_days)
            for c in problem.cover
            if c.day == problem.days - 7 + (d - problem.days) % 7
        )
    return dataclasses.replace(problem, days=new_days, cover=problem.cover + tuple(extra))


#: How long a published roster is frozen from a repair's "now" by default: the next 24
#: hours are kept as planned (the people on them are already told and on their way).
FREEZE_MINUTES = 24 * 60

#: Days either side of the changed days that the local step of `repair` may change.
REPAIR_REACH = 2
#: Share of the time limit for that local step; its unused time goes to the full search
#: (not in a reproducible repair, whose split is fixed).
LOCAL_SHARE = 0.5


def repair(
    problem: RosterProblem,
    published: Roster,
    change: Change,
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int = 2,
    freeze_before_day: int = 0,
    weights: RepairWeights | None = None,
    deterministic: bool = False,
    work_per_second: float = WORK_PER_SECOND,
    *,
    now_minute: int | None = None,
    freeze_minutes: int = FREEZE_MINUTES,
    on_solution: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RepairResult:
    """Re-plan after `change` with as few changed assignments as possible.

    First an exact step (`roster.swap.direct_swap`): each shift the change took away is
    given to the best consultant who may legally take it, nothing else changed. With one
    lost shift, full cover and the least changes cost it is the proven optimum
    (OPTIMAL, its objective its bound) and the answer, with no search: a sick day's
    repair then no longer depends on the machine's load (on a loaded 2-core machine the
    searches below gave 2, 16, 10 and 1 changes in four runs of the same sick day, the
    last leaving the shift uncovered). Otherwise its roster is the searches' start,
    and it is returned if they find nothing better (cover first, then changes).

    Then two searches, each the lexicographic repair objective: first a local one, where only
    the days within `REPAIR_REACH` of the changed days may change (a small model that
    CP-SAT solves in moments), then the whole horizon, hinted with the local roster.
    The better of the two is returned (cover first, then changes, then the objective);
    a local roster is reported FEASIBLE without a bound, since it is optimal only
    within its days. Why: on a slow 2-core machine the whole-horizon search alone, 20 s
    for a sick day in an 8-week roster, spent its cover level's share in presolve and
    twice of three times returned a roster short of cover with 94 changes, or none.

    Assignments on days before `freeze_before_day` (already worked) are kept as they are.
    `deterministic`: a reproducible search (`SearchParameters.deterministic`), its limit
    counted at `work_per_second` (`SearchParameters.work_per_second`).

    `now_minute`: the repair's moment (minutes from the horizon start). Shifts that start
    before it are never changed; those that start within `freeze_minutes` after it are
    frozen: kept as published, except that a frozen shift the change takes from its
    consultant (sick) is given to someone else. Each changed shift costs by its notice
    from now (`RepairWeights.change_weight`), and the result counts the changes per
    notice class with their supplement hours (`RepairResult.notice`).

    `on_solution` and `should_stop` are passed to both searches (`roster.solve.solve`);
    once `should_stop()` holds, the whole-horizon search is not started and the result,
    marked ``cancelled``, is the best roster found so far.
    """
    started = time.perf_counter()
    if now_minute is not None:
        change = _not_before(change, now_minute // MINUTES_PER_DAY)
    changed = apply_change(problem, change)
    still_possible = tuple(
        a for a in published if a.day not in _blocked_days(changed, a) and not _cut(change, a)
    )
    params = SearchParameters(
        num_workers=num_workers, deterministic=deterministic, work_per_second=work_per_second
    )
    weights = dataclasses.replace(weights or RepairWeights(), now_minute=now_minute)
    fixed = (
        None
        if now_minute is None
        else _frozen(changed, published, still_possible, now_minute, now_minute + freeze_minutes)
    )

    def attempt(hint: Roster, seconds: float, free_days: set[int] | None) -> RosterResult:
        return solve(
            changed,
            time_limit=seconds,
            seed=seed,
            hint=hint,
            reference=published,
            repair_weights=weights,
            freeze=tuple(a for a in published if a.day < freeze_before_day),
            freeze_before_day=freeze_before_day,
            free_days=free_days,
            fixed=fixed,
            parameters=params,
            on_solution=on_solution,
            should_stop=should_stop,
        )

    def search(start: Roster) -> RosterResult:
        """The local search from `start`, then the whole horizon hinted with its roster:
        the better of the two."""
        window = _local_days(changed, change, freeze_before_day)
        local = None
        if len(window) < changed.days - freeze_before_day:
            local = attempt(start, time_limit * LOCAL_SHARE, window)
        hint = local.roster if local is not None and local.found else start
        if deterministic:
            # a fixed split: time left over on the wall clock would differ between runs
            remaining = time_limit * (1 - LOCAL_SHARE) if local is not None else time_limit
        else:
            remaining = max(1.0, time_limit - (time.perf_counter() - started))
        # a cancelled local step leaves no time for the whole horizon: its roster is it
        whole = local if local is not None and local.cancelled else attempt(hint, remaining, None)
        if (
            local is not None
            and local.found
            and (
                whole is local
                or not whole.found
                or _rank(changed, published, local, weights)
                < _rank(changed, published, whole, weights)
            )
        ):
            return dataclasses.replace(
                local, status=SolveStatus.FEASIBLE, bound=None, cancelled=whole.cancelled
            )
        return whole

    # first the exact step: the lost shifts given to others, nothing else changed; proven
    # the optimum, it is the answer, with no search at the mercy of the machine's load
    kept = set(still_possible)
    lost = [a for a in published if a not in kept and not _cut(change, a)]
    swap = direct_swap(
        changed,
        published,
        still_possible,
        lost,
        weights,
        fixed=fixed,
        freeze_before_day=freeze_before_day,
    )
    swapped = (
        None
        if swap is None
        else roster_result(changed, swap.roster, seconds=time.perf_counter() - started)
    )
    if swap is not None and swapped is not None and swap.proven:
        result = dataclasses.replace(
            swapped,
            status=SolveStatus.OPTIMAL,
            bound=swapped.objective,
            bound_by="terms",
            message="direct swap: each lost shift given to one consultant (roster.swap)",
        )
        if on_solution is not None and result.objective is not None:
            on_solution(result.objective, result.objective)
    else:
        result = search(swapped.roster if swapped is not None else still_possible)
        # never a roster worse (cover first, then changes) than one found on the way
        if swapped is not None and (
            not result.found
            or _rank(changed, published, swapped, weights)
            < _rank(changed, published, result, weights)
        ):
            result = dataclasses.replace(swapped, cancelled=result.cancelled)
    diff = roster_diff(published, result.roster)
    return RepairResult(
        result=result,
        problem=changed,
        diff=diff,
        changed_assignments=sum(len(d.removed) + len(d.added) for d in diff),
        changed_days=tuple(sorted({d.day for d in diff})),
        notice=(
            None
            if now_minute is None
            else notice_report(
                changed,
                set(published) - set(result.roster),
                set(result.roster) - set(published),
                now_minute,
                weights.notice,
            )
        ),
    )


def _not_before(change: Change, today: int) -> Change:
    """`change` from `today` on: the days before it were worked as published, and a
    repair does not rewrite them."""
    if isinstance(change, SickDays):
        days = tuple(d for d in change.days if d >= today)
        if not days:
            raise ProblemError(f"change.days: {list(change.days)} lie before now (day {today})")
        return dataclasses.replace(change, days=days)
    if isinstance(change, LeavesTeam):
        return dataclasses.replace(change, from_day=max(change.from_day, today))
    return change


def _frozen(
    problem: RosterProblem,
    published: Roster,
    still_possible: Roster,
    now_minute: int,
    thaw_minute: int,
) -> dict[Key, bool]:
    """The assignments a repair may not change: every shift starting before
    `thaw_minute` keeps its published staff (those who can still work it), and nobody
    else is put on it, unless the change took it from its consultant and it starts
    after `now_minute` (then it is open to a replacement)."""
    possible = {(a.employee, a.day, a.shift, a.case) for a in still_possible}
    fixed: dict[Key, bool] = dict.fromkeys(possible, True)
    reopened = {
        (a.case, a.day, a.shift)
        for a in published
        if (a.employee, a.day, a.shift, a.case) not in possible
        and start_minute(problem, a.day, a.shift) >= now_minute
    }
    for demand in problem.cover:
        if start_minute(problem, demand.day, demand.shift) >= thaw_minute:
            continue
        if (demand.case, demand.day, demand.shift) in reopened:
            continue
        for e in problem.employees:
            key = (e.id, demand.day, demand.shift, demand.case)
            fixed.setdefault(key, False)
    return {
        key: on for key, on in fixed.items() if start_minute(problem, key[1], key[2]) < thaw_minute
    }


def _local_days(problem: RosterProblem, change: Change, freeze_before_day: int) -> set[int]:
    """The days `change` touches, `REPAIR_REACH` days either side, not yet worked."""
    if isinstance(change, SickDays):
        touched: Iterable[int] = change.days
    elif isinstance(change, LeavesTeam):
        touched = range(change.from_day, problem.days)
    elif isinstance(change, CaseEnds):
        touched = range(change.last_day + 1, problem.days)
    else:
        touched = range(problem.days - change.extra_days, problem.days)
    return {
        day
        for t in touched
        for day in range(t - REPAIR_REACH, t + REPAIR_REACH + 1)
        if freeze_before_day <= day < problem.days
    }


def _rank(
    problem: RosterProblem, published: Roster, result: RosterResult, weights: RepairWeights
) -> tuple[int, int, int]:
    """Order of preference between two repairs: shortfalls of cover (persons, language
    and gender), then the cost of the changed assignments (weighed by their notice, as
    the model does), then the objective."""
    short = sum(u.missing + u.missing_language + u.missing_gender for u in result.uncovered)
    changes = sum(
        weights.change_weight(problem, a.day, a.shift) for a in set(published) ^ set(result.roster)
    )
    return short, changes, result.objective or 0


def _cut(change: Change, a: Assignment) -> bool:
    """Whether `change` ends the case of `a` before its day."""
    return isinstance(change, CaseEnds) and a.case == change.case and a.day > change.last_day


def _blocked_days(problem: RosterProblem, a: Assignment) -> set[int]:
    return set(problem.employee[a.employee].absences) if a.employee in problem.employee else {a.day}


def roster_diff(before: Roster, after: Roster) -> tuple[DiffEntry, ...]:
    """Per (case, day, shift): who was removed and who was added."""
    old: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    new: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    for a in before:
        old[(a.case, a.day, a.shift)].add(a.employee)
    for a in after:
        new[(a.case, a.day, a.shift)].add(a.employee)
    out = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[1], k[0], k[2])):
        removed, added = old[key] - new[key], new[key] - old[key]
        if removed or added:
            out.append(
                DiffEntry(key[0], key[1], key[2], tuple(sorted(removed)), tuple(sorted(added)))
            )
    return tuple(out)
