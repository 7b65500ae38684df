from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header


class IndonesianFirstLocaleMiddleware:
    """Indonesian unless the user chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an operator on an
    English-language laptop would get English without asking for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def language(self, request: HttpRequest) -> str:
        """The switch's cookie first. Under /api/, a client without a browser session (a token, the
        SMS gateway, a script) is answered in its Accept-Language; a page's own fetch (session cookie)
        gets the page's language, whatever the browser is set to."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in self.supported:
            return chosen
        if request.path.startswith("/api/") and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self._accepted(request.headers.get("Accept-Language", ""))
        return settings.LANGUAGE_CODE

    def _accepted(self, header: str) -> str:
        for code, _quality in parse_accept_lang_header(header):
            base = code.split("-")[0].lower()
            if base in self.supported:
                return base
        return settings.LANGUAGE_CODE


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Leaflet and htmx position elements with style attributes; no inline script is allowed.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy and the no-sniff / referrer headers on every response.

    Outermost in MIDDLEWARE, so static files (whitenoise), error pages and the API get them too.
    No exception is needed: every page loads its scripts from `static/` (data goes in
    `json_script` blocks or `data-` attributes), and django-ninja's `/api/v1/docs` page already
    keeps its settings in a JSON block and starts Swagger UI from a static file
    (`ninja/swagger-ui-init.js`), which `core/tests/test_security_headers.py` checks in a browser.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response


_REASONS = {
    400: gettext_lazy("permintaan tidak sah"),
    403: gettext_lazy("akses ditolak"),
    404: gettext_lazy("tidak ditemukan"),
    405: gettext_lazy("metode tidak diizinkan"),
    500: gettext_lazy("kesalahan server"),
}


class ApiErrorsAsJsonMiddleware:
    """Under /api/, an error response that is not JSON becomes the API's JSON error shape.

    django-ninja and the error handlers (core/views.py) already answer JSON; this catches what
    neither reaches: ninja's 405, Django's CSRF refusal, and demo mode's HTML debug pages for a
    URL no operation matches or an exception outside ninja (no traceback leaves the server)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            code = {404: "not_found", 403: "forbidden", 405: "method_not_allowed"}.get(status, f"http_{status}")
            if status >= 500:
                code = "server_error"
            detail = str(_REASONS.get(status, response.reason_phrase.lower()))
            replacement = JsonResponse({"code": code, "detail": detail}, status=status)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
