"""Inbound messages from every channel: stored once per provider message id, threaded to the recent
outbound message they answer, opt-out/opt-in keywords, Telegram `/start <token>` links, and the same
keyword dispatcher as SMS (`core.sms.sms_receive`: LAPOR, TPS, ...). The reply goes back on the
channel the message came from, through the outbound queue.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from sinergi.accounts.selectors import user_for_phone
from sinergi.core.sms import keywords, normalise_sender, sms_receive
from sinergi.messaging import templates
from sinergi.messaging.models import (
    Channel,
    InboundMessage,
    OptOut,
    OutboundMessage,
    TelegramLink,
    TelegramLinkToken,
)

REPLY_WINDOW = timedelta(hours=24)
# Of the messages sent to an address within the window, how many a reply may be matched against by its code.
RECENT_FOR_THREADING = 20
LINK_TOKEN_TTL = timedelta(days=7)
STOP_WORDS = {"BERHENTI", "STOP", "UNREG"}
START_WORDS = {"MULAI", "START"}


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    duplicate: bool


def phone_address(raw: str) -> str:
    """Any notation of an Indonesian number -> E.164 (+62...)."""
    digits = normalise_sender(raw)
    return f"+{digits}" if digits else raw


def user_for_address(channel: str, address: str) -> Any:
    if channel == Channel.TELEGRAM:
        link = TelegramLink.objects.filter(chat_id=address).select_related("user").first()
        return link.user if link else None
    if channel == Channel.EMAIL:
        from sinergi.accounts.models import User

        return User.objects.filter(email__iexact=address, is_active=True).first()
    try:
        from sinergi.people.models import Phone

        phone = Phone.objects.filter(e164=address, person__user__is_active=True).select_related("person__user").first()
        if phone is not None:
            return phone.person.user
    except (ImportError, LookupError):
        pass
    return user_for_phone(address)


def thread_to(
    channel: str, address: str, reply_to_provider_id: str | None, now: Any, text: str = ""
) -> OutboundMessage | None:
    """The outbound message this text answers: the one the app quoted (WhatsApp context, Telegram
    reply); else, of those sent to this address on this channel within 24 hours, the one whose batch
    code the text quotes ("OK K7PD" answers batch "gladi:K7PD", even after a newer broadcast); else
    the latest."""
    if reply_to_provider_id:
        quoted = OutboundMessage.objects.filter(provider_message_id=reply_to_provider_id).first()
        if quoted is not None:
            return quoted
    recent = list(
        OutboundMessage.objects.filter(channel=channel, address=address, created_at__gte=now - REPLY_WINDOW)
        .exclude(purpose="reply")
        .order_by("-created_at", "-id")[:RECENT_FOR_THREADING]
    )
    return quoting(recent, text) or (recent[0] if recent else None)


def quoting(messages: list[OutboundMessage], text: str) -> OutboundMessage | None:
    """The first of `messages` whose batch code (the part after the batch's last colon) is a word of `text`."""
    words = {word.strip(".,:;!?#").upper() for word in text.split()}
    for message in messages:
        code = message.batch.rsplit(":", 1)[-1].upper() if ":" in message.batch else ""
        if code and code in words:
            return message
    return None


def receive(
    *,
    channel: str,
    provider: str,
    address: str,
    text: str,
    provider_message_id: str,
    reply_to_provider_id: str | None = None,
    language: str = "",
) -> Received:
    """Store and answer one inbound text; a provider's retry of the same id returns the stored one."""
    seen = InboundMessage.objects.filter(provider=provider, provider_message_id=provider_message_id).first()
    if seen is not None:
        return Received(seen, duplicate=True)
    now = timezone.now()
    user = user_for_address(channel, address)
    words = text.strip().split()
    keyword = words[0].upper().rstrip(":#.,") if words else ""
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                channel=channel,
                provider=provider,
                address=address,
                text=text,
                provider_message_id=provider_message_id,
                user=user,
                in_reply_to=thread_to(channel, address, reply_to_provider_id, now, text),
                keyword=keyword[:20],
            )
            reply = _answer(inbound, keyword, words, user, language)
            inbound.reply = reply
            if reply:
                inbound.reply_message = _reply(inbound, reply)
            inbound.save(update_fields=["reply", "reply_message"])
    except IntegrityError:  # a concurrent retry stored it first
        return Received(InboundMessage.objects.get(provider=provider, provider_message_id=provider_message_id), True)
    return Received(inbound, duplicate=False)


