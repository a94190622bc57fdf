"""Operational tables of the API: API keys, the audit log, background jobs, rosters.

These hold no personal data of families: audit events carry ids only, jobs carry
parameters and results made of ids and numbers. Times are timezone-aware
(UTC), as SQLModel stores every datetime column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlalchemy.orm import relationship
from sqlmodel import Field, Relationship, SQLModel


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware one in UTC. Every stored time is UTC, but SQLite gives
    them back naive, so a naive time is read as UTC; an aware one is converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


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
    #: A key refused from this moment on unless renewed (the session key of
    #: `famplan serve`, renewed while the server runs); None: no expiry.
    expires_at: dt.datetime | None = None


class AuditAction(StrEnum):
    ASSIGNMENT_CONFIRM = "assignment.confirm"
    RESHUFFLE_APPLY = "reshuffle.apply"
    ASSIGNMENT_UPDATE = "assignment.update"
    OPTIMIZATION_APPLY = "optimization.apply"
    ROSTER_PUBLISH = "roster.publish"
    ROSTER_REPAIR = "roster.repair"
    ROSTER_UNPUBLISH = "roster.unpublish"
    KEY_CREATE = "key.create"
    KEY_REVOKE = "key.revoke"
    RETENTION_RUN = "retention.run"
    FOLLOW_UP_DONE = "follow_up.done"
    CASE_EXTEND = "case.extend"


class AuditEvent(SQLModel, table=True):
    """Who did what to which ids, and when. Ids only — never names or case details."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    #: The API key that acted; None for the command line and the web pages.
    actor_key_id: int | None = Field(default=None, index=True)
    #: The person logged in to the web pages who acted (`User`); None for keys and CLI.
    actor_user_id: int | None = Field(default=None, index=True)
    action: AuditAction = Field(index=True)
    entity_type: str = Field(max_length=32)
    entity_ids: list[int] = Field(default_factory=list, sa_column=_json_list())
    #: Further ids that give context, e.g. {"case_id": 3, "consultant_id": 7}.
    related_ids: dict[str, Any] = Field(default_factory=dict, sa_column=_json_dict())


class JobOfficeLink(SQLModel, table=True):
    """An office whose data a job covers."""

    __tablename__ = "job_office"

    #: Set from `Job.office_links` when the job is flushed.
    job_id: int | None = Field(
        default=None, foreign_key="job.id", primary_key=True, ondelete="CASCADE"
    )
    office_id: int = Field(foreign_key="office.id", primary_key=True, index=True)


class JobKind(StrEnum):
    OPTIMIZATION = "optimization"
    ROSTER = "roster"
    REPAIR = "repair"
    #: A scenario sweep (`api.services.sweep`): admin only, covers no office.
    SWEEP = "sweep"


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
    #: Offices whose data the job covers (team leaders see only their offices' jobs):
    #: rows of `job_office`, read and written as `office_ids` (as for `Roster`).
    office_links: list[JobOfficeLink] = Relationship(
        sa_relationship=relationship(
            JobOfficeLink,
            cascade="all, delete-orphan",
            passive_deletes=True,
            lazy="selectin",
            order_by=JobOfficeLink.office_id,  # type: ignore[arg-type]
        )
    )

    def __init__(self, *, office_ids: Iterable[int] = (), **data: Any) -> None:
        super().__init__(**data)
        self.office_ids = list(office_ids)

    @property
    def office_ids(self) -> list[int]:
        """The job's offices, by ascending id."""
        return [link.office_id for link in self.office_links]

    @office_ids.setter
    def office_ids(self, ids: Iterable[int]) -> None:
        kept = {link.office_id: link for link in self.office_links}
        self.office_links = [kept.get(i) or JobOfficeLink(office_id=i) for i in sorted(set(ids))]

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


class RosterOfficeLink(SQLModel, table=True):
    """An office of a roster: its consultants form the pool, its team leaders see it."""

    __tablename__ = "roster_office"

    #: Set from `Roster.office_links` when the roster is flushed.
    roster_id: int | None = Field(
        default=None, foreign_key="roster.id", primary_key=True, ondelete="CASCADE"
    )
    office_id: int = Field(foreign_key="office.id", primary_key=True, index=True)


class RosterCaseLink(SQLModel, table=True):
    """A døgnindsats case a roster covers."""

    __tablename__ = "roster_case"

    #: Set from `Roster.case_links` when the roster is flushed.
    roster_id: int | None = Field(
        default=None, foreign_key="roster.id", primary_key=True, ondelete="CASCADE"
    )
    case_id: int = Field(foreign_key="family_case.id", primary_key=True, index=True)


