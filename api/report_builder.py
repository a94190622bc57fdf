"""What goes into the famplan report, section by section, from a database session.

Each ``*_section`` function reads what it needs, calls the pure figure functions and
returns a `Section`; `build_report` strings them together and `write_report` (in
`api.report`) writes the HTML and PNGs. The notebooks use `demo_database` to get a
temporary, seeded SQLite through the same code path as ``make demo``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.report import NamedFigure, Section, Table, WrittenReport, write_report
from api.report_data import CapacitySnapshot, load_capacity
from api.services.planning_date import DANISH_TIME, planning_date
from api.sweep_report import StoredSweep, latest_stored_sweep, sweep_section
from data.capacity import (
    DEFAULT_HOURS_PER_CONSULTANT,
    DEFAULT_MIN_MISSING_HOURS,
    DemandStatus,
    capacity_outlook,
    planning_balances,
    region_label,
    shortages,
)
from data.languages import language_label
from data.plotting import plot_balance_heatmap, plot_capacity_outlook, plot_supply_demand
from matcher.plans import current_seats, kpi_rows, view_from_batch, view_from_plan
from matcher.plotting import (
    plot_consultant_utilisation,
    plot_fallback_languages,
    plot_language_closeness,
    plot_office_utilisation,
    plot_plan_comparison,
    plot_travel_distribution,
)
from matcher.problem import MatchProblem
from roster.plotting import (
    plot_handovers,
    plot_hours_vs_contract,
    plot_nights_weekends,
    plot_roster_grid,
)

#: Progress messages for the CLI ("matching: optimising …"); silent by default.
Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    return None


def language_name(tag: str) -> str:
    return language_label(tag)


def figure_of(ax: Axes) -> Figure:
    figure = ax.get_figure(root=True)
    if not isinstance(figure, Figure):
        raise TypeError("the axes are not on a figure")
    return figure


# ------------------------------------------------------------------ supply and demand


def supply_section(snapshot: CapacitySnapshot, weeks: int = 12) -> Section:
    """Supply vs demand per language and region, shortages, and free capacity ahead."""
    cells = planning_balances(
        snapshot.consultants, snapshot.demands, snapshot.history, snapshot.as_of, weeks
    )
    found = shortages(cells, DEFAULT_HOURS_PER_CONSULTANT, DEFAULT_MIN_MISSING_HOURS)
    gaps = shortages(cells, DEFAULT_HOURS_PER_CONSULTANT)
    # The languages with the largest gaps get their own line in the outlook.
    short_languages = list(dict.fromkeys(g.language for g in gaps))[:4]
    outlook = capacity_outlook(
        snapshot.consultants, snapshot.as_of, weeks=weeks, languages=short_languages
    )
    running = sum(1 for d in snapshot.demands if d.status == DemandStatus.RUNNING)
    requested = len(snapshot.demands) - running
    paragraphs = [
        f"As of {snapshot.as_of:%d %B %Y}: {running} running cases and {requested} open "
        f"requests; {len(snapshot.consultants)} active consultants with "
        f"{outlook.total_free_hours[0]:,.0f} free contracted hours per week.",
        f"A shortage is a language and region where open requests plus the requests "
        f"expected over the next {weeks} weeks (the past year's intake at the same pace) "
        f"exceed the free hours that consultants who speak the language, at an office "
        f"serving the region, will have by then as their known cases end. Head counts "
        f"assume {DEFAULT_HOURS_PER_CONSULTANT:.0f} h per new consultant; a consultant "
        f"counts for every language they speak, so the figures are a lower bound.",
    ]
    bullets = [s.sentence() for s in found[:10]]
    if not bullets:
        tightest = ", ".join(
            f"{language_name(g.language)} in {region_label(g.region)} "
            f"({g.missing_hours:.1f} h/week)"
            for g in sorted(gaps, key=lambda g: -g.missing_hours)[:3]
        )
        bullets = [
            f"no shortage of {DEFAULT_MIN_MISSING_HOURS:g} h/week or more: open and expected "
            f"requests fit in the free hours of local speakers"
            + (f"; the tightest: {tightest}" if tightest else "")
        ]
    table = Table(
        "Largest gaps (language × region)",
        [
            "language",
            "region",
            "open h/week",
            f"expected h/week ({weeks} wk)",
            "free h/week then",
            "missing h/week",
            "needed",
        ],
        [
            [
                language_name(s.language),
                s.region,
                cell.requested_hours,
                cell.expected_hours,
                cell.free_hours_ahead,
                s.missing_hours,
                s.consultants_needed if s.missing_hours >= DEFAULT_MIN_MISSING_HOURS else "—",
            ]
            for s in gaps[:15]
            for cell in cells
            if (cell.language, cell.region) == (s.language, s.region)
        ],
    )
    outlook_table = Table(
        "Expected free hours per week",
        ["week of", "all consultants", *[language_name(lang) for lang in short_languages]],
        [
            [
                f"{day:%d %b}",
                outlook.total_free_hours[i],
                *[outlook.free_hours_by_language[lang][i] for lang in short_languages],
            ]
            for i, day in enumerate(outlook.week_starts)
        ],
    )
    figures = [
        NamedFigure(
            "supply_demand",
            figure_of(plot_supply_demand(cells, exclude=("da",))),
            "Hours per week per language: running cases, open requests, requests expected "
            f"over the next {weeks} weeks, free consultant hours (Danish left out: its "
            "hours dwarf the rest)",
        ),
        NamedFigure(
            "supply_balance",
            figure_of(plot_balance_heatmap(cells)),
            f"Free hours in {weeks} weeks minus open and expected requests, per language and "
            "region (h/week; red = short)",
        ),
        NamedFigure(
            "capacity_outlook",
            figure_of(plot_capacity_outlook(outlook)),
            f"Expected free capacity over the next {weeks} weeks as cases end or taper off "
            "(course phases)",
        ),
    ]
    return Section("Supply and demand", paragraphs, bullets, figures, [table, outlook_table])


# ------------------------------------------------------------------ waiting list and phases


def report_moment(as_of: dt.date) -> dt.datetime:
    """The report's "now" for the 24-hour clock: midday (Danish time) of its planning date,
    so the same book gives the same report whatever the real time."""
    return dt.datetime.combine(as_of, dt.time(12), tzinfo=DANISH_TIME)


def waiting_section(session: Session, as_of: dt.date) -> Section:
    """The waiting list in its order, the share placed within 24 hours, the wait's
    distribution, and the phase plans courses taper by."""
    from api.services.phases import phase_table
    from api.services.waiting import book_waiting_figures, waiting_list

    now = report_moment(as_of)
    figures = book_waiting_figures(session, now)
    entries = waiting_list(session, now)
    share = (
        "no request decided yet"
        if figures.share_within_limit is None
        else f"{figures.share_within_limit:.1%} of decided requests placed within 24 hours"
    )
    paragraphs = [
        f"At {now:%d %B %Y %H:%M}: {share}; {figures.placed} placed, {figures.waiting} "
        f"waiting, of which {figures.overdue} past their 24 hours.",
        f"Hours placed requests waited: median {_number(figures.p50_hours)}, 90th "
        f"percentile {_number(figures.p90_hours)}, longest {_number(figures.max_hours)} "
        "(the book keeps the day a family's first consultant began, not the confirm's "
        "time: a placement counts at the start of that day). The batch places families "
        "that have waited longest first.",
        "A course's hours fall by phase (data/reference/phases.toml): capacity, matching, "
        "the batch and the capacity outlook count each running course in the phase it is "
        "in at the date in question; a request starts in its first phase.",
    ]
    waiting_table = Table(
        "Waiting list (urgent first, then the deadline)",
        ["case", "priority", "deadline", "hours left"],
        [
            [case.reference, entry.priority, f"{entry.deadline:%d %b %H:%M}", entry.hours_left]
            for entry, case in entries[:15]
        ],
    )
    phases_table = Table(
        "Phases of a course (share of the ordered hours; visits a week)",
        ["intervention type", "phase", "from week", "hours share", "visits/week"],
        [
            [kind.replace("_", " "), p.name, p.from_week, p.hours_share, p.visits_per_week]
            for kind, plan in sorted(phase_table().plans.items())
            for p in plan.phases
        ],
    )
    return Section(
        "Waiting list and course phases", paragraphs, (), (), [waiting_table, phases_table]
    )


# ------------------------------------------------------------------ matching quality


def matching_section(problem: MatchProblem, time_limit: float, seed: int = 0) -> Section:
    """Today's plan, the greedy baseline and the batch re-optimisation side by side."""
    from matcher.batch import optimize
    from matcher.greedy import greedy

    # reproducible, as the roster section: the same book and seed give the same report
    batch = optimize(problem, time_limit=time_limit, seed=seed, num_workers=2, deterministic=True)
    baseline = greedy(problem)
    seats = current_seats(problem)
    unplaced_today = sum(
        1 for case in problem.cases for role in case.roles if (case.id, role) not in seats
    )
    views = [
        view_from_plan(problem, seats, "today", unplaced_today),
        view_from_batch(problem, baseline, "greedy"),
        view_from_batch(problem, batch, "batch"),
    ]
    gap = "—" if batch.gap is None else f"{batch.gap:.3%}"
    paragraphs = [
        f"{len(problem.consultants)} consultants, {len(problem.cases)} cases "
        f"({sum(c.is_open for c in problem.cases)} open requests). Batch re-optimisation "
        f"(CP-SAT, {time_limit:g} s limit): {batch.status}, objective "
        f"{_number(batch.objective)}, bound {_number(batch.bound)}, gap {gap}, "
        f"{batch.runtime:.1f} s; greedy baseline objective {_number(baseline.objective)}.",
        "Exact dialect = the consultant speaks the family's own tag; same dialect group = "
        "an Arabic dialect of the family's group (e.g. Syrian for Lebanese); related "
        "language = signed off by a coordinator for the case (e.g. Dari served in Persian).",
    ]
    kinds = Counter(change.kind for change in batch.changes)
    reasons = Counter(seat.reason for seat in batch.unplaced)
    figures = [
        NamedFigure(
            "matching_kpis",
            plot_plan_comparison(views),
            "Headline KPIs: today, greedy baseline, batch re-optimisation",
        ),
        NamedFigure(
            "matching_language",
            figure_of(plot_language_closeness(views)),
            "Language match per placement",
        ),
        NamedFigure(
            "matching_fallbacks",
            figure_of(plot_fallback_languages(views[-1])),
            "Other dialects and fallback languages in the batch plan",
        ),
        NamedFigure(
            "matching_travel",
            figure_of(plot_travel_distribution(views)),
            "One-way travel per placement",
        ),
        NamedFigure(
            "utilisation_office",
            figure_of(plot_office_utilisation(views)),
            "Utilisation per office",
        ),
        NamedFigure(
            "utilisation_consultant",
            figure_of(plot_consultant_utilisation(views[-1])),
            "Utilisation per consultant in the batch plan (sorted)",
        ),
    ]
    tables = [
        Table(
            "KPIs",
            ["KPI", *[v.label for v in views]],
            [[name, *values] for name, values in kpi_rows(views)],
        ),
        Table(
            "Proposed changes (batch)",
            ["kind", "seats"],
            [[kind, count] for kind, count in kinds.most_common()],
        ),
        Table(
            "Unplaced seats (batch)",
            ["reason", "seats"],
            [[reason, count] for reason, count in reasons.most_common()],
        ),
    ]
    return Section("Matching quality: batch vs greedy", paragraphs, (), figures, tables)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


