"""Reads of the situation app: the report archive and the cached public summary."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sinergi.accounts.models import Actor
from sinergi.areas.models import Area
from sinergi.core.cache import shared_read
from sinergi.core.errors import NotFound
from sinergi.situation import providers
from sinergi.situation.models import DailyReport
from sinergi.situation.permissions import DAILY_REPORT

PUBLIC_CACHE_SECONDS = 120


def reports_for(user: Actor, area: Area) -> QuerySet[DailyReport]:
    """The area's filed reports the user may read, newest first."""
    return DAILY_REPORT.visible(user).filter(area=area).order_by("-report_date")


def _public_sections(area: Area) -> list[dict[str, Any]]:
    """Each module's public numbers and texts, in the modules' declared order."""
    metrics = providers.ask("public_summary", area).by_module
    items = providers.ask("public_items", area).by_module
    sections = []
    for provider in providers.providers():
        found_metrics, found_items = metrics.get(provider.name, []), items.get(provider.name, [])
        if found_metrics or found_items:
            sections.append(
                {
                    "module": provider.name,
                    "label": provider.label,
                    "metrics": [{**vars(m), "label": str(m.label), "unit": str(m.unit)} for m in found_metrics],
                    "items": [vars(i) for i in found_items],
                }
            )
    return sections


def public_summary(code: str) -> dict[str, Any]:
    """What anyone may see about an area, cached briefly (per language) in the shared cache, loaded by
    one process at a time, so a busy public page stays cheap (core/cache.py)."""
    return shared_read(
        f"situation:public:v2:{get_language()}:{code}",
        lambda: _public_summary(code),
        fresh_seconds=PUBLIC_CACHE_SECONDS,
        stale_seconds=PUBLIC_CACHE_SECONDS,
    )


def _public_summary(code: str) -> dict[str, Any]:
    area = Area.objects.filter(code=code).only("code", "name", "level", "parent_id").first()
    if area is None:
        raise NotFound(_("wilayah %(code)s tidak ditemukan") % {"code": code})
    return {
        "area": {
            "code": area.code,
            "name": area.name,
            "level": str(area.get_level_display()),
            "parent": area.parent_id,
        },
        "sections": _public_sections(area),
        "children": list(
            Area.objects.filter(parent_id=area.code, is_active=True).order_by("code").values_list("code", "name")
        ),
    }
