"""Every public page can be kept by the reverse proxy as one copy per address (deploy/nginx/sinergi.conf):
`Cache-Control: public, max-age=N`, no `Vary: Cookie`, no cookie set, no CSRF token, and the same bytes
whoever asks, signed in or not, at every level and in both languages."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client, RequestFactory

from sinergi.conftest import client_for
from sinergi.grants.tests.factories import agreement_make, grant_users, post
from sinergi.turnout.setup import election_prepare

pytestmark = pytest.mark.django_db

LEVELS = ["ID", "64", "64.02", "64.02.06", "64.02.06.1001"]
LANGUAGES = ["", "?bahasa=en"]
PAGES = [
    *(f"/situasi/publik/{code}/" for code in LEVELS),
    *(f"/partisipasi/publik/{code}/" for code in LEVELS),
    "/hibah/publik/",
    "/hibah/publik/64.02/",
]


@pytest.fixture
def published(world, personas):
    election_prepare(world["election"])
    users = grant_users()
    agreement = agreement_make(users["finance"], recipient="kpu-kukar", amount="1000")
    post(users["finance"], agreement, "disbursement", "400", "d0")
    return personas


def _clear_caches() -> None:
    for cache in caches.all():
        cache.clear()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_a_public_page_is_one_shareable_copy_whoever_asks(published, path, language):
    url = path + language
    anonymous = Client().get(url)
    _clear_caches()  # the signed-in copy is rendered anew, not read back from the cache
    signed_in = client_for(published.coordinator).get(url)
    for response in (anonymous, signed_in):
        assert response.status_code == 200, url
        assert response["Cache-Control"].startswith("public, max-age=")
        assert "cookie" not in response.get("Vary", "").lower()
        assert not response.cookies  # no session, CSRF or language cookie
        body = response.content.decode()
        assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body
        assert response["Content-Language"] == ("en" if language else "id")
    assert signed_in.content == anonymous.content


def test_a_signed_in_reader_s_pending_message_waits_for_their_own_pages(personas):
    client = client_for(personas.coordinator)
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, "pesan pribadi")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies.update(carrier.cookies)
    page = client.get("/hibah/publik/")
    assert "pesan pribadi" not in page.content.decode() and not page.cookies
    assert "pesan pribadi" in client.get("/akun/profil/").content.decode()  # not consumed by the public page
