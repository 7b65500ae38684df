"""Who reads the outbox: coordinators and national admins, within their area (a message's
`area_code` is its recipient's area; a message without one, e.g. to a public reporter's number,
is read at national scope only)."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from sinergi.accounts.access import ObjectAccess, Policy, read_only_refusal, scope_filter
from sinergi.accounts.guards import Rule
from sinergi.accounts.roles import Role
from sinergi.core.errors import Forbidden
from sinergi.messaging.models import OutboundMessage

MESSAGES = Policy(
    name="pesan",
    read=frozenset({Role.ADMIN, Role.COORDINATOR, Role.LEADER}),
    write=frozenset({Role.ADMIN, Role.COORDINATOR}),
)


def _refusal(user: Any, message: OutboundMessage) -> str | None:
    return None if MESSAGES.can_write(user, message.area_code) else read_only_refusal(MESSAGES)


OUTBOX: ObjectAccess[OutboundMessage] = ObjectAccess(
    kind="messaging.message",
    label="pesan",
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
        if not MESSAGES.read_scopes(request.user):
            raise Forbidden(_("peran Anda tidak dapat membaca pesan keluar"))


READS_MESSAGES = ReadsMessages()
