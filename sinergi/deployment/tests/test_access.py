"""The outsider gets 404 on every URL and endpoint; read-only roles get 403 on writes; partial views."""

import pytest
from django.urls import reverse

from sinergi.conftest import client_for
from sinergi.deployment.services import plan_create, plan_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(units, planner_users):
    plan = plan_create(area_code="64.02", title="Rencana", options={}, actor=planner_users["polri"])
    other = plan_scenario(plan=plan, title="S", changes={"without_bko": True}, actor=planner_users["polri"])
    return plan, other


def page_urls(plan, other) -> list[str]:
    return [
        reverse("deployment:index"),
        reverse("deployment:patterns"),
        reverse("deployment:plan", args=[plan.pk]),
        reverse("deployment:posts_geojson", args=[plan.pk]),
        reverse("deployment:compare", args=[plan.pk, other.pk]),
        reverse("deployment:annex", args=[plan.pk, "polsek-tenggarong"]),
        reverse("deployment:annex_xlsx", args=[plan.pk, "polsek-tenggarong"]),
        reverse("deployment:annex_pdf", args=[plan.pk, "polsek-tenggarong"]),
        reverse("deployment:units", args=["64.02"]),
        f"/api/v1/deployment/plans/{plan.pk}",
    ]


def post_urls(plan) -> list[str]:
    return [
        reverse("deployment:plan_create"),
        *[reverse("deployment:plan_action", args=[plan.pk, a]) for a in ("solve", "approve", "version", "scenario")],
        reverse("deployment:roster_upload", args=["64.02"]),
    ]


def test_outsider_gets_404_everywhere(plans, personas, bearer):
    client = client_for(personas.outsider)
    index, *objects = page_urls(*plans)
    # The menu's page opens (no menu link 404s) and says no unit covers the outsider's area.
    page = client.get(index)
    assert page.status_code == 200 and 'id="no-units"' in page.content.decode() and page.context["plans"] == []
    for url in objects:
        assert client.get(url).status_code == 404, url
    for url in post_urls(plans[0])[1:]:
        assert client.post(url, {"area_code": "64.02", "title": "x"}).status_code == 404, url
    # A create is guarded by "may write plans somewhere": the outsider may not, so 403 before the body.
    assert client.post(post_urls(plans[0])[0], {"area_code": "64.02", "title": "x"}).status_code == 403
    response = client.post(
        "/api/v1/deployment/plans",
        {"area_code": "64.02"},
        content_type="application/json",
        headers=bearer(personas.outsider),
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/deployment/plans/{plans[0].pk}", headers=bearer(personas.outsider)).status_code == 404


def test_pemkab_reads_everything_but_writes_nothing(plans, personas):
    client = client_for(personas.coordinator)
    for url in page_urls(*plans):
        assert client.get(url).status_code == 200, url
    for url in post_urls(plans[0])[1:-1]:
        assert client.post(url).status_code == 403, url
    assert client.post(reverse("deployment:plan_create"), {"area_code": "64.02", "title": "x"}).status_code == 403
    assert client.post(reverse("deployment:roster_upload", args=["64.02"])).status_code == 403


def test_a_kecamatan_officer_sees_only_the_part_covering_their_area(plans, personas):
    plan, other = plans
    client = client_for(personas.field_officer)
    page = client.get(reverse("deployment:plan", args=[plan.pk]))
    assert page.status_code == 200 and page.context["access"].full is False
    posts = client.get(reverse("deployment:posts_geojson", args=[plan.pk])).json()["features"]
    assert posts and {f["properties"]["kecamatan"] for f in posts} == {"Tenggarong"}
    assert client.get(reverse("deployment:annex", args=[plan.pk, "polsek-tenggarong"])).status_code == 200
    assert client.get(reverse("deployment:annex", args=[plan.pk, "polres-bontang"])).status_code == 404
    assert client.get(reverse("deployment:compare", args=[plan.pk, other.pk])).status_code == 404


def test_polres_bontang_reads_the_kukar_plan_for_its_two_kecamatan(plans, planner_users, bearer):
    plan = plans[0]
    body = (
        client_for(planner_users["bontang"])
        .get(f"/api/v1/deployment/plans/{plan.pk}", headers=bearer(planner_users["bontang"]))
        .json()
    )
    assert body["full_view"] is False
    assert {u["code"] for u in body["units"]} == {"polres-bontang"}  # not polsek-tenggarong
    # It may not write a plan for the whole regency (outside its areas: 404), only for its own areas.
    client = client_for(planner_users["bontang"])
    assert client.post(reverse("deployment:plan_create"), {"area_code": "64.02", "title": "x"}).status_code == 404
    response = client.post(reverse("deployment:plan_create"), {"area_code": "64.02.05", "title": "Badak"})
    assert response.status_code == 302
