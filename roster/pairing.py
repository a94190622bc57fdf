"""Weekend-pairing chains: a weekend worked on one day only, its other day worked too
where that day is short, and the employees it displaces re-planned across the horizon.

An employee at their maximum of weekends who works a weekend on one day only could
work its other day at no weekend's cost, but a best response
(`roster.best_responses.BestResponses.rounds`) rarely moves there: the shift taken on the
weekend must be given up on a weekday (the employee's hours or shifts at their
maximum), which the response prices as a loss as long as another employee does not
take that weekday shift over. Instance22 (364 days, 50 staff) ended a 120 s solve
with 346 persons short, 335 of them on weekends, and 203 weekends worked on one day
while 1,277 persons were over on weekdays: a pairing is worth some 99 there.

A chain makes the pairing by force: the employee's schedule closest to the current
one (`STAY` a day kept) that works the short shift on the weekend's day off, whatever
it gives up for it; then a best response of each of a few partners (those who hold a
shift the employee took, or are off where the employee left one), each first
forced to mirror the move, then free, and the employee's again. It is kept when the
roster's objective drops, undone otherwise. Each step is one employee's programme
(tens of milliseconds on Instance22). Pure: no I/O.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from roster.best_responses import BestResponses

#: Gain a day of the current schedule keeps in a forced response: the smallest change
#: that does what is forced (a large forcing gain instead upsets the prices' bisection
#: and changed 45-72 days of Instance20's schedules, against 3-15 this way).
STAY = 2.0
#: Partners re-planned after the employee in one chain.
PARTNERS = 3
#: Fewer pairings than this: no chains. Instance22's rosters hold hundreds, and its
#: chains gained 811-909 in 300 s; Instance20's one or two, whose chains (1-2 kept)
#: changed its search's course for the worse (5,149 against 5,068 side by side).
MIN_PAIRINGS = 10


@dataclass(frozen=True)
class Pairing:
    """`employee` to work `symbol` (a column of `BestResponses.symbols`) on `day`, the
    day off of a weekend they work on its other day only."""

    employee: str
    day: int
    symbol: int


#: A forced (day, symbol, sign): sign > 0 works `symbol` that day, sign < 0 does not.
Forced = tuple[int, int, float]


def pairings(responses: BestResponses) -> list[Pairing]:
    """The pairings of the responses' current plans: each weekend worked on one day,
    its day off, and each shift short that day which the employee may work."""
    short = responses.required - responses.staffed
    found = []
    for employee, plan in responses.plans.items():
        cost = responses.programmes[employee].cost
        for weekend in responses.problem.weekends:
            if sum(1 for d in weekend if plan[d]) != 1:
                continue
            for day in weekend:
                if plan[day]:
                    continue
                for k in range(1, len(responses.symbols)):
                    if short[day, k] > 0 and np.isfinite(cost[day, k]):
                        found.append(Pairing(employee, day, k))
    return found


def respond(
    responses: BestResponses, employee: str, until: float, forced: Sequence[Forced] = ()
) -> None:
    """Re-plan `employee` against the others. With `forced`: the schedule closest to
    the current one that does what is forced, whatever it costs (unchanged when the
    programme finds none). Without: the programme's schedule only when better than the
    current one (its maxima priced, it can be worse)."""
    responses.place(responses.plans[employee], -1)
    gain = responses.gain_for(responses.staffed)
    programme = responses.programmes[employee]
    current = responses.plans[employee]
    days = np.arange(len(current))
    now = float((gain[days, current] - programme.cost[days, current]).sum())
    if forced:
        gain[days, current] += STAY
        for day, k, sign in forced:
            if sign > 0:  # only `k` that day: every other symbol, off too, forbidden
                keep = gain[day, k]
                gain[day, :] = -math.inf
                gain[day, k] = keep
            else:
                gain[day, k] = -math.inf
    found = programme.best(gain, until=until)
    if found is not None and (bool(forced) or found[1] > now + 1e-9):
        responses.plans[employee] = found[0]
    responses.place(responses.plans[employee], 1)


def chain(responses: BestResponses, pairing: Pairing, rng: random.Random, until: float) -> bool:
    """One chain for `pairing` (see the module docstring); True when kept."""
    before, saved = responses.objective(), dict(responses.plans)
    employee = pairing.employee
    old = saved[employee]
    respond(responses, employee, until, [(pairing.day, pairing.symbol, 1.0)])
    new = responses.plans[employee]
    if new[pairing.day] != pairing.symbol:
        responses.adopt_plans(saved)
        return False
    # what the employee gave up (now short, or less over) and took (now over, or less
    # short)
    vacated = [(d, old[d]) for d in range(len(old)) if old[d] and new[d] != old[d]]
    taken = [(d, new[d]) for d in range(len(new)) if new[d] and new[d] != old[d]]
    after = dict(responses.plans)
    best_plans, best_value = None, before
    if (forced_value := responses.objective()) < best_value - 1e-9:
        best_plans, best_value = after, forced_value
    others = [e for e in saved if e != employee]
    rng.shuffle(others)  # ties between partners broken at random

    def mirror(partner: str) -> list[Forced]:
        # give up what the employee took, take what they left: a pairing takes a
        # short shift, so most partners only take over the weekday shift given up
        plan, cost = responses.plans[partner], responses.programmes[partner].cost
        give_up = [(d, k, -1.0) for d, k in taken if plan[d] == k]
        take = [(d, k, 1.0) for d, k in vacated if not plan[d] and np.isfinite(cost[d, k])]
        return give_up + take

    # each partner's moves against `after`, the plans every partner starts from
    mirrors = {e: moves for e in others if (moves := mirror(e))}
    ranked = sorted(
        mirrors,
        key=lambda e: sum(2.0 if s < 0 else 1.0 for _, _, s in mirrors[e]),
        reverse=True,
    )
    for partner in ranked[:PARTNERS]:
        if time.perf_counter() > until:
            break  # each response's programme runs on past `until` to its schedule
        responses.adopt_plans(after)
        respond(responses, partner, until, mirrors[partner])
        respond(responses, employee, until)
        respond(responses, partner, until)
        value = responses.objective()
        if value < best_value - 1e-9:
            best_plans, best_value = dict(responses.plans), value
    responses.adopt_plans(best_plans or saved)
    return best_plans is not None


def improve(
    responses: BestResponses,
    until: float,
    seed: int = 0,
    stop: Callable[[], bool] = lambda: False,
    min_pairings: int = MIN_PAIRINGS,
) -> tuple[int, int]:
    """Chains for the pairings, drawn at random, until `until` (`time.perf_counter()`),
    `stop()`, or every pairing has been tried since the last chain kept; none when the
    roster holds fewer than `min_pairings`. Returns the chains tried and kept."""
    if len(pairings(responses)) < min_pairings:
        return 0, 0
    rng = random.Random(seed)
    tried = kept = 0
    failed: set[Pairing] = set()
    while time.perf_counter() < until and not stop():
        untried = [p for p in pairings(responses) if p not in failed]
        if not untried:
            break
        pairing = rng.choice(untried)
        tried += 1
        if chain(responses, pairing, rng, until):
            kept += 1
            failed.clear()  # the roster changed: every pairing may pay again
        else:
            failed.add(pairing)
    return tried, kept


__all__ = ["Pairing", "chain", "improve", "pairings", "respond"]
