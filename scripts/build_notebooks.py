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

BOOK_01: list[Cell] = [
    (
        "md",
        """# The demo book of business against the public figures

famplan ships a synthetic but calibrated provider: no real person, but the same
marginals as the public figures of one mother-tongue family-treatment provider in 2023
(DESIGN.md). This notebook seeds a temporary database through the real code path
(Alembic migrations + `famplan seed`'s generator), puts the scenario next to the public
figures, and shows where supply and demand of languages meet.""",
    ),
    ("py", SETUP),
    (
        "py",
        """def sql(query):
    return pd.read_sql(query, session.connection())

cases = sql(\"\"\"
    SELECT c.id, c.reference, c.intervention_type, c.needs_support_person, c.status,
           c.requested_start, c.expected_end, c.municipality_code, r.name AS region
    FROM family_case c
    JOIN municipality m ON m.code = c.municipality_code
    JOIN region r ON r.code = m.region_code\"\"\")
case_languages = sql("SELECT case_id, person_group, tag FROM caselanguage")
consultants = sql(\"\"\"
    SELECT c.id, o.name AS office, c.contracted_hours_per_week FROM consultant c
    JOIN office o ON o.id = c.office_id\"\"\")
consultant_languages = sql("SELECT consultant_id, tag FROM consultantlanguage")
coordinators = sql("SELECT id FROM coordinator")
print(len(cases), "cases,", len(consultants), "consultants,", len(coordinators), "coordinators")""",
    ),
    (
        "py",
        """from api.report_data import family_language
from data.languages import base_language, display_name

tags = case_languages.groupby("case_id").apply(
    lambda rows: family_language(list(zip(rows.person_group, rows.tag))), include_groups=False)
cases["language"] = cases.id.map(tags).fillna("da").map(base_language)
cases["language_name"] = cases.language.map(lambda t: display_name(t, "en"))

def running_on(day):
    start = pd.to_datetime(cases.requested_start, utc=True).dt.date
    end = pd.to_datetime(cases.expected_end).dt.date
    return int(((start <= day) & (end.isna() | (end >= day))).sum())

by_language = cases.language_name.value_counts()
public = [
    ("interventions", 555, len(cases)),
    ("languages", 56, cases.language.nunique()),
    ("municipalities", 76, cases.municipality_code.nunique()),
    ("Danish", 138, int(by_language.get("Danish", 0))),
    ("Arabic", 105, int(by_language.get("Arabic", 0))),
    ("Ukrainian", 40, int(by_language.get("Ukrainian", 0))),
    ("% in a foreign language or dialect", 75, round(100 * (cases.language != "da").mean())),
    ("% with a support or contact person", 25, round(100 * cases.needs_support_person.mean())),
    ("døgnindsats cases", "a few", int((cases.intervention_type == "dognindsats").sum())),
    ("consultants", "about 200", len(consultants)),
    ("coordinators", "about 50", len(coordinators)),
    ("consultants in Næstved", "about 25", int((consultants.office == "Næstved").sum())),
    ("languages and dialects spoken by consultants", "up to 80",
     consultant_languages.tag.nunique()),
    ("cases running on 1 July", "about 400–450", running_on(dt.date(as_of.year, 7, 1))),
]
pd.DataFrame(public, columns=["figure", "public", "scenario"]).set_index("figure")""",
    ),
    ("md", "## Interventions per region and the largest languages"),
    (
        "py",
        """regions = {"Hovedstaden": 178, "Sjælland": 147, "Syddanmark": 131,
           "Midtjylland": 37, "Nordjylland": 62}
scenario = cases.region.value_counts()
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
x = range(len(regions))
left.bar([i - 0.2 for i in x], list(regions.values()), 0.4, label="public 2023")
left.bar([i + 0.2 for i in x], [scenario.get(r, 0) for r in regions], 0.4, label="scenario")
left.set_xticks(list(x), list(regions))
left.set_title("Interventions per region")
left.legend()
top = by_language.head(15)[::-1]
right.barh(top.index, top.values, color="#4C72B0")
right.set_title("The 15 largest languages (interventions)")""",
    ),
    ("md", "## Supply and demand of languages"),
    (
        "py",
        """from api.report_data import load_capacity
from data.capacity import balances, capacity_outlook, shortage_sentences, shortages
from data.plotting import plot_balance_heatmap, plot_capacity_outlook, plot_supply_demand

snapshot = load_capacity(session, as_of)
cells = balances(snapshot.consultants, snapshot.demands, on=as_of)
for sentence in shortage_sentences(cells, limit=8) or ["no shortage today"]:
    print("•", sentence)""",
    ),
    (
        "py",
        """fig, ax = plt.subplots(figsize=(9, 6), layout="constrained")
plot_supply_demand(cells, ax=ax);""",
    ),
    (
        "py",
        """fig, ax = plt.subplots(figsize=(10, 7), layout="constrained")
plot_balance_heatmap(cells, ax=ax);""",
    ),
    (
        "py",
        """short = list(dict.fromkeys(s.language for s in shortages(cells)))[:4]
fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
plot_capacity_outlook(capacity_outlook(snapshot.consultants, as_of, 12, short), ax=ax);""",
    ),
    ("py", "db.close()"),
]

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
    "01_demo_book_of_business.ipynb": BOOK_01,
    "03_dognindsats_roster.ipynb": ROSTER_03,
}


if __name__ == "__main__":
    raise SystemExit(main())
