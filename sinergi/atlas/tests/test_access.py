"""The outsider tries every URL of the foundation; read-only roles are refused writes."""

import pytest

from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from testkit.builders import user_make

KUKAR_PAGES = [
    "/wilayah/64.02/",
    "/wilayah/64.02/tps/",
    "/wilayah/64.02.06.1001/",
    "/wilayah/tps/64.02.06.1001.001/",
    "/wilayah/tps/64.02.06.1001.001/ubah/",
]
KUKAR_API = [
    "/api/v1/areas/64.02",
    "/api/v1/areas/64.02/children",
    "/api/v1/areas/64.02/polling-stations",
    "/api/v1/areas/64.02/boundaries",
    "/api/v1/polling-stations/64.02.06.1001.001",
    "/api/v1/polling-stations/64.02.06.1001.001/history",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", KUKAR_PAGES + KUKAR_API)
def test_outsider_gets_404_everywhere_in_kukar(personas, url):
    assert client_for(personas.outsider).get(url).status_code == 404


@pytest.mark.django_db
def test_outsider_cannot_patch_a_kukar_tps(personas):
    response = client_for(personas.outsider).patch(
        "/api/v1/polling-stations/64.02.06.1001.001", {"dpt_male": 10}, content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_outsider_sees_their_own_area(personas):
    assert client_for(personas.outsider).get("/wilayah/64.72/").status_code == 200
    assert client_for(personas.outsider).get("/api/v1/areas/64.72.01.1001").status_code == 200


@pytest.mark.django_db
def test_field_officer_sees_only_their_kecamatan(personas):
    client = client_for(personas.field_officer)
    assert client.get("/wilayah/64.02.06/").status_code == 200
    assert client.get("/wilayah/64.02/").status_code == 404
    assert client.get("/wilayah/64.02.05/").status_code == 404
    assert client.get("/api/v1/polling-stations/64.02.05.2001.001").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "field_officer"])
def test_read_only_roles_get_403_on_tps_writes(personas, persona):
    client = client_for(getattr(personas, persona))
    response = client.patch(
        "/api/v1/polling-stations/64.02.06.1001.001", {"dpt_male": 10}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.get("/wilayah/tps/64.02.06.1001.001/ubah/").status_code == 403


@pytest.mark.django_db
def test_kpu_operator_corrects_a_tps_and_readers_see_the_history(personas):
    operator = user_make("operator", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    response = client_for(operator).patch(
        "/api/v1/polling-stations/64.02.06.1001.001",
        {"dpt_male": 160, "address": "SDN 001"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["dpt_total"] == 300
    history = client_for(personas.field_officer).get("/api/v1/polling-stations/64.02.06.1001.001/history").json()
    assert history[0]["changes"]["dpt_male"] == [150, 160]
    assert history[0]["actor"] == "operator"
    assert client_for(personas.coordinator).get("/api/v1/areas/64.02").json()["dpt_total"] == 9 * 290 + 10


@pytest.mark.django_db
def test_tps_correction_is_validated_and_names_the_field(personas):
    operator = user_make("operator", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    response = client_for(operator).patch(
        "/api/v1/polling-stations/64.02.06.1001.001", {"dpt_male": 500}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "dpt_male"
    assert "600" in response.json()["detail"]


@pytest.mark.django_db
def test_admin_site_is_for_the_national_admin_only(personas):
    assert client_for(personas.coordinator).get("/admin/").status_code == 302
    assert client_for(personas.national_admin).get("/admin/").status_code == 200
