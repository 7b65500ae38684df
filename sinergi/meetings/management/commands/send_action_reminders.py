"""`sinergi send-action-reminders [--enqueue] [--at ISO]`: remind responsible agencies of due and overdue
action items, by hand (`sinergi worker` runs the hourly `meetings.action_reminders` job). Safe to run
as often as you like: one reminder per item per local day."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sinergi.meetings.reminders import reminders_send
from sinergi.meetings.tasks import send_action_reminders


class Command(BaseCommand):
    help = "Send reminders for action items due soon or overdue (in-app and e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue for the worker instead of running now")
        parser.add_argument("--at", help="pretend the time is this ISO moment with offset (for rehearsals)")

    def handle(self, *args, enqueue: bool, at: str | None, **options):
        if enqueue:
            queued = send_action_reminders.enqueue()
            self.stdout.write(_("tugas %(id)s diantrekan") % {"id": queued.id})
            return
        now = None
        if at:
            try:
                now = datetime.fromisoformat(at)
            except ValueError as exc:
                raise CommandError(_("--at: '%(value)s' bukan waktu ISO") % {"value": at}) from exc
            if now.tzinfo is None:
                raise CommandError(_("--at perlu zona waktu, mis. 2024-10-01T08:00+08:00"))
        result = reminders_send(now=now)
        self.stdout.write(
            _("segera jatuh tempo: %(soon)d, lewat tenggat: %(overdue)d, sudah dikirim: %(skipped)d")
            % {"soon": result.due_soon, "overdue": result.overdue, "skipped": result.skipped}
        )
