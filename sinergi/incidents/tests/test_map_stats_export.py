import io

import pytest
from openpyxl import load_workbook

from sinergi.conftest import client_for
from sinergi.incidents.tests.factories import MUARA_BADAK_TPS, TENGGARONG_TPS, report_make, streamed


@pytest.mark.django_db
def test_map_data_counts_open_reports_per_child_and_lists_points(personas, django_assert_max_num_queries):
    report_make(personas.coordinator, area_code=TENGGARONG_TPS)
    report_make(personas.coordinator, area_code="64.02.06.1001", description="Ancaman kedua di desa")
    report_make(personas.coordinator, area_code=MUARA_BADAK_TPS)
    client = client_for(personas.coordinator)
    with django_assert_max_num_queries(7):
        body = client.get("/laporan/peta/data/?area=64.02").json()
    assert body["counts"] == {"64.02.06": 2, "64.02.05": 1}
    assert client.get("/laporan/peta/?area=64.02").status_code == 200


@pytest.mark.django_db
def test_statistics_by_category_area_and_day(personas):
    report_make(personas.coordinator, category="politik-uang")
    report_make(personas.coordinator, category="politik-uang", description="Amplop lagi dibagikan")
    report_make(personas.coordinator, category="bencana", area_code=MUARA_BADAK_TPS)
    page = client_for(personas.coordinator).get("/laporan/statistik/?area=64.02").content.decode()
    assert 'Politik uang</td><td class="num">2</td>' in page
    assert 'Tenggarong</a></td><td class="num">2' in page and 'Muara Badak</a></td><td class="num">1' in page


@pytest.mark.django_db
def test_exports_follow_the_filters(personas):
    report_make(personas.coordinator, category="politik-uang")
    report_make(personas.coordinator, category="bencana", area_code=MUARA_BADAK_TPS)
    client = client_for(personas.coordinator)
    csv_text = streamed(client.get("/laporan/ekspor.csv?area=64.02.05"))
    lines = csv_text.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("id,tracking_code") and "64.02.05.2001" in lines[1]
    book = load_workbook(io.BytesIO(client.get("/laporan/ekspor.xlsx").content))
    assert book.active.max_row == 3
    assert client.get("/laporan/ekspor.pdf").status_code == 404
