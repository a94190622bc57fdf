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
from data.languages import base_language, language_label

tags = case_languages.groupby("case_id").apply(
    lambda rows: family_language(list(zip(rows.person_group.str.lower(), rows.tag))),
    include_groups=False)
cases["language"] = cases.id.map(tags).fillna("da").map(base_language)
cases["language_name"] = cases.language.map(language_label)

# Enum columns hold the member names (e.g. "DOGNINDSATS"); compare case-insensitively.
kind = cases.intervention_type.str.lower()
status = cases.status.str.lower()
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
    ("døgnindsats cases", "a few", int((kind == "dognindsats").sum())),
    ("consultants", "about 200", len(consultants)),
    ("coordinators", "about 50", len(coordinators)),
    ("consultants in Næstved", "about 25", int((consultants.office == "Næstved").sum())),
    ("languages and dialects spoken by consultants", "up to 80",
     consultant_languages.tag.nunique()),
    (f"cases running on {as_of}", "about 400–450", int((status == "active").sum())),
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
right.set_title("The 15 largest languages (interventions)");""",
    ),
    ("md", "## Supply and demand of languages"),
    (
        "py",
        """from api.report_data import load_capacity
from data.capacity import (
    DEFAULT_MIN_MISSING_HOURS, capacity_outlook, planning_balances, shortage_sentences, shortages,
)
from data.plotting import plot_balance_heatmap, plot_capacity_outlook, plot_supply_demand

# Open requests plus the intake expected over 12 weeks, against free hours then.
snapshot = load_capacity(session, as_of)
cells = planning_balances(snapshot.consultants, snapshot.demands, snapshot.history, as_of, 12)
advice = shortage_sentences(cells, limit=8, min_missing_hours=DEFAULT_MIN_MISSING_HOURS)
for sentence in advice or [f"no gap of {DEFAULT_MIN_MISSING_HOURS:g} h/week or more"]:
    print("•", sentence)
print("The tightest gaps:")
for gap in shortages(cells)[:5]:
    print(f"  {gap.language} in {gap.region}: {gap.missing_hours:.1f} h/week")""",
    ),
    (
        "py",
        """fig, ax = plt.subplots(figsize=(9, 7), layout="constrained")
plot_supply_demand(cells, ax=ax, exclude=("da",));  # Danish dwarfs the rest""",
    ),
    (
        "py",
        """fig, ax = plt.subplots(figsize=(10, 7), layout="constrained")
plot_balance_heatmap(cells, ax=ax);""",
    ),
    (
        "py",
        """short = list(dict.fromkeys(gap.language for gap in shortages(cells)))[:4]
fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
plot_capacity_outlook(capacity_outlook(snapshot.consultants, as_of, 12, short), ax=ax);""",
    ),
    ("py", "db.close()"),
]

