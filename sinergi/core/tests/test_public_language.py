"""Public pages choose their language from the address (one cached copy per URL)."""

from django.test import RequestFactory

from sinergi.core.public import language_of, public_url


def test_the_language_is_the_address_s_or_indonesian():
    factory = RequestFactory()
    assert language_of(factory.get("/p/?bahasa=en")) == "en"
    assert language_of(factory.get("/p/?bahasa=xx")) == "id"
    request = factory.get("/p/")
    request.COOKIES["django_language"] = "en"
    assert language_of(request) == "id"


def test_links_keep_a_non_default_language():
    assert public_url("/situasi/publik/64/", "id") == "/situasi/publik/64/"
    assert public_url("/situasi/publik/64/", "en") == "/situasi/publik/64/?bahasa=en"
    assert public_url("/partisipasi/publik/64/?pemilihan=x", "en") == "/partisipasi/publik/64/?pemilihan=x&bahasa=en"
