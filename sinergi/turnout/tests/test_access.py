"""The outsider (KPU Samarinda) gets 404 on every page and endpoint of the module for Kukar."""

import pytest

from sinergi.conftest import client_for
from sinergi.turnout.models import Slot
from sinergi.turnout.tests.conftest import TPS

pytestmark = pytest.mark.django_db

PAGES = ["", "live/", "belum-lapor/", "tinjau/", "lapor/", "sosialisasi/"]


@pytest.mark.parametrize("suffix", PAGES)
def test_outsider_gets_404_on_pages(election, personas, suffix):
    assert client_for(personas.outsider).get(f"/partisipasi/64.02/{suffix}").status_code == 404


def test_outsider_gets_404_on_slot_pages(election, personas):
    slot = Slot.objects.filter(tps_id=TPS).get(checkpoint__code="09")
    client = client_for(personas.outsider)
    assert client.get(f"/partisipasi/slot/{slot.pk}/").status_code == 404
    assert client.post(f"/partisipasi/slot/{slot.pk}/terima/").status_code == 404
    assert client.post(f"/partisipasi/slot/{slot.pk}/koreksi/", {"voters": 1, "note": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/turnout/areas/64.02"),
        ("get", "/api/v1/turnout/areas/64.02/children"),
        ("get", "/api/v1/turnout/areas/64.02/missing"),
        ("post", "/api/v1/turnout/reports"),
        ("post", "/api/v1/turnout/noop"),
    ],
)
def test_outsider_gets_404_on_endpoints(election, personas, bearer, method, url):
    body = {"tps_code": TPS, "checkpoint": "09", "voters": 1}
    call = getattr(client_for(personas.outsider), method)
    response = call(url, body, content_type="application/json") if method == "post" else call(url)
    assert response.status_code == 404, response.content


@pytest.mark.parametrize("suffix", PAGES)
def test_everyone_with_a_role_in_the_area_reads(election, personas, suffix):
    code = "64.02.06"
    response = client_for(personas.field_officer).get(f"/partisipasi/{code}/{suffix}")
    assert response.status_code == (403 if suffix == "lapor/" else 200)


def test_public_page_needs_no_login_and_shows_totals(client, election):
    response = client.get("/partisipasi/publik/64.02/")
    assert response.status_code == 200
    assert b"public-turnout" in response.content and b"slot/" not in response.content
    assert "csrftoken" not in response.cookies


def test_public_page_is_served_from_cache(client, election, django_assert_num_queries):
    first = client.get("/partisipasi/publik/64.02/")
    assert first.status_code == 200 and "Kabupaten Kutai Kartanegara" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get("/partisipasi/publik/64.02/")
    assert again.status_code == 200 and again.content == first.content  # the same page, from the cache
