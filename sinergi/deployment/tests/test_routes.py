"""Every deployment route declares its rule, and the rule is the real one: run as each persona with
GET and POST, a route answers 404 exactly when its rule says the object is invisible, 403 exactly
when it says read-only, and never 500."""

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse

from sinergi.accounts.access import forget_memberships
from sinergi.accounts.guards import rule_of
from sinergi.conftest import client_for
from sinergi.core.errors import Forbidden, NotFound
from sinergi.deployment import urls as deployment_urls
from sinergi.deployment.api import router
from sinergi.deployment.services import plan_create, plan_scenario

pytestmark = pytest.mark.django_db


def test_every_page_and_operation_declares_its_rule():
    patterns = [p for p in deployment_urls.urlpatterns if isinstance(p, URLPattern)]
    assert patterns and [p.name for p in patterns if rule_of(p.callback) is None] == []
    operations = [op for view in router.path_operations.values() for op in view.operations]
    assert operations and [op.view_func.__name__ for op in operations if rule_of(op.view_func) is None] == []


def expected(rule, user, method: str, kwargs: dict) -> str:
    request = RequestFactory().generic(method, "/")
    request.user = user
    try:
        rule.resolve(request, kwargs)
    except NotFound:
        return "404"
    except Forbidden:
        return "403"
    return "ok"


@pytest.fixture
def plans(units, planner_users):
    plan = plan_create(area_code="64.02", title="Rencana", options={}, actor=planner_users["polri"])
    other = plan_scenario(plan=plan, title="S", changes={"without_bko": True}, actor=planner_users["polri"])
    return plan, other


def routes(plan, other) -> list[tuple[str, str, dict]]:
    """(url name, url, kwargs the rule sees) with real Kukar objects."""
    p, o = plan.pk, other.pk
    return [
        ("index", reverse("deployment:index"), {}),
        ("plan_create", reverse("deployment:plan_create"), {}),
        ("plan", reverse("deployment:plan", args=[p]), {"plan_id": p}),
        ("posts_geojson", reverse("deployment:posts_geojson", args=[p]), {"plan_id": p}),
        ("plan_approve", reverse("deployment:plan_approve", args=[o]), {"plan_id": o}),
        ("plan_action", reverse("deployment:plan_action", args=[o, "solve"]), {"plan_id": o, "action": "solve"}),
        ("compare", reverse("deployment:compare", args=[p, o]), {"plan_id": p, "other_id": o}),
        *[
            (name, reverse(f"deployment:{name}", args=[p, unit]), {"plan_id": p, "code": unit})
            for name in ("annex", "annex_xlsx", "annex_pdf")
            for unit in ("polsek-tenggarong", "polres-bontang")
        ],
        ("patterns", reverse("deployment:patterns"), {}),
        *[
            (name, reverse(f"deployment:{name}", args=[area]), {"code": area})
            for name in ("units", "roster_upload", "strength_update")
            for area in ("64.02", "64.02.05", "64.02.06")
        ],
    ]


def test_each_route_answers_as_its_rule_says_for_every_persona(plans, personas, planner_users):
    users = {
        "admin": personas.national_admin,
        "koordinator": personas.coordinator,
        "petugas": personas.field_officer,
        "orangluar": personas.outsider,
        **planner_users,
    }
    views = {p.name: p.callback for p in deployment_urls.urlpatterns if isinstance(p, URLPattern)}
    checked = 0
    for label, user in users.items():
        client = client_for(user)
        for name, url, kwargs in routes(*plans):
            for method in ("GET", "POST"):
                forget_memberships(user)
                want = expected(rule_of(views[name]), user, method, kwargs)
                status = client.generic(method, url).status_code
                if want == "ok":
                    assert status not in (403, 404, 500), (label, method, url, status)
                else:
                    assert str(status) == want, (label, method, url, status, want)
                checked += 1
    anonymous = Client()
    for _name, url, _kwargs in routes(*plans):
        assert anonymous.get(url).status_code == 302, url
    assert checked == len(users) * len(routes(*plans)) * 2


def test_the_api_answers_as_its_rules_say(plans, personas, planner_users, bearer, client):
    plan = plans[0]
    detail = f"/api/v1/deployment/plans/{plan.pk}"
    for user, status in [
        (personas.outsider, 404),
        (personas.field_officer, 200),
        (planner_users["bontang"], 200),
        (planner_users["observer"], 200),
    ]:
        assert client.get(detail, headers=bearer(user)).status_code == status
    assert client.get(detail).status_code == 401
    create = "/api/v1/deployment/plans"
    for user in (personas.outsider, personas.coordinator, planner_users["observer"]):
        assert client.post(create, "{}", content_type="application/json", headers=bearer(user)).status_code == 403
    bad = client.post(create, "{}", content_type="application/json", headers=bearer(planner_users["tni"]))
    assert bad.status_code == 422
