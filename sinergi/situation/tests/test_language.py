"""The room and the public page in both languages (issue 15): verdicts, cards, the attention list and
the public sections are English after the switch, numbers in each language's notation."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from sinergi.conftest import client_for
from sinergi.core.situation import Metric, Module
from sinergi.incidents.tests.factories import report_make
from sinergi.meetings.tests.factories import action_make, decision_make, meeting_make
from sinergi.situation import providers

pytestmark = pytest.mark.django_db

# Only the number's notation is under test here: a card with a value past a thousand.
BIG = SimpleNamespace(
    ABOUT=Module(label="Angka besar", order=900),
    readiness=lambda user, area: [Metric("big.tps", "TPS", 1447.5, "TPS", module="big")],
)


@pytest.fixture
def kukar_day(world, personas):
    meeting = meeting_make(personas.coordinator, title="Rakor Pilkada")
    decision = decision_make(personas.coordinator, meeting, "Seluruh TPS diamankan bersama TNI/Polri", public=True)
    action_make(personas.coordinator, decision, title="Petakan kerawanan")
    report_make(personas.coordinator, severity=4)
    real = {p.name: p.source for p in providers.discover()}
    with providers.only({"meetings": real["meetings"], "incidents": real["incidents"], "big": BIG}):
        yield


def _in(language: str, client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_room_in_indonesian_and_in_english(kukar_day, personas):
    html = _in("id", client_for(personas.coordinator)).get("/situasi/64.02/").content.decode()
    assert "Rapat &amp; tindak lanjut" in html and "Laporan kejadian" in html
    assert "Perlu perhatian" in html and "1 dari 1 tindak lanjut rapat yang terbuka lewat tenggat." in html
    assert "Tindak lanjut: Petakan kerawanan" in html and "1.447,5 TPS" in html
    assert "Terbuka, tingkat kritis" in html

    html = _in("en", client_for(personas.coordinator)).get("/situasi/64.02/").content.decode()
    assert "Meetings &amp; follow-ups" in html and "Incident reports" in html
    assert "Needs attention" in html and "1 of 1 open meeting follow-ups are overdue." in html
    assert "1 high or critical report(s) still being handled." in html
    assert "Follow-up: Petakan kerawanan" in html and "1,447.5 TPS" in html
    assert "Open, critical severity" in html and "Open meeting follow-ups" in html
    assert 'href="/situasi/publik/64.02/?bahasa=en"' in html  # the public page in the reader's language
    for indonesian in ("Tindak lanjut rapat terbuka", "Laporan terbuka", "Perlu perhatian sekarang", "lewat tenggat"):
        assert indonesian not in html


def test_the_public_page_in_indonesian_and_in_english(kukar_day):
    """One cached copy per URL: the language comes from `?bahasa=`, never from the cookie."""
    html = _in("en", Client()).get("/situasi/publik/64.02/").content.decode()
    assert "Keputusan rapat yang diumumkan" in html and "Laporan masyarakat dan petugas diterima" in html
    assert 'href="?bahasa=en"' in html
    response = Client().get("/situasi/publik/64.02/?bahasa=en")
    assert response["Content-Language"] == "en" and response["Cache-Control"].startswith("public")
    html = response.content.decode()
    assert "Published meeting decisions" in html and "Reports received from the public and officers" in html
    assert "Meetings &amp; follow-ups" in html and "Seluruh TPS diamankan bersama TNI/Polri" in html
    for indonesian in ("Keputusan rapat yang diumumkan", "Sedang ditangani", "Informasi publik Pilkada"):
        assert indonesian not in html
