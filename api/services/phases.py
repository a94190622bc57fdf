"""The phase table every use case plans with (capacity, matching, confirm, batch,
capacity outlook): one parse of ``data/reference/phases.toml``."""

from __future__ import annotations

from functools import lru_cache

from data.phases import phase_data
from matcher.phases import PhaseTable


@lru_cache(maxsize=1)
def phase_table() -> PhaseTable:
    return PhaseTable.parse(phase_data())
