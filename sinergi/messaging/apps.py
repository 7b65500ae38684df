from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Outbound and inbound messages by SMS, WhatsApp, Telegram and e-mail (issue 13)."""

    name = "sinergi.messaging"
    label = "messaging"
    verbose_name = "Messaging"
