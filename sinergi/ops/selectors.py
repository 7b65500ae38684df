"""Reads for the ops page, the jobs API and the readiness check; a fixed number of queries each."""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache

from django.db import connection
from django.db.models import Count, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from sinergi.accounts.models import Membership, User
from sinergi.accounts.roles import Role
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.ops import schedule
from sinergi.ops.models import JobRun, WorkerHeartbeat
from sinergi.ops.schedule import Job

log = logging.getLogger("sinergi.ops")

# A worker not seen for this long is taken for dead by `/readyz` and the ops page.
HEARTBEAT_FRESH = timedelta(minutes=2)
HEARTBEAT_LIST = 20


def national_admins() -> list[User]:
    """Who gets a job's alarm: superusers and admins of the national area."""
    admins = Membership.objects.filter(role=Role.ADMIN, area_id=NATIONAL_CODE).values("user_id")
    return list(User.objects.filter(Q(is_superuser=True) | Q(pk__in=admins), is_active=True))


@dataclass
class JobStatus:
    job: Job
    last_run: JobRun | None
    last_error: JobRun | None
    next_run: datetime | None

    @property
    def timing(self) -> str:
        return timing_label(self.job)

    @property
    def error_line(self) -> str:
        """The last line of the latest error (the exception), for a narrow screen."""
        lines = self.last_error.error.strip().splitlines() if self.last_error else []
        return lines[-1][:300] if lines else ""


def timing_label(job: Job) -> str:
    """When the job runs, in the user's language."""
    if job.every is not None:
        minutes = int(job.every.total_seconds() // 60)
        if job.every.total_seconds() % 60:
            return _("setiap %(n)d detik") % {"n": int(job.every.total_seconds())}
        if minutes % 60:
            return ngettext("setiap menit", "setiap %(n)d menit", minutes) % {"n": minutes}
        hours = minutes // 60
        return ngettext("setiap jam", "setiap %(n)d jam", hours) % {"n": hours}
    if job.daily_at is not None:
        zones = "WIB/WITA/WIT" if job.per_zone else "WIB"
        return _("setiap hari pukul %(time)s %(zones)s") % {"time": _clock(job.daily_at), "zones": zones}
    return _("pada saat yang ditentukan data (mis. setelah tiap titik waktu)")


def _latest(runs: QuerySet[JobRun], names: list[str]) -> dict[str, JobRun]:
    """The newest run of each job in one query: `pk IN ((newest of job a), (newest of job b), ...)`,
    scalar subqueries that are each an index probe on (job, -scheduled_for), then primary-key look-ups,
    so the cost does not grow with the history."""
    if not names:
        return {}
    newest = [Subquery(runs.filter(job=name).order_by("-scheduled_for").values("pk")[:1]) for name in names]
    return {run.job: run for run in JobRun.objects.filter(pk__in=newest)}


def job_statuses(now: datetime | None = None, jobs: tuple[Job, ...] | None = None) -> list[JobStatus]:
    """Each declared job with its latest run, its latest failed attempt and its next instance (2 queries;
    jobs with `moments` ask their provider, which may query once more)."""
    now = now or timezone.now()
    known = jobs if jobs is not None else schedule.jobs()
    names = [job.name for job in known]
    last = _latest(JobRun.objects.all(), names)
    errors = _latest(JobRun.objects.exclude(error=""), names)
    statuses = []
    for job in known:
        try:
            upcoming = schedule.next_due(job, now)
        except Exception:  # a broken moments provider must not take the ops page down
            upcoming = None
        statuses.append(JobStatus(job, last.get(job.name), errors.get(job.name), upcoming))
    return statuses


@dataclass
class QueueDepth:
    ready: int  # waiting and due now
    deferred: int  # waiting for a later run_after
    running: int


def queue_depth() -> QueueDepth | None:
    """django_tasks_db's DBTaskResult counts in one query; None with another task backend."""
    try:
        from django_tasks_db.models import DBTaskResult, get_date_max
    except ImportError:
        return None
    now = timezone.now()
    due = Q(run_after=get_date_max()) | Q(run_after__lte=now)
    counts = DBTaskResult.objects.aggregate(
        ready=Count("pk", filter=Q(status="READY") & due),
        deferred=Count("pk", filter=Q(status="READY") & ~due),
        running=Count("pk", filter=Q(status="RUNNING")),
    )
    return QueueDepth(**counts)


def heartbeats(limit: int = HEARTBEAT_LIST) -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.order_by("-seen_at")[:limit])


def is_alive(beat: WorkerHeartbeat, now: datetime | None = None) -> bool:
    return beat.seen_at >= (now or timezone.now()) - HEARTBEAT_FRESH


@cache
def migration_leaves() -> tuple[tuple[str, str], ...]:
    """The newest migration of each app on disk (computed once per process: code does not change)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    migrations = loader.disk_migrations
    leaves: set[tuple[str, str]] = set()
    for app in {key[0] for key in migrations}:
        names = [key for key in migrations if key[0] == app]
        depended = {dep for key in names for dep in migrations[key].dependencies if dep[0] == app}
        replaced = {tuple(r) for key in names for r in (migrations[key].replaces or [])}
        leaves.update(key for key in names if key not in depended and key not in replaced)
    return tuple(sorted(leaves))


def readiness(now: datetime | None = None) -> dict[str, dict[str, object]]:
    """The readiness checks (2 queries): the database answers with every migration applied, and a
    worker was seen within `HEARTBEAT_FRESH`. Each check: `{"ok": bool, "detail": str}`."""
    checks: dict[str, dict[str, object]] = {}
    leaves = migration_leaves()
    try:
        from django.db.migrations.recorder import MigrationRecorder

        wanted = Q()
        for app, name in leaves:
            wanted |= Q(app=app, name=name)
        applied = MigrationRecorder(connection).migration_qs.filter(wanted).count() if leaves else 0
    except Exception as exc:  # the database is down or refuses us
        # The answer is public: name the failure, keep host names and ports for the log.
        log.warning("readyz: database check failed: %s", exc)
        checks["database"] = {"ok": False, "detail": f"unreachable ({type(exc).__name__})"}
        checks["migrations"] = {"ok": False, "detail": "database unreachable"}
        checks["worker"] = {"ok": False, "detail": "database unreachable"}
        return checks
    checks["database"] = {"ok": True, "detail": "reachable"}
    missing = len(leaves) - applied
    checks["migrations"] = {
        "ok": missing == 0,
        "detail": "all applied" if missing == 0 else f"{missing} app(s) with unapplied migrations",
    }
    try:
        fresh = WorkerHeartbeat.objects.filter(seen_at__gte=(now or timezone.now()) - HEARTBEAT_FRESH).count()
    except Exception as exc:  # the table is missing before the first migrate
        log.warning("readyz: heartbeat check failed: %s", exc)
        checks["worker"] = {"ok": False, "detail": f"no heartbeat table ({type(exc).__name__})"}
        return checks
    checks["worker"] = {
        "ok": fresh > 0,
        "detail": f"{fresh} worker(s) seen within {int(HEARTBEAT_FRESH.total_seconds())} s"
        if fresh
        else f"no worker heartbeat within {int(HEARTBEAT_FRESH.total_seconds())} s",
    }
    return checks


def _clock(moment: time) -> str:
    """A wall-clock time as the reader writes it: 06.00 in Indonesian, 06:00 in English."""
    return moment.strftime("%H:%M" if (get_language() or "id").startswith("en") else "%H.%M")
