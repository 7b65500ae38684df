import pytest
from django.test import Client

from sinergi.incidents.models import Report
from sinergi.incidents.services import report_transition
from sinergi.incidents.tests.factories import kapolsek

FORM = {
    "category": "intimidasi-kekerasan",
    "area_code": "64.02.06.2001",
    "description": "Ada orang berteriak mengancam warga yang akan memilih",
    "reporter_name": "Siti",
    "reporter_contact": "0813 5555 1234",
}


def _post(client: Client, n: int, address: str = "10.0.0.1"):
    return client.post("/laporan/publik/", {**FORM, "client_id": f"pub-{address}-{n}"}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_public_form_returns_a_tracking_code_and_a_status_page_without_internals(personas):
    client = Client()
    response = _post(client, 1)
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == f"/laporan/lacak/{report.tracking_code}/"
    assert (report.channel, report.reporter, report.reporter_contact) == ("public", None, "0813 5555 1234")
    report_transition(report_id=report.pk, actor=kapolsek(), action="verify", note="RAHASIA: saksi kunci Pak Budi")
    page = client.get(response.url).content.decode()
    assert "Diverifikasi" in page and report.tracking_code in page
    assert "RAHASIA" not in page and "0813" not in page and "Siti" not in page and "kapolsek" not in page
    assert client.get("/laporan/lacak/?kode=ZZZZ9999").status_code == 404


@pytest.mark.django_db
def test_public_form_is_throttled_per_address(world, settings):
    settings.SINERGI_PUBLIC_REPORTS_PER_HOUR = 3
    client = Client()
    assert [_post(client, n).status_code for n in range(3)] == [302, 302, 302]
    blocked = _post(client, 4)
    assert blocked.status_code == 429 and "Terlalu banyak laporan" in blocked.content.decode()
    assert _post(client, 5, address="10.0.0.2").status_code == 302
    assert Report.objects.count() == 4


@pytest.mark.django_db
def test_public_form_needs_a_contact_and_helps_find_the_desa_code(world):
    client = Client()
    response = client.post("/laporan/publik/", {**FORM, "reporter_contact": ""})
    assert response.status_code == 200 and Report.objects.count() == 0
    search = client.get("/laporan/publik/?cari=biru").content.decode()
    assert "64.02.06.2001" in search
