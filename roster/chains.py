"""Request chains: an unmet request met by force, then the employees it displaces
re-planned, each across the whole horizon by their best response.

A round of best responses (`roster.sequences.BestResponses.rounds`) moves one
employee at a time and stops where meeting a request needs two to move together: an
employee at their maximum of weekends who asks for a shift on a weekend they are off
must give up a weekend elsewhere, which leaves it short (100 a person on Instance20)
unless another employee, who works the weekend asked for, trades it the other way,
months apart. Neither move pays alone; together they gain the request. A chain makes
both: the asker's best schedule that meets the request (whatever it gives up for it),
then a best response of each of a few partners (those who hold the shift asked for,
or who are off the day asked off), who now see the asker's shift over-covered and the
asker's old shifts short, then the asker's again. It is kept when the roster's
objective drops, undone otherwise. Each step is one employee's programme (tens of
milliseconds), so a chain costs what a CP-SAT search of a pair over the horizon
could not do in 10 s (Instance20: a pair's bound stayed 700 under its hint).
Pure: no I/O.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np

from roster.problem import ShiftRequest
from roster.sequences import BestResponses

#: Gain that forces the asker's schedule to meet its request: above any schedule's
#: other gains and costs over the horizon.
FORCE = 1e6
#: Gain a day of the asker's current schedule keeps in the forced response: the
#: smallest change that meets the request.
STAY = 2.0
#: Partners re-planned after the asker in one chain.
CHAIN_PARTNERS = 3


def unmet_requests(responses: BestResponses) -> list[ShiftRequest]:
    """The requests the responses' current plans do not meet."""
    unmet = []
    for r in responses.problem.requests:
        plan = responses.plans.get(r.employee)
        if plan is None:
            continue
        k = plan[r.day]
        works = k != 0 if r.shift is None else responses.symbols[k] == r.shift
        if works != r.on:
            unmet.append(r)
    return unmet


def _respond(
    responses: BestResponses,
    employee: str,
    until: float,
    force: list[tuple[int, int, float]] = (),  # type: ignore[assignment]
) -> bool:
    """Re-plan `employee` against the others. With `force` ((day, symbol, sign) each
    worth `sign * FORCE`): whatever it costs, the schedule closest to the current one
    (`STAY` a day kept) that does what is forced; without: only when the programme's
    schedule is better than the current one (its maxima priced, it can be worse).
    False when nothing changed."""
    responses._place(responses.plans[employee], -1)
    gain = responses.gain_for(responses.staffed)
    programme = responses.programmes[employee]
    current = responses.plans[employee]
    days = np.arange(len(current))
    now = float((gain[days, current] - programme.cost[days, current]).sum())
    if force:
        gain[days, current] += STAY
        for day, k, sign in force:
            if sign > 0:  # only `k` that day: every other symbol, off too, forbidden
                keep = gain[day, k]
                gain[day, :] = -math.inf
                gain[day, k] = keep
            else:
                gain[day, k] = -math.inf
    found = programme.best(gain, until=until)
    changed = found is not None and (bool(force) or found[1] > now + 1e-9)
    if changed and found is not None:
        responses.plans[employee] = found[0]
    responses._place(responses.plans[employee], 1)
    return changed


def _asked(responses: BestResponses, request: ShiftRequest) -> list[tuple[int, int, float]]:
    """The request as forced (day, symbol, sign)s."""
    if request.shift is None:
        ks = range(1, len(responses.symbols))
        if request.on:
            return []  # any shift: not forced by a sum of gains; not drawn
        return [(request.day, k, -1.0) for k in ks]
    return [(request.day, responses.column[request.shift], 1.0 if request.on else -1.0)]


def chain(
    responses: BestResponses, request: ShiftRequest, rng: random.Random, until: float
) -> bool:
    """One chain for `request` (see the module docstring); True when kept."""
    forced = _asked(responses, request)
    if not forced:
        return False
    before, saved = responses.objective(), dict(responses.plans)
    asker = request.employee
    old = saved[asker]
    _respond(responses, asker, until, forced)
    new = responses.plans[asker]
    if not any(k == new[d] if s > 0 else k != new[d] for d, k, s in forced):
        responses.adopt_plans(saved)
        return False
    # what the asker gave up (now short, or less over) and took (now over)
    vacated = [(d, old[d]) for d in range(len(old)) if old[d] and new[d] != old[d]]
    taken = [(d, new[d]) for d in range(len(new)) if new[d] and new[d] != old[d]]
    after, best_plans, best_value = dict(responses.plans), None, before
    others = [e for e in saved if e != asker]
    rng.shuffle(others)

    def fit(e: str) -> int:
        plan, cost = responses.plans[e], responses.programmes[e].cost
        holds = sum(1 for d, k in taken if plan[d] == k)
        can = sum(1 for d, k in vacated if not plan[d] and np.isfinite(cost[d, k]))
        return 2 * holds + can if holds else 0

    ranked = sorted((e for e in others if fit(e)), key=fit, reverse=True)
    for partner in ranked[:CHAIN_PARTNERS]:
        responses.adopt_plans(after)
        plan, cost = responses.plans[partner], responses.programmes[partner].cost
        swap = [(d, k, -1.0) for d, k in taken if plan[d] == k]
        swap += [(d, k, 1.0) for d, k in vacated if not plan[d] and np.isfinite(cost[d, k])]
        _respond(responses, partner, until, swap)
        _respond(responses, asker, until)
        _respond(responses, partner, until)
        value = responses.objective()
        if value < best_value - 1e-9:
            best_plans, best_value = dict(responses.plans), value
    responses.adopt_plans(best_plans or saved)
    return best_plans is not None


def improve(
    responses: BestResponses,
    until: float,
    seed: int = 0,
    stop: object = None,
) -> tuple[int, int]:
    """Chains for unmet requests, drawn by weight, until `until`
    (`time.perf_counter()`). Returns the chains tried and kept."""
    rng = random.Random(seed)
    tried = kept = 0
    while time.perf_counter() < until:
        unmet = unmet_requests(responses)
        if not unmet:
            break
        request = rng.choices(unmet, weights=[r.weight for r in unmet])[0]
        tried += 1
        kept += chain(responses, request, rng, until)
    return tried, kept
