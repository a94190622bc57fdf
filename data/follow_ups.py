"""A case's follow-up plan from its type, and where its course stands against its aim.

Pure: dates in, dates out. The cadences are data (``data/reference/follow_up_cadences.toml``,
or the file ``FAMPLAN_FOLLOW_UP_CADENCES`` names), validated once when read; the services
(`api.services.follow_ups`, `api.services.course`) store and regenerate the plans, the
demo seed writes them with the same function.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, Field

from data.models import FollowUpKind, InterventionType


class Cadence(BaseModel, frozen=True):
    """The follow-up rhythm and the course aim of one intervention type."""

    intervention_type: InterventionType
    municipal_follow_up_every_days: int = Field(ge=1, le=366)
    status_report_days_before: int = Field(ge=0, le=90)
    network_meeting_every_days: int = Field(ge=0, le=731)
    call_after_end_days: int = Field(ge=0, le=731)
    aim_months: int = Field(ge=0, le=60)


class CourseSettings(BaseModel, frozen=True):
    open_course_days: int = Field(ge=1, le=1461)
    aim_tolerance_days: int = Field(ge=0, le=366)
    decision_window_days: int = Field(ge=0, le=366)


class Cadences(BaseModel, frozen=True):
    course: CourseSettings
    cadence: tuple[Cadence, ...]

    def of(self, kind: InterventionType) -> Cadence:
        for row in self.cadence:
            if row.intervention_type is kind:
                return row
        raise KeyError(kind)


def parse_cadences(text: str) -> Cadences:
    """The cadences of a TOML text; every intervention type must have exactly one."""
    cadences = Cadences.model_validate(tomllib.loads(text))
    types = [row.intervention_type for row in cadences.cadence]
    missing = set(InterventionType) - set(types)
    if missing or len(types) != len(set(types)):
        raise ValueError(
            "follow-up cadences: one [[cadence]] per intervention type "
            f"(missing {sorted(missing)}, listed {sorted(types)})"
        )
    return cadences


@lru_cache
def load_cadences(path: Path | None = None) -> Cadences:
    """The configured cadences (the shipped file unless `path` names another)."""
    if path is not None:
        return parse_cadences(path.read_text(encoding="utf-8"))
    shipped = resources.files("data").joinpath("reference", "follow_up_cadences.toml")
    return parse_cadences(shipped.read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True, order=True)
class PlannedFollowUp:
    due: dt.date
    kind: FollowUpKind


def _every(start: dt.date, days: int, until: dt.date) -> list[dt.date]:
    """start + days, start + 2·days, … up to and including `until`."""
    if days <= 0:
        return []
    count = (until - start).days // days
    return [start + dt.timedelta(days=days * k) for k in range(1, count + 1)]


def plan_follow_ups(
    cadence: Cadence, settings: CourseSettings, start: dt.date, end: dt.date | None
) -> list[PlannedFollowUp]:
    """Every follow-up of a course from `start` to `end` (a course without an end is
    planned `open_course_days` ahead and gets its call once an end is known), by due date.

    Municipal follow-ups fall every `municipal_follow_up_every_days` from the start, each
    with a status report `status_report_days_before` earlier; network meetings every
    `network_meeting_every_days`; the call `call_after_end_days` after the end.
    """
    until = end or start + dt.timedelta(days=settings.open_course_days)
    plan: list[PlannedFollowUp] = []
    for due in _every(start, cadence.municipal_follow_up_every_days, until):
        plan.append(PlannedFollowUp(due, FollowUpKind.MUNICIPAL_FOLLOW_UP))
        report_due = due - dt.timedelta(days=cadence.status_report_days_before)
        if cadence.status_report_days_before and report_due > start:
            plan.append(PlannedFollowUp(report_due, FollowUpKind.STATUS_REPORT))
    for due in _every(start, cadence.network_meeting_every_days, until):
        plan.append(PlannedFollowUp(due, FollowUpKind.NETWORK_MEETING))
    if end is not None and cadence.call_after_end_days:
        plan.append(
            PlannedFollowUp(
                end + dt.timedelta(days=cadence.call_after_end_days), FollowUpKind.AFTER_END_CALL
            )
        )
    return sorted(plan)


# ------------------------------------------------------------------ the course's aim


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus calendar months (31 January + 1 month = 28/29 February)."""
    moved: dt.date = (pd.Timestamp(day) + pd.DateOffset(months=months)).date()
    return moved


def aim_date(cadence: Cadence, start: dt.date) -> dt.date | None:
    """The day the course aims to end (start + `aim_months`); None without an aim."""
    return add_months(start, cadence.aim_months) if cadence.aim_months else None


class CourseEnd(StrEnum):
    """How an ended course ended against its aim."""

    AT_AIM = "at_aim"  # within the tolerance either side of the aim
    EARLY = "early"  # broke off before
    LATE = "late"  # ran past it (extended)
    NO_AIM = "no_aim"


def course_end_against_aim(
    cadence: Cadence, settings: CourseSettings, start: dt.date, end: dt.date
) -> CourseEnd:
    aim = aim_date(cadence, start)
    if aim is None:
        return CourseEnd.NO_AIM
    if (end - aim).days < -settings.aim_tolerance_days:
        return CourseEnd.EARLY
    if (end - aim).days > settings.aim_tolerance_days:
        return CourseEnd.LATE
    return CourseEnd.AT_AIM
