"""Reads of the area tree and TPS list, always scoped to the user through `AREAS`."""

from typing import Any

from django.db.models import QuerySet

from sinergi.areas.codes import ancestors_of, depth_of
from sinergi.areas.models import Area, PollingStation
from sinergi.areas.selectors import boundaries_geojson
from sinergi.atlas.permissions import AREA, AREAS, POLLING_STATION


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


def children_geojson(user: Any, area: Area, *, raw: bool = False) -> str:
    """The boundaries of the children the user may see (`raw`: as imported, see `boundaries_geojson`)."""
    return boundaries_geojson(area_children(user, area), raw=raw)


def area_geojson(area: Area) -> str:
    """The area's own boundary (the caller has fetched the area through `AREA`)."""
    return boundaries_geojson(Area.objects.filter(pk=area.pk))
