import logging

import pytest

from sinergi.conftest import client_for
from sinergi.situation import providers
from sinergi.situation.room import room_build
from sinergi.situation.tests.toy_modules import BROKEN, SAMPLE, WRONG_SHAPE

pytestmark = pytest.mark.django_db


def test_discovery_finds_app_providers_and_never_plumbing():
    names = {p.name for p in providers.discover()}
    assert "meetings" in names
    assert not names & {"core", "areas", "accounts", "situation"}


def test_a_broken_provider_is_logged_and_left_out(world, personas, caplog):
    from sinergi.areas.models import Area

    with providers.only({"contoh": SAMPLE, "rusak": BROKEN, "salah": WRONG_SHAPE}), caplog.at_level(logging.ERROR):
        room = room_build(personas.coordinator, Area.objects.get(code="64.02"))
    assert [s.module for s in room.readiness] == ["contoh"]
    assert room.failed == ["rusak"]
    assert [a.title for a in room.attention] == ["Kerusuhan di TPS 012", "TPS 005 belum dinilai"]
    assert "rusak.readiness failed" in caplog.text and "salah.readiness returned items" in caplog.text


def test_the_page_survives_a_broken_provider(world, personas):
    with providers.only({"contoh": SAMPLE, "rusak": BROKEN}):
        page = client_for(personas.coordinator).get("/situasi/64.02/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kerusuhan di TPS 012" in html and 'id="failed-modules"' in html and "rusak" in html


def test_a_provider_that_fails_to_import_is_absent(monkeypatch, caplog):
    monkeypatch.setattr(providers, "_import_failures", [])
    with caplog.at_level(logging.ERROR):
        assert providers._load("sinergi.situation.tests.broken_module") is None
    assert providers._import_failures == ["broken_module"]
    assert "failed to import" in caplog.text


def test_registered_providers_join_the_discovered_ones(world, personas):
    from sinergi.areas.models import Area

    providers.register("plugin", SAMPLE)
    try:
        room = room_build(personas.coordinator, Area.objects.get(code="64.02"))
    finally:
        providers.unregister("plugin")
    assert "plugin" in {s.module for s in room.readiness}
    assert "plugin" not in {p.name for p in providers.providers()}
