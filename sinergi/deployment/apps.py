from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class DeploymentConfig(AppConfig):
    name = "sinergi.deployment"
    label = "deployment"
    verbose_name = "Security deployment"
    nav = [NavItem(_("Pengamanan"), "deployment:index", order=40)]
