"""The meeting pages end to end through the forms (server side)."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.conftest import client_for
from sinergi.meetings.models import ActionItem, Decision, Meeting
from testkit.builders import image_bytes

pytestmark = pytest.mark.django_db


def test_organiser_runs_a_meeting_through_the_pages(world, personas):
    web = client_for(personas.coordinator)
    response = web.post(
        "/rapat/baru/",
        {
            "kind": "rakor-lintas-sektoral",
            "title": "Rakor lintas sektoral",
            "area_code": "64.02",
            "date": "2024-09-03",
            "start": "09:00",
            "end": "12:30",
            "venue": "Gedung Putri Karang Melenu",
            "organiser": "kesbangpol-kukar",
            "chair_name": "Sunggono",
            "chair_title": "Sekda",
            "on_behalf_of": "Bupati",
            "invited": ["polres-kukar", "kodim-0906"],
            "agenda": "Pembukaan\nPaparan KPU\n",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rapat/{meeting.pk}/"
    assert meeting.starts_at == datetime(2024, 9, 3, 1, 0, tzinfo=UTC)  # 09.00 WITA
    assert meeting.invitees.count() == 2 and meeting.agenda.count() == 2

    web.post(f"/rapat/{meeting.pk}/keputusan/", {"text": "Amankan setiap TPS", "is_public": "on"})
    decision = Decision.objects.get()
    assert decision.is_public
    web.post(
        f"/rapat/keputusan/{decision.pk}/tindak-lanjut/",
        {
            "title": "Renpam TPS",
            "agency": "panwascam-tenggarong",
            "person": "Ketua",
            "area_code": "64.02.06",
            "due_date": "2024-10-31",
        },
    )
    action = ActionItem.objects.get()
    page = web.get(f"/rapat/{meeting.pk}/").content.decode()
    assert "09.00 WITA" in page and "Renpam TPS" in page and "Amankan setiap TPS" in page

    officer = client_for(personas.field_officer)
    photo = SimpleUploadedFile("foto.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    done = officer.post(
        f"/rapat/tindak-lanjut/{action.pk}/", {"status": "done", "note": "Selesai", "evidence": [photo]}
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    evidence = action.notes.get().evidence.get()
    download = officer.get(f"/rapat/bukti/{evidence.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"


def test_form_errors_are_shown_and_nothing_is_stored(world, personas):
    web = client_for(personas.coordinator)
    page = web.post(
        "/rapat/baru/",
        {
            "kind": "rakor-lintas-sektoral",
            "title": "x",
            "area_code": "64.02.99",
            "date": "2024-09-03",
            "start": "09:00",
            "venue": "x",
            "organiser": "kesbangpol-kukar",
            "chair_name": "x",
        },
    )
    assert page.status_code == 200 and "64.02.99" in page.content.decode()
    assert not Meeting.objects.exists()


def test_bad_evidence_shows_the_reason_on_the_action_page(founding, personas):
    action = founding["action"]
    page = client_for(personas.field_officer).post(
        f"/rapat/tindak-lanjut/{action.pk}/",
        {"status": "done", "note": "x", "evidence": [SimpleUploadedFile("virus.exe", b"MZ\x90")]},
    )
    assert page.status_code == 200 and "yang diterima" in page.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


def test_organiser_corrects_the_particulars_and_history_keeps_the_old(founding, personas, observer):
    from sinergi.core.models import HistoryEntry

    meeting = founding["meeting"]
    url = f"/rapat/{meeting.pk}/ubah/"
    assert client_for(observer).get(url).status_code == 403
    form = client_for(personas.coordinator).get(url).content.decode()
    assert 'value="09:00' in form and "Gedung Putri Karang Melenu" in form
    response = client_for(personas.coordinator).post(
        url,
        {
            "kind": "rapat-teknis",
            "title": "Rakor (ralat)",
            "date": "2024-09-04",
            "start": "10:00",
            "end": "09:00",
            "venue": "Pendopo Odah Etam",
            "chair_name": "Sunggono",
        },
    )
    assert "waktu selesai sebelum waktu mulai" in response.content.decode()
    response = client_for(personas.coordinator).post(
        url,
        {
            "kind": "rapat-teknis",
            "title": "Rakor (ralat)",
            "date": "2024-09-04",
            "start": "10:00",
            "end": "",
            "venue": "Pendopo Odah Etam",
            "chair_name": "Sunggono",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime(2024, 9, 4, 2, tzinfo=UTC) and meeting.kind.slug == "rapat-teknis"
    entry = HistoryEntry.objects.filter(object_type="meetings.meeting", action="updated").get()
    assert entry.changes["venue"] == ["Gedung Putri Karang Melenu, Tenggarong Seberang", "Pendopo Odah Etam"]
