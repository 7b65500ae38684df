"""Import a named roster: `sinergi deployment_roster FILE --user USERNAME` (all rows or none)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.core.errors import DomainError, ImportFailed
from sinergi.deployment.services import roster_import


class Command(BaseCommand):
    help = "Import a personnel roster CSV (id_number, rank, name, unit, status[, pool]); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="the planner on whose authority the roster is imported")

    def handle(self, *args, file: Path, user: str, **options):
        # A deactivated account has lost its authority: it signs in nowhere, so it imports nothing here.
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(_("pengguna %(name)s tidak dikenal atau tidak aktif") % {"name": user})
        try:
            count = roster_import(path=file, actor=actor)
        except ImportFailed as exc:
            raise CommandError("\n".join([exc.detail, *(str(e) for e in exc.errors)])) from None
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(_("%(count)d personel disimpan") % {"count": count})
