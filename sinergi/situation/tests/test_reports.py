from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.conftest import client_for
from sinergi.situation import providers
from sinergi.situation.models import DailyReport
from sinergi.situation.services import daily_report_generate
from sinergi.situation.tests.toy_modules import BROKEN, SAMPLE

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def test_report_pdf_and_xlsx_carry_the_rooms_numbers(world, personas):
    with providers.only({"contoh": SAMPLE, "rusak": BROKEN}):
        report = daily_report_generate(area_code="64.02", actor=personas.coordinator)
    text = pdf_text(report.pdf.read())
    for expected in [
        "LAPORAN SITUASI HARIAN",
        "Kabupaten Kutai Kartanegara (64.02)",
        "Kerawanan TPS",
        "TPS sudah dinilai",
        "87,5 %",
        "12 TPS",
        "Kerusuhan di TPS 012",
        "Tenggarong",
        "tidak tersedia saat laporan dibuat: rusak",
    ]:
        assert expected in text, expected
    book = load_workbook(BytesIO(report.xlsx.read()))
    assert book.sheetnames == ["Ringkasan", "Perlu perhatian", "Per wilayah"]
    rows = [[c.value for c in row] for row in book["Ringkasan"].iter_rows(min_row=5)]
    assert ["Kerawanan TPS", "TPS sudah dinilai", 87.5, "%", "Perlu perhatian"] in rows
    assert [c.value for c in book["Perlu perhatian"][2]][:2] == [90, "Kerusuhan di TPS 012"]


def test_same_day_regeneration_replaces_the_files(world, personas, django_capture_on_commit_callbacks):
    with providers.only({"contoh": SAMPLE}), django_capture_on_commit_callbacks(execute=True):
        first = daily_report_generate(area_code="64.02", actor=personas.coordinator)
        first_pdf = first.pdf.name
        second = daily_report_generate(area_code="64.02")
    assert DailyReport.objects.count() == 1 and first.pk == second.pk
    assert second.generated_by is None
    storage = second.pdf.storage
    assert first_pdf != second.pdf.name and not storage.exists(first_pdf) and storage.exists(second.pdf.name)


def test_command_for_one_area_and_for_all_regencies(world, capsys):
    with providers.only({"contoh": SAMPLE}):
        call_command("daily_situation_report", "--area", "64.02")
        assert DailyReport.objects.filter(area_id="64.02").exists()
        call_command("daily_situation_report", "--all-regencies")
    assert set(DailyReport.objects.values_list("area_id", flat=True)) == {"64.02", "64.72", "64.74"}
    with pytest.raises(CommandError, match=r"99\.99"):
        call_command("daily_situation_report", "--area", "99.99")
    with pytest.raises(CommandError):
        call_command("daily_situation_report")


def test_morning_job_fans_out_one_report_per_regency_of_its_zone(world):
    from sinergi.core.timezones import WIB, WITA
    from sinergi.situation.jobs import morning_reports

    with providers.only({"contoh": SAMPLE}):
        assert morning_reports(zone=WIB) == 0  # Kalimantan Timur is WITA: its 06.00 is another instance
        assert morning_reports(zone=WITA) == 3
    assert DailyReport.objects.count() == 3


def test_download_and_generate_pages(world, personas, observer):
    boss = client_for(personas.coordinator)
    with providers.only({"contoh": SAMPLE}):
        assert client_for(observer).post("/situasi/64.02/laporan/buat/").status_code == 403
        assert boss.post("/situasi/64.02/laporan/buat/").status_code == 302
        report = DailyReport.objects.get()
        day = f"{report.report_date:%Y-%m-%d}"
        pdf = client_for(observer).get(f"/situasi/64.02/laporan/{day}.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert "TPS sudah dinilai" in pdf_text(pdf.getvalue())
        xlsx = boss.get(f"/situasi/64.02/laporan/{day}.xlsx")
        assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("spreadsheetml.sheet")
        assert boss.get(f"/situasi/64.02/laporan/{day}.exe").status_code == 404
        assert boss.get("/situasi/64.02/laporan/2020-01-01.pdf").status_code == 404
    listing = boss.get("/situasi/64.02/laporan/").content.decode()
    assert f"{report.report_date:%d-%m-%Y}" in listing
