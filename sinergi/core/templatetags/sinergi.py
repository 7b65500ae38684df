"""Display helpers: local time of an area, rupiah and percentages in Indonesian notation."""

from datetime import datetime
from decimal import Decimal

from django import template

from sinergi.core.money import format_percent, format_rupiah
from sinergi.core.timezones import local_time, zone_abbreviation, zone_for_area

register = template.Library()


@register.filter
def local(moment: datetime | None, area_code: str) -> str:
    """`{{ report.at|local:area.code }}` -> '27-11-2024 09.05 WITA'."""
    if moment is None:
        return "–"
    shown = local_time(moment, area_code or "ID")
    return f"{shown:%d-%m-%Y %H.%M} {zone_abbreviation(zone_for_area(area_code or 'ID'))}"


@register.filter
def rupiah(amount: Decimal | int | None) -> str:
    return "–" if amount is None else format_rupiah(amount)


@register.filter
def pct(value: Decimal | float | None, places: int = 2) -> str:
    return format_percent(value, places)