MATCHING_02: list[Cell] = [
    (
        "md",
        """# Batch re-optimisation against the greedy baseline

Operations re-optimises the whole book of business at night: every open request and
every running, unlocked assignment in one CP-SAT model (`matcher.batch.optimize`), with
a high cost for breaking a running relationship. The baseline is what a planner does by
hand (`matcher.greedy.greedy`): keep everything running, then give each open request the
nearest free consultant who speaks the language. Both are scored with the same
objective and drawn with the same figures (`matcher.plotting`).""",
    ),
    ("py", SETUP),
    (
        "py",
        """from api.services.snapshot import load_match_problem
from matcher.batch import optimize
from matcher.greedy import greedy
from matcher.plans import current_seats, kpi_rows, view_from_batch, view_from_plan
from matcher.plotting import (
    plot_consultant_utilisation, plot_fallback_languages, plot_language_closeness,
    plot_office_utilisation, plot_plan_comparison, plot_travel_distribution,
)

TIME_LIMIT = 10  # seconds; the demo book is solved to a proven optimum well within it

problem = load_match_problem(session, as_of)
open_cases = sum(case.is_open for case in problem.cases)
print(f"{len(problem.consultants)} consultants, {len(problem.cases)} cases "
      f"({open_cases} open requests), {len(problem.assignments)} running assignments")""",
    ),
    (
        "py",
        """batch = optimize(problem, time_limit=TIME_LIMIT, seed=0, num_workers=2)
baseline = greedy(problem)
pd.DataFrame(
    [(name, str(r.status), r.objective, r.bound, r.gap, round(r.runtime, 2), len(r.changes),
      len(r.unplaced))
     for name, r in (("greedy", baseline), ("batch (CP-SAT)", batch))],
    columns=["plan", "status", "objective", "bound", "gap", "seconds", "changes", "unplaced"],
).set_index("plan")""",
    ),
    ("md", "## Headline KPIs: today, greedy, batch"),
    (
        "py",
        """seats_today = current_seats(problem)
unplaced_today = sum(1 for case in problem.cases for role in case.roles
                     if (case.id, role) not in seats_today)
views = [
    view_from_plan(problem, seats_today, "today", unplaced_today),
    view_from_batch(problem, baseline, "greedy"),
    view_from_batch(problem, batch, "batch"),
]
kpis = pd.DataFrame({name: values for name, values in kpi_rows(views)},
                    index=[v.label for v in views]).T.round(1)
kpis""",
    ),
    (
        "md",
        """Read *unplaced* together with *over contract*: today's plan is history and can
leave consultants with more hours than their contract; greedy and batch treat capacity
as hard, so they may give up (\"unassigned\") a seat of an overloaded consultant rather
than keep the overload.""",
    ),
    ("py", 'plot_plan_comparison(views, plt.figure(figsize=(12, 6), layout="constrained"));'),
    ("md", "## Language match and travel"),
    (
        "py",
        """fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.5), layout="constrained")
plot_language_closeness(views, ax=left)
plot_travel_distribution(views, ax=right);""",
    ),
    (
        "py",
        """fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
plot_fallback_languages(views[-1], ax=ax);""",
    ),
    ("md", "## Utilisation per office and per consultant"),
    (
        "py",
        """fig, (left, right) = plt.subplots(1, 2, figsize=(15, 4.5), layout="constrained")
plot_office_utilisation(views, ax=left)
plot_consultant_utilisation(views[-1], ax=right);""",
    ),
    ("md", "## What the batch proposes, and what stays unplaced"),
    (
        "py",
        """changes = pd.Series([c.kind for c in batch.changes]).value_counts().rename("changes")
reasons = pd.Series([u.reason for u in batch.unplaced], dtype=str).value_counts()
display(changes.to_frame())
display(reasons.rename("unplaced seats").to_frame())""",
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

The case is the first running døgnindsats of the demo book; the pool is the API's (the
consultants of the offices serving the family's region who take døgnindsats work, with
their family-treatment hours, absences and other rosters). The roster engine
(`roster.solve`) optimises cover first, then the team size, then rhythm and fairness;
every roster is re-checked by the independent validator.""",
    ),
    (
        "py",
        SETUP,
    ),
    (
        "py",
        """from sqlmodel import select

from api.report_data import roster_params
from api.services.rosters import build_problem
from data.models import Case, CaseStatus, InterventionType
from roster.plotting import (
    plot_handovers, plot_hours_vs_contract, plot_nights_weekends, plot_roster_grid,
    view_from_roster,
)
from roster.solve import solve
from roster.validate import validate

TIME_LIMIT = 10  # seconds per template: enough for a good roster, short enough for CI
WEEKS = 4
case = session.exec(
    select(Case).where(Case.intervention_type == InterventionType.DOGNINDSATS,
                       Case.status == CaseStatus.ACTIVE).order_by(Case.id)
).first()
monday = as_of + dt.timedelta(days=(7 - as_of.weekday()) % 7)
print(f"case {case.reference}, {WEEKS} weeks from {monday}")""",
    ),
    (
        "py",
        """results, all_runs = {}, {}
for name in ("3x8", "2x12"):
    params = roster_params(session, case.id, monday, 7 * WEEKS, name)
    problem = build_problem(session, params, set())
    result = solve(problem, time_limit=TIME_LIMIT, seed=1, num_workers=2)
    all_runs[name] = (problem, result)
    if result.found:  # figures only for rosters found within the time limit
        assert not validate(problem, result.roster), "the validator rejects the roster"
        results[name] = (problem, result)

def summary(name, problem, result):
    kpis = result.kpis
    if kpis is None:
        return {"template": name, "status": str(result.status), "seconds": round(result.seconds, 1)}
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

rows = [summary(n, p, r) for n, (p, r) in all_runs.items()]
comparison = pd.DataFrame(rows).set_index("template")
comparison""",
    ),
    ("md", "## The rosters: days across, shifts down, one colour per consultant"),
    (
        "py",
        """fig, axes = plt.subplots(len(results), 1, figsize=(14, 3 * len(results)),
                         layout="constrained", squeeze=False)
for ax, (name, (problem, result)) in zip(axes[:, 0], results.items()):
    plot_roster_grid(view_from_roster(problem, result.roster, label=name), ax=ax)""",
    ),
    ("md", "## Hours against contract, nights and weekends per person"),
    (
        "py",
        """fig, axes = plt.subplots(len(results), 2, figsize=(14, 3.5 * len(results)),
                         layout="constrained", squeeze=False)
for row, (name, (problem, result)) in zip(axes, results.items()):
    view = view_from_roster(problem, result.roster, label=name)
    plot_hours_vs_contract(view, ax=row[0])
    plot_nights_weekends(view, ax=row[1])""",
    ),
    ("md", "## Handovers per day"),
    (
        "py",
        """fig, axes = plt.subplots(1, len(results), figsize=(14, 3.5), layout="constrained",
                         sharey=True, squeeze=False)
for ax, (name, (problem, result)) in zip(axes[0], results.items()):
    plot_handovers(view_from_roster(problem, result.roster, label=name), ax=ax)""",
    ),
    (
        "md",
        """**Reading the comparison.** 12-hour shifts need fewer people per day, so the team
in the home is smaller and there are fewer handovers — what families ask for — but each
shift is long and the hours per person reach the 48-hour average limit sooner. 8-hour
shifts spread the load over more consultants. The table above gives the figures for
this case and pool; change `WEEKS` or `TIME_LIMIT` to explore.""",
    ),
    ("py", "db.close()"),
]

CAPACITY_04: list[Cell] = [
    (
        "md",
        """# Capacity planning: what if we hire one more speaker?

The supply-and-demand analysis (`data.capacity`) names the languages and regions where
open requests exceed the free hours of local speakers. This notebook tests the advice:
for each of the top shortages it adds **one** consultant who speaks the language to the
office serving the region (a copy of a typical colleague there, 37 h/week), re-runs the
batch optimisation and measures how many seats stay unplaced and how much travel is
saved.""",
    ),
    ("py", SETUP),
    (
        "py",
        """import dataclasses

from api.report_data import family_language, load_capacity
from api.services.snapshot import load_match_problem
from data.capacity import planning_balances, shortages
from data.geography import regions
from data.languages import base_language
from matcher.batch import optimize
from matcher.problem import LanguageSkill, Level

TIME_LIMIT = 5  # seconds per run
problem = load_match_problem(session, as_of)
snapshot = load_capacity(session, as_of)
gaps = shortages(planning_balances(snapshot.consultants, snapshot.demands, snapshot.history,
                                   as_of, 12))
print("The largest gaps (open + expected requests over 12 weeks vs free hours then):")
for gap in gaps[:5]:
    print(f"• {gap.language} in {gap.region}: {gap.missing_hours:.1f} h/week")""",
    ),
    (
        "py",
        """region_code = {region.name: region.code for region in regions()}

def hire(problem, language, region_name, new_id):
    \"\"\"The problem with one more consultant: a copy of the first colleague at the office
    for the region, 37 h/week, speaking `language` natively and Danish.\"\"\"
    code = region_code.get(region_name, region_name)
    # The office dedicated to the region (serving the fewest regions) gets the newcomer.
    office = min((o for o in problem.offices if code in o.serves_regions),
                 key=lambda o: (len(o.serves_regions), o.id))
    colleague = next(c for c in problem.consultants if c.office_id == office.id)
    newcomer = dataclasses.replace(
        colleague, id=new_id, ref=f"NEW-{language}", capacity_hours=37.0, absences=(),
        home=office.location,
        languages=(LanguageSkill(language, Level.NATIVE), LanguageSkill("da", Level.FLUENT)),
    )
    return dataclasses.replace(problem, consultants=problem.consultants + (newcomer,)), office

def outcome(result):
    travel = result.kpis.mean_travel_minutes if result.kpis else float("nan")
    exact = result.kpis.exact_dialect_rate if result.kpis else float("nan")
    return {"status": str(result.status), "unplaced": len(result.unplaced),
            "mean travel min": round(travel, 1), "exact dialect %": round(100 * exact, 1),
            "objective": result.objective}

baseline = optimize(problem, time_limit=TIME_LIMIT, seed=0, num_workers=2)

# Candidate hires: the largest gap of the supply analysis, and the languages and
# regions of the seats the batch leaves unplaced today.
region_name = {region.code: region.name for region in regions()}
unplaced = [problem.case_by_id[seat.case_id] for seat in baseline.unplaced
            if str(seat.role) != "coordinator"]
unplaced_needs = pd.Series([
    (base_language(family_language([(l.person_group, l.tag) for l in case.languages])),
     region_name.get(case.region, case.region))
    for case in unplaced
], dtype=object).value_counts()
candidates = list(dict.fromkeys(
    [(gap.language, gap.region) for gap in gaps[:1]] + list(unplaced_needs.index[:2])
))
print("hires to try:", candidates)

rows = [{"scenario": "today's staff", **outcome(baseline)}]
new_id = max(c.id for c in problem.consultants) + 1
for language, region in candidates:
    changed, office = hire(problem, language, region, new_id)
    result = optimize(changed, time_limit=TIME_LIMIT, seed=0, num_workers=2)
    rows.append({"scenario": f"+1 {language} speaker in {office.name}", **outcome(result)})
table = pd.DataFrame(rows).set_index("scenario")
table["unplaced saved"] = table.unplaced.iloc[0] - table.unplaced
table["travel saved min"] = (table["mean travel min"].iloc[0] - table["mean travel min"]).round(1)
table""",
    ),
    (
        "py",
        """fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
labels = [label.replace(" speaker in ", "\\n") for label in table.index]
left.bar(labels, table.unplaced, color="#DD8452")
left.set_title("Seats left unplaced")
right.bar(labels, table["mean travel min"], color="#4C72B0")
right.set_title("Mean one-way travel per placement (min)")
for ax in (left, right):
    ax.tick_params(axis="x", labelsize="small")""",
    ),
    (
        "md",
        """**Reading the table.** A hire pays off where it removes unplaced seats (families
who would otherwise wait or get an interpreter) or shortens travel. When a hire saves
nothing, the shortage is in hours that other speakers nearby can still absorb, or the
open requests need something else (a qualification, a gender) — the batch result's
unplaced reasons say which.""",
    ),
    ("py", "db.close()"),
]

NOTEBOOKS: dict[str, list[Cell]] = {
    "01_demo_book_of_business.ipynb": BOOK_01,
    "02_matching.ipynb": MATCHING_02,
    "03_dognindsats_roster.ipynb": ROSTER_03,
    "04_capacity_planning.ipynb": CAPACITY_04,
}


if __name__ == "__main__":
    raise SystemExit(main())
