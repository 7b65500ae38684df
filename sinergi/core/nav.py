"""The navigation bar, filled by the apps: an AppConfig may declare `nav = [NavItem(...)]`."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    order: int = 50


def navigation_items(user: Any = None) -> list[tuple[str, str]]:
    """The menu in order; with a user, only the links whose route rule shows them to that user."""
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        items.extend(getattr(config, "nav", []))
    resolved = []
    for item in sorted(items, key=lambda i: i.order):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if user is None or _shown_to(user, url):
            resolved.append((str(item.label), url))
    return resolved


def _shown_to(user: Any, url: str) -> bool:
    # The rule each route declares (accounts.guards), read by attribute so core imports no app.
    rule = getattr(resolve(url).func, "sinergi_rule", None)
    return rule is None or rule.in_menu(user)
