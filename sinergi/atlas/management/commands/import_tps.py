from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sinergi.areas.models import Area
from sinergi.atlas.tps_import import import_tps_guarded
from sinergi.core.management.importing import add_common_arguments, run_import


class Command(BaseCommand):
    help = (
        "Import a TPS list (CSV: tps_code or desa_code+tps_number, dpt_male, dpt_female[, dpt_total, "
        "special, lat, lng, address]), all or nothing."
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument(
            "--delete-removed", action="store_true", help="delete TPS of the file's desa that the file no longer lists"
        )
        parser.add_argument("--note", default="", help="provenance shown on the area pages")

    def handle(self, *args, file, as_user, delete_removed, note, **options):
        result = run_import(self, import_tps_guarded, file, as_user, delete_removed=delete_removed, note=note)
        names = dict(Area.objects.filter(code__in=list(result.per_kecamatan)).values_list("code", "name"))
        self.stdout.write(f"{'kecamatan':<12} {'name':<28} {'TPS':>7} {'DPT':>10}")
        for code, totals in result.per_kecamatan.items():
            self.stdout.write(f"{code:<12} {names.get(code, '?'):<28} {totals['tps']:>7} {totals['dpt']:>10}")
        self.stdout.write(
            f"{'total':<41} {sum(t['tps'] for t in result.per_kecamatan.values()):>7} "
            f"{sum(t['dpt'] for t in result.per_kecamatan.values()):>10}"
        )
        if result.missing_from_file:
            self.stdout.write(
                f"{len(result.missing_from_file)} TPS of these desa are not in the file"
                + (
                    f"; deleted {len(result.deleted)}, kept {len(result.kept)} still referenced"
                    if delete_removed
                    else " (kept; use --delete-removed to delete them)"
                )
            )
        if not result.changed:
            self.stdout.write(_("Tidak ada perubahan: basis data sudah sesuai dengan berkas ini."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Import #{result.batch_id}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
