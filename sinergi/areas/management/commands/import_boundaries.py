from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sinergi.areas.boundary_import import import_boundaries
from sinergi.core.management.importing import add_common_arguments, run_import


class Command(BaseCommand):
    help = "Import GeoJSON boundaries keyed by properties.code, all or nothing."

    def add_arguments(self, parser):
        add_common_arguments(parser)

    def handle(self, *args, file, as_user, **options):
        result = run_import(self, import_boundaries, file, as_user)
        if result.batch_id is None:
            self.stdout.write(_("Tidak ada perubahan: basis data sudah sesuai dengan berkas ini."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Import #{result.batch_id}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
