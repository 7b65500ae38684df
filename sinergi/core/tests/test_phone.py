"""Every page fits a 360 x 740 phone, and the heaviest pages stay within their byte budgets.

The pages are not listed by hand: the menu of every demo role is followed, and every GET page
route is generated from the URL configuration with the route matrix's own route walking and
URL filling (`test_route_matrix`), opened as one persona whose rule lets it in. A page fails
when the document is wider than the screen (`scrollWidth` > viewport); what sits inside its own
horizontally scrolling box (a wide table in `.scroll-x`, a Leaflet map) does not widen the
document and is fine. The failure names the page and the widest element that sticks out.

The demo is loaded once for the module (committed, so the live server's thread sees it on
PostgreSQL too) and the database is put back as the module found it afterwards (the rows the
migrations loaded); one browser, one context per role.
"""

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.db import connection
from django.test import Client

from sinergi.accounts.models import Membership
from sinergi.accounts.roles import Role
from sinergi.core.demo_context import DemoContext, demo_loaders
from sinergi.core.tests.test_route_matrix import ALLOWED, ROUTES, _extra_params, _url, expected

# The database marker only makes pytest-django create the test database; every query of this
# module runs in the module fixture, before the tests (Playwright's event loop would give the test
# body a connection of its own).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 360, "height": 740}
# The header (brand, menu button, session) on a phone; it took 210 of 740 px before issue 12.
HEADER_MAX_PX = 64
# Who opens a route when several may: narrow Kukar roles first, the national administrator last.
OPENERS = [
    "panwascam.tenggarong",
    "kesbangpol.kukar",
    "kpu.kukar",
    "bawaslu.kukar",
    "polres.kukar",
    "kodim.0906",
    "keuangan.kukar",
    "inspektorat.kukar",
    "sekda.kukar",
    "pemantau.kukar",
    "admin",
]
# First-load budgets, bytes gzip-compressed: the page and everything it loads (HTML, CSS, JS, map data).
BUDGETS = {
    "/situasi/ID/": 500_000,  # the national room: provinces
    "/situasi/64/": 500_000,  # the Kaltim room: kabupaten/kota
    "/situasi/64.02/": 300_000,  # the Kukar room: kecamatan
    "/wilayah/64/": 500_000,  # the area browser: Kaltim's kabupaten/kota map
}

# The widest element that sticks out of the screen, outside any box that scrolls or clips
# horizontally (those do not widen the document). Null when the page fits.
OVERFLOW_JS = """
() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  if (doc.scrollWidth <= width) { return null; }
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== doc; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") { return true; }
    }
    return false;
  };
  // An element's right edge, counting text that runs out of its box (white-space: nowrap).
  const edge = (el, box) => getComputedStyle(el).overflowX === "visible" ? box.left + Math.max(box.width, el.scrollWidth) : box.right;
  let worst = null, right = width;
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || edge(el, box) <= right + 0.5 || clipped(el)) { continue; }
    worst = el; right = edge(el, box);
  }
  const name = (el) => {
    if (!el) { return "?"; }
    let text = el.tagName.toLowerCase();
    if (el.id) { text += "#" + el.id; }
    if (el.classList.length) { text += "." + Array.from(el.classList).join("."); }
    return text;
  };
  const path = [];
  for (let el = worst; el && el !== document.body && path.length < 4; el = el.parentElement) { path.unshift(name(el)); }
  return {scroll: doc.scrollWidth, element: path.join(" > "),
          width: Math.round(right)};
}
"""

# Buttons, form fields and menu or pager links shorter than a thumb (44 px), on the visible page.
SMALL_TARGETS_JS = """
() => {
  const small = [];
  const targets = "button, .btn, select, textarea, .mainnav a, .pager a, " +
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio])";
  for (const el of document.querySelectorAll(targets)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") { continue; }
    if (box.height < 43.5) {
      small.push((el.id ? "#" + el.id : el.tagName.toLowerCase() + (el.className ? "." + el.className : "")) +
                 " " + Math.round(box.height) + " px");
    }
  }
  return small;
}
"""


@dataclass
class Site:
    url: str
    roles: dict[str, str]  # role -> username of one demo user holding it
    sessions: dict[str, str]  # username -> session cookie
    routes: list[tuple[str, str | None]]  # (url, who opens it: a username or None for anonymous)
    contexts: dict[str | None, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Site]:
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        before = connection.creation.serialize_db_to_string()
        try:
            context = DemoContext(stdout=OutputWrapper(io.StringIO()))
            for _, load in demo_loaders():
                load(context)
            users = dict(context.users)
            roles = _one_user_per_role(users)
            routes = _page_urls(users)
            openers = {name for _, name in routes if name} | set(roles.values())
            sessions = {name: _session(users[name]) for name in openers}
            server = LiveServer("localhost")
            try:
                yield Site(url=server.url, roles=roles, sessions=sessions, routes=routes)
            finally:
                server.stop()
        finally:
            _restore(before)


