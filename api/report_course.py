"""The course section of the report (issue 20): follow-up load per coordinator per
week, overdue follow-ups, cases due for a decision and how ended courses ended against
their aim. `course_summary` is also what ``famplan demo`` prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matplotlib.figure import Figure
from sqlmodel import Session, col, select

from api.auth import Principal
from api.report import NamedFigure, Section, Table
from api.services.course import CourseFigures, course_figures, due_for_decision
from api.services.follow_ups import (
    FollowUpCounts,
    WeeklyLoad,
    follow_up_counts,
    overdue_by_office,
    weekly_load,
)
from data.follow_ups import load_cadences
from data.models import InterventionType, Office
from data.ops_models import Role
from data.plotting import plot_follow_up_load
from data.settings import get_settings

#: How far from the aim an ended course still counts as ended at it.
TOLERANCE_DAYS = load_cadences(get_settings().follow_up_cadences).course.aim_tolerance_days
#: Weeks of follow-up load the report shows from the planning date.
LOAD_WEEKS = 8
_EVERYONE = Principal(key_id=None, role=Role.ADMIN)


@dataclass(frozen=True, slots=True)
class CourseSummary:
    as_of: dt.date
    follow_ups: FollowUpCounts
    overdue_by_office: dict[str, int]
    load: WeeklyLoad
    office_names: dict[int, str]
    due_for_decision: int
    courses: dict[InterventionType, CourseFigures]

    def busiest_week(self) -> tuple[int, dt.date, int] | None:
        """(coordinator id, week, follow-ups due) of the heaviest coordinator-week."""
        cells = [
            (count, coordinator, self.load.weeks[k])
            for coordinator, counts in self.load.counts.items()
            for k, count in enumerate(counts)
        ]
        if not cells:
            return None
        count, coordinator, week = max(cells, key=lambda c: (c[0], -c[1]))
        return coordinator, week, count

    def family_treatment(self) -> CourseFigures:
        """The figures of family treatment, whose aim is to end after 9 months."""
        return self.courses.get(InterventionType.FAMILY_TREATMENT, CourseFigures(0, 0, 0, 0, 0))

    def mean_per_coordinator_week(self) -> float:
        cells = [count for counts in self.load.counts.values() for count in counts]
        return sum(cells) / len(cells) if cells else 0.0


def course_summary(session: Session, as_of: dt.date, weeks: int = LOAD_WEEKS) -> CourseSummary:
    names = {o.id: o.name for o in session.exec(select(Office).order_by(col(Office.id))) if o.id}
    overdue = {
        names.get(office or 0, "no coordinator"): count
        for office, count in sorted(overdue_by_office(session, as_of).items(), key=str)
    }
    return CourseSummary(
        as_of=as_of,
        follow_ups=follow_up_counts(session, as_of),
        overdue_by_office=overdue,
        load=weekly_load(session, as_of, weeks),
        office_names=names,
        due_for_decision=len(due_for_decision(session, _EVERYONE, as_of)),
        courses=course_figures(session),
    )


def course_section(session: Session, as_of: dt.date) -> Section:
    summary = course_summary(session, as_of)
    cadences = load_cadences(get_settings().follow_up_cadences)
    counts, courses = summary.follow_ups, summary.family_treatment()
    busiest = summary.busiest_week()
    paragraphs = [
        f"As of {as_of:%d %B %Y}: {counts.open:,} open follow-ups, {counts.overdue} overdue, "
        f"{counts.due_within_14_days} due in the next 14 days; {summary.due_for_decision} "
        "running cases at or near their course's aim need a decision (end, extend, convert).",
        f"Over the next {LOAD_WEEKS} weeks a coordinator has on average "
        f"{summary.mean_per_coordinator_week():.1f} follow-ups due per week"
        + (
            f"; the busiest week is coordinator {busiest[0]}'s week of {busiest[1]:%d %b} "
            f"with {busiest[2]}."
            if busiest
            else "."
        ),
        f"Family treatment aims to end after 9 months: of {courses.ended} ended courses, "
        f"{courses.at_aim} ({courses.share_at_aim:.0%}) ended at 9 months (within "
        f"{TOLERANCE_DAYS} days either side), {courses.early} ended early and {courses.late} "
        f"ran longer; {courses.extended} had been extended.",
    ]
    offices = summary.load.offices
    order = sorted(summary.load.counts, key=lambda c: (offices[c], c))
    labels = {
        f"{summary.office_names.get(offices[c], '?')} · {c}": summary.load.counts[c] for c in order
    }
    figure = plot_follow_up_load(summary.load.weeks, labels).get_figure(root=True)
    assert isinstance(figure, Figure)
    figures = [
        NamedFigure(
            "follow_up_load",
            figure,
            f"Follow-ups due per coordinator (office · id) per week, next {LOAD_WEEKS} weeks",
        )
    ]
    tables = [
        Table(
            "Overdue follow-ups by office",
            ["office", "overdue"],
            [[office, count] for office, count in summary.overdue_by_office.items()],
        ),
        Table(
            "Ended courses against their aim, by intervention type",
            ["type", "aim", "ended", "at the aim", "early", "longer", "extended", "at the aim %"],
            [
                [
                    kind.value.replace("_", " "),
                    f"{cadences.of(kind).aim_months} months",
                    figures.ended,
                    figures.at_aim,
                    figures.early,
                    figures.late,
                    figures.extended,
                    f"{figures.share_at_aim:.0%}",
                ]
                for kind, figures in summary.courses.items()
            ],
        ),
    ]
    return Section("The course: follow-ups and course ends", paragraphs, (), figures, tables)
