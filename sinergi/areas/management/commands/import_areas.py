from django.core.management.base import BaseCommand

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
            self.stdout.write("No changes: the database already matches this file.")
            return
        self.stdout.write(f"Added {len(result.added)} areas, renamed {len(result.renamed)}.")
        for code, old, new in result.renamed[:50]:
            self.stdout.write(f"  renamed {code}: {old} -> {new}")
        for code in result.deleted:
            self.stdout.write(f"  deleted {code}")
        for code in result.kept_inactive:
            self.stdout.write(f"  kept inactive {code} (not in this edition; still referenced or not asked to delete)")
        self.stdout.write(self.style.SUCCESS(f"Import #{result.batch_id} done."))