# ------------------------------------------------------------------ døgnindsats roster


def roster_section(session: Session, as_of: dt.date, time_limit: float, seed: int = 0) -> Section:
    """A 4-week 3x8 roster for the first døgnindsats case of the book (not stored)."""
    from api.report_data import roster_params
    from api.services.roster_problem import build_problem
    from data.models import Case, CaseStatus, InterventionType
    from roster.parameters import SearchParameters
    from roster.plotting import view_from_roster
    from roster.solve import solve
    from roster.validate import validate

    case = session.exec(
        select(Case)
        .where(Case.intervention_type == InterventionType.DOGNINDSATS)
        .where(Case.status != CaseStatus.ENDED)
        .order_by(Case.status, Case.id)  # type: ignore[arg-type]
    ).first()
    if case is None or case.id is None:
        return Section("Døgnindsats roster", ["No open døgnindsats case in the book."])
    monday = as_of + dt.timedelta(days=(7 - as_of.weekday()) % 7)
    problem = build_problem(session, roster_params(session, case.id, monday, 28, "3x8"), set())
    # reproducible: the same book and seed give the same report
    result = solve(
        problem, time_limit=time_limit, seed=seed, parameters=SearchParameters(deterministic=True)
    )
    violations = validate(problem, result.roster)
    view = view_from_roster(problem, result.roster, label=f"{case.reference} (3x8)")
    kpis = result.kpis
    paragraphs = [
        f"Case {case.reference}: 28 days from {monday:%d %B %Y}, template 3x8, one "
        f"consultant per shift, pool of {len(problem.employees)}. {result.status} in "
        f"{result.seconds:.1f} s; {len(view.team())} consultants in the home; "
        f"{len(result.uncovered)} uncovered shifts; validator: "
        f"{'no violation' if not violations else f'{len(violations)} violations'}.",
    ]
    rows = []
    if kpis is not None:
        rows = [
            [
                employee,
                k.shifts,
                k.minutes / 60,
                k.contract_minutes / 60,
                k.nights,
                k.weekend_days,
                k.blocks,
            ]
            for employee, k in sorted(kpis.per_employee.items())
        ]
    figures = [
        NamedFigure(
            "roster_grid",
            figure_of(plot_roster_grid(view)),
            "Roster grid: days × shifts, one colour per consultant",
        ),
        NamedFigure(
            "roster_hours",
            figure_of(plot_hours_vs_contract(view)),
            "Hours per consultant against contract over the horizon",
        ),
        NamedFigure(
            "roster_nights_weekends",
            figure_of(plot_nights_weekends(view)),
            "Night and weekend shifts per consultant",
        ),
        NamedFigure("roster_handovers", figure_of(plot_handovers(view)), "Handovers per day"),
    ]
    table = Table(
        "Per consultant (id)",
        ["consultant", "shifts", "hours", "contract h", "nights", "weekend days", "blocks"],
        rows,
    )
    uncovered = Table(
        "Uncovered shifts",
        ["date", "shift", "reason"],
        [[problem.date(u.day).isoformat(), u.shift, u.reason] for u in result.uncovered[:20]],
    )
    return Section("Døgnindsats roster", paragraphs, (), figures, [table, uncovered])


