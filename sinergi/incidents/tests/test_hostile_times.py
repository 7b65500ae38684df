"""Event times that once reached a 500: a time without a zone in the API (compared with an aware
'now'), and a year-1 time in a zone east of UTC (overflowing when converted for storage)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sinergi.incidents.models import Report

BODY = {"category": "politik-uang", "area_code": "6402062001001", "description": "Pembagian amplop di dekat TPS"}
PUBLIC = {
    "category": "politik-uang",
    "area_code": "6402062001",
    "description": "Pembagian amplop di dekat TPS",
    "reporter_contact": "0812 0000 1111",
}


@pytest.mark.django_db
def test_api_time_without_zone_is_the_places_wall_clock(personas, bearer, client):
    headers = bearer(personas.field_officer)
    body = {**BODY, "occurred_at": "2024-11-27T10:00:00", "client_id": "naive-1"}
    first = client.post("/api/v1/incidents", body, content_type="application/json", headers=headers)
    assert first.status_code == 201, first.content
    stored = Report.objects.get()
    assert stored.occurred_at == datetime(2024, 11, 27, 10, tzinfo=ZoneInfo("Asia/Makassar"))  # Kukar is WITA
    retry = client.post("/api/v1/incidents", body, content_type="application/json", headers=headers)
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["0001-01-01T00:01:00+07:00", "9999-12-31T23:59:00-07:00", "1900-01-01T00:00:00"])
def test_api_implausible_years_are_a_422_naming_the_field(personas, bearer, client, when):
    response = client.post(
        "/api/v1/incidents",
        {**BODY, "occurred_at": when},
        content_type="application/json",
        headers=bearer(personas.field_officer),
    )
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["occurred_at"]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_public_form_year_one_is_a_form_error_not_a_500(world, client):
    response = client.post("/laporan/publik/", {**PUBLIC, "occurred_at": "0001-01-01T00:01"})
    assert response.status_code == 200
    assert "occurred_at" in response.context["form"].errors
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_public_form_undotted_code_uses_the_places_zone(world, client):
    response = client.post("/laporan/publik/", {**PUBLIC, "occurred_at": "2024-11-27T10:00"})
    assert response.status_code == 302
    assert Report.objects.get().occurred_at == datetime(2024, 11, 27, 10, tzinfo=ZoneInfo("Asia/Makassar"))
