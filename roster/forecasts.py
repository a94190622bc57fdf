"""Forecasts of how long a solve's steps take, made before they run: the whole model's
build (`build_seconds`), which decides whether a problem is built whole or solved in
time windows (`too_big_to_build`), and the greedy roster (`greedy_seconds`), which
decides whether a decomposed døgnindsats starts from it.

Each forecast counts what the step makes, cheaply; the constants turn the counts into
seconds, with the measurements behind them in their comments. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter

from roster import heuristic, windows
from roster.problem import RosterProblem

#: Share of the time limit the whole model's build may take before the problem is
#: solved in time windows instead.
BUILD_SHARE = 0.25
#: Build time per (employee, shift of a day) pair: the y variable and its rules, and
#: the x variable of the slot's first case. Measured with the 2-core machine loaded by
#: other searches (load 10): Instance22 (364 days, 50 staff, 10 shift types: 182,000
#: pairs) built in 38 s at first, 34 s with the per-employee index of
#: `RosterModel.y_of`, 17.5 s with the cyclic garbage collector paused; Instance20
#: (54,600 pairs) in 5.8 s before the pause. CP-SAT's presolve of the built model takes
#: as long again, hence the margin: one case, pool 40, 8 weeks (6,720 pairs) built in
#: 0.64 CPU s (load 1.6), 9.5e-5 a pair.
BUILD_SECONDS_PER_PAIR = 1.5e-4
#: Build time per x variable of a slot's second and later cases (an (employee, day,
#: shift, case) beyond the first case on that day and shift: a term of its cover, of
#: its y and of its case's team and faces), with the margin of `BUILD_SECONDS_PER_PAIR`
#: (1.5 times the build). The pairs alone forecast 20 cases from a pool of 150 as if
#: each case were a problem of its own: a window of 21 days 28 s, built in 4.4-5.8 s.
#: Measured 2026-12-06 04:34-04:55 UTC (win20, load 0.5-1.6, `RosterModel` CPU
#: seconds, 18 weeks of history), forecast against built: one case, pool 40, 8 weeks
#: 1.0 / 0.64 s; 13 weeks 1.9 / 1.56; 26 weeks 7.4 / 5.7; five cases, pool 60, 8
#: weeks 3.3 / 2.45 (the pairs alone: 7.6); 13 weeks 5.9 / 3.9 (12.7); 26 weeks 16.9 /
#: 10.2 (30.7); 20 cases, pool 150, 4 weeks 12.7 / 7.2 (37.8); 8 weeks 25.3 / 15.9
#: (75.6); windows of its 52 weeks from the greedy roster, 14 days 6.3 / 2.9 (18.9), 21
#: days 9.5 / 4.4-5.8 (28.4), 28 days 12.7 / 6.2 (37.8). The build, 3.0e-5 a case's
#: x variable past the first, 8e-5 a pair, is linear in both.
BUILD_SECONDS_PER_EXTRA_CASE = 4.5e-5


#: A model built faster than this is built whole whatever the limit: a short limit on
#: a small problem (a test, a quick preview) overruns by less than the windows' own
#: overhead, and keeps the whole model's search and bound.
MIN_DECOMPOSED_BUILD = 3.0


#: Build time per term of the 48-hour average's reference periods (a shift of a day in
#: a period, for each period and employee; `roster.model_rules._add_reference_periods`, and
#: the night workers' periods about as many again), with the margin of
#: `BUILD_SECONDS_PER_PAIR`: a year of one case (pool 40, 18 weeks of history, 4.0
#: million terms over 13,420 periods) built in 14.2 CPU s (16.6 s, load 3.8) where its
#: pairs forecast 6.6 s; 26 weeks (1.4 million terms) in 5.4 against 3.3 s.
BUILD_SECONDS_PER_PERIOD_TERM = 3e-6


def build_seconds(problem: RosterProblem) -> float:
    """A rough forecast of the seconds the whole model takes to build: the variables it
    makes, (employee, shift of a day) pairs and the x variables of the further cases on
    a slot (`model_pairs`), and the terms of its reference periods (a long døgnindsats
    has one a day per employee, each summing up to four months of shifts)."""
    pairs, extra = model_pairs(problem)
    return (
        pairs * BUILD_SECONDS_PER_PAIR
        + extra * BUILD_SECONDS_PER_EXTRA_CASE
        + period_terms(problem) * BUILD_SECONDS_PER_PERIOD_TERM
    )


def model_pairs(problem: RosterProblem) -> tuple[int, int]:
    """(employee, shift of a day) pairs of the demands the model makes variables for
    (a demand asking for somebody, or one that may be over-covered), and the (employee,
    demand) pairs of the second and later cases on such a day and shift. Every
    employee counts, eligible or not: an upper bound of the variables, cheap to count."""
    built = Counter(
        (c.day, c.shift) for c in problem.cover if c.required > 0 or c.over_weight is not None
    )
    employees = len(problem.employees)
    slots = len(built)
    return slots * employees, (sum(built.values()) - slots) * employees


def period_terms(problem: RosterProblem) -> int:
    """The terms of the reference periods' sums: each period's days times the shifts
    of a day, over every employee's periods (`RosterProblem.reference_windows`)."""
    if not problem.days:
        return 0
    shifts_per_day = len({(c.day, c.shift) for c in problem.cover}) / problem.days
    days = sum(
        w.end_day - w.first_day for e in problem.employees for w in problem.reference_windows(e)
    )
    return round(days * shifts_per_day)


def too_big_to_build(problem: RosterProblem, time_limit: float) -> bool:
    """The whole model would take more than `BUILD_SHARE` of the limit (and more than
    `MIN_DECOMPOSED_BUILD`) to build, and the horizon is long enough to split into
    windows."""
    long_enough = problem.days >= 2 * windows.WINDOW_DAYS
    seconds = build_seconds(problem)
    return long_enough and seconds > max(BUILD_SHARE * time_limit, MIN_DECOMPOSED_BUILD)


#: Seconds of the greedy roster (`heuristic.greedy`) per (shift, employee) pair and
#: ranking, with a margin for some load: it checks the rules once per shift of a day
#: and employee, whatever the number of cases on it (`heuristic.greedy_roster`'s
#: `may_take`). Two rankings, CPU seconds at load 3-4: five cases, pool 60, 52 weeks
#: (1,092 shifts: 65,520 pairs) 8.4 s (6.4e-5 a pair); 20 cases, pool 150, 52 weeks
#: (163,800 pairs) 17.4 s (5.3e-5); one case, pool 40, 52 weeks, one ranking 1.7 s (4e-5).
GREEDY_SECONDS_PER_PAIR = 7e-5


def greedy_seconds(problem: RosterProblem) -> float:
    """A forecast of `heuristic.greedy`'s seconds on `problem`."""
    shifts = len({(c.day, c.shift) for c in problem.cover})
    pairs = shifts * len(problem.employees)
    return pairs * heuristic.greedy_runs(problem) * GREEDY_SECONDS_PER_PAIR
