from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class MessagingConfig(AppConfig):
    """Outbound and inbound messages by SMS, WhatsApp, Telegram and e-mail (issue 13)."""

    name = "sinergi.messaging"
    label = "messaging"
    verbose_name = "Messaging"
    nav = [NavItem(_("Pesan"), "messaging:outbox", order=87)]
