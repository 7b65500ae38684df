import csv
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


@pytest.mark.django_db
def test_xlsx_shows_local_times_and_labels_while_csv_keeps_utc_and_codes(personas):
    import datetime as dt

    from django.conf import settings

    moment = dt.datetime(2024, 11, 27, 5, 30, tzinfo=dt.UTC)  # 13.30 WITA in Kukar
    report_make(personas.coordinator, severity=4, now=moment, occurred_at=moment - dt.timedelta(hours=1))
    client = client_for(personas.coordinator)
    sheet = load_workbook(io.BytesIO(client.get("/laporan/ekspor.xlsx").content)).active
    row = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert row["Diterima"].value == dt.datetime(2024, 11, 27, 13, 30) and row["Zona waktu"].value == "WITA"
    assert row["Diterima"].number_format == "DD-MM-YYYY HH:MM" and row["Terjadi"].value.hour == 12
    assert row["Tingkat"].value != "4" and row["Status"].value != "new"  # labels, not codes
    csv_row = next(csv.DictReader(io.StringIO(streamed(client.get("/laporan/ekspor.csv")))))
    assert csv_row["received_at_utc"] == "2024-11-27T05:30:00+00:00" and csv_row["severity"] == "4"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = load_workbook(io.BytesIO(client.get("/laporan/ekspor.xlsx").content)).active
    header = [c.value for c in english[1]]
    assert header[:5] == ["ID", "Tracking code", "Received", "Occurred", "Time zone"]
    assert english[2][2].number_format == "MM/DD/YYYY HH:MM"
