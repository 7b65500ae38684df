"""`sinergi turnout-tally`: bring the stored turnout roll-ups up to date now (what the worker does at
every pulse), or rebuild them from scratch (`--rebuild`, optionally for one election)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sinergi.areas.models import Election
from sinergi.turnout import tally


class Command(BaseCommand):
    help = "Refresh the stored turnout roll-ups from the changed slots, or rebuild them (--rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute every tally from the slots")
        parser.add_argument("--election", default=None, help="with --rebuild: only this election (slug)")

    def handle(self, *args, **options) -> None:
        election = None
        if options["election"]:
            election = Election.objects.filter(slug=options["election"]).first()
            if election is None:
                raise CommandError(_("pemilihan %(slug)s tidak ditemukan") % {"slug": options["election"]})
        if options["rebuild"] or election is not None:
            result = tally.rebuild(election)
            self.stdout.write(_("Rekap partisipasi dibangun ulang: %(n)d titik waktu") % {"n": result.checkpoints})
            return
        result = tally.refresh()
        if not result.ran:
            self.stdout.write(_("Proses lain sedang memperbarui rekap partisipasi"))
            return
        self.stdout.write(
            _("Rekap partisipasi diperbarui: %(desa)d desa pada %(n)d titik waktu")
            % {"desa": result.desas, "n": result.checkpoints}
        )
