"""Reception latency: `rank` and `reshuffle` on the demo book of business.

    .venv/bin/python scripts/bench_match.py [--scale 1] [--sample 200] [--seed 42]

Seeds a temporary SQLite database through the real code path (`data.migrate.upgrade`,
`data.seed.load_demo`), loads the snapshot with `api.services.snapshot`, then times
`rank` on every open request and a seeded sample of running cases (each case once, on
one shared snapshot, as the API's snapshot cache does), and `reshuffle` on the same
cases. Target: rank p95 < 20 ms, reshuffle < 1 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from api.services.snapshot import load_match_problem
from data.db import make_engine
from data.migrate import upgrade
from data.scenario import TODAY
from data.seed import load_demo
from matcher.problem import MatchProblem, MatchSettings
from matcher.rank import rank
from matcher.reshuffle import reshuffle


def demo_problem(
    scale: int = 1, seed: int = 42, settings: MatchSettings | None = None
) -> tuple[MatchProblem, dict[str, float]]:
    """The demo book as a `MatchProblem`, through a temporary SQLite database; also the
    seconds spent seeding and loading."""
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        upgrade(url)
        engine = make_engine(url)
        load_demo(engine, seed=seed, scale=scale)
        timings["seed"] = time.perf_counter() - started
        started = time.perf_counter()
        with Session(engine) as session:
            problem = load_match_problem(session, TODAY, settings=settings)
        timings["snapshot"] = time.perf_counter() - started
        engine.dispose()
    return problem, timings


def percentiles(values: list[float]) -> tuple[float, ...]:
    return (*(float(v) for v in np.percentile(values, [50, 95, 99])), max(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sample", type=int, default=200, help="running cases to sample")
    args = parser.parse_args()

    problem, timings = demo_problem(args.scale, args.seed)
    open_cases = [c.id for c in problem.cases if c.is_open]
    running = [c.id for c in problem.cases if not c.is_open]
    sample = random.Random(args.seed).sample(running, min(args.sample, len(running)))
    cases = open_cases + sample

    started = time.perf_counter()
    rank(problem, cases[0], propose_reshuffle=False)  # builds the snapshot's screening index
    first = time.perf_counter() - started
    rank_ms: list[float] = []
    for case_id in cases:
        started = time.perf_counter()
        rank(problem, case_id, propose_reshuffle=False)
        rank_ms.append((time.perf_counter() - started) * 1000)

    reshuffle_ms: list[float] = []
    found = 0
    for case_id in cases[:60]:
        started = time.perf_counter()
        proposal = reshuffle(problem, case_id)
        reshuffle_ms.append((time.perf_counter() - started) * 1000)
        found += proposal is not None

    console = Console(width=120)
    console.print(
        f"demo book scale {args.scale}: {len(problem.consultants)} consultants, "
        f"{len(problem.cases)} live cases ({len(open_cases)} open), "
        f"{len(problem.assignments)} running assignments; seed {timings['seed']:.1f} s, "
        f"snapshot {timings['snapshot'] * 1000:.0f} ms; first rank (builds index) "
        f"{first * 1000:.0f} ms"
    )
    table = Table(title="Reception latency (in-process, ms)")
    for column in ("operation", "calls", "p50", "p95", "p99", "max", "target"):
        table.add_column(column, justify="right" if column != "operation" else "left")
    table.add_row(
        "rank (open + sampled running)",
        str(len(rank_ms)),
        *(f"{v:.1f}" for v in percentiles(rank_ms)),
        "p95 < 20",
    )
    table.add_row(
        f"reshuffle ({found} proposals)",
        str(len(reshuffle_ms)),
        *(f"{v:.1f}" for v in percentiles(reshuffle_ms)),
        "< 1000",
    )
    console.print(table)


if __name__ == "__main__":
    main()
