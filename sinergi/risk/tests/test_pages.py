"""The risk pages: what they show, exports, the web form, and pinned query counts."""

import io

from django.conf import settings
from openpyxl import load_workbook

from sinergi.conftest import client_for
from sinergi.risk.models import Checklist, SecurityOverride
from sinergi.risk.tests import factories
from testkit.builders import image_bytes
from testkit.html import table_rows, text_of


def test_area_page_shows_map_tables_and_heat(filled, personas):
    html = client_for(personas.coordinator).get("/kerawanan/wilayah/64.02/").content.decode()
    for marker in [
        'id="risk-map"',
        'id="ranked-table"',
        'id="heat-table"',
        'id="top-tps"',
        "Muara Badak",
        "Tenggarong",
    ]:
        assert marker in html, marker


def test_synthetic_round_says_so(filled, personas):
    filled.is_synthetic = True
    filled.save()
    assert 'id="synthetic-note"' in client_for(personas.coordinator).get("/kerawanan/wilayah/64.02/").content.decode()


def test_area_page_query_count_is_pinned(filled, personas, django_assert_num_queries):
    client = client_for(personas.coordinator)
    client.get("/kerawanan/wilayah/64.02/")
    with django_assert_num_queries(13):
        page = client.get("/kerawanan/wilayah/64.02/")
    assert page.status_code == 200
    assert text_of(page.content, "tps-flagged") == "6"  # six of the nine TPS answered yes somewhere
    ranked = table_rows(page.content, "ranked-table")
    assert sorted(row[1] for row in ranked) == ["Muara Badak", "Tenggarong"]
    top = table_rows(page.content, "top-tps")
    assert top and all(row[0].startswith("64.02.") or row[0].startswith("TPS") for row in top)


def test_area_api_query_count_is_pinned(filled, personas, bearer, django_assert_num_queries):
    from django.test import Client

    headers = bearer(personas.coordinator)
    with django_assert_num_queries(8):
        answer = Client().get("/api/v1/risk/areas/64.02", headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["tps_total"], body["tps_assessed"], body["tps_flagged"]) == (9, 9, 6)
    assert body["by_class"] == {"kurang_rawan": 6, "rawan": 2, "sangat_rawan": 1, "khusus": 0}
    assert [(c["code"], c["tps_flagged"]) for c in body["children"]] == [("64.02.05", 2), ("64.02.06", 4)]


def test_tps_list_query_count_does_not_grow_with_rows(filled, personas, django_assert_num_queries):
    client = client_for(personas.coordinator)
    with django_assert_num_queries(10):
        html = client.get("/kerawanan/wilayah/64.02/tps/?kelas=kurang_rawan").content.decode()
    assert html.count('href="/kerawanan/tps/') == 6


