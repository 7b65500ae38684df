from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    SMS = "sms", _("SMS")
    PUBLIC = "public", _("Formulir publik")
    IMPORT = "import", _("Impor berkas")
    SYSTEM = "system", _("Sistem")


class HistoryEntry(models.Model):
    """Who changed what, when and through which channel. Written only by `core.history`."""

    object_type = models.CharField(max_length=60)
    object_key = models.CharField(max_length=80)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    area_code = models.CharField(max_length=40, blank=True, help_text="scope used to decide who may read it")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_key", "-at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_key} {self.action}"


class InboundSms(models.Model):
    """Every SMS the gateway delivered, kept raw with the reply we sent (never edited)."""

    gateway_message_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    sender = models.CharField(max_length=40)
    text = models.TextField()
    keyword = models.CharField(max_length=20, blank=True)
    reply = models.TextField(blank=True)
    ok = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"