# ------------------------------------------------------------------ the whole report


@dataclass
class ReportOptions:
    as_of: dt.date | None = None
    time_limit: float = 10.0
    seed: int = 42
    sections: Sequence[str] = field(
        default_factory=lambda: ("supply", "waiting", "course", "matching", "roster", "sweep")
    )
    #: The sweep the "sweep" section shows; None: the newest finished sweep job stored
    #: in the database, and no section if there is none (`api.sweep_report`).
    sweep: StoredSweep | None = None


def build_report(
    session: Session, options: ReportOptions | None = None, progress: Progress = _silent
) -> list[Section]:
    options = options or ReportOptions()
    as_of = options.as_of or planning_date(session)
    sections: list[Section] = []
    if "supply" in options.sections:
        progress("supply and demand")
        sections.append(supply_section(load_capacity(session, as_of)))
    if "waiting" in options.sections:
        progress("waiting list")
        sections.append(waiting_section(session, as_of))
    if "course" in options.sections:
        from api.report_course import course_section

        progress("the course: follow-ups and course ends")
        sections.append(course_section(session, as_of))
    if "matching" in options.sections:
        from api.services.snapshot import load_match_problem

        progress("matching: batch re-optimisation and greedy baseline")
        problem = load_match_problem(session, as_of)
        sections.append(matching_section(problem, options.time_limit, options.seed))
    if "roster" in options.sections:
        progress("døgnindsats roster")
        sections.append(roster_section(session, as_of, options.time_limit, options.seed))
    if "sweep" in options.sections:
        stored = options.sweep or latest_stored_sweep(session)
        if stored is not None:
            progress("scenario sweep")
            sections.append(sweep_section(stored))
    return sections


