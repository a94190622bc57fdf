"""A proven lower bound on the døgnindsats objective's rhythm and fairness level.

CP-SAT's own bound on that level comes from the LP of the compact model, which spreads
every shift thinly over many consultants: each face, block and peak is then worth a
fraction, and the bound stays far below any roster (one case, 8 weeks, 3x8: 141
against 467, issue 22). Each term has a simple combinatorial bound instead, from facts
every roster obeys:

- faces (consultant, shift type, case): the case's shifts of one type need people
  whose capacity for that type (`capacity`) adds up to the shifts demanded;
- blocks (runs of one shift type on consecutive days): no run is longer than the
  longest a consultant may work that type in a row, away from the horizon's ends no
  longer than the weekly rest allows (`_runs_under_weekly_rest`), and every extra
  consultant on a type from one day to the next starts a run;
- night and weekend spread (the highest contract-relative count): the night (weekend)
  shifts demanded, shared among at most as many people as the team level allows, each
  up to their capacity, make the peak at least the smallest one that can hold them;
- faces and night spread together (`_faces_and_night_peak`): a low night peak caps
  everyone's nights, so more people share them, each with a night face; and when the
  team is too small for any member to work nights only, each of them has a day or
  evening face too (one case, 8 weeks, pool 40: 20 + 120 where each alone said
  12 + 120). The two fields then split their joint bound: only their sum bounds
  the two terms' sum. For one case, the counts relaxation of `roster.joint_bound`
  adds everyone's hours (20 + 120 → 22 + 120) when it is higher; for several cases
  with their cover met, the same relaxation case by case under the pool's night peak
  (`_faces_by_case_and_night_peak`: five cases, pool 60, 80 + 156 → 90 + 156);
- blocks and isolated shifts together (`roster.rhythm_bound`): a Lagrangian bound of
  the cover and team rows, each consultant priced by a dynamic programme over their
  days with the rest rules, where higher than the blocks' own bound (one case, pool
  40: 114 -> 116-117; five cases, pool 60: 570 -> 581); the two fields then split it,
  and only their sum bounds the two terms';
- isolated shifts otherwise, and requests: 0.

Every term of the level is a sum over its own variables, so the sum of the terms'
lower bounds is a lower bound of the level (`QualityBound.total`). All of them hold for
every roster that misses at most `missing_shifts` consultant-shifts of the cover and
has at most `team_members` (consultant, case) team memberships — the values the
cover and team levels are fixed at in a lexicographic solve (`roster.solve`), so the
bound is a bound *given those levels*, as `RosterResult.bound` is.

Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from roster.capacities import (
    capacity,
    fairness_coefficient,
    longest_run,
    may_follow,
    spoken_days,
)
from roster.eligibility import speaks, why_not
from roster.heuristic import _weekly_rest_ok
from roster.joint_bound import FacesUnderNightPeak, faces_and_night_spread
from roster.model_terms import LEVEL_COVER, LEVEL_QUALITY, LEVEL_TEAM
from roster.peak_bound import crews_peak
from roster.problem import Case, Employee, RosterProblem
from roster.rhythm_bound import rhythm_bound
from roster.templates import ShiftType

#: The most night peaks past the lowest at which each case's faces are bounded
#: (`_faces_by_case_and_night_peak`), five relaxations each (five cases, pool 60: 2-4).
MAX_PEAKS_BY_CASE = 6
#: The value `roster.rhythm_bound`'s steps aim at, over the blocks' own bound (one case
#: and five cases: 1.3 reached 116-117 and 581, 1.15 and none 114-116 and 572-582).
RHYTHM_TARGET = 1.3


@dataclass(frozen=True)
class QualityBound:
    """Weighted lower bound of each term of the rhythm and fairness level; with both
    weighted, faces and night spread are bounded together and only their sum bounds
    theirs (`_faces_and_night_peak`); so are blocks and isolated shifts when
    `roster.rhythm_bound` is the higher (`isolated` then what it adds)."""

    blocks: int = 0
    faces: int = 0
    night_spread: int = 0
    weekend_spread: int = 0
    isolated: int = 0

    @property
    def total(self) -> int:
        return self.blocks + self.faces + self.night_spread + self.weekend_spread + self.isolated


def quality_bound(
    problem: RosterProblem,
    *,
    missing_shifts: int = 0,
    team_members: int | None = None,
    languages_met: bool = False,
    rhythm: bool = True,
) -> QualityBound:
    """Lower bound of the rhythm and fairness level (`LEVEL_QUALITY`) over rosters that
    leave at most `missing_shifts` consultant-shifts of the cover unstaffed and have
    at most `team_members` team memberships in all (None: no limit); with
    `languages_met`, over rosters with a speaker of the family's language on every
    shift that needs one (the cover level at 0); with `rhythm`, blocks and isolated
    shifts also by `roster.rhythm_bound`."""
    p, w = problem, problem.weights
    missing, team, met = missing_shifts, team_members, languages_met
    faces = _faces(p, missing, met) if w.face_per_time_of_day else 0
    night = _peak(p, lambda d, s: s.night, missing, team, met) if w.night_spread else 0
    if faces and night:
        lowest = night
        faces, night = _faces_and_night_peak(p, missing, team, met, lowest)
        faces, night = faces * w.face_per_time_of_day, night * w.night_spread
        if len(p.cases) == 1:
            # the counts relaxation (`roster.joint_bound`, built on the same
            # capacities) adds the hours: one case, pool 40, 20 + 120 → 22 + 120. With
            # several cases CP-SAT does not prove it in seconds (five cases: not in 10
            # s; with shifts missing, none in its 0.5 work units, about 1 s a call), so
            # there it runs case by case (`_faces_by_case_and_night_peak`), with the
            # cover met
            joint = faces_and_night_spread(p, missing, team, met)
            if joint is not None and sum(joint) > faces + night:
                faces, night = joint
        elif not missing:
            by_case = _faces_by_case_and_night_peak(p, missing, team, met, lowest)
            if sum(by_case) > faces + night:
                faces, night = by_case
    else:
        faces, night = faces * w.face_per_time_of_day, night * w.night_spread
    blocks = w.block * _blocks(p, missing) if w.block else 0
    isolated = 0
    if rhythm and (w.block or w.isolated_shift):
        # the target only sets the steps' length: a value above the bound
        priced = rhythm_bound(
            p, missing_shifts=missing, team_members=team, target=RHYTHM_TARGET * blocks + 1
        )
        if priced is not None and priced > blocks:
            isolated = priced - blocks
    return QualityBound(
        blocks=blocks,
        isolated=isolated,
        faces=faces,
        night_spread=night,
        weekend_spread=w.weekend_spread
        * _peak(p, lambda d, s: d in p.weekend_like_days, missing, team, met)
        if w.weekend_spread
        else 0,
    )


def lexicographic_bound(
    problem: RosterProblem,
    held: dict[int, int],
    levels: Collection[int],
    floors: Mapping[int, int] | None = None,
    *,
    rhythm: bool = True,
) -> int | None:
    """A lower bound of the whole objective of a lexicographic solve over priority
    `levels`, given the values `held` (level → value) its earlier levels are held at
    (each at most that): what they cost at least, their `floors` (level → the level's
    proven bound; the held value itself when not given, i.e. proven), plus for the
    levels not held the team's bound (`team_bound`) and the rhythm and fairness
    level's (`quality_bound`) under the cover and team allowed.
    With `rhythm`, the rhythm terms' bound includes `roster.rhythm_bound`.
    None when it does not apply: a level other than cover and team held (a repair's
    changes), the cover level not held, or an under-cover that costs nothing."""
    p = problem
    if any(level not in (LEVEL_COVER, LEVEL_TEAM) for level in held):
        return None
    if LEVEL_COVER in levels and LEVEL_COVER not in held:
        return None
    missing = 0
    cover = held.get(LEVEL_COVER, 0)
    if cover:
        weights = [p.under_weight(d) for d in p.cover if d.required > 0]
        if not weights or min(weights) <= 0:
            return None
        missing = cover // min(weights)
    total = sum(held.values()) if floors is None else sum(floors[level] for level in held)
    team_members = None
    if LEVEL_TEAM in held and p.weights.team_member > 0:
        team_members = held[LEVEL_TEAM] // p.weights.team_member
    elif LEVEL_TEAM in levels:
        total += p.weights.team_member * team_bound(p, missing_shifts=missing)
    if LEVEL_QUALITY in levels:
        # a cover level held at 0 leaves no shift without its language
        met = held.get(LEVEL_COVER) == 0
        bound = quality_bound(
            p, missing_shifts=missing, team_members=team_members, languages_met=met, rhythm=rhythm
        )
        total += bound.total
    return total


def team_bound(problem: RosterProblem, *, missing_shifts: int = 0) -> int:
    """The fewest (consultant, case) team memberships: per case, the fewest people whose
    capacities for its shifts (`capacity`) hold all of them but `missing_shifts`."""
    return sum(_team_per_case(problem, missing_shifts).values())


def _team_per_case(p: RosterProblem, missing_shifts: int) -> dict[str, int]:
    """`team_bound` per case."""
    per_case: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for demand in p.cover:
        if demand.required > 0:
            per_case[demand.case][demand.day] += demand.required
    out = {}
    for case_id, per_day in per_case.items():
        sids = sorted({d.shift for d in p.cover if d.case == case_id and d.required > 0})
        shifts = [p.shift[sid] for sid in sids]
        needed = sum(per_day.values()) - missing_shifts
        if needed > 0:
            caps = [capacity(p, e, shifts, set(per_day)) for e in p.employees]
            out[case_id] = _fewest_holding(caps, needed)
    return out


def _demanded(p: RosterProblem) -> dict[tuple[str, str], dict[int, int]]:
    """(case, shift type) → day → consultants required."""
    out: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for demand in p.cover:
        if demand.required > 0:
            out[(demand.case, demand.shift)][demand.day] += demand.required
    return out


def _fewest_holding(capacities: list[int], shifts: int) -> int:
    """The fewest people whose capacities add up to `shifts` (all who can work, when
    even they cannot: then the roster misses more than assumed, and any bound holds)."""
    held, count = 0, 0
    for cap in sorted(capacities, reverse=True):
        if held >= shifts or cap <= 0:
            break
        held, count = held + cap, count + 1
    return count


def _faces(p: RosterProblem, missing: int, languages_met: bool = False) -> int:
    """Per (case, shift type): the fewest people whose capacities hold its shifts; with
    `languages_met`, at least the fewest speakers whose capacities hold the shifts that
    need the family's language (each has a speaker on it)."""
    spoken = spoken_days(p) if languages_met else {}
    total = 0
    for (case_id, sid), per_day in _demanded(p).items():
        shift = p.shift[sid]
        days = set(per_day)
        needed = sum(per_day.values()) - missing
        if needed <= 0:
            continue
        caps = [capacity(p, e, [shift], days) for e in p.employees]
        fewest = _fewest_holding(caps, needed)
        language_days = spoken.get((case_id, sid), set())
        if language_days:
            case = p.case[case_id]
            speakers = [e for e in p.employees if speaks(e, case)]
            caps = [capacity(p, e, [shift], language_days) for e in speakers]
            fewest = max(fewest, _fewest_holding(caps, len(language_days)))
        total += fewest
    return total


