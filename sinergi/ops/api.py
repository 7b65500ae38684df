"""JSON API of the platform's operations: scheduled jobs, the task queue, worker heartbeats."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from sinergi.accounts.guards import operation
from sinergi.ops import selectors
from sinergi.ops.permissions import NATIONAL_ADMIN

PREFIX = "ops"
router = Router(tags=["ops"])


class RunOut(Schema):
    scheduled_for: datetime
    zone: str
    status: str
    attempts: int
    started_at: datetime
    finished_at: datetime | None
    result: str
    error: str


class JobOut(Schema):
    name: str
    app: str
    timing: str
    description: str
    retries: int
    last_run: RunOut | None
    last_error: RunOut | None
    next_run: datetime | None


class QueueOut(Schema):
    ready: int
    deferred: int
    running: int


class WorkerOut(Schema):
    worker_id: str
    hostname: str
    pid: int
    started_at: datetime
    seen_at: datetime
    alive: bool
    tasks_run: int
    jobs_run: int


class JobsOut(Schema):
    now: datetime
    jobs: list[JobOut]
    queue: QueueOut | None
    workers: list[WorkerOut]


@router.get("/jobs", response=JobsOut, summary="Scheduled jobs, queue depth and worker heartbeats")
@operation(NATIONAL_ADMIN)
def jobs(request: HttpRequest):
    """Each scheduled job with its last run, last error and next run; the task queue's depth; the
    workers' heartbeats (`alive`: seen within two minutes). National administrator only."""
    now = timezone.now()
    statuses = selectors.job_statuses(now)
    queue = selectors.queue_depth()
    return {
        "now": now,
        "jobs": [
            {
                "name": s.job.name,
                "app": s.job.app,
                "timing": s.job.timing(),
                "description": str(s.job.description),
                "retries": s.job.retries,
                "last_run": s.last_run,
                "last_error": s.last_error,
                "next_run": s.next_run,
            }
            for s in statuses
        ],
        "queue": queue.__dict__ if queue else None,
        "workers": [
            {
                **{
                    f: getattr(b, f)
                    for f in ("worker_id", "hostname", "pid", "started_at", "seen_at", "tasks_run", "jobs_run")
                },
                "alive": selectors.is_alive(b, now),
            }
            for b in selectors.heartbeats()
        ],
    }
