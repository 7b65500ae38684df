"""Issue 11 for turnout: one access rule per object, a safe `next`, unique schema names, nothing read
out of scope."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sinergi.accounts.guards import rule_of
from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from sinergi.turnout.models import Slot
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import TPS, at
from testkit.builders import user_make

pytestmark = pytest.mark.django_db

MY_APPS = ("areas", "turnout", "situation")


def _patterns(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_every_page_and_api_operation_of_these_apps_declares_its_rule():
    pages = [(ns, p) for ns, p in _patterns(get_resolver().url_patterns) if ns in MY_APPS]
    assert len(pages) >= 20
    undeclared = [f"{ns}:{p.name}" for ns, p in pages if rule_of(p.callback) is None]
    assert undeclared == []

    from sinergi.atlas.api import router as areas_router
    from sinergi.situation.api import router as situation_router
    from sinergi.turnout.api import router as turnout_router

    ops = [
        (path, op)
        for router in (areas_router, turnout_router, situation_router)
        for path, view in router.path_operations.items()
        for op in view.operations
    ]
    assert len(ops) >= 14
    assert [f"{op.methods} {path}" for path, op in ops if rule_of(op.view_func) is None] == []


@pytest.fixture
def reviewer(world):
    """A Bawaslu analyst: a supervisor who reported nothing."""
    return user_make("bawaslu.kukar", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar")


@pytest.fixture
def flagged(election, operator2):
    # Reported by the PPS; reviewed by others (a reporter never reviews its own numbers).
    reports_submit(
        election=election, items=[ReportInput(tps_code=TPS, checkpoint="11", voters=400)], actor=operator2, at=at(11, 5)
    )
    return Slot.objects.get(tps_id=TPS, checkpoint__code="11")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "http:/x"])
def test_slot_forms_ignore_a_next_on_another_host(flagged, reviewer, operator, target):
    accepted = client_for(reviewer).post(f"/partisipasi/slot/{flagged.pk}/terima/", {"next": target})
    assert accepted.status_code == 302 and accepted["Location"] == f"/partisipasi/slot/{flagged.pk}/"
    corrected = client_for(operator).post(
        f"/partisipasi/slot/{flagged.pk}/koreksi/", {"voters": 210, "note": "C1 dicek", "next": target}
    )
    assert corrected.status_code == 302 and corrected["Location"] == f"/partisipasi/slot/{flagged.pk}/"


def test_slot_forms_follow_a_next_on_this_site(flagged, reviewer):
    back = "/partisipasi/64.02/tinjau/?titik=11"
    response = client_for(reviewer).post(f"/partisipasi/slot/{flagged.pk}/terima/", {"next": back})
    assert response.status_code == 302 and response["Location"] == back


def test_accepting_a_slot_that_is_not_flagged_is_refused_by_the_rule(election, reviewer, operator):
    items = [ReportInput(tps_code=TPS, checkpoint="09", voters=80)]
    reports_submit(election=election, items=items, actor=operator, at=at(9, 5))
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="09")
    assert not slot.flagged
    assert client_for(reviewer).post(f"/partisipasi/slot/{slot.pk}/terima/").status_code == 403
    page = client_for(reviewer).get(f"/partisipasi/slot/{slot.pk}/")
    assert page.status_code == 200 and "/terima/" not in page.content.decode()


def test_a_readers_report_post_is_refused_before_the_body_is_read(election, personas, bearer, client):
    response = client.post(
        "/api/v1/turnout/reports", "{}", content_type="application/json", headers=bearer(personas.field_officer)
    )
    assert response.status_code == 403


def test_a_reused_client_id_does_not_reveal_another_areas_report(election, operator, bearer, client):
    reports_submit(
        election=election,
        items=[ReportInput(tps_code=TPS, checkpoint="09", voters=187, client_id="sms:4411")],
        actor=operator,
    )
    other_desa = user_make("pps.desa2", Role.KPU_OPERATOR, "64.02.06.2001", "kpu-kukar")
    body = {"tps_code": "64.02.06.2001.001", "checkpoint": "09", "voters": 90, "client_id": "sms:4411"}
    response = client.post("/api/v1/turnout/reports", body, content_type="application/json", headers=bearer(other_desa))
    assert response.status_code == 409
    text = response.content.decode()
    assert TPS not in text and "187" not in text
    # The owner's own retry is still the stored report.
    again = {"tps_code": TPS, "checkpoint": "09", "voters": 187, "client_id": "sms:4411"}
    retry = client.post("/api/v1/turnout/reports", again, content_type="application/json", headers=bearer(operator))
    assert retry.status_code == 200 and retry.json()["duplicates"] == 1


def test_children_of_an_area_above_the_users_scope_are_not_served(election, personas, bearer, client):
    headers = bearer(personas.field_officer)  # 64.02.06
    assert client.get("/api/v1/turnout/areas/64.02/children", headers=headers).status_code == 404
    assert client.get("/api/v1/turnout/areas/64.02/missing", headers=headers).status_code == 404
    own = client.get("/api/v1/turnout/areas/64.02.06/children", headers=headers)
    assert own.status_code == 200 and {c["code"] for c in own.json()} <= {"64.02.06.1001", "64.02.06.2001"}
    assert client_for(personas.field_officer).get("/partisipasi/64.02/").status_code == 404


def test_openapi_components_are_named_per_app(client):
    schema = client.get("/api/v1/openapi.json").json()
    names = set(schema["components"]["schemas"])
    assert {
        "TurnoutReportIn",
        "TurnoutReportsIn",
        "TurnoutChildOut",
        "SituationChildOut",
        "SituationReportOut",
    } <= names
    assert not names & {"ReportsIn", "PageQuery", "HistoryOut"}
    body = schema["paths"]["/api/v1/turnout/reports"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/TurnoutReportsIn")
