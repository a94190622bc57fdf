"""A page's errors are pages: a bad id in the address, an unknown page or a service's
refusal answers HTML in the page's language (never JSON, never a 500); the API's paths
keep their problem documents. And the services' messages are translated on Danish pages."""

from __future__ import annotations

import gettext

from fastapi.testclient import TestClient

from api.web.service_texts import service_text
from api.web.templating import translations
from tests.web.conftest import People, log_in


def test_a_bad_id_in_a_page_address_is_an_html_page_in_danish(
    client: TestClient, people: People
) -> None:
    log_in(client, people.reception)
    answer = client.get("/cases/abc")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert 'lang="da"' in answer.text and "Adressen indeholder et ugyldigt case_id" in answer.text
    too_big = client.get("/cases/99999999999999999999/match")
    assert too_big.status_code == 422 and "ugyldigt case_id" in too_big.text


def test_a_missing_case_or_page_is_a_404_page_in_the_pages_language(
    client: TestClient, people: People
) -> None:
    log_in(client, people.reception)
    missing = client.get("/cases/999999")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "sag 999999 findes ikke" in missing.text
    english = client.get("/cases/999999?lang=en")
    assert english.status_code == 404 and "case 999999 does not exist" in english.text
    nowhere = client.get("/no-such-page?lang=da")
    assert nowhere.status_code == 404 and "Siden findes ikke." in nowhere.text


def test_a_team_leaders_bad_roster_id_is_a_page_too(client: TestClient, people: People) -> None:
    log_in(client, people.leader_a)
    for path in ("/rosters/abc", "/rosters/0", "/rosters/1/calendar/x.ics"):
        answer = client.get(path)
        assert answer.status_code == 422, path
        assert answer.headers["content-type"].startswith("text/html"), path
    missing = client.get("/rosters/999999")
    assert missing.status_code == 404 and "vagtplan 999999 findes ikke" in missing.text
    other = client.get(f"/rosters/{people.roster_b}")
    assert other.status_code == 403
    assert "vagtplanen hører til kontorer uden for dit område" in other.text


def test_the_api_keeps_its_problem_documents(client: TestClient) -> None:
    answer = client.get("/v1/cases/abc")
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert (
        client.get("/v1/no-such-thing")
        .headers["content-type"]
        .startswith("application/problem+json")
    )


def test_service_messages_are_translated_with_their_numbers() -> None:
    danish = translations("da")
    assert service_text(danish, "roster 12 does not exist") == "vagtplan 12 findes ikke"
    assert (
        service_text(danish, "roster 3 breaks 2 working-time rule(s); it cannot be published")
        == "vagtplan 3 bryder 2 arbejdstidsregel(er); den kan ikke offentliggøres"
    )
    # after a field path, and pydantic's words
    assert service_text(danish, "body.start: in the past") == "body.start: ligger i fortiden"
    assert service_text(danish, "Value error, Field required") == "Skal udfyldes"
    assert service_text(danish, "Input should be less than or equal to 600") == "Må højst være 600"
    # a message the catalogue does not know stays as it is, as does English
    assert service_text(danish, "something new 7") == "something new 7"
    english = gettext.NullTranslations()
    assert service_text(english, "roster 12 does not exist") == "roster 12 does not exist"
