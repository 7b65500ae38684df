from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import i18n

from sinergi.accounts.guards import PUBLIC, SIGNED_IN, page
from sinergi.accounts.models import AuthedRequest
from sinergi.areas.models import Area
from sinergi.areas.selectors import area_home_codes


@page(SIGNED_IN)
def home(request: AuthedRequest) -> HttpResponse:
    codes = area_home_codes(request.user)
    areas = Area.objects.filter(code__in=codes).order_by("code")
    memberships = request.user.memberships.select_related("agency", "area").order_by("area_id")
    notifications = request.user.notifications.filter(read_at__isnull=True)[:5]
    context = {"areas": areas, "memberships": memberships, "notifications": notifications}
    return render(request, "core/home.html", context)


@page(PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# The language switch (Django's view, guarded like every other route): anyone may choose a language.
set_language = page(PUBLIC)(i18n.set_language)
