"""Reads of the messaging app: the outbox a user may see, filtered, with reply counts."""


from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from sinergi.accounts.models import Actor
from sinergi.messaging.models import InboundMessage, OutboundMessage
from sinergi.messaging.permissions import OUTBOX


def outbox(
    user: Actor, *, status: str = "", channel: str = "", purpose: str = "", batch: str = "", q: str = ""
) -> QuerySet[OutboundMessage]:
    rows = OUTBOX.visible(user)
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    if purpose:
        rows = rows.filter(purpose=purpose)
    if batch:
        rows = rows.filter(batch=batch)
    if q:
        rows = rows.filter(Q(address__icontains=q) | Q(user__username__icontains=q) | Q(reason__icontains=q))
    return rows.select_related("user").annotate(reply_count=Count("replies")).order_by("-created_at", "-id")


def counts(rows: QuerySet[OutboundMessage]) -> dict[str, int]:
    """{status: n} for a filtered outbox, in one query."""
    totals = {row["status"]: row["n"] for row in rows.order_by().values("status").annotate(n=Count("id"))}
    return totals


def batch_summary(batch: str) -> dict[str, int]:
    """Sent, delivered, failed and replied counts of one batch (a broadcast), in one query."""
    has_reply = Exists(InboundMessage.objects.filter(in_reply_to=OuterRef("pk")))
    rows = OutboundMessage.objects.filter(batch=batch).annotate(has_reply=has_reply)
    agg = rows.aggregate(
        total=Count("id"),
        queued=Count("id", filter=Q(status="queued")),
        sent=Count("id", filter=Q(status="sent")),
        delivered=Count("id", filter=Q(status="delivered")),
        failed=Count("id", filter=Q(status="failed")),
        replied=Count("id", filter=Q(has_reply=True)),
    )
    return {key: int(value or 0) for key, value in agg.items()}
