"""Coordinators and assignments."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator
from sqlmodel import SQLModel

from api.schemas.common import DbId, PlanningDate, RequestModel, Version, with_examples
from data.models import AssignmentRole, AssignmentStatus

_COORDINATOR_EXAMPLE = {
    "employee_ref": "K-207",
    "display_name": "Coordinator 207",
    "office_id": 1,
    "max_caseload": 30,
}


class CoordinatorCreate(RequestModel):
    model_config = with_examples(_COORDINATOR_EXAMPLE)

    employee_ref: str = Field(min_length=1, max_length=32)
    display_name: str = Field(min_length=1, max_length=120)
    office_id: DbId
    max_caseload: int = Field(ge=0, le=200)


class CoordinatorUpdate(RequestModel):
    model_config = with_examples({"max_caseload": 25})

    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    office_id: DbId | None = None
    max_caseload: int | None = Field(default=None, ge=0, le=200)


class CoordinatorPublic(SQLModel):
    model_config = with_examples({"id": 3, "version": 0, **_COORDINATOR_EXAMPLE})

    id: int
    version: int
    employee_ref: str
    display_name: str
    office_id: DbId
    max_caseload: int


class AssignmentPublic(SQLModel):
    model_config = with_examples(
        {
            "id": 11,
            "version": 0,
            "case_id": 42,
            "consultant_id": 7,
            "coordinator_id": None,
            "role": "primary",
            "hours_per_week": 6,
            "start": "2026-03-02",
            "end": None,
            "status": "confirmed",
            "locked": False,
        }
    )

    id: int
    version: int
    case_id: int
    consultant_id: int | None
    coordinator_id: int | None
    role: AssignmentRole
    hours_per_week: float
    start: dt.date
    end: dt.date | None
    status: AssignmentStatus
    locked: bool


class AssignmentUpdate(RequestModel):
    """End, lock or resize an assignment; `version` must be the one you read."""

    model_config = with_examples({"version": 0, "end": "2026-11-30", "status": "ended"})

    version: Version
    hours_per_week: float | None = Field(default=None, ge=0, le=168)
    end: PlanningDate | None = None
    status: AssignmentStatus | None = None
    locked: bool | None = None

    @model_validator(mode="after")
    def _check(self) -> AssignmentUpdate:
        if self.status is AssignmentStatus.PROPOSED:
            raise ValueError("status: an assignment cannot go back to proposed")
        return self
