"""`sinergi escalate-incidents [--every SECONDS | --schedule]`: escalate unacknowledged reports past
their service level. Run it from cron, loop with `--every 60`, or `--schedule` a self-renewing task
for the database task worker (`sinergi db_worker`)."""

import time

from django.core.management.base import BaseCommand

from sinergi.incidents.services import escalate_overdue


class Command(BaseCommand):
    help = "Escalate reports not acknowledged within their severity's service level one level up the area tree."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: run once)")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the task for the worker instead of running here"
        )

    def handle(self, *args, every: int, enqueue: bool, **options):
        while True:
            if enqueue:
                from sinergi.incidents.tasks import escalate_incidents

                escalate_incidents.enqueue()
                self.stdout.write("queued escalate_incidents")
            else:
                self.stdout.write(f"escalated {escalate_overdue()} report(s)")
            if every <= 0:
                return
            time.sleep(every)
