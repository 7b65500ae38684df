"""Reads of the area tree and TPS list, always scoped to the user through `AREAS`."""

import json
from typing import Any

from django.db.models import QuerySet

from sinergi.areas.codes import ancestors_of
from sinergi.areas.models import Area, AreaBoundary, Election, PollingStation
from sinergi.areas.permissions import AREAS
from sinergi.core.errors import NotFound


def area_get(user: Any, code: str) -> Area:
    """The area if the user may see it; 404 otherwise (also for codes that do not exist)."""
    AREAS.check(user, code, what=f"area {code}")
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound(f"area {code} not found")
    return area


def area_children(user: Any, area: Area) -> QuerySet[Area]:
    """Children of a visible area; a user scoped below it sees only their own branch."""
    return AREAS.visible(Area.objects.filter(parent=area), user, "code").order_by("code")


def area_breadcrumbs(user: Any, area: Area) -> list[Area]:
    """Ancestors the user may open (a kecamatan officer does not get a link to the regency)."""
    codes = [c for c in ancestors_of(area.code) if AREAS.can_read(user, c)]
    return list(Area.objects.filter(code__in=codes).only("code", "name", "level").order_by("code"))


def area_home_codes(user: Any) -> list[str]:
    """Where a user starts browsing: the areas of their memberships."""
    return AREAS.read_scopes(user)


def polling_stations(user: Any, area: Area) -> QuerySet[PollingStation]:
    AREAS.check(user, area.code, what=f"area {area.code}")
    return PollingStation.objects.within(area.code).select_related("desa").order_by("code")


def polling_station_get(user: Any, code: str) -> PollingStation:
    AREAS.check(user, code, what=f"TPS {code}")
    station = PollingStation.objects.select_related("desa").filter(code=code).first()
    if station is None:
        raise NotFound(f"TPS {code} not found")
    return station


def elections_for(area: Area) -> QuerySet[Election]:
    """Elections whose region holds this area or lies inside it."""
    regions = [area.code, *ancestors_of(area.code)]
    return Election.objects.filter(region_id__in=regions).select_related("region")


def children_geojson(user: Any, area: Area) -> str:
    """A FeatureCollection of the visible children's boundaries, built from stored text."""
    children = area_children(user, area)
    rows = (
        AreaBoundary.objects.filter(area__in=children)
        .values_list("area_id", "area__name", "area__level", "area__tps_count", "area__dpt_total", "geometry")
        .order_by("area_id")
    )
    return _feature_collection(rows)


def area_geojson(user: Any, area: Area) -> str:
    rows = AreaBoundary.objects.filter(area=area).values_list(
        "area_id", "area__name", "area__level", "area__tps_count", "area__dpt_total", "geometry"
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
