"""The field API over the small world: nearest TPS, search, reference data, the two multipart writes,
receipts by client id; and the shell, service worker and manifest routes."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from sinergi.accounts.roles import Role
from sinergi.areas.models import PollingStation
from sinergi.conftest import client_for
from sinergi.field import selectors
from sinergi.field.tests.conftest import DESA, OWN_TPS
from sinergi.incidents.models import Report as IncidentReport
from sinergi.risk.models import Checklist
from sinergi.risk.tests import factories
from sinergi.turnout.models import Report as TurnoutReport
from sinergi.turnout.services import slot_accept
from testkit.builders import user_make

pytestmark = pytest.mark.django_db

# Three TPS of Sukarame and one of Bukit Biru get fixed points about 0.5 to 6 km apart.
POINTS = {
    "64.02.06.1001.001": (-0.4300, 116.9800),
    "64.02.06.1001.002": (-0.4340, 116.9830),
    "64.02.06.1001.003": (-0.4500, 116.9900),
    "64.02.06.2001.001": (-0.4800, 117.0300),
    "64.02.05.2001.001": (-0.3000, 117.3000),  # Muara Badak, about 40 km away
}


@pytest.fixture
def located(world):
    for code, (lat, lng) in POINTS.items():
        PollingStation.objects.filter(code=code).update(lat=lat, lng=lng)


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("foto.jpg", jpeg(), "image/jpeg")


def jpeg(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "orange").save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def test_nearest_tps_on_fixed_coordinates(located, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # at most one box per radius, then the details
        hits = selectors.nearest_tps(-0.4335, 116.9826)
    assert [h.code for h in hits[:3]] == ["64.02.06.1001.002", "64.02.06.1001.001", "64.02.06.1001.003"]
    assert hits[0].desa_name == "Sukarame" and (hits[0].km or 0) < 0.1
    assert "64.02.05.2001.001" not in [h.code for h in hits]  # beyond the largest box


def test_nearest_tps_api(located, officer, client, bearer):
    response = client.get("/api/v1/field/tps/nearest?lat=-0.4801&lng=117.0299", headers=bearer(officer))
    assert response.status_code == 200, response.content
    first = response.json()[0]
    assert first["code"] == "64.02.06.2001.001" and first["desa_name"] == "Bukit Biru"
    assert first["km"] < 0.05


def test_nearest_tps_refuses_impossible_coordinates(officer, client, bearer):
    response = client.get("/api/v1/field/tps/nearest?lat=200&lng=117", headers=bearer(officer))
    assert response.status_code == 422
    assert "koordinat" in response.json()["detail"]


def test_nearest_tps_reads_the_coordinate_index(located):
    """The box is a range on the (lat, lng) index of the field migration, not a scan of every TPS."""
    lat_min, lat_max, lng_min, lng_max = -0.44, -0.42, 116.97, 116.99
    sql, params = (
        PollingStation.objects.filter(lat__gte=lat_min, lat__lte=lat_max, lng__gte=lng_min, lng__lte=lng_max)
        .values_list("code", "lat", "lng")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "field_tps_lat_lng" in plan


def test_search_by_desa_name_stays_in_the_users_areas(officer, client, bearer):
    response = client.get("/api/v1/field/tps?q=suka", headers=bearer(officer))
    assert [r["code"] for r in response.json()] == [f"{DESA}.00{i}" for i in (1, 2, 3)]
    assert client.get("/api/v1/field/tps?q=bukit", headers=bearer(officer)).json() == []  # not the user's desa


def test_reference_data(officer, election, checklist_round, client, bearer, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        data = selectors.reference_data(officer)
    assert data["own_tps"] == OWN_TPS  # no roster entry: the first TPS of the user's desa
    assert data["desas"] == [[DESA, "Sukarame", "Tenggarong"]]
    assert [row[0] for row in data["tps"]] == [f"{DESA}.00{i}" for i in (1, 2, 3)] and data["tps_complete"]
    assert data["turnout"]["election"] == "pilbup-kukar-2024"
    assert [c["code"] for c in data["turnout"]["checkpoints"]] == ["09", "11", "13", "final"]
    assert data["rounds"][0]["slug"] == checklist_round.slug and data["rounds"][0]["area"] == "64.02.06"
    assert len(data["rounds"][0]["indicators"]) > 10
    assert any(c["keyword"] for c in data["categories"])
    response = client.get("/api/v1/field/reference", headers=bearer(officer))
    assert response.status_code == 200 and response.json()["own_tps"] == OWN_TPS


def test_reference_data_uses_the_roster_tps(officer, election):
    from sinergi.people.models import Person

    Person.objects.create(user=officer, tps_id=f"{DESA}.003")
    assert selectors.reference_data(officer)["own_tps"] == f"{DESA}.003"


def test_incident_with_photo_is_stored_once(officer, client, bearer):
    body = {
        "category": "politik-uang",
        "area_code": OWN_TPS,
        "description": "pembagian amplop di dekat TPS pagi ini",
        "client_id": "hp-inc-1",
    }

    def send():
        return client.post("/api/v1/field/incidents", {**body, "photo": photo()}, headers=bearer(officer))

    first = send()
    assert first.status_code == 201, first.content
    again = send()
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    report = IncidentReport.objects.get(client_id="hp-inc-1")
    assert report.polling_station_id == OWN_TPS and report.attachments.count() == 1


def test_incident_photo_that_is_not_an_image_is_refused(officer, client, bearer):
    response = client.post(
        "/api/v1/field/incidents",
        {
            "category": "politik-uang",
            "area_code": OWN_TPS,
            "description": "pembagian amplop di dekat TPS",
            "client_id": "hp-inc-2",
            "photo": SimpleUploadedFile("foto.jpg", b"MZ not a picture", "image/jpeg"),
        },
        headers=bearer(officer),
    )
    assert response.status_code == 422 and response.json()["field"] == "attachments"
    assert not IncidentReport.objects.exists()


def test_checklist_with_photo_is_stored_once(officer, checklist_round, client, bearer):
    answers = factories.answers_with(checklist_round.instrument, "2.1")
    body = {"client_id": "hp-ck-1", "answers": json.dumps(answers), "note": "dicek pagi"}
    url = f"/api/v1/field/tps/{OWN_TPS}/checklist"
    first = client.post(url, {**body, "photo": photo()}, headers=bearer(officer))
    assert first.status_code == 200, first.content
    assert first.json() == {"tps_code": OWN_TPS, "round": checklist_round.slug, "version": 1, "client_id": "hp-ck-1"}
    again = client.post(url, {**body, "photo": photo()}, headers=bearer(officer))
    assert again.json()["version"] == 1
    stored = Checklist.objects.get(client_id="hp-ck-1")
    assert stored.answers["2.1"]["yes"] is True and stored.evidence


def test_checklist_outside_the_users_areas_is_refused(officer, checklist_round, client, bearer):
    answers = factories.all_no(checklist_round.instrument)
    url = "/api/v1/field/tps/64.02.06.2001.001/checklist"
    response = client.post(url, {"client_id": "x", "answers": json.dumps(answers)}, headers=bearer(officer))
    assert response.status_code == 404


def test_receipts_name_the_server_state_of_the_users_own_items(officer, personas, election, client, bearer):
    headers = bearer(officer)
    client.post(  # far more voters than the TPS's DPT: a quality flag
        "/api/v1/turnout/reports",
        {"tps_code": OWN_TPS, "checkpoint": "09", "voters": 900, "client_id": "hp-t-1"},
        content_type="application/json",
        headers=headers,
    )
    client.post(
        "/api/v1/field/incidents",
        {"category": "politik-uang", "area_code": OWN_TPS, "description": "amplop dibagi di TPS", "client_id": "hp-i"},
        headers=headers,
    )
    found = client.get("/api/v1/field/receipts?ids=hp-t-1,hp-i,nobody", headers=headers).json()
    assert found["hp-t-1"]["state"] == "flagged"
    assert "over_registered" in {f["rule"] for f in found["hp-t-1"]["flags"]}
    assert found["hp-i"]["state"] == "stored" and found["hp-i"]["status"] == "baru"
    assert "nobody" not in found
    # A reviewer accepts the numbers as they are: the receipt no longer asks for a correction.
    slot = TurnoutReport.objects.get(client_id="hp-t-1").slot
    reviewer = user_make("bawaslu.kukar", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar")
    slot_accept(slot_id=slot.pk, actor=reviewer, note="dicek by telepon")
    found = client.get("/api/v1/field/receipts?ids=hp-t-1", headers=headers).json()
    assert found["hp-t-1"] == {"kind": "turnout", "state": "stored", "version": 1, "flags": []}


def test_receipts_hide_other_users_items(officer, personas, election, client, bearer):
    client.post(
        "/api/v1/turnout/reports",
        {"tps_code": OWN_TPS, "checkpoint": "09", "voters": 80, "client_id": "hp-t-9"},
        content_type="application/json",
        headers=bearer(officer),
    )
    other = client.get("/api/v1/field/receipts?ids=hp-t-9", headers=bearer(personas.coordinator)).json()
    assert other == {}


def test_shell_needs_a_login_and_names_its_assets(officer, client):
    assert client.get("/lapangan/").status_code == 302
    page = client_for(officer).get("/lapangan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/field/app.js" in html and 'rel="manifest"' in html
    assert "Lapor partisipasi TPS saya" in html


def test_service_worker_scope_and_cache_list(client):
    response = client.get("/lapangan/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/lapangan/"' in body and "/static/field/app.js" in body and "/api/v1/field/reference" in body
    assert "__VERSION__" not in body


def test_manifest(client):
    manifest = client.get("/lapangan/manifest.webmanifest").json()
    assert manifest["start_url"] == manifest["scope"] == "/lapangan/"
    assert manifest["display"] == "standalone"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}


def test_shell_and_manifest_in_english(officer, client):
    english = client_for(officer)
    english.cookies["django_language"] = "en"
    html = english.get("/lapangan/").content.decode()
    assert "Report turnout for my TPS" in html and "Lapor partisipasi TPS saya" not in html
    assert '"stored": "Stored on the server"' in html
    assert english.get("/lapangan/manifest.webmanifest").json()["name"] == "Sinergi Field"


def test_reference_data_of_a_national_login_leaves_the_tps_to_the_server(
    personas, election, client, bearer, monkeypatch
):
    monkeypatch.setattr(selectors, "MAX_CACHED_TPS", 5)  # the small world has fewer TPS than a nation
    response = client.get("/api/v1/field/reference", headers=bearer(personas.national_admin))
    assert response.status_code == 200
    data = response.json()
    assert data["tps"] == [] and data["tps_complete"] is False and data["own_tps"] is None
    assert data["turnout"]["election"] == "pilbup-kukar-2024"
    search = client.get("/api/v1/field/tps?q=Badak", headers=bearer(personas.national_admin)).json()
    assert [r["code"] for r in search] == ["64.02.05.2001.001", "64.02.05.2001.002", "64.02.05.2001.003"]
