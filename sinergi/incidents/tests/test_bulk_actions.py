import pytest

from sinergi.conftest import client_for
from sinergi.incidents.models import Report
from sinergi.incidents.tests.factories import bawaslu_analyst, report_make


@pytest.mark.django_db
def test_bulk_verify_from_the_queue_lists_refusals(personas):
    analyst = bawaslu_analyst()
    reports = [report_make(personas.field_officer, description=f"Kejadian nomor {i} di TPS") for i in range(3)]
    closed = report_make(personas.field_officer)
    client_for(analyst).post(f"/laporan/{closed.pk}/aksi/", {"action": "reject", "note": "bukan pelanggaran"})
    ids = [r.pk for r in reports] + [closed.pk]
    response = client_for(analyst).post("/laporan/aksi-massal/", {"ids": ids, "action": "verify"}, follow=True)
    states = dict(Report.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert [states[r.pk] for r in reports] == ["diverifikasi"] * 3
    assert states[closed.pk] == "ditolak"
    assert f"#{closed.pk}: &#x27;Verifikasi&#x27; tidak dapat dilakukan pada laporan berstatus Ditolak" in response.content.decode()


@pytest.mark.django_db
def test_bulk_assign_duplicate_and_reject_through_the_api(personas, bearer, client):
    analyst = bawaslu_analyst()
    a, b, c, d = (report_make(personas.field_officer, description=f"Laporan {i} ancaman") for i in "abcd")
    headers = bearer(analyst)

    def bulk(body):
        return client.post(
            "/api/v1/incidents/bulk-transitions", body, content_type="application/json", headers=headers
        ).json()

    assert bulk({"ids": [a.pk], "action": "assign", "agency": "polres-kukar"})["done"] == [a.pk]
    assert bulk({"ids": [b.pk, c.pk], "action": "duplicate", "duplicate_of": a.pk})["done"] == [b.pk, c.pk]
    result = bulk({"ids": [d.pk, a.pk], "action": "reject", "note": "hoaks"})
    assert result["done"] == [d.pk] and str(a.pk) in result["refused"]
    assert Report.objects.filter(pk=a.pk, agency__code="polres-kukar").exists()
    assert Report.objects.get(pk=c.pk).duplicate_of_id == a.pk
    assert bulk({"ids": [d.pk], "action": "assign", "agency": "kpu-samarinda"})["refused"]


@pytest.mark.django_db
def test_bulk_never_redirects_off_site(personas):
    report = report_make(personas.field_officer)
    response = client_for(bawaslu_analyst()).post(
        "/laporan/aksi-massal/", {"ids": [report.pk], "action": "verify", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/laporan/"
