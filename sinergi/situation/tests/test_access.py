import pytest

from sinergi.conftest import client_for
from sinergi.situation import providers
from sinergi.situation.services import daily_report_generate
from sinergi.situation.tests.toy_modules import SAMPLE

pytestmark = pytest.mark.django_db


def test_outsider_gets_404_on_every_url_and_endpoint(world, personas, bearer, client):
    with providers.only({"contoh": SAMPLE}):
        report = daily_report_generate(area_code="64.02")
        day = f"{report.report_date:%Y-%m-%d}"
        web = client_for(personas.outsider)
        for url in [
            "/situasi/64.02/",
            "/situasi/64.02.06/",
            "/situasi/64/",
            "/situasi/ID/",
            "/situasi/64.02/laporan/",
            f"/situasi/64.02/laporan/{day}.pdf",
            f"/situasi/64.02/laporan/{day}.xlsx",
        ]:
            assert web.get(url).status_code == 404, url
        assert web.post("/situasi/64.02/laporan/buat/").status_code == 404
        headers = bearer(personas.outsider)
        for url in ["/api/v1/situation/areas/64.02", "/api/v1/situation/areas/64.02/reports"]:
            assert client.get(url, headers=headers).status_code == 404, url
        # Their own regency opens.
        assert web.get("/situasi/")["Location"] == "/situasi/64.72/"
        assert web.get("/situasi/64.72/").status_code == 200


def test_anonymous_is_sent_to_login(world):
    from django.test import Client

    response = Client().get("/situasi/64.02/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert Client().get("/api/v1/situation/areas/64.02").status_code == 401
