"""RFC 9457 problem details for every error the API returns.

Handlers turn framework errors into ``application/problem+json`` documents. Validation
errors name the offending field in ``errors: [{field, message}]``. Nothing a client sent
is echoed back and nothing personal is logged: messages are written here, not copied
from exceptions that might carry values.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.services.errors import Conflict, DomainError, FieldProblem, Forbidden, Invalid, NotFound

log = logging.getLogger("famplan.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(examples=["body.languages.0.tag"])
    message: str = Field(examples=["'xx-??': not a valid BCP 47 language tag"])


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(default="about:blank", examples=["about:blank"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str | None = Field(default=None, examples=["1 field is invalid"])
    instance: str | None = Field(default=None, examples=["/v1/cases"])
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        type_: str = "about:blank",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.type = type_
        self.headers = headers


def not_found(entity: str, entity_id: object) -> NotFound:
    return NotFound(entity, entity_id)


def invalid_field(field: str, message: str) -> Invalid:
    """An invalid field (the name is the JSON path, e.g. ``body.end``): answered 422."""
    return Invalid.field(field, message)


def invalid_fields(errors: list[FieldError]) -> Invalid:
    return Invalid([FieldProblem(error.field, error.message) for error in errors])


def conflict(detail: str) -> Conflict:
    return Conflict(detail)


#: How each domain error is answered over HTTP.
DOMAIN_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Invalid: 422,
}


def domain_status(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in DOMAIN_STATUS:
            return DOMAIN_STATUS[kind]
    return 400


def problem_response(
    request: Request,
    status: int,
    detail: str | None,
    *,
    errors: list[FieldError] | None = None,
    type_: str = "about:blank",
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = Problem(
        type=type_,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


_NAMED_MESSAGE = re.compile(r"^([a-z_][a-z0-9_]*): (.+)$", re.DOTALL)


def _field_error(error: dict[str, Any]) -> FieldError:
    """A pydantic error as ``{field, message}``.

    pydantic's messages describe the rule ("Input should be ...") without the value;
    our own model validators write ``"<field>: <message>"``, which names the field
    below the model's location.
    """
    location = [str(part) for part in error.get("loc", ())]
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    named = _NAMED_MESSAGE.match(message)
    if named is not None:
        location.append(named.group(1))
        message = named.group(2)
    return FieldError(field=".".join(location), message=message)


async def _on_api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(
        request, exc.status, exc.detail, errors=exc.errors, type_=exc.type, headers=exc.headers
    )


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    errors = None
    if isinstance(exc, Invalid):
        errors = [FieldError(field=p.field, message=p.message) for p in exc.problems]
    return problem_response(request, domain_status(exc), exc.detail, errors=errors)


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(request, exc.status_code, detail, headers=exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(error) for error in exc.errors()]
    count = len(errors)
    detail = f"{count} field{'s' if count != 1 else ''} invalid"
    return problem_response(request, 422, detail, errors=errors)


async def _on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # The driver's message contains the offending values: never log or return it.
    log.info("integrity conflict on %s %s", request.method, _route_template(request))
    return problem_response(
        request, 409, "the change conflicts with existing data (a duplicate or a missing reference)"
    )


async def _on_out_of_range(request: Request, exc: Exception) -> JSONResponse:
    # Schemas bound every number; this catches whatever still does not fit a column.
    log.info("value out of range on %s %s", request.method, _route_template(request))
    return problem_response(request, 422, "a value is out of range for the database")


async def _on_operational_error(request: Request, exc: Exception) -> JSONResponse:
    log.warning(
        "database unavailable or busy on %s %s: %s",
        request.method,
        _route_template(request),
        type(exc).__name__,
    )
    return problem_response(request, 503, "the database is busy; retry shortly")


def log_unexpected(exc: BaseException, method: str, route: str) -> None:
    """Log where an unexpected error happened (file and line), never its message,
    which may contain personal values."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = "; ".join(f"{frame.filename}:{frame.lineno}" for frame in frames[-5:])
    log.error("unexpected %s on %s %s at %s", type(exc).__name__, method, route, where)


def _route_template(request: Request) -> str:
    return route_template(request.scope)


FIXED_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})


def route_template(scope: Any) -> str:
    """The request path with its path parameters put back as ``{name}``.

    ``/v1/cases/42/match`` → ``/v1/cases/{case_id}/match``: ids are harmless, but the
    template keeps log lines uniform and never carries anything a client typed.
    """
    if scope.get("route") is None:
        path = str(scope.get("path", ""))
        # The docs pages are fixed paths; anything else unmatched is whatever the client
        # typed, which stays out of the log.
        return path if path in FIXED_PATHS else "(no matching route)"
    path = str(scope.get("path", ""))
    params = {str(value): name for name, value in (scope.get("path_params") or {}).items()}
    if not params:
        return path
    parts = []
    for segment in path.split("/"):
        head, dot, tail = segment.partition(".")
        if segment in params:
            parts.append("{" + params[segment] + "}")
        elif dot and head in params:
            parts.append("{" + params[head] + "}." + tail)
        else:
            parts.append(segment)
    return "/".join(parts)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiProblem, _on_api_problem)
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(OperationalError, _on_operational_error)
    app.add_exception_handler(DataError, _on_out_of_range)
    app.add_exception_handler(OverflowError, _on_out_of_range)
    # Any other exception is answered by `api.middleware.RequestLogMiddleware`.


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


#: OpenAPI responses shared by every authenticated route.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": HTTPStatus(status).phrase,
        "content": _problem_content(),
    }
    for status in (400, 401, 403, 404, 409, 422)
}
