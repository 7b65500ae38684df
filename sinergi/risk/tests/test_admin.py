"""Instruments are edited without code: the admin pages load and the versioning action works."""

from sinergi.conftest import client_for
from sinergi.risk.models import Instrument


def test_admin_edits_instruments_and_copies_a_version(filled, personas):
    client = client_for(personas.national_admin)
    instrument = filled.instrument
    assert client.get(f"/admin/risk/instrument/{instrument.pk}/change/").status_code == 200
    response = client.post(
        "/admin/risk/instrument/", {"action": "new_version", "_selected_action": [instrument.pk]}, follow=True
    )
    assert response.status_code == 200
    assert Instrument.objects.filter(slug=instrument.slug, version=2).exists()
    response = client.post(
        "/admin/risk/assessmentround/", {"action": "recompute", "_selected_action": [filled.pk]}, follow=True
    )
    assert "9 TPS" in response.content.decode()
