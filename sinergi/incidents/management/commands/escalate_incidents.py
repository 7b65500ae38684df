"""`sinergi escalate-incidents [--every SECONDS]`: escalate unacknowledged reports past their service
level, by hand. In production `sinergi worker` runs the `incidents.escalate` job every minute
(incidents/jobs.py); this command is for a manual run or a loop with `--every 60`."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sinergi.incidents.services import escalate_overdue


class Command(BaseCommand):
    help = "Escalate reports not acknowledged within their severity's service level one level up the area tree."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args, every: int, **options):
        while True:
            self.stdout.write(_("%(count)d laporan dieskalasi") % {"count": escalate_overdue()})
            if every <= 0:
                return
            time.sleep(every)
