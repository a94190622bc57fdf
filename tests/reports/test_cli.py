"""The `famplan` match / optimize / report commands on the seeded demo database.

Read-only commands run on the shared seeded database; commands that write (optimize
--apply) get a database of their own, seeded through the same code path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from api.cli import app
from data.db import get_engine, make_engine
from data.settings import get_settings

runner = CliRunner()


def _reset_caches() -> None:
    get_settings.cache_clear()
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Point the CLI (settings → engine) at a database URL for one test."""

    def use(url: str) -> None:
        monkeypatch.setenv("FAMPLAN_DATABASE_URL", url)
        _reset_caches()

    yield use
    _reset_caches()


def _open_request(url: str) -> str:
    from data.models import Case, CaseStatus

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            case = session.exec(
                select(Case).where(Case.status == CaseStatus.REQUESTED).order_by(Case.id)  # type: ignore[arg-type]
            ).first()
            assert case is not None, "the demo book has open requests"
            return case.reference
    finally:
        engine.dispose()


def _json(output: str) -> dict:
    return json.loads(output[output.index("{") :])


def test_match_json_ranks_candidates_with_reasons(seeded_url, use_database):
    use_database(seeded_url)
    reference = _open_request(seeded_url)
    result = runner.invoke(app, ["match", reference, "--top", "3", "--json"])
    assert result.exit_code == 0, result.output
    payload = _json(result.output)
    assert payload["case"] == reference
    candidates = payload["candidates"]
    assert 1 <= len(candidates) <= 3
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(c["reasons"] and c["consultant_ref"] for c in candidates)


def test_match_prints_a_table(seeded_url, use_database):
    use_database(seeded_url)
    reference = _open_request(seeded_url)
    result = runner.invoke(app, ["match", reference])
    assert result.exit_code == 0, result.output
    assert f"Candidates for case {reference}" in result.output


def test_match_unknown_case_is_a_clear_error(seeded_url, use_database):
    use_database(seeded_url)
    result = runner.invoke(app, ["match", "NO-SUCH-CASE"])
    assert result.exit_code == 2
    assert "'NO-SUCH-CASE': no such case reference" in result.output


def test_optimize_json_reports_status_kpis_and_changes(seeded_url, use_database):
    use_database(seeded_url)
    result = runner.invoke(app, ["optimize", "--time-limit", "5", "--json"])
    assert result.exit_code == 0, result.output
    payload = _json(result.output)
    assert payload["status"] in {"optimal", "feasible"}  # one vocabulary, lower case
    assert set(payload["kpis"]["exact dialect %"]) == {"today", "optimized"}
    assert {c["kind"] for c in payload["changes"]} <= {"new", "move", "unassigned"}
    # Every open request is a "new" placement or stays unplaced with a reason.
    assert all(u["reason"] for u in payload["unplaced"])


def test_the_same_optimize_command_gives_the_same_plan(seeded_url, use_database):
    # reproducible by default: a plan of 900-odd seats has many equally good variants,
    # and a wall-clock parallel search may return any of them; the work clock does not
    use_database(seeded_url)
    plans = [
        _json(runner.invoke(app, ["optimize", "--time-limit", "5", "--json"]).output)
        for _ in range(2)
    ]
    assert plans[0]["changes"] and plans[0]["changes"] == plans[1]["changes"]
    assert plans[0]["objective"] == plans[1]["objective"]
    # The wall-clock mode gives a plan as well. Its limit is wall time, the model build
    # included, so a loaded machine could spend 5 s before the search starts; 120 s
    # leaves room for any load (an idle machine proves the book optimal in about 1 s
    # and stops there).
    exact = runner.invoke(app, ["optimize", "--time-limit", "120", "--exact-time", "--json"])
    assert exact.exit_code == 0, exact.output
    assert _json(exact.output)["objective"] is not None


