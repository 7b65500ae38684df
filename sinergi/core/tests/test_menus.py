"""Menus that work: every demo login lands on a page, and every link in its menu (on that page and
on each page the menu leads to) opens with 200 for it; so does every link on the national pages
the menu leads the national administrator to. A role is shown only what it can open."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
# Links that leave the page's own reading: files, the API's docs, the language switch.
SKIPPED = re.compile(r"^/(static|media)/|^/api/v1/docs|\.(pdf|xlsx|csv)(\?|$)")


class Links(HTMLParser):
    """Hrefs inside the main menu (`nav.mainnav`) and inside `<main>`."""

    def __init__(self) -> None:
        super().__init__()
        self.menu: list[str] = []
        self.main: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "mainnav" in (attrs.get("class") or "").split():
            self._in.append("menu")
        elif tag == "main":
            self._in.append("main")
        elif tag == "nav" or tag == "main":
            self._in.append("")
        if tag == "a" and self._in and (href := attrs.get("href")):
            where = self.menu if "menu" in self._in else self.main if "main" in self._in else None
            if where is not None and href.startswith("/") and not SKIPPED.search(href):
                where.append(href)

    def handle_endtag(self, tag):
        if tag in ("nav", "main") and self._in:
            self._in.pop()


def links(response) -> Links:
    parser = Links()
    parser.feed(response.content.decode())
    return parser


def opened(client: Client, url: str):
    response = client.get(url, follow=True)
    final = response.request["PATH_INFO"]
    ok = response.status_code == 200 and not final.startswith(LOGIN)
    return response, final, ok


def walk(client: Client, national: bool) -> tuple[list[str], list[str], str]:
    """(failures, menu, landing path) for one user: its landing page, every menu link, the national
    pages' links."""
    failures: list[str] = []
    landing, landed, ok = opened(client, "/")
    if not ok:
        return [f"/ lands on {landed}: {landing.status_code}"], [], landed
    menu = list(dict.fromkeys(links(landing).menu))
    seen = {"/"}
    national_links: list[str] = []
    queue = list(menu)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response, final, ok = opened(client, url)
        if not ok:
            failures.append(f"menu {url} -> {final}: {response.status_code}")
            continue
        found = links(response)
        queue += [u for u in found.menu if u not in seen]
        if national and "/ID/" in final:
            national_links += [u for u in found.main if u not in seen]
    for url in dict.fromkeys(national_links):
        if url in seen:
            continue
        seen.add(url)
        response, final, ok = opened(client, url)
        if not ok:
            failures.append(f"national page link {url} -> {final}: {response.status_code}")
    return failures, menu, landed


def test_every_menu_link_opens_for_every_demo_login(demo):
    failures = []
    menus, landed = {}, {}
    for username, _password, _what in demo.logins:
        client = Client(raise_request_exception=False)
        client.force_login(demo.users.get(username) or _user(username))
        found, menus[username], landed[username] = walk(client, national=username == "admin")
        failures += [f"{username}: {f}" for f in found]
    assert not failures, "\n".join(failures)
    # The walk saw real menus: every login has one, except field staff, who land in the field app.
    assert len(menus) >= 15
    assert all(menu or landed[name] == "/lapangan/" for name, menu in menus.items()), landed
    assert {"/situasi/", "/wilayah/", "/pengamanan/", "/partisipasi/", "/hibah/"} <= set(menus["admin"])
    assert {"/pengamanan/", "/partisipasi/"} <= set(menus["kpu.samarinda"])  # they open now (200)


def _user(username: str):
    from sinergi.accounts.models import User

    return User.objects.get(username=username)
