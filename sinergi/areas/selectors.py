"""Reads of the area tree and TPS list, always scoped to the user through `AREAS`."""

import json
from typing import Any

from django.db.models import Case, F, QuerySet, When

from sinergi.areas.codes import ancestors_of, depth_of
from sinergi.areas.models import Area, AreaBoundary, Election, PollingStation
from sinergi.areas.permissions import AREA, AREAS, POLLING_STATION


def area_get(user: Any, code: str) -> Area:
    """The area if the user may see it; 404 otherwise (also for codes that do not exist)."""
    return AREA.get(user, code)


def area_children(user: Any, area: Area) -> QuerySet[Area]:
    """Active children of an area that the user may see; a user scoped below it sees only their own
    branch. Retired children are left out (reachable by their code)."""
    return AREA.visible(user, Area.objects.active().filter(parent=area)).order_by("code")


def area_breadcrumbs(user: Any, area: Area) -> list[Area]:
    """Ancestors the user may open (a kecamatan officer does not get a link to the regency)."""
    # The policy in memory first: most users read no ancestor, and then no query is needed.
    codes = [c for c in ancestors_of(area.code) if AREAS.can_read(user, c)]
    if not codes:
        return []
    above = AREA.visible(user, Area.objects.filter(code__in=codes)).only("code", "name", "level")
    return sorted(above, key=lambda a: depth_of(a.code))


def area_home_codes(user: Any) -> list[str]:
    """Where a user starts browsing: the areas of their memberships."""
    return AREAS.read_scopes(user)


def polling_stations(user: Any, area: Area) -> QuerySet[PollingStation]:
    """The TPS inside `area` that the user may see."""
    return POLLING_STATION.visible(user, PollingStation.objects.within(area.code).select_related("desa")).order_by(
        "code"
    )


def polling_station_get(user: Any, code: str) -> PollingStation:
    return POLLING_STATION.get(user, code)


def elections_for(area: Area) -> QuerySet[Election]:
    """Elections whose region holds this area or lies inside it."""
    regions = [area.code, *ancestors_of(area.code)]
    return Election.objects.filter(region_id__in=regions).select_related("region")


# What maps are served: the simplified copy, or the stored geometry where none is kept (a desa).
_MAP_GEOMETRY = Case(When(simplified="", then=F("geometry")), default=F("simplified"))


def children_geojson(user: Any, area: Area, *, raw: bool = False) -> str:
    """A FeatureCollection of the visible children's boundaries, built from stored text
    (`raw`: the geometry as imported, for the page-weight benchmark's baseline)."""
    children = area_children(user, area)
    rows = (
        AreaBoundary.objects.filter(area__in=children)
        .annotate(map_geometry=F("geometry") if raw else _MAP_GEOMETRY)
        .values_list("area_id", "area__name", "area__level", "area__tps_count", "area__dpt_total", "map_geometry")
        .order_by("area_id")
    )
    return _feature_collection(rows)


def area_geojson(user: Any, area: Area) -> str:
    rows = (
        AreaBoundary.objects.filter(area=area)
        .annotate(map_geometry=_MAP_GEOMETRY)
        .values_list("area_id", "area__name", "area__level", "area__tps_count", "area__dpt_total", "map_geometry")
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
