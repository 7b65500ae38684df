"""Roster pages: who sees what, the upload-preview-confirm import, exports, the QR activation sheet."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.conftest import client_for
from sinergi.people.models import ActivationLink, Person
from sinergi.people.roster_import import import_people
from sinergi.people.tests.conftest import HEADER, SUKARAME, kpps_row

pytestmark = pytest.mark.django_db


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def roster(bodies, csv_file, roster_users):
    rows = (
        kpps_row("Siti Rahmawati", "0812-1111-0001", 1)
        + kpps_row("Budi Santoso", "0812-1111-0002; 0813-2222-0002", 2)
        + kpps_row("Ani Lestari", "0812-1111-0003", 3, role="petugas_lapangan", agency="ptps-sukarame")
        + kpps_row("=HYPERLINK(evil)", "0812-1111-0004", 1, role="petugas_lapangan", agency="pkd-sukarame", tps_code="")
    )
    import_people(csv_file(HEADER + rows))
    return roster_users


def test_who_reads_the_roster(roster):
    url = f"/orang/wilayah/{SUKARAME}/"
    coordinator = client_for(roster["coordinator"]).get(url).content.decode()
    assert "Siti Rahmawati" in coordinator and "0812-1111-0001" in coordinator and "Ani Lestari" in coordinator
    observer = client_for(roster["observer"]).get(url).content.decode()
    assert "Siti Rahmawati" in observer and "0812-1111-0001" not in observer and "0812-****-0001" in observer
    kpu = client_for(roster["kpu"]).get(url).content.decode()
    assert "Siti Rahmawati" in kpu and "Ani Lestari" not in kpu  # a PTPS is Bawaslu's
    bawaslu = client_for(roster["bawaslu"]).get(url).content.decode()
    assert "Ani Lestari" in bawaslu and "Siti Rahmawati" not in bawaslu
    assert client_for(roster["outsider"]).get(url).status_code == 404
    assert client_for(roster["field"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_roster_page_costs_the_same_queries_for_more_people(roster, csv_file, django_assert_num_queries):
    client = client_for(roster["coordinator"])
    client.get(f"/orang/wilayah/{SUKARAME}/")  # warm the session
    import_people(csv_file(HEADER + "".join(kpps_row(f"Orang {i}", f"0857-1{i:07d}", 1 + i % 3) for i in range(30))))
    with django_assert_num_queries(10):
        page = client.get(f"/orang/wilayah/{SUKARAME}/")
    assert "Orang 29" in page.content.decode() and "34 orang" in page.content.decode()


def test_a_person_page_and_resending_the_link(roster, settings):
    settings.SINERGI_ANDROID_SMS_URL = "http://127.0.0.1:9/android"
    siti = Person.objects.get(user__first_name="Siti")
    page = client_for(roster["observer"]).get(f"/orang/{siti.pk}/")
    assert page.status_code == 200 and "0812-****-0001" in page.content.decode()
    assert client_for(roster["observer"]).post(f"/orang/{siti.pk}/kirim-aktivasi/").status_code == 403
    assert client_for(roster["outsider"]).get(f"/orang/{siti.pk}/").status_code == 404
    sent = client_for(roster["coordinator"]).post(f"/orang/{siti.pk}/kirim-aktivasi/")
    assert sent.status_code == 302 and ActivationLink.objects.filter(user=siti.user).count() == 1


def test_import_page_preview_then_confirm(bodies, roster_users, settings):
    settings.SINERGI_ANDROID_SMS_URL = "http://127.0.0.1:9/android"
    client = client_for(roster_users["coordinator"])
    text = HEADER + kpps_row("Siti Rahmawati", "0812-1111-0001", 1) + kpps_row("Budi", "0812-1111-0002", 2)
    preview = client.post("/orang/impor/", {"file": SimpleUploadedFile("daftar.csv", text.encode())})
    body = preview.content.decode()
    assert preview.status_code == 200 and "2 orang baru" in body and not Person.objects.exists()
    token = client.session["people_import_upload"]["token"]
    done = client.post("/orang/impor/konfirmasi/", {"token": token})
    assert done.status_code == 200 and Person.objects.count() == 2
    assert "Tautan aktivasi diantrekan untuk 2 orang" in done.content.decode()
    # The same preview cannot be confirmed twice.
    assert client.post("/orang/impor/konfirmasi/", {"token": token}).status_code == 400
    again = client.post("/orang/impor/", {"file": SimpleUploadedFile("daftar.csv", text.encode())})
    assert "Tidak ada perubahan" in again.content.decode()


def test_import_page_lists_every_bad_row(bodies, roster_users):
    client = client_for(roster_users["coordinator"])
    text = HEADER + kpps_row("Siti", "021-555", 1) + kpps_row("", "0812-1111-0002", 2)
    answer = client.post("/orang/impor/", {"file": SimpleUploadedFile("daftar.csv", text.encode())})
    body = answer.content.decode()
    assert answer.status_code == 422 and "2 kesalahan" in body and "bukan nomor seluler" in body
    assert "nama kosong" in body and not Person.objects.exists()
    assert client_for(roster_users["observer"]).get("/orang/impor/").status_code == 403
    assert client_for(roster_users["outsider"]).post("/orang/impor/", {}).status_code == 400  # KPU elsewhere


def test_export_csv_and_xlsx(roster):
    coordinator = client_for(roster["coordinator"])
    answer = coordinator.get(f"/orang/wilayah/{SUKARAME}/ekspor.csv")
    rows = list(csv.reader(io.StringIO(_content(answer).decode("utf-8-sig"))))
    assert rows[0][:5] == ["name", "phone", "role", "agency", "area_code"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Budi Santoso"][1] == "0812-1111-0002; 0813-2222-0002"
    assert "'=HYPERLINK(evil)" in by_name  # no formula in an official's spreadsheet
    observer = client_for(roster["observer"]).get(f"/orang/wilayah/{SUKARAME}/ekspor.xlsx")
    sheet = load_workbook(io.BytesIO(observer.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 5 and all("****" in row[1] for row in values[1:])
    kpu_rows = _content(client_for(roster["kpu"]).get(f"/orang/wilayah/{SUKARAME}/ekspor.csv"))
    assert b"Ani Lestari" not in kpu_rows and b"Siti Rahmawati" in kpu_rows
    assert client_for(roster["outsider"]).get(f"/orang/wilayah/{SUKARAME}/ekspor.csv").status_code == 404


def test_an_exported_roster_imports_back_unchanged(roster, csv_file):
    answer = client_for(roster["coordinator"]).get(f"/orang/wilayah/{SUKARAME}/ekspor.csv")
    text = _content(answer).decode("utf-8-sig")
    lines = [",".join(row[:8]) for row in csv.reader(io.StringIO(text)) if "HYPERLINK" not in row[0]]
    result = import_people(csv_file("\n".join(lines) + "\n"))
    assert (result.added, result.updated, result.unchanged) == (0, 0, 3)


def test_the_activation_sheet_names_each_person_with_a_qr_code(roster):
    from sinergi.people.services import activation_link_check

    coordinator = client_for(roster["coordinator"])
    assert "4 orang belum aktif" in coordinator.get(f"/orang/wilayah/{SUKARAME}/lembar-aktivasi/").content.decode()
    answer = coordinator.post(f"/orang/wilayah/{SUKARAME}/lembar-aktivasi/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for name in ("Siti Rahmawati", "Budi Santoso", "Ani Lestari"):
        assert name in text
    assert "0812-1111-0001" not in text and "0812-****-0001" in text  # paper shows no whole number
    assert ActivationLink.objects.count() == 4  # one fresh link per person not yet active
    # Each QR code holds a working activation link, one per person (the toolkit makes the code's square
    # a link to what it encodes, so the file itself tells which links it carries).
    encoded = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])]
    token_users = {activation_link_check(link.rstrip("/").rsplit("/", 1)[1]).user_id for link in encoded}
    assert len(encoded) == 4 and token_users == set(Person.objects.values_list("user_id", flat=True))
    # The kabupaten is too big a unit: the page asks for a kecamatan or desa.
    assert coordinator.post("/orang/wilayah/64.02/lembar-aktivasi/").status_code == 400
    assert client_for(roster["observer"]).post(f"/orang/wilayah/{SUKARAME}/lembar-aktivasi/").status_code == 403


def test_a_large_import_sends_the_links_in_the_background(
    bodies, roster_users, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from sinergi.messaging.models import OutboundMessage
    from sinergi.people import views

    settings.SINERGI_ANDROID_SMS_URL = "http://127.0.0.1:9/android"
    monkeypatch.setattr(views, "ACTIVATION_INLINE_MAX", 1)
    client = client_for(roster_users["coordinator"])
    text = HEADER + kpps_row("Siti Rahmawati", "0812-1111-0001", 1) + kpps_row("Budi", "0812-1111-0002", 2)
    client.post("/orang/impor/", {"file": SimpleUploadedFile("daftar.csv", text.encode())})
    token = client.session["people_import_upload"]["token"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/orang/impor/konfirmasi/", {"token": token})
        assert not OutboundMessage.objects.exists()  # not while the page answers
    assert "2 orang sedang dikirim di latar belakang" in done.content.decode()
    assert OutboundMessage.objects.filter(purpose="activation").count() == 2
