"""In real Chromium: open the Kukar risk map, click a kecamatan, see its breakdown."""

import json

import pytest

from sinergi.areas.models import AreaBoundary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def square(lng: float, lat: float) -> str:
    ring = [[lng, lat], [lng + 0.2, lat], [lng + 0.2, lat + 0.2], [lng, lat + 0.2], [lng, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_click_a_kecamatan_shows_its_breakdown(filled, page):
    AreaBoundary.objects.create(area_id="64.02.05", geometry=square(117.2, -0.4))
    AreaBoundary.objects.create(area_id="64.02.06", geometry=square(116.9, -0.4))
    page.sinergi_login("koordinator")
    page.goto("/kerawanan/wilayah/64.02/")
    page.wait_for_selector("#risk-map[data-features='2']")
    assert "Klik wilayah" in page.inner_text("#breakdown")
    page.locator("#risk-map path.leaflet-interactive").nth(1).click()
    page.wait_for_selector("#breakdown-name")
    assert page.inner_text("#breakdown-name") == "Tenggarong"
    text = page.inner_text("#breakdown")
    assert "Keamanan" in text and "TPS rawan dari" in text
    page.click("#breakdown a.btn")
    page.wait_for_url("**/kerawanan/wilayah/64.02.06/**")
    assert "Tenggarong" in page.inner_text("h1")


def test_an_area_name_with_markup_stays_text_in_the_tooltip_and_panel(filled, page):
    from sinergi.areas.models import Area

    hostile = '<img src=x onerror="window.__pwned=1">Tenggarong'
    Area.objects.filter(code="64.02.06").update(name=hostile)
    AreaBoundary.objects.create(area_id="64.02.06", geometry=square(116.9, -0.4))
    page.sinergi_login("koordinator")
    page.goto("/kerawanan/wilayah/64.02/")
    page.wait_for_selector("#risk-map[data-features='1']")
    shape = page.locator("#risk-map path.leaflet-interactive").first
    shape.hover()
    page.wait_for_selector(".leaflet-tooltip")
    assert hostile in page.inner_text(".leaflet-tooltip")
    shape.click()
    page.wait_for_selector("#breakdown-name")
    assert page.inner_text("#breakdown-name") == hostile
    assert page.locator("#risk-map img, #breakdown img").count() == 0
    assert page.evaluate("window.__pwned") is None