def test_optimize_apply_writes_the_changes(writable_url, use_database):
    from data.models import Assignment, AssignmentStatus
    from data.ops_models import AuditAction, AuditEvent

    use_database(writable_url)
    plan = _json(runner.invoke(app, ["optimize", "--time-limit", "5", "--json"]).output)
    created_expected = sum(1 for c in plan["changes"] if c["to"] != "—")
    assert created_expected > 0, "the demo book has open requests to place"
    result = runner.invoke(app, ["optimize", "--time-limit", "5", "--apply", "--yes"])
    assert result.exit_code == 0, result.output
    found = re.search(r"applied: (\d+) assignments ended, (\d+) created", result.output)
    assert found, result.output
    engine = make_engine(writable_url)
    try:
        with Session(engine) as session:
            (event,) = session.exec(
                select(AuditEvent).where(AuditEvent.action == AuditAction.OPTIMIZATION_APPLY)
            ).all()
            assert len(event.entity_ids) == int(found.group(2))
            created = [session.get(Assignment, i) for i in event.entity_ids]
            assert all(a is not None and a.status == AssignmentStatus.CONFIRMED for a in created)
    finally:
        engine.dispose()


def test_optimize_apply_asks_first_and_writes_nothing_when_declined(seeded_url, use_database):
    from data.ops_models import AuditEvent

    use_database(seeded_url)  # the shared database: declining must leave it untouched
    result = runner.invoke(app, ["optimize", "--time-limit", "5", "--apply"], input="n\n")
    assert "Apply" in result.output and "not applied" in result.output
    assert result.exit_code == 1
    engine = make_engine(seeded_url)
    try:
        with Session(engine) as session:
            assert session.exec(select(AuditEvent)).first() is None
    finally:
        engine.dispose()


