"""`roster.solve.solve` for a problem too big to build whole in its time, or asked to
be solved so (`roster.solve.solve_in_windows`): no search of the whole model, but a
first roster of the whole horizon (the hint, the per-employee programme of
`roster.sequences`, the greedy roster or a rolling horizon), improved by searches of
its parts in turn: time windows (`roster.windows`), employee groups (`roster.groups`),
weekend-pairing chains (`roster.pairing`) and rounds of best responses.

Each part is a roster problem of its own, searched by `roster.solve.solve`: through
`roster.solve.part_solver`, passed in (`PartSolver`) rather than imported, since
`roster.solve` calls this module.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from roster import (
    best_responses,
    exchange,
    groups,
    heuristic,
    pairing,
    sequences,
    shortfall,
    windows,
)
from roster.clock import Deadline
from roster.forecasts import build_seconds, greedy_seconds
from roster.interrupt import Interrupt
from roster.parameters import SearchParameters
from roster.problem import Roster, RosterProblem
from roster.result import RosterResult, roster_result
from roster.rotation import applicable as rotation_applies
from solving.status import SolveStatus

#: Share of the time left for the rolling horizon's first roster; the rest improves it.
FIRST_ROSTER_SHARE = 0.5
#: Share of the time left a døgnindsats's greedy first roster may take in a decomposed
#: solve: the windows improve it with the rest.
GREEDY_SHARE = 0.5


#: Share of the time left for the per-employee programme's first roster and its rounds
#: of best responses (`roster.sequences`); the windows improve it with the rest.
DP_SHARE = 0.8
#: Share of the time left by which the programme's first pass must end, its rounds cut:
#: the rest checks the roster (`validate`, a few seconds for 364 days of 150 people).
DP_FINISH_SHARE = 0.95
#: The programme's rounds of best responses stop once one gains less than this share
#: of the objective (and not before, up to `DP_FINISH_SHARE` of the time): the windows
#: then gain more a second (Instance20, 120 s: rounds of 7.5 s gained 3.5 % and 1.1 %,
#: the next window's 8 s 11 %).
DP_ROUND_MIN_GAIN = 0.05
#: Seconds of one spell of weekend-pairing chains (`roster.pairing`) after a sweep of
#: the time windows: Instance22's chains gained 805 of 1,159 in their first 10 s of 30
#: from a 120 s roster (38,022), 29 in the last 10 s. Spells follow one another while
#: each gains faster than the sweep before them (`pairing_pays`).
PAIRING_SECONDS = 15.0


#: What a search over windows or groups returns: the roster, its value, how many searched.
Improved = tuple[Roster, int, int]

#: `roster.solve.part_solver`: (seed, search parameters, interrupt) → the search of a
#: decomposed search's parts (windows, groups). An argument of `solve_by_windows`, not
#: an import: it calls `roster.solve.solve`, which calls `solve_by_windows`.
PartSolver = Callable[[int, SearchParameters, Interrupt], windows.WindowSolver]


@dataclass(frozen=True)
class KnownBound:
    """A lower bound found before a search that proves none (time windows), and where
    it comes from, for the result's message."""

    value: int
    source: str


