"""What turnout tells the situation room (contract: sinergi/core/situation.py): a few grouped queries
per call. The checkpoint is the election's current one by the election's clock, so on voting day the
room moves from 09.00 to 11.00 to 13.00 by itself, and follows a replay's simulated time while one
runs (`turnout.selectors.election_and_checkpoint`). The state of an area (`TurnoutState`) is read
once per request (`core.situation.module_state`): the election's checkpoints, the area's totals and
its children's, from the selectors' stored roll-ups, the same queries at every level."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sinergi.accounts.models import Actor
from sinergi.areas.models import Area
from sinergi.core.errors import NotFound
from sinergi.core.situation import (
    ATTENTION,
    READY,
    TROUBLE,
    AttentionItem,
    MapLayer,
    Metric,
    Module,
    Verdict,
    module_state,
)
from sinergi.turnout import selectors, voting_day
from sinergi.turnout.clock import election_now
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.permissions import REPORTS
from sinergi.turnout.voting_day import checkpoint_moment

MODULE = "turnout"
ABOUT = Module(label=gettext_lazy("Partisipasi pemilih"), order=50, live=True, policy=REPORTS)
# Missing more than this share of TPS after the grace period is trouble, not just attention.
MISSING_TROUBLE_SHARE = 0.10


@dataclass
class TurnoutState:
    turnout: selectors.AreaTurnout | None = None  # None: no election with turnout reporting here
    children: list[selectors.Totals] = field(default_factory=list)  # as the user may read them
    grace_passed: bool = False  # the checkpoint's grace period for missing TPS is over


def _state(user: Actor | None, area: Area) -> TurnoutState:
    return module_state(MODULE, user, area, lambda: _load(user, area))


def _load(user: Actor | None, area: Area) -> TurnoutState:
    try:
        election, checkpoint = selectors.election_and_checkpoint(area.code, None, None)
    except NotFound:
        return TurnoutState()
    turnout = selectors.area_turnout(area, election, checkpoint)
    # The public page shows no children; the room reads them at every level (a desa's are its TPS).
    children = selectors.children_turnout(user, area, checkpoint) if user is not None else []
    return TurnoutState(turnout, children, selectors.missing_grace_passed(election, checkpoint))


def checkpoint_name(checkpoint: Checkpoint) -> str:
    """'pukul 13.00' / 'at 13:00', or the final count, in the reader's language."""
    if checkpoint.is_final:
        return _("hasil akhir")
    clock = checkpoint.local_time.strftime("%H:%M" if get_language() == "en" else "%H.%M")
    return _("pukul %(time)s") % {"time": clock}


def _pct(value: float | None) -> str:
    return "–" if value is None else formats.number_format(round(value, 2), 2, use_l10n=True)


def _count(value: int) -> str:
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def _url(area: Area, t: selectors.AreaTurnout, name: str = "turnout:board") -> str:
    return f"{reverse(name, args=[area.code])}?pemilihan={t.election.slug}&titik={t.checkpoint.code}"


def readiness(user: Actor, area: Area) -> list[Metric]:
    t = _state(user, area).turnout
    if t is None:
        return []
    status = "bad" if t.below_pace else "ok"
    at = checkpoint_name(t.checkpoint)
    return [
        Metric(
            "turnout.turnout_pct",
            _("Partisipasi %(election)s (%(checkpoint)s)") % {"election": t.election.name, "checkpoint": at},
            t.totals.turnout_pct,
            "%",
            status,
            _url(area, t),
            MODULE,
        ),
        Metric(
            "turnout.projected_pct",
            _("Proyeksi partisipasi akhir"),
            _r(t.projection.pct),
            "%",
            "info",
            _url(area, t),
            MODULE,
        ),
        Metric(
            "turnout.reported_pct",
            _("TPS sudah lapor (%(reported)s dari %(total)s TPS)")
            % {"reported": _count(t.totals.reported_tps), "total": _count(t.totals.expected_tps)},
            t.totals.reported_pct,
            "%",
            "info",
            _url(area, t, "turnout:missing"),
            MODULE,
        ),
        Metric(
            "turnout.flagged_tps",
            _("TPS ditandai"),
            t.totals.flagged_tps,
            "TPS",
            "warn" if t.totals.flagged_tps else "ok",
            _url(area, t, "turnout:review"),
            MODULE,
        ),
    ]


