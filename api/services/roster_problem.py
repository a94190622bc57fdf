"""A døgnindsats roster's problem from today's database: the stored parameters
(`Roster.params`) → `roster.RosterProblem`, with the pool's absences, contracts, other
rosters and history.

The request's parameters (cases, horizon, template, cover, rules) are kept on the
`Roster` row, so a repair rebuilds the same problem from today's data (absences,
other rosters, contracts) and re-plans against the published shifts.

Times: a horizon starts at midnight (Danish time) of `start_date`; shift times are
wall-clock starts converted to UTC, durations added in UTC (correct across DST).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, col, select

from api.services.cases import case_family_language
from api.services.errors import Invalid
from api.services.planning_date import DANISH_TIME
from api.services.stored_shifts import shift_kind, shifts_with_template, worked_minutes
from data.models import (
    Absence,
    Assignment,
    AssignmentStatus,
    Consultant,
    ConsultantLanguage,
    InterventionType,
)
from data.ops_models import Roster, RosterCaseLink, RosterShift, RosterStatus, as_utc

if TYPE_CHECKING:
    from roster.problem import RosterProblem, RosterRules


# ------------------------------------------------------------------ time


def shift_times(
    start_date: dt.date, day: int, start_minute: int, minutes: int
) -> tuple[dt.datetime, dt.datetime]:
    """UTC start and end of a shift worked on `day` of a horizon from `start_date`."""
    date = start_date + dt.timedelta(days=day)
    local = dt.datetime.combine(date, dt.time(0), tzinfo=DANISH_TIME) + dt.timedelta(
        minutes=start_minute
    )
    start = local.replace(tzinfo=None).replace(tzinfo=DANISH_TIME).astimezone(dt.UTC)
    return start, start + dt.timedelta(minutes=minutes)


def day_index(start_date: dt.date, moment: dt.datetime) -> int:
    """The horizon day a shift starting at `moment` belongs to."""
    return (moment.astimezone(DANISH_TIME).date() - start_date).days


def horizon_minutes(start_date: dt.date, moment: dt.datetime) -> int:
    origin = dt.datetime.combine(start_date, dt.time(0), tzinfo=DANISH_TIME).astimezone(dt.UTC)
    return int((moment.astimezone(dt.UTC) - origin).total_seconds() // 60)


# ------------------------------------------------------------------ problem


class StoredRosterParams(BaseModel):
    """What `build_problem` reads of a roster's stored parameters (`Roster.params`, the
    job's `RosterParams` plus what later changes added, e.g. `case_ends`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    start_date: dt.date
    days: int = Field(ge=1)
    template: str
    case_ids: list[int]
    office_ids: list[int] = Field(default_factory=list)
    consultant_ids: list[int] = Field(default_factory=list)
    consultants_per_shift: int = 1
    #: An ended case (`end_case`) needs nobody after its last day.
    case_ends: dict[int, dt.date] = Field(default_factory=dict)
    min_rest_hours: int | None = None
    weekly_rest_hours: int | None = None
    max_average_weekly_hours: int | None = None
    reference_period_days: int | None = None
    max_shift_hours: int | None = None
    max_sleep_in_hours: int | None = None
    max_consecutive_nights: int | None = None
    max_consecutive_working_days: int | None = None

    def rules(self, defaults: RosterRules) -> RosterRules:
        """`defaults` with this roster's overrides (hours in the request, minutes in the
        rules); an override left out keeps the default."""

        def minutes(hours: int | None, default: int | None) -> int | None:
            return default if hours is None else hours * 60

        return dataclasses.replace(
            defaults,
            min_rest_minutes=minutes(self.min_rest_hours, defaults.min_rest_minutes),
            weekly_rest_minutes=minutes(self.weekly_rest_hours, defaults.weekly_rest_minutes),
            max_average_weekly_minutes=minutes(
                self.max_average_weekly_hours, defaults.max_average_weekly_minutes
            ),
            reference_period_days=self.reference_period_days or defaults.reference_period_days,
            max_shift_minutes=minutes(self.max_shift_hours, defaults.max_shift_minutes),
            max_sleep_in_minutes=minutes(self.max_sleep_in_hours, defaults.max_sleep_in_minutes),
            max_consecutive_nights=(
                defaults.max_consecutive_nights
                if self.max_consecutive_nights is None
                else self.max_consecutive_nights
            ),
            max_consecutive_working_days=(
                defaults.max_consecutive_working_days
                if self.max_consecutive_working_days is None
                else self.max_consecutive_working_days
            ),
        )


