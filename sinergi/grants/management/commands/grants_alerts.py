import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.grants.alerts import alerts_send


class Command(BaseCommand):
    help = "Notify late grant tranches and refund deadlines (each once). Run daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="judge as of this date (YYYY-MM-DD)")

    def handle(self, *args, today: dt.date | None = None, **options) -> None:
        sent = alerts_send(today or timezone.localdate())
        self.stdout.write(_("%(count)d peringatan hibah baru dikirim") % {"count": sent})
