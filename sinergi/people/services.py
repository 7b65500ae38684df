"""Writes of the people app: activation links and one-time login codes.

Secrets are never stored or logged in clear: an activation token is kept as its SHA-256, a login
code as an HMAC keyed with the server's secret (a 6-digit code's plain hash would be guessed offline
in a second). Nothing here writes a token or code to a log line.
"""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.accounts.throttle import login_blocked, login_failed, login_succeeded
from sinergi.core.batching import chunked
from sinergi.core.bulk import bulk_insert
from sinergi.core.errors import DomainError, ValidationFailed
from sinergi.core.history import history_record
from sinergi.core.timezones import local_time, zone_abbreviation, zone_for_area
from sinergi.people.models import ActivationLink, Channel, LoginCode, Person, Phone
from sinergi.people.phones import to_e164

DEFAULT_ACTIVATION_DAYS = 14
DEFAULT_OTP = {
    "ttl_seconds": 300,  # a code lives five minutes
    "digits": 6,
    "max_attempts": 5,  # wrong tries of one code before it dies
    "window_seconds": 15 * 60,
    "per_phone": 3,  # codes sent to one number per window
    "per_account": 5,  # codes sent to one account (all its numbers) per window
    "per_address": 10,  # codes asked from one client address per window
}
OTP_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


class Throttled(DomainError):
    status = 429
    code = "throttled"


class LinkInvalid(DomainError):
    status = 410
    code = "link_invalid"


def otp_settings() -> dict[str, int]:
    return DEFAULT_OTP | getattr(settings, "SINERGI_PEOPLE_OTP", {})


def activation_days() -> int:
    return int(getattr(settings, "SINERGI_PEOPLE_ACTIVATION_DAYS", DEFAULT_ACTIVATION_DAYS))


# --- activation links ---


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def activation_url(token: str) -> str:
    return settings.SINERGI_PUBLIC_URL.rstrip("/") + reverse("people:activate", args=[token])


def activation_links_create(user_ids: Iterable[int], *, now: datetime | None = None) -> dict[int, str]:
    """A fresh one-time link for each user (older open links stay valid until one is used); the
    token of each, to be sent or printed now and never again."""
    now = now or timezone.now()
    expires = now + timedelta(days=activation_days())
    tokens = {user_id: secrets.token_urlsafe(24) for user_id in user_ids}
    bulk_insert(
        ActivationLink,
        ("user", "token_hash", "created_at", "expires_at"),
        ((user_id, token_hash(token), now, expires) for user_id, token in tokens.items()),
    )
    return tokens


@dataclass
class ActivationSendResult:
    queued: int = 0
    unreachable: list[int] | None = None


def activation_send(user_ids: Iterable[int], *, actor: Any = None, now: datetime | None = None) -> ActivationSendResult:
    """Send each user a new activation link by their channel (`messaging.services.send`). A user
    who cannot be reached (no channel, opted out) is listed in `unreachable`; the others are queued."""
    from sinergi.messaging.services import send
    from sinergi.messaging.templates import render

    now = now or timezone.now()
    result = ActivationSendResult(unreachable=[])
    assert result.unreachable is not None
    for chunk in chunked(list(user_ids), 1000):
        users = {user.pk: user for user in User.objects.filter(pk__in=chunk).select_related("person", "person__area")}
        tokens = activation_links_create(list(users), now=now)
        for user_id, token in tokens.items():
            user = users[user_id]
            person = getattr(user, "person", None)
            area = person.area_id if person and person.area_id else ""
            expires = now + timedelta(days=activation_days())
            expires_text = f"{local_time(expires, area):%d-%m-%Y %H.%M} {zone_abbreviation(zone_for_area(area))}"
            text = render(
                "activation_link",
                {"name": user.get_full_name() or user.username, "expires": expires_text, "link": activation_url(token)},
                user.preferred_language or "id",
            )
            try:
                with transaction.atomic():
                    send(text=text, purpose="activation", user=user, batch="activation")
            except DomainError:
                result.unreachable.append(user_id)
                continue
            result.queued += 1
    if actor is not None and result.queued:
        history_record(
            object_type="people.activation",
            object_key=now.isoformat(),
            action="sent",
            actor=actor,
            changes={"queued": result.queued, "unreachable": len(result.unreachable)},
        )
    return result


def activation_link_check(token: str, *, now: datetime | None = None) -> ActivationLink:
    """The open link for this token, or LinkInvalid saying why (unknown, used, replaced, expired)."""
    link = ActivationLink.objects.filter(token_hash=token_hash(token)).select_related("user").first()
    _refuse_link(link, now or timezone.now())
    assert link is not None
    return link


def _refuse_link(link: ActivationLink | None, now: datetime) -> None:
    if link is None or not link.user.is_active:
        raise LinkInvalid(_("Tautan aktivasi tidak dikenal. Periksa tautannya atau minta tautan baru ke koordinator."))
    if link.used_at is not None:
        raise LinkInvalid(_("Tautan aktivasi ini sudah dipakai. Masuklah dengan nomor HP atau kata sandi Anda."))
    if link.revoked_at is not None:
        raise LinkInvalid(_("Tautan aktivasi ini sudah tidak berlaku: akun sudah diaktifkan dengan tautan lain."))
    if link.expires_at <= now:
        raise LinkInvalid(_("Tautan aktivasi ini sudah kedaluwarsa. Minta tautan baru ke koordinator."))


