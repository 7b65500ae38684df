from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class SituationConfig(AppConfig):
    name = "sinergi.situation"
    label = "situation"
    verbose_name = "Situation room"
    nav = [NavItem(_("Ruang situasi"), "situation:start", order=5)]
