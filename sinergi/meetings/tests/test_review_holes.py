"""Holes found in the issue-11 review: values longer than their column (a DataError, so a 500, on
PostgreSQL; stored whole on SQLite) and meeting moments that overflow when shifted between zones."""

import pytest

from sinergi.conftest import client_for
from sinergi.meetings.models import ActionItem, Meeting, ProgressNote
from sinergi.meetings.tests.test_api import MEETING, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field,value",
    [
        ("title", "x" * 201),
        ("venue", "v" * 201),
        ("chair_name", "c" * 121),
        ("on_behalf_of", "o" * 121),
        ("client_id", "k" * 65),
        ("agenda", ["a" * 301]),
        ("invitees", [{"person_name": "p" * 121}]),
        ("invitees", [{"agency": "polres-kukar", "attendance": "represented", "represented_by": "r" * 161}]),
    ],
)
def test_an_over_long_meeting_value_is_a_422_and_stores_nothing(client, personas, bearer, field, value):
    response = post(client, "/api/v1/meetings", dict(MEETING) | {field: value}, bearer(personas.coordinator))
    assert response.status_code == 422, response.content
    assert not Meeting.objects.exists()


@pytest.fixture
def decision(client, personas, bearer):
    boss = bearer(personas.coordinator)
    meeting = post(client, "/api/v1/meetings", MEETING, boss).json()
    return post(client, f"/api/v1/meetings/{meeting['id']}/decisions", {"text": "Amankan TPS"}, boss).json()


@pytest.mark.parametrize("field,value", [("title", "t" * 301), ("person", "p" * 121), ("client_id", "c" * 65)])
def test_an_over_long_action_value_is_a_422(client, personas, bearer, decision, field, value):
    body = {"title": "Renpam", "agency": "polres-kukar", "area_code": "64.02", "due_date": "2024-10-31"}
    response = post(
        client, f"/api/v1/decisions/{decision['id']}/action-items", body | {field: value}, bearer(personas.coordinator)
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not ActionItem.objects.exists()


def test_an_over_long_status_client_id_is_a_422(client, personas, bearer, decision):
    boss = bearer(personas.coordinator)
    body = {"title": "Renpam", "agency": "polres-kukar", "area_code": "64.02", "due_date": "2024-10-31"}
    action = post(client, f"/api/v1/decisions/{decision['id']}/action-items", body, boss).json()
    response = post(
        client,
        f"/api/v1/action-items/{action['id']}/status",
        {"status": "done", "note": "ok", "client_id": "z" * 65},
        boss,
    )
    assert response.status_code == 422, response.content
    assert not ProgressNote.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("starts_at", "9999-12-31T23:30:00+00:00"),
        ("starts_at", "0001-01-01T00:30:00+08:00"),
        ("ends_at", "9999-12-31T23:30:00+00:00"),
    ],
)
def test_a_meeting_moment_out_of_range_is_a_422(client, personas, bearer, field, value):
    # Year 1 at +08:00 overflowed converting to UTC (a 500); year 9999 was stored and then every page
    # showing the meeting overflowed converting to local time.
    response = post(client, "/api/v1/meetings", dict(MEETING) | {field: value}, bearer(personas.coordinator))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_meeting_form_refuses_a_date_out_of_range(personas, day):
    response = client_for(personas.coordinator).post(
        "/rapat/baru/",
        {
            "kind": "rakor-lintas-sektoral",
            "title": "Rakor",
            "area_code": "64.02",
            "date": day,
            "start": "00:30",
            "end": "23:59",
            "venue": "Tenggarong",
            "organiser": "kesbangpol-kukar",
            "chair_name": "Sunggono",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Meeting.objects.exists()


def test_evidence_is_read_with_a_bound_not_whole(founding, personas, monkeypatch):
    # The action page read every uploaded file whole (f.read()) before the size check: a huge upload
    # was held in memory. Now at most the limit + 1 byte is read (core.uploads.upload_read).
    from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile

    from sinergi.meetings.tests.test_action_status import PNG

    unbounded = []

    def read(self):  # FileProxyMixin.read is a property returning the file's read
        def bounded(*args, **kwargs):
            if type(self) is InMemoryUploadedFile and not args and "size" not in kwargs:
                unbounded.append(self.name)
            return self.file.read(*args, **kwargs)

        return bounded

    monkeypatch.setattr(InMemoryUploadedFile, "read", property(read))
    action = founding["action"]
    response = client_for(personas.field_officer).post(
        f"/rapat/tindak-lanjut/{action.pk}/",
        {"status": "done", "note": "Selesai", "evidence": [SimpleUploadedFile("foto.png", PNG)]},
    )
    assert response.status_code == 302
    assert unbounded == []
    action.refresh_from_db()
    assert action.status == "done"
