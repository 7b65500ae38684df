from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class GrantsConfig(AppConfig):
    name = "sinergi.grants"
    label = "grants"
    verbose_name = "Election grants"
    nav = [NavItem(_("Hibah"), "grants:start", order=60)]

    def ready(self) -> None:
        # After every migrate and every flush: ledger rows may not be deleted (see grants.integrity).
        post_migrate.connect(_relock, sender=self, dispatch_uid="grants-ledger-relock")


def _relock(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    from sinergi.grants.integrity import ledger_relock

    ledger_relock(using)
