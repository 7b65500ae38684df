"""Writes of the messaging app: queue a message, record a delivery status, opt out and back in."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.errors import Conflict, ValidationFailed
from sinergi.messaging import channels
from sinergi.messaging.models import Channel, OptOut, OutboundMessage, priority_of


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
        raise ValidationFailed(_("pesan kosong"))
    if channel is not None and channel not in Channel.values:
        raise ValidationFailed(_("kanal tidak dikenal: %(channel)s") % {"channel": channel})
    facts = channels.Facts.load([user]) if getattr(user, "pk", None) else None
    if address is None:
        if user is None or facts is None:
            raise ValidationFailed(_("penerima tidak disebut (user atau address)"))
        options = facts.reachable(user)
        if channel is not None:
            options = [(c, a) for c, a in options if c == channel]
        if not options:
            raise ValidationFailed(_("%(user)s tidak dapat dihubungi lewat kanal mana pun yang aktif") % {"user": user})
        channel, address = options[0]
    elif channel is None:
        channel = Channel.EMAIL if "@" in address else Channel.SMS
    if (facts is not None and facts.opted_out_user(user)) or OptOut.objects.filter(
        channel=channel, address=address
    ).exists():
        raise OptedOut(_("%(address)s telah berhenti berlangganan (BERHENTI)") % {"address": address})
    return queue_unchecked(
        text=text,
        purpose=purpose,
        user=user,
        address=address,
        channel=channel,
        batch=batch,
        fallback_after=fallback_after,
        area_code=facts.area(user) if facts is not None else "",
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
    area_code: str | None = None,
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
        priority=priority_of(purpose),
        area_code=channels.area_of(user) if area_code is None else area_code,
        batch=batch[:64],
        next_attempt_at=now,
        fallback_at=now + fallback_after if fallback_after is not None else None,
        fallback_done=fallback_after is None,
    )
    if settings.SINERGI_MESSAGING_DELIVER_ON_COMMIT:
        from sinergi.messaging.tasks import deliver_after_commit

        deliver_after_commit()
    return message


@dataclass
class Queued:
    """What `send_many` did: the queued messages and, per refused user, why (opted out, unreachable)."""

    messages: list[OutboundMessage] = field(default_factory=list)
    refused: list[tuple[Any, str]] = field(default_factory=list)


def send_many(
    *,
    users: Iterable[Any],
    text: str | Callable[[Any], str],
    purpose: str,
    channel: str | None = None,
    batch: str = "",
    fallback_after: timedelta | None = None,
) -> Queued:
    """`send` for a broadcast: the same choices per user (preferred or first reachable channel, opt-out,
    area) read for all users in a constant number of queries, and one bulk insert. `text` may be a
    function of the user (a template rendered in each recipient's language)."""
    users = list(users)
    result = Queued()
    if channel is not None and channel not in Channel.values:
        raise ValidationFailed(_("kanal tidak dikenal: %(channel)s") % {"channel": channel})
    facts = channels.Facts.load(users)
    now = timezone.now()
    rows = []
    for user in users:
        if facts.opted_out_user(user):
            result.refused.append((user, "BERHENTI"))
            continue
        options = [(c, a) for c, a in facts.reachable(user) if channel is None or c == channel]
        options = [(c, a) for c, a in options if not facts.opted_out_address(c, a)]
        if not options:
            result.refused.append((user, "tidak dapat dihubungi"))
            continue
        chosen, address = options[0]
        body = text(user) if callable(text) else text
        rows.append(
            OutboundMessage(
                channel=chosen,
                provider=channels.provider_for(chosen),
                address=address,
                user=user,
                text=body,
                purpose=purpose[:40],
                priority=priority_of(purpose),
                area_code=facts.area(user),
                batch=batch[:64],
                next_attempt_at=now,
                fallback_at=now + fallback_after if fallback_after is not None else None,
                fallback_done=fallback_after is None,
            )
        )
    result.messages = OutboundMessage.objects.bulk_create(rows, batch_size=1000)
    if rows and settings.SINERGI_MESSAGING_DELIVER_ON_COMMIT:
        from sinergi.messaging.tasks import deliver_after_commit

        deliver_after_commit()
    return result


@dataclass
class Outgoing:
    """One message to one user for `send_each`."""

    user: Any
    text: str
    purpose: str
    fallback_after: timedelta | None = None


def send_each(items: list[Outgoing]) -> list[OutboundMessage | str]:
    """`send(user=...)` for many messages at once: per item the same channel (the user's first reachable
    one) and the same refusals, read for all users in a constant number of queries and queued with one
    bulk insert. Per item the queued message, or in its place the refusal `send` would have raised
    (its detail: unreachable, opted out)."""
    facts = channels.Facts.load([item.user for item in items])
    now = timezone.now()
    outcome: list[OutboundMessage | str] = []
    for item in items:
        refused = _refusal(facts, item)
        if refused:
            outcome.append(refused)
            continue
        channel, address = facts.reachable(item.user)[0]
        outcome.append(
            OutboundMessage(
                channel=channel,
                provider=channels.provider_for(channel),
                address=address,
                user=item.user,
                text=item.text,
                purpose=item.purpose[:40],
                priority=priority_of(item.purpose),
                area_code=facts.area(item.user),
                next_attempt_at=now,
                fallback_at=now + item.fallback_after if item.fallback_after is not None else None,
                fallback_done=item.fallback_after is None,
            )
        )
    rows = [m for m in outcome if isinstance(m, OutboundMessage)]
    OutboundMessage.objects.bulk_create(rows, batch_size=1000)
    if rows and settings.SINERGI_MESSAGING_DELIVER_ON_COMMIT:
        from sinergi.messaging.tasks import deliver_after_commit

        deliver_after_commit()
    return outcome


def _refusal(facts: channels.Facts, item: Outgoing) -> str:
    """Why `send` would refuse this item (its error's detail), in the order it checks; "" when it would queue."""
    if not item.text.strip():
        return ValidationFailed(_("pesan kosong")).detail
    options = facts.reachable(item.user)
    if not options:
        return ValidationFailed(
            _("%(user)s tidak dapat dihubungi lewat kanal mana pun yang aktif") % {"user": item.user}
        ).detail
    channel, address = options[0]
    if facts.opted_out_user(item.user) or facts.opted_out_address(channel, address):
        return OptedOut(_("%(address)s telah berhenti berlangganan (BERHENTI)") % {"address": address}).detail
    return ""