def activation_complete(token: str, *, password: str | None = None, now: datetime | None = None) -> User:
    """Use the link once: set the password (when given), mark the person activated, close the user's
    other open links. Returns the user, for the caller to log in."""
    now = now or timezone.now()
    with transaction.atomic():
        link = (
            ActivationLink.objects.select_for_update()
            .filter(token_hash=token_hash(token))
            .select_related("user")
            .first()
        )
        _refuse_link(link, now)
        assert link is not None
        user = link.user
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationFailed(" ".join(exc.messages), field="password") from None
            user.set_password(password)
            user.save()
        link.used_at = now
        link.save(update_fields=["used_at"])
        ActivationLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).exclude(
            pk=link.pk
        ).update(revoked_at=now)
        Person.objects.filter(user=user, activated_at__isnull=True).update(activated_at=now)
        history_record(
            object_type="people.person",
            object_key=str(getattr(Person.objects.filter(user=user).first(), "pk", "")),
            action="activated",
            actor=user,
            changes={"with": "password" if password is not None else "phone"},
        )
    return user


# --- one-time login codes ---


def code_hash(user_id: int, phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"sinergi-login-code:{user_id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _phone_key(phone: str) -> str:
    """The name under which the login throttle counts a phone number's failures."""
    return f"hp:{phone}"


@dataclass(frozen=True)
class OtpRequest:
    phone: str  # E.164
    sent: bool  # False when no active person holds the number (the page says the same either way)


def _phone_owner(phone: str) -> User | None:
    found = Phone.objects.filter(e164=phone, person__user__is_active=True).select_related("person__user").first()
    return found.person.user if found else None


def otp_request(
    raw_phone: str, *, address: str | None, channel: str = Channel.SMS, now: datetime | None = None
) -> OtpRequest:
    """Send a one-time login code to the number, if a person on a roster holds it.

    Throttled per number, per account and per client address (codes sent in the window), and by the
    login throttle (`accounts.throttle`) on the number and the address. The code is returned to no
    one but the phone."""
    now = now or timezone.now()
    try:
        phone = to_e164(raw_phone)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="phone") from None
    if channel not in OTP_CHANNELS:
        raise ValidationFailed(_("kode hanya dikirim lewat SMS atau WhatsApp"), field="channel")
    limits = otp_settings()
    since = now - timedelta(seconds=limits["window_seconds"])
    recent = LoginCode.objects.filter(created_at__gte=since)
    user = _phone_owner(phone)
    if (
        login_blocked(_phone_key(phone), address)
        or recent.filter(phone=phone).count() >= limits["per_phone"]
        or (address is not None and recent.filter(address=address).count() >= limits["per_address"])
        or (user is not None and recent.filter(user=user).count() >= limits["per_account"])
    ):
        raise Throttled(_("Terlalu banyak permintaan kode. Coba lagi dalam 15 menit."))
    if user is None:
        # Counted like a failed login, so one address cannot probe numbers without limit.
        login_failed(_phone_key(phone), address)
        return OtpRequest(phone, sent=False)
    from sinergi.messaging.services import send
    from sinergi.messaging.templates import render

    code = f"{secrets.randbelow(10 ** limits['digits']):0{limits['digits']}d}"
    minutes = limits["ttl_seconds"] // 60
    with transaction.atomic():
        LoginCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        LoginCode.objects.create(
            user=user,
            phone=phone,
            code_hash=code_hash(user.pk, phone, code),
            address=address,
            channel=channel,
            created_at=now,
            expires_at=now + timedelta(seconds=limits["ttl_seconds"]),
        )
        text = render("otp_code", {"code": code, "minutes": minutes}, user.preferred_language or "id")
        send(text=text, purpose="otp", user=user, address=phone, channel=channel)
    return OtpRequest(phone, sent=True)


def otp_verify(raw_phone: str, code: str, *, address: str | None, now: datetime | None = None) -> User:
    """The user whose live code for this number is `code`; the code is spent. Wrong codes count in
    the login throttle of the account (with password failures) and die after `max_attempts`."""
    now = now or timezone.now()
    refused = ValidationFailed(_("Kode salah atau sudah kedaluwarsa. Minta kode baru."), field="code")
    try:
        phone = to_e164(raw_phone)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="phone") from None
    code = "".join(code.split())
    user = _phone_owner(phone)
    if login_blocked(_phone_key(phone), address) or (user is not None and login_blocked(user.username, address)):
        raise Throttled(_("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."))
    if user is None:
        login_failed(_phone_key(phone), address)
        raise refused
    limits = otp_settings()
    with transaction.atomic():
        live = (
            LoginCode.objects.select_for_update()
            .filter(user=user, phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-pk")
            .first()
        )
        good = (
            live is not None
            and code.isascii()
            and code.isdigit()
            and hmac.compare_digest(live.code_hash, code_hash(user.pk, phone, code))
        )
        if live is not None and not good:
            live.attempts += 1
            if live.attempts >= limits["max_attempts"]:
                live.expires_at = now
            live.save(update_fields=["attempts", "expires_at"])
        if good:
            assert live is not None
            live.used_at = now
            live.save(update_fields=["used_at"])
            Phone.objects.filter(e164=phone).update(verified_at=now)
            Person.objects.filter(user=user, activated_at__isnull=True).update(activated_at=now)
    if not good:
        login_failed(user.username, address)
        login_failed(_phone_key(phone), address)
        raise refused
    login_succeeded(user.username, address)
    login_succeeded(_phone_key(phone), address)
    return user