def write_demo_report(
    engine: Engine,
    out_dir: Path,
    options: ReportOptions | None = None,
    progress: Progress = _silent,
) -> WrittenReport:
    with Session(engine) as session:
        sections = build_report(session, options, progress)
    return write_report(sections, out_dir, title="famplan — book of business report")


# ------------------------------------------------------------------ notebooks


@dataclass
class DemoDatabase:
    """A temporary SQLite migrated with Alembic and seeded with the demo book."""

    url: str
    engine: Engine
    session: Session
    as_of: dt.date
    directory: tempfile.TemporaryDirectory[str]

    def close(self) -> None:
        self.session.close()
        self.engine.dispose()
        self.directory.cleanup()


def demo_database(seed: int = 42, scale: int = 1) -> DemoDatabase:
    """Create, migrate and seed a temporary SQLite database (the real code path)."""
    from data.db import make_engine
    from data.migrate import upgrade
    from data.seed import load_demo

    directory = tempfile.TemporaryDirectory(prefix="famplan-demo-")
    url = upgrade(f"sqlite:///{Path(directory.name) / 'demo.db'}")
    engine = make_engine(url)
    load_demo(engine, seed=seed, scale=scale, progress=False)
    session = Session(engine)
    return DemoDatabase(url, engine, session, planning_date(session), directory)
