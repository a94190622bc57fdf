"""The social coordinator for a case: who owns it from day one.

A coordinator can take a case when their office serves the family's region and their
caseload has room; among those the one with the lowest caseload is proposed (then the
lowest share of their maximum, then the lowest id, so the choice is deterministic). A
case that already has a running coordinator keeps them. Reception's match shows the
proposal beside the consultants (`propose_coordinator`); the confirm applies the same
choice (`choose_coordinator`) on fresh reads in its own transaction.

Coordinators carry no languages in the data, so language does not enter the choice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from matcher.problem import MatchProblem, Role


@dataclass(frozen=True, slots=True)
class CoordinatorOption:
    """A coordinator as the choice sees them."""

    id: int
    office_id: int
    caseload: int
    max_caseload: int
    serves_region: bool

    @property
    def has_room(self) -> bool:
        return self.caseload < self.max_caseload


@dataclass(frozen=True, slots=True)
class CoordinatorProposal:
    coordinator_id: int
    office_id: int
    caseload: int
    max_caseload: int
    #: True if the coordinator already runs the case.
    current: bool
    reasons: tuple[str, ...]


def choose_coordinator(options: Iterable[CoordinatorOption]) -> CoordinatorOption | None:
    """The coordinator of a serving office with room and the lowest caseload, or None."""
    eligible = [o for o in options if o.serves_region and o.has_room]
    if not eligible:
        return None
    return min(eligible, key=lambda o: (o.caseload, o.caseload / o.max_caseload, o.id))


def propose_coordinator(problem: MatchProblem, case_id: int) -> CoordinatorProposal | None:
    """The case's coordinator: today's if one runs the case, else `choose_coordinator`
    among the snapshot's coordinators. None if no serving office has room."""
    case = problem.case_by_id[case_id]
    current = problem.current_consultant(case_id, Role.COORDINATOR)
    if current is not None and current.coordinator_id in problem.coordinator_by_id:
        co = problem.coordinator_by_id[current.coordinator_id]
        return CoordinatorProposal(
            co.id,
            co.office_id,
            problem.coordinator_load(co.id),
            co.max_caseload,
            current=True,
            reasons=("already coordinates the case",),
        )
    options = [
        CoordinatorOption(
            co.id,
            co.office_id,
            problem.coordinator_load(co.id),
            co.max_caseload,
            problem.office_serves(co.office_id, case.region),
        )
        for co in problem.coordinators
    ]
    chosen = choose_coordinator(options)
    if chosen is None:
        return None
    office = problem.office_by_id.get(chosen.office_id)
    where = office.name if office is not None and office.name else f"office {chosen.office_id}"
    return CoordinatorProposal(
        chosen.id,
        chosen.office_id,
        chosen.caseload,
        chosen.max_caseload,
        current=False,
        reasons=(
            f"{where} serves the family's region",
            f"lowest caseload in the serving offices: {chosen.caseload} of "
            f"{chosen.max_caseload} cases",
        ),
    )