def verdict_rule(
    *,
    expected: int,
    missing: int,
    grace_passed: bool,
    flagged: int,
    below_pace: bool,
    checkpoint: str,
    turnout_pct: float | None = None,
    pace_pct: float | None = None,
) -> tuple[str, str]:
    """The module's verdict (pure): TPS silent after the checkpoint's grace period come first."""
    if not expected:
        return ATTENTION, _("Belum ada slot laporan partisipasi untuk wilayah ini.")
    if grace_passed and missing:
        level = TROUBLE if missing > MISSING_TROUBLE_SHARE * expected else ATTENTION
        return level, _("%(n)s dari %(total)s TPS belum melapor %(checkpoint)s.") % {
            "n": missing,
            "total": expected,
            "checkpoint": checkpoint,
        }
    if below_pace:
        return ATTENTION, _("Partisipasi %(checkpoint)s %(pct)s %% di bawah laju target %(pace)s %%.") % {
            "checkpoint": checkpoint,
            "pct": _pct(turnout_pct),
            "pace": _pct(pace_pct),
        }
    if flagged:
        return ATTENTION, _("%(n)s laporan partisipasi ditandai dan perlu ditinjau.") % {"n": flagged}
    if grace_passed:
        return READY, _("Semua TPS sudah melapor %(checkpoint)s.") % {"checkpoint": checkpoint}
    return READY, _("Slot laporan siap untuk %(n)s TPS.") % {"n": expected}


def verdict(user: Actor, area: Area) -> Verdict | None:
    state = _state(user, area)
    t = state.turnout
    if t is None:
        return None
    level, reason = verdict_rule(
        expected=t.totals.expected_tps,
        missing=t.totals.missing_tps,
        grace_passed=state.grace_passed,
        flagged=t.totals.flagged_tps,
        below_pace=t.below_pace,
        checkpoint=checkpoint_name(t.checkpoint),
        turnout_pct=t.totals.turnout_pct,
        pace_pct=t.pace_pct,
    )
    return Verdict(level, reason, _url(area, t), MODULE)


def attention(user: Actor, area: Area) -> list[AttentionItem]:
    """Each item is about the current checkpoint: actionable, aged from the checkpoint's moment."""
    state = _state(user, area)
    t = state.turnout
    if t is None:
        return []
    at = checkpoint_name(t.checkpoint)
    # Aged on the election's clock: during a replay the simulated checkpoint is as fresh as it is there.
    since = timezone.now() - (election_now(t.election) - checkpoint_moment(t.election, t.checkpoint))
    items = []
    if t.totals.missing_tps and state.grace_passed:
        title = _("%(n)s TPS belum lapor %(checkpoint)s") % {"n": t.totals.missing_tps, "checkpoint": at}
        items.append(AttentionItem(85, title, area.code, _url(area, t, "turnout:missing"), MODULE, t.election.name))
    if t.totals.flagged_tps:
        title = _("%(n)s laporan partisipasi perlu ditinjau") % {"n": t.totals.flagged_tps}
        items.append(AttentionItem(60, title, area.code, _url(area, t, "turnout:review"), MODULE, t.election.name))
    if t.below_pace:
        detail = _("%(pct)s %% < laju %(pace)s %%") % {"pct": _pct(t.totals.turnout_pct), "pace": _pct(t.pace_pct)}
        title = _("Partisipasi di bawah laju target")
        items.append(AttentionItem(70, title, area.code, _url(area, t), MODULE, detail))
    return [_actionable(item, since) for item in items]


def _actionable(item: AttentionItem, since: Any) -> AttentionItem:
    return AttentionItem(**{**vars(item), "actionable": True, "since": since})


def map_layers(user: Actor, area: Area) -> list[MapLayer]:
    state = _state(user, area)
    t = state.turnout
    if t is None or area.level == "desa_kelurahan":
        return []
    values = {c.code: c.turnout_pct for c in state.children if c.turnout_pct is not None}
    pace = round(t.pace_pct, 1)
    stops = [(0.0, "#ef9a9a"), (round(pace * 0.9, 1), "#ffe082"), (pace, "#c5e1a5"), (t.target_pct, "#2e7d32")]
    # At the final count the pace is the target: one band, not an empty "79.5-79.5 %" one.
    scale = [stop for i, stop in enumerate(stops) if i == 0 or stop[0] > stops[i - 1][0]]
    label = _("Partisipasi %(checkpoint)s") % {"checkpoint": checkpoint_name(t.checkpoint)}
    return [MapLayer("turnout.turnout_pct", label, values, "%", scale)]


def public_summary(area: Area) -> list[Metric]:
    t = _state(None, area).turnout
    if t is None:
        return []
    at = checkpoint_name(t.checkpoint)
    return [
        Metric(
            "turnout.turnout_pct",
            _("Partisipasi pemilih %(election)s (%(checkpoint)s)") % {"election": t.election.name, "checkpoint": at},
            t.totals.turnout_pct,
            "%",
            module=MODULE,
        ),
        Metric("turnout.reported_tps", _("TPS sudah lapor"), t.totals.reported_tps, "TPS", module=MODULE),
        Metric("turnout.target_pct", _("Target partisipasi pemerintah"), t.target_pct, "%", module=MODULE),
    ]


def clock(area: Area) -> dt.datetime | None:
    """While a replay of the area's election runs, its simulated moment (the room follows it)."""
    try:
        election = voting_day.election_for(area.code)
    except NotFound:
        return None
    real = timezone.now()
    simulated = election_now(election, real_now=real)
    return None if simulated == real else simulated


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
