"""Keyword GLADI: a field person's rehearsal test report from their phone (`GLADI`, optionally with
anything after it). Over WhatsApp, Telegram or the SMS gateway of `messaging`, the inbound message
itself is the record (its channel and sender are stored there); through the older SMS webhook, which
keeps no channel, a test report on SMS is recorded here. Replies to a test broadcast ("OK <code>")
are threaded by messaging and count without any keyword."""

from django.utils.translation import gettext as _

from sinergi.core.sms import SmsMessage, SmsReply
from sinergi.messaging.inbound import phone_address, user_for_address
from sinergi.messaging.models import Channel, InboundMessage
from sinergi.reach.services import test_report_record


def _via_messaging(message: SmsMessage) -> InboundMessage | None:
    provider, _colon, provider_id = (message.message_id or "").partition(":")
    if not provider_id:
        return None
    return InboundMessage.objects.filter(provider=provider, provider_message_id=provider_id).first()


def handle_gladi(message: SmsMessage) -> SmsReply:
    inbound = _via_messaging(message)
    user = inbound.user if inbound is not None else user_for_address(Channel.SMS, phone_address(message.sender))
    if user is None:
        return SmsReply(_("Nomor Anda belum terdaftar di Sinergi. Hubungi koordinator gladi."), ok=False)
    channel = inbound.channel if inbound is not None else "sms"
    if inbound is None:
        test_report_record(
            user=user, channel="sms", client_id=f"sms:{message.message_id}" if message.message_id else None
        )
    return SmsReply(_("Terima kasih, laporan uji gladi Anda diterima lewat %(channel)s.") % {"channel": channel.upper()}, ok=True)


HANDLERS = {"GLADI": handle_gladi}
EXAMPLES = {"GLADI": "GLADI"}
