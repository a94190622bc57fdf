"""The publish re-check across rosters: the rules that reach beyond one roster's
horizon, over each team member's shifts in every published roster plus the one being
published (`roster.across`, which runs the independent validator on them combined)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from api.services.planning_date import DANISH_TIME
from api.services.stored_shifts import shift_kind, shifts_with_template, worked_minutes
from data.ops_models import Roster, RosterCaseLink, RosterShift, RosterStatus, as_utc
from roster.across import Booking, broken_across
from roster.problem import RosterRules
from roster.templates import ShiftType

#: What the validator's rule names mean, for the refusal.
RULE_NAMES = {
    "weekly_rest": "weekly rest of 24 + 11 h",
    "max_average_weekly_reference_period": "48-hour average over the reference period",
    "night_worker_reference_period": "night-worker limit of 8 h per 24 h on average",
    "max_consecutive_working_days": "limit of consecutive working days",
    "max_consecutive_nights": "limit of consecutive nights",
}


def broken_with_published(
    session: Session, roster: Roster, rules: RosterRules, start_date: dt.date, days: int
) -> str | None:
    """Why publishing `roster` (its `rules`, and its horizon of `days` from `start_date`)
    would break a rule together with the published rosters of its team (other cases; of
    its own cases, their shifts outside its horizon), or None. Read inside the
    publishing transaction after the team's rows are locked."""
    assert roster.id is not None
    own_rows = session.exec(
        select(RosterShift)
        .where(RosterShift.roster_id == roster.id, col(RosterShift.consultant_id).is_not(None))
        .order_by(col(RosterShift.start))
    ).all()
    if not own_rows:
        return None
    team = sorted({s.consultant_id for s in own_rows if s.consultant_id is not None})
    # as far either side as a rule looks: the reference period and a weekly-rest window
    reach = dt.timedelta(days=(rules.reference_period_days or 0) + rules.weekly_rest_window_days)
    first, last = as_utc(own_rows[0].start), max(as_utc(s.end) for s in own_rows)
    horizon_start = dt.datetime.combine(start_date, dt.time(0), tzinfo=DANISH_TIME)
    horizon_end = horizon_start + dt.timedelta(days=days)
    excluded = {roster.id} | ({roster.parent_id} if roster.parent_id is not None else set())
    sharing_a_case = set(
        session.exec(
            select(RosterCaseLink.roster_id).where(
                col(RosterCaseLink.case_id).in_(list(roster.case_ids))
            )
        ).all()
    )
    rows = shifts_with_template(
        session,
        (RosterStatus.PUBLISHED,),
        team,
        excluded,
        col(RosterShift.start) >= first - reach,
        col(RosterShift.start) < last + reach,
    )
    others = [
        _booking(shift, template_name)
        for shift, template_name in rows
        # a roster of the same cases is replaced inside this horizon, not outside it
        if shift.roster_id not in sharing_a_case
        or not horizon_start <= as_utc(shift.start) < horizon_end
    ]
    own = [_booking(shift, roster.template, own=True) for shift in own_rows]
    for broken in broken_across(own, others, rules):
        v = broken.violation
        when = f" from {broken.date.isoformat()}" if broken.date is not None else ""
        rosters = ", ".join(broken.others)
        return (
            f"consultant {v.employee} would break the {RULE_NAMES.get(v.rule, v.rule)} "
            f"({v.rule}{when}) together with published roster {rosters}"
        )
    return None


def _booking(shift: RosterShift, template_name: str, own: bool = False) -> Booking:
    """A stored shift as the combined check reads it: its local start and length, and
    what its template says of its kind (night, sleep-in, counted hours)."""
    start = as_utc(shift.start).astimezone(DANISH_TIME)
    kind = shift_kind(shift, template_name)
    as_worked = ShiftType(
        shift.shift_code,
        start.hour * 60 + start.minute,
        worked_minutes(shift),
        night=kind.night if kind else False,
        sleep_in=kind.sleep_in if kind else False,
        counted_minutes=kind.counted_minutes if kind else None,
    )
    return Booking(
        roster="this" if own else str(shift.roster_id),
        employee=str(shift.consultant_id),
        date=start.date(),
        shift=as_worked,
    )


__all__ = ["RULE_NAMES", "broken_with_published"]
