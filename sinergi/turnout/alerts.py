"""Voting-day alerts: TPS still missing some minutes after a checkpoint go to the PPS/PPK to call,
and areas below the pace for the target go to the regency's coordinators and KPU. The KPPS chair and
the PPS of each missing TPS also get a message on their own channel (`reach.routing`)."""

import datetime as dt
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency
from sinergi.accounts.notifications import agency_users, notify
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.areas.codes import lineage_of
from sinergi.areas.models import Area, Election
from sinergi.core import formatting
from sinergi.reach.routing import missing_tps_messages
from sinergi.turnout import selectors
from sinergi.turnout.models import Checkpoint

CONTACT_KINDS = [AgencyKind.PPS, AgencyKind.KPPS, AgencyKind.PPK, AgencyKind.KPU]


@transaction.atomic
def _missing_title(missing: int, name: str, checkpoint: str) -> str:
    return _("%(count)s TPS di %(area)s belum lapor %(checkpoint)s") % {
        "count": formatting.number(missing),
        "area": name,
        "checkpoint": checkpoint,
    }


def missing_alerts_send(*, election: Election, checkpoint: Checkpoint, now: dt.datetime | None = None) -> int:
    """Notify, per kecamatan with missing TPS, the KPU-side agencies covering it (one notice each)."""
    if not selectors.missing_grace_passed(election, checkpoint, now or timezone.now()):
        return 0
    region = Area.objects.get(code=election.region_id)
    kecamatan = selectors.missing_per_kecamatan(region, checkpoint)
    sent = 0
    for code, name, missing in kecamatan:
        agencies = Agency.objects.filter(kind__in=CONTACT_KINDS, jurisdictions__area_id__in=lineage_of(code)).values_list(
            "pk", flat=True
        )
        users = agency_users(agencies, [Role.KPU_OPERATOR, Role.COORDINATOR])
        url = f"{reverse('turnout:missing', args=[code])}?pemilihan={election.slug}&titik={checkpoint.code}"
        notify(
            users=users,
            title=partial(_missing_title, missing, name, checkpoint.label),
            url=url,
            source="turnout",
            email=False,
        )
        sent += 1
    if kecamatan:
        missing_tps_messages(
            election=election, checkpoint=checkpoint, missing=selectors.missing_tps(region, checkpoint)
        )
    return sent
