import pytest

from sinergi.turnout.models import Report
from sinergi.turnout.tests.conftest import TPS

pytestmark = pytest.mark.django_db
URL = "/api/v1/turnout/reports"


def post(client, headers, body):
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_single_report_then_idempotent_retry(client, election, operator, bearer):
    headers = bearer(operator)
    body = {"tps_code": TPS, "checkpoint": "09", "voters": 80, "client_id": "hp-1"}
    first = post(client, headers, body)
    assert first.status_code == 201, first.content
    assert first.json()["stored"] == 1
    again = post(client, headers, body)
    assert again.status_code == 200 and again.json()["duplicates"] == 1
    assert Report.objects.count() == 1


def test_batch(client, election, operator, bearer):
    reports = [{"tps_code": f"64.02.06.2001.00{i}", "checkpoint": "11", "voters": 100 + i} for i in (1, 2, 3)]
    response = post(client, bearer(operator), {"election": "pilbup-kukar-2024", "reports": reports})
    assert response.status_code == 201
    assert [r["version"] for r in response.json()["results"]] == [1, 1, 1]


def test_bad_batch_names_every_bad_item_and_stores_nothing(client, election, operator, bearer):
    reports = [
        {"tps_code": TPS, "checkpoint": "09", "voters": -5},
        {"tps_code": TPS, "checkpoint": "25", "voters": 5},
    ]
    response = post(client, bearer(operator), {"reports": reports})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"reports[0].voters", "reports[1].checkpoint"}
    assert Report.objects.count() == 0


def test_read_only_role_gets_403_on_write(client, election, personas, bearer):
    response = post(client, bearer(personas.coordinator), {"tps_code": TPS, "checkpoint": "09", "voters": 1})
    assert response.status_code == 403


def test_area_endpoint_fields(client, election, operator, bearer):
    post(client, bearer(operator), {"tps_code": TPS, "checkpoint": "11", "voters": 145})
    response = client.get("/api/v1/turnout/areas/64.02?checkpoint=11", headers=bearer(operator))
    assert response.status_code == 200
    data = response.json()
    assert data["expected_tps"] == 9 and data["reported_tps"] == 1 and data["missing_tps"] == 8
    assert data["voters"] == 145 and data["dpt_reported"] == 290 and data["turnout_pct"] == 50.0
    assert data["target_pct"] == 79.5 and data["kpu_target_pct"] == 82.0
    assert data["projected_low_pct"] <= data["projected_pct"] <= data["projected_high_pct"]


def test_unknown_checkpoint_is_404(client, election, operator, bearer):
    assert client.get("/api/v1/turnout/areas/64.02?checkpoint=99", headers=bearer(operator)).status_code == 404


def test_children_and_missing_endpoints(client, election, operator, bearer):
    headers = bearer(operator)
    children = client.get("/api/v1/turnout/areas/64.02/children?checkpoint=09", headers=headers).json()
    assert [c["code"] for c in children] == ["64.02.05", "64.02.06"]
    missing = client.get("/api/v1/turnout/areas/64.02.05/missing?checkpoint=09", headers=headers).json()
    assert len(missing["items"]) == 3


def test_national_admin_sees_the_regional_election_from_the_top(client, election, operator, personas, bearer):
    post(client, bearer(operator), {"tps_code": TPS, "checkpoint": "11", "voters": 145})
    response = client.get("/api/v1/turnout/areas/ID?checkpoint=11", headers=bearer(personas.national_admin))
    data = response.json()
    assert response.status_code == 200, data
    assert data["election"] == "pilbup-kukar-2024" and data["expected_tps"] == 9 and data["voters"] == 145


def test_an_over_long_client_id_is_a_422_on_the_field(election, operator, bearer, client):
    body = {"tps_code": TPS, "checkpoint": "09", "voters": 80, "client_id": "c" * 81}
    response = client.post("/api/v1/turnout/reports", body, content_type="application/json", headers=bearer(operator))
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["reports[0].client_id"]
    assert not Report.objects.exists()


def test_an_empty_batch_is_a_422_not_a_500(election, operator, bearer, client):
    response = client.post(
        "/api/v1/turnout/reports", {"reports": []}, content_type="application/json", headers=bearer(operator)
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "reports"