def build_problem(
    session: Session, params: Mapping[str, object], exclude_roster_ids: set[int]
) -> RosterProblem:
    """The roster problem for `params` from today's database."""
    from roster.problem import Case as RosterCase
    from roster.problem import CoverDemand, Employee, ProblemError, RosterProblem, RosterRules
    from roster.templates import template

    try:
        stored = StoredRosterParams.model_validate(params)
    except ValidationError as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
        raise Invalid.field("params", "stored roster parameters: " + ", ".join(fields)) from None
    start = stored.start_date
    days = stored.days
    end = start + dt.timedelta(days=days - 1)
    shifts = template(stored.template)
    case_ids = stored.case_ids

    consultants = session.exec(
        select(Consultant)
        .where(col(Consultant.office_id).in_(stored.office_ids))
        .where(Consultant.active_from <= end)
        .where(col(Consultant.active_to).is_(None) | (col(Consultant.active_to) >= start))
        .order_by(col(Consultant.id))
    ).all()
    pool = [c for c in consultants if InterventionType.DOGNINDSATS.value in c.intervention_types]
    if stored.consultant_ids:
        wanted = set(stored.consultant_ids)
        pool = [c for c in pool if c.id in wanted]
    ids = [c.id for c in pool if c.id is not None]
    languages: dict[int, list[str]] = {i: [] for i in ids}
    for row in session.exec(
        select(ConsultantLanguage).where(col(ConsultantLanguage.consultant_id).in_(ids))
    ):
        languages[row.consultant_id].append(row.tag)
    absent: dict[int, set[int]] = {i: set() for i in ids}
    for absence in session.exec(
        select(Absence).where(
            col(Absence.consultant_id).in_(ids), Absence.start <= end, Absence.end >= start
        )
    ):
        first = max(absence.start, start)
        last = min(absence.end, end)
        absent[absence.consultant_id] |= {
            (first - start).days + k for k in range((last - first).days + 1)
        }
    committed: dict[int, float] = {i: 0.0 for i in ids}
    for assignment in session.exec(
        select(Assignment).where(
            col(Assignment.consultant_id).in_(ids),
            col(Assignment.status) != AssignmentStatus.ENDED,
            col(Assignment.case_id).not_in(case_ids),
        )
    ):
        if assignment.end is None or assignment.end >= start:
            committed[assignment.consultant_id or 0] += assignment.hours_per_week
    busy: dict[int, list[tuple[int, int]]] = {i: [] for i in ids}
    for shift in other_roster_shifts(session, ids, case_ids, exclude_roster_ids):
        busy[shift.consultant_id or 0].append(
            (horizon_minutes(start, shift.start), horizon_minutes(start, shift.end))
        )
    rules = stored.rules(RosterRules())
    reach = max(HISTORY_DAYS, rules.reference_period_days or 0)
    history = _history(session, ids, exclude_roster_ids, start, reach)
    # A draft's team has no assignments yet (publishing writes them): its shifts in this
    # horizon count as hours already used, as a published roster's assignments do.
    for consultant_id, minutes in draft_minutes(
        session, ids, case_ids, exclude_roster_ids, start, end
    ):
        committed[consultant_id] += minutes * 7 / days / 60

    employees = tuple(
        Employee(
            id=str(c.id),
            contract_minutes_per_week=round(c.contracted_hours_per_week * 60),
            committed_minutes=round(committed[c.id or 0] * 60 * days / 7),
            busy=tuple(sorted(busy[c.id or 0])),
            history=history.shifts.get(c.id or 0, ()),
            worked_days_before=history.worked_days.get(c.id or 0, 0),
            nights_before=history.nights.get(c.id or 0, 0),
            absences=frozenset(absent[c.id or 0]),
            works_nights=c.takes_night_shifts,
            languages=tuple(languages[c.id or 0]),
            gender=str(c.gender.value) if c.gender else None,
        )
        for c in pool
    )
    cases = tuple(
        RosterCase(id=str(case_id), language=case_family_language(session, case_id))
        for case_id in case_ids
    )
    per_shift = stored.consultants_per_shift
    # an ended case (`end_case`) needs nobody after its last day
    last_day = {case_id: (date - start).days for case_id, date in stored.case_ends.items()}
    cover = tuple(
        CoverDemand(case=str(case_id), day=d, shift=s.id, required=per_shift)
        for case_id in case_ids
        for d in range(days)
        for s in shifts
        if d <= last_day.get(case_id, days)
    )
    try:
        return RosterProblem(
            start_date=start,
            days=days,
            shift_types=shifts,
            employees=employees,
            cases=cases,
            cover=cover,
            rules=rules,
        )
    except ProblemError as error:
        # e.g. a roster stored before the 8 h floor on the daily rest, now repaired
        field = "body.min_rest_hours" if "min_rest" in str(error) else "params"
        raise Invalid.field(field, str(error)) from None