def _faces_and_night_peak(
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
    fewest_faces = _faces(p, missing, languages_met)
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


def _faces_by_case_and_night_peak(
    p: RosterProblem, missing: int, team_members: int | None, languages_met: bool, lowest: int
) -> tuple[int, int]:
    """Weighted faces and night spread of several cases, at least `lowest` the night
    peak: the least sum over the peaks a roster may have of each case's faces under
    that peak, each from the counts relaxation of the case alone
    (`roster.joint_bound.FacesUnderNightPeak`). Faces are a sum over cases; a case's
    nights are among its members', so under the pool's peak; it misses at most what
    the roster does; and it has at most the memberships the other cases leave. Five
    cases, pool 60, seed 0: 9 faces a case at the night peak's bound 156, where the
    pooled per-type bound says 8 (80 + 156 → 90 + 156).

    A case's faces do not rise with the peak and change only where a coefficient
    divides it (`_steps`); a peak whose night spread alone, with every case at its
    fewest faces, costs no less than the lowest peak's sum cannot do better."""
    w = p.weights
    per_case_team = _team_per_case(p, missing)

    alone = {
        case.id: dataclasses.replace(
            p, cases=(case,), cover=tuple(d for d in p.cover if d.case == case.id)
        )
        for case in p.cases
    }

    def relaxation(case: Case) -> FacesUnderNightPeak:
        team = None
        if team_members is not None:
            team = team_members - sum(n for c, n in per_case_team.items() if c != case.id)
        return FacesUnderNightPeak(alone[case.id], missing, team, languages_met)

    faces_of = {case.id: relaxation(case) for case in p.cases}
    # a case's faces under any peak are at least its per-type bound (no relaxation to
    # solve for it)
    fewest = {
        case.id: w.face_per_time_of_day * _faces(alone[case.id], missing, languages_met)
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
    options = [(f, w.night_spread * peak) for f, peak in zip(faces, peaks, strict=True)]
    if len(beyond) > MAX_PEAKS_BY_CASE:
        # the peaks not tried cost at least their fewest faces
        options.append((sum(fewest.values()), w.night_spread * beyond[MAX_PEAKS_BY_CASE]))
    return min(options, key=sum)


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
        self.demanded = _demanded(p)
        self.coef = {e.id: fairness_coefficient(e) for e in p.employees}
        self.coefficients = {c for c in self.coef.values() if c}
        self.per_case_team = _team_per_case(p, missing)
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
                fewest = _fewest_holding(caps, needed)
                language_days = self.spoken.get((case_id, sid), set())
                if language_days:
                    caps = [
                        self._capped(e, c, peak) if night else c
                        for e, c in self.caps[(case_id, sid, True)]
                    ]
                    fewest = max(fewest, _fewest_holding(caps, len(language_days)))
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
        team = self.team - sum(n for c, n in self.per_case_team.items() if c != case.id)
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


def _blocks(p: RosterProblem, missing: int) -> int:
    """Per shift type: the shifts demanded over the longest run anyone may work it, and
    the rises of the daily demand (each extra person on a type from one day to the next
    starts a run); the larger of the two, summed over the types."""
    per_type: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (_case, sid), per_day in _demanded(p).items():
        for d, n in per_day.items():
            per_type[sid][d] += n
    over_allowed = any(d.over_weight is not None for d in p.cover)
    total = 0
    for sid, per_day in per_type.items():
        shift = p.shift[sid]
        longest = max((longest_run(p, e, [shift]) for e in p.employees), default=0)
        if _cannot_follow_itself(p, shift):
            longest = min(longest, 1)
        shifts = sum(per_day.values()) - missing
        if shifts <= 0 or longest <= 0:
            continue
        by_length = math.ceil(shifts / longest)
        if not over_allowed:
            by_length = max(by_length, _runs_under_weekly_rest(p, shift, longest, shifts, per_day))
        # a missing consultant-shift lowers at most one rise by one; with over-cover
        # allowed, a day may hold more people than its demand, and the rises say nothing
        rises = sum(max(0, per_day.get(d, 0) - per_day.get(d - 1, 0)) for d in range(p.days))
        total += by_length if over_allowed else max(by_length, rises - missing)
    return total


def _runs_under_weekly_rest(
    p: RosterProblem, shift: ShiftType, longest: int, shifts: int, per_day: dict[int, int]
) -> int:
    """The fewest runs of `shift` that hold `shifts` when the weekly rest, counted
    inside each window of days, caps a run below `longest` away from the horizon's
    ends: 3x8 with 35 h in every 7 days allows 4 day shifts and 5 evenings in a row
    there, not 6 (6 days then a day off leave 33 h in the window ending on the day
    off). Ruled out by windows inside the horizon only, so with or without history.

    `interior`: the longest run of `shift` alone (every other day off, so as much rest
    as any roster has around it) that passes every window. A longer run starts where a
    run of `interior + 1` alone passes (its first `interior + 1` days rest no less):
    at most `per_day` of that day's such starts. Those runs hold up to `longest` each,
    every other run up to `interior`. That holds for any `interior`: probing it in
    the middle of the horizon only makes it as small as the rule allows."""
    if p.rules.weekly_rest_minutes is None:
        return 0
    interior = longest
    while interior > 1 and not _passes_weekly_rest(p, shift, p.days // 2, interior):
        interior -= 1
    if interior >= longest:
        return 0
    long_runs = sum(
        per_day.get(d, 0) for d in range(p.days) if _passes_weekly_rest(p, shift, d, interior + 1)
    )
    if shifts <= long_runs * longest:
        return math.ceil(shifts / longest)
    return long_runs + math.ceil((shifts - long_runs * longest) / interior)


def _passes_weekly_rest(p: RosterProblem, shift: ShiftType, first: int, days: int) -> bool:
    """`days` shifts of `shift` in a row from day `first`, alone, keep the weekly rest in
    every window inside the horizon."""
    if first + days > p.days:
        return False
    spans = [shift.span(d) for d in range(first, first + days)]
    return all(_weekly_rest_ok(p, spans, d, past=False) for d in range(first, first + days))


def _cannot_follow_itself(p: RosterProblem, shift: ShiftType) -> bool:
    """The rest rule or the rotation list forbids `shift` on two days in a row."""
    return not may_follow(p, shift, shift)


def _peak(
    p: RosterProblem,
    counts: Callable[[int, ShiftType], bool],
    missing: int,
    team_members: int | None,
    languages_met: bool = False,
) -> int:
    """The smallest peak of contract-relative counted shifts (`add_fairness`) that the
    counted shifts demanded fit under, spread over at most `team_members` people; with
    `languages_met` (every shift that needs the family's language has a speaker), also
    each case's counted shifts that need its language, spread over its speakers; and
    for several cases, who can staff which case (`_across_crews`)."""
    demands = [(d.day, p.shift[d.shift], d.required) for d in p.cover if d.required > 0]
    peak = _smallest_peak(p, [x for x in demands if counts(x[0], x[1])], missing, team_members)
    if not languages_met:
        return _across_crews(p, counts, missing, team_members, languages_met, peak)
    needing = spoken_days(p)
    for case in p.cases:
        if case.language is None:
            continue
        spoken = [
            (day, p.shift[sid], 1)
            for (case_id, sid), days in needing.items()
            if case_id == case.id
            for day in sorted(days)
            if counts(day, p.shift[sid])
        ]
        speakers = [e for e in p.employees if speaks(e, case)]
        peak = max(peak, _smallest_peak(p, spoken, 0, team_members, speakers))
    return _across_crews(p, counts, missing, team_members, languages_met, peak)


def _across_crews(
    p: RosterProblem,
    counts: Callable[[int, ShiftType], bool],
    missing: int,
    team_members: int | None,
    languages_met: bool,
    peak: int,
) -> int:
    """`peak` raised by who can staff which case within the team (`roster.peak_bound`)
    for several cases with their cover met: five cases, pool 60, seed 0, team 25, the
    night peak 140 → 156."""
    if len(p.cases) < 2 or team_members is None or missing:
        return peak
    return crews_peak(p, counts, team_members, peak, languages_met)


def _smallest_peak(
    p: RosterProblem,
    demands: list[tuple[int, ShiftType, int]],
    missing: int,
    team_members: int | None,
    among: list[Employee] | None = None,
) -> int:
    """The smallest peak that `demands` ((day, shift type, consultants)) less `missing`
    fit under, spread over at most `team_members` of `among` (everyone by default)."""
    counted: dict[str, set[int]] = defaultdict(set)
    needed = -missing
    for day, shift, required in demands:
        counted[shift.id].add(day)
        needed += required
    if needed <= 0:
        return 0
    shift_types = [p.shift[sid] for sid in counted]
    days = set().union(*counted.values())
    people: list[tuple[int, int | None]] = []  # (capacity, coefficient or None: no peak)
    for e in p.employees if among is None else among:
        usable = [s for s in shift_types if any(why_not(p, e, d, s) is None for d in days)]
        cap = capacity(p, e, usable, days)
        if cap <= 0:
            continue
        people.append((cap, fairness_coefficient(e)))  # None: counts in no peak (`add_fairness`)

    def holds(peak: int) -> bool:
        shares = sorted(
            (cap if coef is None else min(cap, peak // coef) for cap, coef in people),
            reverse=True,
        )
        if team_members is not None:
            shares = shares[:team_members]
        return sum(shares) >= needed

    high = max((coef or 0) * cap for cap, coef in people) if people else 0
    if not holds(high):
        return 0  # the demand cannot be met as assumed: claim nothing
    low = 0
    while low < high:
        mid = (low + high) // 2
        if holds(mid):
            high = mid
        else:
            low = mid + 1
    return low
