"""Late tranches and refund deadlines: find them (indexed queries) and notify once per event.

Run daily (`sinergi grants_alerts`, or the `grants_alerts_send` task). The `Alert` table remembers
what was sent, so a rerun on the same day, or the next day, never repeats a message."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.accounts.models import Membership, User
from sinergi.accounts.notifications import notify
from sinergi.accounts.roles import Role
from sinergi.areas.codes import ancestors_of
from sinergi.core import formatting
from sinergi.core.formatting import rupiah
from sinergi.grants import schedule
from sinergi.grants.models import Agreement, AgreementStatus, Alert, Ratification, Tranche
from sinergi.grants.permissions import RECIPIENT_ROLES

REFUND_WARNING_DAYS = 30


@dataclass(frozen=True)
class Due:
    agreement: Agreement
    key: str
    title: str
    body: str
    to_recipient: bool
    due_on: dt.date | None = None  # the date it fell due (the situation room ages items from it)


def late_tranches(
    today: dt.date, agreements: QuerySet[Agreement] | None = None, *, limit: int | None = None
) -> list[Due]:
    """Past-due tranches not covered by disbursements, oldest first (at most `limit` of them)."""
    rows = Tranche.objects.all() if agreements is None else Tranche.objects.filter(agreement__in=agreements)
    rows = (
        rows.filter(due_on__lt=today, cumulative__gt=F("agreement__disbursed"), agreement__status=AgreementStatus.OPEN)
        .select_related("agreement__recipient", "agreement__election")
        .order_by("due_on")
    )
    if limit is not None:
        rows = rows[:limit]
    found = []
    for t in rows:
        a = t.agreement
        outstanding = min(t.amount, t.cumulative - a.disbursed)
        found.append(
            Due(
                a,
                f"tranche-{t.seq}-late",
                _("Pencairan hibah terlambat: %(recipient)s, %(tranche)s")
                % {"recipient": a.recipient.name, "tranche": t.label},
                _("%(amount)s seharusnya disalurkan paling lambat %(date)s (%(rule)s); NPHD %(number)s.")
                % {
                    "amount": rupiah(outstanding),
                    "date": formatting.date(t.due_on),
                    "rule": t.rule,
                    "number": a.number,
                },
                False,
                t.due_on,
            )
        )
    return found


def refund_deadlines(today: dt.date, agreements: QuerySet[Agreement] | None = None) -> list[Due]:
    """Open agreements still holding money whose refund deadline is near or past: one query (the
    election's proposal date comes along as a subquery)."""
    found = []
    proposed = Ratification.objects.filter(election_id=OuterRef("election_id")).values("proposed_on")[:1]
    owing = (
        (Agreement.objects.all() if agreements is None else agreements)
        .filter(status=AgreementStatus.OPEN, disbursed__gt=F("spent") + F("refunded"))
        .annotate(proposed_on=Subquery(proposed))
        .filter(proposed_on__isnull=False)
    )
    for a in owing.select_related("recipient", "election"):
        deadline = schedule.refund_deadline(a.proposed_on)
        if deadline is None or (deadline - today).days > REFUND_WARNING_DAYS:
            continue
        late = today > deadline
        found.append(
            Due(
                a,
                "refund-late" if late else "refund-soon",
                (
                    _("Pengembalian sisa hibah terlambat: %(recipient)s")
                    if late
                    else _("Batas pengembalian sisa hibah: %(recipient)s")
                )
                % {"recipient": a.recipient.name},
                _("Sisa dana %(amount)s harus disetor ke kas daerah paling lambat %(date)s; NPHD %(number)s.")
                % {"amount": rupiah(a.balance), "date": formatting.date(deadline), "number": a.number},
                True,
                deadline,
            )
        )
    return found


def recipients_for(due: Due) -> list[User]:
    region = due.agreement.region_id
    memberships = Membership.objects.filter(
        role__in=[Role.FINANCE, Role.COORDINATOR], area_id__in=[region, *ancestors_of(region)]
    ).exclude(area_id="ID")
    if due.to_recipient:
        memberships = memberships | Membership.objects.filter(
            agency_id=due.agreement.recipient_id, role__in=RECIPIENT_ROLES
        )
    return list(User.objects.filter(pk__in=memberships.values("user_id"), is_active=True))


def alerts_send(today: dt.date) -> int:
    """Notify each new late tranche or refund deadline once; returns how many were sent."""
    sent = 0
    for due in [*late_tranches(today), *refund_deadlines(today)]:
        try:
            with transaction.atomic():
                Alert.objects.create(agreement=due.agreement, key=due.key)
                url = reverse(
                    "grants:agreement",
                    kwargs={"election": due.agreement.election.slug, "recipient": due.agreement.recipient.code},
                )
                notify(users=recipients_for(due), title=due.title, body=due.body, url=url, source="grants")
        except IntegrityError:
            continue  # already sent
        sent += 1
    return sent
