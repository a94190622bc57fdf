"""How the demo families are served by language: exactly, by another variety, by a
dialect of the same group, by a signed-off related language, without a usable language,
or not at all — in today's book and after a batch re-optimisation.

    .venv/bin/python scripts/closeness_report.py [--seed 42] [--time-limit 20]

The demo book is seeded into a temporary SQLite database through the real code path
(`bench_match.demo_problem`); "families" are every requested or running case of the
snapshot, classified by their primary seat (`matcher.plans.family_closeness`).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_match import demo_problem
from rich.console import Console
from rich.table import Table

from matcher.batch import optimize
from matcher.plans import FAMILY_CLASSES, current_seats, family_closeness
from matcher.problem import Role


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--ignore-sign-off",
        action="store_true",
        help="Clear every case's related-language sign-off (the demo book before the seed "
        "recorded the sign-offs its placements imply).",
    )
    args = parser.parse_args()
    problem, _ = demo_problem(seed=args.seed)
    if args.ignore_sign_off:
        problem = dataclasses.replace(
            problem,
            cases=tuple(
                dataclasses.replace(c, allow_related_language=False) for c in problem.cases
            ),
        )
    today = family_closeness(problem, current_seats(problem))
    result = optimize(problem, time_limit=args.time_limit, seed=0, num_workers=args.workers)
    batch_seats = {
        (p.case_id, Role(p.role)): p.consultant_id
        for p in result.placements
        if Role(p.role) is not Role.COORDINATOR
    }
    batch = family_closeness(problem, batch_seats)
    families = len(problem.cases)
    open_requests = sum(case.is_open for case in problem.cases)
    table = Table(
        title=f"{families} families ({open_requests} open requests), demo seed {args.seed}, "
        f"as of {problem.as_of.isoformat()}"
    )
    table.add_column("served by")
    table.add_column("today", justify="right")
    table.add_column(f"after the batch ({result.status})", justify="right")
    for name in FAMILY_CLASSES:
        table.add_row(
            name,
            f"{today[name]} ({today[name] / families:.1%})",
            f"{batch[name]} ({batch[name] / families:.1%})",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
