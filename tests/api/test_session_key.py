"""The admin key of `famplan serve`: printed once, never logged, revoked on any normal
stop (Ctrl-C or SIGTERM), and expiring by itself when the server is killed.

Before: the key survived a SIGTERM or SIGKILL of the server (only Ctrl-C revoked it).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.auth import KeyRedactingFilter, authenticate, create_key
from api.cli.server_commands import SessionKey
from data.db import make_engine
from data.migrate import upgrade
from data.ops_models import ApiKey, Role, utcnow
from tests.api.job_rows import wait_for
from tests.api.live import free_port

KEY = re.compile(r"fp_[a-z0-9]{8}_[A-Za-z0-9_-]+")
TTL_SECONDS = 30


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    key: str
    engine: Engine
    #: What it printed before the key was read.
    printed: str

    def output(self) -> str:
        """Everything the process wrote to standard output and error, once it ended."""
        out, err = self.process.communicate(timeout=30)
        return self.printed + out + err


@pytest.fixture(scope="module")
def serve_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("serve") / "serve.db"
    return upgrade(f"sqlite:///{path}")


@pytest.fixture
def served(serve_database: str) -> Iterator[Served]:
    """`famplan serve` in a process of its own on a free port."""
    port = free_port()
    env = {
        **os.environ,
        "FAMPLAN_DATABASE_URL": serve_database,
        "FAMPLAN_AS_OF": "2026-03-02",
        "FAMPLAN_SESSION_KEY_TTL_SECONDS": str(TTL_SECONDS),
        "FAMPLAN_LOG_LEVEL": "INFO",
    }
    famplan = Path(sys.executable).with_name("famplan")
    process = subprocess.Popen(
        [str(famplan), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    engine = make_engine(serve_database)
    try:
        key, printed = _read_key(process)
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, process)
        yield Served(process, url, key, engine, printed)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
        engine.dispose()


def _read_key(process: subprocess.Popen[str]) -> tuple[str, str]:
    assert process.stdout is not None
    printed = []
    for line in process.stdout:
        printed.append(line)
        if "admin key" in line:
            found = KEY.search(line)
            assert found is not None, line
            return found.group(0), "".join(printed)
    raise AssertionError(
        f"famplan serve printed no key: {process.stderr and process.stderr.read()}"
    )


def _wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "famplan serve stopped"
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("famplan serve did not come up")


def _row(engine: Engine, key: str) -> ApiKey:
    with Session(engine) as session:
        row = session.exec(select(ApiKey).where(ApiKey.prefix == key.split("_")[1])).one()
        session.expunge(row)
        return row


def test_sigterm_revokes_the_session_key(served: Served) -> None:
    headers = {"X-API-Key": served.key}
    assert httpx.get(f"{served.url}/v1/cases", headers=headers).status_code == 200
    assert httpx.get(f"{served.url}/v1/nothing-here?key={served.key}").status_code == 404
    served.process.send_signal(signal.SIGTERM)
    output = served.output()
    assert served.process.returncode == 0, output
    row = _row(served.engine, served.key)
    assert row.revoked_at is not None
    with Session(served.engine) as session:
        assert authenticate(session, served.key) is None
    # printed once, on standard output; no log line carries it
    assert output.count(served.key) == 1
    assert len(KEY.findall(output)) == 1


def test_a_killed_servers_key_expires_by_itself(served: Served) -> None:
    assert httpx.get(f"{served.url}/v1/cases", headers={"X-API-Key": served.key}).status_code == 200
    served.process.kill()
    served.output()
    row = _row(served.engine, served.key)
    assert row.revoked_at is None  # nobody could revoke it …
    assert row.expires_at is not None
    expires_at = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or dt.UTC)
    assert expires_at <= utcnow() + dt.timedelta(seconds=TTL_SECONDS)
    with Session(served.engine) as session:
        # The server wrote the expiry on its own clock (a test run with the clock moved
        # moves only this process's), so the moments are taken from the expiry itself.
        before = expires_at - dt.timedelta(seconds=1)
        assert authenticate(session, served.key, now=before) is not None  # … for a while,
        later = expires_at + dt.timedelta(seconds=1)
        assert authenticate(session, served.key, now=later) is None  # then it expires


def test_the_session_key_is_renewed_while_the_server_runs(api_engine: Engine) -> None:
    session_key = SessionKey(api_engine, ttl_seconds=2)
    key = session_key.create()
    first = _row(api_engine, key).expires_at
    assert first is not None
    wait_for(lambda: _row(api_engine, key).expires_at != first, 10, "the key was not renewed")
    with Session(api_engine) as session:
        assert authenticate(session, key) is not None
    session_key.revoke()
    assert _row(api_engine, key).revoked_at is not None
    with Session(api_engine) as session:
        assert authenticate(session, key) is None


def test_a_key_revoked_by_another_process_is_refused_by_the_next_request(
    api_engine: Engine,
) -> None:
    from fastapi.testclient import TestClient

    from api.config import ApiSettings
    from api.main import create_app

    with Session(api_engine) as session:
        row, key = create_key(session, Role.RECEPTION, label="revoked elsewhere")
        key_id = row.id
        session.commit()
    app = create_app(ApiSettings(run_worker=False), api_engine)  # default settings
    with TestClient(app) as client:
        headers = {"X-API-Key": key}
        for _ in range(3):
            assert client.get("/v1/regions", headers=headers).status_code == 200
        with Session(api_engine) as session:  # as `famplan keys revoke` does it
            stored = session.get(ApiKey, key_id)
            assert stored is not None
            stored.revoked_at = utcnow()
            session.add(stored)
            session.commit()
        assert client.get("/v1/regions", headers=headers).status_code == 401


def test_log_records_never_carry_a_key(caplog: pytest.LogCaptureFixture) -> None:
    key = "fp_abcdefgh_" + "S3cr3t-value_" * 3
    logger = logging.getLogger("famplan.test.redaction")
    logger.addFilter(KeyRedactingFilter())
    try:
        with caplog.at_level(logging.INFO, logger="famplan.test.redaction"):
            logger.info("got %s in a header", key)
            logger.info(f"and {key} in a message")  # noqa: G004
    finally:
        logger.filters.clear()
    assert "S3cr3t" not in caplog.text
    assert caplog.text.count("fp_abcdefgh") == 2  # the public prefix tells keys apart
