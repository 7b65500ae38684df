"""What the meetings module tells the situation room: open and overdue action items, and the
decisions marked public (contract: sinergi/core/situation.py)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Actor
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area, Level, within
from sinergi.core.situation import (
    ATTENTION,
    READY,
    AttentionItem,
    MapLayer,
    Metric,
    Module,
    PublicItem,
    Verdict,
    module_state,
)
from sinergi.core.timezones import local_today
from sinergi.meetings import selectors
from sinergi.meetings.models import OPEN_STATUSES, ActionItem, Decision
from sinergi.meetings.permissions import ACTION, MEETINGS
from sinergi.meetings.reminders import DAYS_BEFORE_DUE

MODULE = "meetings"
ABOUT = Module(label=gettext_lazy("Rapat & tindak lanjut"), order=40, policy=MEETINGS)
ATTENTION_LIMIT = 15
COUNTS = ("total", "open", "overdue", "done")


@dataclass
class MeetingsState:
    """The follow-ups inside an area as the user may see them, read once per request in two queries
    at every level: the counts grouped per child area (the totals and the map), and those due soon."""

    today: date
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    children_overdue: dict[str, int] = field(default_factory=dict)
    due: list[ActionItem] = field(default_factory=list)


def _state(user: Actor, area: Area) -> MeetingsState:
    return module_state(MODULE, user, area, lambda: _load(user, area))


def _load(user: Actor, area: Area) -> MeetingsState:
    state = MeetingsState(local_today(area.code))
    inside = ACTION.visible(user, ActionItem.objects.filter(within(area.code, "area__code")))
    # A desa has no children: its actions form one group, its own.
    length = child_code_length(area) or len(area.code)
    open_ = Q(status__in=OPEN_STATUSES)
    rows = (
        inside.annotate(child=Substr("area_id", 1, length))
        .values("child")
        .annotate(
            total=Count("id", filter=~Q(status="dropped")),
            open=Count("id", filter=open_),
            overdue=Count("id", filter=open_ & Q(due_date__lt=state.today)),
            done=Count("id", filter=Q(status="done")),
        )
        .order_by()
    )
    for row in rows:
        for k in COUNTS:
            state.counts[k] += row[k]
        # The area's own actions group under its own code (or a shorter one): not a child.
        if len(row["child"]) == length and row["child"] != area.code and row["overdue"]:
            state.children_overdue[row["child"]] = row["overdue"]
    state.due = list(
        inside.filter(status__in=OPEN_STATUSES, due_date__lte=state.today + timedelta(days=DAYS_BEFORE_DUE))
        .select_related("responsible_agency")
        .order_by("due_date", "id")[:ATTENTION_LIMIT]
    )
    return state


def _actions_url(area: Area) -> str:
    return reverse("meetings:actions") + f"?area={area.code}"


def readiness(user: Actor, area: Area) -> list[Metric]:
    counts = _state(user, area).counts
    url = _actions_url(area)
    done_pct = round(100 * counts["done"] / counts["total"], 1) if counts["total"] else None
    return [
        Metric("meetings.open_actions", _("Tindak lanjut rapat terbuka"), counts["open"], "", "info", url, MODULE),
        Metric(
            "meetings.overdue_actions",
            _("Tindak lanjut lewat tenggat"),
            counts["overdue"],
            "",
            "bad" if counts["overdue"] else "ok",
            url + "&status=overdue",
            MODULE,
        ),
        Metric(
            "meetings.done_pct",
            _("Tindak lanjut selesai"),
            done_pct,
            "%",
            "ok" if done_pct is not None and done_pct >= 80 else "warn",
            url,
            MODULE,
        ),
    ]


def verdict_rule(*, total: int, open_: int, overdue: int) -> tuple[str, str] | None:
    """The module's verdict (pure): overdue follow-ups need a reminder, they are not yet a crisis."""
    if not total:
        return None
    if overdue:
        return ATTENTION, _("%(n)s dari %(open)s tindak lanjut rapat yang terbuka lewat tenggat.") % {
            "n": overdue,
            "open": open_,
        }
    if open_:
        return READY, _("%(n)s tindak lanjut rapat berjalan, tidak ada yang lewat tenggat.") % {"n": open_}
    return READY, _("Seluruh tindak lanjut rapat selesai.")


def verdict(user: Actor, area: Area) -> Verdict | None:
    counts = _state(user, area).counts
    found = verdict_rule(total=counts["total"], open_=counts["open"], overdue=counts["overdue"])
    return None if found is None else Verdict(found[0], found[1], _actions_url(area), MODULE)


def attention(user: Actor, area: Area) -> list[AttentionItem]:
    """Overdue actions (most overdue first) and those due within a few days. A follow-up ages from
    its due date: the room lets one overdue for months sink below what can be acted on today."""
    state = _state(user, area)
    return [_item(a, state.today) for a in state.due]


def _item(action: ActionItem, today: date) -> AttentionItem:
    late = (today - action.due_date).days
    agency = action.responsible_agency.name
    if late > 0:
        urgency = min(95, 60 + 3 * late)
        detail = _("lewat tenggat %(days)s hari · %(agency)s") % {"days": late, "agency": agency}
    else:
        urgency = 35 - 5 * (-late)
        due = formats.date_format(action.due_date, "SHORT_DATE_FORMAT", use_l10n=True)
        detail = _("jatuh tempo %(date)s · %(agency)s") % {"date": due, "agency": agency}
    return AttentionItem(
        urgency=urgency,
        title=_("Tindak lanjut: %(title)s") % {"title": action.title},
        area_code=action.area_id,
        url=reverse("meetings:action", args=[action.pk]),
        module=MODULE,
        detail=detail,
        since=action.due_date,
    )


def child_code_length(area: Area) -> int | None:
    if area.code == NATIONAL_CODE:
        return 2
    return {Level.PROVINCE: 5, Level.REGENCY: 8, Level.DISTRICT: 13}.get(area.level)  # type: ignore[call-overload]


def map_layers(user: Actor, area: Area) -> list[MapLayer]:
    if child_code_length(area) is None:
        return []
    return [
        MapLayer(
            key="meetings.overdue_actions",
            label=_("Tindak lanjut lewat tenggat"),
            values={code: float(n) for code, n in _state(user, area).children_overdue.items()},
            unit="",
            scale=[(0, "#e8f5e9"), (1, "#ffe082"), (3, "#ef9a9a"), (6, "#c62828")],
        )
    ]


def public_summary(area: Area) -> list[Metric]:
    count = Decision.objects.filter(is_public=True, meeting__area_id=area.code).count()
    return [Metric("meetings.public_decisions", _("Keputusan rapat yang diumumkan"), count, "", "info", "", MODULE)]


def public_items(area: Area) -> list[PublicItem]:
    """The decisions marked public of meetings held in the area or above it (one query)."""
    return [
        PublicItem(
            text=d.text, source=d.meeting.title, when=d.meeting.starts_at, area_code=d.meeting.area_id, module=MODULE
        )
        for d in selectors.public_decisions(area.code)
    ]
