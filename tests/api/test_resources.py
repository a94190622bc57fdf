"""CRUD, filters, pagination and validation of the resource routers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from data import geography
from tests.api.conftest import Keys
from tests.api.world import World

PROBLEM = "application/problem+json"
NAESTVED_CENTROID = next((m.lat, m.lon) for m in geography.municipalities() if m.code == 370)


def _case_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "reference": "NEW-1",
        "municipality_code": 370,
        "intervention_type": "family_treatment",
        "hours_per_week": 4,
        "visits_per_week": 1,
        "requested_start": "2026-03-03T10:00:00",
        "expected_end": "2026-12-01",
        "languages": [{"person_group": "parents", "tag": "TI"}],
    }
    body.update(overrides)
    return body


def _field_names(response_json: dict[str, Any]) -> list[str]:
    return [error["field"] for error in response_json.get("errors", [])]


def test_create_case_normalises_tag_and_defaults_location_to_the_municipality(
    client: TestClient, keys: Keys
) -> None:
    response = client.post("/v1/cases", json=_case_body(), headers=keys.headers("reception"))
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["languages"] == [{"person_group": "parents", "tag": "ti"}]
    assert "lat" not in case and "lon" not in case  # reception never reads a location
    assert case["status"] == "requested"
    fetched = client.get(f"/v1/cases/{case['id']}", headers=keys.headers("team_leader_kbh"))
    assert fetched.json() == case
    as_admin = client.get(f"/v1/cases/{case['id']}", headers=keys.headers("admin")).json()
    assert (as_admin["lat"], as_admin["lon"]) == NAESTVED_CENTROID


def test_invalid_language_tag_is_a_422_naming_the_field(client: TestClient, keys: Keys) -> None:
    body = _case_body(languages=[{"person_group": "parents", "tag": "xx-??"}])
    response = client.post("/v1/cases", json=body, headers=keys.headers("reception"))
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert _field_names(response.json()) == ["body.languages.0.tag"]
    assert "xx-??" not in response.text  # the value is not echoed back


def test_unknown_municipality_is_a_422_naming_the_field(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/v1/cases", json=_case_body(municipality_code=999), headers=keys.headers("reception")
    )
    assert response.status_code == 422
    assert _field_names(response.json()) == ["body.municipality_code"]


def test_end_before_start_is_a_422_naming_the_end(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/v1/cases", json=_case_body(expected_end="2026-01-01"), headers=keys.headers("reception")
    )
    assert response.status_code == 422
    assert _field_names(response.json()) == ["body.expected_end"]


def test_cpr_like_reference_is_refused(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/v1/cases", json=_case_body(reference="010203-1234"), headers=keys.headers("reception")
    )
    assert response.status_code == 422
    assert _field_names(response.json()) == ["body.reference"]


def test_duplicate_reference_is_a_409(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/v1/cases", json=_case_body(reference="TEST-K1"), headers=keys.headers("reception")
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM
    assert "TEST-K1" not in response.text


def test_unknown_case_is_a_404_problem(client: TestClient, keys: Keys) -> None:
    response = client.get("/v1/cases/987654", headers=keys.headers("reception"))
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert response.json()["instance"] == "/v1/cases/987654"


def test_malformed_json_is_a_422_problem(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/v1/cases",
        content=b"{not json",
        headers={**keys.headers("reception"), "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_case_filters_by_language_region_and_status(
    client: TestClient, keys: Keys, world: World
) -> None:
    headers = keys.headers("reception")

    def ids(**params: str | int | float | bool | None) -> list[int]:
        response = client.get("/v1/cases", params=params, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["count"] == len(response.json()["data"])
        return [case["id"] for case in response.json()["data"]]

    assert ids(language="ar") == [world.cases["k1"]]  # bare language matches ar-IQ
    assert ids(language="ar-SY") == []
    assert ids(region="DK-85") == [world.cases["k2"]]
    assert ids(status="active") == [world.cases["k2"]]
    assert sorted(ids()) == sorted(world.cases.values())
    bad = client.get("/v1/cases", params={"language": "!!"}, headers=headers)
    assert bad.status_code == 422 and _field_names(bad.json()) == ["query.language"]


def test_pagination_is_bounded_and_counts_all_rows(client: TestClient, keys: Keys) -> None:
    headers = keys.headers("reception")
    page = client.get("/v1/consultants", params={"skip": 1, "limit": 2}, headers=headers).json()
    assert page["count"] == 4 and len(page["data"]) == 2
    too_many = client.get("/v1/consultants", params={"limit": 10_000}, headers=headers)
    assert too_many.status_code == 422 and _field_names(too_many.json()) == ["query.limit"]


def test_consultant_filters(client: TestClient, keys: Keys, world: World) -> None:
    headers = keys.headers("reception")

    def ids(**params: str | int | float | bool | None) -> set[int]:
        return {
            c["id"]
            for c in client.get("/v1/consultants", params=params, headers=headers).json()["data"]
        }

    c = world.consultants
    assert ids(language="da") == {c["c1"], c["c3"]}
    assert ids(office_id=world.office_naestved) == {c["c3"], c["c4"]}
    assert ids(region="DK-84") == {c["c1"], c["c2"]}  # homes in København, Frederiksberg
    assert ids(active_on="2019-12-31") == set()


def test_admin_creates_and_updates_a_consultant(
    client: TestClient, keys: Keys, world: World
) -> None:
    headers = keys.headers("admin")
    body = {
        "employee_ref": "T-100",
        "display_name": "Testperson T-100",
        "office_id": world.office_kbh,
        "home_municipality_code": 147,
        "home_lat": 55.68,
        "home_lon": 12.53,
        "gender": "male",
        "contracted_hours_per_week": 30,
        "max_cases": 4,
        "active_from": "2026-01-01",
        "languages": [{"tag": "fa", "level": "native"}, {"tag": "prs", "level": "fluent"}],
    }
    created = client.post("/v1/consultants", json=body, headers=headers)
    assert created.status_code == 201, created.text
    consultant_id = created.json()["id"]
    patched = client.patch(
        f"/v1/consultants/{consultant_id}",
        json={"max_cases": 5, "languages": [{"tag": "fa", "level": "native"}]},
        headers=headers,
    )
    assert patched.status_code == 200
    assert patched.json()["max_cases"] == 5
    assert patched.json()["languages"] == [{"tag": "fa", "level": "native"}]
    bad_dates = client.patch(
        f"/v1/consultants/{consultant_id}", json={"active_to": "2025-01-01"}, headers=headers
    )
    assert bad_dates.status_code == 422 and _field_names(bad_dates.json()) == ["body.active_to"]
    unknown_office = client.patch(
        f"/v1/consultants/{consultant_id}", json={"office_id": 999}, headers=headers
    )
    assert unknown_office.status_code == 422
    assert _field_names(unknown_office.json()) == ["body.office_id"]


def test_team_leader_registers_absence_only_in_own_office(
    client: TestClient, keys: Keys, world: World
) -> None:
    body = {"start": "2026-03-05", "end": "2026-03-06", "reason": "sick"}
    c3 = world.consultants["c3"]  # Næstved
    own = client.post(
        f"/v1/consultants/{c3}/absences", json=body, headers=keys.headers("team_leader_naestved")
    )
    assert own.status_code == 201
    other = client.post(
        f"/v1/consultants/{c3}/absences", json=body, headers=keys.headers("team_leader_kbh")
    )
    assert other.status_code == 403
    reversed_range = {"start": "2026-03-06", "end": "2026-03-05", "reason": "sick"}
    bad = client.post(
        f"/v1/consultants/{c3}/absences", json=reversed_range, headers=keys.headers("admin")
    )
    assert bad.status_code == 422 and _field_names(bad.json()) == ["body.end"]
    listed = client.get(f"/v1/consultants/{c3}/absences", headers=keys.headers("reception")).json()
    assert listed["count"] == 1 and listed["data"][0]["start"] == "2026-03-05"
    absence_id = own.json()["id"]
    deleted = client.delete(
        f"/v1/consultants/{c3}/absences/{absence_id}", headers=keys.headers("team_leader_naestved")
    )
    assert deleted.status_code == 204


def test_assignment_update_uses_optimistic_locking(
    client: TestClient, keys: Keys, world: World
) -> None:
    headers = keys.headers("team_leader_naestved")
    url = f"/v1/assignments/{world.assignment_k2}"
    first = client.patch(url, json={"version": 0, "locked": True}, headers=headers)
    assert first.status_code == 200 and first.json()["version"] == 1 and first.json()["locked"]
    stale = client.patch(url, json={"version": 0, "locked": False}, headers=headers)
    assert stale.status_code == 409
    ending = client.patch(url, json={"version": 1, "status": "ended"}, headers=headers)
    assert ending.status_code == 422 and _field_names(ending.json()) == ["body.end"]
    outside = client.patch(
        url, json={"version": 1, "locked": False}, headers=keys.headers("team_leader_kbh")
    )
    assert outside.status_code == 403


def test_case_update_with_stale_version_is_a_409(
    client: TestClient, keys: Keys, world: World
) -> None:
    url = f"/v1/cases/{world.cases['k1']}"
    headers = keys.headers("reception")
    ok = client.patch(url, json={"priority": 1, "version": 0}, headers=headers)
    assert ok.status_code == 200 and ok.json()["version"] == 1
    stale = client.patch(url, json={"priority": 3, "version": 0}, headers=headers)
    assert stale.status_code == 409
    assert client.get(url, headers=headers).json()["priority"] == 1


def test_reference_data_routes(client: TestClient, keys: Keys) -> None:
    headers = keys.headers("reception")
    capital = client.get(
        "/v1/municipalities", params={"region": "DK-84", "limit": 200}, headers=headers
    )
    assert capital.json()["count"] == 29  # Hovedstaden has 29 municipalities
    assert client.get("/v1/municipalities", headers=headers).json()["count"] == 98
    assert client.get("/v1/municipalities/370", headers=headers).json()["name"] == "Næstved"
    assert client.get("/v1/municipalities/998", headers=headers).status_code == 404
    assert client.get("/v1/regions", headers=headers).json()["count"] == 5
    offices = client.get("/v1/offices", params={"region": "DK-85"}, headers=headers).json()
    assert sorted(o["name"] for o in offices["data"]) == ["København", "Næstved"]


def test_health_needs_no_key(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "database": "ok"}


def test_kpis_show_supply_demand_and_utilisation(client: TestClient, keys: Keys) -> None:
    response = client.get(
        "/v1/kpis", params={"as_of": "2026-03-02"}, headers=keys.headers("reception")
    )
    assert response.status_code == 200, response.text
    kpis = response.json()
    assert kpis["cases"] == {"requested": 1, "active": 1}
    naestved = next(o for o in kpis["offices"] if o["office"] == "Næstved")
    # c3 and c4 (37 h each) work in Næstved; c3 has k2's 5 h ordered, but on 2 March k2
    # (family treatment since 5 January, week 8) is in its regular phase: 60 %, 3 h.
    assert naestved["consultants"] == 2 and naestved["assigned_hours"] == 3.0
    assert naestved["utilisation"] == round(3 / 74, 3)
    tigrinya = [row for row in kpis["supply_demand"] if row["language"] == "ti"]
    assert sum(row["running_cases"] for row in tigrinya) == 1


def test_more_hours_than_the_contract_allows_is_a_409(
    client: TestClient, keys: Keys, world: World
) -> None:
    url = f"/v1/assignments/{world.assignment_k2}"
    headers = keys.headers("team_leader_naestved")
    # c3 works 37 h: 31.45 family hours after the 15 % reserve. Stored hours are the
    # course's first-phase (ordered) hours; on 2 March k2 (family treatment since
    # 5 January, week 8) is in its regular phase, 60 %: 52 ordered hours take 31.2 h and
    # fit, 53 take 31.8 h, too many.
    too_many = client.patch(url, json={"version": 0, "hours_per_week": 53}, headers=headers)
    assert too_many.status_code == 409
    assert "31.8 h/week of the 31.4 family hours" in too_many.json()["detail"]
    assert client.get(url, headers=headers).json()["hours_per_week"] == 5
    fits = client.patch(url, json={"version": 0, "hours_per_week": 52}, headers=headers)
    assert fits.status_code == 200 and fits.json()["hours_per_week"] == 52


def _create_and_list_languages(
    client: TestClient, path: str, bodies: list[dict[str, Any]], headers: dict[str, str]
) -> dict[int, list[dict[str, Any]]]:
    """POST each body to `path`, then check that the list route gives every new row its
    own languages in the order sent. Returns id -> languages sent."""
    created: dict[int, list[dict[str, Any]]] = {}
    for body in bodies:
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.text
        created[response.json()["id"]] = body["languages"]
    listed = client.get(path, params={"limit": 100}, headers=headers).json()["data"]
    assert {row["id"]: row["languages"] for row in listed if row["id"] in created} == created
    return created


def test_list_and_detail_routes_return_each_owners_languages_in_the_order_given(
    client: TestClient, keys: Keys, world: World
) -> None:
    # one query loads the languages of a whole page; each row must still get its own,
    # in the order they were sent (not sorted by tag)
    reception, admin = keys.headers("reception"), keys.headers("admin")
    case_languages = {
        "ORD-1": [{"person_group": "parents", "tag": "uk"}, {"person_group": "child", "tag": "da"}],
        "ORD-2": [{"person_group": "child", "tag": "ti"}, {"person_group": "parents", "tag": "ar"}],
    }
    case_ids = _create_and_list_languages(
        client,
        "/v1/cases",
        [_case_body(reference=ref, languages=langs) for ref, langs in case_languages.items()],
        reception,
    )
    for case_id, languages in case_ids.items():
        own = client.get(f"/v1/cases/{case_id}/languages", headers=reception).json()
        assert own == {"data": languages, "count": len(languages)}

    skills = {
        "ORD-C1": [{"tag": "prs", "level": "fluent"}, {"tag": "fa", "level": "native"}],
        "ORD-C2": [{"tag": "so", "level": "native"}, {"tag": "da", "level": "working"}],
    }
    bodies = [
        {
            "employee_ref": reference,
            "display_name": f"Testperson {reference}",
            "office_id": world.office_kbh,
            "home_municipality_code": 147,
            "home_lat": 55.68,
            "home_lon": 12.53,
            "gender": "female",
            "contracted_hours_per_week": 30,
            "max_cases": 4,
            "active_from": "2026-01-01",
            "languages": languages,
        }
        for reference, languages in skills.items()
    ]
    consultant_ids = _create_and_list_languages(client, "/v1/consultants", bodies, admin)
    for consultant_id, languages in consultant_ids.items():
        fetched = client.get(f"/v1/consultants/{consultant_id}", headers=admin).json()
        assert fetched["languages"] == languages
