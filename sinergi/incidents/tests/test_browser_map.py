import json

import pytest

from sinergi.areas.models import AreaBoundary, PollingStation
from sinergi.incidents.tests.factories import MUARA_BADAK_TPS, TENGGARONG_TPS, report_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _square(lng: float, lat: float, size: float = 0.2) -> str:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_map_colours_kecamatan_by_open_reports_and_shows_points(personas, page):
    AreaBoundary.objects.create(area_id="64.02.06", geometry=_square(116.9, -0.5))
    AreaBoundary.objects.create(area_id="64.02.05", geometry=_square(117.2, -0.3))
    PollingStation.objects.filter(code=TENGGARONG_TPS).update(lat=-0.42, lng=116.98)
    report_make(personas.coordinator, area_code=TENGGARONG_TPS)
    report_make(personas.coordinator, area_code=MUARA_BADAK_TPS)
    page.sinergi_login("koordinator")
    page.goto("/laporan/peta/?area=64.02")
    page.wait_for_selector("#incident-map path.leaflet-interactive")
    page.wait_for_function("document.getElementById('incident-map').dataset.points === '1'")
    assert page.locator("#incident-map path.leaflet-interactive").count() == 3  # two areas and one point
    assert "2 laporan terbuka" in page.inner_text("#map-summary")
    page.wait_for_load_state("networkidle")  # no request in flight when the database is flushed
