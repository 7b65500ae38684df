from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class AreasConfig(AppConfig):
    name = "sinergi.areas"
    label = "areas"
    verbose_name = "Areas and polling stations"
    nav = [NavItem(_("Wilayah & TPS"), "areas:start", order=10)]
