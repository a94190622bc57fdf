"""Scenario sweep benchmark: the local process pool against Ray on this machine.

    python scripts/bench_sweep.py [--scenarios 16] [--time-limit 1.0] [--cpus 2]

Builds `--scenarios` what-if scenarios on the demo book (hires, losses, demand factors,
office closures, rule values; the database configured by FAMPLAN_DATABASE_URL, seeded
with `famplan seed`), runs them in reproducible mode on the local pool and on a local Ray
instance with the same CPUs, and prints: whether the answers are equal scenario by
scenario, the wall time of each, and Ray's overhead per task (a batch of no-op tasks
that carry the snapshot, as a sweep's tasks do). Without Ray installed only the local
pool runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time

from sqlmodel import Session

from api.services.sweep import SweepReport, load_sweep_problem, parse_sweep, run_sweep
from data.db import get_engine
from matcher.problem import MatchProblem
from solving.executor import Executor, LocalExecutor, RayExecutor, Task

OFFICES = ("København", "Næstved", "Odense", "Kolding", "Aarhus", "Aalborg")
LANGUAGES = ("ar", "uk", "so", "ti", "fa", "tr", "prs", "ur")


def scenario_file(count: int, time_limit: float) -> str:
    """`count` scenarios cycling through the kinds of change, each a little different."""
    lines = [f"[sweep]\ntime_limit = {time_limit}\nreproducible = true\n"]
    for k in range(count):
        office = OFFICES[k % len(OFFICES)]
        language = LANGUAGES[k % len(LANGUAGES)]
        kind = k % 5
        lines.append(f'[[scenario]]\nname = "s{k:03d}"\n\n[[scenario.change]]')
        if kind == 0:
            lines.append(
                f'kind = "hire"\noffice = "{office}"\ncount = {1 + k % 3}\n'
                f'languages = ["{language}"]\n'
            )
        elif kind == 1:
            lines.append(f'kind = "lose"\noffice = "{office}"\ncount = {1 + k % 4}\n')
        elif kind == 2:
            lines.append(f'kind = "demand"\nlanguage = "{language}"\nfactor = {1.2 + 0.1 * k}\n')
        elif kind == 3:
            target = OFFICES[(k + 1) % len(OFFICES)]
            lines.append(
                f'kind = "close_office"\noffice = "{office}"\nmove_staff_to = "{target}"\n'
            )
        else:
            lines.append(f'kind = "rule"\nparameter = "max_travel_minutes"\nvalue = {60 + 5 * k}\n')
    return "\n".join(lines)


def nothing(problem: MatchProblem, k: int) -> int:
    """A task that does no work: what is left of its time is the executor's overhead."""
    return k


def overhead_per_task(executor: Executor, problem: MatchProblem, n: int) -> float:
    started = time.perf_counter()
    tasks = [Task(f"n{k}", nothing, (problem, k)) for k in range(n)]
    done = sum(1 for _ in executor.run(tasks))
    assert done == n
    return (time.perf_counter() - started) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=16)
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--noop-tasks", type=int, default=100)
    parser.add_argument("--ray-only", action="store_true", help="skip the local pool")
    parser.add_argument("--json", dest="json_out", default=None)
    args = parser.parse_args()

    document = parse_sweep(scenario_file(args.scenarios, args.time_limit))
    with Session(get_engine()) as session:
        problem = load_sweep_problem(session, document)
    print(
        f"demo book: {len(problem.consultants)} consultants, {len(problem.cases)} cases; "
        f"{args.scenarios} scenarios + baseline, {args.time_limit} deterministic units each, "
        f"{args.cpus} CPUs"
    )
    executors: list[Executor] = [] if args.ray_only else [LocalExecutor(cpus=args.cpus)]
    if importlib.util.find_spec("ray") is not None:
        executors.append(RayExecutor(local_cpus=args.cpus))
    else:
        print("Ray is not installed: local pool only (pip install 'famplan[ray]')")
    reports: dict[str, SweepReport] = {}
    overheads: dict[str, float] = {}
    for executor in executors:
        reports[executor.name] = run_sweep(problem, document, executor)
        overheads[executor.name] = overhead_per_task(executor, problem, args.noop_tasks)
        report = reports[executor.name]
        failed = [run.name for run in report.runs if run.result is None]
        for run in report.runs[:1]:
            if run.error:
                print(f"{executor.name}: {run.name} failed: {run.error}")
        print(
            f"{executor.name:>6}: wall {report.wall_seconds:7.1f} s, "
            f"{len(report.runs) - len(failed)} solved, {len(failed)} failed; "
            f"overhead per no-op task {overheads[executor.name] * 1000:.1f} ms"
        )
    summary: dict[str, object] = {
        "scenarios": args.scenarios,
        "time_limit": args.time_limit,
        "cpus": args.cpus,
        "wall_seconds": {name: r.wall_seconds for name, r in reports.items()},
        "overhead_ms_per_task": {name: round(v * 1000, 2) for name, v in overheads.items()},
    }
    if len(reports) == 2:
        local, ray = reports["local"].results(), reports["ray"].results()
        differ = [name for name in local if local[name] != ray.get(name)]
        summary["same_answers"] = not differ
        print("same answers:", "yes" if not differ else f"NO, differ: {', '.join(differ)}")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as out:
            json.dump(summary, out, indent=2)


if __name__ == "__main__":
    main()
