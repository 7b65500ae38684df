"""Reads of reach: broadcast lists and delivery boards, the rehearsal (gladi) readiness board and the
call list. Every count is a grouped query over indexed rows (never a Python loop over people), and
every list is already scoped to the user through `permissions`."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from sinergi.accounts.models import Actor, Membership, User
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area, Level, within
from sinergi.messaging.models import InboundMessage, Status
from sinergi.people.models import Phone
from sinergi.people.selectors import people_in
from sinergi.reach.models import Broadcast, ContactLog, Recipient, TestReport
from sinergi.reach.permissions import BROADCAST

LOGIN_WINDOW = timedelta(days=7)
CHANNELS = ["sms", "whatsapp", "telegram", "email", "web"]


def child_code_length(area: Area) -> int:
    """The length of a child area's code under `area` (a desa groups by itself)."""
    if area.code == NATIONAL_CODE:
        return 2
    return {Level.PROVINCE: 5, Level.REGENCY: 8, Level.DISTRICT: 13}.get(area.level, len(area.code))  # type: ignore[call-overload]


def _names(codes: list[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


# --- broadcasts ----------------------------------------------------------------------------------


def broadcasts_visible(user: Actor, area_code: str | None = None) -> QuerySet[Broadcast]:
    rows = BROADCAST.visible(user)
    if area_code:
        rows = rows.filter(within(area_code, "area__code"))
    return rows.order_by("-created_at", "-id")


@dataclass
class DeliveryRow:
    code: str
    name: str
    recipients: int = 0
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    refused: int = 0
    replied: int = 0

    @property
    def delivered_pct(self) -> float | None:
        return round(100 * self.delivered / self.recipients, 1) if self.recipients else None


@dataclass
class DeliveryBoard:
    rows: list[DeliveryRow]
    total: DeliveryRow = field(default_factory=lambda: DeliveryRow("", ""))


def _reply_exists() -> Exists:
    return Exists(InboundMessage.objects.filter(in_reply_to_id=OuterRef("message_id")))


def delivery_board(broadcast: Broadcast) -> DeliveryBoard:
    """Per child area of the broadcast's area: recipients, queued, sent, delivered, failed, refused
    (opted out or unreachable) and replied. One grouped query plus the area names."""
    length = child_code_length(broadcast.area)
    rows = (
        Recipient.objects.filter(broadcast=broadcast)
        .annotate(child=Substr("area_code", 1, length), has_reply=_reply_exists())
        .values("child")
        .annotate(
            recipients=Count("pk"),
            queued=Count("pk", filter=Q(message__status=Status.QUEUED)),
            sent=Count("pk", filter=Q(message__status=Status.SENT)),
            delivered=Count("pk", filter=Q(message__status=Status.DELIVERED)),
            failed=Count("pk", filter=Q(message__status=Status.FAILED)),
            refused=Count("pk", filter=Q(message__isnull=True)),
            replied=Count("pk", filter=Q(has_reply=True)),
        )
        .order_by("child")
    )
    found = list(rows)
    names = _names([r["child"] for r in found])
    board = DeliveryBoard(
        [
            DeliveryRow(
                r["child"],
                names.get(r["child"], r["child"]),
                **{k: r[k] for k in ("recipients", "queued", "sent", "delivered", "failed", "refused", "replied")},
            )
            for r in found
        ]
    )
    for row in board.rows:
        for k in ("recipients", "queued", "sent", "delivered", "failed", "refused", "replied"):
            setattr(board.total, k, getattr(board.total, k) + getattr(row, k))
    return board


def broadcast_replies(broadcast: Broadcast, limit: int = 200) -> list[InboundMessage]:
    """The replies threaded to this broadcast's messages, newest first, with who sent them."""
    return list(
        InboundMessage.objects.filter(in_reply_to__batch=broadcast.batch)
        .select_related("user")
        .order_by("-received_at", "-id")[:limit]
    )


def audience_by_child(area: Area, roles: list[str], agency_kinds: list[str]) -> list[tuple[str, str, int]]:
    """(child code, name, people) a broadcast would reach, per child area: one grouped query."""
    length = child_code_length(area)
    rows = Membership.objects.filter(within(area.code, "area__code"), user__is_active=True)
    if roles:
        rows = rows.filter(role__in=roles)
    if agency_kinds:
        rows = rows.filter(agency__kind__in=agency_kinds)
    counts = list(
        rows.annotate(child=Substr("area_id", 1, length))
        .values("child")
        .annotate(n=Count("user_id", distinct=True))
        .order_by("child")
    )
    names = _names([r["child"] for r in counts])
    return [(r["child"], names.get(r["child"], r["child"]), r["n"]) for r in counts]


# --- rehearsal ---------------------------------------------------------------------------------


def _heard_in_rehearsal(user_ref: Any) -> Q:
    """Someone answered the rehearsal: a reply to a test broadcast or the GLADI keyword on any channel,
    or the web button."""
    inbound = InboundMessage.objects.filter(
        Q(in_reply_to__batch__startswith="gladi:") | Q(keyword="GLADI"), user_id=user_ref
    )
    return Q(Exists(inbound)) | Q(Exists(TestReport.objects.filter(user_id=user_ref)))


def field_staff(area_code: str) -> QuerySet[User]:
    """Everyone on a roster (a `people.Person`) with a membership inside the area."""
    return people_in(area_code).filter(person__isnull=False)


@dataclass
class ReadinessRow:
    code: str
    name: str
    staff: int
    activated: int
    logged_in: int
    tested: int
    unreachable: int = 0  # neither logged in within 7 days nor heard from in the rehearsal (totals only)

    def pct(self, part: int) -> float | None:
        return round(100 * part / self.staff, 1) if self.staff else None

    @property
    def activated_pct(self) -> float | None:
        return self.pct(self.activated)

    @property
    def logged_in_pct(self) -> float | None:
        return self.pct(self.logged_in)

    @property
    def tested_pct(self) -> float | None:
        return self.pct(self.tested)


@dataclass
class Readiness:
    total: ReadinessRow
    by_channel: dict[str, int]
    rows: list[ReadinessRow]


def readiness_totals(area: Area, now: datetime | None = None) -> ReadinessRow:
    """The area's field staff, how many activated, logged in within 7 days and sent a test report: one query."""
    since = (now or timezone.now()) - LOGIN_WINDOW
    totals = field_staff(area.code).aggregate(
        staff=Count("pk"),
        activated=Count("pk", filter=Q(person__activated_at__isnull=False)),
        logged_in=Count("pk", filter=Q(last_login__gte=since)),
        tested=Count("pk", filter=_heard_in_rehearsal(OuterRef("pk"))),
        unreachable=Count("pk", filter=~Q(last_login__gte=since) & ~_heard_in_rehearsal(OuterRef("pk"))),
    )
    return ReadinessRow(area.code, area.name, **totals)


def readiness(area: Area, now: datetime | None = None) -> Readiness:
    """The rehearsal board: totals, test reports per channel, and the same shares per child area.
    Four grouped queries and the area names, whatever the number of people."""
    since = (now or timezone.now()) - LOGIN_WINDOW
    total = readiness_totals(area, now)
    staff = field_staff(area.code).values("pk")
    by_channel: dict[str, int] = dict.fromkeys(CHANNELS, 0)
    inbound = (
        InboundMessage.objects.filter(Q(in_reply_to__batch__startswith="gladi:") | Q(keyword="GLADI"), user__in=staff)
        .values("channel")
        .annotate(n=Count("user_id", distinct=True))
    )
    for row in inbound:
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + row["n"]
    for row in TestReport.objects.filter(user__in=staff).values("channel").annotate(n=Count("user_id", distinct=True)):
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + row["n"]
    length = child_code_length(area)
    grouped = (
        Membership.objects.filter(within(area.code, "area__code"), user__is_active=True, user__person__isnull=False)
        .annotate(child=Substr("area_id", 1, length))
        .values("child")
        .annotate(
            staff=Count("user_id", distinct=True),
            activated=Count("user_id", distinct=True, filter=Q(user__person__activated_at__isnull=False)),
            logged_in=Count("user_id", distinct=True, filter=Q(user__last_login__gte=since)),
            tested=Count("user_id", distinct=True, filter=_heard_in_rehearsal(OuterRef("user_id"))),
        )
        .order_by("child")
    )
    found = list(grouped)
    names = _names([r["child"] for r in found])
    rows = [
        ReadinessRow(
            r["child"], names.get(r["child"], r["child"]), r["staff"], r["activated"], r["logged_in"], r["tested"]
        )
        for r in found
    ]
    return Readiness(total, by_channel, rows)


# --- call list ---------------------------------------------------------------------------------


def unreachable(area_code: str, now: datetime | None = None) -> QuerySet[User]:
    """Field staff not heard from: no test report on any channel and no login within 7 days, with their
    last contact-log entry and first phone annotated; those never called first, then the longest ago."""
    since = (now or timezone.now()) - LOGIN_WINDOW
    last = ContactLog.objects.filter(person_id=OuterRef("pk")).order_by("-at", "-id")
    phone = Phone.objects.filter(person__user_id=OuterRef("pk")).order_by(
        F("verified_at").desc(nulls_last=True), "-created_at", "-id"
    )
    return (
        field_staff(area_code)
        .exclude(last_login__gte=since)
        .exclude(_heard_in_rehearsal(OuterRef("pk")))
        .select_related("person")
        .annotate(
            last_contact_at=Subquery(last.values("at")[:1]),
            last_outcome=Subquery(last.values("outcome")[:1]),
            contacts=Coalesce(
                Subquery(
                    ContactLog.objects.filter(person_id=OuterRef("pk"))
                    .values("person_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            first_phone=Subquery(phone.values("e164")[:1]),
            place=Subquery(Membership.objects.filter(user_id=OuterRef("pk")).order_by("area_id").values("area_id")[:1]),
        )
        .order_by(F("last_contact_at").asc(nulls_first=True), "pk")
    )


def contact_log(area_code: str, limit: int = 50) -> list[ContactLog]:
    rows = (
        ContactLog.objects.all()
        if area_code == NATIONAL_CODE
        else ContactLog.objects.filter(within(area_code, "area_code"))
    )
    return list(rows.select_related("person", "recorded_by").order_by("-at", "-id")[:limit])