def _language(user: Any, language: str) -> str:
    return getattr(user, "preferred_language", "") or language or "id"


def _answer(inbound: InboundMessage, keyword: str, words: list[str], user: Any, language: str) -> str:
    lang = _language(user, language)
    if inbound.channel == Channel.TELEGRAM and keyword == "/START":
        return link_telegram(inbound.address, words[1] if len(words) > 1 else "", lang)
    if keyword in STOP_WORDS:
        opt_out(inbound.channel, inbound.address, user)
        return templates.render("opted_out", {}, lang)
    if keyword in START_WORDS:
        opt_in(inbound.channel, inbound.address, user)
        return templates.render("opted_in", {}, lang)
    if inbound.in_reply_to_id is not None and keyword not in keywords():
        # A free-form answer to our message (a test broadcast's "OK", an alert's "sudah"): threaded, thanked.
        return templates.render("reply_thanks", {}, lang)
    sender = address_for_dispatch(inbound, user)
    with translation.override(lang):  # the keyword handlers answer in the sender's language
        answer = sms_receive(
            sender=sender, text=inbound.text, message_id=f"{inbound.provider}:{inbound.provider_message_id}"[:100]
        )
    return answer.text


def address_for_dispatch(inbound: InboundMessage, user: Any) -> str:
    """The 'sender' the keyword handlers see: a phone number, so LAPOR/TPS find the same user as by SMS."""
    if inbound.channel in (Channel.SMS, Channel.WHATSAPP):
        return inbound.address
    phone = getattr(user, "phone", "") if user is not None else ""
    return phone or inbound.address


def _reply(inbound: InboundMessage, text: str) -> OutboundMessage | None:
    from sinergi.messaging.services import OptedOut, send

    try:
        return send(
            text=text,
            purpose="reply",
            user=inbound.user,
            address=inbound.address,
            channel=inbound.channel,
        )
    except OptedOut:
        if inbound.keyword in STOP_WORDS:  # the one message an opted-out address still gets: the confirmation
            from sinergi.messaging.services import queue_unchecked

            return queue_unchecked(
                text=text, purpose="reply", user=inbound.user, address=inbound.address, channel=inbound.channel
            )
        return None


def opt_out(channel: str, address: str, user: Any = None) -> None:
    OptOut.objects.get_or_create(channel=channel, address=address)
    _person_opt(user, timezone.now())


def opt_in(channel: str, address: str, user: Any = None) -> None:
    OptOut.objects.filter(channel=channel, address=address).delete()
    _person_opt(user, None)


def _person_opt(user: Any, when: Any) -> None:
    if user is None:
        return
    try:
        from sinergi.people.models import Person
    except ImportError:
        return
    Person.objects.filter(user=user).update(opted_out_at=when)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def telegram_link_token(user: Any) -> str:
    """A one-time token for `https://t.me/<bot>?start=<token>` (only its digest is stored)."""
    token = secrets.token_urlsafe(24)
    TelegramLinkToken.objects.create(user=user, digest=_digest(token), expires_at=timezone.now() + LINK_TOKEN_TTL)
    return token


def telegram_deep_link(user: Any) -> str:
    return f"https://t.me/{settings.SINERGI_TELEGRAM_BOT_USERNAME}?start={telegram_link_token(user)}"


def link_telegram(chat_id: str, token: str, language: str) -> str:
    now = timezone.now()
    row = (
        TelegramLinkToken.objects.select_for_update()
        .filter(digest=_digest(token), used_at__isnull=True, expires_at__gt=now)
        .select_related("user")
        .first()
        if token
        else None
    )
    if row is None:
        if language == "en":
            return "Sinergi: this link is invalid or has expired. Ask your coordinator for a new one."
        return "Sinergi: tautan tidak berlaku atau kedaluwarsa. Minta tautan baru kepada koordinator Anda."
    row.used_at = now
    row.save(update_fields=["used_at"])
    TelegramLink.objects.filter(chat_id=chat_id).exclude(user=row.user).delete()
    TelegramLink.objects.update_or_create(user=row.user, defaults={"chat_id": chat_id})
    return templates.render("telegram_linked", {"name": row.user.get_full_name() or row.user.username}, language)
