"""The waiting list: open requests in the order reception should place them, with the
24-hour clock, and the list's key figures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime
from sqlmodel import SQLModel

from api.deps import PlanningDateDep, ReceptionUser, SessionDep
from api.schemas.common import with_examples
from api.services.waiting import book_waiting_figures, waiting_list
from api.services.web_views import clock_now
from data.ops_models import utcnow

router = APIRouter(prefix="/waiting-list", tags=["waiting list"])


class WaitingEntryPublic(SQLModel):
    case_id: int
    reference: str
    priority: int
    requested_start: dt.datetime
    #: The request's 24 hours run out at this moment.
    deadline: dt.datetime
    #: Hours until the deadline (negative: already overdue).
    hours_left: float
    overdue: bool


class WaitingFiguresPublic(SQLModel):
    #: Share of decided requests placed within 24 hours (None: none decided yet).
    share_placed_within_24h: float | None
    placed: int
    waiting: int
    overdue: int
    #: Hours placed requests waited: median, 90th percentile, longest.
    p50_wait_hours: float | None
    p90_wait_hours: float | None
    max_wait_hours: float | None


class WaitingListPublic(SQLModel):
    model_config = with_examples(
        {
            "now": "2026-03-02T09:00:00+01:00",
            "entries": [
                {
                    "case_id": 42,
                    "reference": "K-2026-0042",
                    "priority": 1,
                    "requested_start": "2026-03-02T07:30:00Z",
                    "deadline": "2026-03-03T07:30:00Z",
                    "hours_left": 22.5,
                    "overdue": False,
                }
            ],
            "figures": {
                "share_placed_within_24h": 0.93,
                "placed": 420,
                "waiting": 8,
                "overdue": 1,
                "p50_wait_hours": 0.0,
                "p90_wait_hours": 14.0,
                "max_wait_hours": 61.0,
            },
        }
    )

    now: dt.datetime
    entries: list[WaitingEntryPublic]
    figures: WaitingFiguresPublic


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@router.get(
    "",
    response_model=WaitingListPublic,
    summary="Open requests, urgent first, then by the 24-hour deadline; with the key figures",
)
def get_waiting_list(
    session: SessionDep,
    principal: ReceptionUser,
    planning_day: PlanningDateDep,
    at: Annotated[
        AwareDatetime | None,
        Query(description="The moment to count from (default: the planning date, now)."),
    ] = None,
) -> WaitingListPublic:
    now = at or clock_now(planning_day, utcnow())
    figures = book_waiting_figures(session, now)
    return WaitingListPublic(
        now=now,
        entries=[
            WaitingEntryPublic(
                case_id=entry.case_id,
                reference=case.reference,
                priority=entry.priority,
                requested_start=case.requested_start,
                deadline=entry.deadline,
                hours_left=round(entry.hours_left, 2),
                overdue=entry.overdue,
            )
            for entry, case in waiting_list(session, now, principal)
        ],
        figures=WaitingFiguresPublic(
            share_placed_within_24h=_round(figures.share_within_limit),
            placed=figures.placed,
            waiting=figures.waiting,
            overdue=figures.overdue,
            p50_wait_hours=_round(figures.p50_hours),
            p90_wait_hours=_round(figures.p90_hours),
            max_wait_hours=_round(figures.max_hours),
        ),
    )
