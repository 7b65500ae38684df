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
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from sinergi.accounts.models import Membership, User
from sinergi.accounts.roles import AgencyKind
from sinergi.core.errors import DomainError
from sinergi.messaging import templates
from sinergi.messaging.services import send
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


def missing_tps_messages(*, election: Any, checkpoint: Any, missing: Iterable[tuple[str, str, str]]) -> int:
    """Message the KPPS chair of each missing TPS and the PPS of each desa with missing TPS.

    `missing` is (TPS code, desa code, desa name) for every TPS without a report at the checkpoint.
    Returns how many alerts were queued now (the ones already sent for this checkpoint are skipped)."""
    rows = list(missing)
    if not rows:
        return 0
    by_desa: dict[str, list[str]] = defaultdict(list)
    desa_names: dict[str, str] = {}
    for tps, desa, name in rows:
        by_desa[desa].append(tps)
        desa_names[desa] = name
    fallback = fallback_delay()
    when = checkpoint.local_time.strftime("%H.%M")
    what = checkpoint.label
    subject_base = f"{election.slug}:{checkpoint.code}"
    sent = 0
    chairs = (
        Person.objects.filter(
            tps_id__in=[tps for tps, _d, _n in rows],
            user__is_active=True,
            user__memberships__agency__kind=AgencyKind.KPPS,
        )
        .select_related("user")
        .distinct()
        .order_by("tps_id", "user_id")
    )
    desa_of = {tps: desa for tps, desa, _n in rows}
    for person in chairs:
        tps = str(person.tps_id)
        desa = desa_of[tps]
        if _deliver(
            kind=AlertKind.MISSING_TPS,
            subject=f"{subject_base}:{tps}",
            template="missing_tps_alert",
            context={"tps": tps, "desa": desa_names[desa], "what": what, "time": when},
            purpose="missing_tps",
            user=person.user,
            area_code=tps,
            fallback_after=fallback,
        ):
            sent += 1
    pps = (
        Membership.objects.filter(area_id__in=list(by_desa), agency__kind=AgencyKind.PPS, user__is_active=True)
        .select_related("user")
        .order_by("area_id", "user_id")
    )
    seen: set[tuple[int, str]] = set()
    for membership in pps:
        desa = membership.area_id
        if (membership.user_id, desa) in seen:
            continue
        seen.add((membership.user_id, desa))
        numbers = sorted(tps.rsplit(".", 1)[-1] for tps in by_desa[desa])
        if _deliver(
            kind=AlertKind.MISSING_TPS,
            subject=f"{subject_base}:{desa}",
            template="missing_tps_alert",
            context={"tps": ", ".join(numbers), "desa": desa_names[desa], "what": what, "time": when},
            purpose="missing_tps",
            user=membership.user,
            area_code=desa,
            fallback_after=fallback,
        ):
            sent += 1
    return sent


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
