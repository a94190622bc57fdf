"""Follow-ups of a case's course, and the decisions a course comes up for (issue 20)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator
from sqlmodel import SQLModel

from api.schemas.common import PlanningDate, RequestModel, Version, with_examples
from data.models import FollowUpBase, InterventionType


class FollowUpPublic(FollowUpBase):
    model_config = with_examples(
        {
            "id": 17,
            "case_id": 42,
            "coordinator_id": 3,
            "office_id": 6,
            "kind": "municipal_follow_up",
            "due": "2026-03-16",
            "done_on": None,
            "overdue": False,
            "version": 0,
        }
    )

    id: int
    #: The coordinator's office (None without a coordinator).
    office_id: int | None
    #: Open and due before the planning date.
    overdue: bool
    version: int


class FollowUpDone(RequestModel):
    """Mark a follow-up done (audited); `version` guards against a concurrent change."""

    model_config = with_examples({"done_on": "2026-03-02", "version": 0})

    #: The day it was held or sent; default the planning date. Never after it.
    done_on: PlanningDate | None = None
    version: Version | None = None


class CourseDecision(SQLModel):
    """A running case whose course has reached, or nears, its aim (9 months for family
    treatment): it needs a decision — end it, extend it with new hours, or convert it."""

    case_id: int
    intervention_type: InterventionType
    start: dt.date
    #: start + the type's aim in months (`data/reference/follow_up_cadences.toml`).
    aim: dt.date
    #: The day the decision is due: the aim, or the expected end once extended.
    decision_due: dt.date
    expected_end: dt.date | None
    extensions: int
    hours_per_week: float
    options: list[str] = Field(examples=[["end", "extend", "convert"]])


class CaseExtension(RequestModel):
    """Extend a running course to `expected_end`, optionally with new hours and visits, or
    convert it to another intervention type. Its own audited change: the case's version
    is bumped and its running seats are resized under the capacity invariants."""

    model_config = with_examples(
        {"expected_end": "2026-12-01", "hours_per_week": 4, "visits_per_week": 1, "version": 3}
    )

    expected_end: PlanningDate
    hours_per_week: float | None = Field(default=None, ge=0, le=60)
    support_hours_per_week: float | None = Field(default=None, ge=0, le=60)
    visits_per_week: float | None = Field(default=None, ge=0, le=21)
    #: Convert the course (e.g. to a coordinating family consultant); not to or from a
    #: døgnindsats, whose team is rostered.
    intervention_type: InterventionType | None = None
    version: Version | None = None

    @model_validator(mode="after")
    def _not_a_team(self) -> CaseExtension:
        if self.intervention_type is InterventionType.DOGNINDSATS:
            raise ValueError("intervention_type: a døgnindsats is ordered, not converted to")
        return self


class CaseExtensionResult(SQLModel):
    case_id: int
    version: int
    extensions: int
    expected_end: dt.date
    intervention_type: InterventionType
    resized_assignment_ids: list[int]
    follow_ups_planned: int
