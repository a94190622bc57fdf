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
  longer than the weekly rest allows (`roster.term_bound._runs_under_weekly_rest`), and
  every extra consultant on a type from one day to the next starts a run;
- night and weekend spread (the highest contract-relative count): the night (weekend)
  shifts demanded, shared among at most as many people as the team level allows, each
  up to their capacity, make the peak at least the smallest one that can hold them;
- faces and night spread together (`roster.faces_nights_bound`): a low night peak caps
  everyone's nights, so more people share them, each with a night face; and when the
  team is too small for any member to work nights only, each of them has a day or
  evening face too (one case, 8 weeks, pool 40: 20 + 120 where each alone said
  12 + 120). The two fields then split their joint bound: only their sum bounds
  the two terms' sum. For one case, the counts relaxation of `roster.joint_bound`
  adds everyone's hours (20 + 120 → 22 + 120) when it is higher; for several cases
  with their cover met, the same relaxation case by case under the pool's night peak
  (`faces_by_case_and_night_peak`: five cases, pool 60, 80 + 156 → 90 + 156);
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

Each term's own bound is in `roster.term_bound` (with the team level's, `team_bound`),
faces and night spread together in `roster.faces_nights_bound`; this module sums them
(`quality_bound`) and bounds the whole objective of a lexicographic solve over them
(`lexicographic_bound`).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from roster.faces_nights_bound import faces_and_night_peak, faces_by_case_and_night_peak
from roster.joint_bound import faces_and_night_spread
from roster.model_terms import LEVEL_COVER, LEVEL_QUALITY, LEVEL_TEAM
from roster.problem import RosterProblem
from roster.rhythm_bound import rhythm_bound
from roster.spreads_bound import WeekendUnderNightPeak
from roster.term_bound import (
    blocks_bound,
    faces_bound,
    members_per_case,
    spread_peak,
    team_bound,
)

#: The value `roster.rhythm_bound`'s steps aim at, over the blocks' own bound (one case
#: and five cases: 1.3 reached 116-117 and 581, 1.15 and none 114-116 and 572-582).
RHYTHM_TARGET = 1.3


@dataclass(frozen=True)
class QualityBound:
    """Weighted lower bound of each term of the rhythm and fairness level; with both
    weighted, faces and night spread are bounded together and only their sum bounds
    theirs (`roster.faces_nights_bound`), for several cases with the weekend spread
    too; so are blocks and isolated shifts when
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
    faces = faces_bound(p, missing, met) if w.face_per_time_of_day else 0
    night = spread_peak(p, lambda d, s: s.night, missing, team, met) if w.night_spread else 0
    weekend_peak = (
        spread_peak(p, lambda d, s: d in p.weekend_like_days, missing, team, met)
        if w.weekend_spread
        else 0
    )
    weekend = w.weekend_spread * weekend_peak
    if faces and night:
        lowest = night
        faces, night = faces_and_night_peak(p, missing, team, met, lowest)
        faces, night = faces * w.face_per_time_of_day, night * w.night_spread
        if len(p.cases) == 1:
            # the counts relaxation (`roster.joint_bound`, built on the same
            # capacities) adds the hours: one case, pool 40, 20 + 120 → 22 + 120. With
            # several cases CP-SAT does not prove it in seconds (five cases: not in 10
            # s; with shifts missing, none in its 0.5 work units, about 1 s a call), so
            # there it runs case by case (`faces_by_case_and_night_peak`), with the
            # cover met
            joint = faces_and_night_spread(p, missing, team, met)
            if joint is not None and sum(joint) > faces + night:
                faces, night = joint
        elif not missing:
            # with the weekend's peak under each night peak (`roster.spreads_bound`):
            # five cases, pool 60, seed 3, 74 + 216 + 100 → 74 + 216 + 108
            weekend_at = None
            if w.weekend_spread and team is not None:
                weekend_at = WeekendUnderNightPeak(p, members_per_case(p, team), met, weekend_peak)
            by_case = faces_by_case_and_night_peak(
                p, missing, team, met, lowest, weekend, weekend_at
            )
            if sum(by_case) > faces + night + weekend:
                faces, night, weekend = by_case
    else:
        faces, night = faces * w.face_per_time_of_day, night * w.night_spread
    blocks = w.block * blocks_bound(p, missing) if w.block else 0
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
        weekend_spread=weekend,
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
