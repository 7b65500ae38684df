import pytest

from sinergi.conftest import client_for


@pytest.mark.django_db
def test_area_detail_returns_subtree_counts(personas):
    response = client_for(personas.coordinator).get("/api/v1/areas/64.02")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "64.02"
    assert body["parent_code"] == "64"
    assert body["children_count"] == 2
    assert body["tps_count"] == 9
    assert body["dpt_total"] == 9 * 290
    assert body["time_zone"] == "Asia/Makassar"


@pytest.mark.django_db
def test_outsider_gets_404_json(personas):
    response = client_for(personas.outsider).get("/api/v1/areas/64.02")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_bearer_token_authenticates(personas, bearer, client):
    response = client.get("/api/v1/areas/64.02.06", headers=bearer(personas.field_officer))
    assert response.status_code == 200
    assert response.json()["tps_count"] == 6


@pytest.mark.django_db
def test_anonymous_gets_401_json(world, client):
    response = client.get("/api/v1/areas/64.02")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
