"""Who gets what: broadcasts to field staff with their recipients, the alerts already sent (so a
re-run sends nothing twice), reporters' consent to status updates, rehearsal test reports and the
call list's contact log.

Message delivery itself (queue, channels, receipts, replies) belongs to `messaging`; a recipient row
points at its `OutboundMessage`, and replies are `InboundMessage.in_reply_to` that message.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.areas.models import Area


class BroadcastState(models.TextChoices):
    PENDING = "pending", _("menunggu persetujuan")
    SENT = "sent", _("dikirim")
    CANCELLED = "cancelled", _("dibatalkan")


class Broadcast(models.Model):
    """One text to everyone of some roles and agency kinds inside an area. Above the size setting
    (`SINERGI_BROADCAST_APPROVAL_ABOVE`) it waits for a second approver, who is not its sender."""

    code = models.CharField(max_length=8, unique=True, help_text=_("kode pendek yang dibalas penerima"))
    client_id = models.CharField(max_length=80, unique=True, null=True, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="area_code")
    roles = models.JSONField(default=list, blank=True, help_text=_("peran penerima; kosong = semua"))
    agency_kinds = models.JSONField(default=list, blank=True, help_text=_("jenis instansi; kosong = semua"))
    text = models.TextField()
    is_test = models.BooleanField(default=False, help_text=_("siaran uji gladi yang meminta balasan"))
    state = models.CharField(max_length=10, choices=BroadcastState.choices, default=BroadcastState.PENDING)
    recipient_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "-created_at"], name="reach_broadcast_area")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("created_by")),
                name="reach_broadcast_approver_not_sender",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.area_id}"

    @property
    def batch(self) -> str:
        """The `OutboundMessage.batch` of every message of this broadcast."""
        return f"{'gladi' if self.is_test else 'siaran'}:{self.code}"


class Recipient(models.Model):
    """One person a broadcast went to, with the area of the membership that selected them (the
    delivery board groups by it) and the message queued for them, or why none was."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    area_code = models.CharField(max_length=24)
    message = models.ForeignKey(
        "messaging.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refused = models.CharField(max_length=200, blank=True, help_text=_("mengapa tidak ada pesan (mis. berhenti)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["broadcast", "user"], name="reach_recipient_once")]
        indexes = [models.Index(fields=["broadcast", "area_code"], name="reach_recipient_area")]


class AlertKind(models.TextChoices):
    MISSING_TPS = "missing_tps", _("TPS belum melapor")
    REPORTER = "reporter", _("kabar untuk pelapor")
    REMINDER = "reminder", _("pengingat tindak lanjut")
    ESCALATION = "escalation", _("eskalasi")


class AlertSent(models.Model):
    """One alert to one person about one thing (`subject`: a TPS at a checkpoint, a report state,
    an action item on a day, an escalation level). Unique, so a re-run or a retry sends nothing twice."""

    kind = models.CharField(max_length=12, choices=AlertKind.choices)
    subject = models.CharField(max_length=120)
    # "user:<id>" or "address:<E.164>": one key, so the unique constraint also holds without a user.
    recipient = models.CharField(max_length=260)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    address = models.CharField(max_length=254, blank=True)
    area_code = models.CharField(max_length=24, blank=True)
    message = models.ForeignKey(
        "messaging.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refused = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "recipient"], name="reach_alert_once"),
        ]
        indexes = [models.Index(fields=["kind", "area_code"], name="reach_alert_area")]


class ReporterConsent(models.Model):
    """A public reporter agreed to hear back about their report at this address (E.164)."""

    report = models.OneToOneField("incidents.Report", on_delete=models.CASCADE, related_name="reach_consent")
    address = models.CharField(max_length=16)
    agreed_at = models.DateTimeField()


class TestReport(models.Model):
    """A rehearsal (gladi) test report: a reply to a test broadcast, the GLADI keyword, or the web button."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)  # sms, whatsapp, telegram, email, web
    broadcast = models.ForeignKey(Broadcast, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "channel"], name="reach_testreport_user")]


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("terhubung")
    CALLED = "called", _("sudah ditelepon")
    NO_ANSWER = "no_answer", _("tidak diangkat")
    WRONG_NUMBER = "wrong_number", _("nomor salah")


class ContactLog(models.Model):
    """A coordinator's call to someone on the call list. Append-only."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    area_code = models.CharField(max_length=24)
    outcome = models.CharField(max_length=12, choices=ContactOutcome.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="reach_contact_person")]
