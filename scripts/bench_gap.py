"""OR-Library GAP yardstick, solved through the matcher's batch engine (`matcher.core`).

Usage::

    python scripts/bench_gap.py ../shared/benchdata/gap/gap*.txt [--sense max|min]
        [--time-limit S] [--workers N] [--json OUT]

Senses and reference optima are those of ../shared/benchdata/gap/README.md: gap1–gap6
are maximisation problems, types A, B and C (gapa, gapb, gapc) minimisation problems.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from matcher.gap import Sense, check_assignment, solve_gap
from matcher.read import read_gap

#: Proven optima from ../shared/benchdata/gap/README.md, instances #1.. in file order.
REFERENCE: dict[str, tuple[str, tuple[int, ...]]] = {
    "gap1": ("max", (336, 327, 339, 341, 326)),
    "gap2": ("max", (434, 436, 420, 419, 428)),
    "gap3": ("max", (580, 564, 573, 570, 564)),
    "gap4": ("max", (656, 644, 673, 647, 664)),
    "gap5": ("max", (563, 558, 564, 568, 559)),
    "gap6": ("max", (761, 759, 758, 752, 747)),
    "gapa": ("min", (1698, 3235, 1360, 2623, 1158, 2339)),
    "gapb": ("min", (1843, 3552, 1407, 2827, 1166, 2339)),
    "gapc": ("min", (1931, 3456, 1402, 2806, 1243, 2391)),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument(
        "--sense",
        choices=("max", "min"),
        default=None,
        help="override the sense (default: from the file name, see README)",
    )
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="CP-SAT workers (1 was fastest on a loaded 2-core machine)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="write results to this file")
    args = parser.parse_args(argv)

    table = Table(title="OR-Library GAP through the matcher batch engine")
    for column in (
        "instance",
        "status",
        "objective",
        "bound",
        "reference",
        "gap to ref %",
        "seconds",
    ):
        table.add_column(column, justify="right" if column != "instance" else "left")
    records = []
    for path in args.files:
        stem = path.stem
        default_sense, refs = REFERENCE.get(stem, ("max", ()))
        sense: Sense = "min" if (args.sense or default_sense) == "min" else "max"
        for index, instance in enumerate(read_gap(path), start=1):
            result = solve_gap(
                instance,
                sense,
                time_limit=args.time_limit,
                seed=args.seed,
                num_workers=args.workers,
            )
            if result.assignment:
                check_assignment(instance, result.assignment)  # independent feasibility check
            ref = refs[index - 1] if index <= len(refs) and sense == default_sense else None
            gap_ref = (
                abs(result.objective - ref) / ref * 100
                if ref and result.objective is not None
                else None
            )
            table.add_row(
                f"{stem}#{index} ({instance.n_agents}×{instance.n_jobs})",
                result.status,
                _fmt(result.objective),
                _fmt(result.bound),
                _fmt(ref),
                "-" if gap_ref is None else f"{gap_ref:.3f}",
                f"{result.seconds:.2f}",
            )
            records.append(
                {
                    "file": str(path),
                    "index": index,
                    "objective": result.objective,
                    "bound": result.bound,
                    "status": str(result.status),
                    "seconds": round(result.seconds, 4),
                    "assignment": list(result.assignment),
                }
            )
    Console(width=140).print(table)
    if args.json:
        args.json.write_text(json.dumps(records, indent=1))
    return 0


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    raise SystemExit(main())
