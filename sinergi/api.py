"""JSON API v1: one NinjaAPI; each app contributes a `router` in its own `api.py`."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from sinergi.accounts.tokens import token_user
from sinergi.core.errors import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionCookie(APIKeyCookie):
    """The browser session; unsafe methods also need the CSRF token, as in the pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None):
        return request.user if request.user.is_authenticated else None


api = NinjaAPI(
    title="Sinergi API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), SessionCookie()],
    description="Cross-agency coordination for Pilkada. Authenticate with a browser session or "
    "`Authorization: Bearer <token>` (`sinergi token create USERNAME`).",
)


def _error(request: HttpRequest, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.as_dict())


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:] or e.get("loc", [])), "reason": e.get("msg", "")}
        for e in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors) or "invalid request"
    return _error(request, 422, {"code": "validation_error", "detail": detail, "errors": errors})


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, {"code": "unauthenticated", "detail": "log in or send a valid Bearer token"})


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, {"code": "not_found", "detail": str(exc) or "not found"})


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, {"code": f"http_{exc.status_code}", "detail": str(exc)})


def _register_app_routers() -> None:
    for app in settings.SINERGI_APPS:
        module_name = f"{app}.api"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(f"/{getattr(module, 'PREFIX', '')}", router)


_register_app_routers()
