"""`sinergi replay-voting-day`: play a synthetic voting day into an election, in real time or faster,
so the live board can be watched filling up."""

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.areas.models import Election, PollingStation
from sinergi.turnout.models import Report, Slot
from sinergi.turnout.plan import plan_day
from sinergi.turnout.replay import play
from sinergi.turnout.setup import election_prepare


class Command(BaseCommand):
    help = "Replay a synthetic voting day through the report service (e.g. --speed 60: one hour per minute)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--election", default="psu-kukar-2025", help="election slug (default psu-kukar-2025)")
        parser.add_argument("--speed", type=float, default=60.0, help="simulated seconds per real second; 0 = at once")
        parser.add_argument("--turnout", type=Decimal, default=Decimal("67.76"), help="final turnout to end at, in %%")
        parser.add_argument("--reporter", default="kpu.kukar", help="username of the reporting KPU operator")
        parser.add_argument("--second-reporter", default="pps.kukar", help="username of a second reporter")
        parser.add_argument("--reset", action="store_true", help="delete this election's reports first")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="where the app is served, for the board's link"
        )

    def handle(self, *args, **options) -> None:
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(_("pemilihan %(slug)s tidak ditemukan") % {"slug": options["election"]})
        users = {
            "primary": User.objects.filter(username=options["reporter"]).first(),
            "second": User.objects.filter(username=options["second_reporter"]).first(),
        }
        if users["primary"] is None:
            raise CommandError(_("pengguna %(name)s tidak ditemukan") % {"name": options["reporter"]})
        users["second"] = users["second"] or users["primary"]
        election_prepare(election)
        if options["reset"]:
            Slot.objects.filter(checkpoint__election=election).update(
                voters=None,
                voters_male=None,
                voters_female=None,
                flagged=False,
                held=False,
                versions=0,
                current=None,
                reported_at=None,
            )
            Report.objects.filter(slot__checkpoint__election=election).delete()
        elif Report.objects.filter(slot__checkpoint__election=election).exists():
            raise CommandError(
                _("%(slug)s sudah memiliki laporan; gunakan --reset untuk memutar ulang") % {"slug": election.slug}
            )
        stations = list(
            PollingStation.objects.within(election.region_id).order_by("code").values_list("code", "dpt_total")
        )
        dpt_total = sum(d for _, d in stations)
        voters = int(dpt_total * options["turnout"] / 100)
        plan = plan_day(
            [c for c, _ in stations],
            [d for _, d in stations],
            total_voters=voters,
            voting_date=election.voting_date,
            seed=options["seed"],
        )
        board = reverse("turnout:board", args=[election.region_id]) + "?" + urlencode({"pemilihan": election.slug})
        self.stdout.write(
            _("Memutar ulang %(n)s laporan untuk %(election)s, kecepatan %(speed)sx")
            % {"n": len(plan), "election": election.name, "speed": f"{options['speed']:g}"}
        )
        self.stdout.write(
            _("Papan partisipasi (mengikuti jam pemutaran): %(url)s")
            % {"url": f"{options['base_url'].rstrip('/')}{board}"}
        )
        stored = play(plan, election, users, speed=options["speed"] or None, say=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                _("Selesai: %(n)s laporan, akhir %(voters)s dari %(dpt)s pemilih")
                % {"n": stored, "voters": voters, "dpt": dpt_total}
            )
        )
