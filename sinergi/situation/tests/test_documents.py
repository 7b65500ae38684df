"""The daily report's files in both languages, from a snapshot (no database)."""

from io import BytesIO

from django.utils import translation
from openpyxl import load_workbook

from sinergi.situation.documents import report_pdf, report_xlsx
from sinergi.situation.snapshot import empty_snapshot
from sinergi.situation.tests.test_reports import pdf_text


def _snapshot() -> dict:
    snapshot = empty_snapshot("64.02", "Kabupaten Kutai Kartanegara", "2024-11-27")
    metric = {"key": "risk.x", "label": "TPS sudah dinilai", "value": 1447.5, "unit": "%", "status": "warn", "url": ""}
    snapshot["sections"] = [{"module": "risk", "label": "Kerawanan TPS", "live": False, "metrics": [metric]}]
    snapshot["layers"] = [{"key": "risk.rawan", "label": "TPS rawan", "unit": "TPS"}]
    snapshot["children"] = [{"code": "64.02.06", "name": "Tenggarong", "values": {"risk.rawan": 1200}}]
    return snapshot


def test_the_report_pdf_is_in_the_active_language_with_its_numbers():
    indonesian = pdf_text(report_pdf(_snapshot()))
    for expected in ["LAPORAN SITUASI HARIAN", "Tanggal 27-11-2024", "1.447,5 %", "Perlu perhatian", "1.200 TPS", "Halaman 1"]:
        assert expected in indonesian, expected
    with translation.override("en"):
        english = pdf_text(report_pdf(_snapshot()))
    for expected in ["DAILY SITUATION REPORT", "Date 11/27/2024", "1,447.5 %", "Needs attention", "1,200 TPS", "Page 1"]:
        assert expected in english, expected


def test_the_report_xlsx_headers_follow_the_language_and_values_stay_numbers():
    with translation.override("en"):
        book = load_workbook(BytesIO(report_xlsx(_snapshot())))
    assert book.sheetnames == ["Summary", "Needs attention", "By area"]
    rows = list(book["Summary"].iter_rows(values_only=True))
    assert rows[3] == ("Module", "Measure", "Value", "Unit", "Status")
    assert rows[4] == ("Kerawanan TPS", "TPS sudah dinilai", 1447.5, "%", "Needs attention")
    assert list(book["By area"].iter_rows(values_only=True))[1] == ("64.02.06", "Tenggarong", 1200)
