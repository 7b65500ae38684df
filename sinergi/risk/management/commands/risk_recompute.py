from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sinergi.core.errors import Conflict
from sinergi.risk.models import AssessmentRound
from sinergi.risk.recompute import round_recompute


class Command(BaseCommand):
    help = "Rescore a round's checklists and rewrite its stored roll-ups (after editing weights or rules)."

    def add_arguments(self, parser):
        parser.add_argument("round", help="round code (slug)")

    def handle(self, *args, **options):
        round_ = AssessmentRound.objects.select_related("instrument").filter(slug=options["round"]).first()
        if round_ is None:
            raise CommandError(_("putaran %(slug)s tidak ditemukan") % {"slug": options["round"]})
        try:
            result = round_recompute(round_)
        except Conflict as exc:  # a closed round is immutable
            raise CommandError(exc.detail) from exc
        self.stdout.write(
            f"{result.tps} TPS, {result.areas} area roll-ups written, {result.checklists_updated} checklists rescored"
        )
