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
    page.wait_for_selector("#incident-map[data-points='1']")
    assert page.locator("#incident-map path.leaflet-interactive").count() == 3  # two areas and one point
    assert "2 laporan terbuka" in page.inner_text("#map-summary")
    page.wait_for_load_state("networkidle")  # no request in flight when the database is flushed


def test_area_and_category_names_with_markup_render_as_text(personas, page):
    from sinergi.areas.models import Area
    from sinergi.incidents.models import Category

    markup = '<img src=x onerror="window.__xss=1">'
    Area.objects.filter(code="64.02.06").update(name=markup + "Tenggarong")
    Category.objects.filter(code="intimidasi-kekerasan").update(name=markup + "Intimidasi")
    AreaBoundary.objects.create(area_id="64.02.06", geometry=_square(116.9, -0.5))
    PollingStation.objects.filter(code=TENGGARONG_TPS).update(lat=-0.32, lng=117.08)
    report_make(personas.coordinator, area_code=TENGGARONG_TPS)
    page.sinergi_login("koordinator")
    page.goto("/laporan/peta/?area=64.02")
    page.wait_for_selector("#incident-map[data-points='1']")
    page.wait_for_selector("#incident-map[data-features='1']")
    area = page.locator("#incident-map path.leaflet-interactive:not(.report-point)")
    box = area.bounding_box()
    assert box is not None
    area.hover(position={"x": 10, "y": box["height"] - 10})
    page.wait_for_selector(".leaflet-tooltip")
    tooltip = page.locator(".leaflet-tooltip").first
    assert markup + "Tenggarong" in tooltip.inner_text()
    assert page.locator(".leaflet-tooltip img").count() == 0
    page.locator("#incident-map path.report-point").hover()
    page.wait_for_selector(".leaflet-tooltip:has-text('Intimidasi (baru)')")
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    page.wait_for_load_state("networkidle")
