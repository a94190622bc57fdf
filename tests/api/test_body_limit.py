"""Request bodies over the configured size are answered 413 with a problem document,
whether they announce their length or stream in chunks (bodies of 20 MB were accepted)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi.testclient import TestClient

from api.middleware import BodySizeLimitMiddleware
from tests.api.conftest import Keys

PROBLEM = "application/problem+json"


def test_a_body_over_one_megabyte_is_a_413_problem(client: TestClient, keys: Keys) -> None:
    assert client.app.state.settings.max_body_bytes == 1024 * 1024  # type: ignore[attr-defined]
    body = json.dumps({"reference": "BIG", "padding": "x" * (1024 * 1024)})
    response = client.post(
        "/v1/cases",
        content=body,
        headers={**keys.headers("reception"), "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 413 and response.json()["instance"] == "/v1/cases"
    # just under the limit is read and validated as usual (422: not a case)
    small = client.post(
        "/v1/cases",
        content=json.dumps({"padding": "x" * 1000}),
        headers={**keys.headers("reception"), "content-type": "application/json"},
    )
    assert small.status_code == 422


class _Recorder:
    """An inner app that records whether it ran and what body it read."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        self.bodies.append(message["body"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _run(
    middleware: BodySizeLimitMiddleware, chunks: list[bytes], headers: list[Any], path: str = "/x"
) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    pending = [
        {"type": "http.request", "body": chunk, "more_body": k < len(chunks) - 1}
        for k, chunk in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    asyncio.run(middleware(scope, receive, send))
    return sent


def test_a_streamed_body_is_counted_not_trusted() -> None:
    inner = _Recorder()
    middleware = BodySizeLimitMiddleware(inner, max_bytes=100)
    # chunked, no Content-Length
    sent = _run(middleware, [b"a" * 60, b"b" * 60], headers=[])
    assert sent[0]["status"] == 413 and inner.bodies == []
    assert json.loads(sent[1]["body"])["status"] == 413
    # a Content-Length that lies
    sent = _run(middleware, [b"a" * 60, b"b" * 60], headers=[(b"content-length", b"10")])
    assert sent[0]["status"] == 413 and inner.bodies == []
    # a declared length over the limit is refused before reading
    sent = _run(middleware, [], headers=[(b"content-length", b"101")])
    assert sent[0]["status"] == 413
    # within the limit, the app gets the whole body at once
    sent = _run(middleware, [b"a" * 50, b"b" * 50], headers=[])
    assert sent[0]["status"] == 204 and inner.bodies == [b"a" * 50 + b"b" * 50]


def test_a_path_prefix_may_have_its_own_limit() -> None:
    inner = _Recorder()
    middleware = BodySizeLimitMiddleware(inner, max_bytes=100, path_limits={"/v1/import": 1000})
    assert _run(middleware, [b"a" * 500], headers=[], path="/v1/import/cases")[0]["status"] == 204
    assert _run(middleware, [b"a" * 500], headers=[], path="/v1/cases")[0]["status"] == 413
