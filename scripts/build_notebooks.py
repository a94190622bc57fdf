"""Write the analysis notebooks in `notebooks/` from the cell sources below.

The notebooks are generated, not hand-edited, so that a diff of this file is the
review of a notebook change and the stored notebooks never carry outputs:

    python scripts/build_notebooks.py            # (re)write notebooks/*.ipynb
    python scripts/build_notebooks.py --check    # exit 1 if a stored notebook differs

Each notebook builds its own temporary SQLite database seeded through the real code
path (`api.report_builder.demo_database`) and uses short solver time limits, so that
`tests/reports/test_notebooks.py` can execute all of them top to bottom in CI.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"

#: A cell is ("md", text) or ("py", code).
Cell = tuple[str, str]

SETUP = """\
%matplotlib inline
import datetime as dt

import matplotlib.pyplot as plt
import pandas as pd

from api.report_builder import demo_database

pd.set_option("display.width", 120)
db = demo_database()  # a temporary SQLite seeded with the demo book of business
session, as_of = db.session, db.as_of
print("as of", as_of)"""


def build(cells: list[Cell]) -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    for index, (kind, source) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell["id"] = f"cell-{index:02d}"  # stable ids: regenerating gives no diff
        notebook.cells.append(cell)
    return notebook


def render(cells: list[Cell]) -> str:
    return nbformat.writes(build(cells)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for name, cells in NOTEBOOKS.items():
        path = NOTEBOOK_DIR / name
        text = render(cells)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print("out of date (run scripts/build_notebooks.py):", ", ".join(stale))
        return 1
    return 0


# ------------------------------------------------------------------ the notebooks

ROSTER_03: list[Cell] = [
    (
        "md",
        """# Døgnindsats rosters: 3x8 against 2x12

A døgnindsats puts consultants in the family's home around the clock. The team leader
chooses a shift template: three 8-hour shifts (07–15, 15–23, 23–07) or two 12-hour
shifts (07–19, 19–07). This notebook rosters the same case with both templates from the
same pool and compares what the family and the consultants feel:

* **team size** — how many different faces come into the home (fewer is better);
* **handovers per day** — how often one consultant hands the home to the next;
* **hours per person** against contract, and the spread of nights and weekends.

The roster engine (`roster.solve`) optimises cover first, then the team size, then
rhythm and fairness; every roster is re-checked by the independent validator.""",
    ),
    (
        "py",
        """%matplotlib inline
import pandas as pd
import matplotlib.pyplot as plt

from roster.examples import dognindsats_problem
from roster.plotting import (
    plot_handovers, plot_hours_vs_contract, plot_nights_weekends, plot_roster_grid,
    view_from_roster,
)
from roster.solve import solve
from roster.validate import validate

TIME_LIMIT = 6  # seconds per template: enough for a good roster, short enough for CI
WEEKS, POOL = 4, 30""",
    ),
    (
        "py",
        """results = {}
for name in ("3x8", "2x12"):
    problem = dognindsats_problem(cases=1, pool_size=POOL, weeks=WEEKS, template_name=name)
    result = solve(problem, time_limit=TIME_LIMIT, seed=1)
    assert not validate(problem, result.roster), "the validator rejects the roster"
    results[name] = (problem, result)

def summary(name, problem, result):
    kpis = result.kpis
    case = problem.cases[0].id
    per_person = kpis.per_employee.values()
    return {
        "template": name,
        "status": str(result.status),
        "team size": kpis.team_size[case],
        "handovers / day": round(kpis.handovers_per_day[case], 2),
        "uncovered shifts": len(result.uncovered),
        "mean hours / person": round(sum(k.minutes for k in per_person) / 60 / len(per_person), 1),
        "max nights / person": max(k.nights for k in per_person),
        "max weekend days / person": max(k.weekend_days for k in per_person),
        "seconds": round(result.seconds, 1),
    }

comparison = pd.DataFrame([summary(n, p, r) for n, (p, r) in results.items()]).set_index("template")
comparison""",
    ),
    ("md", "## The rosters: days across, shifts down, one colour per consultant"),
    (
        "py",
        """fig, axes = plt.subplots(2, 1, figsize=(14, 6), layout="constrained")
for ax, (name, (problem, result)) in zip(axes, results.items()):
    plot_roster_grid(view_from_roster(problem, result.roster, label=name), ax=ax)""",
    ),
    ("md", "## Hours against contract, nights and weekends per person"),
    (
        "py",
        """fig, axes = plt.subplots(2, 2, figsize=(14, 7), layout="constrained")
for row, (name, (problem, result)) in zip(axes, results.items()):
    view = view_from_roster(problem, result.roster, label=name)
    plot_hours_vs_contract(view, ax=row[0])
    plot_nights_weekends(view, ax=row[1])""",
    ),
    ("md", "## Handovers per day"),
    (
        "py",
        """fig, axes = plt.subplots(1, 2, figsize=(14, 3.5), layout="constrained", sharey=True)
for ax, (name, (problem, result)) in zip(axes, results.items()):
    plot_handovers(view_from_roster(problem, result.roster, label=name), ax=ax)""",
    ),
    (
        "md",
        """**Reading the comparison.** 12-hour shifts need fewer people per day, so the team
in the home is smaller and there are fewer handovers — what families ask for — but each
shift is long and the hours per person reach the 48-hour average limit sooner. 8-hour
shifts spread the load over more consultants. The table above gives the figures for
this pool; change `POOL`, `WEEKS` or `TIME_LIMIT` to explore.""",
    ),
]

NOTEBOOKS: dict[str, list[Cell]] = {
    "03_dognindsats_roster.ipynb": ROSTER_03,
}


if __name__ == "__main__":
    raise SystemExit(main())