def _restore(before: str) -> None:
    """Put the database back as the module found it (what the migrations loaded), as Django's
    serialized rollback does: flush without post_migrate, then load the saved rows."""
    from sinergi.grants.integrity import ledger_allow_flush, ledger_relock

    ledger_allow_flush()
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    ledger_relock()
    connection.creation.deserialize_db_from_string(before)
    # The flush restarted every sequence (TRUNCATE ... RESTART IDENTITY on PostgreSQL) and the rows came
    # back with their old keys: move the sequences past them, or the next test's insert collides.
    models = [model for config in apps.get_app_configs() for model in config.get_models()]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _one_user_per_role(users: dict[str, Any]) -> dict[str, str]:
    """Every role a demo user holds, with the first such user (the route matrix personas first)."""
    names = [n for n in OPENERS if n in users] + sorted(n for n in users if n not in OPENERS)
    held = {m.user_id: m.role for m in Membership.objects.filter(user__in=[users[n] for n in names]).order_by("pk")}
    roles: dict[str, str] = {}
    for name in names:
        role = Role.ADMIN.value if users[name].is_superuser else held.get(users[name].pk)
        if role and role not in roles:
            roles[role] = name
    return roles


@pytest.fixture(scope="module")
def browser_contexts(_browser, site: Site) -> Iterator[Site]:
    """One browser context per persona (its session cookie set directly), and one anonymous."""
    for name in [None, *site.sessions]:
        context = _browser.new_context(base_url=site.url, locale="id-ID", viewport=PHONE, has_touch=True)
        if name is not None:
            context.add_cookies([{"name": "sessionid", "value": site.sessions[name], "url": site.url}])
        site.contexts[name] = context
    yield site
    for context in site.contexts.values():
        context.close()


def _overflow(page: Any, url: str, *, refused_ok: bool = False) -> str | None:
    """Open the page at phone size; why it does not fit (too wide, targets too small), or None."""
    response = page.goto(url, wait_until="load")
    if response is None or response.status >= 500 or (response.status >= 400 and not refused_ok):
        return f"{url}: answered {response.status if response else 'nothing'}"
    found = page.evaluate(OVERFLOW_JS)
    if found is not None:
        return f"{url}: {found['scroll']} px wide, widest: {found['element']} (reaches {found['width']} px)"
    small = page.evaluate(SMALL_TARGETS_JS)
    if small:
        return f"{url}: targets under 44 px: {', '.join(small[:4])}"
    return None


def _is_html_page(context: Any, url: str) -> bool:
    """A whole HTML page: not a download, a redirect, or a fragment that htmx swaps into a page."""
    response = context.request.get(url, max_redirects=0)
    if response.status != 200 or not response.headers.get("content-type", "").startswith("text/html"):
        return False
    return response.text().lstrip()[:15].lower() == "<!doctype html>"


