"""`sinergi worker` is one process: it beats, ticks the schedule and runs queued tasks the way
django_tasks_db's db_worker claims them."""

from datetime import timedelta
from uuid import UUID

import pytest
from django.core.management import call_command
from django_tasks import task

from sinergi.ops import schedule
from sinergi.ops.models import JobRun, WorkerHeartbeat
from sinergi.ops.worker import SinergiWorker

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EVERY_MINUTE = "ops.orphaned_tasks"  # a real job of the schedule, due at every tick


@task()
def double(x: int) -> int:
    return 2 * x


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def _one_task_worker(worker_id: str) -> SinergiWorker:
    """A worker that beats, ticks and returns after running one task."""
    return SinergiWorker(
        queue_names=["default"],
        interval=0,
        tick=60,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id=worker_id,
    )


def test_one_process_beats_runs_due_jobs_and_queued_tasks(database_tasks):
    from django_tasks_db.models import DBTaskResult

    queued = double.enqueue(21)
    worker = _one_task_worker("test-worker-1")
    worker.run()  # returns after its one task
    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == "SUCCESSFUL" and result.return_value == 42
    assert result.worker_ids == ["test-worker-1"]
    # The tick ran the real schedule: every job due now, each once, by this worker.
    runs = JobRun.objects.filter(worker="test-worker-1")
    assert runs.filter(job=EVERY_MINUTE).exists()
    assert set(runs.values_list("status", flat=True)) == {JobRun.Status.DONE}
    assert runs.count() == JobRun.objects.count()
    assert set(runs.values_list("job", flat=True)) <= {job.name for job in schedule.jobs()}
    beat = WorkerHeartbeat.objects.get(worker_id="test-worker-1")
    assert beat.jobs_run == 0 and beat.pid > 0  # the beat precedes the tick; the next one counts it
    worker.beat()
    beat.refresh_from_db()
    assert (beat.jobs_run, beat.tasks_run) == (runs.count(), 1)


def test_the_command_parses_and_runs_until_its_task_limit(database_tasks):
    double.enqueue(1)
    call_command("worker", "--max-tasks", "1", "--no-startup-delay", "--interval", "0", "--worker-id", "cmd-1")
    assert WorkerHeartbeat.objects.filter(worker_id="cmd-1").exists()
    assert JobRun.objects.filter(job=EVERY_MINUTE, worker="cmd-1").count() == 1


def _claimed_by(worker_ids: list[str], started: timedelta):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    queued = double.enqueue(1)
    DBTaskResult.objects.filter(pk=queued.id).update(
        status="RUNNING", started_at=timezone.now() - started, worker_ids=worker_ids
    )
    return UUID(queued.id)


def test_a_task_left_running_by_a_dead_worker_goes_back_to_the_queue(database_tasks):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from sinergi.ops.jobs import requeue_orphaned_tasks

    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=1, started_at=now, seen_at=now)
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="h", pid=2, started_at=now, seen_at=now - timedelta(minutes=5)
    )
    orphan = _claimed_by(["dead"], timedelta(minutes=5))
    busy = _claimed_by(["alive"], timedelta(minutes=5))  # a long task of a living worker stays
    fresh = _claimed_by(["dead"], timedelta(seconds=10))  # just claimed: its worker may not have beaten yet
    killer = _claimed_by(["a", "b", "dead"], timedelta(minutes=5))  # killed its worker three times

    assert requeue_orphaned_tasks(now) == {"requeued": 1, "failed": 1}
    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert status == {orphan: "READY", busy: "RUNNING", fresh: "RUNNING", killer: "FAILED"}
    assert requeue_orphaned_tasks(now) == {"requeued": 0, "failed": 0}  # nothing twice

    worker = _one_task_worker("alive")
    worker.run()  # the requeued task runs again to the end
    assert DBTaskResult.objects.get(pk=orphan).status == "SUCCESSFUL"
