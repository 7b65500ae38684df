"""The ops page fits a 360 px phone: jobs and workers become cards that name their fields."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.ops.models import JobRun, WorkerHeartbeat


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_ops_page_is_no_wider_than_a_phone(page, personas):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="a-rather-long-worker-id-on-app1-12345-abcdefgh", hostname="app1", pid=1, started_at=now, seen_at=now
    )
    JobRun.objects.create(
        job="situation.daily_report",
        scheduled_for=now - timedelta(hours=1),
        status=JobRun.Status.FAILED,
        attempts=3,
        started_at=now,
        error="Traceback\nsinergi.core.errors.DomainError: wilayah 64.02 tidak punya data risiko untuk hari ini sama sekali",
    )
    page.set_viewport_size({"width": 360, "height": 740})
    page.sinergi_login(personas.national_admin.username)
    page.goto("/ops/")
    row = page.locator('tr[data-job="situation.daily_report"]')
    assert "06.00 WIB/WITA/WIT" in row.inner_text() and "DomainError" in row.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert not page.locator("table.jobs thead").is_visible()
