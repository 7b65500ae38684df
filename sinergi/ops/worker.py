"""`sinergi worker`: the one background process. It alternates django_tasks_db's task loop with the
scheduler tick, so nothing else needs starting:

- every `tick` seconds: the heartbeat row is touched and `ops.runner.tick` claims and runs the
  scheduled job instances that are due (one at a time; jobs that fan out enqueue tasks);
- every `pulse` seconds: the apps' pulses run (`schedule.pulses`: light calls that keep derived data
  current, e.g. the stored turnout tallies; no JobRun row);
- in between: queued tasks are claimed and run exactly as `db_worker` does (its `Worker.run_task`,
  the same locked claim), until the queue is empty or the next tick is due; then it sleeps
  `interval` seconds.

Several workers may run side by side (on one or several machines): tasks are claimed by
django_tasks_db's row lock, job instances by `JobRun`'s unique (job, scheduled_for).
"""

import logging
import os
import socket
import time
from datetime import timedelta

from django.db import DatabaseError, OperationalError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from sinergi.ops import runner, schedule
from sinergi.ops.models import WorkerHeartbeat

logger = logging.getLogger("sinergi.ops")

# Heartbeat rows of workers gone this long are removed when a worker starts.
FORGET_AFTER = timedelta(days=7)


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


class SinergiWorker(Worker):
    def __init__(self, *, tick: float, scheduler: bool = True, pulse: float = 2.0, **kwargs) -> None:
        kwargs.setdefault("batch", False)
        kwargs.setdefault("startup_delay", True)
        kwargs.setdefault("max_tasks", None)
        kwargs.setdefault("excluded_queue_names", [])
        super().__init__(**kwargs)
        self.tick_seconds = tick
        self.pulse_seconds = pulse
        self.scheduler = scheduler
        self.jobs_run = 0
        self.started_at = timezone.now()

    # --- heartbeat ---

    def register(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
            },
        )

    def beat(self) -> None:
        updated = WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
            seen_at=timezone.now(), tasks_run=self._run_tasks, jobs_run=self.jobs_run
        )
        if not updated:  # removed by hand, or the database was restored: register again
            self.register()

    # --- one scheduler tick ---

    def scheduler_tick(self) -> None:
        self.beat()
        if not self.scheduler:
            return
        self.running_task = True  # a SIGTERM now lets the job finish, as for a task
        try:
            outcome = runner.tick(worker=self.worker_id)
        finally:
            self.running_task = False
        self.jobs_run += outcome.claimed
        if outcome.claimed:
            logger.info(
                "tick: %d job instance(s) run, %d done, %d failed", outcome.claimed, outcome.done, outcome.failed
            )

    # --- the pulses between ticks ---

    def pulse(self) -> None:
        """Run every app's pulse; one failing is logged and does not stop the others or the loop."""
        if not self.scheduler:
            return
        for func in schedule.pulses():
            try:
                func()
            except DatabaseError:
                raise  # the loop's retry handles a lost database
            except Exception:
                logger.exception("pulse %s failed", getattr(func, "__qualname__", func))

    # --- tasks, as db_worker claims them ---

    def run_one_task(self) -> bool:
        """Claim and run one ready task (django_tasks_db's claim); False when there is none."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                task_result = None
        if task_result is None:
            return False
        self.run_task(task_result)
        return True

    def run(self) -> None:
        logger.info(
            "Starting sinergi worker worker_id=%s queues=%s tick=%ss",
            self.worker_id,
            ",".join(self.queue_names),
            self.tick_seconds,
        )
        if self.startup_delay:
            time.sleep(random_delay())
        next_tick = next_pulse = 0.0
        registered = False
        while self.running:
            close_old_connections()
            ran_task = False
            try:
                if not registered:
                    self.register()
                    registered = True
                if time.monotonic() >= next_tick:
                    next_tick = time.monotonic() + self.tick_seconds
                    self.scheduler_tick()
                if time.monotonic() >= next_pulse:
                    next_pulse = time.monotonic() + self.pulse_seconds
                    self.pulse()
                due = min(next_tick, next_pulse)
                while self.running and time.monotonic() < due and self.run_one_task():
                    ran_task = True
                    if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                        return
            except DatabaseError:
                # The database went away (restart, failover): keep the process and try again.
                logger.exception("worker %s: database error, retrying in %ss", self.worker_id, self.interval)
                close_old_connections()
            except Exception:
                # Anything else in the loop itself (jobs and tasks catch their own): log, never die.
                logger.exception("worker %s: unexpected error in the loop", self.worker_id)
            if self.running and not ran_task:
                time.sleep(max(0.0, min(self.interval, min(next_tick, next_pulse) - time.monotonic())))


def random_delay() -> float:
    import random

    return random.random()  # spreads workers started together, not a secret
