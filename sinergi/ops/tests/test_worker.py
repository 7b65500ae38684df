"""`sinergi worker` is one process: it beats, ticks the schedule and runs queued tasks the way
django_tasks_db's db_worker claims them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks import task

from sinergi.ops import schedule
from sinergi.ops.models import JobRun, WorkerHeartbeat
from sinergi.ops.schedule import Job
from sinergi.ops.worker import SinergiWorker

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TICKED: list[str] = []


@task()
def double(x: int) -> int:
    return 2 * x


def ticked(now) -> str:
    TICKED.append(now.isoformat())
    return "ticked"


JOB = Job("t.worker", "sinergi.ops.tests.test_worker.ticked", every=timedelta(minutes=1))


@pytest.fixture
def only_our_job(monkeypatch, settings):
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(schedule, "jobs", lambda: (JOB,))
    TICKED.clear()


def test_one_process_beats_runs_due_jobs_and_queued_tasks(only_our_job):
    from django_tasks_db.models import DBTaskResult

    queued = double.enqueue(21)
    worker = SinergiWorker(
        queue_names=["default"],
        interval=0,
        tick=60,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test-worker-1",
    )
    worker.run()  # returns after its one task
    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == "SUCCESSFUL" and result.return_value == 42
    assert result.worker_ids == ["test-worker-1"]
    assert len(TICKED) == 1 and JobRun.objects.get(job="t.worker").worker == "test-worker-1"
    beat = WorkerHeartbeat.objects.get(worker_id="test-worker-1")
    assert beat.jobs_run == 0 and beat.pid > 0  # the beat precedes the tick; the next one counts it
    worker.beat()
    beat.refresh_from_db()
    assert (beat.jobs_run, beat.tasks_run) == (1, 1)


def test_the_command_parses_and_runs_until_its_task_limit(only_our_job):
    double.enqueue(1)
    call_command("worker", "--max-tasks", "1", "--no-startup-delay", "--interval", "0", "--worker-id", "cmd-1")
    assert WorkerHeartbeat.objects.filter(worker_id="cmd-1").exists()
    assert JobRun.objects.filter(job="t.worker", worker="cmd-1").count() == 1
