"""The last-resort handler: an unexpected error is a 500 problem document that leaks
nothing, and the log names the place, not the message."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from api.config import ApiSettings
from api.main import create_app


def test_unexpected_errors_become_a_bare_500_problem(
    api_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    app: FastAPI = create_app(ApiSettings(run_worker=False), api_engine)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("family PRIV-1 speaks ar-IQ")

    caplog.set_level(logging.INFO)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
        unknown = client.get("/v1/this/does/not/exist/ar-IQ")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "an unexpected error occurred; it has been logged",
        "instance": "/boom",
    }
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    messages = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("famplan"))
    assert "unexpected RuntimeError on GET /boom" in messages
    assert "PRIV-1" not in messages and "ar-IQ" not in messages
