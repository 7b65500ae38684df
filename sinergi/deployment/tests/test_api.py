"""POST /api/v1/deployment/plans returns the summary; GET returns per-unit detail."""

import pytest

from sinergi.conftest import client_for
from sinergi.deployment.models import Plan

pytestmark = pytest.mark.django_db


def test_create_returns_the_summary_and_get_the_detail(client, units, planner_users, bearer):
    headers = bearer(planner_users["polri"])
    response = client.post(
        "/api/v1/deployment/plans",
        {"area_code": "64.02", "title": "API", "options": {"radius_km": 2}, "client_id": "dev-1"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["method"] == "highs"
    assert body["totals"]["polri"]["demand"] == 6
    assert body["gap"] == pytest.approx(0, abs=1e-6)
    assert body["options"]["radius_km"] == 2
    again = client.post(
        "/api/v1/deployment/plans",
        {"area_code": "64.02", "title": "API", "options": {"radius_km": 2.0}, "client_id": "dev-1"},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 201 and again.json()["id"] == body["id"] and Plan.objects.count() == 1
    detail = client.get(f"/api/v1/deployment/plans/{body['id']}", headers=headers).json()
    assert detail["full_view"] is True
    polsek = next(u for u in detail["units"] if u["code"] == "polsek-tenggarong")
    assert set(polsek) >= {"supply", "demand", "assigned", "shortfall", "by_class"}
    assert polsek["by_class"]["kurang_rawan"]["demand"] == polsek["demand"]


def test_bad_input_is_refused_with_the_field_named(client, units, planner_users, bearer):
    headers = bearer(planner_users["polri"])
    response = client.post(
        "/api/v1/deployment/plans",
        {"area_code": "64.02", "options": {"time_limit": 0}},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["field"] == "options.time_limit"
    unknown = client.post(
        "/api/v1/deployment/plans", {"area_code": "99.99"}, content_type="application/json", headers=headers
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "area_code"


def test_read_only_role_gets_403_on_create(client, units, personas, bearer):
    response = client.post(
        "/api/v1/deployment/plans",
        {"area_code": "64.02"},
        content_type="application/json",
        headers=bearer(personas.coordinator),
    )
    assert response.status_code == 403


def test_a_reused_client_id_with_another_body_is_409_naming_both(client, units, planner_users, bearer):
    headers = bearer(planner_users["polri"])
    first = {"area_code": "64.02", "title": "Pertama", "options": {"radius_km": 2}, "client_id": "dev-2"}
    assert (
        client.post("/api/v1/deployment/plans", first, content_type="application/json", headers=headers).status_code
        == 201
    )
    other = {**first, "title": "Kedua", "options": {"radius_km": 5}}
    response = client.post("/api/v1/deployment/plans", other, content_type="application/json", headers=headers)
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "client_id_reused" and body["field"] == "client_id"
    assert body["stored"]["title"] == "Pertama" and body["stored"]["options"]["radius_km"] == 2
    assert body["sent"]["title"] == "Kedua" and body["sent"]["options"]["radius_km"] == 5
    assert "Pertama" in body["detail"] and "Kedua" in body["detail"]
    assert Plan.objects.count() == 1 and Plan.objects.get().title == "Pertama"
    # The page form says the same thing (a 409 page), and creates nothing either.
    page = client_for(planner_users["polri"]).post(
        "/pengamanan/rencana/baru/", {"area_code": "64.02", "title": "Ketiga", "client_id": "dev-2"}
    )
    assert page.status_code == 409 and Plan.objects.count() == 1
