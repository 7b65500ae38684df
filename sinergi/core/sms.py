"""The SMS gateway webhook's dispatcher. Apps register keywords in their own `sms.py`:

    HANDLERS = {"LAPOR": handle_report}          # (SmsMessage) -> SmsReply
    EXAMPLES = {"LAPOR": "LAPOR 64.02.06.2001 UANG ada pembagian uang"}

Each inbound SMS is stored once (by the gateway's message id when it sends one), so a gateway
that retries gets the same reply and nothing is recorded twice.
"""

import contextlib
import re
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from sinergi.core.errors import Conflict
from sinergi.core.models import InboundSms


@dataclass(frozen=True)
class SmsMessage:
    sender: str
    text: str
    keyword: str
    words: list[str]  # the words after the keyword
    message_id: str | None


@dataclass(frozen=True)
class SmsReply:
    text: str
    ok: bool


def _registry() -> tuple[dict, dict[str, str]]:
    handlers: dict = {}
    examples: dict[str, str] = {}
    for app in settings.SINERGI_APPS:
        if app == "sinergi.core" or find_spec(f"{app}.sms") is None:
            continue
        module = import_module(f"{app}.sms")
        handlers.update(getattr(module, "HANDLERS", {}))
        examples.update(getattr(module, "EXAMPLES", {}))
    return handlers, examples


def keywords() -> set[str]:
    """Every keyword some app handles (messaging threads other replies instead of refusing them)."""
    return set(_registry()[0])


def normalise_sender(sender: str) -> str:
    """+62 812-3456 7890 / 0812 3456 7890 -> 6281234567890."""
    digits = re.sub(r"\D", "", sender)
    return "62" + digits[1:] if digits.startswith("0") else digits


def _same_words(text: str) -> str:
    """A gateway may re-send a message with other spacing or case; the words are what count."""
    return " ".join(text.split()).casefold()


def _retry_reply(seen: InboundSms, sender: str, text: str) -> SmsReply:
    """The stored reply for a gateway retry of the same message; another message under the same id
    (a replay, or a gateway numbering per modem) is a 409 that names neither the stored text nor its reply."""
    if seen.sender != normalise_sender(sender) or _same_words(seen.text) != _same_words(text):
        raise Conflict(_("id pesan gateway %(id)s sudah dipakai oleh pesan lain") % {"id": seen.gateway_message_id})
    return SmsReply(seen.reply, seen.ok)


def sms_receive(*, sender: str, text: str, message_id: str | None = None) -> SmsReply:
    if message_id:
        seen = InboundSms.objects.filter(gateway_message_id=message_id).first()
        if seen is not None:
            return _retry_reply(seen, sender, text)
    words = text.strip().split()
    keyword = words[0].upper().rstrip(":#.,") if words else ""
    message = SmsMessage(normalise_sender(sender), text.strip(), keyword, words[1:], message_id)
    handlers, examples = _registry()
    handler = handlers.get(keyword)
    if handler is None:
        formats = "; ".join(examples.values()) or "-"
        reply = SmsReply(_("Format tidak dikenal. Contoh: %(examples)s") % {"examples": formats}, ok=False)
    else:
        reply = handler(message)
    try:
        # A savepoint only inside a caller's transaction; in autocommit the one INSERT is atomic on its
        # own and a BEGIN/COMMIT around it would be two more round trips per SMS.
        with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
            InboundSms.objects.create(
                gateway_message_id=message_id or None,
                sender=message.sender,
                text=text,
                keyword=keyword[: InboundSms._meta.get_field("keyword").max_length],  # type: ignore[union-attr]
                reply=reply.text,
                ok=reply.ok,
            )
    except IntegrityError:  # a concurrent retry stored it first
        return _retry_reply(InboundSms.objects.get(gateway_message_id=message_id), sender, text)
    return reply
