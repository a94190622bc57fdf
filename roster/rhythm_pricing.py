"""A fast lower-bounding pricer for the rhythm level's column generation: one
employee's schedule by dynamic programme over the days.

CP-SAT proves a døgnindsats employee's pricing problem (8 weeks, 3x8, with history) in
about 3.5 s at mid-generation duals, too slow for the dozens of rounds a column
generation needs (`roster.quality_columns`). This programme solves a *relaxation* of
it exactly in milliseconds: its schedules keep only some of the employee's rules, and
its costs never exceed the true ones, so its minimum is a valid lower bound on the
pricing problem's, and the Lagrangian bound built on it holds.

Kept exactly: the shifts open to the employee (eligibility, the family's language),
one shift a day, the rest between shifts on consecutive days, the most days and
nights in a row (with the run before the horizon), and the most shifts over the
horizon (the tightest of `max_minutes`, on-site and per-type limits, in shifts of the
shortest type). Left out (the relaxation): the weekly rest, the 48-hour and night-worker
averages, rest rules across more than one day, the fewest days in a row. Costs: a
block per run of one shift type (from day 0, as the model counts them), an isolated
shift per working day between days off (none charged on day 0 when the employee
worked the day before: the model charges it, so this one undercharges), a face per
shift type worked (at least one (type, case) pair each: exact for one case), and the
team-membership price once if the employee works at all (exact for one case).
Requests cost nothing here (they are ≥ 0).

Pure: numpy only.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from roster.model import forbidden_successions
from roster.problem import Employee, RosterProblem

Schedule = tuple[tuple[int, str, str], ...]  # (day, shift, case) worked


class RhythmProgramme:
    """One employee's relaxed pricing problem (see the module docstring)."""

    def __init__(
        self, problem: RosterProblem, employee: Employee, open_: set[tuple[int, str, str]]
    ):
        """`open_`: the (day, shift, case) the employee may work at all."""
        p, w = problem, problem.weights
        self.days = p.days
        self.types = [s.id for s in p.shift_types if any(k[1] == s.id for k in open_)]
        self.index = {sid: i + 1 for i, sid in enumerate(self.types)}  # 0: off
        self.open = open_
        self.night = {self.index[s.id] for s in p.shift_types if s.night and s.id in self.index}
        self.block, self.isolated, self.face = w.block, w.isolated_shift, w.face_per_time_of_day
        follows = {(a, b) for a, b, offset in forbidden_successions(p) if offset == 1}
        self.allowed = {
            (0 if a is None else self.index[a], self.index[b])
            for a in [None, *self.types]
            for b in self.types
            if a is None or (a, b) not in follows
        }
        days_limit = p.max_consecutive_days(employee)
        self.max_days = min(p.days, days_limit) if days_limit is not None else p.days
        nights_limit = p.rules.max_consecutive_nights
        self.max_nights = nights_limit if nights_limit is not None else self.max_days
        self.before_days = min(employee.worked_days_before, self.max_days)
        self.before_nights = min(employee.nights_before, self.max_nights)
        minutes = [s.minutes for s in p.shift_types if s.id in self.index]
        stays = [s.duration_minutes for s in p.shift_types if s.id in self.index]
        limits = [p.days]
        upper, on_site = p.max_minutes(employee), p.max_on_site_minutes(employee)
        if upper is not None and minutes and min(minutes) > 0:
            limits.append(upper // min(minutes))
        if on_site is not None and stays and min(stays) > 0:
            limits.append(on_site // min(stays))
        typed = [employee.max_shifts_per_type.get(sid) for sid in self.types]
        if typed and all(t is not None for t in typed):
            limits.append(sum(t for t in typed if t is not None))
        self.max_shifts = max(0, min(limits))

    def price(
        self, gain: dict[tuple[int, str, str], float], team_price: float
    ) -> list[tuple[float, Schedule]]:
        """For every set of shift types worked, the schedule of least relaxed cost minus
        `gain` (per open (day, shift, case)) plus `team_price` when it works at all:
        (that value, schedule), the empty schedule included; the least is the bound."""
        best: dict[int, list[tuple[float, str]]] = {}  # type index → per day (gain, case)
        for t_id, t in self.index.items():
            per_day = [(-math.inf, "")] * self.days
            for day, sid, case in self.open:
                if sid == t_id:
                    value = gain.get((day, sid, case), 0.0)
                    if value > per_day[day][0]:
                        per_day[day] = (value, case)
            best[t] = per_day
        out: list[tuple[float, Schedule]] = [(0.0, ())]
        types = list(self.index.values())
        for size in range(1, len(types) + 1):
            for subset in itertools.combinations(types, size):
                value, path = self._solve(subset, best)
                if path is None:
                    continue
                value += self.face * size + team_price
                schedule = tuple(
                    (day, self.types[k - 1], best[k][day][1]) for day, k in enumerate(path) if k
                )
                out.append((value, schedule))
        return out

    def cost(self, schedule: Schedule) -> int:
        """The relaxed own cost of `schedule` (never above the model's): blocks,
        isolated shifts and faces as the programme counts them."""
        on = {day: sid for day, sid, _case in schedule}
        total = self.face * len({(sid, case) for _day, sid, case in schedule})
        for day, sid in on.items():
            if on.get(day - 1) != sid:
                total += self.block
            alone = day - 1 not in on and day + 1 not in on
            if alone and not (day == 0 and self.before_days):
                total += self.isolated
        return total

    def _solve(
        self, subset: tuple[int, ...], best: dict[int, list[tuple[float, str]]]
    ) -> tuple[float, list[int] | None]:
        """Least cost over the days working only the types in `subset`: value and the
        type index per day (0 off), None when no schedule works a shift of each."""
        kinds = len(self.types) + 1
        shape = (kinds, self.max_days + 1, self.max_nights + 1, self.max_shifts + 1)
        inf = math.inf
        value = np.full(shape, inf)
        value[0, self.before_days, self.before_nights, 0] = 0.0
        history = []
        for day in range(self.days):
            history.append(value)
            new = np.full_like(value, inf)
            lone = value.copy()
            lone[1:, 1] += self.isolated  # worked one day after a day off: isolated
            new[0, 0, 0, :] = lone.min(axis=(0, 1, 2))
            for t in subset:
                g = best[t][day][0]
                if g == -math.inf:
                    continue
                for k in range(kinds):
                    if (k, t) not in self.allowed:
                        continue
                    src = value[k, :-1, :, :-1] + (0.0 if k == t else self.block) - g
                    if t in self.night:
                        if k == t or k == 0:
                            target = new[t, 1:, 1:, 1:]
                            np.minimum(target, src[:, :-1, :], out=target)
                        else:
                            target = new[t, 1:, 1, 1:]
                            np.minimum(target, src.min(axis=1), out=target)
                    else:
                        target = new[t, 1:, 0, 1:]
                        np.minimum(target, src.min(axis=1), out=target)
            value = new
        final = value.copy()
        final[1:, 1] += self.isolated  # a lone shift on the last day
        # a path that works fewer types than the subset pays more faces than it has:
        # its own subset prices it right, so the least over the subsets is exact
        flat = int(np.argmin(final))
        total = float(final.flat[flat])
        if total == inf:
            return inf, None
        return total, self._backtrack(history, value, np.unravel_index(flat, final.shape), best)

    def _backtrack(
        self,
        history: list[np.ndarray],
        last: np.ndarray,
        state: tuple[np.intp, ...],
        best: dict[int, list[tuple[float, str]]],
    ) -> list[int]:
        """The type per day of a least-cost path ending in `state` (`last`'s)."""
        path = [0] * self.days
        k, c, q, n = (int(i) for i in state)
        current = last[k, c, q, n]
        for day in range(self.days - 1, -1, -1):
            before = history[day]
            path[day] = k
            found = None
            if k == 0:
                for k0, c0, q0 in itertools.product(
                    range(before.shape[0]), range(before.shape[1]), range(before.shape[2])
                ):
                    v = before[k0, c0, q0, n] + (self.isolated if k0 and c0 == 1 else 0.0)
                    if math.isclose(v, current, abs_tol=1e-7):
                        found = (k0, c0, q0, n)
                        break
            else:
                g = best[k][day][0]
                for k0 in range(before.shape[0]):
                    if (k0, k) not in self.allowed:
                        continue
                    if k in self.night and (k0 == k or k0 == 0):
                        options = [q - 1] if q >= 1 else []
                    elif k in self.night:
                        options = list(range(before.shape[2])) if q == 1 else []
                    else:
                        options = list(range(before.shape[2])) if q == 0 else []
                    for q0 in options:
                        v = before[k0, c - 1, q0, n - 1] + (0.0 if k0 == k else self.block) - g
                        if math.isclose(v, current, abs_tol=1e-7):
                            found = (k0, c - 1, q0, n - 1)
                            break
                    if found:
                        break
            assert found is not None, "a least-cost path has a predecessor"
            k, c, q, n = found
            current = before[k, c, q, n]
        return path
