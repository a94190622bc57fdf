"""Typed parameters of each job kind: stored as JSON in `Job.params`, validated when read.

Each model ignores keys it does not know and gives a default to every key added after
the first jobs were stored, so rows written by older versions still load.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from api.jobs.context import JobFailed
from api.schemas.rosters import RepairCreate
from data.ops_models import JobKind
from solving.executor import ExecutorName

#: Claimed highest first: a repair (someone is ill tonight) before a new roster, a
#: roster before a nightly batch re-optimisation.
DEFAULT_PRIORITY: dict[JobKind, int] = {
    JobKind.REPAIR: 100,
    JobKind.ROSTER: 50,
    JobKind.OPTIMIZATION: 0,
    #: What-if questions wait for every job that changes the plan.
    JobKind.SWEEP: -10,
}


class JobParams(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    time_limit_seconds: float = Field(gt=0)
    seed: int = 0
    #: A reproducible search (the default, also for jobs stored before the flag).
    reproducible: bool = True

    def stored(self) -> dict[str, object]:
        """The JSON stored in `Job.params`."""
        return self.model_dump(mode="json")


class OptimizationParams(JobParams):
    """A batch re-optimisation of `office_ids` as of a planning date."""

    office_ids: list[int] = Field(default_factory=list)
    as_of: dt.date


class RosterParams(JobParams):
    """A roster to solve; the same dict is kept on the `Roster` row (`Roster.params`), from
    which `api.services.roster_problem.build_problem` builds the problem again for a repair."""

    case_ids: list[int]
    start_date: dt.date
    days: int = Field(ge=1)
    template: str
    office_ids: list[int] = Field(default_factory=list)
    consultant_ids: list[int] = Field(default_factory=list)
    consultants_per_shift: int = 1
    min_rest_hours: int | None = None
    weekly_rest_hours: int | None = None
    max_average_weekly_hours: int | None = None
    max_shift_hours: int | None = None
    max_sleep_in_hours: int | None = None
    max_consecutive_nights: int | None = None
    max_consecutive_working_days: int | None = None
    #: The work rate of a reproducible search (None: the engine's default, for rosters
    #: stored before the setting).
    work_per_second: float | None = None


class CaseEndCut(BaseModel):
    """A døgnindsats ends after `end_date` (`POST /v1/cases/{id}/end`): the repair cuts
    the roster there, and publishing the cut ends the case's assignments."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    case_id: int
    end_date: dt.date
    #: Why a notice shorter than `END_NOTICE_DAYS` was accepted (audited).
    reason: str | None = None


class RepairParams(BaseModel):
    """A repair of published roster `roster_id` after `change` — or its cut at a case's
    end (`case_end`) — planned as of `as_of`; the repaired roster is the pending row
    created with the job."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    roster_id: int
    change: RepairCreate | None = None
    case_end: CaseEndCut | None = None
    time_limit_seconds: float = Field(gt=0)
    as_of: dt.date

    @model_validator(mode="after")
    def _one_change(self) -> RepairParams:
        if (self.change is None) == (self.case_end is None):
            raise ValueError("change: give either change or case_end")
        return self

    def stored(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class SweepParams(BaseModel):
    """A scenario sweep (`api.services.sweep`): the sweep file's text, the executor
    (None: ``FAMPLAN_EXECUTOR``) and the planning date of a file that names none."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    scenarios: str
    executor: ExecutorName | None = None
    as_of: dt.date

    def stored(self) -> dict[str, object]:
        return self.model_dump(mode="json")


PARAMS_BY_KIND: dict[JobKind, type[JobParams] | type[RepairParams] | type[SweepParams]] = {
    JobKind.OPTIMIZATION: OptimizationParams,
    JobKind.ROSTER: RosterParams,
    JobKind.REPAIR: RepairParams,
    JobKind.SWEEP: SweepParams,
}


Params = TypeVar("Params", bound=BaseModel)


def read_params(model: type[Params], stored: dict[str, object]) -> Params:
    """A job's stored parameters as `model`; stored values that do not fit fail the job
    for good (naming the field, not its value)."""
    try:
        return model.model_validate(stored)
    except ValidationError as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "params" for e in error.errors()})
        raise JobFailed(f"the job's stored parameters are invalid: {', '.join(fields)}") from None
