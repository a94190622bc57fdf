"""A bounded schemathesis run over the whole OpenAPI document: no 500, no response that
breaks the documented schema, status codes, headers or content types.

One test per operation and generation mode (valid and invalid input), on one database
with the tiny world for the module; three deterministic (``derandomize``) examples per
test plus the documented examples: it guards the problem-document contract, it is not
a load test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from api.auth import create_key
from api.config import ApiSettings
from api.main import create_app
from data.db import make_engine
from data.migrate import upgrade
from data.ops_models import Role
from tests.api.world import build_world

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
        build_world(session)
        _, key = create_key(session, Role.ADMIN, label="fuzz")
        session.commit()
    yield _schema(create_app(SETTINGS, engine)), key
    engine.dispose()


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
