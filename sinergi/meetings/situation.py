"""What the meetings module tells the situation room: open and overdue action items."""

from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr
from django.urls import reverse

from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area, Level, within
from sinergi.core.situation import AttentionItem, MapLayer, Metric
from sinergi.core.timezones import local_today
from sinergi.meetings import selectors
from sinergi.meetings.models import OPEN_STATUSES, ActionItem, Decision
from sinergi.meetings.permissions import ACTION
from sinergi.meetings.reminders import DAYS_BEFORE_DUE

ATTENTION_LIMIT = 15


def readiness(user: Any, area: Area) -> list[Metric]:
    today = local_today(area.code)
    counts = selectors.action_counts(area, user, today)
    url = reverse("meetings:actions") + f"?area={area.code}"
    done_pct = round(100 * counts["done"] / counts["total"], 1) if counts["total"] else None
    return [
        Metric("meetings.open_actions", "Tindak lanjut rapat terbuka", counts["open"], "", "info", url, "meetings"),
        Metric(
            "meetings.overdue_actions",
            "Tindak lanjut lewat tenggat",
            counts["overdue"],
            "",
            "bad" if counts["overdue"] else "ok",
            url + "&status=overdue",
            "meetings",
        ),
        Metric(
            "meetings.done_pct",
            "Tindak lanjut selesai",
            done_pct,
            "%",
            "ok" if done_pct is not None and done_pct >= 80 else "warn",
            url,
            "meetings",
        ),
    ]


def attention(user: Any, area: Area) -> list[AttentionItem]:
    """Overdue actions (most overdue first) and those due within a few days."""
    from datetime import timedelta

    today = local_today(area.code)
    rows = (
        ACTION.visible(user, ActionItem.objects.filter(within(area.code, "area__code")))
        .filter(status__in=OPEN_STATUSES, due_date__lte=today + timedelta(days=DAYS_BEFORE_DUE))
        .select_related("responsible_agency")
        .order_by("due_date", "id")[:ATTENTION_LIMIT]
    )
    return [_item(a, today) for a in rows]


def _item(action: ActionItem, today: Any) -> AttentionItem:
    late = (today - action.due_date).days
    if late > 0:
        urgency, detail = min(95, 60 + 3 * late), f"lewat tenggat {late} hari · {action.responsible_agency.name}"
    else:
        urgency, detail = 35 - 5 * (-late), f"jatuh tempo {action.due_date:%d-%m-%Y} · {action.responsible_agency.name}"
    return AttentionItem(
        urgency=urgency,
        title=f"Tindak lanjut: {action.title}",
        area_code=action.area_id,
        url=reverse("meetings:action", args=[action.pk]),
        module="meetings",
        detail=detail,
    )


def child_code_length(area: Area) -> int | None:
    if area.code == NATIONAL_CODE:
        return 2
    return {Level.PROVINCE: 5, Level.REGENCY: 8, Level.DISTRICT: 13}.get(area.level)  # type: ignore[call-overload]


def map_layers(user: Any, area: Area) -> list[MapLayer]:
    length = child_code_length(area)
    if length is None:
        return []
    today = local_today(area.code)
    rows = (
        ACTION.visible(user, ActionItem.objects.filter(within(area.code, "area__code", include_self=False)))
        .filter(status__in=OPEN_STATUSES, due_date__lt=today)
        .annotate(child=Substr("area_id", 1, length))
        .values("child")
        .annotate(n=Count("id"))
    )
    values = {r["child"]: float(r["n"]) for r in rows}
    return [
        MapLayer(
            key="meetings.overdue_actions",
            label="Tindak lanjut lewat tenggat",
            values=values,
            unit="",
            scale=[(0, "#e8f5e9"), (1, "#ffe082"), (3, "#ef9a9a"), (6, "#c62828")],
        )
    ]


def public_summary(area: Area) -> list[Metric]:
    count = Decision.objects.filter(is_public=True, meeting__area_id=area.code).count()
    return [Metric("meetings.public_decisions", "Keputusan rapat yang diumumkan", count, "", "info", "", "meetings")]
