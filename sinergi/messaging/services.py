"""Writes of the messaging app: queue a message, record a delivery status, opt out and back in."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from sinergi.core.errors import Conflict, ValidationFailed
from sinergi.messaging import channels
from sinergi.messaging.models import Channel, OptOut, OutboundMessage


class OptedOut(Conflict):
    """The recipient sent BERHENTI (or their person record is opted out)."""


def is_opted_out(*, user: Any = None, channel: str = "", address: str = "") -> bool:
    """BERHENTI from this address on this channel, or the person marked opted out (people's roster)."""
    if user is not None and getattr(user, "pk", None):
        from sinergi.people.models import Person

        if Person.objects.filter(user_id=user.pk, opted_out_at__isnull=False).exists():
            return True
    return bool(address) and OptOut.objects.filter(channel=channel, address=address).exists()


def send(
    *,
    text: str,
    purpose: str,
    user: Any = None,
    address: str | None = None,
    channel: str | None = None,
    batch: str = "",
    fallback_after: timedelta | None = None,
) -> OutboundMessage:
    """Queue one message; the worker delivers it after commit. `channel=None` takes the user's first
    reachable channel. Refuses opted-out recipients (`OptedOut`) and unreachable ones (`ValidationFailed`)."""
    if not text.strip():
        raise ValidationFailed("pesan kosong")
    if channel is not None and channel not in Channel.values:
        raise ValidationFailed(f"kanal tidak dikenal: {channel}")
    if address is None:
        if user is None:
            raise ValidationFailed("penerima tidak disebut (user atau address)")
        options = channels.reachable(user)
        if channel is not None:
            options = [(c, a) for c, a in options if c == channel]
        if not options:
            raise ValidationFailed(f"{user} tidak dapat dihubungi lewat kanal mana pun yang aktif")
        channel, address = options[0]
    elif channel is None:
        channel = Channel.EMAIL if "@" in address else Channel.SMS
    if is_opted_out(user=user, channel=channel, address=address):
        raise OptedOut(f"{address} telah berhenti berlangganan (BERHENTI)")
    return queue_unchecked(
        text=text,
        purpose=purpose,
        user=user,
        address=address,
        channel=channel,
        batch=batch,
        fallback_after=fallback_after,
    )


def queue_unchecked(
    *,
    text: str,
    purpose: str,
    user: Any,
    address: str,
    channel: str,
    batch: str = "",
    fallback_after: timedelta | None = None,
) -> OutboundMessage:
    """Queue without the opt-out check: only for the confirmation of BERHENTI itself."""
    now = timezone.now()
    message = OutboundMessage.objects.create(
        channel=channel,
        provider=channels.provider_for(channel),
        address=address,
        user=user if getattr(user, "pk", None) else None,
        text=text,
        purpose=purpose[:40],
        area_code=channels.area_of(user),
        batch=batch[:64],
        next_attempt_at=now,
        fallback_at=now + fallback_after if fallback_after is not None else None,
        fallback_done=fallback_after is None,
    )
    if settings.SINERGI_MESSAGING_DELIVER_ON_COMMIT:
        from sinergi.messaging.tasks import deliver_after_commit

        deliver_after_commit()
    return message
