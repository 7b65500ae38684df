from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sinergi.areas.batches import provenance_notes
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Level
from sinergi.areas.selectors import elections_for
from sinergi.atlas import selectors
from sinergi.atlas.forms import PollingStationForm
from sinergi.atlas.permissions import AREA, POLLING_STATION
from sinergi.atlas.services import EDITABLE, polling_station_update
from sinergi.core.errors import ValidationFailed
from sinergi.core.guards import SIGNED_IN, Guard, guarded, page
from sinergi.core.history import history_for
from sinergi.core.pagination import keyset_page
from sinergi.core.timezones import zone_abbreviation, zone_for_area
from sinergi.core.web import domain_errors_as_pages

TPS_PAGE_SIZE = 100


@page(SIGNED_IN)
def browse_start(request: HttpRequest) -> HttpResponse:
    codes = selectors.area_home_codes(request.user)
    if not codes:
        return render(request, "403.html", {"detail": _("Akun Anda belum memiliki wilayah tugas.")}, status=403)
    return redirect("areas:detail", code=codes[0])


@page(Guard(AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, AREA)
    is_village = area.level == Level.VILLAGE
    context = {
        "area": area,
        "breadcrumbs": selectors.area_breadcrumbs(request.user, area),
        "children": [] if is_village else selectors.area_children(request.user, area),
        "stations": selectors.polling_stations(request.user, area)[:TPS_PAGE_SIZE] if is_village else [],
        "elections": elections_for(area),
        "zone": zone_abbreviation(zone_for_area(area.code)) if code != NATIONAL_CODE else "WIB/WITA/WIT",
        "notes": provenance_notes(area.code),
        "has_map": True,
    }
    return render(request, "atlas/area_detail.html", context)


@page(Guard(AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def area_polling_stations(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, AREA)
    page = keyset_page(
        selectors.polling_stations(request.user, area), key="code", after=request.GET.get("after"), limit=TPS_PAGE_SIZE
    )
    context = {
        "area": area,
        "page": page,
        "breadcrumbs": selectors.area_breadcrumbs(request.user, area),
        "notes": provenance_notes(area.code),
    }
    return render(request, "atlas/polling_stations.html", context)


@page(Guard(POLLING_STATION, "code", write=False))
@require_safe
@domain_errors_as_pages
def polling_station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = guarded(request, POLLING_STATION)
    context = {
        "station": station,
        "breadcrumbs": [*selectors.area_breadcrumbs(request.user, station.desa), station.desa],
        "history": history_for("areas.pollingstation", code)[:50],
        "can_edit": POLLING_STATION.can_write(request.user, station),
    }
    return render(request, "atlas/polling_station_detail.html", context)


@page(Guard(POLLING_STATION, "code", write=True))
@domain_errors_as_pages
def polling_station_edit(request: HttpRequest, code: str) -> HttpResponse:
    station = guarded(request, POLLING_STATION)
    form = PollingStationForm(request.POST or None, initial=model_to_dict(station, fields=EDITABLE))
    if request.method == "POST" and form.is_valid():
        try:
            polling_station_update(actor=request.user, code=code, changes=form.cleaned_data)
        except ValidationFailed as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, _("Perubahan TPS disimpan."))
            return redirect("areas:tps", code=code)
    return render(request, "atlas/polling_station_edit.html", {"station": station, "form": form})
