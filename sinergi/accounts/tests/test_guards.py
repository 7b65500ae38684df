"""The route guards enforce an object rule before a page or an API operation runs."""

import pytest
from django.http import HttpResponse
from django.urls import path
from ninja import NinjaAPI, Router, Schema

from sinergi import urls as project_urls
from sinergi.accounts.access import area_access, scope_filter
from sinergi.accounts.guards import PUBLIC, SIGNED_IN, Guard, guarded, operation, page, rule_of
from sinergi.accounts.roles import Role
from sinergi.api import BearerToken, SessionCookie, domain_error
from sinergi.core.errors import DomainError, Forbidden
from sinergi.turnout.permissions import REPORTS
from testkit.builders import user_make

AREAS = area_access(REPORTS, "test.turnout-area")
router = Router()


class CountIn(Schema):
    n: int


@router.post("/things/{code}")
@operation(Guard(AREAS, "code"))
def thing_post(request, code: str, payload: CountIn):
    return {"area": guarded(request, AREAS).name, "n": payload.n}


test_api = NinjaAPI(urls_namespace="guard-test", auth=[BearerToken(), SessionCookie(csrf=False)])
test_api.add_router("/", router)
test_api.add_exception_handler(DomainError, domain_error)  # type: ignore[arg-type]


@page(Guard(AREAS, "code"))
def thing_page(request, code: str) -> HttpResponse:
    return HttpResponse(guarded(request, AREAS).name)


urlpatterns = [
    path("api/", test_api.urls),
    path("page/<str:code>/", thing_page),
    *project_urls.urlpatterns,
]


@pytest.mark.django_db
@pytest.mark.urls("sinergi.accounts.tests.test_guards")
def test_api_guard_answers_before_the_body_is_read(world, client, bearer):
    kpu = user_make("kpu", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    reader = user_make("baca", Role.COORDINATOR, "64.02", "kesbangpol-kukar")
    outsider = user_make("luar", Role.KPU_OPERATOR, "64.72", "kpu-samarinda")
    url = "/api/things/64.02.06"
    assert client.post(url, {}, content_type="application/json").status_code == 401
    # No body at all: the reader and the outsider are refused by the rule, not by validation.
    assert client.post(url, "{}", content_type="application/json", headers=bearer(reader)).status_code == 403
    assert client.post(url, "{}", content_type="application/json", headers=bearer(outsider)).status_code == 404
    assert client.post(url, "{}", content_type="application/json", headers=bearer(kpu)).status_code == 422
    ok = client.post(url, {"n": 3}, content_type="application/json", headers=bearer(kpu))
    assert ok.status_code == 200 and ok.json() == {"area": "Tenggarong", "n": 3}


@pytest.mark.django_db
@pytest.mark.urls("sinergi.accounts.tests.test_guards")
def test_page_guard_redirects_anonymous_and_answers_404_outside(world, client):
    outsider = user_make("luar", Role.KPU_OPERATOR, "64.72", "kpu-samarinda")
    reader = user_make("baca", Role.COORDINATOR, "64.02", "kesbangpol-kukar")
    assert client.get("/page/64.02.06/").status_code == 302
    client.force_login(outsider)
    assert client.get("/page/64.02.06/").status_code == 404
    assert client.get("/page/bukan-kode/").status_code == 404
    client.force_login(reader)
    response = client.get("/page/64.02.06/")
    assert response.status_code == 200 and response.content == b"Tenggarong"
    assert client.post("/page/64.02.06/").status_code == 403


def test_rules_are_readable_by_the_route_matrix():
    assert rule_of(thing_page) == Guard(AREAS, "code")
    assert rule_of(thing_post) == Guard(AREAS, "code")
    assert PUBLIC.public and not SIGNED_IN.public


@pytest.mark.django_db
def test_visible_and_get_follow_one_rule(world):
    field = user_make("camat", Role.KPU_OPERATOR, "64.02.06", "kpu-kukar")
    visible = set(AREAS.visible(field).values_list("code", flat=True))
    assert visible == {"64.02.06", "64.02.06.1001", "64.02.06.2001"}
    assert AREAS.visible(field).filter(scope_filter(["64.02.05"], "code")).count() == 0
    assert AREAS.get(field, "64.02.06.1001", write=True).code == "64.02.06.1001"


def test_every_rule_name_shown_in_a_refusal_has_an_english_translation():
    """Names of rules and policies go into 403/404 messages: Indonesian first, English in the catalogue."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.conf import settings
    from django.utils import translation

    from sinergi.accounts.access import OBJECT_ACCESS, Policy

    modules = [import_module(f"{app}.permissions") for app in settings.SINERGI_APPS if find_spec(f"{app}.permissions")]
    policies = [value for module in modules for value in vars(module).values() if isinstance(value, Policy)]
    with translation.override("id"):  # some labels are lazy: take their Indonesian text
        names = {str(a.label) for a in OBJECT_ACCESS.values()} | {str(p.name) for p in policies}
    assert len(policies) >= 10
    names -= {"TPS", "NPHD"}  # official terms, the same in both languages
    with translation.override("en"):
        untranslated = sorted(n for n in names if translation.gettext(n) == n)
    assert not untranslated


@pytest.mark.django_db
def test_a_refusal_names_the_rule_in_the_users_language(world):
    reader = user_make("baca", Role.COORDINATOR, "64.02", "kesbangpol-kukar")
    with pytest.raises(Forbidden) as refused:
        AREAS.get(reader, "64.02.06", write=True)
    assert refused.value.detail == "peran Anda hanya dapat membaca partisipasi di sini"
    from django.utils import translation

    with translation.override("en"), pytest.raises(Forbidden) as english:
        AREAS.get(reader, "64.02.06", write=True)
    assert "turnout" in english.value.detail and "partisipasi" not in english.value.detail
