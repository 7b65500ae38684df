"""Reads of the situation app: the report archive and the cached public summary."""

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from sinergi.areas.models import Area
from sinergi.core.errors import NotFound
from sinergi.meetings.selectors import public_decisions
from sinergi.situation import providers
from sinergi.situation.models import DailyReport
from sinergi.situation.permissions import DAILY_REPORT

PUBLIC_CACHE_SECONDS = 120


def reports_for(user: Any, area: Area) -> QuerySet[DailyReport]:
    """The area's filed reports the user may read, newest first."""
    return DAILY_REPORT.visible(user).filter(area=area).order_by("-report_date")


PUBLIC_ORDER = ["turnout", "grants", "meetings", "incidents"]


def _public_rank(module: str) -> int:
    return PUBLIC_ORDER.index(module) if module in PUBLIC_ORDER else len(PUBLIC_ORDER)


def public_summary(code: str) -> dict[str, Any]:
    """What anyone may see about an area, cached briefly so a busy public page stays cheap."""
    key = f"situation:public:v1:{code}"
    found = cache.get(key)
    if found is not None:
        return found
    area = Area.objects.filter(code=code).only("code", "name", "level", "parent_id").first()
    if area is None:
        raise NotFound(f"wilayah {code} tidak ditemukan")
    answers = providers.ask("public_summary", area)
    summary = {
        "area": {"code": area.code, "name": area.name, "level": area.get_level_display(), "parent": area.parent_id},
        "sections": [
            {"module": m, "label": providers.MODULE_LABELS.get(m, m), "metrics": [vars(x) for x in items]}
            for m, items in sorted(answers.by_module.items(), key=lambda pair: _public_rank(pair[0]))
            if items
        ],
        "children": list(
            Area.objects.filter(parent_id=area.code, is_active=True).order_by("code").values_list("code", "name")
        ),
        "decisions": [
            {
                "number": d.number,
                "text": d.text,
                "meeting": d.meeting.title,
                "date": d.meeting.starts_at,
                "area_code": d.meeting.area_id,
            }
            for d in public_decisions(code)
        ],
    }
    cache.set(key, summary, PUBLIC_CACHE_SECONDS)
    return summary
