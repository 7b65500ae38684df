"""JSON API v1: one NinjaAPI; each app contributes a `router` in its own `api.py`.

Every failure answers JSON with one shape, the `Error` schema (`code`, `detail`, optional `field`
and `errors`): domain errors, validation, authentication, 404 and any unexpected exception (500,
logged with a reference, no traceback in the body). The OpenAPI document lists those responses on
every operation (401 where a login is needed, 403, 404, 409, 422), added centrally here.
"""

import logging
import secrets
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
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


logger = logging.getLogger("sinergi.api")


class ErrorDetail(Schema):
    field: str | None = None
    line: int | None = None
    column: str | None = None
    reason: str


class Error(Schema):
    """Every API error: a machine-readable `code`, a human `detail`, the `field` at fault for a
    validation error, and `errors` listing every bad field (or row, for imports)."""

    code: str
    detail: str
    field: str | None = None
    errors: list[ErrorDetail] | None = None


ERROR_COMPONENT = "Error"
DOCUMENTED_ERRORS = {
    401: "Not signed in: log in or send a valid `Authorization: Bearer` token (`code` unauthenticated)",
    403: "Signed in, but this role may not do this here (`code` forbidden)",
    404: "No such object, or not one this user may see (`code` not_found)",
    409: "Conflicts with the stored state: already decided, a reused client id with another body (`code` conflict)",
    422: "Invalid input; `field` / `errors` name every bad field (`code` validation_error)",
}


class SinergiAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the shared error responses on every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components[ERROR_COMPONENT] = error_schema
        reference = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
        for methods in schema.get("paths", {}).values():
            for details in methods.values():
                responses = details.setdefault("responses", {})
                for status, description in DOCUMENTED_ERRORS.items():
                    if status == 401 and not details.get("security"):
                        continue  # a public operation never answers 401
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": description, "content": reference}
        return schema


api = SinergiAPI(
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
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:] or e.get("loc", [])), "reason": input_problem(e)}
        for e in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors) or _("permintaan tidak sah")
    return _error(request, 422, {"code": "validation_error", "detail": detail, "errors": errors})


# pydantic's error types -> the reason in the reader's language (pydantic's own `msg` is English only).
INPUT_PROBLEMS = {
    "missing": gettext_lazy("wajib diisi"),
    "int_parsing": gettext_lazy("harus bilangan bulat"),
    "int_type": gettext_lazy("harus bilangan bulat"),
    "int_from_float": gettext_lazy("harus bilangan bulat"),
    "float_parsing": gettext_lazy("harus angka"),
    "float_type": gettext_lazy("harus angka"),
    "decimal_parsing": gettext_lazy("harus angka"),
    "bool_parsing": gettext_lazy("harus true atau false"),
    "bool_type": gettext_lazy("harus true atau false"),
    "string_type": gettext_lazy("harus teks"),
    "list_type": gettext_lazy("harus daftar"),
    "dict_type": gettext_lazy("harus objek"),
    "model_attributes_type": gettext_lazy("harus objek"),
    "date_from_datetime_parsing": gettext_lazy("harus tanggal (YYYY-MM-DD)"),
    "date_parsing": gettext_lazy("harus tanggal (YYYY-MM-DD)"),
    "date_type": gettext_lazy("harus tanggal (YYYY-MM-DD)"),
    "datetime_parsing": gettext_lazy("harus waktu ISO 8601 (YYYY-MM-DDTHH:MM+08:00)"),
    "datetime_from_date_parsing": gettext_lazy("harus waktu ISO 8601 (YYYY-MM-DDTHH:MM+08:00)"),
    "datetime_type": gettext_lazy("harus waktu ISO 8601 (YYYY-MM-DDTHH:MM+08:00)"),
    "enum": gettext_lazy("harus salah satu dari: %(expected)s"),
    "literal_error": gettext_lazy("harus salah satu dari: %(expected)s"),
    "string_too_long": gettext_lazy("paling banyak %(max_length)s karakter"),
    "string_too_short": gettext_lazy("paling sedikit %(min_length)s karakter"),
    "too_long": gettext_lazy("paling banyak %(max_length)s butir"),
    "too_short": gettext_lazy("paling sedikit %(min_length)s butir"),
    "greater_than": gettext_lazy("harus lebih dari %(gt)s"),
    "greater_than_equal": gettext_lazy("harus %(ge)s atau lebih"),
    "less_than": gettext_lazy("harus kurang dari %(lt)s"),
    "less_than_equal": gettext_lazy("harus %(le)s atau kurang"),
    "json_invalid": gettext_lazy("bukan JSON yang sah"),
    "uuid_parsing": gettext_lazy("harus UUID"),
}


def input_problem(error: dict) -> str:
    """One pydantic error as a reason in the active language; a type not listed keeps a general reason."""
    reason = INPUT_PROBLEMS.get(error.get("type", ""))
    if reason is None:
        return _("nilai tidak sah")
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return str(reason) % context if "%(" in str(reason) else str(reason)
    except KeyError:
        return _("nilai tidak sah")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, {"code": "unauthenticated", "detail": _("masuk atau kirim token Bearer yang sah")})


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, {"code": "not_found", "detail": str(exc) or _("tidak ditemukan")})


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, {"code": f"http_{exc.status_code}", "detail": str(exc)})


@api.exception_handler(RawPostDataException)
def body_not_json(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    # A form-encoded or multipart body was parsed as a form (CSRF, the sanitiser) before the
    # operation asked for its JSON: the caller sent the wrong kind of body, not a server fault.
    detail = _("kirim isi permintaan sebagai JSON (Content-Type: application/json)")
    return _error(request, 415, {"code": "unsupported_media_type", "detail": detail})


def server_error_body(reference: str) -> dict:
    detail = _("kesalahan server yang tidak terduga; sudah dicatat dengan nomor %(reference)s")
    return {"code": "server_error", "detail": detail % {"reference": reference}}


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else: logged with a short reference the caller can quote; the body says no more
    (no traceback, not even in demo mode)."""
    reference = secrets.token_hex(4)
    logger.error(
        "API error %s on %s %s", reference, request.method, request.path, exc_info=(type(exc), exc, exc.__traceback__)
    )
    return _error(request, 500, server_error_body(reference))


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
