from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class ReachConfig(AppConfig):
    """Who gets what: broadcasts, alert routing to field staff, the rehearsal (gladi) board and the
    call list (issue 13)."""

    name = "sinergi.reach"
    label = "reach"
    verbose_name = "Reach"
    nav = [NavItem(_("Jangkauan"), "reach:index", order=85)]
