"""The public form and tracking page: a client id only ever returns the sender's own report, and
lookups and submissions are counted per client address (behind a trusted proxy only)."""

import pytest
from django.test import Client

from sinergi.core.models import Channel
from sinergi.incidents.models import Report
from sinergi.incidents.tests.factories import report_make

FORM = {
    "category": "intimidasi-kekerasan",
    "area_code": "64.02.06.2001",
    "description": "Ada orang berteriak mengancam warga yang akan memilih",
    "reporter_contact": "0813 5555 1234",
}


@pytest.mark.django_db
def test_a_public_client_id_cannot_fetch_an_sms_reports_tracking_code(world):
    sms = report_make(None, channel=Channel.SMS, client_id="sms:gw-4711", contact="+6281300000001")
    response = Client().post("/laporan/publik/", {**FORM, "client_id": "sms:gw-4711"})
    assert response.status_code == 302
    assert sms.tracking_code not in response["Location"]
    mine = Report.objects.exclude(pk=sms.pk).get()
    assert response["Location"] == f"/laporan/lacak/{mine.tracking_code}/"
    assert mine.client_id == "public:sms:gw-4711"


@pytest.mark.django_db
def test_a_public_client_id_returns_only_the_same_submission(world):
    client = Client()
    first = client.post("/laporan/publik/", {**FORM, "client_id": "web:abc"})
    again = client.post("/laporan/publik/", {**FORM, "client_id": "web:abc"})
    assert first["Location"] == again["Location"] and Report.objects.count() == 1
    # Someone else's body under the same id learns nothing of the stored report.
    other = client.post("/laporan/publik/", {**FORM, "client_id": "web:abc", "reporter_contact": "0899"})
    assert other.status_code == 409 and Report.objects.get().tracking_code not in other.content.decode()
    # A signed-in user cannot reach into the public namespace either.
    report = Report.objects.get()
    assert report.client_id == "public:web:abc"


@pytest.mark.django_db
def test_tracking_lookups_are_throttled_per_client_address(world, settings):
    settings.SINERGI_PUBLIC_TRACKING_PER_HOUR = 3
    client = Client()
    codes = [client.get(f"/laporan/lacak/ZZZZ000{n}/", REMOTE_ADDR="10.0.0.9").status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get("/laporan/lacak/?kode=ZZZZ0009", REMOTE_ADDR="10.0.0.9").status_code == 429
    assert client.get("/laporan/lacak/ZZZZ0001/", REMOTE_ADDR="10.0.0.10").status_code == 404


@pytest.mark.django_db
def test_throttles_count_the_forwarded_client_only_behind_a_trusted_proxy(world, settings):
    settings.SINERGI_PUBLIC_TRACKING_PER_HOUR = 2
    settings.SINERGI_PUBLIC_REPORTS_PER_HOUR = 1
    settings.SINERGI_TRUSTED_PROXIES = ["10.9.9.9"]
    client = Client()

    def track(forwarded: str, remote: str = "10.9.9.9") -> int:
        return client.get("/laporan/lacak/ZZZZ0001/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [track("203.0.113.5"), track("203.0.113.5"), track("203.0.113.5")] == [404, 404, 429]
    assert track("203.0.113.6") == 404  # another client behind the same proxy
    # A header from an untrusted address is ignored: every spoofed value counts for the sender.
    assert [track("198.51.100.1", remote="10.0.0.7"), track("198.51.100.2", remote="10.0.0.7")] == [404, 404]
    assert track("198.51.100.3", remote="10.0.0.7") == 429

    def submit(forwarded: str, n: int) -> int:
        body = {**FORM, "client_id": f"p-{n}"}
        return client.post("/laporan/publik/", body, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [submit("203.0.113.5", 1), submit("203.0.113.5", 2), submit("203.0.113.6", 3)] == [302, 429, 302]
