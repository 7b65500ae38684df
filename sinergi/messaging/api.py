"""Webhooks of the message gateways (PUBLIC routes, each authenticated by the provider's signature or
secret before anything is read) and the outbox as JSON for coordinators."""

import json
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sinergi.accounts.guards import operation
from sinergi.core.errors import ValidationFailed
from sinergi.messaging import delivery, inbound, selectors
from sinergi.messaging.models import Channel, Status
from sinergi.messaging.permissions import READS_MESSAGES, SignedWebhook

router = Router(tags=["messaging"])


class Ack(Schema):
    ok: bool
    detail: str = ""


def _json(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError as problem:
        raise ValidationFailed(_("badan permintaan bukan JSON")) from problem


def _when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        if isinstance(value, int | float) or str(value).isdigit():
            return datetime.fromtimestamp(int(value), tz=UTC)
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None


# --- SMS Gateway for Android -------------------------------------------------------------------

ANDROID_STATUS = {"sms:sent": Status.SENT, "sms:delivered": Status.DELIVERED, "sms:failed": Status.FAILED}


@router.post("/messaging/android/webhook", auth=None, response=Ack, summary="SMS Gateway for Android webhooks")
@operation(SignedWebhook("android"))  # X-Signature: HMAC-SHA256 of body + X-Timestamp
def android_webhook(request: HttpRequest):
    event = _json(request) or {}
    kind = str(event.get("event", ""))
    payload = event.get("payload") or {}
    if kind == "sms:received":
        received = inbound.receive(
            channel=Channel.SMS,
            provider="android",
            address=inbound.phone_address(str(payload.get("phoneNumber", ""))),
            text=str(payload.get("message", "")),
            # the payload's messageId is derived from the content (not unique); the event id is
            provider_message_id=str(event.get("id") or payload.get("messageId")),
        )
        return {"ok": True, "detail": "duplicate" if received.duplicate else "stored"}
    if kind in ANDROID_STATUS:
        at = _when(payload.get("sentAt") or payload.get("deliveredAt") or payload.get("failedAt"))
        found = delivery.record_receipt(
            "android", str(payload.get("messageId", "")), ANDROID_STATUS[kind], str(payload.get("reason") or ""), at
        )
        return {"ok": True, "detail": "recorded" if found else "unknown message"}
    return {"ok": True, "detail": f"ignored {kind}"}


# --- Twilio ------------------------------------------------------------------------------------

TWILIO_STATUS = {
    "queued": None,
    "accepted": None,
    "scheduled": None,
    "sending": None,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.FAILED,
    "failed": Status.FAILED,
    "canceled": Status.FAILED,
}


def _twilio_params(request: HttpRequest) -> dict[str, str]:
    return {key: request.POST.get(key, "") for key in request.POST}


@router.post("/messaging/twilio/status", auth=None, response=Ack, summary="Twilio StatusCallback")
@operation(SignedWebhook("twilio"))  # X-Twilio-Signature
def twilio_status(request: HttpRequest):
    params = _twilio_params(request)
    status = TWILIO_STATUS.get(params.get("MessageStatus", ""))
    if status is None:
        return {"ok": True, "detail": f"ignored {params.get('MessageStatus', '')}"}
    reason = f"Twilio error {params['ErrorCode']}" if params.get("ErrorCode") else ""
    found = delivery.record_receipt("twilio", params.get("MessageSid", ""), status, reason)
    return {"ok": True, "detail": "recorded" if found else "unknown message"}


@router.post("/messaging/twilio/inbound", auth=None, summary="Twilio incoming SMS (answers empty TwiML)")
@operation(SignedWebhook("twilio"))  # X-Twilio-Signature
def twilio_inbound(request: HttpRequest):
    params = _twilio_params(request)
    inbound.receive(
        channel=Channel.SMS,
        provider="twilio",
        address=inbound.phone_address(params.get("From", "")),
        text=params.get("Body", ""),
        provider_message_id=params.get("MessageSid", ""),
    )
    # The reply leaves through the queue (rate limits, receipts), not as TwiML.
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml")


# --- WhatsApp Business Cloud API ---------------------------------------------------------------

WHATSAPP_STATUS = {
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "failed": Status.FAILED,
}


@router.get("/messaging/whatsapp/webhook", auth=None, summary="WhatsApp webhook verification (hub.challenge)")
@operation(SignedWebhook("whatsapp"))  # hub.verify_token must be the configured one
def whatsapp_verify(request: HttpRequest):
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")


@router.post("/messaging/whatsapp/webhook", auth=None, response=Ack, summary="WhatsApp messages and statuses")
@operation(SignedWebhook("whatsapp"))  # X-Hub-Signature-256: HMAC-SHA256 of the body with the app secret
def whatsapp_webhook(request: HttpRequest):
    body = _json(request) or {}
    stored = recorded = 0
    for entry in body.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for message in value.get("messages") or []:
                text = _whatsapp_text(message)
                if text is None:
                    continue
                sender = str(message.get("from", ""))
                inbound.receive(
                    channel=Channel.WHATSAPP,
                    provider="whatsapp",
                    address=inbound.phone_address(sender),
                    text=text,
                    provider_message_id=str(message.get("id", "")),
                    reply_to_provider_id=(message.get("context") or {}).get("id"),
                )
                stored += 1
            for status in value.get("statuses") or []:
                mapped = WHATSAPP_STATUS.get(status.get("status", ""))
                if mapped is None:
                    continue
                errors = status.get("errors") or []
                reason = ""
                if errors:
                    first = errors[0]
                    details = (first.get("error_data") or {}).get("details", "")
                    reason = f"{first.get('code', '')} {first.get('title', '')} {details}".strip()
                if delivery.record_receipt(
                    "whatsapp", str(status.get("id", "")), mapped, reason, _when(status.get("timestamp"))
                ):
                    recorded += 1
    return {"ok": True, "detail": f"{stored} messages, {recorded} statuses"}


def _whatsapp_text(message: dict) -> str | None:
    kind = message.get("type")
    if kind == "text":
        return str((message.get("text") or {}).get("body", ""))
    if kind == "button":
        return str((message.get("button") or {}).get("text", ""))
    if kind == "interactive":
        reply = (message.get("interactive") or {}).get("button_reply") or {}
        return str(reply.get("title", "")) or None
    return None  # images, audio, locations: not a keyword message


# --- Telegram Bot API --------------------------------------------------------------------------


@router.post("/messaging/telegram/webhook", auth=None, response=Ack, summary="Telegram bot updates")
@operation(SignedWebhook("telegram"))  # X-Telegram-Bot-Api-Secret-Token
def telegram_webhook(request: HttpRequest):
    update = _json(request) or {}
    message = update.get("message")  # edits are ignored: an edited LAPOR is not a second report
    if not message or "text" not in message:
        return {"ok": True, "detail": "ignored"}
    chat = str((message.get("chat") or {}).get("id", ""))
    quoted = message.get("reply_to_message") or {}
    received = inbound.receive(
        channel=Channel.TELEGRAM,
        provider="telegram",
        address=chat,
        text=str(message["text"]),
        provider_message_id=f"{chat}:{message.get('message_id')}",
        reply_to_provider_id=f"{chat}:{quoted['message_id']}" if quoted.get("message_id") else None,
        language=str((message.get("from") or {}).get("language_code") or "")[:2],
    )
    return {"ok": True, "detail": "duplicate" if received.duplicate else "stored"}


# --- The outbox ---------------------------------------------------------------------------------


class MessageOut(Schema):
    id: int
    channel: str
    provider: str
    address: str
    purpose: str
    batch: str
    status: str
    reason: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None
    reply_count: int


class OutboxFilter(Schema):
    status: str = ""
    channel: str = ""
    purpose: str = ""
    batch: str = ""
    q: str = ""
    limit: int = 100
    offset: int = 0


@router.get("/messaging/messages", response=list[MessageOut], summary="Outbox: messages with state and reason")
@operation(READS_MESSAGES)  # lists only OUTBOX.visible(user)
def outbox(request: HttpRequest, filters: Query[OutboxFilter]):
    rows = selectors.outbox(request.user, **filters.dict(exclude={"limit", "offset"}))
    limit = max(1, min(filters.limit, 500))
    return list(rows[filters.offset : filters.offset + limit])