def solve_by_windows(
    problem: RosterProblem,
    deadline: Deadline,
    seed: int,
    params: SearchParameters,
    hint: Roster | None,
    interrupt: Interrupt,
    part_solver: PartSolver,
    why: str = "",
    dp_share: float | None = None,
    known_bound: KnownBound | None = None,
) -> RosterResult:
    """`roster.solve.solve` for a problem too big to build whole (`roster.windows`),
    its parts searched by `part_solver`. `dp_share`: of the time, the share for the
    per-employee programme's first roster when there is no hint (`DP_SHARE` by
    default). Its bound is `known_bound`'s, if any."""
    why = why or (
        "the whole model is too big to build in the time limit "
        f"(about {build_seconds(problem):.0f} s)"
    )
    from roster.validate import total, validate

    window_params = dataclasses.replace(params, greedy_hint=False, decompose=False)
    solve_window = part_solver(seed, window_params, interrupt)
    # the rolling horizon's windows: one CP-SAT run each, all of its time to finding
    # and improving the window's first roster (the LNS comes after, over windows)
    first_window = part_solver(seed, dataclasses.replace(window_params, lns=False), interrupt)

    start: Roster | None = None
    legal = False
    responses: best_responses.BestResponses | None = None
    # the programmes of the first roster, kept for the weekend-pairing chains after each
    # sweep (`responses` is dropped once its rounds stop gaining)
    pairer: best_responses.BestResponses | None = None
    how = "the hint"
    if hint and not validate(problem, hint):
        start, legal = hint, True
    elif sequences.applicable(problem):
        # each employee's schedule over the whole horizon by dynamic programme: exact
        # totals, no pro-rata guesses (the rolling horizon's windows found none in
        # 60 s for Instance22, each window's pro-rata limits too tight to meet)
        # its first pass cuts schedules back to their maxima where a type maximum can
        # bind (`BestResponses`): the 364 x 150 stand-in's pass 476,000-662,000
        # against 1,190,000-1,230,000; Instance20's contracts never (its path as before)
        responses = best_responses.BestResponses(problem, cut_back=True)
        start = best_responses.first_roster(
            problem,
            time.perf_counter() + deadline.share(dp_share or DP_SHARE),
            stop=lambda: interrupt.stopped,
            # its first pass may end late: no time for the windows then, but a roster
            finish_by=time.perf_counter() + deadline.share(DP_FINISH_SHARE),
            responses=responses,
            min_gain=DP_ROUND_MIN_GAIN,
            # rounds that still gain `DP_ROUND_MIN_GAIN` go on past its share: more
            # than a window gains in their time (Instance22, 60 s: a round of 3.8 s cut
            # short by the limit gained 4.2 %, the window before it in 8 s 2.4 %)
            rounds_until=time.perf_counter() + deadline.share(DP_FINISH_SHARE),
        )
        if start is not None and validate(problem, start):
            start, responses = None, None  # a rule it missed: the rolling horizon instead
        pairer = responses
        how = "a dynamic programme per employee"
    if (
        start is None
        and rotation_applies(problem)
        and greedy_seconds(problem) < deadline.share(GREEDY_SHARE)
    ):
        # a døgnindsats: the greedy roster is legal by construction, where the rolling
        # horizon's short windows may find none (five cases, pool 60, 52 weeks, 55 s:
        # days 0-13 found no roster)
        start, how = heuristic.greedy(problem), "the greedy roster"
        # checked once: the whole check takes 4.9 s for 20 cases over 52 weeks
        legal = not validate(problem, start)
        if not legal:
            start = None
    if start is None:
        how = "rolling horizon"
        start, reason = windows.first_roster(
            problem,
            deadline,
            first_window,
            share=FIRST_ROSTER_SHARE,
            build_estimate=build_seconds,
        )
        if start is None:
            status = SolveStatus.CANCELLED if interrupt.stopped else SolveStatus.UNKNOWN
            return RosterResult.no_roster(
                deadline.elapsed(),
                f"no roster within the time limit: {reason}",
                status=status,
                cancelled=interrupt.stopped,
            )
    if not legal and validate(problem, start):
        # a rolling-horizon roster that breaks a rule of the whole horizon the windows
        # do not carry (the legal on-site and night-worker averages): no roster
        return RosterResult.no_roster(
            deadline.elapsed(),
            "no roster within the time limit: the rolling horizon's roster breaks "
            "a rule of the whole horizon",
            cancelled=interrupt.stopped,
        )

    def legal_total(whole: RosterProblem, roster: Roster) -> float:
        # a window's roster is kept only if the whole roster stays legal: the windows
        # do not carry the horizon-wide legal averages (on site, night workers)
        return math.inf if validate(whole, roster) else total(whole, roster)

    roster, value, searched, paired = start, int(total(problem, start)), 0, 0
    exchanges = 0
    if rotation_applies(problem):
        # a døgnindsats's shifts short of their language first: exchanges across the
        # year (`roster.exchange`: the greedy's speakers run out of hours in the last
        # weeks, which no time window can give back), then windows of the few who
        # could close what is left (`roster.shortfall`: a window of every employee of
        # 20 cases does not fit in the limit after the greedy roster)
        exchanged, made = exchange.improve(
            problem,
            roster,
            until=time.perf_counter() + deadline.remaining() - windows.MIN_WINDOW_SECONDS,
            stop=lambda: interrupt.stopped,
        )
        exchanged_value = int(total(problem, exchanged)) if made else value
        if exchanged_value < value:
            roster, value = exchanged, exchanged_value
        exchanges = made
        roster, value, searched = shortfall.improve(
            problem,
            roster,
            value,
            deadline,
            solve_window,
            total,
            seed=seed,
            build_estimate=build_seconds,
        )
    sweep = 0
    # a sweep of the windows, then one of employee groups, then a round of best
    # responses from its roster: the windows move many employees within weeks, a group
    # a few across the horizon, a response one. Groups only when the cover alone
    # couples the employees (a group's problem is exact then) and enough of them fit
    # in a search (`roster.groups`)
    searches: list[tuple[Callable[[RosterProblem], float], Callable[..., Improved]]] = [
        (windows.sweep_seconds, windows.improve)
    ]
    grouping = sequences.applicable(problem) and groups.worth_grouping(problem)
    if grouping:
        searches.append((groups.sweep_seconds, groups.improve))
    while True:
        moved, cycle_start, cycle_began = 0, value, time.perf_counter()
        for sweep_seconds, improve_by in searches:
            part = deadline
            if responses is not None or len(searches) > 1:
                part = Deadline(min(deadline.remaining(), sweep_seconds(problem)))
            roster, value, count = improve_by(
                problem,
                roster,
                value,
                part,
                solve_window,
                legal_total,
                seed=seed + sweep,
                build_estimate=build_seconds,
            )
            searched, moved = searched + count, moved + count
        sweep += 1
        if deadline.remaining() <= windows.MIN_WINDOW_SECONDS or interrupt.stopped:
            break
        responding = responses is not None
        # spells of pairing chains and rounds of best responses, a spell and a round at a
        # time, while they gain faster than the sweep did (Instance22, seed 1: its first
        # sweep gained 54 a second, the spell after it 91, the round after that 200)
        sweep_rate = (cycle_start - value) / max(1e-9, time.perf_counter() - cycle_began)
        spell_seed = seed + sweep
        while deadline.remaining() > windows.MIN_WINDOW_SECONDS and not interrupt.stopped:
            began, before = time.perf_counter(), value
            if pairer is not None:
                roster, value, count = _pairing_spell(
                    problem, pairer, roster, value, deadline, interrupt, legal_total, spell_seed
                )
                paired, moved, spell_seed = paired + count, moved + count, spell_seed + 1
            if responses is not None:
                responses.adopt(roster)
                until = time.perf_counter() + deadline.remaining()
                if not responses.rounds(until, stop=lambda: interrupt.stopped, most=1):
                    responses = None  # the roster is a best response: no more rounds
                    break
                candidate = responses.roster()
                candidate_value = legal_total(problem, candidate)
                if candidate_value < value:
                    roster, value = candidate, int(candidate_value)
            if not pairing_pays(before - value, time.perf_counter() - began, sweep_rate):
                break
        if not responding:
            if not moved or len(searches) == 1:
                break  # the time is up, or none fits in the time left
            if value == cycle_start:
                searches = searches[:1]  # neither gained: the windows, all the time left
    return roster_result(
        problem,
        roster,
        seconds=deadline.elapsed(),
        bound=None if known_bound is None else known_bound.value,
        cancelled=interrupt.stopped,
        message=(
            f"time windows: {why}; a first roster by {how}, then "
            + (f"{exchanges} exchanges across the horizon, " if exchanges else "")
            + f"{searched} windows{' and employee groups' if grouping else ''} re-solved"
            + (f", {paired} weekends paired; " if pairer is not None else "; ")
            + ("no bound" if known_bound is None else known_bound.source)
        ),
    )


def _pairing_spell(
    problem: RosterProblem,
    pairer: best_responses.BestResponses,
    roster: Roster,
    value: int,
    deadline: Deadline,
    interrupt: Interrupt,
    legal_total: Callable[[RosterProblem, Roster], float],
    seed: int,
) -> tuple[Roster, int, int]:
    """One spell of chains for up to `PAIRING_SECONDS`: the roster it ends on when
    legal and better, its value and the chains kept; else `roster`, `value`, 0."""
    pairer.adopt(roster)
    until = time.perf_counter() + min(PAIRING_SECONDS, deadline.remaining())
    _, kept = pairing.improve(pairer, until, seed=seed, stop=lambda: interrupt.stopped)
    if not kept:
        return roster, value, 0
    candidate = pairer.roster()
    candidate_value = legal_total(problem, candidate)
    if candidate_value < value:
        return candidate, int(candidate_value), kept
    return roster, value, 0


def pairing_pays(gained: int, seconds: float, sweep_rate: float) -> bool:
    """Whether a spell of pairing chains and a round of best responses that gained
    `gained` in `seconds` earn another: they gained, and at least `sweep_rate` a
    second (the windows' rate)."""
    return gained > 0 and gained >= sweep_rate * seconds
