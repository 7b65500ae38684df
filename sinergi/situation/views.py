from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sinergi.accounts.access import memberships_of
from sinergi.accounts.guards import PUBLIC, SIGNED_IN, Guard, guarded, page
from sinergi.accounts.models import AuthedRequest
from sinergi.areas.models import Area
from sinergi.atlas import selectors as area_selectors
from sinergi.core import formatting
from sinergi.core.errors import NotFound
from sinergi.core.public import public_page
from sinergi.core.web import domain_errors_as_pages
from sinergi.situation import landing, selectors, services
from sinergi.situation import room as rooms
from sinergi.situation.permissions import ROOM, daily_report_get

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@page(SIGNED_IN)
@require_safe
def home(request: AuthedRequest) -> HttpResponse:
    """Where everyone lands after signing in (`landing`): leaders on their area's situation room,
    field roles in the field app, the others on their areas and modules."""
    where = landing.landing_for((role, code) for role, code, _ in memberships_of(request.user))
    if where.kind == landing.ROOM:
        return redirect("situation:room", code=where.area_code)
    if where.kind == landing.FIELD:
        return redirect("field:index")
    codes = area_selectors.area_home_codes(request.user)
    context = {
        "areas": Area.objects.filter(code__in=codes).order_by("code"),
        "memberships": request.user.memberships.select_related("agency", "area").order_by("area_id"),
        "notifications": request.user.notifications.filter(read_at__isnull=True)[:5],
    }
    return render(request, "situation/home.html", context)


@page(SIGNED_IN)
@domain_errors_as_pages
def start(request: HttpRequest) -> HttpResponse:
    code = rooms.home_code(request.user)
    if code is None:
        raise NotFound(_("ruang situasi tidak ditemukan"))
    return redirect("situation:room", code=code)


def _layers_data(room: rooms.Room) -> list[dict]:
    return [{"key": m.key, "label": m.label, "unit": m.unit, "values": m.values, "scale": m.scale} for m in room.layers]


@page(Guard(ROOM, "code", write=False))
@require_safe
@domain_errors_as_pages
def room(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, ROOM)
    built = rooms.room_build(request.user, area)
    built.breadcrumbs = rooms.room_breadcrumbs(request.user, area)
    context = {
        "room": built,
        "area": area,
        "breadcrumbs": built.breadcrumbs,
        "layers_data": _layers_data(built),
        "tps_points": built.points,
        "can_generate": ROOM.can_write(request.user, area),
        "latest_report": selectors.reports_for(request.user, area).first(),
        "refreshed": timezone.now(),
    }
    return render(request, "situation/room.html", context)


@page(Guard(ROOM, "code", write=False))
@require_safe
@domain_errors_as_pages
def reports(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, ROOM)
    context = {
        "area": area,
        "reports": selectors.reports_for(request.user, area)[:90],
        "can_generate": ROOM.can_write(request.user, area),
    }
    return render(request, "situation/reports.html", context)


@page(Guard(ROOM, "code", write=True))
@require_POST
@domain_errors_as_pages
def report_generate(request: HttpRequest, code: str) -> HttpResponse:
    report = services.daily_report_generate(area_code=code, actor=request.user)
    messages.success(request, _("Laporan situasi %(date)s dibuat.") % {"date": formatting.date(report.report_date, short=True)})
    return redirect("situation:reports", code=code)


@page(Guard(ROOM, "code", write=False))
@require_safe
@domain_errors_as_pages
def report_download(request: HttpRequest, code: str, day: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    report = daily_report_get(request.user, code, day)
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        services.daily_report_file(report, fmt, reader=request.user),
        as_attachment=True,
        filename=f"laporan-situasi-{code}-{report.report_date:%Y%m%d}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
    return response


@page(PUBLIC)
@public_page(selectors.PUBLIC_CACHE_SECONDS)
def public(request: HttpRequest, code: str) -> HttpResponse:
    """No login: only what the modules mark public and the meeting decisions marked public."""
    try:
        summary = selectors.public_summary(code)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    return render(request, "situation/public.html", {"summary": summary})
