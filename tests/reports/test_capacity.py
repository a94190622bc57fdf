"""Supply vs demand balances, shortage insights and the capacity outlook."""

from __future__ import annotations

import datetime as dt

import pytest

from data.capacity import (
    Commitment,
    ConsultantLoad,
    Demand,
    DemandStatus,
    LanguageRegionBalance,
    PastRequest,
    balances,
    capacity_outlook,
    expected_intake,
    planning_balances,
    shortage_sentences,
    shortages,
)
from tests.reports.conftest import TODAY


def _cell(cells: list[LanguageRegionBalance], language: str, region: str) -> LanguageRegionBalance:
    (found,) = [c for c in cells if (c.language, c.region) == (language, region)]
    return found


def test_balances_aggregate_on_base_language_and_every_served_region(
    two_consultants, tigrinya_demand
):
    cells = balances(two_consultants, tigrinya_demand, on=TODAY)
    tigrinya = _cell(cells, "ti", "Sjælland")
    assert (tigrinya.requested_hours, tigrinya.requested_cases) == (65.0, 3)
    assert (tigrinya.free_hours, tigrinya.speakers) == (17.0, 1)  # 37 − 20 committed
    # ar-SY demand and the ar-IQ speaker meet under base language "ar".
    arabic = _cell(cells, "ar", "Hovedstaden")
    assert (arabic.running_hours, arabic.running_cases, arabic.speakers) == (10.0, 1, 1)
    assert arabic.free_hours == 0.0
    # The Arabic speaker's office serves Sjælland too: a cell with supply and no demand.
    assert _cell(cells, "ar", "Sjælland").speakers == 1
    assert [(c.language, c.region) for c in cells] == sorted((c.language, c.region) for c in cells)


def test_shortage_fires_when_requests_exceed_free_hours(two_consultants, tigrinya_demand):
    # 65 requested − 17 free = 48 missing hours; 48 / 30 h per consultant → 2 people.
    found = shortages(balances(two_consultants, tigrinya_demand, on=TODAY))
    assert len(found) == 1
    assert (found[0].language, found[0].region) == ("ti", "Sjælland")
    assert found[0].missing_hours == pytest.approx(48.0)
    assert found[0].consultants_needed == 2


def test_shortage_does_not_fire_when_free_hours_cover_requests(two_consultants, tigrinya_demand):
    # Danish: 10 h requested, 17 h free. Arabic: running only, nothing requested.
    found = shortages(balances(two_consultants, tigrinya_demand, on=TODAY))
    assert {s.language for s in found} == {"ti"}


def test_shortage_head_count_follows_hours_per_consultant():
    cell = LanguageRegionBalance("ti", "Sjælland", requested_hours=61.0, free_hours=0.0)
    assert shortages([cell], hours_per_consultant=30.0)[0].consultants_needed == 3
    assert shortages([cell], hours_per_consultant=61.0)[0].consultants_needed == 1
    with pytest.raises(ValueError, match="hours_per_consultant"):
        shortages([cell], hours_per_consultant=0)


def test_gaps_below_the_threshold_are_not_shortages():
    small = LanguageRegionBalance("fa", "Syddanmark", requested_hours=4.9)
    large = LanguageRegionBalance("ti", "Sjælland", requested_hours=5.0)
    assert [s.language for s in shortages([small, large], min_missing_hours=5.0)] == ["ti"]
    assert len(shortages([small, large])) == 2  # default: every gap counts
    with pytest.raises(ValueError, match="min_missing_hours"):
        shortages([small], min_missing_hours=-1)


def test_shortages_sorted_by_need():
    cells = [
        LanguageRegionBalance("ps", "Hovedstaden", requested_hours=10.0),
        LanguageRegionBalance("ti", "Sjælland", requested_hours=70.0, free_hours=5.0),
    ]
    assert [s.language for s in shortages(cells)] == ["ti", "ps"]


def test_shortage_sentence_reads_like_operations_talk(two_consultants, tigrinya_demand):
    (sentence,) = shortage_sentences(balances(two_consultants, tigrinya_demand, on=TODAY))
    assert sentence.startswith(
        "needs about 2 more Tigrinya-speaking consultants in Region Sjælland"
    )
    assert "48 h/week" in sentence


