"""Curtois–Qu shift-scheduling benchmark through the roster engine.

Reads each instance into the engine's own problem data (`roster.read_nrp`), solves it
with the same model and search (`roster.solve`, via `roster.nrp.solve_nrp`), re-checks
the roster with the independent validator, recomputes the objective from the roster
alone, and compares with the best-known values in BOUNDS.md next to the instances.

    .venv/bin/python scripts/bench_nrp.py ../shared/benchdata/nrp/Instance*.txt \
        --time-limit 60 [--json OUT]

`--stand-in` solves each file's instance with its staff and cover three times over
(`roster.read_nrp.replicate`); Instance22 so is the 364-day, 150-person stand-in for
the published Instance24 (not in ../shared/benchdata), named Instance22x3, and its
"best" is three times Instance22's best known (that roster, copied, is one of the copy):

    .venv/bin/python scripts/bench_nrp.py ../shared/benchdata/nrp/Instance22.txt \
        --stand-in --time-limit 60 --workers 1

Each instance runs in a process of its own; `wall` is its time from before the read
(model build included) against `limit`, `MB` its peak resident memory (with two or more
`--workers`, a portfolio of searches, one a process: their peaks added). A run over the
limit plus 10 % counts as a failure (exit status 1), like an illegal roster.

The bound printed is the best proven one: column generation's (`roster.columns`, run
inside `solve_nrp` as its warm start; priced by a per-employee dynamic programme
from 6-week horizons on), the capacities' bound on cover (`roster.cover_bound`) or
CP-SAT's. The 2 cores are shared: note `uptime`'s load
average beside every figure, which worsens with it. Figures: README and the roster
issue's closing note.

Measured history, session by session: docs/history/bench_nrp.md (the figures behind
the settings that the code's comments cite).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from roster.nrp import solve_nrp
from roster.read_nrp import read_nrp, replicate
from roster.validate import total, validate


def best_known(folder: Path) -> dict[str, tuple[int, int | None]]:
    """Instance name → (best known UB, LB or None) from BOUNDS.md, if present."""
    path = folder / "BOUNDS.md"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and re.fullmatch(r"Instance\d+", cells[0]):
            lb = int(cells[5]) if cells[5].isdigit() else None
            out[cells[0]] = (int(cells[4]), lb)
    return out


#: `--stand-in`: staff and cover this many times over.
STAND_IN_COPIES = 3


def run_one(
    path: Path, time_limit: float, seed: int, workers: int, copies: int = 1
) -> dict[str, object]:
    """One instance, read to result, in this process: wall seconds from before the read
    (so the model build counts) and this process's peak resident memory."""
    started = time.perf_counter()
    problem = read_nrp(path)
    if copies > 1:
        problem = replicate(problem, copies)
    result = solve_nrp(problem, time_limit=time_limit, seed=seed, num_workers=workers)
    wall = time.perf_counter() - started
    violations = validate(problem, result.roster) if result.found else []
    recheck = total(problem, result.roster) if result.found else None
    roster_by_employee = {e.id: [""] * problem.days for e in problem.employees}
    for a in result.roster:
        roster_by_employee[a.employee][a.day] = a.shift
    return {
        "instance": path.stem + (f"x{copies}" if copies > 1 else ""),
        "objective": result.objective,
        "bound": result.bound,
        "status": result.status.value,
        "message": result.message,
        "limit": time_limit,
        "seconds": round(result.seconds, 2),
        "wall_seconds": round(wall, 2),
        # ru_maxrss is in KiB on Linux; a portfolio's searches (`roster.portfolio`) ran
        # in child processes too: their largest peak is added, as if all peaked at once
        "peak_rss_mb": round(
            (
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                + (workers - 1) * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            )
            / 1024
        ),
        "recomputed_objective": recheck,
        "violations": [v.message for v in violations],
        "roster": roster_by_employee,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--stand-in",
        action="store_true",
        help=f"each instance's staff and cover {STAND_IN_COPIES} times over",
    )
    args = parser.parse_args()
    files = sorted(args.files, key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
    rows = []
    failed = False
    header = f"{'instance':<11} {'status':<9} {'objective':>9} {'recheck':>8} {'bound':>7} "
    header += f"{'best':>6} {'gap':>7} {'limit':>6} {'wall':>6} {'MB':>6}  valid"
    print(header)
    for path in files:
        copies = STAND_IN_COPIES if args.stand_in else 1
        # a fresh process per instance: its peak memory is that instance's alone
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            row = pool.submit(
                run_one, path, args.time_limit, args.seed, args.workers, copies
            ).result()
        name = str(row["instance"])
        known = best_known(path.parent).get(path.stem)
        if known and copies > 1:
            # the best roster copied is a roster of the copy; the copies may share the
            # cover better, so the original's lower bound does not carry over
            known = (known[0] * copies, None)
        objective = row["objective"]
        gap = None
        if known and isinstance(objective, int):
            gap = 100.0 * (objective - known[0]) / known[0]
        violations = row["violations"]
        failed |= bool(violations) or (row["recomputed_objective"] != objective)
        wall = float(row["wall_seconds"])  # type: ignore[arg-type]
        failed |= wall > 1.1 * args.time_limit
        gap_text = f"{gap:+.1f}%" if gap is not None else "-"
        print(
            f"{name:<11} {row['status']!s:<9} {objective!s:>9} {row['recomputed_objective']!s:>8} "
            f"{row['bound']!s:>7} {known[0] if known else '-'!s:>6} {gap_text:>7} "
            f"{args.time_limit:6.0f} {wall:6.1f} {row['peak_rss_mb']!s:>6}  "
            f"{'yes' if not violations else f'NO ({len(violations)})'}"  # type: ignore[arg-type]
            + (f"  {row['message']}" if row["message"] else ""),
            flush=True,
        )
        row["best_known"] = known[0] if known else None
        rows.append(row)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
