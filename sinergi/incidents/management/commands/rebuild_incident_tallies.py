"""`sinergi rebuild-incident-tallies`: recompute the stored report counts from the reports."""

from django.core.management.base import BaseCommand

from sinergi.incidents.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Recompute the per-area, per-category, per-day report counts (after a bulk load or to check them)."

    def handle(self, *args, **options):
        self.stdout.write(f"{tallies_rebuild()} tally rows written")