def test_shortage_sentence_singular_and_limit():
    cells = [
        LanguageRegionBalance("tl", "Nordjylland", requested_hours=12.0),
        LanguageRegionBalance("ps", "Region Hovedstaden", requested_hours=8.0),
    ]
    sentences = shortage_sentences(cells, limit=1)
    assert sentences == [
        "needs about 1 more Tagalog-speaking consultant in Region Nordjylland "
        "(12 h/week of open and expected requests beyond the free hours of local speakers)"
    ]
    assert "in Region Hovedstaden" in shortage_sentences(cells)[1]  # no "Region Region"


def test_outlook_frees_hours_when_commitments_end(two_consultants):
    outlook = capacity_outlook(two_consultants, start=TODAY, weeks=3, languages=["ti", "ar-IQ"])
    assert outlook.week_starts == (TODAY, dt.date(2026, 1, 12), dt.date(2026, 1, 19))
    # The 20 h case ends on 12 January (inclusive): hours are free from the week after.
    assert outlook.total_free_hours == (17.0, 17.0, 37.0)
    assert outlook.free_hours_by_language == {"ti": (17.0, 17.0, 37.0), "ar": (0.0, 0.0, 0.0)}


def test_outlook_never_counts_overbooked_hours_as_negative():
    overbooked = ConsultantLoad(("da",), ("Sjælland",), 20.0, (Commitment(25.0, None),))
    assert capacity_outlook([overbooked], start=TODAY, weeks=1).total_free_hours == (0.0,)


def test_bad_input_names_the_field():
    with pytest.raises(ValueError, match="hours_per_week"):
        Commitment(-1.0)
    with pytest.raises(ValueError, match="weeks"):
        capacity_outlook([], start=TODAY, weeks=0)


def test_expected_intake_scales_the_lookback_window_to_the_horizon():
    history = [
        PastRequest("ti-ER", "Sjælland", 10.0, dt.date(2025, 3, 1)),
        PastRequest("ti", "Sjælland", 20.0, dt.date(2025, 9, 1)),
        PastRequest("ti", "Sjælland", 99.0, dt.date(2024, 12, 1)),  # before the window
        PastRequest("ti", "Sjælland", 99.0, dt.date(2026, 2, 1)),  # after as_of
        PastRequest("uk", "Hovedstaden", 5.0, dt.date(2025, 6, 1)),
    ]
    # 30 h arrived in 364 days; a 12-week horizon is 84/364 of that: 30 × 84/364.
    found = expected_intake(history, TODAY, weeks=12, lookback_days=364)
    assert [(d.language, d.region, d.status) for d in found] == [
        ("ti", "Sjælland", DemandStatus.EXPECTED),
        ("uk", "Hovedstaden", DemandStatus.EXPECTED),
    ]
    assert found[0].hours_per_week == pytest.approx(30 * 84 / 364)
    with pytest.raises(ValueError, match="positive"):
        expected_intake(history, TODAY, weeks=0)


def test_expected_demand_and_hours_freed_ahead_enter_the_shortage(two_consultants):
    # Today: 17 h free for Tigrinya in Sjælland; on 19 January the 20 h case has ended: 37 h.
    demands = [
        Demand("ti", "Sjælland", 10.0, DemandStatus.REQUESTED),
        Demand("ti", "Sjælland", 50.0, DemandStatus.EXPECTED),
    ]
    (cell,) = [
        c
        for c in balances(two_consultants, demands, on=TODAY, ahead=dt.date(2026, 1, 19))
        if c.language == "ti"
    ]
    assert (cell.requested_hours, cell.expected_hours) == (10.0, 50.0)
    assert (cell.free_hours, cell.free_hours_ahead) == (17.0, 37.0)
    assert cell.missing_hours == pytest.approx(10 + 50 - 37)  # fires: 23 h missing
    # Without the forecast the 10 h request fits in today's free hours: no shortage.
    (today_only,) = [
        c for c in balances(two_consultants, demands[:1], on=TODAY) if c.language == "ti"
    ]
    assert today_only.missing_hours == 0.0


def test_planning_balances_combine_forecast_and_hours_freed(two_consultants):
    history = [PastRequest("ti", "Sjælland", 52.0, dt.date(2025, 7, 1))]
    demands = [Demand("ti", "Sjælland", 10.0, DemandStatus.REQUESTED)]
    cells = planning_balances(two_consultants, demands, history, TODAY, weeks=2, lookback_days=364)
    (cell,) = [c for c in cells if c.language == "ti"]
    # 52 h over 52 weeks → 2 weeks bring 2 h; on 19 January the 20 h case has ended.
    assert cell.expected_hours == pytest.approx(2.0)
    assert (cell.requested_hours, cell.free_hours, cell.free_hours_ahead) == (10.0, 17.0, 37.0)
