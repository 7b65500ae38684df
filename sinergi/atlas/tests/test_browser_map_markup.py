"""An area name with markup (from a hostile or careless import) is shown as text on every map of
these apps, and its script never runs."""

import json

import pytest

from sinergi.areas.models import Area, AreaBoundary, Election
from sinergi.turnout.setup import election_prepare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x onerror="window.__xss=1">Tenggarong'


def _square(lng: float, lat: float, size: float = 0.05) -> str:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _tooltip_texts(page, selector: str) -> list[str]:
    page.wait_for_selector(f"{selector} path.leaflet-interactive")
    texts = []
    paths = page.locator(f"{selector} path.leaflet-interactive")
    for i in range(paths.count()):
        paths.nth(i).hover()
        page.wait_for_selector(".leaflet-tooltip")
        texts.append(page.locator(".leaflet-tooltip").last.inner_text())
        page.mouse.move(0, 0)
    return texts


@pytest.fixture
def hostile_name(world):
    Area.objects.filter(code="64.02.06").update(name=HOSTILE)
    for i, code in enumerate(["64.02.06", "64.02.05"]):
        AreaBoundary.objects.create(area_id=code, geometry=_square(116.9 + i * 0.1, -0.4))


@pytest.mark.parametrize(
    ("url", "selector"),
    [("/wilayah/64.02/", "#area-map"), ("/situasi/64.02/", "#situation-map"), ("/partisipasi/64.02/?pemilihan=pilbup-kukar-2024&titik=11", "#turnout-map")],
)
def test_area_name_with_markup_is_text_in_map_tooltips(hostile_name, personas, page, url, selector):
    election_prepare(Election.objects.get(slug="pilbup-kukar-2024"))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.sinergi_login("koordinator")
    page.goto(url)
    texts = _tooltip_texts(page, selector)
    assert any(HOSTILE in text for text in texts), texts
    assert page.locator(f"{selector} img, .leaflet-tooltip img").count() == 0
    assert page.evaluate("window.__xss") is None
    assert errors == []
