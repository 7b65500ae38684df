"""`sinergi worker`: run queued tasks and the scheduled jobs in one process (see ops/worker.py)."""

import logging
from argparse import ArgumentParser

from django.core.management.base import BaseCommand
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import (
    valid_backend_name,
    valid_interval,
    valid_max_tasks,
    validate_worker_id,
)

from sinergi.ops.worker import SinergiWorker, default_worker_id


class Command(BaseCommand):
    help = "Run queued background tasks and the scheduled jobs of every app (one process; start one or more)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME, help="queues, comma-separated, or '*'")
        parser.add_argument("--interval", default=1.0, type=valid_interval, help="seconds to sleep when idle")
        parser.add_argument(
            "--tick", default=10.0, type=valid_interval, help="seconds between scheduler ticks and heartbeats"
        )
        parser.add_argument(
            "--pulse", default=2.0, type=valid_interval, help="seconds between the apps' pulses (stored tallies)"
        )
        parser.add_argument("--no-scheduler", action="store_false", dest="scheduler", help="run tasks only")
        parser.add_argument(
            "--backend", default=DEFAULT_TASK_BACKEND_ALIAS, type=valid_backend_name, dest="backend_name"
        )
        parser.add_argument("--no-startup-delay", action="store_false", dest="startup_delay")
        parser.add_argument("--max-tasks", default=None, type=valid_max_tasks, help="exit after this many tasks")
        parser.add_argument(
            "--worker-id", type=validate_worker_id, default=None, help="unique id (default: host-pid-random)"
        )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        tick: float,
        pulse: float,
        scheduler: bool,
        backend_name: str,
        startup_delay: bool,
        max_tasks: int | None,
        worker_id: str | None,
        **options,
    ) -> None:
        # As db_worker does for its own loggers: INFO by default, DEBUG with -v2, errors only with -v0.
        level = {0: logging.ERROR, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in (TASKS_LOGGER, "django_tasks_db", "sinergi.ops"):
            named = logging.getLogger(name)
            named.setLevel(level)
            if not named.hasHandlers():
                named.addHandler(logging.StreamHandler(self.stderr))
        worker = SinergiWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            tick=tick,
            pulse=pulse,
            scheduler=scheduler,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or default_worker_id(),
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            worker.reset_signals()