def _session(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _page_urls(users: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Every GET page route (not the API), filled with demo objects as the route matrix fills them,
    with one persona whose rule lets it in (anonymous for public pages). A route no demo object
    fills is the route matrix's failure (it names them), not repeated here."""
    matrix = {"users": users, "samples": {}, "extra": _extra_params(users)}
    found: list[tuple[str, str | None]] = []
    for route in ROUTES:
        if route.api or "GET" not in route.methods or route.rule is None:
            continue
        url = _url(route, matrix)
        if url is None:
            continue
        if route.rule.public:
            found.append((url, None))
        else:
            opener = next((n for n in OPENERS if n in users and expected(route, users[n], "GET", url) == ALLOWED), None)
            if opener:
                found.append((url, opener))
    return found


def test_every_menu_page_fits_a_phone_for_every_demo_role(browser_contexts: Site):
    site = browser_contexts
    failures: list[str] = []
    opened = 0
    for role, name in sorted(site.roles.items()):
        page = site.contexts[name].new_page()
        page.set_default_timeout(15_000)
        # The profile page has the main layout for every role ("/" takes field roles into the field app).
        page.goto("/akun/profil/", wait_until="load")
        header = page.locator("header.topbar").bounding_box()
        assert header is not None
        if header["height"] > HEADER_MAX_PX:
            failures.append(f"{role} ({name}): the header is {header['height']:.0f} px tall on a phone")
        # The menu sits behind its button on a phone and opens on a tap.
        menu = page.locator(".mainnav a")
        links = [h for h in menu.evaluate_all("links => links.map(a => a.getAttribute('href'))") if h]
        assert links, f"{role} ({name}) has no menu"
        assert not menu.first.is_visible(), f"{role}: the menu is open on a phone before a tap"
        page.locator(".menu-toggle").click()
        assert menu.first.is_visible(), f"{role}: the menu button does not open the menu"
        box = menu.first.bounding_box()
        assert box is not None and box["height"] >= 44, f"{role}: menu links are not thumb-sized ({box})"
        for url in ["/", *links]:
            # The menu is the same for every role; a page a role may not open shows the refusal
            # page, which must fit the phone as well (who may open what is the route matrix's job).
            problem = _overflow(page, url, refused_ok=True)
            opened += 1
            if problem:
                failures.append(f"{role} ({name}) {problem}")
        page.close()
    assert opened > len(site.roles) * 3
    assert not failures, "pages wider than a 360 px phone:\n" + "\n".join(failures)


def test_every_page_route_fits_a_phone(browser_contexts: Site):
    site = browser_contexts
    failures: list[str] = []
    pages: dict[str | None, Any] = {}
    opened = []
    for url, opener in site.routes:
        context = site.contexts[opener]
        if not _is_html_page(context, url):
            continue  # a download, a redirect or a form-only POST route
        if opener not in pages:
            pages[opener] = context.new_page()
            pages[opener].set_default_timeout(15_000)
        problem = _overflow(pages[opener], url)
        opened.append(url)
        if problem:
            failures.append(f"{problem} (as {opener or 'anonymous'})")
    for page in pages.values():
        page.close()
    assert len(opened) > 30, opened
    assert not failures, "pages wider than a 360 px phone:\n" + "\n".join(failures)


def test_maps_and_charts_work_on_a_phone(browser_contexts: Site):
    page = browser_contexts.contexts["kesbangpol.kukar"].new_page()
    page.goto("/situasi/64.02/")
    room_map = page.locator(".map[data-features]").first
    room_map.wait_for(state="attached")
    assert int(room_map.get_attribute("data-features") or 0) >= 18  # Kukar's kecamatan
    box = room_map.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    # A polygon is drawn inside the visible map, and the zoom buttons are thumb-sized.
    assert page.locator(".leaflet-overlay-pane path").count() >= 18
    zoom = page.locator(".leaflet-control-zoom-in").bounding_box()
    assert zoom is not None and zoom["width"] >= 44 and zoom["height"] >= 44
    assert page.evaluate(OVERFLOW_JS) is None
    page.close()


def test_the_report_queue_becomes_cards_that_name_their_fields(browser_contexts: Site):
    """The report queue was 816 px wide on a phone; its rows are now cards, each cell named by its
    column head (filled in by core/sinergi.js from the table head, which a phone does not show)."""
    page = browser_contexts.contexts["kesbangpol.kukar"].new_page()
    page.goto("/laporan/")
    row = page.locator("#queue-table tbody tr").first
    row.wait_for()
    assert not page.locator("#queue-table thead").is_visible()
    box = row.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    heads = page.locator("#queue-table thead th").all_inner_texts()
    labels = row.locator("td[data-label]").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert labels and set(labels) <= {h.strip() for h in heads}
    shown = row.locator("td[data-label]").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert shown == f'"{labels[0]}: "'
    page.close()


def _first_load_bytes(context: Any, url: str) -> tuple[int, dict[str, int]]:
    """Gzip-compressed bytes of the page and every response it loads (what a phone downloads)."""
    sizes: dict[str, int] = {}
    responses: list[Any] = []
    page = context.new_page()
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="load")
    map_box = page.locator(".map").first
    if map_box.count():
        page.locator(".map[data-features]").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    for response in responses:
        body = response.body() if response.status < 300 else b""
        sizes[response.url] = len(gzip.compress(body, 6))
    page.close()
    return sum(sizes.values()), sizes


@pytest.mark.parametrize("url", list(BUDGETS))
def test_page_weight_within_budget(browser_contexts: Site, url: str):
    context = browser_contexts.contexts["admin"]
    total, sizes = _first_load_bytes(context, url)
    heaviest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    assert total <= BUDGETS[url], f"{url} loads {total} bytes compressed: {heaviest}"
    assert any("/boundaries" in u for u in sizes), "the page drew no map"
