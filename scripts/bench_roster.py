"""Døgnindsats roster benchmark on deterministic synthetic pools (no real people).

1. One case, 8 weeks, 3x8, pool of 40: the minimum team size, proven (target < 10 s).
   Solved with cover + team only, so "OPTIMAL" means the team size is proven minimal;
   then the full objective (rhythm, fairness, preferences) with a time limit.
2. Five concurrent cases, 8 weeks, pool of 60: a legal roster and its bound (< 60 s).
3. Repair after one sick day: how many days the repair touches (target: only that day).
4. Long horizons (`--only long`): one case for 52 weeks in 30 s, five cases (pool 60) for
   a quarter (13 weeks) and for 52 weeks in 55 s: a legal roster within the limit + 10 %.

Every roster is re-checked with the independent validator.

    .venv/bin/python scripts/bench_roster.py [--json OUT] [--seed N] [--reproducible]
        [--work-per-second RATE] [--only team|full|five]

`--only`: one part (team: 1a, full: 1b, five: 2, long: 4), the repair (3) left out, e.g.
30 s a try of the one case's full objective.

`--reproducible`: the searches the API runs by default (`SearchParameters.deterministic`,
time limits counted in CP-SAT's work units); the time targets are then not checked.
`--work-per-second`: the rate they are counted at (`SearchParameters.work_per_second`,
the API's `FAMPLAN_ROSTER_WORK_PER_SECOND`), to choose one for a slower machine.

Measured history, session by session: docs/history/bench_roster.md (the figures behind
the settings that the code's comments cite).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from roster import ObjectiveWeights, SickDays, repair, solve, validate
from roster.clock import WORK_PER_SECOND
from roster.examples import dognindsats_problem
from roster.parameters import SearchParameters
from roster.problem import RosterProblem
from roster.result import RosterResult
from solving.status import SolveStatus

#: Weeks of an earlier roster before the horizon: the reference period of the 48-hour
#: average (4 months) and more, so the rules carry over (`roster.examples.with_history`).
HISTORY_WEEKS = 18

COVER_AND_TEAM = dataclasses.replace(
    ObjectiveWeights(),
    block=0,
    isolated_shift=0,
    face_per_time_of_day=0,
    night_spread=0,
    weekend_spread=0,
)


#: (cases, pool, weeks, time limit) of part 4: a year of one case, a quarter and a year
#: of five, a year of twenty from a pool of 150.
LONG_HORIZONS = ((1, 40, 52, 30), (5, 60, 13, 55), (5, 60, 52, 55), (20, 150, 52, 60))


def _solved(
    bench: str,
    problem: RosterProblem,
    time_limit: float,
    seed: int,
    search: SearchParameters,
    target: str,
) -> tuple[RosterResult, float, int, dict[str, Any]]:
    """Solve `problem`, re-check its roster with the validator, and the row that reports
    it: the result, its wall seconds, its violations and the row."""
    t0 = time.perf_counter()
    result = solve(problem, time_limit=time_limit, seed=seed, parameters=search)
    seconds = time.perf_counter() - t0
    violations = len(validate(problem, result.roster))
    kpis = result.kpis
    row: dict[str, Any] = {
        "bench": bench,
        "status": result.status.value,
        "team_size": kpis.total_team_size if kpis else None,
        "uncovered": len(result.uncovered),
        "objective": result.objective,
        "bound": result.bound,
        "seconds": round(seconds, 2),
        "violations": violations,
        "terms": result.terms,
        "target": target,
    }
    return result, seconds, violations, row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reproducible", action="store_true")
    parser.add_argument("--work-per-second", type=float, default=WORK_PER_SECOND)
    parser.add_argument(
        "--history-weeks",
        type=int,
        default=HISTORY_WEEKS,
        help="weeks of an earlier roster before the horizon (0: a blank past)",
    )
    parser.add_argument(
        "--only",
        choices=("team", "full", "five", "long"),
        help="run only this part (the repair runs only with all of them)",
    )
    args = parser.parse_args()
    search = SearchParameters(deterministic=args.reproducible, work_per_second=args.work_per_second)
    rows: list[dict] = []
    ok = True

    # 1a. minimum team size, proven
    past = args.history_weeks
    wanted = {args.only} if args.only else {"team", "full", "five", "long"}
    if "team" in wanted:
        problem = dognindsats_problem(
            cases=1,
            pool_size=40,
            weeks=8,
            seed=args.seed,
            weights=COVER_AND_TEAM,
            history_weeks=past,
        )
        team_result, seconds, violations, row = _solved(
            "1 case, 8 wk, 3x8, pool 40: minimum team",
            problem,
            30,
            args.seed,
            search,
            "OPTIMAL in < 10 s",
        )
        del row["terms"]
        rows.append(row)
        ok &= team_result.status is SolveStatus.OPTIMAL and not violations
        ok &= args.reproducible or seconds < 10

    # 1b. the same case with the full objective
    if "full" in wanted:
        full = dognindsats_problem(
            cases=1, pool_size=40, weeks=8, seed=args.seed, history_weeks=past
        )
        result, seconds, violations, row = _solved(
            "1 case, 8 wk, 3x8, pool 40: full objective",
            full,
            30,
            args.seed,
            search,
            "legal roster, bound reported",
        )
        row["handovers_per_day"] = result.kpis.handovers_per_day if result.kpis else None
        row["target"] = row.pop("target")  # printed last, as before
        rows.append(row)
        ok &= result.found and not violations

    # 2. five concurrent cases from one pool
    if "five" in wanted:
        five = dognindsats_problem(
            cases=5, pool_size=60, weeks=8, seed=args.seed, history_weeks=past
        )
        result5, seconds, violations, row = _solved(
            "5 cases, 8 wk, 3x8, pool 60",
            five,
            55,
            args.seed,
            search,
            "feasible with bound in < 60 s",
        )
        rows.append(row)
        ok &= result5.found and not violations and (args.reproducible or seconds < 60)

    # 3. repair after one sick day (a team member on a day mid-horizon)
    if "full" in wanted and not args.only:
        sick_day = 20
        victim = next(a for a in result.roster if a.day == sick_day)
        t0 = time.perf_counter()
        fixed = repair(
            full,
            result.roster,
            SickDays(victim.employee, (sick_day,)),
            time_limit=20,
            deterministic=args.reproducible,
            work_per_second=args.work_per_second,
        )
        seconds = time.perf_counter() - t0
        violations = len(validate(fixed.problem, fixed.result.roster))
        rows.append(
            {
                "bench": "repair: one sick day",
                "status": fixed.result.status.value,
                "changed_assignments": fixed.changed_assignments,
                "changed_days": list(fixed.changed_days),
                "uncovered": len(fixed.result.uncovered),
                "seconds": round(seconds, 2),
                "violations": violations,
                "target": f"only day {sick_day} changed",
            }
        )
        ok &= fixed.result.found and not violations

    # 4. long horizons: answered within the limit + 10 %, legal
    if "long" in wanted:
        for cases, pool, weeks, limit in LONG_HORIZONS:
            problem = dognindsats_problem(
                cases=cases, pool_size=pool, weeks=weeks, seed=args.seed, history_weeks=past
            )
            result, seconds, violations, row = _solved(
                f"{cases} case{'s' if cases > 1 else ''}, {weeks} wk, 3x8, pool {pool}",
                problem,
                limit,
                args.seed,
                search,
                f"legal roster in < {1.1 * limit:.0f} s",
            )
            del row["terms"]
            rows.append(row)
            ok &= result.found and not violations
            ok &= args.reproducible or seconds < 1.1 * limit

    for row in rows:
        print(" | ".join(f"{k}={v}" for k, v in row.items() if k != "terms"))
        if "terms" in row:
            print("    terms:", row["terms"])
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
