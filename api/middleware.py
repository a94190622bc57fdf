"""Request logging without personal data, the last-resort 500 problem document, and the
request body size limit (413).

Only the method, the route *template* (``/v1/cases/{case_id}``), the status and the
duration are logged — never the query string, the body or path values beyond ids.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_MEDIA_TYPE, log_unexpected, route_template

log = logging.getLogger("famplan.api.access")


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            log_unexpected(exc, scope["method"], route_template(scope))
            if response_started:
                raise
            status = 500
            await _send_problem_500(scope, send)
        finally:
            log.info(
                "%s %s %d %.1fms",
                scope["method"],
                route_template(scope),
                status,
                (time.perf_counter() - started) * 1000,
            )


async def _send_problem_500(scope: Scope, send: Send) -> None:
    await _send_problem(scope, send, 500, "an unexpected error occurred; it has been logged")


async def _send_problem(scope: Scope, send: Send, status: int, detail: str) -> None:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": scope.get("path", ""),
    }
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class SnapshotInvalidationMiddleware:
    """Drop the cached matching snapshot after every successful write through the API."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            read_only = str(scope.get("path", "")).endswith("/match")
            cache = getattr(scope["app"].state, "snapshot_cache", None)
            if status < 400 and not read_only and cache is not None:
                cache.invalidate()


class BodySizeLimitMiddleware:
    """Answer 413 (a problem document) to a request body larger than `max_bytes`.

    Counts the bytes as they stream in, so a chunked body or a false Content-Length
    cannot get past it; a declared Content-Length over the limit is refused before
    anything is read. The body (at most `max_bytes`) is then handed to the app as one
    message. `path_limits` gives other limits to path prefixes (e.g. an import route).
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, path_limits: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = dict(path_limits or {})

    def limit_for(self, path: str) -> int:
        matches = [prefix for prefix in self.path_limits if path.startswith(prefix)]
        return self.path_limits[max(matches, key=len)] if matches else self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(str(scope.get("path", "")))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        await _send_problem(scope, send, 413, f"the request body is larger than {limit} bytes")


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
