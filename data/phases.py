"""The phase plans of the intervention types, as data (``data/reference/phases.toml``).

Read here, outside the pure solver packages; `matcher.phases.PhaseTable.parse` validates
them. A change of plan is a change of that file, not of code."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def phase_data() -> dict[str, Any]:
    """The raw table: intervention type → {"phases": [...]}."""
    text = resources.files("data").joinpath("reference", "phases.toml").read_text("utf-8")
    return tomllib.loads(text)
