"""Two roster jobs for two cases of one office, solved truly at once, both published.

Each job runs `solve_roster_job` in its own thread and session, released together by a
barrier, so neither sees the other's draft while it plans; then both are published at
once through the API. Publishing re-checks the published rosters with the team's rows
locked: the loser, if the two booked one person for the same time, gets a 409 naming
the double booking, is planned again (now seeing the winner) and published. In the end
the published data holds no consultant at overlapping times. Runs on SQLite and, with
FAMPLAN_TEST_POSTGRES_URL set, on PostgreSQL (tests/conftest.py).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.jobs.params import RosterParams
from api.services.rosters import solve_roster_job
from data.ops_models import Job, Roster, RosterShift, RosterStatus
from tests.api.conftest import Keys
from tests.api.dognindsats import add_homes, post_roster
from tests.api.test_roster_bookings import _overlapping_bookings
from tests.api.world import World


def _at_once(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Run `tasks` in threads released together; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def run(k: int) -> None:
        barrier.wait()
        try:
            results[k] = tasks[k]()
        except Exception as error:  # handed back to the test
            results[k] = error

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(tasks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def _plan(client: TestClient, headers: dict[str, str], case_id: int) -> int:
    """A 2-day roster of `case_id`, queued (its job is run by `_solver`); its id."""
    created = post_roster(client, headers, case_id, time_limit_seconds=10, days=2)
    roster_id: int = created.json()["id"]
    return roster_id


def _solver(engine: Engine, roster_id: int) -> Callable[[], dict[str, object]]:
    def solve() -> dict[str, object]:
        with Session(engine) as session:
            roster = session.get(Roster, roster_id)
            assert roster is not None and roster.job_id is not None
            job = session.get(Job, roster.job_id)
            assert job is not None
            params = RosterParams.model_validate(job.params)
            return solve_roster_job(session, roster.job_id, params, lambda *args, **kwargs: None)

    return solve


def test_two_rosters_solved_and_published_at_once_never_book_one_person_twice(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    # 2 days of 3x8: a 37 h/week contract allows one 8 h shift in 2 days, so each
    # home needs 6 people and the 12 of the office are just enough for both
    _, cases = add_homes(api_engine, world.office_naestved, 12, cases=2)
    headers = keys.headers("team_leader_naestved")
    rosters = [_plan(client, headers, case_id) for case_id in cases]
    solved = _at_once([_solver(api_engine, roster_id) for roster_id in rosters])
    assert [r["violations"] for r in solved] == [0, 0], solved
    assert [r["uncovered_shifts"] for r in solved] == [0, 0], solved

    answers = _at_once(
        [
            functools.partial(client.post, f"/v1/rosters/{roster_id}/publish", headers=headers)
            for roster_id in rosters
        ]
    )
    # Planned at once from the same pool with the same seed, neither saw the other's
    # draft: both chose the same people, so one publication must be refused (which one
    # depends on who locks first).
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409], [a.text for a in answers]
    for case_id, answer in zip(cases, answers, strict=True):
        if answer.status_code == 409:
            # the loser: refused with the reason, planned again beside the winner
            assert "booked twice" in answer.json()["detail"]
            again = _plan(client, headers, case_id)
            assert _solver(api_engine, again)()["uncovered_shifts"] == 0
            published = client.post(f"/v1/rosters/{again}/publish", headers=headers)
            assert published.status_code == 200, published.text

    with Session(api_engine) as session:
        shifts = session.exec(
            select(RosterShift).join(Roster).where(Roster.status == RosterStatus.PUBLISHED)
        ).all()
    assert {s.case_id for s in shifts} == set(cases)  # both homes are covered …
    assert len(shifts) == 2 * 2 * 3
    assert _overlapping_bookings(list(shifts)) == []  # … and nobody is in both at once
