"""A bounded schemathesis run over the whole OpenAPI document: no 500, no response that
breaks the documented schema, status codes, headers or content types.

One test per operation and generation mode (valid and invalid input), on one database
per backend with the tiny world for the module; three deterministic (``derandomize``)
examples per test plus the documented examples: it guards the problem-document
contract, it is not a load test. Dates are drawn with the edges of the calendar and of
the planning range first (0001-01-01, 9999-12-31, 1999-12-31, 2101-01-01 …).

Then an edge sweep: every integer and date field of every body and query, one at a
time, with the values that once got through (2^31, 2^63, 2^64, negative ones, the first
and last days of Python's calendar): never a 5xx, and an out-of-range value is a 422
naming its field. Last, every job the run had accepted is run with the real solvers:
none may fail with an internal error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session, select

from api.auth import create_key
from api.config import ApiSettings
from api.jobs.runners import default_runners
from api.jobs.worker import claim, context_of, execute, new_worker_id
from api.main import create_app
from api.schemas.common import MAX_DATE, MIN_DATE
from data.db import make_engine
from data.migrate import upgrade
from data.models import Case
from data.ops_models import Job, JobStatus, Role
from tests.api.dognindsats import add_dognindsats, add_pool
from tests.api.world import build_world

#: Dates at the edges of Python's calendar and of the planning range.
EDGE_DATES = [
    dt.date(9999, 12, 31),
    dt.date(1, 1, 1),
    MIN_DATE - dt.timedelta(days=1),
    MAX_DATE + dt.timedelta(days=1),
    MIN_DATE,
    MAX_DATE,
]
#: Integers that overflow a 32- or 64-bit column, or are negative.
EDGE_INTEGERS = [2**31, 2**63, 2**64, -1, -(2**63) - 1]
_dates = st.one_of(st.sampled_from(EDGE_DATES), st.dates())
schemathesis.openapi.format("date", _dates.map(dt.date.isoformat))
schemathesis.openapi.format(
    "date-time",
    st.tuples(_dates, st.sampled_from(["T00:00:00", "T23:59:59+01:00", "T12:00:00Z"])).map(
        lambda parts: parts[0].isoformat() + parts[1]
    ),
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SETTINGS = ApiSettings(run_worker=False)


def _schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _has_input(operation: Any) -> bool:
    parts = (operation.path_parameters, operation.query, operation.headers, operation.cookies)
    return any(len(part) for part in parts) or bool(len(operation.body))


def _cases() -> list[tuple[str, GenerationMode]]:
    """(operation label, mode); invalid input only where an operation takes input."""
    schema = _schema(create_app(SETTINGS, make_engine("sqlite://")))
    cases = []
    for result in schema.get_all_operations():
        operation = result.ok()
        cases.append((operation.label, GenerationMode.POSITIVE))
        if _has_input(operation):
            cases.append((operation.label, GenerationMode.NEGATIVE))
    return cases


@pytest.fixture(scope="module")
def fuzz_target(new_database: Callable[[str], str]) -> Iterator[tuple[Any, str]]:
    """The schema of an app on a database of its own, and an admin key."""
    engine = make_engine(upgrade(new_database("fuzz")))
    with Session(engine) as session:
        world = build_world(session)
        _add_dognindsats(session, world.office_naestved)
        _, key = create_key(session, Role.ADMIN, label="fuzz")
        session.commit()
    yield _schema(create_app(SETTINGS, engine)), key
    engine.dispose()


def _add_dognindsats(session: Session, office_id: int) -> None:
    """A døgnindsats and a small pool, so that roster requests can be accepted."""
    add_pool(session, office_id, 4, active_from=dt.date(2000, 1, 1))
    add_dognindsats(session, "FZ-DOGN", dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))


@pytest.mark.slow
@pytest.mark.parametrize(("label", "mode"), _cases(), ids=lambda v: str(v))
def test_operation_keeps_its_contract(
    label: str, mode: GenerationMode, fuzz_target: tuple[Any, str]
) -> None:
    schema, key = fuzz_target
    operation = schema.find_operation_by_label(label)
    assert operation is not None
    headers = {"X-API-Key": key}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=3,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


# ------------------------------------------------------------------ the edge sweep


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _kinds(document: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    """ "integer", "date", "date-time" for a (possibly nullable) property schema."""
    schema = _resolve(document, schema)
    kinds: set[str] = set()
    for option in schema.get("anyOf", [schema]):
        option = _resolve(document, option)
        if option.get("type") == "integer":
            kinds.add("integer")
        if option.get("type") == "string" and option.get("format") in ("date", "date-time"):
            kinds.add(option["format"])
    return kinds


def _edge_requests(document: dict[str, Any]) -> list[tuple[str, str, str, str, Any]]:
    """(method, path, where, field, value): one edge value in one field of one
    operation; path parameters set to 1, the rest of a body from its documented example."""
    requests = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            concrete = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    concrete = concrete.replace("{" + parameter["name"] + "}", "1")
            fields: list[tuple[str, str, set[str]]] = [
                ("query", parameter["name"], _kinds(document, parameter["schema"]))
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "query"
            ]
            content = operation.get("requestBody", {}).get("content", {})
            body_schema = content.get("application/json", {}).get("schema")
            if body_schema is not None:
                resolved = _resolve(document, body_schema)
                fields += [
                    ("body", name, _kinds(document, schema))
                    for name, schema in resolved.get("properties", {}).items()
                ]
            for where, name, kinds in fields:
                values: list[Any] = []
                if "integer" in kinds:
                    values += EDGE_INTEGERS
                if "date" in kinds:
                    values += [day.isoformat() for day in EDGE_DATES[:4]]
                if "date-time" in kinds:
                    values += [f"{day.isoformat()}T00:00:00" for day in EDGE_DATES[:4]]
                requests += [(method, concrete, where, name, value) for value in values]
    return requests


def _example_body(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    template: dict[str, Any] = next(
        (
            operation
            for candidate, methods in document["paths"].items()
            for verb, operation in methods.items()
            if verb == method and _same_route(candidate, path)
        ),
        {},
    )
    content = template.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = _resolve(document, content.get("schema", {}))
    examples = schema.get("examples") or []
    return dict(examples[0]) if examples and isinstance(examples[0], dict) else {}


def _same_route(template: str, path: str) -> bool:
    parts, concrete = template.split("/"), path.split("/")
    return len(parts) == len(concrete) and all(
        a == b or a.startswith("{") for a, b in zip(parts, concrete, strict=True)
    )


@pytest.mark.slow
def test_edge_values_are_refused_by_name_never_with_a_5xx(fuzz_target: tuple[Any, str]) -> None:
    schema, key = fuzz_target
    app = schema.app
    document = app.openapi()
    requests = _edge_requests(document)
    assert len(requests) > 100  # every date and integer field of the API
    headers = {"X-API-Key": key}
    refused_without_a_name = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, path, where, name, value in requests:
            if where == "query":
                response = client.request(method, path, params={name: value}, headers=headers)
            else:
                body = {**_example_body(document, method, path), name: value}
                response = client.request(method, path, json=body, headers=headers)
            assert response.status_code < 500, (method, path, name, value, response.text)
            if response.status_code == 422:
                fields = [error["field"] for error in response.json().get("errors", [])]
                if not any(field.startswith(f"{where}.{name}") for field in fields):
                    refused_without_a_name.append((method, path, name, value, fields))
            elif response.status_code < 300:
                # accepted: only a value inside the documented range may be
                assert not (isinstance(value, int) and abs(value) >= 2**31), (path, name)
                assert not (isinstance(value, str) and value[:4] in ("0001", "9999")), (path, name)
    assert refused_without_a_name == []


@pytest.mark.slow
def test_no_accepted_request_fails_inside_its_job(fuzz_target: tuple[Any, str]) -> None:
    """Runs after the operations above: every job they got accepted, plus jobs at the
    edges of the planning range, run with the real solvers (time limits cut to 2 s)."""
    schema, key = fuzz_target
    app = schema.app
    engine = app.state.engine
    headers = {"X-API-Key": key}
    with Session(engine) as session:
        case_id = session.exec(select(Case.id).where(Case.reference == "FZ-DOGN")).one()
    with TestClient(app) as client:
        for day in (MIN_DATE, MAX_DATE):
            accepted = client.post(
                "/v1/optimizations",
                json={"as_of": day.isoformat(), "time_limit_seconds": 2},
                headers=headers,
            )
            assert accepted.status_code == 202, accepted.text
            roster = client.post(
                "/v1/rosters",
                json={"case_ids": [case_id], "start_date": day.isoformat(), "days": 7},
                headers=headers,
            )
            assert roster.status_code == 202, roster.text
    with Session(engine) as session:
        queued = session.exec(select(Job).where(Job.status == JobStatus.QUEUED)).all()
        for job in queued:
            job.params = {
                **job.params,
                "time_limit_seconds": min(2, job.params.get("time_limit_seconds", 2)),
            }
            session.add(job)
        session.commit()
        job_ids = [job.id for job in queued if job.id is not None]
    assert len(job_ids) >= 4
    runners = default_runners()
    worker_id = new_worker_id()
    failures = {}
    for job_id in job_ids:
        with Session(engine) as session:
            if not claim(session, job_id, worker_id):
                continue
            claimed = session.get(Job, job_id)
            assert claimed is not None
            context = context_of(engine, claimed)
            kind = claimed.kind
        status = execute(engine, runners[kind], context, worker_id, retry_base_seconds=0)
        with Session(engine) as session:
            done = session.get(Job, job_id)
            assert done is not None
            if status is JobStatus.FAILED and "internal error" in (done.error or ""):
                failures[job_id] = (kind.value, done.error, done.params)
    assert failures == {}
