"""The ops page and `GET /api/v1/ops/jobs`: national administrator only; each job with its last run,
next run and last error, the queue depth and the workers' heartbeats, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.conftest import client_for
from sinergi.ops.models import JobRun, WorkerHeartbeat
from sinergi.ops.schedule import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    from django_tasks_db.models import DBTaskResult

    from sinergi.situation.tasks import generate_daily_report

    now = timezone.now()
    minute = now.replace(second=0, microsecond=0)
    JobRun.objects.create(
        job="incidents.escalate",
        scheduled_for=minute - timedelta(minutes=2),
        status=JobRun.Status.FAILED,
        attempts=2,
        started_at=minute - timedelta(minutes=2),
        finished_at=minute - timedelta(minutes=2),
        error="Traceback (most recent call last):\n  ...\nOperationalError: server closed the connection",
    )
    JobRun.objects.create(
        job="incidents.escalate",
        scheduled_for=minute - timedelta(minutes=1),
        status=JobRun.Status.DONE,
        started_at=minute - timedelta(minutes=1),
        finished_at=minute - timedelta(minutes=1),
        result="3",
    )
    WorkerHeartbeat.objects.create(worker_id="app1-100-abc", hostname="app1", pid=100, started_at=now, seen_at=now)
    WorkerHeartbeat.objects.create(
        worker_id="app2-200-def", hostname="app2", pid=200, started_at=now, seen_at=now - timedelta(minutes=5)
    )
    from django.test import override_settings

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        generate_daily_report.enqueue("64.02")
        generate_daily_report.enqueue("64.72")
    assert DBTaskResult.objects.count() == 2


def test_the_ops_page_lists_jobs_queue_and_workers(personas, history, django_assert_num_queries):
    admin = client_for(personas.national_admin)
    with django_assert_num_queries(9):
        response = admin.get("/ops/")
    assert response.status_code == 200
    page = response.content.decode()
    for job in jobs():
        assert f'data-job="{job.name}"' in page
    assert 'data-queue-ready="2"' in page
    assert "OperationalError: server closed the connection" in page  # the last error, one line
    assert "setiap menit" in page and "setiap hari pukul 06.00 WIB/WITA/WIT" in page
    assert 'data-worker="app1-100-abc"' in page and "hidup" in page and "tidak terlihat" in page
    assert 'class="cards-on-phone jobs"' in page  # rows become cards on a 360 px phone


def test_the_ops_page_speaks_english(personas, history):
    admin = client_for(personas.national_admin)
    admin.post("/i18n/setlang/", {"language": "en", "next": "/ops/"})
    page = admin.get("/ops/").content.decode()
    assert "Platform operations" in page and "every minute" in page and "Task queue" in page


def test_only_the_national_administrator_sees_operations(personas, bearer):
    assert client_for(personas.coordinator).get("/ops/").status_code == 403
    assert Client().get("/ops/")["Location"].startswith("/akun/masuk/")
    assert Client().get("/api/v1/ops/jobs", headers=bearer(personas.coordinator)).status_code == 403
    assert Client().get("/api/v1/ops/jobs").status_code == 401


def test_the_jobs_api(personas, history, bearer, django_assert_num_queries):
    client = Client()
    headers = bearer(personas.national_admin)
    with django_assert_num_queries(8):
        response = client.get("/api/v1/ops/jobs", headers=headers)
    assert response.status_code == 200
    body = response.json()
    by_name = {job["name"]: job for job in body["jobs"]}
    assert set(by_name) == {job.name for job in jobs()}
    escalate = by_name["incidents.escalate"]
    assert escalate["last_run"]["status"] == "done" and escalate["last_run"]["result"] == "3"
    assert escalate["last_error"]["status"] == "failed" and "server closed" in escalate["last_error"]["error"]
    assert escalate["next_run"] > escalate["last_run"]["scheduled_for"]
    assert by_name["situation.daily_report"]["timing"] == "daily 06.00 WIB/WITA/WIT"
    assert body["queue"] == {"ready": 2, "deferred": 0, "running": 0}
    workers = {w["worker_id"]: w["alive"] for w in body["workers"]}
    assert workers == {"app1-100-abc": True, "app2-200-def": False}
