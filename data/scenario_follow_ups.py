"""The demo book's follow-up plans: every started case's plan from its cadence
(`data.follow_ups`), with the same start, end and owner the services use
(`api.services.follow_ups`): the earliest assignment, the last assignment's end of an
ended case (else its expected end), the case's coordinator.

Follow-ups due before the book's day are done on their due date, except a share of those
due in the last four weeks (`OVERDUE_SHARE`), left open: the overdue list a coordinator
comes back to. Deterministic: the same book gives the same plans.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from data.follow_ups import load_cadences, plan_follow_ups
from data.models import AssignmentRole, CaseStatus, FollowUpKind
from data.scenario_specs import Scenario

#: Of the follow-ups due in the four weeks before the book's day, this share is still open.
OVERDUE_SHARE = 0.1
RECENT = dt.timedelta(weeks=4)


@dataclass(frozen=True, slots=True)
class FollowUpSpec:
    case_ref: str
    coordinator_ref: str | None
    kind: FollowUpKind
    due: dt.date
    done_on: dt.date | None


def demo_follow_ups(scenario: Scenario) -> list[FollowUpSpec]:
    cadences = load_cadences()
    rng = random.Random(f"follow-ups {scenario.seed} {scenario.scale}")
    starts: dict[str, dt.date] = {}
    ends: dict[str, dt.date] = {}
    owners: dict[str, str] = {}
    for a in scenario.assignments:
        starts[a.case_ref] = min(starts.get(a.case_ref, a.start), a.start)
        if a.end is not None:
            ends[a.case_ref] = max(ends.get(a.case_ref, a.end), a.end)
        if a.role is AssignmentRole.COORDINATOR and a.coordinator_ref is not None:
            owners[a.case_ref] = a.coordinator_ref
    plans: dict[str, list[FollowUpSpec]] = defaultdict(list)
    for case in scenario.cases:
        if case.status is CaseStatus.REQUESTED or case.reference not in starts:
            continue
        end = ends.get(case.reference) if case.status is CaseStatus.ENDED else None
        plan = plan_follow_ups(
            cadences.of(case.intervention_type),
            cadences.course,
            starts[case.reference],
            end or case.expected_end,
        )
        for item in plan:
            past = item.due < scenario.today
            recent = scenario.today - item.due <= RECENT
            left_open = past and recent and rng.random() < OVERDUE_SHARE
            plans[case.reference].append(
                FollowUpSpec(
                    case.reference,
                    owners.get(case.reference),
                    item.kind,
                    item.due,
                    item.due if past and not left_open else None,
                )
            )
    return [spec for specs in plans.values() for spec in specs]
