"""Breadcrumbs read from the nation down: Indonesia > Kalimantan Timur > Kutai Kartanegara > ...
(ordered by code, `ID` came after the digits: "Kalimantan Timur > … > Indonesia > Tenggarong")."""

import re

import pytest

from sinergi.areas.models import Area
from sinergi.atlas.selectors import area_breadcrumbs
from sinergi.conftest import client_for
from sinergi.turnout.selectors import breadcrumbs as turnout_breadcrumbs

pytestmark = pytest.mark.django_db

TOP_DOWN = ["Indonesia", "Kalimantan Timur", "Kabupaten Kutai Kartanegara", "Tenggarong"]
CRUMBS = re.compile(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', re.S)


def crumbs(html: str) -> list[str]:
    found = CRUMBS.search(html)
    assert found, "page has no breadcrumbs"
    return [re.sub(r"<[^>]+>", "", part).strip() for part in found.group(1).split("›")]


def test_selectors_give_ancestors_from_the_nation_down(personas):
    desa = Area.objects.get(code="64.02.06.1001")
    admin = personas.national_admin
    assert [a.name for a in area_breadcrumbs(admin, desa)] == TOP_DOWN
    assert [a.name for a in turnout_breadcrumbs(admin, desa)] == TOP_DOWN


@pytest.mark.parametrize(
    "url",
    ["/wilayah/64.02.06.1001/", "/wilayah/64.02.06.1001/tps/", "/situasi/64.02.06.1001/", "/wilayah/tps/64.02.06.1001.001/"],
)
def test_pages_show_breadcrumbs_top_down(personas, url):
    response = client_for(personas.national_admin).get(url)
    assert response.status_code == 200
    shown = crumbs(response.content.decode())
    assert shown[: len(TOP_DOWN)] == TOP_DOWN
    assert shown[-1] in ("Sukarame", "64.02.06.1001.001")


def test_a_kecamatan_officer_sees_only_the_crumbs_it_may_open(personas):
    page = client_for(personas.field_officer).get("/wilayah/64.02.06.1001/").content.decode()
    assert crumbs(page) == ["Tenggarong", "Sukarame"]
