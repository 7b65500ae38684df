import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from ninja import Query, Router, Schema

from sinergi.areas.models import Area, PollingStation
from sinergi.atlas import selectors
from sinergi.atlas.permissions import AREA, POLLING_STATION
from sinergi.atlas.services import polling_station_update
from sinergi.core.guards import Guard, guarded, operation
from sinergi.core.history import history_for
from sinergi.core.models import Channel
from sinergi.core.pagination import keyset_page
from sinergi.core.timezones import zone_for_area

# Boundaries change only on an import: a browser may reuse them for an hour, then asks again with
# the ETag (a 304 costs a few hundred bytes).
BOUNDARY_CACHE_CONTROL = "private, max-age=3600"

router = Router(tags=["areas"])


def _operation_id(name: str) -> str:
    # The ids clients generated before the area API moved here from `areas.api` (ninja names by module).
    return f"sinergi_areas_api_{name}"


class AreaOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    is_active: bool
    children_count: int
    tps_count: int
    dpt_male: int
    dpt_female: int
    dpt_total: int
    label_lat: float | None
    label_lng: float | None
    time_zone: str

    @staticmethod
    def resolve_parent_code(obj: Area) -> str | None:
        return obj.parent_id

    @staticmethod
    def resolve_time_zone(obj: Area) -> str:
        return zone_for_area(obj.code)


class PollingStationOut(Schema):
    code: str
    desa_code: str
    number: int
    dpt_male: int
    dpt_female: int
    dpt_total: int
    is_special: bool
    lat: float | None
    lng: float | None
    address: str

    @staticmethod
    def resolve_desa_code(obj: PollingStation) -> str:
        return obj.desa_id


class AreaPage(Schema):
    count: int
    items: list[AreaOut]
    next_cursor: str | None


class PollingStationPage(Schema):
    count: int
    items: list[PollingStationOut]
    next_cursor: str | None


class AreaPageQuery(Schema):
    after: str | None = None
    limit: int = 100


class AreaHistoryOut(Schema):
    at: str
    action: str
    actor: str | None
    channel: str
    changes: dict
    note: str


@router.get(
    "/areas/{code}", response=AreaOut, summary="One area with subtree counts", operation_id=_operation_id("area_detail")
)
@operation(Guard(AREA, "code"))
def area_detail(request: HttpRequest, code: str):
    return guarded(request, AREA)


@router.get(
    "/areas/{code}/children",
    response=AreaPage,
    summary="Child areas, paginated by code",
    operation_id=_operation_id("area_children"),
)
@operation(Guard(AREA, "code"))
def area_children(request: HttpRequest, code: str, page: Query[AreaPageQuery]):
    area = guarded(request, AREA)
    result = keyset_page(selectors.area_children(request.user, area), key="code", after=page.after, limit=page.limit)
    return {"count": area.children_count, "items": result.items, "next_cursor": result.next_cursor}


@router.get(
    "/areas/{code}/polling-stations",
    response=PollingStationPage,
    summary="TPS in the area's subtree, paginated by code",
    operation_id=_operation_id("area_polling_stations"),
)
@operation(Guard(AREA, "code"))
def area_polling_stations(request: HttpRequest, code: str, page: Query[AreaPageQuery]):
    area = guarded(request, AREA)
    result = keyset_page(selectors.polling_stations(request.user, area), key="code", after=page.after, limit=page.limit)
    return {"count": area.tps_count, "items": result.items, "next_cursor": result.next_cursor}


@router.get(
    "/areas/{code}/boundaries",
    summary="GeoJSON of the area's children (or the area itself)",
    operation_id=_operation_id("area_boundaries"),
)
@operation(Guard(AREA, "code"))
def area_boundaries(request: HttpRequest, code: str, children: bool = True):
    """Simplified for the zoom of the map that draws them (`areas.simplify`); compressed by
    GZipMiddleware; an ETag of the body lets a phone that has them answer 304 with no body. The
    body depends on what the user may see, so only the user's own browser keeps it (private)."""
    area = guarded(request, AREA)
    body = selectors.children_geojson(request.user, area) if children else selectors.area_geojson(area)
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": BOUNDARY_CACHE_CONTROL, "Vary": "Cookie, Authorization"}
    # GZipMiddleware weakens the tag of a compressed body (W/"..."): compare weakly (RFC 9110 13.1.2).
    if etag in (t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")):
        return HttpResponseNotModified(headers=headers)
    return HttpResponse(body, content_type="application/geo+json", headers=headers)


@router.get(
    "/polling-stations/{code}",
    response=PollingStationOut,
    summary="One TPS",
    operation_id=_operation_id("polling_station_detail"),
)
@operation(Guard(POLLING_STATION, "code"))
def polling_station_detail(request: HttpRequest, code: str):
    return guarded(request, POLLING_STATION)


@router.get(
    "/polling-stations/{code}/history",
    response=list[AreaHistoryOut],
    summary="Changes to one TPS",
    operation_id=_operation_id("polling_station_history"),
)
@operation(Guard(POLLING_STATION, "code"))
def polling_station_history(request: HttpRequest, code: str):
    return [
        {
            "at": e.at.isoformat(),
            "action": e.action,
            "actor": e.actor.username if e.actor else None,
            "channel": e.channel,
            "changes": e.changes,
            "note": e.note,
        }
        for e in history_for("areas.pollingstation", code)[:200]
    ]


class PollingStationPatch(Schema):
    dpt_male: int | None = None
    dpt_female: int | None = None
    is_special: bool | None = None
    lat: float | None = None
    lng: float | None = None
    address: str | None = None


@router.patch(
    "/polling-stations/{code}",
    response=PollingStationOut,
    summary="Correct one TPS (KPU roles)",
    operation_id=_operation_id("polling_station_patch"),
)
@operation(Guard(POLLING_STATION, "code"))
def polling_station_patch(request: HttpRequest, code: str, payload: PollingStationPatch):
    changes = payload.dict(exclude_unset=True)
    return polling_station_update(actor=request.user, code=code, changes=changes, channel=Channel.API)
