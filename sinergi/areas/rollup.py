"""Subtree counters on Area (children, TPS, DPT), so area pages never scan the TPS table.

Recomputed level by level from the bottom: desa from their TPS, then each level from its
children. Called by the importers after every change to areas or TPS, inside their transaction.
"""

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from sinergi.areas.codes import ancestors_of, level_of
from sinergi.areas.models import LEVEL_ORDER, Area, Level, PollingStation
from sinergi.core.batching import chunked

COUNTERS = ("tps_count", "dpt_male", "dpt_female", "dpt_total")


def _sum_of(queryset, field: str) -> Coalesce:
    return Coalesce(Subquery(queryset.values(field)[:1], output_field=IntegerField()), Value(0))


def recompute(area_codes: Iterable[str] | None = None) -> None:
    """Recompute counters for the given areas and all their ancestors (all areas if None)."""
    targets: set[str] | None = None
    if area_codes is not None:
        targets = set()
        for code in area_codes:
            targets.add(code)
            targets.update(ancestors_of(code))
        if not targets:
            return
    for level in reversed(LEVEL_ORDER):
        rows = Area.objects.filter(level=level)
        if targets is not None:
            for chunk in chunked(sorted(c for c in targets if level_of(c) == level)):
                _recompute_level(rows.filter(code__in=chunk), level)
            continue
        _recompute_level(rows, level)


def _recompute_level(rows, level: str) -> None:
    children = Area.objects.filter(parent=OuterRef("pk")).order_by().values("parent")
    updates = {"children_count": _sum_of(children.annotate(n=Count("pk")), "n")}
    if level == Level.VILLAGE:
        stations = PollingStation.objects.filter(desa=OuterRef("pk")).order_by().values("desa")
        updates["tps_count"] = _sum_of(stations.annotate(n=Count("pk")), "n")
        for field in ("dpt_male", "dpt_female", "dpt_total"):
            updates[field] = _sum_of(stations.annotate(n=Sum(field)), "n")
    else:
        for field in COUNTERS:
            updates[field] = _sum_of(children.annotate(n=Sum(field)), "n")
    rows.update(**updates)