class Roster(SQLModel, table=True):
    """A solved roster for one or more døgnindsats cases; repairs create a child roster.

    Its cases and offices are rows of `roster_case` / `roster_office` (so listings filter
    and page in SQL); `case_ids` / `office_ids` read and write them as id lists, and the
    constructor takes them as before: ``Roster(case_ids=[42], office_ids=[2], ...)``.
    The lists come back in ascending id order; the request's order stays in `params`.
    """

    id: int | None = Field(default=None, primary_key=True)
    job_id: int | None = Field(default=None, foreign_key="job.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="roster.id")
    status: RosterStatus = RosterStatus.PENDING
    horizon_start: dt.datetime
    days: int
    template: str = Field(max_length=32)
    solver_status: str = Field(default="pending", max_length=16)
    objective: float | None = None
    bound: float | None = None
    #: Where `bound` comes from (`roster.result.RosterResult.bound_by`): "cp-sat", "terms"
    #: or "" (no bound, or none known).
    bound_by: str = Field(default="", max_length=16)
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
    # Loaded with the roster (one query per page of rosters, not one per roster).
    case_links: list[RosterCaseLink] = Relationship(
        sa_relationship=relationship(
            RosterCaseLink,
            cascade="all, delete-orphan",
            passive_deletes=True,
            lazy="selectin",
            order_by=RosterCaseLink.case_id,  # type: ignore[arg-type]
        )
    )
    office_links: list[RosterOfficeLink] = Relationship(
        sa_relationship=relationship(
            RosterOfficeLink,
            cascade="all, delete-orphan",
            passive_deletes=True,
            lazy="selectin",
            order_by=RosterOfficeLink.office_id,  # type: ignore[arg-type]
        )
    )

    def __init__(
        self, *, case_ids: Iterable[int] = (), office_ids: Iterable[int] = (), **data: Any
    ) -> None:
        super().__init__(**data)
        self.case_ids = list(case_ids)
        self.office_ids = list(office_ids)

    @property
    def case_ids(self) -> list[int]:
        """The roster's cases, by ascending id."""
        return [link.case_id for link in self.case_links]

    @case_ids.setter
    def case_ids(self, ids: Iterable[int]) -> None:
        kept = {link.case_id: link for link in self.case_links}
        self.case_links = [kept.get(i) or RosterCaseLink(case_id=i) for i in sorted(set(ids))]

    @property
    def office_ids(self) -> list[int]:
        """The roster's offices, by ascending id."""
        return [link.office_id for link in self.office_links]

    @office_ids.setter
    def office_ids(self, ids: Iterable[int]) -> None:
        kept = {link.office_id: link for link in self.office_links}
        self.office_links = [kept.get(i) or RosterOfficeLink(office_id=i) for i in sorted(set(ids))]


class RosterShift(SQLModel, table=True):
    __tablename__ = "roster_shift"

    id: int | None = Field(default=None, primary_key=True)
    roster_id: int = Field(foreign_key="roster.id", index=True, ondelete="CASCADE")
    case_id: int = Field(foreign_key="family_case.id", index=True)
    consultant_id: int | None = Field(default=None, foreign_key="consultant.id", index=True)
    shift_code: str = Field(max_length=16)
    start: dt.datetime
    end: dt.datetime


# ------------------------------------------------------------------ people of the web pages


class UserOfficeLink(SQLModel, table=True):
    """An office a team leader plans for (their scope, as `ApiKey.office_ids`)."""

    __tablename__ = "user_office"

    user_id: int | None = Field(
        default=None, foreign_key="app_user.id", primary_key=True, ondelete="CASCADE"
    )
    office_id: int = Field(foreign_key="office.id", primary_key=True, index=True)


class User(SQLModel, table=True):
    """A person who logs in to the web pages. ``user`` is reserved in PostgreSQL, hence
    the table name. Only an argon2 hash of the password is stored."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    #: Stored lower-cased, so log-in ignores the case of the address.
    email: str = Field(unique=True, index=True, max_length=254)
    name: str = Field(max_length=120)
    role: Role
    password_hash: str = Field(max_length=255)
    disabled: bool = False
    #: Failed log-ins in a row (reset by a success); from the fifth on, a growing lock.
    failed_logins: int = 0
    locked_until: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    office_links: list[UserOfficeLink] = Relationship(
        sa_relationship=relationship(
            UserOfficeLink,
            cascade="all, delete-orphan",
            passive_deletes=True,
            lazy="selectin",
            order_by=UserOfficeLink.office_id,  # type: ignore[arg-type]
        )
    )

    @property
    def office_ids(self) -> list[int]:
        return [link.office_id for link in self.office_links]


class WebSession(SQLModel, table=True):
    """A logged-in browser. The cookie holds a random token; only its SHA-256 is stored,
    so a copy of the table lets nobody in. Deleting the row logs the browser out."""

    __tablename__ = "web_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    #: The token every form and htmx request of this session must send back.
    csrf_token: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime = Field(index=True)
