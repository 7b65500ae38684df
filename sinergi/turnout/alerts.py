"""Voting-day alerts: TPS still missing some minutes after a checkpoint go to the PPS/PPK to call,
and areas below the pace for the target go to the regency's coordinators and KPU. The KPPS chair and
the PPS of each missing TPS also get a message on their own channel (`reach.routing`).

Set-based, so the nation costs about what its aggregate costs: the missing TPS per kecamatan from one
grouped query, the readers of every kecamatan's notice from one query, the notices in one COPY, and
the messages found by the database from the missing TPS as a subquery, in chunks."""

import datetime as dt
from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Jurisdiction, Notification
from sinergi.accounts.notifications import Notice, Reader, notify_many
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.areas.codes import NATIONAL_CODE, lineage_of
from sinergi.areas.models import Area, Election, Level, within
from sinergi.core import formatting
from sinergi.reach.routing import missing_tps_messages
from sinergi.turnout import selectors
from sinergi.turnout.models import Checkpoint, Slot

CONTACT_KINDS = [AgencyKind.PPS, AgencyKind.KPPS, AgencyKind.PPK, AgencyKind.KPU]
NOTICE_ROLES = [Role.KPU_OPERATOR, Role.COORDINATOR]
KECAMATAN_LENGTH = len("64.02.06")
_CODE = "00.00.00"  # stands for the kecamatan in the missing-list address, reversed once per run


def _missing_title(missing: int, name: str, checkpoint: str) -> str:
    return _("%(count)s TPS di %(area)s belum lapor %(checkpoint)s") % {
        "count": formatting.number(missing),
        "area": name,
        "checkpoint": checkpoint,
    }


@transaction.atomic
def missing_alerts_send(*, election: Election, checkpoint: Checkpoint, now: dt.datetime | None = None) -> int:
    """Notify, per kecamatan with missing TPS, the KPU-side agencies covering it (one notice per person and
    kecamatan, in their language), and message the missing TPS's KPPS chairs and PPS. A re-run for the same
    checkpoint sends nothing twice (runs of one checkpoint take turns on its row). Returns the kecamatan."""
    if not selectors.missing_grace_passed(election, checkpoint, now or timezone.now()):
        return 0
    # FOR NO KEY UPDATE: a second run waits for this one; report writes (key-share locks) do not.
    lock = Checkpoint.objects.select_for_update(no_key=True, of=("self",)).filter(pk=checkpoint.pk).order_by()
    list(lock.values_list("pk"))  # (without the ordering's join, which would lock the election row too)
    missing = _missing_slots(election.region_id, checkpoint)
    kecamatan = missing_per_kecamatan(election.region_id, missing)
    if not kecamatan:
        return 0
    _notices_send(election, checkpoint, kecamatan)
    missing_tps_messages(election=election, checkpoint=checkpoint, missing_tps=missing.values("tps_id"))
    return len(kecamatan)


def _missing_slots(region: str, checkpoint: Checkpoint) -> QuerySet[Slot]:
    slots = Slot.objects.filter(checkpoint=checkpoint, voters__isnull=True)
    return slots if region == NATIONAL_CODE else slots.within(region)


def missing_per_kecamatan(region: str, missing: QuerySet[Slot]) -> list[tuple[str, str, int]]:
    """(code, name, missing TPS) per kecamatan, by code: one grouped query, then the names."""
    rows = (
        missing.annotate(kecamatan=Substr("tps_id", 1, KECAMATAN_LENGTH))
        .values("kecamatan")
        .annotate(missing=Count("pk"))
        .order_by("kecamatan")
        .values_list("kecamatan", "missing")
    )
    counts: dict[str, int] = dict(rows)
    kecamatan = Area.objects.filter(_around(region, "code"), level=Level.DISTRICT)
    names: dict[str, str] = dict(kecamatan.values_list("code", "name"))
    return [(code, names.get(code, code), n) for code, n in sorted(counts.items())]


def _around(region: str, field: str) -> Q:
    """The region's lineage (provinsi down to itself) and everything inside it, by an area code: no list of
    codes to bind (the nation has 7,285 kecamatan; a long IN list costs more to send than to answer)."""
    if region == NATIONAL_CODE:
        return Q()
    return Q(**{f"{field}__in": lineage_of(region)}) | within(region, field, include_self=False)


def _notices_send(election: Election, checkpoint: Checkpoint, kecamatan: list[tuple[str, str, int]]) -> int:
    covering = _covering(election.region_id)
    readers = kecamatan_readers(covering, [code for code, _n, _m in kecamatan])
    suffix = f"?pemilihan={election.slug}&titik={checkpoint.code}"
    page = reverse("turnout:missing", args=[_CODE])
    already = Notification.objects.filter(
        user_id__in=covering.values("agency__memberships__user_id"), source="turnout", url__endswith=suffix
    )
    notified = set(already.values_list("user_id", "url"))
    notices = []
    for code, name, missing in kecamatan:
        url = page.replace(_CODE, code) + suffix
        fresh = [r for r in readers.get(code, ()) if (r.pk, url) not in notified]
        if fresh:
            notices.append(Notice(fresh, partial(_missing_title, missing, name, checkpoint.label), url))
    return notify_many(notices, source="turnout")


def _covering(region: str) -> QuerySet[Jurisdiction]:
    """The jurisdictions of KPU-side agencies over a provinsi, kabupaten or kecamatan of the region's
    lineage or inside it, joined to their members who read the notices (active operators, coordinators)."""
    return Jurisdiction.objects.filter(
        _around(region, "area__code"),
        area__level__in=[Level.PROVINCE, Level.REGENCY, Level.DISTRICT],
        agency__kind__in=CONTACT_KINDS,
        agency__memberships__role__in=NOTICE_ROLES,
        agency__memberships__user__is_active=True,
    )


def kecamatan_readers(covering: QuerySet[Jurisdiction], codes: Sequence[str]) -> dict[str, list[Reader]]:
    """Per kecamatan, the readers of the agencies covering it or its kabupaten or provinsi: the covering
    jurisdictions read in one query, mapped to each kecamatan's lineage in memory."""
    rows = covering.values_list(
        "area_id",
        "agency__memberships__user_id",
        "agency__memberships__user__username",
        "agency__memberships__user__preferred_language",
    ).distinct()
    by_area: dict[str, dict[int, Reader]] = {}
    for area, pk, username, language in rows:
        by_area.setdefault(area, {})[pk] = Reader(pk, username, language)
    readers = {}
    for code in codes:
        merged = {pk: r for area in lineage_of(code) for pk, r in by_area.get(area, {}).items()}
        readers[code] = [merged[pk] for pk in sorted(merged)]
    return readers
