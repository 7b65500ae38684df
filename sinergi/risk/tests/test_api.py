"""The risk API: consistent roll-ups, the TPS view, and the idempotent PUT."""

from django.test import Client

from sinergi.risk.models import Checklist
from sinergi.risk.tests import factories

TPS = "64.02.06.1001.002"


def test_area_rollup_equals_the_sum_of_its_children(filled, analyst, bearer):
    body = Client().get(f"/api/v1/risk/areas/64.02?round={filled.slug}", headers=bearer(analyst)).json()
    assert body["tps_assessed"] == 9 and body["tps_total"] == 9
    assert body["tps_flagged"] == sum(c["tps_flagged"] for c in body["children"]) == 6
    assert body["by_indicator"]["2.1"] == 2 and body["by_variable"]["2"] == 2
    assert sum(body["by_class"].values()) == 9
    for child in body["children"]:
        kec = Client().get(f"/api/v1/risk/areas/{child['code']}", headers=bearer(analyst)).json()
        assert kec["tps_flagged"] == child["tps_flagged"]
        assert kec["tps_flagged"] == sum(d["tps_flagged"] for d in kec["children"])
    assert set(body) >= {"index", "category", "tps_total", "tps_flagged", "by_variable", "by_indicator"}


def test_tps_endpoint_returns_checklist_score_and_class(filled, analyst, bearer):
    body = Client().get("/api/v1/risk/tps/64.02.06.1001.001", headers=bearer(analyst)).json()
    assert body["tps_code"] == "64.02.06.1001.001" and body["version"] == 1
    assert body["score"] == 8.0 and body["security_class"] == "sangat_rawan"
    assert body["answers"]["3.1"]["yes"] is True


def test_put_assessment_is_idempotent_by_client_id(filled, analyst, bearer):
    answers = factories.answers_with(filled.instrument, "2.3")
    payload = {"client_id": "hp-77-001", "answers": answers, "note": "dari HP"}
    client = Client()
    first = client.put(
        f"/api/v1/risk/tps/{TPS}/assessment", payload, content_type="application/json", headers=bearer(analyst)
    )
    again = client.put(
        f"/api/v1/risk/tps/{TPS}/assessment", payload, content_type="application/json", headers=bearer(analyst)
    )
    assert first.status_code == again.status_code == 200
    assert first.json()["version"] == again.json()["version"] == 2
    assert Checklist.objects.filter(tps_id=TPS).count() == 2
    assert first.json()["security_class"] == "rawan"


def test_put_with_bad_answers_names_the_field(filled, analyst, bearer):
    answers = factories.all_no(filled.instrument)
    del answers["8.2"]
    response = Client().put(
        f"/api/v1/risk/tps/{TPS}/assessment",
        {"client_id": "z", "answers": answers},
        content_type="application/json",
        headers=bearer(analyst),
    )
    assert response.status_code == 422
    assert response.json()["field"] == "answers" and "8.2" in response.json()["detail"]


def test_put_without_open_round_is_a_conflict(filled, analyst, bearer):
    from sinergi.risk import services

    services.round_set_status(actor=analyst, round_=filled, status="ditutup")
    response = Client().put(
        f"/api/v1/risk/tps/{TPS}/assessment",
        {"client_id": "q", "answers": factories.all_no(filled.instrument)},
        content_type="application/json",
        headers=bearer(analyst),
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"


def test_tps_list_filters_by_indicator_and_class_with_cursor(filled, analyst, bearer):
    client = Client()
    page = client.get("/api/v1/risk/areas/64.02/tps?indicator=2.1&limit=1", headers=bearer(analyst)).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = client.get(
        f"/api/v1/risk/areas/64.02/tps?indicator=2.1&limit=1&after={page['next_cursor']}", headers=bearer(analyst)
    ).json()
    assert {page["items"][0]["tps_code"], rest["items"][0]["tps_code"]} == {
        "64.02.05.2001.001",
        "64.02.06.1001.001",
    } and rest["next_cursor"] is None
    very = client.get("/api/v1/risk/areas/64.02/tps?security_class=sangat_rawan", headers=bearer(analyst)).json()
    assert [r["tps_code"] for r in very["items"]] == ["64.02.06.1001.001"]
