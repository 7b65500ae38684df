"""The platform's own housekeeping, run by `sinergi worker` like every app's jobs."""

import logging
from datetime import datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

from sinergi.ops.schedule import Job

# How long finished job runs and task results are kept (the ops page only shows the latest of each job).
KEEP_RUNS = timedelta(days=30)
KEEP_TASKS = timedelta(days=14)
KEEP_FAILED_TASKS = timedelta(days=30)
# A task claimed by a worker that has stopped beating (killed, machine lost) goes back to the queue this
# many times; after that it is marked failed, so a task that kills its worker cannot loop for ever.
ORPHAN_REQUEUES = 2

logger = logging.getLogger("sinergi.ops")

JOBS = [
    Job(
        "ops.prune",
        "sinergi.ops.jobs.prune",
        daily_at=time(3, 0),
        retry_after=timedelta(minutes=10),
        description=_("Hapus riwayat tugas terjadwal dan hasil tugas latar yang sudah lama selesai"),
    ),
    Job(
        "ops.orphaned_tasks",
        "sinergi.ops.jobs.requeue_orphaned_tasks",
        every=timedelta(minutes=1),
        description=_("Kembalikan ke antrean tugas latar yang ditinggal pekerja yang mati"),
    ),
]


def prune(now: datetime) -> dict[str, int]:
    """Delete finished job runs and task results past their keep time; running and waiting ones stay."""
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    from sinergi.ops.models import JobRun, WorkerHeartbeat
    from sinergi.ops.worker import FORGET_AFTER

    runs, _ = JobRun.objects.filter(
        status__in=[JobRun.Status.DONE, JobRun.Status.FAILED], scheduled_for__lt=now - KEEP_RUNS
    ).delete()
    tasks, _ = (
        DBTaskResult.objects.finished()
        .filter(
            Q(status="SUCCESSFUL", finished_at__lt=now - KEEP_TASKS)
            | Q(status="FAILED", finished_at__lt=now - KEEP_FAILED_TASKS)
        )
        .delete()
    )
    workers, _ = WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    return {"job_runs": runs, "task_results": tasks, "workers": workers}


def requeue_orphaned_tasks(now: datetime) -> dict[str, int]:
    """Tasks left RUNNING by a worker whose heartbeat stopped (SIGKILL, a lost machine) would stay
    RUNNING for ever: django_tasks_db only releases a claim its own process finishes. Each goes back
    to the queue (every Sinergi task is safe to run again), or fails after ORPHAN_REQUEUES tries."""
    from django_tasks_db.models import DBTaskResult

    from sinergi.ops.models import WorkerHeartbeat
    from sinergi.ops.selectors import HEARTBEAT_FRESH

    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - HEARTBEAT_FRESH).values_list("worker_id", flat=True))
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - HEARTBEAT_FRESH)
    requeued = failed = 0
    for task in stale.only("id", "worker_ids"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        if len(task.worker_ids) > ORPHAN_REQUEUES:
            failed += stale.filter(pk=task.pk).update(status="FAILED", finished_at=now)
            logger.error("task %s failed: its worker died %d times while running it", task.pk, len(task.worker_ids))
        else:
            requeued += stale.filter(pk=task.pk).update(status="READY", started_at=None)
            logger.warning("task %s requeued: worker %s stopped beating", task.pk, task.worker_ids[-1:])
    return {"requeued": requeued, "failed": failed}
