from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class MeetingsConfig(AppConfig):
    name = "sinergi.meetings"
    label = "meetings"
    verbose_name = "Coordination meetings"
    nav = [NavItem(_("Rapat"), "meetings:index", order=70)]
