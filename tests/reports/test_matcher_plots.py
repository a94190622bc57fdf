"""Matching-quality figures drawn from two tiny hand-made plans."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from data.languages import Closeness
from matcher.plans import MatchingView, Placement, Utilisation, kpi_rows
from matcher.plotting import (
    plot_consultant_utilisation,
    plot_fallback_languages,
    plot_language_closeness,
    plot_office_utilisation,
    plot_plan_comparison,
    plot_travel_distribution,
)

EXACT, DIALECT, FALLBACK = Closeness.EXACT, Closeness.DIALECT, Closeness.FALLBACK


@pytest.fixture
def batch() -> MatchingView:
    """Four placements: three exact, one Dari family served in Farsi; 10–40 min away.
    Two consultants in two offices at 50 % and 100 %."""
    return MatchingView(
        "batch",
        (
            Placement(1, 10, "ar-IQ", "ar-IQ", EXACT, 10.0),
            Placement(2, 10, "ti", "ti", EXACT, 20.0),
            Placement(3, 11, "prs", "fa", FALLBACK, 30.0),
            Placement(4, 11, "uk", "uk", EXACT, 40.0),
        ),
        (Utilisation(10, "Næstved", 15.0, 30.0), Utilisation(11, "Odense", 37.0, 37.0)),
        unplaced=0,
    )


@pytest.fixture
def greedy() -> MatchingView:
    """Same cases the greedy way: one other dialect, two fallbacks, 60-min trips, one
    case unplaced."""
    return MatchingView(
        "greedy",
        (
            Placement(1, 11, "ar-IQ", "ar-SY", DIALECT, 60.0),
            Placement(2, 10, "ti", "ti", EXACT, 60.0),
            Placement(3, 10, "prs", "fa", FALLBACK, 60.0),
            Placement(4, 11, "kmr", "tr", FALLBACK, 60.0),
        ),
        (Utilisation(10, "Næstved", 30.0, 30.0), Utilisation(11, "Odense", 18.5, 37.0)),
        unplaced=1,
    )


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_closeness_bars_stack_to_100_percent(batch, greedy):
    ax = plot_language_closeness([batch, greedy])
    assert len(_bars(ax)) == 6  # 2 plans × exact/dialect/fallback
    heights = [round(b.get_height()) for b in _bars(ax)]
    # Per level, batch then greedy: exact 3/4 and 1/4, dialect 0 and 1/4, fallback 1/4 and 2/4.
    assert heights == [75, 25, 0, 25, 25, 50]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["batch", "greedy"]
    box = ax.get_legend()
    assert box is not None
    legend = [t.get_text() for t in box.get_texts()]
    # no "variety" or "none" bar: no plan has one
    assert legend == ["exact dialect", "same Arabic dialect group", "related language (signed off)"]


def test_fallback_bars_count_language_pairs(greedy, batch):
    ax = plot_fallback_languages(greedy)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(_bars(ax)) == 3
    assert "Arabic (Iraq) → Arabic (Syria)" in labels
    assert "Northern Kurdish → Turkish" in labels
    assert len(_bars(plot_fallback_languages(batch))) == 1  # only Dari → Farsi


def test_travel_histogram_has_one_step_line_per_plan(batch, greedy):
    ax = plot_travel_distribution([batch, greedy])
    box = ax.get_legend()
    assert box is not None
    legend = [t.get_text() for t in box.get_texts()]
    assert legend == ["batch: mean 25, p95 38 min", "greedy: mean 60, p95 60 min"]
    assert len(ax.patches) == 2


def test_utilisation_per_consultant_sorted(batch):
    ax = plot_consultant_utilisation(batch)
    assert [round(b.get_height()) for b in _bars(ax)] == [100, 50]
    assert not ax.texts  # nobody above the axis limit


def test_over_contract_counts_consultants_above_their_hours():
    from matcher.plans import over_contract

    view = MatchingView(
        "today",
        (),
        (Utilisation(1, "A", 37.5, 37.0), Utilisation(2, "A", 37.0, 37.0)),
    )
    assert over_contract(view) == 1


def test_extreme_utilisation_is_noted_not_drawn_to_scale():
    view = MatchingView(
        "x",
        (),
        (Utilisation(1, "A", 185.0, 37.0), Utilisation(2, "A", 30.0, 37.0)),
    )
    ax = plot_consultant_utilisation(view)
    assert ax.get_ylim() == (0.0, 200.0)
    assert [t.get_text() for t in ax.texts] == ["1 above 200% (up to 500%)"]


def test_office_utilisation_groups_bars(batch, greedy):
    ax = plot_office_utilisation([batch, greedy])
    heights = [round(b.get_height()) for b in _bars(ax)]
    assert heights == [50, 100, 100, 50]  # batch: Næstved, Odense; greedy: Næstved, Odense


def test_kpis_and_comparison_figure(batch, greedy):
    rows = dict(kpi_rows([batch, greedy]))
    assert rows["exact dialect %"] == [75.0, 25.0]
    assert rows["fallback languages"] == [1.0, 2.0]
    assert rows["mean travel min"] == [25.0, 60.0]
    assert rows["unplaced"] == [0.0, 1.0]
    assert rows["utilisation spread (sd %)"][0] == pytest.approx(np.std([0.5, 1.0]) * 100)
    assert rows["over contract (consultants)"] == [0.0, 0.0]  # 100 % is not over
    figure = plot_plan_comparison([batch, greedy])
    assert len(figure.axes) == len(rows) == 7
    assert all(len(_bars(ax)) == 2 for ax in figure.axes)


@pytest.fixture
def tiny_problem():
    """Two consultants at the Næstved office (10: Iraqi Arabic + Danish, 30 h; 11: Farsi,
    37 h); a new Iraqi-Arabic request in Copenhagen, a running Dari case served in Farsi
    by 11 (4 h) and a running Danish case of 10 (5 h)."""
    import datetime as dt

    from data.travel import Point
    from matcher.problem import (
        CaseData,
        CaseLanguage,
        ConsultantData,
        LanguageSkill,
        MatchProblem,
        OfficeData,
        Role,
        RunningAssignment,
    )

    office = Point(55.23, 11.76)
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)

    def case(cid: int, tag: str, hours: float, is_open: bool, where: Point = office) -> CaseData:
        return CaseData(
            cid,
            where,
            "DK-85",
            "family_treatment",
            hours,
            2,
            start,
            languages=(CaseLanguage(tag),),
            is_open=is_open,
        )

    return MatchProblem(
        consultants=(
            ConsultantData(10, office, 1, 30.0, 5, (LanguageSkill("ar-IQ"), LanguageSkill("da"))),
            ConsultantData(11, office, 1, 37.0, 5, (LanguageSkill("fa"),)),
        ),
        cases=(
            case(1, "ar-IQ", 6, True, Point(55.68, 12.57)),
            replace(case(2, "prs", 4, False), allow_related_language=True),
            case(3, "da", 5, False),
        ),
        offices=(OfficeData(1, office, frozenset({"DK-85"}), "Næstved"),),
        assignments=(
            RunningAssignment(1, 2, Role.PRIMARY, 4, consultant_id=11),
            RunningAssignment(2, 3, Role.PRIMARY, 5, consultant_id=10),
        ),
        as_of=dt.date(2026, 1, 5),
    )


def test_view_from_plan_scores_language_travel_and_utilisation(tiny_problem):
    from matcher.plans import current_seats, view_from_plan
    from matcher.problem import Role

    problem = tiny_problem
    assert current_seats(problem) == {(2, Role.PRIMARY): 11, (3, Role.PRIMARY): 10}
    plan = {(1, Role.PRIMARY): 10, (2, Role.PRIMARY): 11}
    view = view_from_plan(problem, plan, "batch", unplaced=0)
    by_case = {p.case_id: p for p in view.placements}
    assert by_case[1].closeness is EXACT
    assert (by_case[2].family_language, by_case[2].consultant_language) == ("prs", "fa")
    assert by_case[2].closeness is FALLBACK
    assert by_case[1].travel_minutes > 60 and by_case[2].travel_minutes == 0
    load = {u.consultant_id: (u.assigned_hours, u.contracted_hours) for u in view.utilisation}
    # Consultant 10: the new 6 h case plus the untouched running 5 h case.
    assert load == {10: (11.0, 30.0), 11: (4.0, 37.0)}
    assert {u.office for u in view.utilisation} == {"Næstved"}


def test_view_from_batch_skips_coordinator_seats(tiny_problem):
    from matcher.batch_model import BatchResult, Placement, UnplacedSeat
    from matcher.plans import view_from_batch
    from matcher.problem import Role
    from solving.status import SolveStatus

    primary, coordinator = Role.PRIMARY, Role.COORDINATOR
    result = BatchResult(
        status=SolveStatus.FEASIBLE,
        objective=None,
        bound=None,
        gap=None,
        runtime=0.0,
        build_seconds=0.0,
        placements=(
            Placement(case_id=1, role=primary, consultant_id=10),
            Placement(case_id=1, role=coordinator, coordinator_id=5),
            Placement(case_id=2, role=primary),
        ),
        changes=(),
        unplaced=(UnplacedSeat(2, primary, ""), UnplacedSeat(3, coordinator, "")),
        kpis=None,
        n_pairs=0,
        candidate_limit=None,
    )
    view = view_from_batch(tiny_problem, result, "batch")
    # Case 3's running seat is not in this plan: it stays, as a placement too.
    assert sorted((p.case_id, p.consultant_id) for p in view.placements) == [(1, 10), (3, 10)]
    assert view.unplaced == 1
    # Case 2's seat is in the plan but empty: consultant 11 no longer carries its 4 h.
    load = {u.consultant_id: u.assigned_hours for u in view.utilisation}
    assert load == {10: 11.0, 11: 0.0}


def test_a_placement_without_common_language_is_named_so():
    view = MatchingView("today", (Placement(1, 10, "tl", "", Closeness.NONE, 5.0),))
    ax = plot_fallback_languages(view)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Tagalog → no common language"]
    closeness = plot_language_closeness([view])
    box = closeness.get_legend()
    assert box is not None
    assert "no common language" in [t.get_text() for t in box.get_texts()]


def test_a_team_on_one_seat_keeps_each_members_own_hours(tiny_problem):
    """A døgnindsats: 168 h/week for the case, shared by a team on the support seat
    (28 h each). Nobody is charged the case's 168 h, and the plan's one modelled seat
    does not drop the rest of the team."""
    import dataclasses

    from matcher.plans import current_seats, view_from_plan
    from matcher.problem import Role, RunningAssignment

    case = dataclasses.replace(
        tiny_problem.case_by_id[3],
        hours_per_week=168.0,
        needs_support_person=True,
        support_hours_per_week=168.0,
    )
    team = (
        RunningAssignment(5, 3, Role.SUPPORT, 28, consultant_id=10),
        RunningAssignment(6, 3, Role.SUPPORT, 28, consultant_id=11),
    )
    problem = dataclasses.replace(
        tiny_problem,
        cases=(*tiny_problem.cases[:2], case),
        assignments=(tiny_problem.assignments[0], *team),
    )
    today = view_from_plan(problem, current_seats(problem), "today")
    load = {u.consultant_id: u.assigned_hours for u in today.utilisation}
    assert load == {10: 28.0, 11: 4.0 + 28.0}
    assert len(today.placements) == 3
    # A plan that hands the modelled seat (held by 11, the last) to 10: 10 now carries
    # the seat at the case's support hours, 11 keeps only the Dari case.
    moved = view_from_plan(problem, {(3, Role.SUPPORT): 10}, "plan")
    load = {u.consultant_id: u.assigned_hours for u in moved.utilisation}
    assert load == {10: 28.0 + 168.0, 11: 4.0}


def test_family_closeness_counts_each_family_by_its_primary(tiny_problem):
    from matcher.plans import family_closeness
    from matcher.problem import Role

    # Today: case 1 (ar-IQ) is open → unplaced; case 2 (Dari) has the Persian speaker,
    # signed off → related; case 3 (Danish) has a Danish speaker → exact.
    today = family_closeness(tiny_problem, {(2, Role.PRIMARY): 11, (3, Role.PRIMARY): 10})
    assert today == {
        "exact": 1,
        "variety": 0,
        "dialect group": 0,
        "related (signed off)": 1,
        "no cover": 0,
        "unplaced": 1,
    }
    # Without the sign-off the same Persian speaker gives case 2 no usable language.
    unsigned = replace(
        tiny_problem,
        cases=tuple(replace(c, allow_related_language=False) for c in tiny_problem.cases),
    )
    plan = {(1, Role.PRIMARY): 10, (2, Role.PRIMARY): 11, (3, Role.PRIMARY): 10}
    counts = family_closeness(unsigned, plan)
    assert (counts["exact"], counts["no cover"], counts["unplaced"]) == (2, 1, 0)
