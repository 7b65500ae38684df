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
            "--schedule", action="store_true", help="queue a check every minute for the task worker, then exit"
        )

    def handle(self, *args, every: int, schedule: bool, **options):
        if schedule:
            from sinergi.incidents.tasks import schedule_escalation

            queued = schedule_escalation()
            self.stdout.write(
                "escalation check scheduled" if queued else "already scheduled, or the backend cannot defer"
            )
            return
        while True:
            self.stdout.write(f"escalated {escalate_overdue()} report(s)")
            if every <= 0:
                return
            time.sleep(every)
