"""The docs pages load their JavaScript, CSS and icon from famplan itself: the app works
air-gapped, and no third party learns who reads the docs (they came from a CDN)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.config import ApiSettings
from api.main import create_app
from data.db import make_engine

#: Any absolute URL or protocol-relative reference in a page.
EXTERNAL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}""")
REFERENCE = re.compile(r"""(?:src|href|url)\s*[=:(]\s*['"]?([^'"\s)>]+)""")


@pytest.fixture(scope="module")
def docs_client() -> TestClient:
    return TestClient(create_app(ApiSettings(run_worker=False), make_engine("sqlite://")))


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_docs_pages_name_no_external_host(docs_client: TestClient, page: str) -> None:
    response = docs_client.get(page)
    assert response.status_code == 200
    html = response.text
    assert EXTERNAL.findall(html) == []
    for reference in REFERENCE.findall(html):
        if reference.startswith("/"):  # each file the page loads is served here
            assert docs_client.get(reference).status_code == 200, reference


def test_the_docs_assets_are_served(docs_client: TestClient) -> None:
    script = docs_client.get("/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text
    assert "javascript" in script.headers["content-type"]
    assert docs_client.get("/docs-assets/swagger-ui.css").status_code == 200
    assert docs_client.get("/docs-assets/redoc.standalone.js").status_code == 200
    html = docs_client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in html and "/openapi.json" in html
