from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class TurnoutConfig(AppConfig):
    name = "sinergi.turnout"
    label = "turnout"
    verbose_name = "Voter participation"
    nav = [NavItem(_("Partisipasi"), "turnout:index", order=50)]
