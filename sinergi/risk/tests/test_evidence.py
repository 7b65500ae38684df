"""A checklist's evidence is served by a guarded download, never from an open media folder."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.conftest import client_for
from sinergi.risk import services
from sinergi.risk.tests import factories
from testkit.builders import image_bytes

TPS = "64.02.06.1001.003"


@pytest.fixture
def with_evidence(kround, analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = image_bytes("PNG")
    checklist = services.checklist_submit(
        actor=analyst,
        round_=kround,
        tps_code=TPS,
        answers=factories.all_no(kround.instrument),
        evidence=SimpleUploadedFile("foto.png", content, content_type="text/html"),
    )
    return checklist, content


def test_reader_of_the_tps_downloads_the_bytes_as_an_attachment(with_evidence, personas):
    checklist, content = with_evidence
    url = f"/kerawanan/daftar-periksa/{checklist.pk}/bukti/"
    response = client_for(personas.coordinator).get(url)
    assert response.status_code == 200
    assert response.getvalue() == content
    assert response["Content-Type"] == "image/png"  # what the bytes are, not what the browser claimed
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The TPS page links to the guarded download, not to /media/.
    html = client_for(personas.coordinator).get(f"/kerawanan/tps/{TPS}/").content.decode()
    assert url in html and "/media/" not in html


def test_outsider_gets_404_and_anonymous_is_sent_to_sign_in(with_evidence, personas):
    checklist, _content = with_evidence
    url = f"/kerawanan/daftar-periksa/{checklist.pk}/bukti/"
    assert client_for(personas.outsider).get(url).status_code == 404
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_a_checklist_without_evidence_is_404(kround, analyst, personas):
    checklist = services.checklist_submit(
        actor=analyst, round_=kround, tps_code=TPS, answers=factories.all_no(kround.instrument)
    )
    assert client_for(personas.coordinator).get(f"/kerawanan/daftar-periksa/{checklist.pk}/bukti/").status_code == 404
