from datetime import datetime
from typing import TypeAlias

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import SECTOR_OF_KIND, AgencyKind, Role
from sinergi.areas.models import Area
from sinergi.core.sms import normalise_sender


class User(AbstractUser):
    phone = models.CharField(max_length=30, blank=True)
    # The phone as an SMS gateway sends it (62812...), indexed so an inbound SMS finds its sender at once.
    phone_digits = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    preferred_language = models.CharField(max_length=5, default="id")

    # Set by set_password / set_unusable_password; save() then revokes the user's API tokens, so a
    # password change (by the user, an admin or `changepassword`) also ends every token.
    _password_replaced = False
    _rehashing = False

    def check_password(self, raw_password: str) -> bool:
        # Django re-hashes a correct password when the hasher is upgraded: the same password, so
        # the tokens live on.
        self._rehashing = True
        try:
            return super().check_password(raw_password)
        finally:
            self._rehashing = False

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        if not self._rehashing:
            self._password_replaced = True

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_replaced = True

    def save(self, *args, **kwargs):
        self.phone_digits = normalise_sender(self.phone) if self.phone else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_digits"}
        existed = not self._state.adding
        super().save(*args, **kwargs)
        if self._password_replaced:
            self._password_replaced = False
            if existed:
                from sinergi.accounts.tokens import tokens_revoke_all

                tokens_revoke_all(user=self, reason="password changed")


class Agency(models.Model):
    """An office of one of the sectors (Pemda, KPU, Bawaslu, Polri, TNI) seated in an area."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="agencies", db_column="area_code", help_text=_("wilayah kedudukan")
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    base_lat = models.FloatField(null=True, blank=True)
    base_lng = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        return SECTOR_OF_KIND[self.kind]


class Jurisdiction(models.Model):
    """An area an agency covers. Security jurisdiction can cross the administrative tree:
    Polres Bontang covers the Kukar kecamatan Muara Badak and Marang Kayu. The most specific
    covering agency wins (see `accounts.selectors.covering_agency`)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="jurisdictions")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="area_code")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "area"], name="jurisdiction_unique")]

    def __str__(self) -> str:
        return f"{self.agency} covers {self.area_id}"


class Membership(models.Model):
    """One role of one agency over one area and everything inside it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="area_code")
    title = models.CharField(max_length=120, blank=True, help_text=_("jabatan, mis. Kapolsek Tenggarong"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role", "area"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.area_id}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, default="cli")
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(help_text="refused from this moment on (SINERGI_TOKEN_DAYS after creation)")
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def status(self, now: datetime | None = None) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= (now or timezone.now()) else "active"


class LoginFailure(models.Model):
    """A failed login, counted by the throttle. Old rows are pruned on each check."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "address", "at"]), models.Index(fields=["address", "at"])]


class AuthedRequest(HttpRequest):
    """The request type of views behind `login_required`: the user is a real User."""

    user: User


# Who asks: a signed-in user, or the anonymous one on a public route. Access rules and reads take it.
Actor: TypeAlias = User | AnonymousUser


class Notification(models.Model):
    """An in-app message to one user (escalations, reminders, assignments). Written by
    `accounts.notifications.notify`, which also sends the e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=40, blank=True, help_text="module that sent it, e.g. incidents")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title
