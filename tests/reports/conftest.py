"""Small named capacity instances shared by the report tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from data.capacity import Commitment, ConsultantLoad, Demand, DemandStatus
from tests.demo_book import demo_book_url

TODAY = dt.date(2026, 1, 5)  # a Monday


@pytest.fixture
def two_consultants() -> list[ConsultantLoad]:
    """A Tigrinya/Danish speaker in Sjælland with 17 h free until her 20 h case ends on
    12 January, and an Iraqi-Arabic speaker serving two regions who is fully booked."""
    return [
        ConsultantLoad(
            languages=("ti", "da"),
            regions=("Sjælland",),
            contracted_hours=37.0,
            commitments=(Commitment(20.0, dt.date(2026, 1, 12)),),
        ),
        ConsultantLoad(
            languages=("ar-IQ",),
            regions=("Hovedstaden", "Sjælland"),
            contracted_hours=30.0,
            commitments=(Commitment(30.0, None),),
        ),
    ]


@pytest.fixture
def tigrinya_demand() -> list[Demand]:
    """65 h/week of Tigrinya requests in Sjælland (20 + 20 + 25), a running Syrian-Arabic
    case in Hovedstaden, and a 10 h Danish request in Sjælland."""
    requested = DemandStatus.REQUESTED
    return [
        Demand("ti", "Sjælland", 20.0, requested),
        Demand("ti", "Sjælland", 20.0, requested),
        Demand("ti", "Sjælland", 25.0, requested),
        Demand("ar-SY", "Hovedstaden", 10.0, DemandStatus.RUNNING),
        Demand("da", "Sjælland", 10.0, requested),
    ]


@pytest.fixture(scope="session")
def writable_url(new_database: Callable[[str], str]) -> str:
    """A seeded demo database of the report tests' own, which they may change (the
    shared `seeded_url` must stay untouched)."""
    return demo_book_url(new_database, "reports_writable")
