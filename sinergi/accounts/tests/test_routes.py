"""Every account and core route declares its rule (issue 11): the login page, health check and
language switch are public, the rest need a session."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sinergi.accounts.guards import PUBLIC, SIGNED_IN, Guard, rule_of
from sinergi.accounts.permissions import TOKENS
from sinergi.api import api

EXPECTED = {
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:profile": SIGNED_IN,
    "accounts:notifications": SIGNED_IN,
    "accounts:tokens": SIGNED_IN,
    "accounts:token_revoke": Guard(TOKENS, "pk"),
    "home": SIGNED_IN,
    "core:healthz": PUBLIC,
    "set_language": PUBLIC,
}


def _named_routes() -> dict[str, object]:
    found: dict[str, object] = {}

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                found[f"{namespace}{entry.name}"] = entry.callback

    walk(get_resolver().url_patterns, "")
    return found


def test_account_and_core_routes_declare_their_rule():
    routes = _named_routes()
    for name, rule in EXPECTED.items():
        assert name in routes, name
        assert rule_of(routes[name]) == rule, name
    undeclared = [n for n in routes if n.split(":")[0] in ("accounts", "core") and rule_of(routes[n]) is None]
    assert undeclared == []


def test_the_sms_webhook_is_declared_public():
    served = [
        op
        for prefix, router in api._routers
        for path, path_ops in router.path_operations.items()
        for op in path_ops.operations
        if path.endswith("sms/inbound")
    ]
    assert served and all(rule_of(op) is PUBLIC for op in served)


@pytest.mark.django_db
def test_anonymous_users_reach_public_routes_and_are_sent_to_login_from_the_rest(world):
    client = Client()
    assert client.get("/akun/masuk/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"}).status_code == 302
    for url in ["/", "/akun/profil/", "/akun/notifikasi/", "/akun/token/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/"), url
    assert client.post("/akun/keluar/").status_code == 302
