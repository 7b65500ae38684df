import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from sinergi.core.errors import DomainError
from sinergi.core.guards import PUBLIC, operation
from sinergi.core.sms import normalise_sender, sms_receive

router = Router(tags=["sms"])


class InboundSmsIn(Schema):
    # Limits of the stored columns (core.models.InboundSms): longer values are a 422, not a 500.
    sender: str = Field(max_length=40)
    text: str
    token: str = Field("", max_length=200)
    message_id: str | None = Field(None, max_length=100)


class SmsReplyOut(Schema):
    reply: str
    ok: bool


class GatewayRefused(DomainError):
    status = 403
    code = "bad_gateway_token"


@router.post(
    "/sms/inbound",
    auth=None,
    response=SmsReplyOut,
    summary="SMS gateway webhook: stores the message, returns the reply to send back",
)
@operation(PUBLIC)  # the gateway authenticates with its shared token, checked below
def sms_inbound(request: HttpRequest, payload: InboundSmsIn):
    expected = settings.SINERGI_SMS_GATEWAY_TOKEN
    given = payload.token or request.headers.get("X-Gateway-Token", "")
    if not expected or not hmac.compare_digest(given, expected):
        raise GatewayRefused(_("token gateway SMS tidak dikenal"))
    with translation.override(sender_language(payload.sender)):
        reply = sms_receive(sender=payload.sender, text=payload.text, message_id=payload.message_id)
    return {"reply": reply.text, "ok": reply.ok}


def sender_language(sender: str) -> str:
    """The reply is in the sender's own language (their account's choice), Indonesian for anyone else."""
    digits = normalise_sender(sender)
    # The user model by name: core sits below accounts (the same lookup as accounts.selectors.user_for_phone).
    user = get_user_model().objects.filter(phone_digits=digits, is_active=True).first() if len(digits) >= 8 else None
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