def test_report_writes_a_self_contained_html(seeded_url, use_database, tmp_path):
    use_database(seeded_url)
    result = runner.invoke(app, ["report", "--out", str(tmp_path), "--time-limit", "1"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 14
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert len(pngs) == 14 and "roster_grid.png" in pngs and "supply_demand.png" in pngs
    assert "follow_up_load.png" in pngs
    # the course section: overdue follow-ups and family treatment ended at 9 months
    assert "Overdue follow-ups by office" in page and "ended at 9 months" in page
    assert all((tmp_path / name).stat().st_size > 5_000 for name in pngs)
    assert "report written" in result.output


def _dognindsats_case(url: str) -> str:
    from data.models import Case, CaseStatus, InterventionType

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            case = session.exec(
                select(Case)
                .where(Case.intervention_type == InterventionType.DOGNINDSATS)
                .where(Case.status == CaseStatus.ACTIVE)
                .order_by(Case.id)  # type: ignore[arg-type]
            ).first()
            assert case is not None, "the demo book has running døgnindsats cases"
            return case.reference
    finally:
        engine.dispose()


def test_roster_publish_then_repair_a_sick_day(writable_url, use_database):
    use_database(writable_url)
    reference = _dognindsats_case(writable_url)
    # Monday 18 December 2023, one week, 3x8: 21 shifts.
    args = ["roster", reference, "--start", "2023-12-18", "--days", "7", "--time-limit", "8"]
    result = runner.invoke(app, [*args, "--publish", "--json"])
    assert result.exit_code == 0, result.output
    roster = _json(result.output)
    assert roster["roster_status"] == "published", roster["violations"]
    dates = {shift["date"] for shift in roster["shifts"]}
    assert dates <= {f"2023-12-{day}" for day in range(18, 25)}
    assert roster["team_size"] == len(roster["team"]) >= 1
    # Whoever works the first shift of Wednesday 20 December calls in sick that day.
    sick = next(s["consultant"] for s in roster["shifts"] if s["date"] == "2023-12-20")
    repair = [
        "repair",
        str(roster["roster_id"]),
        "--absent",
        sick,
        "--from",
        "2023-12-20",
        "--to",
        "2023-12-20",
        "--as-of",
        "2023-12-18",
        "--time-limit",
        "8",
        "--json",
    ]
    result = runner.invoke(app, repair)
    assert result.exit_code == 0, result.output
    repaired = _json(result.output)
    assert repaired["parent_id"] == roster["roster_id"]
    assert repaired["changed_assignments"] >= 1
    assert not any(
        s["date"] == "2023-12-20" and s["consultant"] == sick for s in repaired["shifts"]
    )
    assert any(sick in entry["removed"] for entry in repaired["diff"])


def test_repair_refuses_a_draft(writable_url, use_database):
    use_database(writable_url)
    reference = _dognindsats_case(writable_url)
    result = runner.invoke(
        app,
        [
            "roster",
            reference,
            "--start",
            "2024-01-08",
            "--days",
            "3",
            "--time-limit",
            "4",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    draft = _json(result.output)
    assert draft["roster_status"] == "draft"
    result = runner.invoke(
        app,
        [
            "repair",
            str(draft["roster_id"]),
            "--absent",
            "1",
            "--from",
            "2024-01-08",
            "--to",
            "2024-01-08",
        ],
    )
    assert result.exit_code == 2
    assert "only a published roster is repaired" in result.output


def test_the_same_roster_command_gives_the_same_roster(writable_url, use_database):
    # reproducible by default (the time limit counts solver work): the same case, days
    # and seed give the same shifts, as two identical API requests do
    use_database(writable_url)
    reference = _dognindsats_case(writable_url)
    args = ["roster", reference, "--start", "2024-01-08", "--days", "5", "--time-limit", "2"]
    runs = []
    for extra in ([], [], ["--exact-time"]):
        result = runner.invoke(app, [*args, *extra, "--json"])
        assert result.exit_code == 0, result.output
        runs.append(_json(result.output))
    first, second, exact = ([(s["date"], s["consultant"]) for s in r["shifts"]] for r in runs)
    assert len(first) == 15 and first == second
    assert runs[0]["roster_id"] != runs[1]["roster_id"]  # two rosters stored, not one
    assert len(exact) == 15  # on the wall clock: a legal roster, not necessarily this one


def test_roster_of_a_case_that_is_not_a_dognindsats(seeded_url, use_database):
    use_database(seeded_url)
    result = runner.invoke(app, ["roster", _open_request(seeded_url), "--start", "2024-01-08"])
    assert result.exit_code == 2
    assert "not a døgnindsats" in result.output


def test_roster_plans_from_the_team_the_match_proposes(writable_url, use_database):
    # `famplan roster` plans from the match's team (the API's `team.roster_request`), not
    # from every consultant of the offices serving the region; --whole-pool does that
    import datetime as dt

    from api.services.matching import SnapshotCache, proposed_team
    from api.services.roster_params import offices_serving
    from data.models import Case
    from data.ops_models import Roster

    use_database(writable_url)
    reference = _dognindsats_case(writable_url)
    args = ["roster", reference, "--start", "2024-01-08", "--days", "3", "--time-limit", "2"]
    team_run = runner.invoke(app, [*args, "--json"])
    assert team_run.exit_code == 0, team_run.output
    whole_run = runner.invoke(app, [*args, "--whole-pool", "--json"])
    assert whole_run.exit_code == 0, whole_run.output
    engine = make_engine(writable_url)
    try:
        with Session(engine) as session:
            case = session.exec(select(Case).where(Case.reference == reference)).one()
            assert case.id is not None
            team = proposed_team(session, SnapshotCache(), case.id, dt.date(2024, 1, 8))
            planned = session.get(Roster, _json(team_run.output)["roster_id"])
            whole = session.get(Roster, _json(whole_run.output)["roster_id"])
            assert planned is not None and whole is not None
            serving = offices_serving(session, case.id)
    finally:
        engine.dispose()
    request = team.roster_request
    assert team.feasible and len(request.consultant_ids) == team.team_size
    assert planned.params["consultant_ids"] == request.consultant_ids
    assert planned.office_ids == request.office_ids
    assert set(planned.team) <= set(request.consultant_ids)
    # the whole pool: every office serving the region, nobody singled out
    assert whole.params["consultant_ids"] == [] and whole.office_ids == serving
