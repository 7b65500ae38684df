import pytest

from sinergi.conftest import client_for


@pytest.mark.django_db
def test_indonesian_first_english_on_request(client):
    assert "Masuk ke Sinergi" in client.get("/akun/masuk/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    assert "Log in to Sinergi" in client.get("/akun/masuk/").content.decode()


@pytest.mark.django_db
def test_area_page_in_english(personas):
    client = client_for(personas.coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/wilayah/64.02/").content.decode()
    assert "Areas within" in page
    assert "Wilayah di bawahnya" not in page


@pytest.mark.django_db
def test_browser_language_does_not_override_indonesian(client):
    page = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Masuk ke Sinergi" in page
