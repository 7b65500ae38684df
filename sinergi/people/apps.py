from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class PeopleConfig(AppConfig):
    """Field rosters, phones, activation and one-time-code login (issue 13)."""

    name = "sinergi.people"
    label = "people"
    verbose_name = "People"
    nav = [NavItem(_("Petugas"), "people:start", order=80)]
