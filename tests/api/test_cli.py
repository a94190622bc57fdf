"""`famplan keys …` and `famplan retention` against a SQLite file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator

import pytest
import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

import data.ops_models  # noqa: F401
from api.auth import authenticate
from api.cli import app
from api.services.retention import anonymise_ended_cases
from data.db import get_engine
from data.models import AssignmentStatus, Case
from data.ops_models import ApiKey, AuditAction, AuditEvent
from data.settings import get_settings
from tests.api.test_resources import NAESTVED_CENTROID
from tests.api.world import World, build_world

runner = CliRunner()


@pytest.fixture
def cli_world(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The commands use the settings' database: point it at the test database."""
    monkeypatch.setenv("FAMPLAN_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    get_engine.cache_clear()
    with Session(engine) as session:
        world = build_world(session)
    yield world
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_keys_create_list_revoke(cli_world: World) -> None:
    created = runner.invoke(
        app, ["keys", "create", "--role", "team_leader", "--office", str(cli_world.office_kbh)]
    )
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    with Session(get_engine()) as session:
        principal = authenticate(session, key)
        assert principal is not None and principal.office_ids == {cli_world.office_kbh}
        stored = session.exec(select(ApiKey)).one()
        assert key not in stored.key_hash and stored.key_hash != key  # only the hash is stored
        key_id = stored.id
    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0 and "team_leader" in listed.output and key not in listed.output
    revoked = runner.invoke(app, ["keys", "revoke", str(key_id)])
    assert revoked.exit_code == 0, revoked.output
    with Session(get_engine()) as session:
        assert authenticate(session, key) is None
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert actions == [AuditAction.KEY_CREATE, AuditAction.KEY_REVOKE]


@pytest.mark.parametrize(
    "arguments",
    [
        ["--role", "team_leader"],  # a team leader needs an office
        ["--role", "boss"],  # unknown role
        ["--role", "admin", "--office", "1"],  # only team leaders are scoped
        ["--role", "team_leader", "--office", "999"],  # unknown office
    ],
)
def test_keys_create_refuses_bad_arguments(cli_world: World, arguments: list[str]) -> None:
    result = runner.invoke(app, ["keys", "create", *arguments])
    assert result.exit_code != 0
    with Session(get_engine()) as session:
        assert session.exec(select(ApiKey)).all() == []


def test_retention_anonymises_only_old_ended_cases(cli_world: World) -> None:
    k2 = cli_world.cases["k2"]  # active, Næstved, expected end 2026-10-01
    with Session(get_engine()) as session:
        case = session.get(Case, k2)
        assert case is not None
        case.status = "ended"  # type: ignore[assignment]
        case.gender, case.gender_rule = "female", "preferred"  # type: ignore[assignment]
        case.cultural_countries = ["ER"]
        case.excluded_consultant_ids = [cli_world.consultants["c4"]]
        session.add(case)
        session.commit()
    # k2 ended at the latest of 2026-10-01 and its open assignment (no end) → 2026-10-01;
    # "older than 0 days" on the world's planning date (2026-03-02, whatever the real
    # date) keeps it.
    kept = runner.invoke(app, ["retention", "--older-than", "0"])
    assert kept.exit_code == 0, kept.output
    assert "ended before 2026-03-02" in kept.output
    with Session(get_engine()) as session:
        assert session.get(Case, k2).reference == "TEST-K2"  # type: ignore[union-attr]

    with Session(get_engine()) as session:
        report = anonymise_ended_cases(session, 30, today=dt.date(2027, 1, 1))
        session.commit()
        assert report.anonymised_case_ids == [k2]
        case = session.get(Case, k2)
        assert case is not None
        assert case.reference == f"ANON-{k2}"
        assert (case.lat, case.lon) == NAESTVED_CENTROID
        assert case.cultural_countries == [] and case.excluded_consultant_ids == []
        assert case.gender is None and case.gender_rule is None
        assert case.hours_per_week == 5 and case.municipality_code == 370  # statistics kept
        k1 = session.get(Case, cli_world.cases["k1"])
        assert k1 is not None and k1.reference == "TEST-K1"  # not ended: untouched
        again = anonymise_ended_cases(session, 30, today=dt.date(2027, 1, 1))
        assert again.anonymised_case_ids == []  # idempotent


# ------------------------------------------------------------------ optimize --apply


def _confirm_k1_by_hand(world: World) -> None:
    """Reception confirms the open request k1 (c2, from 2 March) through the service the
    API uses."""
    from api.schemas.matching import AssignmentConfirm, SeatChoice
    from api.services.assignments import confirm

    with Session(get_engine()) as session:
        body = AssignmentConfirm(
            seats=[SeatChoice(consultant_id=world.consultants["c2"])], start=dt.date(2026, 3, 2)
        )
        confirm(session, world.cases["k1"], body, None, today=dt.date(2026, 3, 2))


def _cut_the_arabic_speakers_contracts(world: World) -> None:
    """c1 and c2 (k1's only candidates) go down to no hours at all."""
    from data.models import Consultant

    with Session(get_engine()) as session:
        for key in ("c1", "c2"):
            consultant = session.get(Consultant, world.consultants[key])
            assert consultant is not None
            consultant.contracted_hours_per_week = 0
            consultant.version += 1
            session.add(consultant)
        session.commit()


@pytest.mark.parametrize(
    ("write", "reason"),
    [
        (_confirm_k1_by_hand, "got a primary (assignment"),
        (_cut_the_arabic_speakers_contracts, "family hours of a 0-hour contract"),
    ],
    ids=["confirmation", "contract cut"],
)
def test_optimize_apply_refuses_a_plan_made_stale_meanwhile(
    cli_world: World,
    monkeypatch: pytest.MonkeyPatch,
    write: Callable[[World], None],
    reason: str,
) -> None:
    from data.models import Assignment

    def meanwhile(question: str) -> bool:
        # The planner reads the plan; another write lands before they say yes.
        assert question.startswith("Apply ")
        write(cli_world)
        return True

    monkeypatch.setattr(typer, "confirm", meanwhile)
    with Session(get_engine()) as session:
        before = [(a.id, a.status, a.end, a.version) for a in session.exec(select(Assignment))]
    result = runner.invoke(
        app, ["optimize", "--as-of", "2026-03-02", "--time-limit", "10", "--apply"]
    )
    assert result.exit_code == 1, result.output
    assert reason in result.output and "applied:" not in result.output
    with Session(get_engine()) as session:
        after = [(a.id, a.status, a.end, a.version) for a in session.exec(select(Assignment))]
        applied = session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.OPTIMIZATION_APPLY)
        ).all()
    # Nothing of the plan was written: only the other write's own rows differ.
    plan_rows = [row for row in after if row not in before]
    if write is _confirm_k1_by_hand:
        # Reception's rows: the primary and the coordinator the confirm assigns with it.
        newest = sorted(a or 0 for a, *_ in after)[-2:]
        assert [row[0] for row in plan_rows] == newest
    else:
        assert plan_rows == []
    assert applied == []


