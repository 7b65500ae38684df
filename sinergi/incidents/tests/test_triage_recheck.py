"""The state is re-read under the row lock and a transition the report no longer allows is a 409."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.core.errors import Conflict
from sinergi.incidents.models import Report
from sinergi.incidents.services import report_transition
from sinergi.incidents.tests.factories import bawaslu_analyst, kapolsek, report_make


@pytest.mark.django_db
def test_an_action_on_a_state_the_user_no_longer_sees_is_a_conflict(personas):
    report = report_make(personas.field_officer)
    report_transition(report_id=report.pk, actor=kapolsek(), action="verify", expected_state="baru")
    # The analyst chose "reject" looking at the report as it was (baru): refused, nothing applied.
    with pytest.raises(Conflict) as refused:
        report_transition(
            report_id=report.pk, actor=bawaslu_analyst(), action="reject", note="bukan", expected_state="baru"
        )
    assert refused.value.code == "state_changed" and "Diverifikasi" in refused.value.detail
    stored = Report.objects.get(pk=report.pk)
    assert stored.state == "diverifikasi" and stored.events.filter(kind="transition").count() == 1


@pytest.mark.django_db
def test_the_state_is_read_after_the_lock_and_a_stale_action_is_409(personas, bearer, client):
    report = report_make(personas.field_officer)
    police = kapolsek()
    # Another session closed the report behind this one's back (no cached state anywhere).
    Report.objects.filter(pk=report.pk).update(state="ditolak")
    response = client.post(
        f"/api/v1/incidents/{report.pk}/transitions",
        {"action": "verify"},
        content_type="application/json",
        headers=bearer(police),
    )
    assert response.status_code == 409 and response.json()["code"] == "state_changed"
    # The page posts the state it showed; a stale one is refused with a message, nothing applied.
    from sinergi.conftest import client_for

    web = client_for(police)
    Report.objects.filter(pk=report.pk).update(state="baru")
    page = web.post(f"/laporan/{report.pk}/aksi/", {"action": "verify", "state": "diverifikasi"}, follow=True)
    assert "diverifikasi" in page.content.decode() and Report.objects.get(pk=report.pk).state == "baru"


@pytest.mark.django_db
def test_the_row_is_locked_before_the_state_is_read(personas):
    report = report_make(personas.field_officer)
    with CaptureQueriesContext(connection) as queries:
        report_transition(report_id=report.pk, actor=kapolsek(), action="verify")
    reads = [q["sql"] for q in queries if 'FROM "incidents_report"' in q["sql"] and q["sql"].startswith("SELECT")]
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in reads[0]
    assert len(reads) >= 1
