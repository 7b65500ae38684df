"""People on a field roster: the person behind an account, their phones, activation links and
one-time login codes. Secrets (activation tokens, login codes) are stored only as SHA-256 hashes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    EMAIL = "email", _("E-mail")


class Person(models.Model):
    """The field person behind one `accounts.User` (KPPS chair, TPS supervisor, PPS, kades, ...)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    # The roster row's role x agency x area (the person's Membership), kept here so that rosters,
    # sheets and exports per area read one table.
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_column="area_code"
    )
    position = models.CharField(max_length=120, blank=True, help_text=_("jabatan, mis. Ketua KPPS"))
    tps = models.ForeignKey(
        "areas.PollingStation", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True, help_text=_("aktivasi atau masuk pertama"))
    opted_out_at = models.DateTimeField(
        null=True, blank=True, help_text=_("mengirim BERHENTI; tidak dikirimi pesan lagi")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["activated_at"]), models.Index(fields=["area", "role"])]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class Phone(models.Model):
    """One phone number of a person, in E.164 (+62812...). A number belongs to one person only."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    e164 = models.CharField(max_length=16, unique=True)
    verified_at = models.DateTimeField(
        null=True, blank=True, help_text=_("terakhir kali kode yang dikirim ke nomor ini dipakai masuk")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("verified_at").desc(nulls_last=True), "-created_at", "-id"]

    def __str__(self) -> str:
        return self.e164


class ActivationLink(models.Model):
    """A one-time, expiring activation link. Only the token's SHA-256 is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text=_("tidak berlaku: tautan lain sudah dipakai"))

    class Meta:
        indexes = [models.Index(fields=["user", "used_at"])]


class LoginCode(models.Model):
    """A one-time login code sent to a phone. Only an HMAC of the code is kept, never the code."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_codes")
    phone = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["phone", "created_at"]),
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["address", "created_at"]),
        ]
        constraints = [models.CheckConstraint(condition=Q(attempts__gte=0), name="logincode_attempts_nonneg")]
