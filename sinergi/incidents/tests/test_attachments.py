import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.conftest import client_for
from sinergi.core.uploads import sniff
from sinergi.incidents.models import Report
from testkit.builders import MINIMAL_PDF, image_bytes


def _png() -> bytes:
    return image_bytes("PNG")


PDF = MINIMAL_PDF
FORM = {"category": "bencana", "area_code": "64.02.06.2001", "description": "Banjir masuk ke TPS"}


def test_sniffing_looks_at_content_not_names():
    assert sniff(_png()[:16]) == "image/png"
    assert sniff(PDF[:16]) == "application/pdf"
    assert sniff(b"MZ\x90\x00 not an image") is None


@pytest.mark.django_db
def test_images_and_pdf_are_stored_and_served_only_to_readers(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.field_officer)
    files = [
        SimpleUploadedFile("foto.png", _png(), "image/png"),
        SimpleUploadedFile("surat.pdf", PDF, "application/pdf"),
    ]
    response = client.post("/laporan/baru/", {**FORM, "client_id": "web-1", "attachments": files})
    report = Report.objects.get()
    assert response.status_code == 302
    assert sorted(report.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    first = report.attachments.first()
    assert first is not None
    served = client.get(f"/laporan/{report.pk}/lampiran/{first.pk}/")
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"
    assert client_for(personas.outsider).get(f"/laporan/{report.pk}/lampiran/{first.pk}/").status_code == 404


@pytest.mark.django_db
def test_disguised_broken_or_oversized_files_are_refused_and_nothing_is_stored(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.field_officer)
    for name, content, reason in [
        ("foto.png", b"MZ\x90\x00" + b"\x00" * 100, "hanya berkas JPEG, PNG, WebP, PDF yang diterima"),
        ("foto.png", _png()[:30], "rusak"),
        ("besar.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024) + b"%%EOF", "lebih besar dari 5 MB"),
    ]:
        response = client.post("/laporan/baru/", {**FORM, "attachments": [SimpleUploadedFile(name, content)]})
        assert response.status_code == 200 and reason in response.content.decode()
    assert Report.objects.count() == 0 and not list(tmp_path.rglob("*.*"))
