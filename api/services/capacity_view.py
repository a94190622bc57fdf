"""The capacity figures of the report as plain rows for a page: supply against demand
per language and region (open and expected requests), the shortages in words, and the
free hours of the coming weeks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from api.report_data import load_capacity
from data.capacity import (
    CapacityOutlook,
    LanguageRegionBalance,
    capacity_outlook,
    language_label,
    planning_balances,
    shortage_sentences,
)


@dataclass(frozen=True)
class CapacityFigures:
    as_of: dt.date
    #: Language × region cells, the largest missing hours first.
    cells: list[LanguageRegionBalance]
    shortages: list[str]
    outlook: CapacityOutlook
    total_free_hours: float
    total_requested_hours: float


def capacity_figures(
    session: Session, as_of: dt.date, weeks: int = 12, top: int = 25
) -> CapacityFigures:
    snapshot = load_capacity(session, as_of)
    cells = planning_balances(snapshot.consultants, snapshot.demands, snapshot.history, as_of)
    ranked = sorted(cells, key=lambda c: (-c.missing_hours, -c.requested_hours, c.language))
    return CapacityFigures(
        as_of=as_of,
        cells=ranked[:top],
        shortages=shortage_sentences(cells, limit=5, min_missing_hours=1.0),
        outlook=capacity_outlook(snapshot.consultants, as_of, weeks),
        total_free_hours=round(sum(c.free_hours for c in cells), 1),
        total_requested_hours=round(sum(c.requested_hours for c in cells), 1),
    )


def language_name(tag: str, locale: str) -> str:
    return language_label(tag, locale)
