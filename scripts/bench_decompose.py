"""Decomposition benchmark: the batch office by office (`matcher.decompose`) against the
whole-book solve, for quality and time.

    python scripts/bench_decompose.py [--scale 1] [--time-limit 10] [--cpus 2]

Seeds a temporary demo book at `--scale` (the real seeding code path), solves it whole
(CP-SAT on `--cpus` workers) and by office (one CP-SAT worker per office on a local
process pool of `--cpus` processes, then the crossing cases), both with `--time-limit`
wall seconds per solve, and prints for each: status, objective, unplaced seats, moves
and wall time (the model build included), and the decomposed plan's loss of objective.
"""

from __future__ import annotations

import argparse
import time

from api.report_builder import demo_database
from api.services.snapshot import load_match_problem
from matcher.batch import optimize
from matcher.batch_model import build_batch_model
from matcher.decompose import CROSSING, case_parts, optimize_by_office
from solving.executor import LocalExecutor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--cpus", type=int, default=2)
    args = parser.parse_args()
    print(f"seeding the demo book at scale {args.scale} …", flush=True)
    demo = demo_database(scale=args.scale)
    try:
        problem = load_match_problem(demo.session, demo.as_of)
    finally:
        demo.close()
    parts = case_parts(problem, build_batch_model(problem))
    crossing = sum(1 for part in parts.values() if part == CROSSING)
    print(
        f"{len(problem.cases)} cases, {len(problem.consultants)} consultants; by office: "
        f"{len(set(parts.values()) - {CROSSING})} parts, {crossing} cases cross offices"
    )
    started = time.perf_counter()
    whole = optimize(problem, time_limit=args.time_limit, num_workers=args.cpus)
    whole_seconds = time.perf_counter() - started
    started = time.perf_counter()
    parted = optimize_by_office(problem, LocalExecutor(cpus=args.cpus), time_limit=args.time_limit)
    parted_seconds = time.perf_counter() - started
    print(
        f"{'':10} {'status':9} {'objective':>11} {'bound':>11} {'unplaced':>8} "
        f"{'moves':>6} {'wall s':>7}"
    )
    for name, result, seconds in (
        ("whole", whole, whole_seconds),
        ("by office", parted, parted_seconds),
    ):
        bound = "" if result.bound is None else f"{result.bound:.1f}"
        objective = "" if result.objective is None else f"{result.objective:.1f}"
        print(
            f"{name:10} {result.status.value:9} {objective:>11} {bound:>11} "
            f"{len(result.unplaced):>8} {len(result.changes):>6} {seconds:>7.1f}"
        )
    if whole.objective is not None and parted.objective is not None:
        loss = whole.objective - parted.objective
        print(
            f"by office loses {loss:.1f} points ({loss / max(1.0, abs(whole.objective)):.2%})"
            f" and takes {parted_seconds / whole_seconds:.2f}× the whole solve's time"
        )


if __name__ == "__main__":
    main()
