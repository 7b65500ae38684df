"""What the grants module tells the situation room: totals, late tranches, refunds due."""

from typing import Any

from django.urls import reverse

from sinergi.areas.models import within
from sinergi.core.errors import NotFound
from sinergi.core.money import format_rupiah
from sinergi.core.situation import AttentionItem, Metric
from sinergi.core.timezones import local_today
from sinergi.grants import selectors
from sinergi.grants.alerts import late_tranches, refund_deadlines
from sinergi.grants.permissions import GRANTS

MODULE = "grants"
ATTENTION_LIMIT = 50


def _url(code: str) -> str:
    return reverse("grants:overview", args=[code])


def readiness(user: Any, area: Any) -> list[Metric]:
    if not GRANTS.can_read(user, area.code):
        return []
    today = local_today(area.code)
    totals = selectors.overview(user, area.code, today=today).totals
    if not totals.count:
        return []
    late = totals.late
    return [
        Metric(
            "grants.disbursed_pct",
            "Hibah tersalurkan",
            float(totals.disbursed_pct or 0),
            "%",
            "ok" if not late else "bad",
            _url(area.code),
            MODULE,
        ),
        Metric(
            "grants.absorption_pct",
            "Penyerapan hibah",
            float(totals.absorption_pct or 0),
            "%",
            "info",
            _url(area.code),
            MODULE,
        ),
        Metric(
            "grants.late_tranches",
            "Tahap pencairan terlambat",
            late,
            "tahap",
            "bad" if late else "ok",
            _url(area.code),
            MODULE,
        ),
    ]


def attention(user: Any, area: Any) -> list[AttentionItem]:
    if not GRANTS.can_read(user, area.code):
        return []
    today = local_today(area.code)
    scoped = selectors.visible_agreements(user).filter(within(area.code, "region__code"))
    # Late tranches come first; the room keeps only the most urgent, so never load more than that.
    dues = late_tranches(today, scoped, limit=ATTENTION_LIMIT)
    if len(dues) < ATTENTION_LIMIT:
        dues += refund_deadlines(today, scoped)
    items = []
    for due in dues[:ATTENTION_LIMIT]:
        a = due.agreement
        urgency = 80 if "late" in due.key else 50
        url = reverse("grants:agreement", kwargs={"election": a.election.slug, "recipient": a.recipient.code})
        items.append(AttentionItem(urgency, due.title, a.region_id, url, MODULE, due.body))
    return items


def public_summary(area: Any) -> list[Metric]:
    try:
        data = selectors.public_region(area.code)
    except NotFound:
        return []
    totals = data["totals"]
    return [
        Metric(
            "grants.amount",
            "Nilai hibah Pilkada (NPHD)",
            format_rupiah(totals.amount),
            "",
            "info",
            reverse("grants:public_region", args=[area.code]),
            MODULE,
        ),
        Metric("grants.disbursed", "Hibah tersalurkan", format_rupiah(totals.disbursed), "", "info", "", MODULE),
        Metric("grants.spent", "Realisasi belanja hibah", format_rupiah(totals.spent), "", "info", "", MODULE),
    ]
