"""Applying a finished batch re-optimisation (filled in when the matcher's batch lands)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from api.problems import ApiProblem
from data.ops_models import Job


@dataclass
class ApplyReport:
    ended_assignment_ids: list[int] = field(default_factory=list)
    created_assignment_ids: list[int] = field(default_factory=list)


def apply_optimization(
    session: Session, job: Job, moves: list[int] | None, actor_key_id: int | None
) -> ApplyReport:
    raise ApiProblem(409, "this optimisation has no result to apply")
