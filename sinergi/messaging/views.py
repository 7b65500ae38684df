"""The outbox page for coordinators: every message with its state and the gateway's reason."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sinergi.accounts.guards import page
from sinergi.core.timezones import WIB, zone_abbreviation, zone_for_area
from sinergi.messaging import selectors
from sinergi.messaging.models import Channel, Status
from sinergi.messaging.permissions import MESSAGES, READS_MESSAGES

PAGE_SIZE = 50


@page(READS_MESSAGES)
@require_GET
def outbox_page(request: HttpRequest) -> HttpResponse:
    filters = {
        "status": request.GET.get("status", "") if request.GET.get("status", "") in Status.values else "",
        "channel": request.GET.get("channel", "") if request.GET.get("channel", "") in Channel.values else "",
        "purpose": request.GET.get("purpose", "")[:40],
        "batch": request.GET.get("batch", "")[:64],
        "q": request.GET.get("q", "")[:60],
    }
    rows = selectors.outbox(request.user, **filters)
    counts = selectors.counts(selectors.outbox(request.user, **{**filters, "status": ""}))
    paginator = Paginator(rows, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    scopes = MESSAGES.read_scopes(request.user)
    zone = zone_for_area(scopes[0]) if scopes else WIB
    context = {
        "page": page_obj,
        "filters": filters,
        "counts": [(status, label, counts.get(status, 0)) for status, label in Status.choices],
        "channels": Channel.choices,
        "statuses": Status.choices,
        "zone": zone,
        "zone_name": zone_abbreviation(zone),
        "zone_area": scopes[0] if scopes else "ID",  # times in this area's zone (|local)
        "query": "&".join(f"{k}={v}" for k, v in filters.items() if v),
    }
    return render(request, "messaging/outbox.html", context)
