from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sinergi.core.management.importing import add_common_arguments, run_import
from sinergi.people.roster_import import import_people
from sinergi.people.services import activation_send


class Command(BaseCommand):
    help = (
        "Import a field roster (CSV: name, phone, role, agency, area_code[, email, position, tps_code]), all or "
        "nothing; a row whose phone is known updates that person. New people get an activation link by their "
        "channel unless --no-activation."
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and count the changes; store nothing"
        )
        parser.add_argument("--no-activation", action="store_true", help="do not send activation links to new people")
        parser.add_argument("--note", default="", help="provenance kept with the import batch")

    def handle(self, *args, file, as_user, dry_run, no_activation, note, **options):
        result = run_import(self, import_people, file, as_user, dry_run=dry_run, note=note)
        for line, name, diff in result.changes[:50]:
            fields = ", ".join(f"{key}: {old} -> {new}" for key, (old, new) in diff.items())
            self.stdout.write(_("baris %(line)d %(name)s: %(fields)s") % {"line": line, "name": name, "fields": fields})
        summary = _(
            "%(added)d ditambahkan, %(updated)d diperbarui, %(unchanged)d tidak berubah, %(phones)d nomor HP ditambahkan"
        ) % {
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "phones": result.phones_added,
        }
        if dry_run:
            self.stdout.write(_("Uji coba: %(summary)s. Tidak ada yang disimpan.") % {"summary": summary})
            return
        if not result.changed:
            self.stdout.write(_("Tidak ada perubahan: basis data sudah sesuai dengan berkas ini."))
            return
        self.stdout.write(self.style.SUCCESS(_("Impor #%(batch)s: %(summary)s.") % {"batch": result.batch_id, "summary": summary}))
        if result.new_user_ids and not no_activation:
            sent = activation_send(result.new_user_ids)
            unreachable = len(sent.unreachable or [])
            self.stdout.write(
                _("Tautan aktivasi diantrekan untuk %(queued)d orang; %(unreachable)d tidak dapat dihubungi.")
                % {"queued": sent.queued, "unreachable": unreachable}
            )
