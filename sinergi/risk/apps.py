from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class RiskConfig(AppConfig):
    name = "sinergi.risk"
    label = "risk"
    verbose_name = "Vulnerability mapping"
    nav = [NavItem(_("Kerawanan"), "risk:start", order=20)]
