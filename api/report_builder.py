"""What goes into the famplan report, section by section, from a database session.

Each ``*_section`` function reads what it needs, calls the pure figure functions and
returns a `Section`; `build_report` strings them together and `write_report` (in
`api.report`) writes the HTML and PNGs. The notebooks use `demo_database` to get a
temporary, seeded SQLite through the same code path as ``make demo``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.report import NamedFigure, Section, Table, WrittenReport, write_report
from api.report_data import CapacitySnapshot, load_capacity
from data.capacity import (
    DEFAULT_HOURS_PER_CONSULTANT,
    balances,
    capacity_outlook,
    shortages,
)
from data.languages import display_name
from data.plotting import plot_balance_heatmap, plot_capacity_outlook, plot_supply_demand

#: Progress messages for the CLI ("matching: optimising …"); silent by default.
Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    return None


def language_name(tag: str) -> str:
    try:
        return display_name(tag, "en")
    except ValueError:
        return tag


def _figure(ax: Axes) -> Figure:
    figure = ax.get_figure(root=True)
    if not isinstance(figure, Figure):
        raise TypeError("the axes are not on a figure")
    return figure


# ------------------------------------------------------------------ supply and demand


def supply_section(snapshot: CapacitySnapshot, weeks: int = 12) -> Section:
    """Supply vs demand per language and region, shortages, and free capacity ahead."""
    cells = balances(snapshot.consultants, snapshot.demands, on=snapshot.as_of)
    found = shortages(cells, DEFAULT_HOURS_PER_CONSULTANT)
    short_languages = list(dict.fromkeys(s.language for s in found))[:4]
    outlook = capacity_outlook(
        snapshot.consultants, snapshot.as_of, weeks=weeks, languages=short_languages
    )
    running = sum(1 for d in snapshot.demands if d.status == "running")
    requested = len(snapshot.demands) - running
    paragraphs = [
        f"As of {snapshot.as_of:%d %B %Y}: {running} running cases and {requested} open "
        f"requests; {len(snapshot.consultants)} active consultants with "
        f"{outlook.total_free_hours[0]:,.0f} free contracted hours per week.",
        "A shortage is a language and region where the hours requested exceed the free "
        "hours of consultants who speak the language and whose office serves the region; "
        f"head counts assume {DEFAULT_HOURS_PER_CONSULTANT:.0f} h per new consultant.",
    ]
    bullets = [s.sentence() for s in found[:10]] or [
        "no shortage: every open request fits in the free hours of local speakers"
    ]
    table = Table(
        "Shortages (language × region)",
        ["language", "region", "requested h/week", "free h/week", "missing h/week", "needed"],
        [
            [
                language_name(s.language),
                s.region,
                cell.requested_hours,
                cell.free_hours,
                s.missing_hours,
                s.consultants_needed,
            ]
            for s in found
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
            _figure(plot_supply_demand(cells)),
            "Running cases, open requests and free consultant hours per language",
        ),
        NamedFigure(
            "supply_balance",
            _figure(plot_balance_heatmap(cells)),
            "Free minus requested hours per language and region (red = short)",
        ),
        NamedFigure(
            "capacity_outlook",
            _figure(plot_capacity_outlook(outlook)),
            f"Expected free capacity over the next {weeks} weeks from case end dates",
        ),
    ]
    return Section("Supply and demand", paragraphs, bullets, figures, [table, outlook_table])


# ------------------------------------------------------------------ the whole report


@dataclass
class ReportOptions:
    as_of: dt.date | None = None
    time_limit: float = 10.0
    seed: int = 42
    sections: Sequence[str] = field(default_factory=lambda: ("supply", "matching", "roster"))


def build_report(
    session: Session, options: ReportOptions | None = None, progress: Progress = _silent
) -> list[Section]:
    options = options or ReportOptions()
    as_of = options.as_of or default_as_of(session)
    sections: list[Section] = []
    if "supply" in options.sections:
        progress("supply and demand")
        sections.append(supply_section(load_capacity(session, as_of)))
    return sections


def default_as_of(session: Session) -> dt.date:
    """The demo scenario's own 'today' when it declares one, else the real today."""
    try:
        from data.seed import scenario_today
    except ImportError:
        return dt.date.today()
    return scenario_today(session)


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
    from data.seed import load_demo

    from data.db import make_engine
    from data.migrate import upgrade

    directory = tempfile.TemporaryDirectory(prefix="famplan-demo-")
    url = upgrade(f"sqlite:///{Path(directory.name) / 'demo.db'}")
    engine = make_engine(url)
    load_demo(engine, seed=seed, scale=scale, progress=False)
    session = Session(engine)
    return DemoDatabase(url, engine, session, default_as_of(session), directory)
