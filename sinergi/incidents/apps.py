from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class IncidentsConfig(AppConfig):
    name = "sinergi.incidents"
    label = "incidents"
    verbose_name = "Incidents and early warning"
    nav = [NavItem(_("Laporan"), "incidents:queue", order=30)]