def test_tps_api_query_count_is_pinned(filled, personas, bearer, django_assert_num_queries):
    from django.test import Client

    headers = bearer(personas.coordinator)  # the token is made outside the counted block
    with django_assert_num_queries(7):
        answer = Client().get("/api/v1/risk/tps/64.02.06.1001.001", headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["tps_code"] == "64.02.06.1001.001" and body["version"] == 1
    assert sorted(code for code, answer in body["answers"].items() if answer["yes"]) == ["2.1", "2.2", "3.1"]
    assert (body["flagged"], body["security_class"]) == (True, "sangat_rawan")


def test_exports(filled, personas):
    client = client_for(personas.coordinator)
    response = client.get("/kerawanan/wilayah/64.02/ekspor/?isi=tps")
    csv_text = response.getvalue().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("tps,desa,versi,skor") and len(csv_text.splitlines()) == 10
    book = load_workbook(io.BytesIO(client.get("/kerawanan/wilayah/64.02/ekspor/?format=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    # The CSV header is the keys (for scripts); the workbook's is the labels in the reader's language.
    assert rows[0][:5] == ("Kode", "Wilayah", "Jumlah TPS", "TPS dinilai", "TPS rawan")
    assert sum(r[4] for r in rows[1:]) == 6 and all(isinstance(r[2], int) for r in rows[1:])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    english = client.get("/kerawanan/wilayah/64.02/ekspor/?format=xlsx&isi=tps")
    header = next(load_workbook(io.BytesIO(english.content)).active.iter_rows(values_only=True))
    assert header[:4] == ("TPS", "Village", "Version", "Score")


def test_web_form_creates_a_new_version(filled, personas):
    tps = "64.02.06.1001.003"
    client = client_for(personas.field_officer)
    data = {f"a-{c}": "tidak" for c in factories.all_no(filled.instrument)}
    data.update({"a-8.2": "ya", "n-1.1": "2", "catatan": "listrik padam", "client_id": "web-1"})
    response = client.post(f"/kerawanan/tps/{tps}/isi/?putaran={filled.slug}", data)
    assert response.status_code == 302
    current = Checklist.objects.get(tps_id=tps, is_current=True)
    assert current.version == 2 and current.answers["1.1"] == {"yes": True, "count": 2}
    assert current.answers["8.2"]["yes"] and current.note == "listrik padam"
    assert client.post(f"/kerawanan/tps/{tps}/isi/?putaran={filled.slug}", data).status_code == 302
    assert Checklist.objects.filter(tps_id=tps).count() == 2  # the retry was recognised


def test_web_form_unanswered_indicator_is_named(filled, personas):
    response = client_for(personas.field_officer).post(
        f"/kerawanan/tps/64.02.06.1001.003/isi/?putaran={filled.slug}", {"a-1.1": "ya"}
    )
    assert response.status_code == 422 and "1.2" in response.content.decode()


def test_override_page_keeps_history(filled, analyst):
    client = client_for(analyst)
    tps = "64.02.06.1001.002"
    assert client.post(f"/kerawanan/tps/{tps}/kelas/", {"security_class": "khusus", "reason": ""}).status_code == 422
    client.post(f"/kerawanan/tps/{tps}/kelas/", {"security_class": "khusus", "reason": "TPS di rutan"})
    assert SecurityOverride.objects.get(tps_id=tps).security_class == "khusus"
    html = client.get(f"/kerawanan/tps/{tps}/").content.decode()
    assert "TPS di rutan" in html


def test_compare_and_instrument_pages(filled, analyst, personas):
    from sinergi.risk import services

    services.round_create(
        actor=analyst,
        instrument=services.Instrument.objects.get(slug="tps-pemilu-2024"),
        area_code="64.02",
        name="Pemilu",
        slug="pemilu",
        window_start=filled.window_start.replace(month=2),
        window_end=filled.window_end.replace(month=2),
    )
    client = client_for(personas.coordinator)
    html = client.get(f"/kerawanan/wilayah/64.02/bandingkan/?a={filled.slug}&b=pemilu").content.decode()
    assert 'id="compare-table"' in html and "Riwayat kekerasan di TPS" in html
    assert 'id="compare-children"' in html and "Muara Badak" in html
    html = client.get("/kerawanan/instrumen/").content.decode()
    assert "sebagian" in html and "belum terkonfirmasi" in html


def test_round_close_and_reopen(filled, analyst):
    client = client_for(analyst)
    client.post(f"/kerawanan/putaran/{filled.slug}/status/", {"status": "ditutup"})
    filled.refresh_from_db()
    assert filled.status == "ditutup" and filled.computed_at is not None


def test_round_page_creates_a_round_for_bawaslu_only(filled, analyst, personas):
    data = {
        "instrument": filled.instrument.pk,
        "area_code": "64.02.06",
        "name": "Pemutakhiran Tenggarong",
        "slug": "tenggarong-2",
        "window_start": "2024-11-18",
        "window_end": "2024-11-20",
    }
    assert client_for(analyst).post("/kerawanan/putaran/baru/", data).status_code == 302
    assert client_for(personas.coordinator).post("/kerawanan/putaran/baru/", {**data, "slug": "x"}).status_code == 403
    assert client_for(analyst).post("/kerawanan/putaran/", data).status_code == 405  # the list only lists
    assert "Pemutakhiran Tenggarong" in client_for(personas.field_officer).get("/kerawanan/putaran/").content.decode()


def test_evidence_must_be_an_image_or_pdf(filled, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data: dict[str, object] = {f"a-{c}": "tidak" for c in factories.all_no(filled.instrument)}
    data["bukti"] = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(personas.field_officer).post(
        f"/kerawanan/tps/64.02.06.1001.003/isi/?putaran={filled.slug}", data
    )
    assert response.status_code == 422 and "yang diterima" in response.content.decode()
    data["bukti"] = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n broken", content_type="image/png")
    response = client_for(personas.field_officer).post(
        f"/kerawanan/tps/64.02.06.1001.003/isi/?putaran={filled.slug}", data
    )
    assert response.status_code == 422 and "rusak" in response.content.decode()
    data["bukti"] = SimpleUploadedFile("foto.png", image_bytes("PNG"), content_type="image/png")
    assert (
        client_for(personas.field_officer)
        .post(f"/kerawanan/tps/64.02.06.1001.003/isi/?putaran={filled.slug}", data)
        .status_code
        == 302
    )
    assert Checklist.objects.get(tps_id="64.02.06.1001.003", is_current=True).evidence.name.endswith(".png")


def test_area_without_a_covering_round_lists_rounds_inside(filled, personas):
    response = client_for(personas.national_admin).get("/kerawanan/wilayah/ID/")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="no-round"' in html and filled.name in html
    assert client_for(personas.national_admin).get("/api/v1/risk/areas/ID").status_code == 404
