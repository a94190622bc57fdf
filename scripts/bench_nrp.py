"""Curtois–Qu shift-scheduling benchmark through the roster engine.

Reads each instance into the engine's own problem data (`roster.read_nrp`), solves it
with the same model and search (`roster.solve`, via `roster.nrp.solve_nrp`), re-checks
the roster with the independent validator, recomputes the objective from the roster
alone, and compares with the best-known values in BOUNDS.md next to the instances.

    .venv/bin/python scripts/bench_nrp.py ../shared/benchdata/nrp/Instance*.txt \
        --time-limit 60 [--json OUT]

The bound printed is the best proven one: column generation's (`roster.columns`, run
inside `solve_nrp` as its warm start) or CP-SAT's. Figures: README and the roster
issue's closing note.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from roster.nrp import solve_nrp
from roster.read_nrp import read_nrp
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    files = sorted(args.files, key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
    rows = []
    failed = False
    header = f"{'instance':<11} {'status':<9} {'objective':>9} {'recheck':>8} {'bound':>7} "
    header += f"{'best':>6} {'gap':>7} {'seconds':>7}  valid"
    print(header)
    for path in files:
        name = path.stem
        problem = read_nrp(path)
        result = solve_nrp(
            problem, time_limit=args.time_limit, seed=args.seed, num_workers=args.workers
        )
        violations = validate(problem, result.roster) if result.found else []
        recheck = total(problem, result.roster) if result.found else None
        known = best_known(path.parent).get(name)
        gap = None
        if known and result.objective is not None:
            gap = 100.0 * (result.objective - known[0]) / known[0]
        failed |= bool(violations) or (recheck != result.objective)
        gap_text = f"{gap:+.1f}%" if gap is not None else "-"
        print(
            f"{name:<11} {result.status.value:<9} {result.objective!s:>9} {recheck!s:>8} "
            f"{result.bound!s:>7} {known[0] if known else '-'!s:>6} {gap_text:>7} "
            f"{result.seconds:7.1f}  {'yes' if not violations else f'NO ({len(violations)})'}",
            flush=True,
        )
        roster_by_employee = {e.id: [""] * problem.days for e in problem.employees}
        for a in result.roster:
            roster_by_employee[a.employee][a.day] = a.shift
        rows.append(
            {
                "instance": name,
                "objective": result.objective,
                "bound": result.bound,
                "status": result.status.value,
                "seconds": round(result.seconds, 2),
                "best_known": known[0] if known else None,
                "recomputed_objective": recheck,
                "violations": [v.message for v in violations],
                "roster": roster_by_employee,
            }
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
