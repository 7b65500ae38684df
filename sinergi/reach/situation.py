"""What reach tells the situation room: the rehearsal's readiness (field staff activated, logged in
within 7 days, heard from in the rehearsal) and, as attention, how many are still unreachable.
One grouped query per request whatever the area's size (`core.situation.module_state`), shared
across processes for a minute (`core.cache.shared_read`)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Actor
from sinergi.areas.models import Area
from sinergi.core.cache import shared_read
from sinergi.core.situation import ATTENTION, READY, TROUBLE, AttentionItem, Metric, Module, Verdict, module_state
from sinergi.reach import selectors
from sinergi.reach.permissions import REACH

MODULE = "reach"
ABOUT = Module(label=gettext_lazy("Kesiapan petugas lapangan"), order=70, policy=REACH)


def _status(pct: float | None, ok: float = 90, warn: float = 60) -> str:
    if pct is None:
        return "info"
    return "ok" if pct >= ok else "warn" if pct >= warn else "bad"


# The roster's readiness moves over days (logins within 7 days), while its count over a nation's
# 83,762 desa staff takes most of a second: one process recounts an area at most once a minute.
TOTALS_FRESH_SECONDS, TOTALS_STALE_SECONDS = 60, 900


def _totals(user: Actor, area: Area) -> selectors.ReadinessRow:
    return module_state(MODULE, user, area, lambda: _shared_totals(area))


def _shared_totals(area: Area) -> selectors.ReadinessRow:
    return shared_read(
        f"reach:readiness:{area.code}",
        lambda: selectors.readiness_totals(area),
        fresh_seconds=TOTALS_FRESH_SECONDS,
        stale_seconds=TOTALS_STALE_SECONDS,
    )


def readiness(user: Actor, area: Area) -> list[Metric]:
    if not REACH.can_read(user, area.code):
        return []
    row = _totals(user, area)
    if not row.staff:
        return []
    url = reverse("reach:rehearsal", args=[area.code])
    return [
        Metric(
            "reach.activated_pct",
            _("Petugas lapangan teraktivasi"),
            row.activated_pct,
            "%",
            _status(row.activated_pct),
            url,
            MODULE,
        ),
        Metric(
            "reach.logged_in_pct",
            _("Petugas masuk 7 hari terakhir"),
            row.logged_in_pct,
            "%",
            _status(row.logged_in_pct),
            url,
            MODULE,
        ),
        Metric(
            "reach.tested_pct",
            _("Petugas mengirim laporan uji gladi"),
            row.tested_pct,
            "%",
            _status(row.tested_pct),
            url,
            MODULE,
        ),
    ]


def verdict_rule(*, staff: int, tested_pct: float | None, unreachable: int) -> tuple[str, str] | None:
    """The module's verdict (pure): staff not heard from in the rehearsal may be unreachable on the day."""
    if not staff:
        return None
    pct = formats.number_format(round(tested_pct or 0, 1), 1, use_l10n=True)
    if tested_pct is None or tested_pct < 60:
        return TROUBLE, _("Baru %(pct)s %% petugas lapangan mengirim laporan uji gladi.") % {"pct": pct}
    if unreachable:
        return ATTENTION, _("%(n)s petugas lapangan belum terjangkau dalam gladi.") % {"n": unreachable}
    return READY, _("Seluruh petugas lapangan terjangkau dalam gladi.")


def verdict(user: Actor, area: Area) -> Verdict | None:
    if not REACH.can_read(user, area.code):
        return None
    row = _totals(user, area)
    found = verdict_rule(staff=row.staff, tested_pct=row.tested_pct, unreachable=row.unreachable)
    return None if found is None else Verdict(found[0], found[1], reverse("reach:rehearsal", args=[area.code]), MODULE)


def attention(user: Actor, area: Area) -> list[AttentionItem]:
    if not REACH.can_read(user, area.code):
        return []
    row = _totals(user, area)
    silent = row.unreachable
    if not row.staff or silent <= 0:
        return []
    share = silent / row.staff
    return [
        AttentionItem(
            urgency=min(80, 30 + int(50 * share)),
            title=_("%(n)s petugas lapangan belum terjangkau dalam gladi") % {"n": silent},
            area_code=area.code,
            url=reverse("reach:calls", args=[area.code]),
            module=MODULE,
            detail=_("dari %(n)s petugas; hubungi lewat daftar telepon") % {"n": row.staff},
            actionable=True,
        )
    ]
