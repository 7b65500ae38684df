"""Runs of scheduled jobs and the heartbeats of worker processes."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One instance of a scheduled job: claimed by inserting this row (unique on job and moment), so
    two workers never run the same instance; retries and lost workers update it conditionally."""

    class Status(models.TextChoices):
        RUNNING = "running", _("berjalan")
        RETRY = "retry", _("menunggu ulang")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    job = models.CharField(max_length=100)
    scheduled_for = models.DateTimeField(help_text=_("saat instance ini jatuh tempo (UTC)"))
    zone = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    attempts = models.PositiveSmallIntegerField(default=1)
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    alarmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-scheduled_for", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "scheduled_for"], name="ops_jobrun_instance")]
        indexes = [
            models.Index(fields=["job", "-scheduled_for"], name="ops_jobrun_latest"),
            models.Index(fields=["job", "-scheduled_for"], name="ops_jobrun_errors", condition=~Q(error="")),
            models.Index(
                fields=["status", "next_attempt_at"],
                name="ops_jobrun_pending",
                condition=Q(status__in=["running", "retry"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.scheduled_for.isoformat()} ({self.status})"


class WorkerHeartbeat(models.Model):
    """A row per worker process, touched on every tick; `/readyz` wants one seen recently."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    tasks_run = models.PositiveIntegerField(default=0)
    jobs_run = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
