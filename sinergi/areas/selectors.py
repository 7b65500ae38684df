"""Reads of the area tree that need no access rule (the scoped reads are `atlas.selectors`)."""

import json

from django.db.models import Case, F, QuerySet, When

from sinergi.areas.codes import ancestors_of
from sinergi.areas.models import Area, AreaBoundary, Election


def elections_for(area: Area) -> QuerySet[Election]:
    """Elections whose region holds this area or lies inside it."""
    regions = [area.code, *ancestors_of(area.code)]
    return Election.objects.filter(region_id__in=regions).select_related("region")


# What maps are served: the simplified copy, or the stored geometry where none is kept (a desa).
_MAP_GEOMETRY = Case(When(simplified="", then=F("geometry")), default=F("simplified"))


def boundaries_geojson(areas: QuerySet[Area], *, raw: bool = False) -> str:
    """A FeatureCollection of these areas' boundaries, built from stored text (`raw`: the geometry as
    imported, for the page-weight benchmark's baseline). The caller decides which areas may be shown."""
    rows = (
        AreaBoundary.objects.filter(area__in=areas)
        .annotate(map_geometry=F("geometry") if raw else _MAP_GEOMETRY)
        .values_list("area_id", "area__name", "area__level", "area__tps_count", "area__dpt_total", "map_geometry")
        .order_by("area_id")
    )
    return _feature_collection(rows)


def _feature_collection(rows) -> str:
    features = [
        '{{"type":"Feature","properties":{},"geometry":{}}}'.format(
            json.dumps({"code": code, "name": name, "level": level, "tps_count": tps, "dpt_total": dpt}), geometry
        )
        for code, name, level, tps, dpt, geometry in rows
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
