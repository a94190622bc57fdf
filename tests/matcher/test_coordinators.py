"""The coordinator a match proposes: serving office, room in the caseload, lowest load."""

from __future__ import annotations

from matcher.coordinators import CoordinatorOption, choose_coordinator, propose_coordinator
from matcher.problem import Role, RunningAssignment
from tests.matcher.instances import AARHUS, case, consultant, coordinator, office, problem


def option(id: int, caseload: int, serves: bool = True, max_caseload: int = 10):
    return CoordinatorOption(id, 1, caseload, max_caseload, serves)


def test_choice_takes_the_lowest_caseload_of_a_serving_office():
    chosen = choose_coordinator([option(1, 5), option(2, 3), option(3, 0, serves=False)])
    assert chosen is not None and chosen.id == 2


def test_choice_skips_a_full_caseload_and_finds_nobody_when_all_are_full():
    chosen = choose_coordinator([option(1, 10), option(2, 9)])
    assert chosen is not None and chosen.id == 2  # 1 is full
    assert choose_coordinator([option(1, 10), option(2, 0, serves=False)]) is None


def test_match_proposes_the_serving_office_coordinator_with_the_lowest_caseload():
    # Office 1 serves the family's region, office 2 (Aarhus) does not. Coordinator 20 has
    # one running case, 21 none: 21 is proposed; 22 (Aarhus, idle) is not.
    offices = [office(1), office(2, AARHUS, regions=("DK-82",))]
    p = problem(
        [consultant(1)],
        [case(10), case(11, is_open=False)],
        [RunningAssignment(100, 11, Role.COORDINATOR, coordinator_id=20)],
        coordinators=[coordinator(20, 1), coordinator(21, 1), coordinator(22, 2)],
        offices=offices,
    )
    proposal = propose_coordinator(p, 10)
    assert proposal is not None and proposal.coordinator_id == 21 and not proposal.current
    # A case with a running coordinator keeps them.
    kept = propose_coordinator(p, 11)
    assert kept is not None and kept.coordinator_id == 20 and kept.current
