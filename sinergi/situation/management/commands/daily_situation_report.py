"""`sinergi daily-situation-report [--area CODE ...|--all-regencies] [--enqueue]`: build today's laporan
situasi harian (PDF and XLSX) and keep it in the dated archive, by hand. Every morning `sinergi worker`
runs the `situation.daily_report` job at 06.00 in each zone (situation/jobs.py)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sinergi.areas.models import Area
from sinergi.core.errors import DomainError
from sinergi.situation.services import daily_report_generate, regency_codes
from sinergi.situation.tasks import generate_daily_report


class Command(BaseCommand):
    help = "Generate today's daily situation report for areas (PDF + XLSX, archived by date)."

    def add_arguments(self, parser):
        parser.add_argument("--area", action="append", default=[], help="area code (repeatable)")
        parser.add_argument("--all-regencies", action="store_true", help="every active kabupaten/kota")
        parser.add_argument("--enqueue", action="store_true", help="queue one task per area for the worker")

    def handle(self, *args, area: list[str], all_regencies: bool, enqueue: bool, **options):
        codes = regency_codes() if all_regencies else area
        if not codes:
            raise CommandError(_("sebutkan --area KODE atau --all-regencies"))
        unknown = sorted(set(codes) - set(Area.objects.filter(code__in=codes).values_list("code", flat=True)))
        if unknown:
            raise CommandError(_("kode wilayah tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)})
        if enqueue:
            for code in codes:
                generate_daily_report.enqueue(code)
            self.stdout.write(_("%(count)d laporan diantrekan") % {"count": len(codes)})
            return
        started, failed = time.perf_counter(), 0
        for code in codes:
            try:
                report = daily_report_generate(area_code=code)
            except DomainError as exc:
                failed += 1
                self.stderr.write(f"{code}: {exc.detail}")
                continue
            if options["verbosity"] > 1:
                self.stdout.write(f"{code}: {report.pdf.name}")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{len(codes) - failed} report(s) in {elapsed:.1f} s" + (f", {failed} failed" if failed else "")
        )
