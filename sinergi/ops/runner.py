"""The scheduler tick: claim each due job instance once across all workers, run it, retry it, alarm.

Claiming is by insert: a `JobRun` row unique on (job, scheduled_for) is created in its own
transaction, and the worker whose insert wins runs the instance; a loser gets an IntegrityError
(PostgreSQL makes the second insert wait for the first to commit; SQLite serialises writers), so
this is correct on both without row locks. Retries and runs whose worker died are taken over by a
conditional UPDATE (`status` and `attempts` as they were read), which again only one worker wins.
"""

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sinergi.ops import schedule
from sinergi.ops.models import JobRun
from sinergi.ops.schedule import Job

log = logging.getLogger("sinergi.ops")

RESULT_LIMIT = 500
ERROR_LIMIT = 4000


@dataclass
class TickResult:
    claimed: int = 0
    done: int = 0
    failed: int = 0  # attempts that raised (a retry may follow)


def tick(*, now: datetime | None = None, worker: str = "", jobs: tuple[Job, ...] | None = None) -> TickResult:
    """Run everything due at `now`: new instances, retries whose time has come, runs that lost their worker.
    In the steady state (nothing due) that is three queries: the due instances' rows, the unfinished
    runs, and one per job whose moments come from data."""
    now = now or timezone.now()
    outcome = TickResult()
    known = jobs if jobs is not None else schedule.jobs()
    by_name = {job.name: job for job in known}
    due: list[tuple[Job, datetime, str]] = []
    for job in known:
        try:
            due.extend((job, moment, zone) for moment, zone in schedule.latest_due(job, now))
        except Exception:  # a broken moments provider must not stop the other jobs
            log.exception("job %s: cannot tell when it is due", job.name)
    if due:
        wanted = Q()
        for job, moment, _zone in due:
            wanted |= Q(job=job.name, scheduled_for=moment)
        claimed = set(JobRun.objects.filter(wanted).values_list("job", "scheduled_for"))
        for job, moment, zone in due:
            if (job.name, moment) in claimed:
                continue
            run = _claim_new(job, moment, zone, now, worker)
            if run is not None:
                _execute(job, run, now, outcome)
    for run in _pending(now, by_name):
        job = by_name[run.job]
        taken = _take_over(run, now, worker)
        if taken is not None:
            _execute(job, taken, now, outcome)
    return outcome


def _claim_new(job: Job, moment: datetime, zone: str, now: datetime, worker: str) -> JobRun | None:
    """Insert the instance's row; the unique (job, scheduled_for) lets exactly one worker succeed."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name, scheduled_for=moment, zone=zone, worker=worker, started_at=now, attempts=1
            )
    except IntegrityError:
        return None  # another worker claimed this instance first


def _pending(now: datetime, by_name: dict[str, Job]) -> list[JobRun]:
    """Runs waiting for a retry whose time has come, and running ones that may have lost their worker.
    The filter is exactly the partial index's condition (few rows: only unfinished runs); the rest is
    decided here, per job."""
    unfinished = JobRun.objects.filter(status__in=[JobRun.Status.RUNNING, JobRun.Status.RETRY]).order_by(
        "scheduled_for"
    )[:200]
    due = []
    for run in unfinished:
        job = by_name.get(run.job)
        if job is None:
            continue
        retry_due = run.status == JobRun.Status.RETRY and run.next_attempt_at and run.next_attempt_at <= now
        lost = run.status == JobRun.Status.RUNNING and run.started_at <= now - job.lease
        if retry_due or lost:
            due.append(run)
    return due


def _take_over(run: JobRun, now: datetime, worker: str) -> JobRun | None:
    """Claim a retry or a lost run by a conditional update; None if another worker was faster."""
    claimed = JobRun.objects.filter(pk=run.pk, status=run.status, attempts=run.attempts).update(
        status=JobRun.Status.RUNNING, attempts=run.attempts + 1, worker=worker, started_at=now, next_attempt_at=None
    )
    if not claimed:
        return None
    run.refresh_from_db()
    return run


def _execute(job: Job, run: JobRun, now: datetime, outcome: TickResult) -> None:
    outcome.claimed += 1
    if run.attempts > job.retries + 1:  # a lost run that already used every attempt
        _finish_failed(job, run, now, run.error or "worker lost while running", outcome)
        return
    try:
        result = schedule.call(job, now=run.scheduled_for, zone=run.zone)
    except Exception as exc:  # any failure of a job is recorded, retried and alarmed
        detail = "".join(traceback.format_exception(exc))[-ERROR_LIMIT:]
        log.error(
            "job %s (%s) attempt %d/%d failed: %s",
            job.name,
            run.scheduled_for.isoformat(),
            run.attempts,
            job.retries + 1,
            exc,
        )
        if run.attempts <= job.retries:
            run.status = JobRun.Status.RETRY
            run.next_attempt_at = now + job.retry_after
            run.error = detail
            run.save(update_fields=["status", "next_attempt_at", "error"])
            outcome.failed += 1
        else:
            _finish_failed(job, run, now, detail, outcome)
        return
    run.status = JobRun.Status.DONE
    run.finished_at = timezone.now()
    run.result = ("" if result is None else repr(result))[:RESULT_LIMIT]
    run.error = ""
    run.save(update_fields=["status", "finished_at", "result", "error"])
    outcome.done += 1


def _finish_failed(job: Job, run: JobRun, now: datetime, detail: str, outcome: TickResult) -> None:
    outcome.failed += 1
    run.status = JobRun.Status.FAILED
    run.finished_at = timezone.now()
    run.error = detail[-ERROR_LIMIT:]
    previous = (
        JobRun.objects.filter(job=job.name, scheduled_for__lt=run.scheduled_for, finished_at__isnull=False)
        .order_by("-scheduled_for")
        .values_list("status", flat=True)
        .first()
    )
    # One alarm per failing streak: a job failing every minute does not page the admins every minute.
    run.alarmed = previous != JobRun.Status.FAILED
    run.save(update_fields=["status", "finished_at", "error", "alarmed"])
    log.error(
        "job %s (%s) failed after %d attempt(s); the next instance runs on schedule",
        job.name,
        run.scheduled_for.isoformat(),
        run.attempts,
    )
    if run.alarmed:
        alarm(job, run)


def alarm(job: Job, run: JobRun) -> None:
    """Tell the national administrators that a scheduled job gave up (in-app notification + e-mail)."""
    from sinergi.accounts.notifications import notify
    from sinergi.ops.selectors import national_admins

    last_line = (run.error.strip().splitlines() or [""])[-1][:300]
    with override("id"):
        title = _("Tugas terjadwal gagal: %(job)s") % {"job": job.name}
        body = _(
            "Instance %(moment)s gagal setelah %(attempts)d percobaan. Instance berikutnya tetap berjalan "
            "sesuai jadwal. Galat terakhir: %(error)s"
        ) % {"moment": run.scheduled_for.isoformat(), "attempts": run.attempts, "error": last_line}
    try:
        notify(users=national_admins(), title=title, body=body, url="/ops/", source="ops")
    except Exception:  # the alarm must never take the worker down with it
        log.exception("could not notify the administrators about job %s", job.name)
