"""Matching: ranked candidates, exclusions, reshuffles, and confirming a choice."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator
from sqlmodel import SQLModel

from api.schemas.common import DbId, PlanningDate, RequestModel, Version, with_examples
from data.models import AssignmentRole
from solving.status import SolveStatus


class MatchRequest(RequestModel):
    model_config = with_examples({"top": 5, "propose_reshuffle": True})

    top: int = Field(default=5, ge=1, le=20)
    #: The planning date (default: `api.services.planning_date`).
    as_of: PlanningDate | None = None
    propose_reshuffle: bool = True
    #: A døgnindsats only: the roster's shift template and consultants per shift, from
    #: which the team's size follows.
    template: Literal["3x8", "2x12", "sleep-in"] = "3x8"
    consultants_per_shift: int = Field(default=1, ge=1, le=2)


class CandidateOut(SQLModel):
    consultant_id: int = Field(examples=[7])
    consultant_ref: str = Field(examples=["E-1042"])
    #: Send it back when confirming to detect changes made since the match.
    consultant_version: int = Field(examples=[3])
    role: AssignmentRole
    score: float = Field(examples=[82.4])
    breakdown: dict[str, float] = Field(examples=[{"language": 30.0, "travel": 17.2}])
    reasons: list[str] = Field(examples=[["speaks Iraqi Arabic (exact dialect)", "24 min away"]])
    travel_minutes: float = Field(examples=[24.0])
    free_hours: float = Field(examples=[12.0])


class PairOut(SQLModel):
    primary: CandidateOut
    support: CandidateOut
    score: float


class NearMissOut(SQLModel):
    consultant_id: int
    rule: str = Field(examples=["capacity_cases"])
    text: str = Field(examples=["already at the maximum of 6 cases"])


class ExclusionsOut(SQLModel):
    role: AssignmentRole
    considered: int
    counts: dict[str, int] = Field(examples=[{"language": 180, "capacity_hours": 4}])
    nearest_misses: list[NearMissOut]
    summary: list[str]


class MoveOut(SQLModel):
    assignment_id: int
    case_id: int
    role: AssignmentRole
    from_consultant_id: int
    to_consultant_id: int
    hours: float
    text: str


class ReshuffleOut(SQLModel):
    role: AssignmentRole
    freed_consultant_id: int
    moves: list[MoveOut]
    score_gain: float
    status: SolveStatus
    explanation: list[str]


class CoordinatorOut(SQLModel):
    """The social coordinator proposed for the case; the confirm assigns them."""

    coordinator_id: int = Field(examples=[3])
    coordinator_ref: str = Field(examples=["K-0007"])
    office_id: int
    caseload: int = Field(examples=[21])
    max_caseload: int = Field(examples=[30])
    #: True if they already coordinate the case.
    current: bool = False
    reasons: list[str] = Field(examples=[["Næstved serves the family's region"]])


class TeamRosterRequest(SQLModel):
    """The body of ``POST /v1/rosters`` that plans the proposed team (the hand-off to the
    team leader: the pool is exactly the proposed members)."""

    case_ids: list[int]
    start_date: dt.date
    template: str
    consultants_per_shift: int
    office_ids: list[int]
    consultant_ids: list[int]


class TeamOut(SQLModel):
    """A døgnindsats's team: how many people its roster needs, why, and who."""

    template: str = Field(examples=["3x8"])
    consultants_per_shift: int = Field(examples=[1])
    #: Hours a week the template covers (contract count).
    cover_hours_per_week: float = Field(examples=[168.0])
    #: The roster's own bound: the cover over the most one member may work a week.
    roster_lower_bound: int = Field(examples=[5])
    #: People the roster needs as matching plans them (family hours, free hours).
    team_size: int = Field(examples=[6])
    #: Hours a week each member has free for the case: cover ÷ team size.
    share_hours: float = Field(examples=[28.0])
    feasible: bool
    #: Members still missing (0 when feasible).
    missing: int
    why: list[str] = Field(
        examples=[["3x8 with 1 consultant(s) per shift covers 168 h a week", "..."]]
    )
    #: The proposed members, best first (also the match's `candidates`).
    members: list[CandidateOut]
    roster_request: TeamRosterRequest


class MatchResult(SQLModel):
    model_config = with_examples(
        {
            "case_id": 42,
            "feasible": True,
            "candidates": [
                {
                    "consultant_id": 7,
                    "consultant_ref": "E-1042",
                    "consultant_version": 3,
                    "role": "primary",
                    "score": 82.4,
                    "breakdown": {"language": 30.0, "travel": 17.2},
                    "reasons": ["speaks Iraqi Arabic (exact dialect)", "24 min away"],
                    "travel_minutes": 24.0,
                    "free_hours": 12.0,
                }
            ],
            "support_candidates": [],
            "pairs": [],
            "exclusions": [],
            "reshuffle": None,
        }
    )

    case_id: int
    feasible: bool
    candidates: list[CandidateOut]
    support_candidates: list[CandidateOut]
    pairs: list[PairOut]
    exclusions: list[ExclusionsOut]
    reshuffle: ReshuffleOut | None
    #: The coordinator who will own the case (None: no serving office has room).
    coordinator: CoordinatorOut | None = None
    #: A døgnindsats: the team its roster needs (None for every other case).
    team: TeamOut | None = None


class MoveIn(RequestModel):
    """One reshuffle move to apply before the confirmation."""

    assignment_id: DbId
    to_consultant_id: DbId


class SeatChoice(RequestModel):
    consultant_id: DbId
    role: AssignmentRole = AssignmentRole.PRIMARY
    #: Hours per week; default: the case's hours (support seat: its support hours).
    hours_per_week: float | None = Field(default=None, ge=0, le=168)
    #: The consultant's version from the match; if it changed since, the answer is 409.
    consultant_version: Version | None = None

    @model_validator(mode="after")
    def _check(self) -> SeatChoice:
        if self.role is AssignmentRole.COORDINATOR:
            raise ValueError("role: confirm consultants as primary or support")
        return self


class AssignmentConfirm(RequestModel):
    """Confirm one or two consultants for a case, optionally after reshuffle moves."""

    model_config = with_examples(
        {"seats": [{"consultant_id": 7, "role": "primary", "consultant_version": 3}]},
        {
            "seats": [{"consultant_id": 9, "role": "primary"}],
            "moves": [{"assignment_id": 31, "to_consultant_id": 12}],
        },
    )

    seats: list[SeatChoice] = Field(min_length=1, max_length=2)
    moves: list[MoveIn] = Field(default_factory=list, max_length=5)
    #: The coordinator to assign if the case has none; default: the one the match
    #: proposes (a serving office's coordinator with the lowest caseload).
    coordinator_id: DbId | None = None
    #: First day of the assignment; default: the case's requested start (not in the past).
    start: PlanningDate | None = None

    @model_validator(mode="after")
    def _check(self) -> AssignmentConfirm:
        roles = [seat.role for seat in self.seats]
        if len(set(roles)) != len(roles):
            raise ValueError("seats: each role at most once")
        consultants = [seat.consultant_id for seat in self.seats]
        if len(set(consultants)) != len(consultants):
            raise ValueError("seats: primary and support must be different consultants")
        moved = [move.assignment_id for move in self.moves]
        if len(set(moved)) != len(moved):
            raise ValueError("moves: an assignment is moved twice")
        return self
