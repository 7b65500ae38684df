"""What the grants module tells the situation room: totals, late tranches, refunds due."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sinergi.accounts.models import Actor
from sinergi.areas.models import within
from sinergi.core.errors import NotFound
from sinergi.core.money import format_rupiah
from sinergi.core.situation import ATTENTION, READY, TROUBLE, AttentionItem, Metric, Module, Verdict, module_state
from sinergi.core.timezones import local_today
from sinergi.grants import selectors
from sinergi.grants.alerts import Due, late_tranches, refund_deadlines
from sinergi.grants.models import AgreementStatus, Tranche
from sinergi.grants.permissions import GRANTS

MODULE = "grants"
ABOUT = Module(label=gettext_lazy("Hibah Pilkada"), order=30, policy=GRANTS)
ATTENTION_LIMIT = 50


@dataclass
class GrantsState:
    """The grants inside an area as the user may see them, read once per request in four queries at
    every level: the totals, the number of late tranches, the most urgent late tranches (at most
    ATTENTION_LIMIT) and the refunds due."""

    today: dt.date
    totals: selectors.Totals = field(default_factory=selectors.Totals)
    late: list[Due] = field(default_factory=list)
    refunds: list[Due] = field(default_factory=list)


def _state(user: Actor, area: Any) -> GrantsState:
    return module_state(MODULE, user, area, lambda: _load(user, area))


def _load(user: Actor, area: Any) -> GrantsState:
    today = local_today(area.code)
    scoped = selectors.visible_agreements(user).filter(within(area.code, "region__code"))
    sums = scoped.aggregate(
        amount=Sum("amount"), disbursed=Sum("disbursed"), spent=Sum("spent"), refunded=Sum("refunded"), n=Count("id")
    )
    late = Tranche.objects.filter(
        agreement__in=scoped.filter(status=AgreementStatus.OPEN),
        due_on__lt=today,
        cumulative__gt=F("agreement__disbursed"),
    ).count()
    totals = selectors.Totals()
    amount, disbursed, spent, refunded = (
        selectors.cents(sums[k]) for k in ("amount", "disbursed", "spent", "refunded")
    )
    totals.add(amount, disbursed, spent, refunded, count=sums["n"], late=late)
    # Late tranches come first; the room keeps only the most urgent, so never load more than that.
    return GrantsState(
        today, totals, late_tranches(today, scoped, limit=ATTENTION_LIMIT), refund_deadlines(today, scoped)
    )


def _url(code: str) -> str:
    return reverse("grants:overview", args=[code])


def readiness(user: Actor, area: Any) -> list[Metric]:
    if not GRANTS.can_read(user, area.code):
        return []
    totals = _state(user, area).totals
    if not totals.count:
        return []
    late = totals.late
    return [
        Metric(
            "grants.disbursed_pct",
            _("Hibah tersalurkan"),
            float(totals.disbursed_pct or 0),
            "%",
            "ok" if not late else "bad",
            _url(area.code),
            MODULE,
        ),
        Metric(
            "grants.absorption_pct",
            _("Penyerapan hibah"),
            float(totals.absorption_pct or 0),
            "%",
            "info",
            _url(area.code),
            MODULE,
        ),
        Metric(
            "grants.late_tranches",
            _("Tahap pencairan terlambat"),
            late,
            _("tahap"),
            "bad" if late else "ok",
            _url(area.code),
            MODULE,
        ),
    ]


def verdict_rule(*, agreements: int, late: int, disbursed_pct: float, refunds_late: int = 0) -> tuple[str, str] | None:
    """The module's verdict (pure): a late tranche is trouble; an unspent balance not returned by its
    deadline needs attention; a tranche still to come on schedule is fine."""
    if not agreements:
        return None
    if late:
        return TROUBLE, _("%(n)s tahap pencairan hibah terlambat.") % {"n": late}
    if refunds_late:
        text = ngettext(
            "%(n)s sisa dana hibah belum disetor kembali ke kas daerah lewat tenggat.",
            "%(n)s sisa dana hibah belum disetor kembali ke kas daerah lewat tenggat.",
            refunds_late,
        )
        return ATTENTION, text % {"n": refunds_late}
    if disbursed_pct >= 100:
        return READY, _("Seluruh hibah tersalurkan tepat waktu.")
    shown = formats.number_format(round(disbursed_pct, 1), 1, use_l10n=True)
    return READY, _("Pencairan hibah sesuai jadwal (%(pct)s %% tersalurkan).") % {"pct": shown}


def verdict(user: Actor, area: Any) -> Verdict | None:
    if not GRANTS.can_read(user, area.code):
        return None
    state = _state(user, area)
    totals = state.totals
    found = verdict_rule(
        agreements=totals.count,
        late=totals.late,
        disbursed_pct=float(totals.disbursed_pct or 0),
        refunds_late=sum(1 for due in state.refunds if due.key == "refund-late"),
    )
    return None if found is None else Verdict(found[0], found[1], _url(area.code), MODULE)


def attention(user: Actor, area: Any) -> list[AttentionItem]:
    if not GRANTS.can_read(user, area.code):
        return []
    state = _state(user, area)
    dues = [*state.late, *state.refunds][:ATTENTION_LIMIT]
    return [_item(due, state.today) for due in dues]


def _item(due: Due, today: Any) -> AttentionItem:
    """A late tranche can still be paid before voting day: actionable until then."""
    a = due.agreement
    late = "late" in due.key
    url = reverse("grants:agreement", kwargs={"election": a.election.slug, "recipient": a.recipient.code})
    return AttentionItem(
        80 if late else 50,
        due.title,
        a.region_id,
        url,
        MODULE,
        due.body,
        actionable=late and today < a.election.voting_date,
        since=due.due_on,
    )


def public_summary(area: Any) -> list[Metric]:
    try:
        data = selectors.public_region(area.code)
    except NotFound:
        return []
    totals = data["totals"]
    return [
        Metric(
            "grants.amount",
            _("Nilai hibah Pilkada (NPHD)"),
            format_rupiah(totals.amount),
            "",
            "info",
            reverse("grants:public_region", args=[area.code]),
            MODULE,
        ),
        Metric("grants.disbursed", _("Hibah tersalurkan"), format_rupiah(totals.disbursed), "", "info", "", MODULE),
        Metric("grants.spent", _("Realisasi belanja hibah"), format_rupiah(totals.spent), "", "info", "", MODULE),
    ]
