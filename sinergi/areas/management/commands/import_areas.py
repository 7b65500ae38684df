from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sinergi.areas.area_import import import_areas
from sinergi.core.management.importing import add_common_arguments, run_import


class Command(BaseCommand):
    help = "Import the Kemendagri area list (CSV: code,name,level,parent_code,type), all or nothing."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument(
            "--delete-removed",
            action="store_true",
            help="delete codes missing from the file when nothing refers to them",
        )

    def handle(self, *args, file, as_user, delete_removed, **options):
        result = run_import(self, import_areas, file, as_user, delete_removed=delete_removed)
        if not result.changed:
            self.stdout.write(_("Tidak ada perubahan: basis data sudah sesuai dengan berkas ini."))
            return
        self.stdout.write(
            _("%(added)d wilayah ditambahkan, %(renamed)d berganti nama.")
            % {"added": len(result.added), "renamed": len(result.renamed)}
        )
        for code, old, new in result.renamed[:50]:
            self.stdout.write("  " + _("berganti nama %(code)s: %(old)s -> %(new)s") % {"code": code, "old": old, "new": new})
        for code in result.deleted:
            self.stdout.write("  " + _("dihapus %(code)s") % {"code": code})
        for code in result.kept_inactive:
            self.stdout.write(
                "  "
                + _("%(code)s tetap ada sebagai tidak aktif (tidak ada di edisi ini; masih dirujuk atau tidak diminta dihapus)")
                % {"code": code}
            )
        self.stdout.write(self.style.SUCCESS(_("Impor #%(batch)s selesai.") % {"batch": result.batch_id}))
