"""A test URLconf: the real one plus views that fail outside django-ninja (test_api_errors.py)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from sinergi.urls import handler400, handler403, handler404, handler500  # noqa: F401
from sinergi.urls import urlpatterns as real_urlpatterns

SECRET = "secret-internal-detail"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


def denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("api/boom/", boom),
    path("api/denied/", denied),
    path("boom/", boom),
    *real_urlpatterns,
]
