"""Fixtures of the roster tests."""

from __future__ import annotations

import math

import pytest

import roster.clock as clock_module
import roster.joint_bound as joint_bound_module
import roster.peak_bound as peak_bound_module


@pytest.fixture
def no_wall_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproducible searches (`tests.roster.instances.REPRODUCIBLE`) run to their work
    limit however slow the machine: the wall guard (`roster.clock.WALL_GUARD_SECONDS`)
    would cut short a search that a heavily loaded machine runs past twice its limit
    plus 15 s, and that search alone is not reproducible. Tests of proofs that take
    seconds of work use it (`pytestmark`)."""
    monkeypatch.setattr(clock_module, "WALL_GUARD_SECONDS", 3600.0)


@pytest.fixture(autouse=True)
def bounds_to_their_work_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The relaxations behind a døgnindsats bound (`roster.joint_bound`,
    `roster.peak_bound`) stop at a work limit, which gives the same bound under any
    load, and at a wall-clock cap that keeps a solve's time limit on a slow machine;
    under a test run's load the cap alone cut a proof short (the bound 58 asserted in
    `test_joint_bound` came out lower once), so tests keep the work limit only."""
    monkeypatch.setattr(joint_bound_module, "WALL_LIMIT", 3600.0)
    monkeypatch.setattr(peak_bound_module, "WALL_LIMIT", 3600.0)


@pytest.fixture(scope="session", autouse=True)
def compiled_programme() -> None:
    """The per-employee programme's compiled loops (`roster.kernels`) loaded once before
    any test: their first use in a fresh checkout compiles them for 5-6 s on the loaded
    machine (half a second from numba's cache after), which a test solving in a few
    seconds of wall time would otherwise spend compiling."""
    from roster.best_responses import BestResponses
    from tests.roster.test_windows import generated_nrp

    problem = generated_nrp(1, 2)
    assert BestResponses(problem).first_pass(deadline=math.inf, finish_by=math.inf)
