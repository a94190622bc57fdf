"""`famplan keys …` and `famplan retention` against a SQLite file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

import data.ops_models  # noqa: F401
from api.auth import authenticate
from api.cli import app
from api.services.retention import anonymise_ended_cases
from data.db import get_engine
from data.models import Case
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
