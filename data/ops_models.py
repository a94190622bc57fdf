"""Operational tables of the API: API keys, the audit log, background jobs, rosters.

These hold no personal data of families: audit events carry ids only, jobs carry
parameters and results made of ids and numbers. Times are timezone-aware
(UTC), as SQLModel stores every datetime column.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def _json_list() -> Column[Any]:
    return Column(JSON, nullable=False, default=list)


def _json_dict() -> Column[Any]:
    return Column(JSON, nullable=False, default=dict)


def _json_nullable() -> Column[Any]:
    return Column(JSON, nullable=True)


class Role(StrEnum):
    RECEPTION = "reception"
    TEAM_LEADER = "team_leader"
    ADMIN = "admin"


class ApiKey(SQLModel, table=True):
    """An API key. Only the SHA-256 of the secret is stored; the key is shown once."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    #: The public, non-secret start of the key; used to find the row.
    prefix: str = Field(unique=True, index=True, max_length=16)
    key_hash: str = Field(max_length=64)
    role: Role
    #: Office ids a team leader is scoped to (empty for the other roles).
    office_ids: list[int] = Field(default_factory=list, sa_column=_json_list())
    #: A free label such as "reception desk 2" — a function, not a person's name.
    label: str = Field(default="", max_length=80)
    created_at: dt.datetime = Field(default_factory=utcnow)
    revoked_at: dt.datetime | None = None


class AuditAction(StrEnum):
    ASSIGNMENT_CONFIRM = "assignment.confirm"
    RESHUFFLE_APPLY = "reshuffle.apply"
    ASSIGNMENT_UPDATE = "assignment.update"
    OPTIMIZATION_APPLY = "optimization.apply"
    ROSTER_PUBLISH = "roster.publish"
    ROSTER_REPAIR = "roster.repair"
    KEY_CREATE = "key.create"
    KEY_REVOKE = "key.revoke"
    RETENTION_RUN = "retention.run"


class AuditEvent(SQLModel, table=True):
    """Who did what to which ids, and when. Ids only — never names or case details."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    #: The API key that acted; None for the command line.
    actor_key_id: int | None = Field(default=None, index=True)
    action: AuditAction = Field(index=True)
    entity_type: str = Field(max_length=32)
    entity_ids: list[int] = Field(default_factory=list, sa_column=_json_list())
    #: Further ids that give context, e.g. {"case_id": 3, "consultant_id": 7}.
    related_ids: dict[str, Any] = Field(default_factory=dict, sa_column=_json_dict())


class JobKind(StrEnum):
    OPTIMIZATION = "optimization"
    ROSTER = "roster"
    REPAIR = "repair"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    #: Stopped on request; a solver job keeps the best answer it had (see `result`).
    CANCELLED = "cancelled"


class Job(SQLModel, table=True):
    """A background solver run. Its state lives here so that it survives a restart."""

    id: int | None = Field(default=None, primary_key=True)
    kind: JobKind = Field(index=True)
    status: JobStatus = Field(default=JobStatus.QUEUED, index=True)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=_json_dict())
    #: Offices whose data the job covers (team leaders see only their offices' jobs).
    office_ids: list[int] = Field(default_factory=list, sa_column=_json_list())
    created_by_key_id: int | None = None
    # progress
    incumbent: float | None = None
    bound: float | None = None
    elapsed_seconds: float | None = None
    solutions_found: int = 0
    # outcome
    result: dict[str, Any] | None = Field(default=None, sa_column=_json_nullable())
    error: str | None = Field(default=None, max_length=500)
    applied_at: dt.datetime | None = None
    # life cycle
    created_at: dt.datetime = Field(default_factory=utcnow)
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    heartbeat_at: dt.datetime | None = None
    worker_id: str | None = Field(default=None, max_length=80)
    version: int = 0
    # control (migration 0003_job_control)
    #: Claimed highest first, then oldest first (`api.jobs.params.DEFAULT_PRIORITY`).
    priority: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    #: Runs so far (a claim counts one); a transient failure re-queues the job until
    #: `max_attempts` is reached.
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    max_attempts: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    #: Not claimed before this moment (the back-off after a transient failure).
    run_after: dt.datetime | None = None
    #: Someone asked to stop the job; its worker passes it on to the solver.
    cancel_requested_at: dt.datetime | None = None


class RosterStatus(StrEnum):
    PENDING = "pending"  # its job is queued or running
    FAILED = "failed"  # its job failed
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Roster(SQLModel, table=True):
    """A solved roster for one or more døgnindsats cases; repairs create a child roster."""

    id: int | None = Field(default=None, primary_key=True)
    job_id: int | None = Field(default=None, foreign_key="job.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="roster.id")
    status: RosterStatus = RosterStatus.PENDING
    case_ids: list[int] = Field(default_factory=list, sa_column=_json_list())
    office_ids: list[int] = Field(default_factory=list, sa_column=_json_list())
    horizon_start: dt.datetime
    days: int
    template: str = Field(max_length=32)
    solver_status: str = Field(default="pending", max_length=16)
    objective: float | None = None
    bound: float | None = None
    runtime_seconds: float | None = None
    team: list[int] = Field(default_factory=list, sa_column=_json_list())
    kpis: dict[str, Any] = Field(default_factory=dict, sa_column=_json_dict())
    violations: list[Any] = Field(default_factory=list, sa_column=_json_list())
    uncovered: list[Any] = Field(default_factory=list, sa_column=_json_list())
    #: The problem parameters the roster was solved with (rules, template, cover).
    params: dict[str, Any] = Field(default_factory=dict, sa_column=_json_dict())
    created_at: dt.datetime = Field(default_factory=utcnow)
    published_at: dt.datetime | None = None
    version: int = 0


class RosterShift(SQLModel, table=True):
    __tablename__ = "roster_shift"

    id: int | None = Field(default=None, primary_key=True)
    roster_id: int = Field(foreign_key="roster.id", index=True, ondelete="CASCADE")
    case_id: int = Field(foreign_key="family_case.id", index=True)
    consultant_id: int | None = Field(default=None, foreign_key="consultant.id", index=True)
    shift_code: str = Field(max_length=16)
    start: dt.datetime
    end: dt.datetime
