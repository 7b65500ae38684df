from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults, i18n

from sinergi.core.guards import PUBLIC, page


@page(PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers, without touching the database (`/readyz` checks that, ops/views.py)."""
    return JsonResponse({"status": "ok"})


# The language switch (Django's view, guarded like every other route): anyone may choose a language.
set_language = page(PUBLIC)(i18n.set_language)


# Django's error views (handler400/403/404/500 in sinergi/urls.py): under /api/ they answer the API's
# JSON error shape, so a client never parses an HTML page: a URL no operation matches, a request
# refused before it reaches django-ninja, or an exception outside it. Pages keep the HTML templates.
API_PREFIX = "/api/"


def _api_error(request: HttpRequest, status: int, code: str, detail: str) -> JsonResponse | None:
    if not request.path.startswith(API_PREFIX):
        return None
    return JsonResponse({"code": code, "detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 400, "bad_request", _("permintaan tidak sah")) or defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    detail = str(exception) or _("akses ditolak")
    return _api_error(request, 403, "forbidden", detail) or defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 404, "not_found", _("tidak ada endpoint API seperti ini")) or defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django has already logged the exception (django.request); the body says nothing more.
    detail = _("kesalahan server yang tidak terduga; sudah dicatat")
    return _api_error(request, 500, "server_error", detail) or defaults.server_error(request)
