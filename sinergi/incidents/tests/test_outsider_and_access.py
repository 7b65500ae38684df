import pytest

from sinergi.conftest import client_for
from sinergi.incidents.tests.factories import observer, report_make, streamed


@pytest.mark.django_db
def test_outsider_gets_404_on_every_page_and_endpoint(personas, bearer, client):
    report = report_make(personas.field_officer)
    attachment_url = f"/laporan/{report.pk}/lampiran/1/"
    web = client_for(personas.outsider)
    for url in [
        f"/laporan/{report.pk}/",
        attachment_url,
        "/laporan/peta/?area=64.02",
        "/laporan/peta/data/?area=64.02",
        "/laporan/statistik/?area=64.02",
        "/laporan/?area=64.02",
        "/laporan/ekspor.csv?area=64.02",
        "/laporan/ekspor.xlsx?area=64.02",
    ]:
        assert web.get(url).status_code == 404, url
    for op in ["transition", "claim", "release", "note", "attach"]:
        assert (
            web.post(f"/laporan/{report.pk}/aksi/", {"op": op, "action": "verify", "note": "x"}).status_code == 404
        ), op
    headers = bearer(personas.outsider)
    api = f"/api/v1/incidents/{report.pk}"
    assert client.get(api, headers=headers).status_code == 404
    assert (
        client.post(
            f"{api}/transitions", {"action": "verify"}, content_type="application/json", headers=headers
        ).status_code
        == 404
    )
    assert client.post(f"{api}/claim", headers=headers).status_code == 404
    assert client.delete(f"{api}/claim", headers=headers).status_code == 404
    assert client.get("/api/v1/incidents?area=64.02", headers=headers).status_code == 404
    assert client.get("/api/v1/incidents", headers=headers).json()["items"] == []
    body = {"category": "lainnya", "area_code": "64.02.06.2001", "description": "coba"}
    assert client.post("/api/v1/incidents", body, content_type="application/json", headers=headers).status_code == 404
    bulk = client.post(
        "/api/v1/incidents/bulk-transitions",
        {"ids": [report.pk], "action": "verify"},
        content_type="application/json",
        headers=headers,
    )
    assert bulk.json()["done"] == [] and "tidak ditemukan" in bulk.json()["refused"][str(report.pk)]
    # The outsider's own pages work but show nothing of Kukar.
    assert f"#{report.pk}" not in web.get("/laporan/?tab=all").content.decode()


@pytest.mark.django_db
def test_read_only_roles_get_403_on_writes(personas, bearer, client):
    report = report_make(personas.field_officer)
    reader = observer()
    body = {"category": "lainnya", "area_code": "64.02.06.2001", "description": "coba tulis"}
    assert (
        client.post("/api/v1/incidents", body, content_type="application/json", headers=bearer(reader)).status_code
        == 403
    )
    web = client_for(reader)
    assert web.get(f"/laporan/{report.pk}/").status_code == 200
    assert web.post(f"/laporan/{report.pk}/aksi/", {"op": "claim"}).status_code == 403
    assert web.post(f"/laporan/{report.pk}/aksi/", {"op": "note", "note": "x"}).status_code == 403
    assert web.post("/laporan/baru/", {**body, "category": "lainnya"}).status_code == 403


@pytest.mark.django_db
def test_personal_data_only_for_roles_that_need_it(personas, bearer, client):
    report = report_make(None, channel="public", contact="0812 9999 0000")
    reader = observer()
    hidden = client.get(f"/api/v1/incidents/{report.pk}", headers=bearer(reader)).json()
    assert hidden["reporter_contact"] is None
    assert "0812 9999 0000" not in client_for(personas.field_officer).get(f"/laporan/{report.pk}/").content.decode()
    shown = client.get(f"/api/v1/incidents/{report.pk}", headers=bearer(personas.coordinator)).json()
    assert shown["reporter_contact"] == "0812 9999 0000"
    csv_text = streamed(client_for(reader).get("/laporan/ekspor.csv"))
    assert "reporter_contact" not in csv_text and "0812 9999 0000" not in csv_text
    full = streamed(client_for(personas.coordinator).get("/laporan/ekspor.csv"))
    assert "0812 9999 0000" in full
