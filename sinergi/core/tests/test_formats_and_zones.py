"""Numbers, dates and times as each reader reads them: Indonesian notation in Indonesian, English in
English, every time in the area's zone (WIB/WITA/WIT), on real pages. And a scan of the templates:
a date is shown with `|day`, a moment with `|local:area_code`, never with Django's raw `|date`/`|time`
(which show the server's zone, UTC, and one notation for every language)."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from sinergi.accounts.models import Notification
from sinergi.conftest import client_for
from sinergi.core.errors import Conflict
from sinergi.incidents.services import report_claim
from sinergi.incidents.tests.factories import bawaslu_analyst, kapolsek, report_make

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)
# Django's |date and |time filters; a machine format for a URL or an input (Y-m-d) is allowed.
RAW_DATE = re.compile(r"""\|(date|time)(?::(["'])(.*?)\2)?""")
MACHINE_FORMATS = {"Y-m-d", "YmdHi"}
# 27 November 2024, 09.05 WITA is 01.05 UTC.
MOMENT = datetime(2024, 11, 27, 1, 5, tzinfo=UTC)


def _in(language: str, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def raw_dates(text: str) -> list[str]:
    found = []
    for match in RAW_DATE.finditer(text):
        if match.group(3) not in MACHINE_FORMATS:
            found.append(f"line {text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}")
    return found


def test_the_scan_finds_raw_dates():
    assert raw_dates('{{ m.created_at|date:"d-m-Y H.i" }}') == ['line 1: |date:"d-m-Y H.i"']
    assert raw_dates("{{ m.created_at|time }}") == ["line 1: |time"]
    assert raw_dates("{% url 'x' r.report_date|date:'Y-m-d' %} {{ d|day }} {{ m|local:area.code }}") == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_shows_a_date_with_the_raw_date_filter(template: Path):
    assert raw_dates(template.read_text(encoding="utf-8")) == []


def test_filters_in_both_languages():
    template = Template(
        "{% load sinergi %}{{ n|num }} · {{ p|pct }} · {{ r|rupiah }} · {{ d|day }} · {{ d|day:'short' }} · {{ m|local:'64.02' }}"
    )
    values = Context({"n": 1447, "p": 70.98, "r": 103_660_000_000, "d": MOMENT.date(), "m": MOMENT})
    with translation.override("id"):
        assert template.render(values) == (
            "1.447 · 70,98 % · Rp 103.660.000.000 · 27 November 2024 · 27-11-2024 · 27-11-2024 09.05 WITA"
        )
    with translation.override("en"):
        assert template.render(values) == (
            "1,447 · 70.98 % · Rp 103,660,000,000 · November 27, 2024 · 11/27/2024 · 11/27/2024 09:05 WITA"
        )


def test_a_stored_code_is_shown_by_its_label():
    template = Template('{% load sinergi %}{{ r|label:"quality_rule" }} · {{ c|label:"channel" }} · {{ m|label:"module" }}')
    values = Context({"r": "off_schedule", "c": "public", "m": "incidents"})
    with translation.override("id"):
        shown = template.render(values)
    assert "off_schedule" not in shown and "public" not in shown and "incidents" not in shown
    assert shown.startswith("di luar jadwal · Formulir publik · ")


@pytest.mark.django_db
def test_the_area_page_in_indonesian_and_in_english(world, personas):
    client = client_for(personas.coordinator)
    indonesian = _in("id", client).get("/wilayah/64.02/").content.decode()
    assert "27 November 2024" in indonesian and "79,50 %" in indonesian
    english = _in("en", client).get("/wilayah/64.02/").content.decode()
    assert "November 27, 2024" in english and "79.50 %" in english
    assert "79,50 %" not in english


@pytest.mark.django_db
def test_notifications_are_shown_in_the_zone_of_the_users_area(world, personas):
    """Kukar is WITA: a notification at 01.05 UTC reads 09.05 WITA, not 08.05 WIB."""
    note = Notification.objects.create(user=personas.coordinator, title="Eskalasi laporan", source="incidents")
    Notification.objects.filter(pk=note.pk).update(created_at=MOMENT)
    page = client_for(personas.coordinator).get("/akun/notifikasi/").content.decode()
    assert "27-11-2024 09.05 WITA" in page
    assert "WIB" not in page.replace("WITA", "")
    assert "incidents" not in page.split('id="notifications"')[1]  # the module by its label


@pytest.mark.django_db
def test_a_claim_lock_expiry_is_shown_in_the_areas_zone(world, personas):
    police, analyst = kapolsek(), bawaslu_analyst()
    report = report_make(personas.field_officer)
    report_claim(report_id=report.pk, actor=police, minutes=15, now=MOMENT)
    with translation.override("id"), pytest.raises(Conflict) as refused:
        report_claim(report_id=report.pk, actor=analyst, now=MOMENT + timedelta(minutes=1))
    assert "09.20 WITA" in str(refused.value.detail) and "UTC" not in str(refused.value.detail)
    note = report.events.get(kind="claimed").note
    assert "09.20 WITA" in note and "UTC" not in note


def _message_page(level: int, text: str) -> str:
    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    messages.add_message(request, level, text)
    body = Template('{% extends "base.html" %}').render(
        Context({"messages": messages.get_messages(request), "request": request, "user": None})
    )
    return body.split('<ul class="messages">')[1].split("</ul>")[0]


def test_warnings_look_like_warnings():
    with translation.override("id"):
        warning = _message_page(messages.WARNING, "Tersimpan dengan peringatan")
        success = _message_page(messages.SUCCESS, "Tersimpan")
        error = _message_page(messages.ERROR, "Gagal disimpan")
    assert 'class="message warning"' in warning and 'role="alert"' in warning and "Peringatan" in warning
    assert 'class="message success"' in success and 'role="status"' in success and "Berhasil" in success
    assert 'class="message error"' in error and "Gagal" in error
    css = (ROOT / "core/static/core/sinergi.css").read_text()
    backgrounds = {re.findall(rf"\.messages li\.{level} {{[^}}]*background:([^;]+);", css)[0] for level in ("success", "warning", "error")}
    assert len(backgrounds) == 3


@pytest.mark.django_db
def test_the_room_and_the_public_page_switch_to_english(world, personas):
    client = _in("en", client_for(personas.coordinator))
    room = client.get("/situasi/64.02/").content.decode()
    assert "Needs attention now" in room and "Readiness" in room and "November 27, 2024" in room
    assert "Perlu perhatian sekarang" not in room and "Kesiapan" not in room
    # A public page takes its language from the address (one cached copy per URL), not the cookie.
    public = client.get("/situasi/publik/64.02/?bahasa=en").content.decode()
    assert "Pilkada public information" in public and "Areas within" in public
    assert "Informasi publik Pilkada" not in public and "Wilayah di bawahnya" not in public
