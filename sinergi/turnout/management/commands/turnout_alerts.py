"""`sinergi turnout-alerts`: notify KPU/PPK/PPS of kecamatan with TPS still missing after a checkpoint.
Run it from cron a few minutes after each checkpoint on voting day."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sinergi.areas.models import Election
from sinergi.turnout import selectors
from sinergi.turnout.alerts import missing_alerts_send


class Command(BaseCommand):
    help = "Send missing-TPS alerts for the current (or given) checkpoint of an election."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("election")
        parser.add_argument("--checkpoint", default=None)

    def handle(self, *args, **options) -> None:
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(_("pemilihan %(slug)s tidak ditemukan") % {"slug": options["election"]})
        _election, checkpoint = selectors.election_and_checkpoint(
            election.region_id, election.slug, options["checkpoint"]
        )
        sent = missing_alerts_send(election=election, checkpoint=checkpoint)
        self.stdout.write(_("%(count)d kecamatan diperingatkan untuk %(checkpoint)s") % {"count": sent, "checkpoint": checkpoint.label})
