import pytest
from django.utils import translation

from sinergi.conftest import client_for


@pytest.mark.django_db
def test_queue_speaks_english_when_asked(personas):
    client = client_for(personas.coordinator)
    client.cookies["django_language"] = "en"
    page = client.get("/laporan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Needs my action" in page and "Report queue" in page
    with translation.override("id"):
        assert "Perlu tindakan saya" in client_for(personas.coordinator).get("/laporan/").content.decode()
