"""Areas a newer Kemendagri edition dropped: kept (reachable by their code, marked retired) but no
longer counted in their parent's roll-ups, listed among its children or offered in pickers.

The example of issue 15: Papua Barat lost six kabupaten to Papua Barat Daya, and its page still
showed 13 children where 7 were active.
"""

from pathlib import Path

import pytest
from django.db.models import Sum

from sinergi.areas import rollup
from sinergi.areas.area_import import import_areas
from sinergi.areas.models import Area
from sinergi.areas.tps_import import import_tps
from sinergi.conftest import client_for
from sinergi.core.errors import ImportFailed
from testkit.builders import polling_station_make

HEADER = "code,name,level,parent_code,type\n"
EDITION_2022 = HEADER + (
    "92,Papua Barat,provinsi,,\n"
    "92.01,Kabupaten Sorong,kabupaten_kota,92,kabupaten\n"
    "92.01.01,Aimas,kecamatan,92.01,\n"
    "92.01.01.2001,Malawele,desa_kelurahan,92.01.01,desa\n"
    "92.02,Kabupaten Manokwari,kabupaten_kota,92,kabupaten\n"
    "92.02.01,Manokwari Barat,kecamatan,92.02,\n"
    "92.02.01.1001,Amban,desa_kelurahan,92.02.01,kelurahan\n"
    "92.03,Kabupaten Fakfak,kabupaten_kota,92,kabupaten\n"
)
# The next edition moves Sorong to Papua Barat Daya (96): under 92 its codes are retired.
EDITION_2025 = HEADER + (
    "92,Papua Barat,provinsi,,\n"
    "92.02,Kabupaten Manokwari,kabupaten_kota,92,kabupaten\n"
    "92.02.01,Manokwari Barat,kecamatan,92.02,\n"
    "92.02.01.1001,Amban,desa_kelurahan,92.02.01,kelurahan\n"
    "92.03,Kabupaten Fakfak,kabupaten_kota,92,kabupaten\n"
    "96,Papua Barat Daya,provinsi,,\n"
    "96.01,Kabupaten Sorong,kabupaten_kota,96,kabupaten\n"
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def papua(tmp_path: Path, personas):
    import_areas(_write(tmp_path, "2022.csv", EDITION_2022))
    polling_station_make("92.01.01.2001", 1)  # Malawele: TPS in what the next edition retires
    polling_station_make("92.02.01.1001", 1)
    polling_station_make("92.02.01.1001", 2)
    rollup.recompute()
    assert Area.objects.get(code="92").tps_count == 3
    result = import_areas(_write(tmp_path, "2025.csv", EDITION_2025))
    assert set(result.kept_inactive) == {"92.01", "92.01.01", "92.01.01.2001"}
    return client_for(personas.national_admin)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_retired_areas_leave_the_parents_counts(papua):
    province = Area.objects.get(code="92")
    assert (province.children_count, province.tps_count) == (2, 2)
    active_provinces = Area.objects.active().filter(level="provinsi").aggregate(n=Sum("tps_count"))["n"]
    assert Area.objects.get(code="ID").tps_count == active_provinces
    # The retired desa keeps its own TPS (its page still tells the truth about it).
    assert Area.objects.get(code="92.01.01.2001").tps_count == 1


def test_child_lists_show_only_active_children(papua):
    page = papua.get("/wilayah/92/").content.decode()
    assert "Kabupaten Manokwari" in page and "Kabupaten Fakfak" in page
    assert "/wilayah/92.01/" not in page
    body = papua.get("/api/v1/areas/92/children").json()
    assert body["count"] == 2
    assert [a["code"] for a in body["items"]] == ["92.02", "92.03"]


def test_retired_area_is_reachable_by_code_and_marked_retired(papua):
    response = papua.get("/wilayah/92.01/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="retired"' in page and "tidak berlaku lagi" in page
    assert papua.get("/api/v1/areas/92.01").json()["is_active"] is False
    papua.post("/i18n/setlang/", {"language": "en"})
    english = papua.get("/wilayah/92.01/").content.decode()
    assert '<span class="badge warn" id="retired">retired</span>' in english
    assert 'id="retired"' not in papua.get("/wilayah/92.02/").content.decode()


def test_pickers_and_search_leave_retired_areas_out(papua, tmp_path):
    search = papua.get("/laporan/publik/?cari=Malawele").content.decode()
    assert "92.01.01.2001" not in search
    assert "92.02.01.1001" in papua.get("/laporan/publik/?cari=Amban").content.decode()
    tps = tmp_path / "tps.csv"
    tps.write_text(
        "tps_code,dpt_male,dpt_female,dpt_total,special,lat,lng,address\n92.01.01.2001.002,100,100,200,0,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed):
        import_tps(tps)
