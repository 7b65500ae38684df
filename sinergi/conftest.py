"""Fixtures shared by every app: the small world, personas, clients and a real browser."""

import os
import shutil
from collections.abc import Iterator
from importlib import import_module

import pytest
from django.apps import AppConfig
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.test import Client
from django.utils import timezone, translation

from sinergi.accounts.models import User
from sinergi.accounts.tokens import token_create
from testkit.builders import PASSWORD, Personas, personas_make, world_make

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same
# tests are still synchronous, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = os.environ.get("SINERGI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Data migrations that load reference data (the 2020 security patterns, grant policies, incident
# categories, meeting kinds, message templates). A transactional test ends with a flush that empties
# these tables too; the flush then sends post_migrate (as it does for content types), and this
# receiver loads them again, so whatever test runs next finds them. Every loader is idempotent.
REFERENCE_DATA_MIGRATIONS = [
    "sinergi.deployment.migrations.0002_national_patterns",
    "sinergi.grants.migrations.0002_load_policies",
    "sinergi.incidents.migrations.0002_default_categories",
    "sinergi.meetings.migrations.0002_meeting_kinds",
    "sinergi.messaging.seed_templates",
]


def reference_data_load(**_signal: object) -> None:
    from django.apps import apps

    for module in REFERENCE_DATA_MIGRATIONS:
        import_module(module).load(apps, None)


def _after_flush(sender: AppConfig, using: str = "default", **signal: object) -> None:
    if sender.name == "sinergi.core":  # post_migrate comes once per app; load once per flush
        reference_data_load()


post_migrate.connect(_after_flush, dispatch_uid="sinergi-tests-reference-data")


@pytest.fixture(autouse=True)
def _fresh_process_state() -> Iterator[None]:
    """What outlives a test in the process, reset before each: the cache (pages and summaries are
    cached), the active language (the locale middleware activates one per request and leaves it)
    and the active time zone. Order then never matters."""
    for cache in caches.all():
        cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _ledger_flush_allowed(request: pytest.FixtureRequest) -> Iterator[None]:
    """The grant ledger refuses DELETE in the database; on SQLite a transactional test's flush is
    DELETE FROM, so it is let through for that flush only (see sinergi/grants/integrity.py)."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    from sinergi.grants.integrity import ledger_allow_flush

    yield
    ledger_allow_flush()


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    call_command("compile_translations", verbosity=0)


@pytest.fixture
def world(db) -> dict:
    return world_make()


@pytest.fixture
def personas(world) -> Personas:
    return personas_make()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bearer():
    """Headers for the API as a given user: `client.get(url, headers=bearer(user))`."""

    def headers(user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_create(user=user)}"}

    return headers


@pytest.fixture(scope="session")
def _browser() -> Iterator:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser page against the live server; `page.sinergi_login(username)` logs in."""
    context = _browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)

    def login(username: str, password: str = PASSWORD) -> None:
        page.goto("/akun/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click(".login button[type=submit]")
        page.wait_for_url(lambda url: "/akun/masuk/" not in url)

    page.sinergi_login = login
    yield page
    context.close()
