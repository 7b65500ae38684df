"""Who gets what, by message (SMS, WhatsApp, Telegram, e-mail through `messaging`):

- missing-TPS alerts to the KPPS chair of each missing TPS and to the PPS of its desa (one message per
  desa listing its missing TPS), on their own channel with a fallback channel after a delay;
- status updates to an incident's public reporter who left a mobile number and agreed;
- action-item reminders to the members of the responsible agency who may act on them;
- escalations to whoever incidents' escalation notifies (the on-duty coordinator and triage officers).

The apps that own those events call these functions inside their own transaction, next to their in-app
notices (which stay as they were). Each alert is recorded once per recipient and subject (`AlertSent`),
so a re-run, a retry or a second worker sends nothing twice; the messages queue after commit.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from sinergi.accounts.models import Membership, User
from sinergi.accounts.roles import AgencyKind
from sinergi.areas.models import PollingStation
from sinergi.core.errors import DomainError
from sinergi.messaging import templates
from sinergi.messaging.models import OutboundMessage
from sinergi.messaging.services import Outgoing, send, send_each
from sinergi.people.models import Person
from sinergi.reach.models import AlertKind, AlertSent, ReporterConsent


def fallback_delay() -> timedelta:
    """How long an alert waits for a delivery receipt before the next channel is tried."""
    return timedelta(minutes=int(getattr(settings, "SINERGI_ALERT_FALLBACK_MINUTES", 10)))


def _deliver(
    *,
    kind: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    purpose: str,
    user: User | None = None,
    address: str | None = None,
    area_code: str = "",
    fallback_after: timedelta | None = None,
) -> AlertSent | None:
    """Queue one alert unless this recipient already had it; None when it had. A recipient who opted
    out or cannot be reached is recorded with the reason (and shows on the call list)."""
    recipient = f"user:{user.pk}" if user is not None else f"address:{address}"
    if AlertSent.objects.filter(kind=kind, subject=subject, recipient=recipient).exists():
        return None
    language = getattr(user, "preferred_language", "id") if user is not None else "id"
    text = templates.render(template, context, language)
    alert = AlertSent(kind=kind, subject=subject[:120], recipient=recipient, user=user, address=address or "")
    alert.area_code = area_code
    try:
        with transaction.atomic():
            try:
                alert.message = send(
                    text=text, purpose=purpose, user=user, address=address, fallback_after=fallback_after
                )
                alert.address = alert.message.address
            except DomainError as exc:  # opted out or no reachable channel
                alert.refused = exc.detail[:200]
            alert.save()
    except IntegrityError:
        return None  # a concurrent run recorded it first (and its message rolled back with this savepoint)
    return alert


# --- missing TPS -------------------------------------------------------------------------------


CHUNK = 5000  # recipients read, rendered and queued per round: memory bounded by this, not by the nation


def missing_tps_messages(*, election: Any, checkpoint: Any, missing_tps: QuerySet) -> int:
    """Message the KPPS chair of each missing TPS and the PPS of each desa with missing TPS.

    `missing_tps` is a query of the codes of the TPS without a report at the checkpoint; it is used as a
    subquery, so the database finds the recipients and they are read, written and queued in chunks
    (`CHUNK`): a few queries per chunk, whatever the number of TPS. Returns how many alerts were recorded
    now (queued or refused); the ones already sent for this checkpoint are skipped."""
    alert = _MissingAlert(election, checkpoint)
    kpps = Membership.objects.filter(user_id=OuterRef("user_id"), agency__kind=AgencyKind.KPPS)
    chairs = Person.objects.filter(tps_id__in=missing_tps, user__is_active=True).filter(Exists(kpps))
    sent = 0
    for people in _pages(chairs.select_related("user", "tps__desa")):
        sent += alert.deliver(
            [(p.user, str(p.tps_id), {"tps": str(p.tps_id), "desa": p.tps.desa.name}) for p in people if p.tps]
        )
    stations = PollingStation.objects.filter(code__in=missing_tps)
    pps = Membership.objects.filter(
        area_id__in=stations.values("desa_id"), agency__kind=AgencyKind.PPS, user__is_active=True
    )
    for memberships in _pages(pps.select_related("user", "area")):
        numbers: dict[str, list[str]] = defaultdict(list)
        for code, desa in stations.filter(desa_id__in={m.area_id for m in memberships}).values_list("code", "desa_id"):
            numbers[desa].append(code.rsplit(".", 1)[-1])
        seen: set[tuple[int, str]] = set()
        wanted = []
        for membership in memberships:
            desa = membership.area_id
            if (membership.user_id, desa) not in seen:
                seen.add((membership.user_id, desa))
                tps = ", ".join(sorted(numbers[desa]))
                wanted.append((membership.user, desa, {"tps": tps, "desa": membership.area.name}))
        sent += alert.deliver(wanted)
    return sent


def _pages(queryset: QuerySet, size: int = CHUNK) -> Iterator[list]:
    """The rows by primary key, `size` at a time (keyset: each page one indexed query)."""
    last = None
    while True:
        page = list((queryset if last is None else queryset.filter(pk__gt=last)).order_by("pk")[:size])
        if page:
            yield page
        if len(page) < size:
            return
        last = page[-1].pk


class _MissingAlert:
    """The missing-TPS message of one checkpoint, recorded once per recipient and subject (TPS or desa)."""

    def __init__(self, election: Any, checkpoint: Any) -> None:
        self.subject = f"{election.slug}:{checkpoint.code}"
        self.shared = {"what": checkpoint.label, "time": checkpoint.local_time.strftime("%H.%M")}
        self.fallback = fallback_delay()
        self.render = templates.renderer("missing_tps_alert")

    def deliver(self, wanted: list[tuple[User, str, dict[str, str]]]) -> int:
        """(user, area code, context) per message: `_deliver` for many, in a constant number of queries."""
        keys = [(f"{self.subject}:{area}"[:120], f"user:{user.pk}") for user, area, _c in wanted]
        done = set(
            AlertSent.objects.filter(kind=AlertKind.MISSING_TPS, subject__in={s for s, _r in keys}).values_list(
                "subject", "recipient"
            )
        )
        fresh = [(key, item) for key, item in zip(keys, wanted, strict=True) if key not in done]
        outgoing = [
            Outgoing(
                user=user,
                text=self.render({**context, **self.shared}, getattr(user, "preferred_language", "id")),
                purpose="missing_tps",
                fallback_after=self.fallback,
            )
            for _key, (user, _a, context) in fresh
        ]
        outcomes = send_each(outgoing)
        rows = []
        for ((subject, recipient), (user, area, _c)), outcome in zip(fresh, outcomes, strict=True):
            message = outcome if isinstance(outcome, OutboundMessage) else None
            rows.append(
                AlertSent(
                    kind=AlertKind.MISSING_TPS,
                    subject=subject,
                    recipient=recipient,
                    user=user,
                    address=message.address if message else "",
                    area_code=area,
                    message=message,
                    refused="" if message else str(outcome)[:200],
                )
            )
        AlertSent.objects.bulk_create(rows, batch_size=1000)
        return len(rows)


# --- reporters ---------------------------------------------------------------------------------


def reporter_update(*, report: Any, status_label: Any, note: str = "") -> AlertSent | None:
    """Tell a public reporter who agreed (and left a mobile number) that their report changed state."""
    consent = ReporterConsent.objects.filter(report_id=report.pk).first()
    if consent is None:
        return None
    return _deliver(
        kind=AlertKind.REPORTER,
        subject=f"incident:{report.pk}:{report.state}",
        template="incident_status",
        context={"reference": report.tracking_code, "status": str(status_label), "note": note},
        purpose="incident_status",
        address=consent.address,
        area_code=report.scope_code,
    )


# --- action items ------------------------------------------------------------------------------


def action_reminder(*, action: Any, users: Iterable[User], today: date) -> int:
    """Remind the assignees (members of the responsible agency who may act) of an open action item."""
    count = 0
    for user in users:
        if _deliver(
            kind=AlertKind.REMINDER,
            subject=f"action:{action.pk}:{today.isoformat()}",
            template="action_reminder",
            context={"title": action.title, "due": action.due_date.strftime("%d-%m-%Y")},
            purpose="action_reminder",
            user=user,
            area_code=action.area_id,
        ):
            count += 1
    return count


# --- escalations -------------------------------------------------------------------------------


def escalation_messages(*, report: Any, users: Iterable[User], title: str, area_name: str, detail: str) -> int:
    """Message the officers an escalation notifies (the on-duty coordinator and the agency's triage)."""
    count = 0
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if _deliver(
            kind=AlertKind.ESCALATION,
            subject=f"incident:{report.pk}:level{report.escalation_level}",
            template="escalation",
            context={"title": title, "area": area_name or report.scope_code, "detail": detail},
            purpose="escalation",
            user=user,
            area_code=report.scope_code,
            fallback_after=fallback_delay(),
        ):
            count += 1
    return count
