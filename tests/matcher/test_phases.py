"""Phases of a course: the hours of the phase at the date in question, in the pure
function, the capacity rule, ranking, the batch and the capacity outlook."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from data.capacity import Commitment, ConsultantLoad, capacity_outlook
from data.phases import phase_data
from matcher.batch import optimize
from matcher.phases import Phase, PhasePlan, PhaseTable
from matcher.problem import CaseLanguage, MatchProblem, MatchSettings, Role, Weights
from matcher.rank import rank
from matcher.rules import RuleName, capacity_hours_rule
from solving.status import SolveStatus
from tests.matcher.instances import MONDAY, case, consultant, problem, running

#: Family treatment in this test: intensive (all hours) for 6 weeks, then 60 %, then
#: from week 20 a quarter of the ordered hours.
PLAN = PhasePlan(
    (
        Phase("intensive", 0, 1.0, 3.0),
        Phase("regular", 6, 0.6, 0.67),
        Phase("tapering", 20, 0.25, 0.29),
    )
)
TABLE = PhaseTable({"family_treatment": PLAN})
START = MONDAY.date()


def test_phase_at_the_date_from_the_case_start():
    assert PLAN.at(START, START).name == "intensive"
    assert PLAN.at(START, START + dt.timedelta(weeks=6) - dt.timedelta(days=1)).name == (
        "intensive"
    )
    assert PLAN.at(START, START + dt.timedelta(weeks=6)).name == "regular"
    assert PLAN.at(START, START + dt.timedelta(weeks=22)).name == "tapering"
    # Before the start a check must not be lenient: the most intensive phase.
    assert PLAN.at(START, START - dt.timedelta(days=10)).name == "intensive"


def test_types_without_a_plan_keep_their_hours():
    later = START + dt.timedelta(weeks=30)
    assert TABLE.share("dognindsats", START, later) == 1.0
    assert TABLE.share("family_treatment", START, later) == 0.25
    # A support person keeps the ordered hours whatever the family's phase.
    assert TABLE.seat_share("family_treatment", "support", START, later) == 1.0
    assert PhaseTable().share("family_treatment", START, later) == 1.0


def test_steps_give_the_hours_from_each_phase_on():
    assert TABLE.steps("family_treatment", START, 20.0) == (
        (START, 20.0),
        (START + dt.timedelta(weeks=6), 12.0),
        (START + dt.timedelta(weeks=20), 5.0),
    )
    assert TABLE.steps("support_person", START, 8.0) == ((START, 8.0),)


@pytest.mark.parametrize(
    "raw, field",
    [
        ({"family_treatment": {"phases": []}}, "week 0"),
        ({"family_treatment": {"phases": [{"name": "a", "from_week": 0}]}}, "hours_share"),
        (
            {
                "family_treatment": {
                    "phases": [
                        {"name": "a", "from_week": 0, "hours_share": 1.5, "visits_per_week": 1}
                    ]
                }
            },
            "hours_share",
        ),
    ],
)
def test_a_bad_plan_names_the_type_and_field(raw, field):
    with pytest.raises(ValueError, match=f"phases.family_treatment: .*{field}"):
        PhaseTable.parse(raw)


def test_the_shipped_plans_parse_and_taper():
    # The documented defaults (data/reference/phases.toml): every plan starts at its full
    # ordered hours, and intensity only falls along the course.
    table = PhaseTable.parse(phase_data())
    assert set(table.plans) == {
        "family_treatment",
        "intensive_family_treatment",
        "coordinating_consultant",
    }
    for plan in table.plans.values():
        shares = [p.hours_share for p in plan.phases]
        visits = [p.visits_per_week for p in plan.phases]
        assert shares[0] == 1.0 and shares == sorted(shares, reverse=True)
        assert visits == sorted(visits, reverse=True)


def full_consultant_instance(as_of: dt.date, phases: PhaseTable = TABLE) -> MatchProblem:
    """Consultant 1 (20 h, all family hours) runs case 20 (family treatment, 16 h ordered,
    started on MONDAY); case 10 asks for 8 h from `as_of`.

    In week 2 of case 20 (intensive) the load is 16 h: 4 h free, 8 needed — full. In
    month 5 (week 21, tapering) it is 16 × 0.25 = 4 h: 16 h free, room."""
    base = problem(
        [consultant(1, "ar-SY", hours=20)],
        [
            replace(case(10, "ar-SY", hours=8), requested_start=dt.datetime(2026, 1, 1, 9, 0)),
            case(20, "ar-SY", hours=16, is_open=False),
        ],
        [running(1, 20, 1, hours=16)],
    )
    return replace(base, as_of=as_of, phases=phases)


WEEK_2 = START + dt.timedelta(weeks=1)
MONTH_5 = START + dt.timedelta(weeks=21)


def test_capacity_rule_fires_in_week_2_and_not_in_month_5():
    week_2 = full_consultant_instance(WEEK_2)
    reason = capacity_hours_rule(
        week_2, week_2.case_by_id[10], Role.PRIMARY, week_2.consultant_by_id[1]
    )
    assert reason is not None and reason.rule == RuleName.CAPACITY_HOURS
    month_5 = full_consultant_instance(MONTH_5)
    assert (
        capacity_hours_rule(
            month_5, month_5.case_by_id[10], Role.PRIMARY, month_5.consultant_by_id[1]
        )
        is None
    )
    # Without phases the course keeps its 16 h: still full in month 5.
    flat = full_consultant_instance(MONTH_5, PhaseTable())
    assert capacity_hours_rule(flat, flat.case_by_id[10], Role.PRIMARY, flat.consultant_by_id[1])


def test_ranking_offers_the_consultant_in_month_5_only():
    week_2 = rank(full_consultant_instance(WEEK_2), 10, propose_reshuffle=False)
    assert week_2.candidates == ()
    assert week_2.excluded[Role.PRIMARY].counts == {RuleName.CAPACITY_HOURS.value: 1}
    month_5 = rank(full_consultant_instance(MONTH_5), 10, propose_reshuffle=False)
    assert [c.consultant_id for c in month_5.candidates] == [1]
    # Free hours shown: 20 − 4 (case 20 tapering) = 16.
    assert month_5.candidates[0].free_hours == pytest.approx(16.0)


def test_a_new_request_needs_its_first_phase_hours():
    # Case 10 starts on the planning date: its own course is in the intensive phase, so it
    # needs its full 8 h even in a month when running courses have tapered.
    p = full_consultant_instance(MONTH_5)
    assert p.seat_hours(p.case_by_id[10], Role.PRIMARY, MONTH_5) == 8.0
    assert p.running_hours(p.assignments[0], MONTH_5) == pytest.approx(4.0)


def test_batch_places_the_request_in_month_5_not_in_week_2():
    # Language-only scores (exact dialect 10 points, same dialect group 7), no stability
    # cost, an unplaced seat costs 200; case 10 is Lebanese Arabic here, for the Syrian
    # speaker a dialect of the same group. Week 2: only one case fits; keeping case 20
    # (10 − 200 = −190) beats taking case 10 instead (7 − 200 = −193). Month 5:
    # 4 + 8 = 12 h ≤ 20, both with consultant 1: 10 + 7 = 17.
    only_language = Weights(
        language=10,
        culture=0,
        travel=0,
        office=0,
        continuity=0,
        workload=0,
        start=0,
        preference=0,
    )

    def solve(as_of: dt.date):
        p = full_consultant_instance(as_of)
        lebanese = replace(p.case_by_id[10], languages=(CaseLanguage("ar-LB"),))
        p = replace(
            p,
            cases=(lebanese, p.case_by_id[20]),
            # No waiting weight: case 10 has waited since January (tested in test_waiting).
            settings=MatchSettings(
                weights=only_language, reserved_share=0, stability_cost=0, waiting_weight=0
            ),
        )
        result = optimize(p, time_limit=10, num_workers=1)
        assert result.status == SolveStatus.OPTIMAL
        return result

    week_2 = solve(WEEK_2)
    assert week_2.assignment == {(20, "primary"): 1, (10, "primary"): None}
    assert week_2.objective == pytest.approx(-190.0)
    month_5 = solve(MONTH_5)
    assert month_5.assignment == {(20, "primary"): 1, (10, "primary"): 1}
    assert month_5.objective == pytest.approx(17.0)


def test_capacity_outlook_frees_the_hours_of_later_phases():
    # 30 h contract, one 16 h course started on MONDAY: free 14 h until week 6, then
    # 30 − 9.6 = 20.4 h; without steps the 16 h never free.
    steps = TABLE.steps("family_treatment", START, 16.0)
    phased = ConsultantLoad(("ar",), ("Hovedstaden",), 30.0, (Commitment(16.0, None, steps),))
    flat = ConsultantLoad(("ar",), ("Hovedstaden",), 30.0, (Commitment(16.0, None),))
    phased_outlook = capacity_outlook([phased], START, weeks=8)
    assert phased_outlook.total_free_hours[0] == pytest.approx(14.0)
    assert phased_outlook.total_free_hours[6] == pytest.approx(20.4)
    assert capacity_outlook([flat], START, weeks=8).total_free_hours[6] == pytest.approx(14.0)
