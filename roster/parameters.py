"""`SearchParameters`: how `roster.solve.solve` searches, and `with_presolve`, the
presolve a problem gets when its parameters do not say."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from roster.clock import WORK_PER_SECOND
from roster.problem import RosterProblem
from roster.rotation import applicable as rotation_applies


@dataclass(frozen=True)
class SearchParameters:
    """CP-SAT parameters; defaults tuned on the benchmarks (see scripts/bench_*.py)."""

    num_workers: int = 2
    linearization_level: int = 1
    symmetry_level: int = 2
    #: Large-neighbourhood search (`roster.lns`) inside each stage; fractions of the
    #: stage budget for the first CP-SAT run and the last (bound-raising) run. The first
    #: run proves a døgnindsats minimum team (1 case, pool 40, 8 weeks) in 1.9-4.9 s on
    #: a slow 2-core machine, where the LNS does not find it from a team one larger:
    #: 0.1 of a 30 s limit cut that proof off in about one run of seven; 0.25 does not,
    #: and five cases end at the same team and a similar objective.
    lns: bool = True
    lns_initial_fraction: float = 0.25
    lns_final_fraction: float = 0.1
    lns_subsolve_seconds: float = 1.0
    #: Shortest first CP-SAT run before the LNS, whatever `lns_initial_fraction` gives.
    lns_initial_seconds: float = 1.0
    #: Lexicographic solve: share of the remaining time for each level but the last, in
    #: order of priority; a level without one gets an equal part. A level proven optimal
    #: early leaves its unused time to the next either way.
    level_shares: tuple[float, ...] = ()
    #: Start from the greedy roster (`heuristic.greedy`), or the repaired rotation
    #: (`rotation.warm_start`) when it is better, when no hint is given.
    greedy_hint: bool = True
    #: Reproducible search (`roster.clock.WorkClock`): the time limit is counted in
    #: CP-SAT's deterministic time, so the same problem, seed and time limit give the
    #: same roster, at the price of a run time that only roughly follows the limit.
    deterministic: bool = False
    #: Deterministic time counted as one second of a reproducible search's limit; lower
    #: it on a machine slower than the one `WORK_PER_SECOND` was calibrated on, so that
    #: its searches end before the wall guard cuts them off (`roster.clock`), with less
    #: search in them. Each rate gives its own rosters.
    work_per_second: float = WORK_PER_SECOND
    log: bool = False
    #: A light CP-SAT presolve (no probing, one pass) for døgnindsats rosters, on every
    #: priority level but the last; None: for problems with one consultant per shift
    #: and priority levels (`rotation.applicable`), not for the NRP benchmark. Presolve
    #: of five cases from a pool of 60 (8 weeks, 18 weeks of history; load 5.5): 21.7 s
    #: with the defaults, 16.4 s without probing, 5.8 s without probing in one pass;
    #: the symmetry level changes nothing.
    light_presolve: bool | None = None
    #: Solve a problem too big to build in its time by windows (`roster.windows`).
    decompose: bool = True
    #: The rhythm level's bound includes `roster.rhythm_bound` (1-1.5 s for five cases,
    #: pool 60); off for a case searched alone (`roster.by_case`), whose bound no one
    #: reads, where it took 1.1 CPU s of each case's 6 s.
    rhythm_bound: bool = True
    #: The result's per-term bound (`roster.bound`, the rhythm level's given the levels
    #: held) computed at all; off for a case searched alone (`roster.by_case`), whose
    #: bound no one reads, where it took 0.25 s of each case's 7 s (five cases, pool 60).
    terms_bound: bool = True


def with_presolve(problem: RosterProblem, params: SearchParameters) -> SearchParameters:
    """`params` with `light_presolve` decided: as given, else light for a døgnindsats
    (one consultant per shift, priority levels) and full for anything else (the NRP)."""
    if params.light_presolve is not None:
        return params
    light = problem.weights.lexicographic and rotation_applies(problem)
    return dataclasses.replace(params, light_presolve=light)