#: Rosters whose shifts hold their consultants: published ones, and drafts (planned,
#: awaiting publication) — a pending roster has no shifts until its job stores them.
HOLDING_STATUSES = (RosterStatus.PUBLISHED, RosterStatus.DRAFT)


def other_roster_shifts(
    session: Session,
    consultant_ids: list[int],
    case_ids: list[int],
    exclude_roster_ids: set[int],
    statuses: tuple[RosterStatus, ...] = HOLDING_STATUSES,
) -> list[RosterShift]:
    """The shifts of `consultant_ids` in every other roster that holds them (published or
    draft) — except rosters of the same cases, which the new roster replaces — so two
    rosters planned for two cases of one office never book one person twice."""
    sharing_a_case = select(RosterCaseLink.roster_id).where(
        col(RosterCaseLink.case_id).in_(case_ids)
    )
    other_rosters = select(Roster.id).where(
        col(Roster.status).in_(statuses),
        col(Roster.id).not_in(exclude_roster_ids),
        col(Roster.id).not_in(sharing_a_case),
    )
    return list(
        session.exec(
            select(RosterShift)
            .where(
                col(RosterShift.roster_id).in_(other_rosters),
                col(RosterShift.consultant_id).in_(consultant_ids),
            )
            .order_by(col(RosterShift.id))
        ).all()
    )


#: How far back the history of earlier rosters is read at least (rest, consecutive
#: days); the 48-hour average reads back over its reference period.
HISTORY_DAYS = 14


@dataclasses.dataclass(frozen=True)
class History:
    """Per consultant: the shifts worked before a horizon (minutes from its start), and
    the consecutive days, and nights, worked up to the day before it."""

    shifts: dict[int, tuple[tuple[int, int], ...]]
    worked_days: dict[int, int]
    nights: dict[int, int]


def _history(
    session: Session,
    consultant_ids: list[int],
    exclude_roster_ids: set[int],
    start: dt.date,
    reach_days: int,
) -> History:
    """Carry the past over: the shifts of `consultant_ids` in every roster that holds them
    (any case, the same cases included: a new roster does not replace them before its
    start) starting in the `reach_days` before `start`. The problem counts them for the
    48-hour average over the reference period and holds the daily and weekly rest
    around them; the runs of days and nights worked up to the day before `start`
    continue into the consecutive-day limits."""
    from roster.templates import template

    origin = dt.datetime.combine(start, dt.time(0), tzinfo=DANISH_TIME).astimezone(dt.UTC)
    rows = shifts_with_template(
        session,
        HOLDING_STATUSES,
        consultant_ids,
        exclude_roster_ids,
        col(RosterShift.start) < origin,
        col(RosterShift.start) >= origin - dt.timedelta(days=reach_days),
    )
    shifts: dict[int, set[tuple[int, int]]] = {}
    worked: dict[int, set[int]] = {}
    nights: dict[int, set[int]] = {}
    for shift, template_name in rows:
        consultant = shift.consultant_id or 0
        day = day_index(start, as_utc(shift.start))
        worked.setdefault(consultant, set()).add(day)
        if any(s.night for s in template(template_name) if s.id == shift.shift_code):
            nights.setdefault(consultant, set()).add(day)
        shifts.setdefault(consultant, set()).add(
            (horizon_minutes(start, shift.start), horizon_minutes(start, shift.end))
        )
    return History(
        shifts={c: tuple(sorted(s)) for c, s in shifts.items()},
        worked_days={c: _run_before(days) for c, days in worked.items()},
        nights={c: _run_before(days) for c, days in nights.items()},
    )


def _run_before(days: set[int]) -> int:
    run = 0
    while -(run + 1) in days:
        run += 1
    return run


def draft_minutes(
    session: Session,
    consultant_ids: list[int],
    case_ids: list[int],
    exclude_roster_ids: set[int],
    first: dt.date,
    last: dt.date,
) -> list[tuple[int, int]]:
    """(consultant, counted minutes) of each shift in another draft roster that starts
    between `first` and `last` (the contract count of its template)."""
    sharing_a_case = select(RosterCaseLink.roster_id).where(
        col(RosterCaseLink.case_id).in_(case_ids)
    )
    rows = shifts_with_template(
        session,
        (RosterStatus.DRAFT,),
        consultant_ids,
        exclude_roster_ids,
        col(Roster.id).not_in(sharing_a_case),
    )
    out = []
    for shift, template_name in rows:
        if not 0 <= day_index(first, as_utc(shift.start)) <= (last - first).days:
            continue
        kind = shift_kind(shift, template_name)
        out.append((shift.consultant_id or 0, kind.minutes if kind else worked_minutes(shift)))
    return out
