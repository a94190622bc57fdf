"""`famplan demo`: the book summary as data and as printed text."""

from __future__ import annotations

import pytest
from rich.console import Console
from sqlalchemy.engine import Engine

from api.cli import data_commands
from data.summary import book_summary


def test_summary_lists_supply_and_demand_per_language(seeded_engine: Engine) -> None:
    summary = book_summary(seeded_engine)
    arabic = next(b for b in summary.balances if b.language == "ar")
    assert arabic.cases == 105
    assert 0 < arabic.running < arabic.cases
    assert arabic.consultants >= arabic.native_consultants > 0
    danish = next(b for b in summary.balances if b.language == "da")
    assert danish.consultants == summary.consultants  # everybody speaks Danish
    # Languages no office of a region covers are listed (the demo book has some).
    assert summary.regional_gaps
    for region, language, running in summary.regional_gaps:
        assert region in summary.cases_by_region and running >= 1
        assert language != "da"


def test_printed_summary(seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    console = Console(record=True, width=200)
    monkeypatch.setattr(data_commands, "console", console)
    data_commands.print_summary(book_summary(seeded_engine), top=10)
    text = console.export_text()
    assert "555 interventions in 56 languages from 76 municipalities" in text
    for line in ("Hovedstaden", "Næstved", "arabisk (ar)", "ukrainsk (uk)", "ar-IQ 27"):
        assert line in text


def test_demo_sections_can_be_registered() -> None:
    @data_commands.demo_section
    def section(engine: Engine, console: Console) -> None:
        console.print("extra")

    try:
        assert section in data_commands.DEMO_SECTIONS
    finally:
        data_commands.DEMO_SECTIONS.remove(section)
