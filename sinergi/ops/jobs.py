"""The platform's own housekeeping, run by `sinergi worker` like every app's jobs."""

from datetime import datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

from sinergi.ops.schedule import Job

# How long finished job runs and task results are kept (the ops page only shows the latest of each job).
KEEP_RUNS = timedelta(days=30)
KEEP_TASKS = timedelta(days=14)
KEEP_FAILED_TASKS = timedelta(days=30)

JOBS = [
    Job(
        "ops.prune",
        "sinergi.ops.jobs.prune",
        daily_at=time(3, 0),
        retry_after=timedelta(minutes=10),
        description=_("Hapus riwayat tugas terjadwal dan hasil tugas latar yang sudah lama selesai"),
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
