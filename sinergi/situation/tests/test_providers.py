import logging

import pytest

from sinergi.conftest import client_for
from sinergi.situation import providers
from sinergi.situation.room import room_build
from sinergi.situation.tests.fakes import BROKEN, RISK, WRONG_SHAPE

pytestmark = pytest.mark.django_db


def test_discovery_finds_app_providers_and_never_plumbing():
    names = {p.name for p in providers.discover()}
    assert "meetings" in names
    assert not names & {"core", "areas", "accounts", "situation"}


def test_a_broken_provider_is_logged_and_left_out(world, personas, caplog):
    from sinergi.areas.models import Area

    with providers.only({"risk": RISK, "incidents": BROKEN, "grants": WRONG_SHAPE}), caplog.at_level(logging.ERROR):
        room = room_build(personas.coordinator, Area.objects.get(code="64.02"))
    assert [s.module for s in room.readiness] == ["risk"]
    assert room.failed == ["incidents"]
    assert [a.title for a in room.attention] == ["Kerusuhan di TPS 012", "TPS 005 belum dinilai"]
    assert "incidents.readiness failed" in caplog.text and "grants.readiness returned items" in caplog.text


def test_the_page_survives_a_broken_provider(world, personas):
    with providers.only({"risk": RISK, "incidents": BROKEN}):
        page = client_for(personas.coordinator).get("/situasi/64.02/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kerusuhan di TPS 012" in html and 'id="failed-modules"' in html and "incidents" in html


def test_a_provider_that_fails_to_import_is_absent(monkeypatch, caplog):
    def boom(name):
        raise ImportError("syntax error in situation.py")

    monkeypatch.setattr(providers, "import_module", boom)
    monkeypatch.setattr(providers, "find_spec", lambda name: object())
    monkeypatch.setattr(providers, "_import_failures", [])
    with caplog.at_level(logging.ERROR):
        assert providers._load("sinergi.risk") is None
    assert providers._import_failures == ["risk"]
    assert "failed to import" in caplog.text


def test_registered_providers_join_the_discovered_ones(world, personas):
    from sinergi.areas.models import Area

    providers.register("plugin", RISK)
    try:
        room = room_build(personas.coordinator, Area.objects.get(code="64.02"))
    finally:
        providers.unregister("plugin")
    assert "plugin" in {s.module for s in room.readiness}
    assert "plugin" not in {p.name for p in providers.providers()}
