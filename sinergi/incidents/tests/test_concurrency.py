"""Concurrent writes on PostgreSQL: retries of one create, and two triage actions on one report.

Each thread gets its own connection (Django opens one per thread) and they start at a barrier.
SQLite serialises writers, so these run on PostgreSQL only, as in CI; the state re-check they rely
on is also tested deterministically in `test_triage_recheck.py`.
"""

import pytest
from django.db import connection
from django.test import Client

from sinergi.accounts.tokens import token_create
from sinergi.core.errors import Conflict
from sinergi.incidents.models import Report, ReportEvent
from sinergi.incidents.services import report_transition
from sinergi.incidents.tests.factories import bawaslu_analyst, kapolsek, report_make
from testkit.builders import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises writers")


BODY = {
    "category": "politik-uang",
    "area_code": "64.02.06.2001.001",
    "description": "Pembagian amplop di dekat TPS pagi ini",
    "severity": 3,
}


def test_concurrent_retries_with_one_client_id_store_one_report(personas):
    headers = {"Authorization": f"Bearer {token_create(user=personas.field_officer)}"}
    for round_ in range(5):
        body = {**BODY, "client_id": f"retry-{round_}"}

        def post(body=body):
            response = Client().post("/api/v1/incidents", body, content_type="application/json", headers=headers)
            return response.status_code, response.json()

        ok, failed = race([post] * 8)
        assert failed == []
        statuses = sorted(status for status, _body in ok)
        assert statuses == [200] * 7 + [201], statuses
        assert len({answer["id"] for _status, answer in ok}) == 1
        assert Report.objects.filter(client_id=f"retry-{round_}").count() == 1


def test_concurrent_verify_and_reject_do_not_both_apply(personas):
    police, analyst = kapolsek(), bawaslu_analyst()
    for _round in range(5):
        report = report_make(personas.field_officer)

        def verify(report_id=report.pk):
            return report_transition(report_id=report_id, actor=police, action="verify", expected_state="baru")

        def reject(report_id=report.pk):
            return report_transition(
                report_id=report_id, actor=analyst, action="reject", note="bukan pelanggaran", expected_state="baru"
            )

        ok, failed = race([verify, reject])
        assert len(ok) == 1 and len(failed) == 1, failed
        assert isinstance(failed[0], Conflict) and failed[0].code == "state_changed"
        stored = Report.objects.get(pk=report.pk)
        events = list(ReportEvent.objects.filter(report=stored, kind="transition"))
        assert len(events) == 1 and events[0].to_state == stored.state
        # Events are timed after the lock: in the order they were applied.
        times = list(ReportEvent.objects.filter(report=stored).order_by("id").values_list("at", flat=True))
        assert times == sorted(times)