def test_optimize_apply_places_the_open_request_through_the_service(cli_world: World) -> None:
    from data.models import Assignment, AssignmentRole, CaseStatus

    result = runner.invoke(
        app, ["optimize", "--as-of", "2026-03-02", "--time-limit", "10", "--apply", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "applied: 0 assignments ended" in result.output
    with Session(get_engine()) as session:
        k1 = session.get(Case, cli_world.cases["k1"])
        assert k1 is not None and k1.status is CaseStatus.ACTIVE
        primary = session.exec(
            select(Assignment).where(
                Assignment.case_id == k1.id, Assignment.role == AssignmentRole.PRIMARY
            )
        ).one()
        # k1 speaks Iraqi Arabic: c1 (native ar-IQ) beats c2 (Syrian Arabic).
        assert primary.consultant_id == cli_world.consultants["c1"]
        (event,) = session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.OPTIMIZATION_APPLY)
        ).all()
        assert primary.id in event.entity_ids and event.actor_key_id is None


def test_optimize_apply_refuses_to_move_an_assignment_locked_meanwhile(
    cli_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data.models import Assignment

    # k2 (Tigrinya) is staffed by c4, who speaks only Ukrainian: the plan moves it to c3.
    with Session(get_engine()) as session:
        running = session.get(Assignment, cli_world.assignment_k2)
        assert running is not None
        running.consultant_id = cli_world.consultants["c4"]
        session.add(running)
        session.commit()

    def lock_it_meanwhile(question: str) -> bool:
        with Session(get_engine()) as session:
            row = session.get(Assignment, cli_world.assignment_k2)
            assert row is not None
            row.locked, row.version = True, row.version + 1
            session.add(row)
            session.commit()
        return True

    monkeypatch.setattr(typer, "confirm", lock_it_meanwhile)
    result = runner.invoke(
        app, ["optimize", "--as-of", "2026-03-02", "--time-limit", "10", "--apply", "--json"]
    )
    plan = json.loads(result.output[result.output.index("{") : result.output.rindex("}") + 1])
    moved = [c for c in plan["changes"] if c["case"] == "TEST-K2" and c["role"] == "primary"]
    assert [(c["kind"], c["from"], c["to"]) for c in moved] == [("move", "T-004", "T-003")]
    assert result.exit_code == 1
    assert f"assignment {cli_world.assignment_k2} changed since the optimisation ran" in (
        result.output
    )
    with Session(get_engine()) as session:
        row = session.get(Assignment, cli_world.assignment_k2)
        assert row is not None and row.status is not AssignmentStatus.ENDED and row.end is None
        assert session.exec(select(Assignment).where(Assignment.case_id == row.case_id)).all() == [
            row
        ]
