from django.core.management.base import BaseCommand

from sinergi.risk.services import instruments_load_defaults


class Command(BaseCommand):
    help = "Load Bawaslu's 2024 vulnerability instruments (version 1) if they are missing; never overwrites."

    def handle(self, *args, **options):
        for instrument in instruments_load_defaults():
            self.stdout.write(
                f"{instrument.slug} v{instrument.version}: {instrument.variables.count()} variables, "
                f"{instrument.indicators.count()} indicators"
            )
