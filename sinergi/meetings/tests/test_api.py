import pytest

from sinergi.meetings.models import Meeting

pytestmark = pytest.mark.django_db

MEETING = {
    "kind": "rakor-lintas-sektoral",
    "title": "Rakor lintas sektoral",
    "area_code": "64.02",
    "starts_at": "2024-09-03T09:00:00+08:00",
    "venue": "Gedung Putri Karang Melenu, Tenggarong Seberang",
    "organiser": "kesbangpol-kukar",
    "chair_name": "Sunggono",
    "on_behalf_of": "Bupati Kutai Kartanegara",
    "invitees": [
        {"agency": "polres-kukar", "attendance": "present"},
        {"agency": "kodim-0906", "attendance": "represented", "represented_by": "Pasi Ops"},
    ],
    "agenda": ["Pembukaan"],
    "client_id": "tablet-7",
}


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_create_meeting_decision_action_and_update_status(personas, bearer, client):
    boss = bearer(personas.coordinator)
    created = post(client, "/api/v1/meetings", MEETING, boss)
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert (
        meeting["starts_at"].startswith("2024-09-03T01:00") and meeting["invitees"][1]["represented_by"] == "Pasi Ops"
    )
    assert post(client, "/api/v1/meetings", MEETING, boss).json()["id"] == meeting["id"]
    assert Meeting.objects.count() == 1

    decision = post(
        client, f"/api/v1/meetings/{meeting['id']}/decisions", {"text": "Amankan TPS", "is_public": True}, boss
    ).json()
    action = post(
        client,
        f"/api/v1/decisions/{decision['id']}/action-items",
        {"title": "Renpam TPS", "agency": "panwascam-tenggarong", "area_code": "64.02.06", "due_date": "2024-10-31"},
        boss,
    )
    assert action.status_code == 201
    action_id = action.json()["id"]

    officer = bearer(personas.field_officer)
    mine = client.get("/api/v1/action-items?mine=true", headers=officer).json()
    assert [a["id"] for a in mine] == [action_id]
    done = post(
        client,
        f"/api/v1/action-items/{action_id}/status",
        {"status": "done", "note": "Selesai", "client_id": "n1"},
        officer,
    )
    assert done.status_code == 201 and done.json()["status_after"] == "done"
    assert client.get(f"/api/v1/action-items/{action_id}", headers=officer).json()["status"] == "done"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "pesta"}, "kind"),
        ({"area_code": "64.02.99"}, "area_code"),
        ({"organiser": "tidak-ada"}, "organiser"),
        ({"starts_at": "2024-09-03T09:00:00"}, "starts_at"),
        ({"invitees": [{"agency": "kpu-kukar", "attendance": "represented"}]}, "represented_by"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(personas, bearer, client, change, field):
    response = post(client, "/api/v1/meetings", {**MEETING, "client_id": None, **change}, bearer(personas.coordinator))
    assert response.status_code == 422 and response.json()["field"] == field
    assert not Meeting.objects.exists()


def test_action_area_must_lie_inside_the_meeting_area(personas, bearer, client):
    boss = bearer(personas.coordinator)
    meeting = post(client, "/api/v1/meetings", {**MEETING, "area_code": "64.02.06", "client_id": None}, boss).json()
    decision = post(client, f"/api/v1/meetings/{meeting['id']}/decisions", {"text": "x"}, boss).json()
    response = post(
        client,
        f"/api/v1/decisions/{decision['id']}/action-items",
        {"title": "x", "agency": "kpu-kukar", "area_code": "64.02.05", "due_date": "2024-10-01"},
        boss,
    )
    assert response.status_code == 422 and response.json()["field"] == "area_code"
