"""Who reads the outbox: coordinators and national admins, within their area (a message's
`area_code` is its recipient's area; a message without one, e.g. to a public reporter's number,
is read at national scope only)."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sinergi.accounts.access import ObjectAccess, Policy, read_only_refusal, scope_filter
from sinergi.accounts.guards import Rule
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import Role
from sinergi.core.errors import Forbidden
from sinergi.messaging import signatures
from sinergi.messaging.models import OutboundMessage

MESSAGES = Policy(
    name=gettext_noop("pesan"),
    read=frozenset({Role.ADMIN, Role.COORDINATOR, Role.LEADER}),
    write=frozenset({Role.ADMIN, Role.COORDINATOR}),
)


def _refusal(user: Actor, message: OutboundMessage) -> str | None:
    return None if MESSAGES.can_write(user, message.area_code) else read_only_refusal(MESSAGES)


OUTBOX: ObjectAccess[OutboundMessage] = ObjectAccess(
    kind="messaging.message",
    label=gettext_noop("pesan"),
    queryset=OutboundMessage.objects.all,
    readable=lambda user: scope_filter(MESSAGES.read_scopes(user), "area_code"),
    write_refusal=_refusal,
)


@dataclass(frozen=True)
class ReadsMessages(Rule):
    """Signed in with a role that reads the outbox somewhere (403 otherwise); the list shows only
    `OUTBOX.visible(user)`."""

    def describe(self) -> str:
        return "read scope of pesan"

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if not self.in_menu(request.user):
            raise Forbidden(_("peran Anda tidak dapat membaca pesan keluar"))

    def in_menu(self, user: Actor) -> bool:
        return bool(MESSAGES.read_scopes(user))


READS_MESSAGES = ReadsMessages()


class SignatureRefused(Forbidden):
    code = "bad_signature"


def _android(request: HttpRequest) -> bool:
    return signatures.android_valid(
        settings.SINERGI_ANDROID_SMS_WEBHOOK_SECRET,
        request.body,
        request.headers.get("X-Timestamp", ""),
        request.headers.get("X-Signature", ""),
    )


def _twilio(request: HttpRequest) -> bool:
    params = {key: request.POST.get(key, "") for key in request.POST}
    url = settings.SINERGI_PUBLIC_URL.rstrip("/") + request.get_full_path()
    return signatures.twilio_valid(
        settings.SINERGI_TWILIO_AUTH_TOKEN, url, params, request.headers.get("X-Twilio-Signature", "")
    )


def _whatsapp(request: HttpRequest) -> bool:
    if request.method == "GET":  # the subscription check: Meta sends the verify token we configured
        return request.GET.get("hub.mode") == "subscribe" and signatures.telegram_valid(
            settings.SINERGI_WHATSAPP_VERIFY_TOKEN, request.GET.get("hub.verify_token", "")
        )
    return signatures.whatsapp_valid(
        settings.SINERGI_WHATSAPP_APP_SECRET, request.body, request.headers.get("X-Hub-Signature-256", "")
    )


def _telegram(request: HttpRequest) -> bool:
    return signatures.telegram_valid(
        settings.SINERGI_TELEGRAM_WEBHOOK_SECRET, request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    )


WEBHOOK_CHECKS = {"android": _android, "twilio": _twilio, "whatsapp": _whatsapp, "telegram": _telegram}


@dataclass(frozen=True)
class SignedWebhook(Rule):
    """A gateway's webhook: open to anonymous callers (public), but only with the provider's valid
    signature or secret (403 otherwise), checked before the body is read."""

    provider: str
    public = True

    def describe(self) -> str:
        return f"public, signed by {self.provider}"

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if not WEBHOOK_CHECKS[self.provider](request):
            raise SignatureRefused(_("tanda tangan webhook %(provider)s tidak sah") % {"provider": self.provider})
