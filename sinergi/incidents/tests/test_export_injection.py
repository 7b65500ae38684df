"""Reporter text never becomes a live formula in the CSV or XLSX an official opens."""

import csv
import io

import pytest
from openpyxl import load_workbook

from sinergi.conftest import client_for
from sinergi.core.models import Channel
from sinergi.incidents.tests.factories import report_make, streamed

PAYLOAD = "=cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_public_report_text_is_inert_in_csv_and_xlsx(personas):
    report_make(None, channel=Channel.PUBLIC, contact=PAYLOAD, description="+SUM(1,2) dibagikan amplop")
    client = client_for(personas.coordinator)

    book = load_workbook(io.BytesIO(client.get("/laporan/ekspor.xlsx").content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    assert row["Kontak pelapor"].value == "'" + PAYLOAD
    assert row["Uraian"].value.startswith("'+SUM")

    rows = list(csv.DictReader(io.StringIO(streamed(client.get("/laporan/ekspor.csv")))))
    assert rows[0]["reporter_contact"] == "'" + PAYLOAD
    assert rows[0]["description"].startswith("'+SUM")
