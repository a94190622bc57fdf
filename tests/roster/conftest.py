"""Fixtures of the roster tests."""

from __future__ import annotations

import pytest

import roster.clock as clock_module


@pytest.fixture
def no_wall_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproducible searches (`tests.roster.instances.REPRODUCIBLE`) run to their work
    limit however slow the machine: the wall guard (`roster.clock.WALL_GUARD_SECONDS`)
    would cut short a search that a heavily loaded machine runs past twice its limit
    plus 15 s, and that search alone is not reproducible. Tests of proofs that take
    seconds of work use it (`pytestmark`)."""
    monkeypatch.setattr(clock_module, "WALL_GUARD_SECONDS", 3600.0)
