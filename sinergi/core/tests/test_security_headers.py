"""A strict Content-Security-Policy, no-sniff and referrer policy on every response (issue 11)."""

import pytest
from django.test import Client

from sinergi.core.middleware import CONTENT_SECURITY_POLICY

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def assert_strict(response) -> None:
    assert response["Content-Security-Policy"] == STRICT
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_policy_is_the_strict_one():
    assert CONTENT_SECURITY_POLICY == STRICT


@pytest.mark.django_db
def test_every_kind_of_response_carries_the_headers(personas):
    anonymous = Client()
    assert_strict(anonymous.get("/akun/masuk/"))  # a page
    assert_strict(anonymous.get("/healthz"))  # JSON outside the API
    assert_strict(anonymous.get("/api/v1/areas/64.02"))  # an API 401
    assert_strict(anonymous.get("/api/v1/docs"))  # ninja's Swagger page
    assert_strict(anonymous.get("/tidak-ada/"))  # a 404 page
    static = anonymous.get("/static/core/sinergi.css")  # whitenoise, before the app's middleware
    assert static.status_code == 200
    assert_strict(static)
    signed_in = Client()
    signed_in.force_login(personas.coordinator)
    assert_strict(signed_in.get("/"))


@pytest.mark.django_db
def test_the_api_docs_page_needs_no_inline_script(world):
    """The docs page keeps its settings in a JSON block and starts Swagger UI from a static file."""
    from sinergi.core.tests.test_no_inline_script import offences

    body = Client().get("/api/v1/docs").content.decode()
    assert "swagger-ui-init.js" in body
    assert offences(body) == []


@pytest.mark.browser
def test_pages_and_the_api_docs_run_under_the_policy_without_violations(page, personas):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.sinergi_login("koordinator")
    page.goto("/akun/profil/")
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Sinergi API" in page.inner_text(".swagger-ui .info .title")
    assert violations == []
