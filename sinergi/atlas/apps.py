from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class AtlasConfig(AppConfig):
    """The area pages and API: areas' tree and TPS list as each user may see them (above accounts)."""

    name = "sinergi.atlas"
    label = "atlas"
    verbose_name = "Area pages and area API"
    nav = [NavItem(_("Wilayah & TPS"), "areas:start", order=10)]
