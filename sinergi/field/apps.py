from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class FieldConfig(AppConfig):
    """The offline-first field app at /lapangan/ (issue 12)."""

    name = "sinergi.field"
    label = "field"
    verbose_name = "Field app"
    nav = [NavItem(_("Lapangan"), "field:index", order=90)]
