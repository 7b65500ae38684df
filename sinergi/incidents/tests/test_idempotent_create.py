import pytest

from sinergi.incidents.models import Report
from sinergi.incidents.tests.factories import TENGGARONG_TPS, kapolsek

BODY = {
    "category": "politik-uang",
    "area_code": "6402062001001",  # KPU's undotted TPS code
    "description": "Pembagian amplop di dekat TPS pagi ini",
    "severity": 3,
    "client_id": "hp-7f3a-0001",
}


@pytest.mark.django_db
def test_retried_create_is_stored_once(personas, bearer, client):
    headers = bearer(personas.field_officer)
    first = client.post("/api/v1/incidents", BODY, content_type="application/json", headers=headers)
    retry = client.post("/api/v1/incidents", BODY, content_type="application/json", headers=headers)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    assert first.json()["tps_code"] == TENGGARONG_TPS and first.json()["channel"] == "api"
    assert Report.objects.count() == 1
    # Someone else reusing the id is a conflict, not a silent read of another person's report.
    other = client.post("/api/v1/incidents", BODY, content_type="application/json", headers=bearer(kapolsek()))
    assert other.status_code == 409 and other.json()["code"] == "client_id_taken"


@pytest.mark.django_db
def test_bad_input_names_the_field_and_stores_nothing(personas, bearer, client):
    headers = bearer(personas.field_officer)
    bad = {**BODY, "area_code": "64.02.06.9999", "severity": 7, "description": " ", "client_id": "x"}
    response = client.post("/api/v1/incidents", bad, content_type="application/json", headers=headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"area_code", "severity", "description"}
    swapped = {**BODY, "lat": 116.98, "lng": -0.42, "client_id": "y"}
    assert (
        "tertukar"
        in client.post("/api/v1/incidents", swapped, content_type="application/json", headers=headers).json()["detail"]
    )
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_field_officer_cannot_report_outside_their_area(personas, bearer, client):
    body = {**BODY, "area_code": "64.02.05.2001.001"}
    response = client.post(
        "/api/v1/incidents", body, content_type="application/json", headers=bearer(personas.field_officer)
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_create_query_count_is_pinned(personas, bearer, client, django_assert_num_queries):
    headers = bearer(personas.field_officer)
    client.post("/api/v1/incidents", {**BODY, "client_id": "warm-up"}, content_type="application/json", headers=headers)
    # token, client id, category, desa, TPS, memberships, savepoint, covering agency, tracking code,
    # insert, tally upsert (one for all four levels), event, agency users, notifications
    with django_assert_num_queries(14):
        response = client.post(
            "/api/v1/incidents", {**BODY, "client_id": "second"}, content_type="application/json", headers=headers
        )
    assert response.status_code == 201
    created = response.json()
    assert (created["tps_code"], created["category"], created["agency"]) == (
        TENGGARONG_TPS,
        "politik-uang",
        "panwascam-tenggarong",  # money politics goes to Bawaslu's panwascam
    )
    stored = Report.objects.get(pk=created["id"])
    assert (stored.client_id or "").endswith("second") and stored.description == BODY["description"]
    assert stored.events.count() == 1 and Report.objects.count() == 2


@pytest.mark.django_db
def test_a_reused_client_id_with_another_body_is_a_conflict_naming_both_bodies(personas, bearer, client):
    headers = bearer(personas.field_officer)
    first = client.post("/api/v1/incidents", BODY, content_type="application/json", headers=headers)
    changed = {**BODY, "description": "Amplop dibagikan lagi sore ini", "severity": 4}
    conflict = client.post("/api/v1/incidents", changed, content_type="application/json", headers=headers)
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["code"] == "client_id_reused"
    assert body["stored"]["description"] == BODY["description"] and body["stored"]["severity"] == 3
    assert body["sent"]["description"] == changed["description"] and body["sent"]["severity"] == 4
    assert BODY["description"] in body["detail"] and changed["description"] in body["detail"]
    # The same body again is the stored record, unchanged.
    same = client.post("/api/v1/incidents", BODY, content_type="application/json", headers=headers)
    assert same.status_code == 200 and same.json()["id"] == first.json()["id"]
    assert Report.objects.get().description == BODY["description"]


@pytest.mark.django_db
def test_a_retry_with_the_same_time_in_another_zone_is_the_same_body(personas, bearer, client):
    headers = bearer(personas.field_officer)
    body = {**BODY, "client_id": "tz-1", "occurred_at": "2024-11-27T08:00:00+08:00"}
    first = client.post("/api/v1/incidents", body, content_type="application/json", headers=headers)
    same = client.post(
        "/api/v1/incidents",
        {**body, "occurred_at": "2024-11-27T00:00:00Z"},
        content_type="application/json",
        headers=headers,
    )
    assert (first.status_code, same.status_code) == (201, 200)


@pytest.mark.django_db
def test_an_overlong_client_id_is_a_field_error_not_a_database_error(personas, bearer, client):
    body = {**BODY, "client_id": "x" * 100}
    response = client.post(
        "/api/v1/incidents", body, content_type="application/json", headers=bearer(personas.field_officer)
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "client_id"
