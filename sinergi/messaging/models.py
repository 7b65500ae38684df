"""The outbound queue, inbound messages, opt-outs, Telegram chat links and message templates.

Nothing secret is stored here: gateway credentials come from settings; Telegram link tokens are kept
only as a SHA-256 digest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    EMAIL = "email", "E-mail"


class Status(models.TextChoices):
    QUEUED = "queued", _("antre")
    SENT = "sent", _("terkirim ke gateway")
    DELIVERED = "delivered", _("diterima")
    FAILED = "failed", _("gagal")


# A status never moves to a lower rank: a late "sent" callback after "delivered" changes nothing.
STATUS_RANK = {Status.QUEUED: 0, Status.SENT: 1, Status.DELIVERED: 2, Status.FAILED: 2}


# Which purposes leave first when a provider's rate is the bottleneck: a login code or a reply must
# not wait an hour behind a 1,447-message broadcast on a 25-a-minute Android gateway.
PRIORITY = {
    "otp": 100,
    "reply": 80,
    "escalation": 70,
    "missing_tps": 60,
    "incident_status": 50,
    "action_reminder": 40,
    "activation": 30,
    "broadcast": 0,
    "test_broadcast": 0,
}
DEFAULT_PRIORITY = 20
# What a purpose code reads as on the outbox page (`{{ m.purpose|label:"message_purpose" }}`).
PURPOSE_LABELS = {
    "otp": _("kode masuk"),
    "reply": _("balasan"),
    "escalation": _("eskalasi"),
    "missing_tps": _("TPS belum melapor"),
    "incident_status": _("status laporan"),
    "action_reminder": _("pengingat tindak lanjut"),
    "activation": _("aktivasi"),
    "broadcast": _("siaran"),
    "test_broadcast": _("uji siaran"),
    "alert": _("peringatan"),
    "info": _("informasi"),
}


def priority_of(purpose: str) -> int:
    return PRIORITY.get(purpose, DEFAULT_PRIORITY)


class OutboundMessage(models.Model):
    """One message to one address on one channel; the worker delivers it through `provider`."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    provider = models.CharField(max_length=20, blank=True)  # android, twilio, whatsapp, telegram, email
    address = models.CharField(max_length=254)  # E.164 phone, Telegram chat id or e-mail address
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound_messages"
    )
    text = models.TextField()
    purpose = models.CharField(max_length=40)
    priority = models.SmallIntegerField(default=DEFAULT_PRIORITY)  # higher leaves first (PRIORITY)
    # The recipient's area (their roster area or first membership): who may read the message in the outbox.
    area_code = models.CharField(max_length=20, blank=True, db_index=True)
    batch = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=300, blank=True)
    provider_message_id = models.CharField(max_length=120, null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)  # a worker's lease while it sends
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    fallback_at = models.DateTimeField(null=True, blank=True)  # when to try the next channel if not delivered
    fallback_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallbacks")
    fallback_done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"],
                condition=Q(provider_message_id__isnull=False),
                name="messaging_outbound_provider_id_unique",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="messaging_out_due"),
            models.Index(fields=["provider", "status", "-priority", "next_attempt_at"], name="messaging_out_claim"),
            models.Index(fields=["provider", "last_attempt_at"], name="messaging_out_rate"),
            models.Index(fields=["address", "created_at"], name="messaging_out_address"),
            models.Index(fields=["fallback_at"], condition=Q(fallback_done=False), name="messaging_out_fallback"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.address}: {self.status}"


class MessageEvent(models.Model):
    """Every status change and every callback as the gateway sent it (duplicates included)."""

    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=20)  # worker, callback
    applied = models.BooleanField(default=True)  # False: a duplicate or out-of-order callback
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class InboundMessage(models.Model):
    """A text that reached us on any channel, stored once per provider message id."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    provider = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=254)
    text = models.TextField()
    provider_message_id = models.CharField(max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages"
    )
    in_reply_to = models.ForeignKey(
        OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    keyword = models.CharField(max_length=20, blank=True)
    reply = models.TextField(blank=True)
    reply_message = models.ForeignKey(
        OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_message_id"], name="messaging_inbound_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.address}: {self.text[:40]}"


class OptOut(models.Model):
    """An address that sent BERHENTI; MULAI deletes the row. Send refuses opted-out addresses."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="messaging_optout_once")]


class TelegramLink(models.Model):
    """A user's Telegram chat, linked by `/start <token>` from a deep link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telegram_link")
    chat_id = models.CharField(max_length=40, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)


class TelegramLinkToken(models.Model):
    """A one-time deep-link token; only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class MessageTemplate(models.Model):
    """A message text as data, per language; `{name}` placeholders filled by `templates.render`."""

    key = models.CharField(max_length=40)
    language = models.CharField(max_length=5, default="id")
    description = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "language"]
        constraints = [models.UniqueConstraint(fields=["key", "language"], name="messaging_template_once")]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"


class EarlyReceipt(models.Model):
    """A status callback for a provider id the worker has not stored yet (the callback overtook the
    send's own answer); applied and deleted when the id is stored."""

    provider = models.CharField(max_length=20)
    provider_message_id = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["provider", "provider_message_id"], name="messaging_early_id")]


class ProviderLock(models.Model):
    """One row per provider, locked while a worker counts its rate window and claims messages."""

    provider = models.CharField(max_length=20, primary_key=True)
