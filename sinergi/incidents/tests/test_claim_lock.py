from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.conftest import client_for
from sinergi.incidents.services import report_claim, report_transition
from sinergi.incidents.tests.factories import bawaslu_analyst, kapolsek, report_make


@pytest.mark.django_db
def test_claim_blocks_others_until_it_times_out(personas, bearer, client):
    police, analyst = kapolsek(), bawaslu_analyst()
    report = report_make(personas.field_officer)
    claimed = client.post(f"/api/v1/incidents/{report.pk}/claim", headers=bearer(police))
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == "kapolsek"
    # A second analyst can neither claim nor transition the report meanwhile.
    again = client.post(f"/api/v1/incidents/{report.pk}/claim", headers=bearer(analyst))
    assert again.status_code == 409 and again.json()["code"] == "claimed"
    blocked = client.post(
        f"/api/v1/incidents/{report.pk}/transitions",
        {"action": "verify"},
        content_type="application/json",
        headers=bearer(analyst),
    )
    assert blocked.status_code == 409
    # The holder can act; others see the lock in the queue.
    page = client_for(analyst).get("/laporan/?tab=all").content.decode()
    assert "🔒" in page and "kapolsek" in page
    later = timezone.now() + timedelta(minutes=16)
    report_transition(report_id=report.pk, actor=analyst, action="verify", now=later)
    report.refresh_from_db()
    assert report.state == "diverifikasi"


@pytest.mark.django_db
def test_release_frees_the_report(personas):
    police, analyst = kapolsek(), bawaslu_analyst()
    report = report_make(personas.field_officer)
    report_claim(report_id=report.pk, actor=police)
    client_for(police).post(f"/laporan/{report.pk}/aksi/", {"op": "release"})
    report_claim(report_id=report.pk, actor=analyst)
    report.refresh_from_db()
    assert report.claimed_by == analyst
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == ["created", "claimed", "released", "claimed"]


@pytest.mark.django_db
def test_field_officer_cannot_claim(personas):
    report = report_make(personas.field_officer)
    response = client_for(personas.field_officer).post(f"/laporan/{report.pk}/aksi/", {"op": "claim"}, follow=True)
    assert "tidak menangani triase" in response.content.decode()
    report.refresh_from_db()
    assert report.claimed_by is None
