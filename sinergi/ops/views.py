"""The ops page (national administrator) and the readiness check (public, JSON)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sinergi.accounts.guards import PUBLIC, page
from sinergi.ops import selectors
from sinergi.ops.permissions import NATIONAL_ADMIN


@page(NATIONAL_ADMIN)
@require_GET
def jobs_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    beats = selectors.heartbeats()
    context = {
        "statuses": selectors.job_statuses(now),
        "queue": selectors.queue_depth(),
        "beats": [(beat, selectors.is_alive(beat, now)) for beat in beats],
        "now": now,
    }
    return render(request, "ops/jobs.html", context)


@page(PUBLIC)
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers with every migration applied and a worker beat within two
    minutes; 503 naming what failed. Two queries, no session, no login."""
    checks = selectors.readiness()
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
