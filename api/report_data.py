"""Read what the reports need from the database into plain records.

The figures and insights are pure (`data.capacity`, `*/plotting.py`); this is the one
place the report reads tables. Ids and hours only leave here — no names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from api.services.phases import phase_table
from api.services.roster_params import case_roster_params
from data.capacity import Commitment, ConsultantLoad, Demand, DemandStatus, PastRequest
from data.languages import MAJORITY_LANGUAGE, family_language
from data.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseLanguage,
    CaseStatus,
    Consultant,
    ConsultantLanguage,
    Municipality,
    Office,
    PersonGroup,
    Region,
)
from data.ops_models import Roster, RosterShift, as_utc
from roster.plotting import RosterView, ShiftCell
from roster.templates import template


@dataclass(frozen=True)
class CapacitySnapshot:
    as_of: dt.date
    consultants: tuple[ConsultantLoad, ...]
    demands: tuple[Demand, ...]
    #: Every case as it arrived (any status), for the intake forecast.
    history: tuple[PastRequest, ...] = ()


def region_names(session: Session) -> dict[str, str]:
    return {region.code: region.name for region in session.exec(select(Region))}


def load_capacity(session: Session, as_of: dt.date) -> CapacitySnapshot:
    """Consultants active on `as_of` with their running commitments, and the demand of
    every requested or active case (hours include a support person's)."""
    regions = region_names(session)
    municipality_region = {
        town.code: regions.get(town.region_code, town.region_code)
        for town in session.exec(select(Municipality))
    }
    office_regions = {
        office.id: tuple(regions.get(code, code) for code in office.serves_regions)
        for office in session.exec(select(Office))
    }
    languages: dict[int, list[str]] = defaultdict(list)
    for row in session.exec(select(ConsultantLanguage)):
        languages[row.consultant_id].append(row.tag)
    case_languages: dict[int, list[tuple[PersonGroup, str]]] = defaultdict(list)
    for case_row in session.exec(select(CaseLanguage).order_by(col(CaseLanguage.id))):
        case_languages[case_row.case_id].append((case_row.person_group, case_row.tag))
    cases = {case.id: case for case in session.exec(select(Case))}
    phases = phase_table()
    commitments: dict[int, list[Commitment]] = defaultdict(list)
    assignments = select(Assignment).where(
        col(Assignment.consultant_id).is_not(None),
        Assignment.status != AssignmentStatus.ENDED,
    )
    for assignment in session.exec(assignments):
        case = cases[assignment.case_id]
        end = assignment.end or case.expected_end
        if (end is not None and end < as_of) or assignment.consultant_id is None:
            continue
        # The outlook frees the hours a course's later phases no longer need.
        steps = (
            phases.steps(
                case.intervention_type.value,
                case.requested_start.date(),
                assignment.hours_per_week,
            )
            if assignment.role is AssignmentRole.PRIMARY
            else ()
        )
        commitments[assignment.consultant_id].append(
            Commitment(assignment.hours_per_week, end, steps)
        )
    consultants = tuple(
        ConsultantLoad(
            languages=tuple(languages[c.id]),
            regions=office_regions.get(c.office_id, ()),
            contracted_hours=c.contracted_hours_per_week,
            commitments=tuple(commitments[c.id]),
        )
        for c in session.exec(select(Consultant))
        if c.id is not None
        and c.active_from <= as_of
        and (c.active_to is None or c.active_to >= as_of)
    )
    history = tuple(
        PastRequest(
            language=family_language(case_languages[case.id]) or MAJORITY_LANGUAGE,
            region=municipality_region[case.municipality_code],
            hours_per_week=case.hours_per_week + case.support_hours_per_week,
            requested_on=case.requested_start.date(),
        )
        for case in session.exec(select(Case))
        if case.id is not None
    )
    open_statuses = (CaseStatus.REQUESTED, CaseStatus.ACTIVE)
    demands = tuple(
        Demand(
            language=family_language(case_languages[case.id]) or MAJORITY_LANGUAGE,
            region=municipality_region[case.municipality_code],
            hours_per_week=case.hours_per_week + case.support_hours_per_week,
            status=DemandStatus.RUNNING
            if case.status == CaseStatus.ACTIVE
            else DemandStatus.REQUESTED,
        )
        for case in session.exec(select(Case).where(col(Case.status).in_(open_statuses)))
        if case.id is not None and (case.expected_end is None or case.expected_end >= as_of)
    )
    return CapacitySnapshot(as_of, consultants, demands, history)


DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def danish_wall_clock(moment: dt.datetime) -> dt.datetime:
    """Stored shift times are UTC (naive ones too); the figures show Danish wall-clock time."""
    return as_utc(moment).astimezone(DANISH_TIME).replace(tzinfo=None)


def roster_view_from_rows(
    roster: Roster,
    shifts: list[RosterShift],
    contract_hours: dict[int, float],
    case_id: int | None = None,
) -> RosterView:
    """A persisted roster (the API's tables) as the roster figures see it.

    Consultants are labelled by id. Night flags and counted hours come from the roster's
    template when it is a known one (a sleep-in night counts only partly), else from
    the clock times.
    """
    try:
        types = {shift_type.id: shift_type for shift_type in template(roster.template)}
    except ValueError:
        types = {}
    wanted = case_id if case_id is not None else (roster.case_ids[0] if roster.case_ids else None)
    grouped: dict[tuple[dt.datetime, str], list[str]] = defaultdict(list)
    ends: dict[tuple[dt.datetime, str], dt.datetime] = {}
    for shift in shifts:
        if wanted is not None and shift.case_id != wanted:
            continue
        key = (danish_wall_clock(shift.start), shift.shift_code)
        ends[key] = danish_wall_clock(shift.end)
        if shift.consultant_id is not None:
            grouped[key].append(str(shift.consultant_id))
    cells = []
    for (start, code), end in sorted(ends.items()):
        shift_type = types.get(code)
        cells.append(
            ShiftCell(
                start=start,
                end=end,
                code=code,
                consultants=tuple(sorted(grouped[(start, code)])),
                night=shift_type.night if shift_type else None,
                counted_hours=shift_type.minutes / 60 if shift_type else None,
            )
        )
    label = f"#{roster.id} ({roster.template})"
    return RosterView(label, tuple(cells), {str(k): v for k, v in contract_hours.items()})


def contract_hours_of(session: Session, consultant_ids: list[int]) -> dict[int, float]:
    rows = session.exec(select(Consultant).where(col(Consultant.id).in_(consultant_ids)))
    return {c.id: c.contracted_hours_per_week for c in rows if c.id is not None}


#: The parameters of a one-case roster (the CLI, the report, the notebooks): built by the
#: same service as the API's (`api.services.roster_params`).
roster_params = case_roster_params
