"""Døgnindsats rosters: the request, the roster with its shifts, repairs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BeforeValidator, Field, model_validator
from sqlmodel import SQLModel

from api.schemas.common import MAX_ID, DbId, PlanningDate, RequestModel, with_examples
from api.schemas.jobs import JobProgress
from data.ops_models import JobStatus, RosterStatus
from solving.status import SolveStatus


def _solved_or_none(stored: object) -> object:
    # The roster table says "pending" until the solver has run; rows written before the
    # status vocabulary was unified hold upper case, which `SolveStatus` reads as well.
    return None if stored in (None, "", "pending") else stored


class RosterCreate(RequestModel):
    model_config = with_examples(
        {
            "case_ids": [42],
            "start_date": "2026-03-02",
            "days": 28,
            "template": "3x8",
            "consultants_per_shift": 1,
            "office_ids": [2],
            "time_limit_seconds": 20,
        }
    )

    #: The døgnindsats cases to cover around the clock (planned together, shared pool).
    case_ids: list[DbId] = Field(min_length=1, max_length=10)
    start_date: PlanningDate
    days: int = Field(default=28, ge=1, le=84)
    template: Literal["3x8", "2x12", "sleep-in"] = "3x8"
    consultants_per_shift: int = Field(default=1, ge=1, le=2)
    #: Offices whose consultants form the pool; empty = a team leader's own offices, or
    #: every office for an admin.
    office_ids: list[DbId] = Field(default_factory=list, max_length=10)
    #: Restrict the pool to these consultants (of those offices).
    consultant_ids: list[DbId] = Field(default_factory=list, max_length=200)
    #: Daily rest; Danish law allows a reduction below 11 h only by agreement, and never
    #: below 8 h.
    min_rest_hours: int | None = Field(default=None, ge=8, le=24)
    weekly_rest_hours: int | None = Field(default=None, ge=0, le=72)
    max_average_weekly_hours: int | None = Field(default=None, ge=1, le=80)
    #: The reference period of the 48-hour average, in days, reaching back over the
    #: consultant's earlier shifts (default 122, four months: arbejdstidsloven § 4;
    #: a collective agreement may extend it to 12 months).
    reference_period_days: int | None = Field(default=None, ge=7, le=366)
    max_shift_hours: int | None = Field(default=None, ge=1, le=24)
    #: The longest sleep-in shift; the default 13 h leaves the 11 h daily rest.
    max_sleep_in_hours: int | None = Field(default=None, ge=1, le=24)
    max_consecutive_nights: int | None = Field(default=None, ge=1, le=14)
    max_consecutive_working_days: int | None = Field(default=None, ge=1, le=14)
    time_limit_seconds: float | None = Field(default=None, gt=0, le=600)
    seed: int = Field(default=0, ge=0, le=MAX_ID)
    #: The same request (cases, pool, seed, time limit) gives the same roster. The time
    #: limit is then counted in the solver's own work units, so the run takes roughly,
    #: not exactly, that long. False: exactly the time limit, the roster may vary.
    reproducible: bool = True

    @model_validator(mode="after")
    def _check(self) -> RosterCreate:
        if len(set(self.case_ids)) != len(self.case_ids):
            raise ValueError("case_ids: a case is listed twice")
        return self


class ShiftOut(SQLModel):
    case_id: int
    consultant_id: int | None
    shift_code: str = Field(examples=["N"])
    start: dt.datetime
    end: dt.datetime


class RosterJob(SQLModel):
    id: int | None
    status: JobStatus | None
    progress: JobProgress | None
    error: str | None
    #: Why no roster was found, when none was (the time limit, or rules that cannot hold).
    message: str | None = None


class RosterPublic(SQLModel):
    model_config = with_examples(
        {
            "id": 3,
            "status": "draft",
            "version": 0,
            "parent_id": None,
            "job": {"id": 14, "status": "succeeded", "progress": None, "error": None},
            "case_ids": [42],
            "office_ids": [2],
            "horizon_start": "2026-03-01T23:00:00Z",
            "days": 28,
            "template": "3x8",
            "solver_status": "optimal",
            "objective": 812.0,
            "bound": 812.0,
            "bound_by": "cp-sat",
            "runtime_seconds": 3.2,
            "team": [7, 9, 12, 15, 21],
            "kpis": {"team_size": {"42": 5}},
            "violations": [],
            "uncovered": [],
            "published_at": None,
            "shifts": [
                {
                    "case_id": 42,
                    "consultant_id": 7,
                    "shift_code": "D",
                    "start": "2026-03-02T06:00:00Z",
                    "end": "2026-03-02T14:00:00Z",
                }
            ],
        }
    )

    id: int
    status: RosterStatus
    version: int
    parent_id: int | None
    job: RosterJob | None
    case_ids: list[int]
    office_ids: list[int]
    horizon_start: dt.datetime
    days: int
    template: str
    #: The solver's verdict; None until the roster has been solved.
    solver_status: Annotated[SolveStatus | None, BeforeValidator(_solved_or_none)]
    objective: float | None
    bound: float | None
    #: Where `bound` comes from: "cp-sat" (the search's own bound), "terms" (a per-term
    #: bound of the døgnindsats objective, when higher) or "" (no bound).
    bound_by: str
    runtime_seconds: float | None
    team: list[int]
    kpis: dict[str, Any]
    #: The independent validator's verdict: every working-time rule the roster breaks.
    violations: list[dict[str, Any]]
    #: Shifts short of staff, language or gender, with the reason.
    uncovered: list[dict[str, Any]]
    published_at: dt.datetime | None
    shifts: list[ShiftOut]


class _RepairBase(RequestModel):
    #: Solver seconds of the repair job.
    time_limit_seconds: float = Field(default=10, gt=0, le=60)
    #: The planning date: shifts before it were worked and are kept (default: today).
    as_of: PlanningDate | None = None
    #: The moment of the change (with its offset): shifts that started before it are
    #: never changed, and each change's notice (and supplement) is counted from it.
    #: Default: the start of `as_of` in Danish time.
    now: AwareDatetime | None = None
    #: Hours after `now` in which the published roster is frozen: its shifts are kept,
    #: except one the change takes from its consultant, which is given to someone else.
    freeze_hours: float = Field(default=24, ge=0, le=28 * 24)


class SickRepair(_RepairBase):
    """`consultant_id` cannot work from `start` to `end` (inclusive)."""

    kind: Literal["sick"]
    consultant_id: DbId
    start: PlanningDate
    end: PlanningDate

    @model_validator(mode="after")
    def _check(self) -> SickRepair:
        if self.end < self.start:
            raise ValueError("end: ends before start")
        return self


class LeavesTeamRepair(_RepairBase):
    """`consultant_id` is not available from `from_date` to the end of the roster."""

    kind: Literal["leaves_team"]
    consultant_id: DbId
    from_date: PlanningDate


class ExtendRepair(_RepairBase):
    """The roster gets `extra_days` more days, covered like its last week."""

    kind: Literal["extend"]
    extra_days: int = Field(ge=1, le=56)


#: What changed: sick days, someone leaves the team, or a longer horizon. A pydantic
#: discriminated union on `kind`: a field error names the variant (``body.sick.start``).
RepairCreate = Annotated[
    SickRepair | LeavesTeamRepair | ExtendRepair,
    Field(
        discriminator="kind",
        examples=[
            {"kind": "sick", "consultant_id": 7, "start": "2026-03-10", "end": "2026-03-11"},
            {"kind": "leaves_team", "consultant_id": 7, "from_date": "2026-03-15"},
            {"kind": "extend", "extra_days": 7},
        ],
    ),
]


class DiffEntryOut(SQLModel):
    case_id: int
    day: int
    date: dt.date
    shift_code: str
    removed: list[int]
    added: list[int]


class RepairJobResult(SQLModel):
    """A repair job's result (`GET /v1/jobs/{id}`): the repaired roster, its figures and
    what changed against the published roster."""

    roster_id: int
    parent_id: int
    #: The repaired roster's `solver_status` ("cancelled" when the job was cancelled).
    status: str
    cancelled: bool
    objective: float | None
    bound: float | None
    #: Where `bound` comes from, as in `RosterPublic.bound_by`.
    bound_by: str = ""
    uncovered_shifts: int
    violations: int
    changed_assignments: int
    changed_days: list[dt.date]
    #: Changed shifts (removed + added) per notice class from the repair's `now`:
    #: "under_24_hours", "under_4_weeks", "later".
    notice_changes: dict[str, int]
    #: The notice supplement the added shifts pay, in hours (100 % of a shift's hours
    #: under 24 hours' notice, 50 % under 4 weeks, by default; `roster.notice`).
    notice_supplement_hours: float
    diff: list[DiffEntryOut]
    #: Why no roster was found, when none was.
    message: str | None


#: The notice the municipality gives to end a døgnindsats (seed figure), in days.
END_NOTICE_DAYS = 7


class CaseEnd(RequestModel):
    """End a døgnindsats: its rosters are cut after `end_date` and its team's
    assignments end then. Less than `END_NOTICE_DAYS` days ahead needs a `reason`
    (audited)."""

    model_config = with_examples({"end_date": "2026-03-16"})

    #: The last day the family is served.
    end_date: PlanningDate
    #: Why a shorter notice is accepted; written to the audit log, so no names.
    reason: str | None = Field(default=None, min_length=3, max_length=500)


class CaseEndResult(SQLModel):
    case_id: int
    end_date: dt.date
    #: The cut rosters: published in place of the rosters they supersede, or (`pending`)
    #: pending until their repair jobs publish them.
    roster_ids: list[int]
    #: The assignments ended; none yet while `pending` (the jobs end them).
    ended_assignment_ids: list[int]
    #: The repair jobs that cut the rosters (poll GET /v1/jobs/{id} or the rosters).
    job_ids: list[int] = []
    #: Whether the end waits for those jobs (answered 202) or is done (200).
    pending: bool = False
