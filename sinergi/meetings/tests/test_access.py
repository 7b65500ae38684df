"""The outsider gets 404 everywhere; read-only roles read but get 403 on writes."""

import pytest

from sinergi.conftest import client_for
from sinergi.meetings.models import Evidence, Invitee
from sinergi.meetings.services import InviteeSpec, action_status_update, invitee_add
from testkit.builders import MINIMAL_PDF

pytestmark = pytest.mark.django_db

PDF = MINIMAL_PDF


@pytest.fixture
def urls(founding, personas):
    meeting, decision, action = founding["meeting"], founding["decision"], founding["action"]
    invitee = invitee_add(actor=personas.coordinator, meeting=meeting, spec=InviteeSpec(agency_code="kpu-kukar"))
    note = action_status_update(
        actor=personas.coordinator, action=action, status="in_progress", note="mulai", files=[("bukti.pdf", PDF)]
    )
    evidence = Evidence.objects.get(note=note)
    pages = [
        f"/rapat/{meeting.pk}/",
        f"/rapat/{meeting.pk}/notulen.pdf",
        f"/rapat/{meeting.pk}/tindak-lanjut.xlsx",
        f"/rapat/tindak-lanjut/{action.pk}/",
        f"/rapat/bukti/{evidence.pk}/",
    ]
    posts = [
        (f"/rapat/{meeting.pk}/notulen/", {"minutes": "x"}),
        (f"/rapat/{meeting.pk}/ubah/", {"title": "x"}),
        (f"/rapat/{meeting.pk}/undangan/", {"person_name": "Camat"}),
        (f"/rapat/{meeting.pk}/acara/", {"title": "x"}),
        (f"/rapat/{meeting.pk}/keputusan/", {"text": "x"}),
        (f"/rapat/undangan/{invitee.pk}/kehadiran/", {"attendance": "present"}),
        (
            f"/rapat/keputusan/{decision.pk}/tindak-lanjut/",
            {"title": "x", "agency": "kpu-kukar", "area_code": "64.02", "due_date": "2024-10-01"},
        ),
        (f"/rapat/keputusan/{decision.pk}/publik/", {"is_public": "1"}),
        (f"/rapat/tindak-lanjut/{action.pk}/", {"status": "done", "note": "x"}),
    ]
    api_get = [f"/api/v1/meetings/{meeting.pk}", f"/api/v1/action-items/{action.pk}"]
    api_post = [
        (f"/api/v1/meetings/{meeting.pk}/decisions", {"text": "x"}),
        (
            f"/api/v1/decisions/{decision.pk}/action-items",
            {"title": "x", "agency": "kpu-kukar", "area_code": "64.02", "due_date": "2024-10-01"},
        ),
        (f"/api/v1/action-items/{action.pk}/status", {"status": "done", "note": "x"}),
    ]
    return {"pages": pages, "posts": posts, "api_get": api_get, "api_post": api_post}


def test_outsider_gets_404_on_every_url_and_endpoint(urls, personas, bearer, client):
    web = client_for(personas.outsider)
    for url in urls["pages"]:
        assert web.get(url).status_code == 404, url
    for url, data in urls["posts"]:
        assert web.post(url, data).status_code == 404, url
    headers = bearer(personas.outsider)
    for url in urls["api_get"]:
        assert client.get(url, headers=headers).status_code == 404, url
    for url, body in urls["api_post"]:
        assert client.post(url, body, content_type="application/json", headers=headers).status_code == 404, url


def test_outsider_lists_are_empty(founding, personas, bearer, client):
    assert client.get("/api/v1/meetings", headers=bearer(personas.outsider)).json() == []
    assert client.get("/api/v1/action-items", headers=bearer(personas.outsider)).json() == []
    # Their own regency's index opens, without a trace of Kukar.
    index = client_for(personas.outsider).get("/rapat/")
    assert index.status_code == 200 and founding["meeting"].title not in index.content.decode()
    assert "Petakan kerawanan" not in client_for(personas.outsider).get("/rapat/tindak-lanjut/").content.decode()
    assert client_for(personas.outsider).get("/rapat/baru/").status_code == 403


def test_read_only_role_reads_but_may_not_write(urls, observer, bearer, client, founding):
    web = client_for(observer)
    for url in urls["pages"]:
        assert web.get(url).status_code == 200, url
    for url, data in urls["posts"]:
        assert web.post(url, data).status_code == 403, url
    headers = bearer(observer)
    for url, body in urls["api_post"]:
        assert client.post(url, body, content_type="application/json", headers=headers).status_code == 403, url
    assert Invitee.objects.filter(meeting=founding["meeting"]).count() == 1


def test_responsible_agency_sees_my_open_actions(founding, personas):
    page = client_for(personas.field_officer).get("/rapat/tindak-lanjut/saya/")
    assert page.status_code == 200 and "Petakan kerawanan" in page.content.decode()
    assert client_for(personas.outsider).get("/rapat/tindak-lanjut/saya/").status_code == 200
    assert "Petakan kerawanan" not in client_for(personas.outsider).get("/rapat/tindak-lanjut/saya/").content.decode()
