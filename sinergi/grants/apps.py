from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class GrantsConfig(AppConfig):
    name = "sinergi.grants"
    label = "grants"
    verbose_name = "Election grants"
    nav = [NavItem(_("Hibah"), "grants:start", order=60)]
