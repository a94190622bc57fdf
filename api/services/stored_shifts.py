"""Reading stored roster shifts back: their UTC times and length, what their template
says of them, and the shifts other rosters hold — shared by the roster problem
(`roster_problem`: the history and draft hours a new roster is planned around) and the
publish re-check across rosters (`roster_across`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from data.ops_models import Roster, RosterShift, RosterStatus, as_utc
from roster.templates import ShiftType, template


def worked_minutes(shift: RosterShift) -> int:
    """The stored shift's length from its start to its end."""
    return int((as_utc(shift.end) - as_utc(shift.start)).total_seconds() // 60)


def shift_kind(shift: RosterShift, template_name: str) -> ShiftType | None:
    """The template's shift type of a stored shift, None if the template has no such code."""
    return next((s for s in template(template_name) if s.id == shift.shift_code), None)


def shifts_with_template(
    session: Session,
    statuses: tuple[RosterStatus, ...],
    consultant_ids: list[int],
    exclude_roster_ids: set[int],
    *conditions: ColumnElement[bool],
) -> list[tuple[RosterShift, str]]:
    """The shifts of `consultant_ids` in the rosters of `statuses` but
    `exclude_roster_ids` that meet the further `conditions` (SQL expressions), each with
    its roster's template name, in id order."""
    return list(
        session.exec(
            select(RosterShift, Roster.template)
            .join(Roster, col(Roster.id) == col(RosterShift.roster_id))
            .where(
                col(Roster.status).in_(statuses),
                col(Roster.id).not_in(exclude_roster_ids),
                col(RosterShift.consultant_id).in_(consultant_ids),
                *conditions,
            )
            .order_by(col(RosterShift.id))
        ).all()
    )
