import json
from pathlib import Path

import pytest

from sinergi.areas.models import AreaBoundary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _square(lng: float, lat: float, size: float = 0.05) -> str:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_coordinator_drills_from_kukar_to_a_desa_and_sees_tps_and_map(personas, page, tmp_path: Path):
    for i, code in enumerate(["64.02.06", "64.02.05", "64.02.06.1001", "64.02.06.2001"]):
        AreaBoundary.objects.create(area_id=code, geometry=_square(116.9 + i * 0.1, -0.4))
    page.sinergi_login("koordinator")
    page.goto("/wilayah/64.02/")
    page.wait_for_selector("#area-map path.leaflet-interactive")
    assert page.locator("#area-map path.leaflet-interactive").count() == 2
    page.click("#children-table >> text=Tenggarong")
    page.wait_for_url("**/wilayah/64.02.06/")
    page.click("#children-table >> text=Sukarame")
    page.wait_for_url("**/wilayah/64.02.06.1001/")
    assert page.locator("#tps-table tbody tr").count() == 3
    assert "TPS 001" in page.inner_text("#tps-table")
    page.wait_for_selector("#area-map path.leaflet-interactive")
    page.screenshot(path=str(tmp_path / "desa.png"))
