"""Faces and the night spread bounded together, the joint term of `roster.bound`: a low
night peak caps everyone's nights, so more people share them, each with a night face;
and when the team is too small for any member to work nights only, each of them has a
day or evening face too.

- `faces_and_night_peak`: over the pool's capacities per shift type (`_FacesAtPeak`),
  the (faces, peak) of least weighted sum over the peaks a roster may have;
- `faces_by_case_and_night_peak`: for several cases with their cover met, each case's
  faces under the pool's peak from the counts relaxation of the case alone
  (`roster.joint_bound.FacesUnderNightPeak`), the peaks between probed by halving
  (`_steps`).

Only the two terms' sum is bounded (`roster.bound.QualityBound`). Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from roster.capacities import capacity, fairness_coefficient, spoken_days
from roster.eligibility import speaks
from roster.joint_bound import FacesUnderNightPeak
from roster.problem import Case, Employee, RosterProblem
from roster.term_bound import demanded, faces_bound, fewest_holding, members_per_case

#: The most night peaks past the lowest at which each case's faces are bounded
#: (`faces_by_case_and_night_peak`), five relaxations each (five cases, pool 60: 2-4).
MAX_PEAKS_BY_CASE = 6


def faces_and_night_peak(
    p: RosterProblem, missing: int, team_members: int | None, languages_met: bool, lowest: int
) -> tuple[int, int]:
    """Faces and night peak together, at least `lowest` (the night peak's own bound):
    the (faces, peak) of least weighted sum over the peaks a roster may have. A low
    peak caps everyone's nights (peak // coefficient), so a case's nights need more
    people, each with a night face (`_faces_at`); raising the peak past the point where
    the faces it saves are worth less than its own weight gains nothing, and between
    two multiples of the coefficients the caps do not change, so only those peaks are
    tried."""
    w = p.weights
    faces_at = _FacesAtPeak(p, missing, team_members, languages_met)
    best = (faces_at(lowest), lowest)
    fewest_faces = faces_bound(p, missing, languages_met)
    stop = lowest + math.ceil(w.face_per_time_of_day * (best[0] - fewest_faces) / w.night_spread)
    peaks = {
        k * coef
        for coef in faces_at.coefficients
        for k in range(lowest // coef + 1, stop // coef + 1)
    }
    for peak in sorted(peaks):
        faces = faces_at(peak)
        if w.face_per_time_of_day * faces + w.night_spread * peak < (
            w.face_per_time_of_day * best[0] + w.night_spread * best[1]
        ):
            best = (faces, peak)
    return best


def faces_by_case_and_night_peak(
    p: RosterProblem,
    missing: int,
    team_members: int | None,
    languages_met: bool,
    lowest: int,
    weekend: int = 0,
    weekend_at: Callable[[int], int] | None = None,
) -> tuple[int, int, int]:
    """Weighted faces, night spread and weekend spread of several cases, at least
    `lowest` the night peak: the least sum over the peaks a roster may have of each
    case's faces under that peak, each from the counts relaxation of the case alone
    (`roster.joint_bound.FacesUnderNightPeak`), the peak, and `weekend_at(peak)` (the
    weekend term's bound under that night peak; `weekend`, its own bound, without it).
    Faces are a sum over cases; a case's nights are among its members', so under the
    pool's peak; it misses at most what the roster does; and it has at most the
    memberships the other cases leave. Five cases, pool 60, seed 0: 9 faces a case at
    the night peak's bound 156, where the pooled per-type bound says 8 (80 + 156 → 90
    + 156). The weekend under the night peak (`roster.spreads_bound`) does not rise
    with it and changes only where a coefficient divides it, as the faces; it is asked
    only where it may still lower the sum, and past the peaks tried taken as
    `weekend`.

    A case's faces do not rise with the peak and change only where a coefficient
    divides it (`_steps`); a peak whose night spread alone, with every case at its
    fewest faces, costs no less than the lowest peak's sum cannot do better."""
    w = p.weights
    members = members_per_case(p, team_members, missing) if team_members is not None else {}

    alone = {
        case.id: dataclasses.replace(
            p, cases=(case,), cover=tuple(d for d in p.cover if d.case == case.id)
        )
        for case in p.cases
    }

    def relaxation(case: Case) -> FacesUnderNightPeak:
        return FacesUnderNightPeak(alone[case.id], missing, members.get(case.id), languages_met)

    faces_of = {case.id: relaxation(case) for case in p.cases}
    # a case's faces under any peak are at least its per-type bound (no relaxation to
    # solve for it)
    fewest = {
        case.id: w.face_per_time_of_day * faces_bound(alone[case.id], missing, languages_met)
        for case in p.cases
    }
    at_lowest = {case.id: faces_of[case.id](lowest) for case in p.cases}
    # past `stop` the night spread alone, with every case at its fewest faces, costs
    # more than the peak's bound already does
    stop = lowest + math.ceil((sum(at_lowest.values()) - sum(fewest.values())) / w.night_spread)
    coefficients = {c for e in p.employees if (c := fairness_coefficient(e))}
    beyond = sorted({k * c for c in coefficients for k in range(lowest // c + 1, stop // c + 1)})
    peaks = [lowest, *beyond[:MAX_PEAKS_BY_CASE]]
    faces = [0] * len(peaks)
    for case in p.cases:
        if at_lowest[case.id] <= fewest[case.id]:
            steps = [at_lowest[case.id]] * len(peaks)
        else:
            steps = _steps(faces_of[case.id], peaks, at_lowest[case.id])
        faces = [a + b for a, b in zip(faces, steps, strict=True)]
    options: list[tuple[int, int, int | None]] = [
        (f, w.night_spread * peak, peak) for f, peak in zip(faces, peaks, strict=True)
    ]
    if len(beyond) > MAX_PEAKS_BY_CASE:
        # the peaks not tried cost at least their fewest faces
        options.append((sum(fewest.values()), w.night_spread * beyond[MAX_PEAKS_BY_CASE], None))
    return _cheapest(options, weekend, weekend_at)


def _cheapest(
    options: list[tuple[int, int, int | None]],
    weekend: int,
    weekend_at: Callable[[int], int] | None,
) -> tuple[int, int, int]:
    """The (faces, night, weekend) of least sum over `options` (faces, night, the night
    peak or None past the peaks tried), the weekend at least `weekend` and, with
    `weekend_at`, its bound under the option's night peak, asked in order of the
    options' own sums until one plus `weekend` passes the best found."""
    best = (0, 0, 0)
    for i, (faces, night, peak) in enumerate(sorted(options, key=lambda o: o[0] + o[1])):
        if i and faces + night + weekend >= sum(best):
            break
        under = weekend if peak is None or weekend_at is None else max(weekend, weekend_at(peak))
        if not i or faces + night + under < sum(best):
            best = (faces, night, under)
    return best


def _steps(faces_at: Callable[[int], int], peaks: list[int], first: int) -> list[int]:
    """A case's faces at each of `peaks` (ascending), `first` at the first: they do not
    rise with the peak, so where two peaks' values are equal so are those between
    (and the larger peak's proven bound holds for every peak below it), halving
    between them otherwise."""
    values: list[int | None] = [None] * len(peaks)
    values[0] = first
    if len(peaks) > 1:
        values[-1] = faces_at(peaks[-1])

    def fill(low: int, high: int) -> None:
        if high - low < 2:
            return
        if values[low] == values[high]:
            for i in range(low + 1, high):
                values[i] = values[high]
            return
        middle = (low + high) // 2
        values[middle] = faces_at(peaks[middle])
        fill(low, middle)
        fill(middle, high)

    fill(0, len(peaks) - 1)
    return [v if v is not None else 0 for v in values]


class _FacesAtPeak:
    """The fewest faces of rosters whose night peak is at most a given value (called
    with it). Per case: the night type's shifts held by people whose nights the peak
    caps; and the people on nights who must work a day or evening shift of the case
    too, each with a face there: with at most `team_members` people on the case (less
    the fewest the other cases need), if k of them worked nights only, their shifts
    could not add up to the case's (`_nights_only`), so at most k - 1 do."""

    def __init__(
        self, p: RosterProblem, missing: int, team_members: int | None, languages_met: bool
    ) -> None:
        self.p, self.missing, self.team = p, missing, team_members
        self.spoken = spoken_days(p) if languages_met else {}
        self.demanded = demanded(p)
        self.coef = {e.id: fairness_coefficient(e) for e in p.employees}
        self.coefficients = {c for c in self.coef.values() if c}
        self.members = (
            members_per_case(p, team_members, missing) if team_members is not None else {}
        )
        self.caps: dict[tuple[str, str, bool], list[tuple[str, int]]] = {}
        for (case_id, sid), per_day in self.demanded.items():
            for spoken in (False, True):
                days = self.spoken.get((case_id, sid), set()) if spoken else set(per_day)
                self.caps[(case_id, sid, spoken)] = [
                    (e.id, capacity(p, e, [p.shift[sid]], days))
                    for e in self._people(case_id, spoken)
                ]

    def _people(self, case_id: str, spoken: bool) -> list[Employee]:
        case = self.p.case[case_id]
        return [e for e in self.p.employees if not spoken or speaks(e, case)]

    def _capped(self, eid: str, cap: int, peak: int) -> int:
        coef = self.coef[eid]
        return cap if coef is None else min(cap, peak // coef)

    def __call__(self, peak: int) -> int:
        p = self.p
        total = 0
        for case in p.cases:
            night_people, other_faces = 0, 0
            for (case_id, sid), per_day in self.demanded.items():
                if case_id != case.id:
                    continue
                night = p.shift[sid].night
                needed = sum(per_day.values()) - self.missing
                if needed <= 0:
                    continue
                caps = [
                    self._capped(e, c, peak) if night else c
                    for e, c in self.caps[(case_id, sid, False)]
                ]
                fewest = fewest_holding(caps, needed)
                language_days = self.spoken.get((case_id, sid), set())
                if language_days:
                    caps = [
                        self._capped(e, c, peak) if night else c
                        for e, c in self.caps[(case_id, sid, True)]
                    ]
                    fewest = max(fewest, fewest_holding(caps, len(language_days)))
                if night:
                    night_people = max(night_people, fewest)
                    total += fewest
                else:
                    other_faces += fewest
            on_others = night_people - (self._nights_only(case, peak) - 1)
            total += max(other_faces, on_others)
        return total

    def _nights_only(self, case: Case, peak: int) -> int:
        """The fewest of the case's team that working nights only would leave its shifts
        short (more than the team can have: nothing follows)."""
        p = self.p
        if self.team is None:
            return len(p.employees) + 1
        team = self.members[case.id]
        sids = sorted({sid for (c, sid) in self.demanded if c == case.id})
        shifts = [p.shift[sid] for sid in sids]
        nights = [s for s in shifts if s.night]
        days = {d for (c, _sid), per_day in self.demanded.items() if c == case.id for d in per_day}
        needed = sum(
            sum(per_day.values()) for (c, _sid), per_day in self.demanded.items() if c == case.id
        )
        needed -= self.missing
        # a case whose every shift needs its language (one consultant, no over-cover)
        # is staffed by its speakers alone once the cover level is 0
        own = [d for d in p.cover if d.case == case.id and d.required > 0]
        alone = all(
            d.required == 1
            and d.over_weight is None
            and d.day in self.spoken.get((case.id, d.shift), ())
            for d in own
        )
        people = self._people(case.id, alone)
        caps = sorted((capacity(p, e, shifts, days) for e in people), reverse=True)
        loss = sorted(
            capacity(p, e, shifts, days) - self._capped(e.id, capacity(p, e, nights, days), peak)
            for e in people
        )
        held = sum(caps[:team])
        for k in range(1, min(team, len(loss)) + 1):
            if held - sum(loss[:k]) < needed:
                return k
        return len(p.employees) + 1
